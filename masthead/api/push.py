"""Push ingest: a wire file POSTed to /api/v1/wire, through the same pipeline as a file on
disk, with the same outcomes as `masthead ingest --json`.

A file nothing can be read from (an unknown format, broken XML, no item, every item refused)
stores nothing, not even the wire log's failed row a dropped file gets: the pusher has the
file and the answer (422) says why, so there is nothing for the desk to retry. A file with
some good items is ingested; its bad items fail alone, logged as usual.
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


@dataclass
class PushAnswer:
    outcomes: list[Outcome]
    stored: bool  # False: the file was refused whole, and nothing was kept


def wire_push(
    *,
    data: bytes,
    name: str,
    source: str,
    site_code: str,
    pictures: Iterable[UploadedFile] = (),
) -> PushAnswer:
    """Ingest one pushed file for the site whose token pushed it: its items go to that site's
    sections only, and may not change a story other sites carry (ParsedItem.only_site)."""
    try:
        if not data:
            raise WireError("empty file")
        items = [
            item if isinstance(item, WireError) else replace(item, only_site=site_code)
            for item in parser_for(data).parse(data, source=name)
        ]
        if not items:
            raise WireError("no news item in the file")
    except MastheadError as exc:
        return PushAnswer([_failed(name, str(exc))], stored=False)
    except Exception as exc:  # a parser's bug: say which file, as the pipeline does
        return PushAnswer([_failed(name, f"could not be parsed ({type(exc).__name__})")], False)
    # Stories other sites carry are refused before anything is written (the story service
    # checks again, for a story another site took meanwhile).
    taken = stories_on_other_sites(
        keys={(i.provider, i.guid) for i in items if isinstance(i, ParsedItem)},
        site_code=site_code,
    )
    refused: dict[int, Outcome] = {}
    for n, item in enumerate(items):
        if isinstance(item, ParsedItem) and (item.provider, item.guid) in taken:
            error = other_sites_error(item.guid, taken[item.provider, item.guid], site_code)
            refused[n] = Outcome(
                file=name,
                guid=item.guid,
                version=item.version,
                action=WireAction.FAILED,
                error=error,
            )
    with transaction.atomic():
        # Fitting an item logs its failure; when none is left, that is undone with the rest.
        entries = [
            refused.get(n) or fitted(item, name=name, source=source) for n, item in enumerate(items)
        ]
        if not any(isinstance(entry, ParsedItem) for entry in entries):
            transaction.set_rollback(True)
            return PushAnswer([e for e in entries if isinstance(e, Outcome)], stored=False)
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


def picture_name(name: str) -> str:
    plain = Path(name.replace("\\", "/")).name
    if not plain or plain.startswith("."):
        raise WireError(f"picture name {name[:100]!r} is not a file name")
    return plain[:200]


def _failed(name: str, error: str) -> Outcome:
    return Outcome(file=name, action=WireAction.FAILED, error=error)
