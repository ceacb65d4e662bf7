"""Push ingest: a wire file POSTed to /api/v1/wire, through the same pipeline as a file on
disk, with the same outcomes as `masthead ingest --json`.

A file nothing can be read from (an unknown format, broken XML, no item, every item refused:
422) or with more than MAX_ITEMS items (413) stores nothing, not even the wire log's failed row
a dropped file gets: the pusher has the file and the answer says why, so there is nothing for
the desk to retry. A file with some good items is ingested; its bad items fail alone, logged
as usual (but for one about another site's story: refused, not logged).

Pushed items are kept as the pushing site's own stories (`pushed_guid`): a site's token
reaches nothing of the network's wire, whatever provider and guid the file names.
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterable
from dataclasses import dataclass, replace
from pathlib import Path

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction

from masthead.core.errors import MastheadError, WireError
from masthead.newsroom.events import article_events_batched
from masthead.newsroom.items import ParsedItem
from masthead.newsroom.selectors import stories_on_other_sites
from masthead.newsroom.services.story import other_sites_error
from masthead.wire.files import WireFile
from masthead.wire.models import WireAction
from masthead.wire.outcomes import Outcome
from masthead.wire.parsers import parser_for
from masthead.wire.pipeline import fitted, ingest_entries

# Items of one push at most: a file of thousands holds a web worker for a minute; an agency
# sends them in several files.
MAX_ITEMS = 1000


@dataclass
class PushAnswer:
    outcomes: list[Outcome]
    stored: bool  # False: the file was refused whole, and nothing was kept
    status: int = 200  # the HTTP status: 200 stored, 422 nothing readable, 413 too many items


def pushed_guid(site_code: str, guid: str) -> str:
    """The guid a pushed item is kept under: in the pushing site's own namespace, so a site's
    token can never reach a story of the network's wire (an agency's guid pushed at a high
    version, or a kill of a story stored unrouted), and the same file pushed again finds its
    own story."""
    return f"push:{site_code}:{guid}"


def wire_push(
    *,
    data: bytes,
    name: str,
    source: str,
    site_code: str,
    pictures: Iterable[UploadedFile] = (),
) -> PushAnswer:
    """Ingest one pushed file for the site whose token pushed it: its items are that site's
    own stories (`pushed_guid`), placed by that site's routes only (ParsedItem.only_site),
    and none may change a story another site carries."""
    try:
        if not data:
            raise WireError("empty file")
        items = [
            item
            if isinstance(item, WireError)
            else replace(item, guid=pushed_guid(site_code, item.guid), only_site=site_code)
            for item in parser_for(data).parse(data, source=name)
        ]
        if not items:
            raise WireError("no news item in the file")
    except MastheadError as exc:
        return PushAnswer([_failed(name, str(exc))], stored=False, status=422)
    except Exception as exc:  # a parser's bug: say which file, as the pipeline does
        error = f"could not be parsed ({type(exc).__name__})"
        return PushAnswer([_failed(name, error)], stored=False, status=422)
    if len(items) > MAX_ITEMS:
        error = f"{len(items)} items in one push, over the limit of {MAX_ITEMS}: send several files"
        return PushAnswer([_failed(name, error)], stored=False, status=413)
    with transaction.atomic():
        # Fitting an item logs its failure; when none is left, that is undone with the rest.
        entries = [fitted(item, name=name, source=source) for item in items]
        entries = _refuse_other_sites(entries, name=name, site_code=site_code)
        if not any(isinstance(entry, ParsedItem) for entry in entries):
            transaction.set_rollback(True)
            return PushAnswer(
                [e for e in entries if isinstance(e, Outcome)], stored=False, status=422
            )
    pictures = list(pictures)
    with tempfile.TemporaryDirectory(prefix="masthead-push-") as folder, article_events_batched():
        base = Path(folder) if pictures else None
        for picture in pictures:
            # Named as the file names them (`href="photo.jpg"`); a path is cut to its name.
            with open(Path(folder) / picture_name(picture.name or ""), "wb") as out:
                for chunk in picture.chunks():
                    out.write(chunk)
        wire_file = WireFile(Path(folder) / "wire", name, base)
        outcomes = ingest_entries([entries], [wire_file], source=source)[0]
    return PushAnswer(outcomes, stored=True)


def _refuse_other_sites(
    entries: list[ParsedItem | Outcome], *, name: str, site_code: str
) -> list[ParsedItem | Outcome]:
    """Items about a story another site carries (an editor there placed a pushed story) are
    refused before anything is written, with one line each and no wire-log row (the pusher
    has the file and the answer); the story service checks again, for a story another site
    took meanwhile. Checked on the fitted items: their guids as the database keeps them."""
    taken = stories_on_other_sites(
        keys={(e.provider, e.guid) for e in entries if isinstance(e, ParsedItem)},
        site_code=site_code,
    )
    return [
        Outcome(
            file=name,
            guid=entry.guid,
            version=entry.version,
            action=WireAction.FAILED,
            error=other_sites_error(entry.guid, taken[entry.provider, entry.guid], site_code),
        )
        if isinstance(entry, ParsedItem) and (entry.provider, entry.guid) in taken
        else entry
        for entry in entries
    ]


def picture_name(name: str) -> str:
    plain = Path(name.replace("\\", "/")).name
    if not plain or plain.startswith("."):
        raise WireError(f"picture name {name[:100]!r} is not a file name")
    return plain[:200]


def _failed(name: str, error: str) -> Outcome:
    return Outcome(file=name, action=WireAction.FAILED, error=error)
