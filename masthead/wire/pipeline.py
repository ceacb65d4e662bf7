"""Ingest: files in, one outcome per item out. Each item is applied in its own transaction;
a bad file or item fails alone, with one line saying what and where, and the batch goes on.

The parts it ties together live beside it: reading files and their limits (files.py), the
item's language (language.py) and database limits (limits.py), its picture made ready before
the transaction (pictures.py), the wire log (log.py) and the outcomes (outcomes.py)."""

from __future__ import annotations

import itertools
import logging
from collections import Counter
from collections.abc import Iterable, Iterator
from pathlib import Path

from django.db import IntegrityError, transaction
from django.db.models import prefetch_related_objects

from masthead.core.errors import MastheadError, WireError
from masthead.network.routing import routing_table
from masthead.newsroom.events import article_events_batched
from masthead.newsroom.items import ParsedItem
from masthead.newsroom.models import Story
from masthead.newsroom.services.story import (
    stories_create_from_wire,
    stories_unchanged,
    story_apply_wire,
)
from masthead.wire.files import WireFile, read_wire_file, wire_files
from masthead.wire.language import item_language
from masthead.wire.limits import fit_item
from masthead.wire.log import wireitem_build, wireitem_failed
from masthead.wire.models import WireAction, WireItem
from masthead.wire.outcomes import Outcome, outcome_for
from masthead.wire.parsers import parser_for
from masthead.wire.pictures import (
    PreparedPicture,
    picture_download,
    picture_for_item,
    picture_saved,
)

log = logging.getLogger(__name__)

# Files whose changes reach the search index and the page caches together (see
# article_events_batched): big enough to share the work, small enough to show soon.
BATCH_FILES = 100

BULK_ITEMS = 500  # new stories per bulk insert (a news message may carry many)


def ingest_paths(
    paths: Iterable[Path],
    *,
    format: str | None = None,
    source: str = "command",
    language: str = "",
) -> Iterator[Outcome]:
    files = wire_files(paths)
    while chunk := list(itertools.islice(files, BATCH_FILES)):
        batch = [WireFile(path, str(path), path.parent) for path in chunk]
        with article_events_batched():
            per_file = ingest_batch(batch, format=format, source=source, language=language)
        for outcomes in per_file:
            yield from outcomes


def ingest_batch(
    files: list[WireFile],
    *,
    format: str | None = None,
    source: str = "command",
    language: str = "",
) -> list[list[Outcome]]:
    """Every item of these files, one list of outcomes per file, in order.

    The common case, the first news of a story nobody has yet, is applied for many items
    together (`_ingest_new`: a few bulk inserts in one transaction). Everything else (updates,
    kills, pictures, a guid seen twice in the batch) goes one item at a time, each in its own
    transaction, after them, so the result is the same as taking the items in file order."""
    parsed = [_parse_file(f, format=format, source=source, language=language) for f in files]
    return ingest_entries(parsed, files, source=source)


def ingest_entries(
    parsed: list[list[ParsedItem | Outcome]],
    files: list[WireFile],
    *,
    source: str,
    log_unchanged: bool = True,
) -> list[list[Outcome]]:
    """Apply items already parsed (and fitted), one list per file: new stories in bulk, the
    rest one by one (see ingest_batch). A pulled feed comes in here too, as one file."""
    fresh: list[tuple[int, int, ParsedItem]] = []
    seen: Counter[tuple[str, str]] = Counter()
    for f, entries in enumerate(parsed):
        for i, entry in enumerate(entries):
            if isinstance(entry, ParsedItem):
                key = (entry.provider, entry.guid)
                if key not in seen and _bulk_eligible(entry):
                    fresh.append((f, i, entry))
                seen[key] += 1
    done: dict[tuple[int, int], Outcome] = {}
    for start in range(0, len(fresh), BULK_ITEMS):
        done |= _ingest_new(fresh[start : start + BULK_ITEMS], files, source)
    # Items sent again, told in bulk; a story twice in the batch goes in file order below.
    again = [
        (f, i, entry)
        for f, entries in enumerate(parsed)
        for i, entry in enumerate(entries)
        if isinstance(entry, ParsedItem)
        and (f, i) not in done
        and seen[entry.provider, entry.guid] == 1
    ]
    for start in range(0, len(again), BULK_ITEMS):
        done |= _unchanged(again[start : start + BULK_ITEMS], files, source, log_unchanged)
    return [
        [
            entry
            if isinstance(entry, Outcome)
            else done.get((f, i))
            or ingest_item(
                entry,
                base=files[f].base,
                file=files[f].name,
                source=source,
                log_unchanged=log_unchanged,
            )
            for i, entry in enumerate(entries)
        ]
        for f, entries in enumerate(parsed)
    ]


def _parse_file(
    wire_file: WireFile, *, format: str | None, source: str, language: str = ""
) -> list[ParsedItem | Outcome]:
    """The file's items, or the outcome of each that failed (the whole file when unreadable)."""
    name = wire_file.name
    data = b""
    try:
        data = read_wire_file(wire_file.path)
        parser = parser_for(data, forced=format)
        items = parser.parse(data, source=name)
        if not items:
            raise WireError("no news item in the file")
    except MastheadError as exc:
        # The file's bytes are kept with the failure (within the size limit it was read by),
        # so the desk can retry it once the cause is fixed.
        return [wireitem_failed(name, source, str(exc), payload=data)]
    except Exception as exc:  # a parser bug must not stop the batch; say which file
        # One line for the user; the traceback only when debugging the parser.
        log.debug("parser crashed on %s", name, exc_info=True)
        return [
            wireitem_failed(
                name, source, f"could not be parsed ({type(exc).__name__})", payload=data
            )
        ]
    return [fitted(item, name=name, source=source, language=language) for item in items]


def fitted(
    item: ParsedItem | WireError,
    *,
    name: str,
    source: str,
    payload: bytes = b"",
    language: str = "",
) -> ParsedItem | Outcome:
    """What a parser gave, with its language settled (language.py: `language` is the source's)
    and as the database can keep it (limits.py), or its failure logged. Every item passes
    here before it is applied, from files and feeds alike."""
    if isinstance(item, WireError):
        return wireitem_failed(name, source, str(item), payload=payload)
    try:
        return fit_item(item_language(item, source_language=language, known=_route_languages))
    except WireError as exc:
        return wireitem_failed(name, source, str(exc), payload=item.raw.encode(), item=item)


def _route_languages() -> frozenset[str]:
    return frozenset(routing_table().routes)


def _bulk_eligible(item: ParsedItem) -> bool:
    return item.status == "usable" and bool(item.language) and not item.pictures


def _known_stories(items: list[ParsedItem]) -> set[tuple[str, str]]:
    guids = {item.guid for item in items}
    return set(Story.objects.filter(guid__in=guids).values_list("provider", "guid"))


def _ingest_new(
    entries: list[tuple[int, int, ParsedItem]], files: list[WireFile], source: str
) -> dict[tuple[int, int], Outcome]:
    """Create the stories of these items together, those not known yet; {} if that fails,
    and the items then go one by one."""
    known = _known_stories([item for _, _, item in entries])
    entries = [e for e in entries if (e[2].provider, e[2].guid) not in known]
    if len(entries) < 2:
        return {}
    items = [item for _, _, item in entries]
    try:
        with transaction.atomic():
            results = stories_create_from_wire(items=items)
            domains = routing_table().domains
            # The outcomes' URLs name each article's section: one query for all of them.
            prefetch_related_objects([a for r in results for a in r.articles], "section")
            outcomes = {}
            logs = []
            for (f, i, item), result in zip(entries, results, strict=True):
                outcome = outcome_for(item, result, file=files[f].name, domains=domains)
                outcomes[f, i] = outcome
                logs.append(wireitem_build(item, result, outcome, source=source))
            WireItem.objects.bulk_create(logs)
    except Exception as exc:  # a race with another worker, a value the database refuses ...
        # Said once per batch, so a cause that keeps coming back shows in the worker's log.
        log.info("%d new items applied one by one (%s)", len(items), type(exc).__name__)
        log.debug("bulk ingest failed", exc_info=True)
        return {}
    return outcomes


def _unchanged(
    entries: list[tuple[int, int, ParsedItem]],
    files: list[WireFile],
    source: str,
    log: bool,
) -> dict[tuple[int, int], Outcome]:
    """The outcomes of the items that change nothing, found with one read; their wire-log rows
    in one insert."""
    results = stories_unchanged(items=[item for _, _, item in entries])
    domains = routing_table().domains
    outcomes: dict[tuple[int, int], Outcome] = {}
    logs = []
    for (f, i, item), result in zip(entries, results, strict=True):
        if result is None:
            continue
        outcome = outcome_for(item, result, file=files[f].name, domains=domains)
        outcomes[f, i] = outcome
        logs.append(wireitem_build(item, result, outcome, source=source))
    if log and logs:
        WireItem.objects.bulk_create(logs)
    return outcomes


def ingest_item(
    item: ParsedItem, *, base: Path | None, file: str, source: str, log_unchanged: bool = True
) -> Outcome:
    """Apply one item in its own transaction. Two workers racing on the same new story: the
    loser's insert hits the unique (provider, guid) and is retried once, finding the story."""
    # The picture is downloaded, checked and turned into renditions before the transaction:
    # never hold the database while waiting on the network or encoding images.
    remote, remote_note = picture_download(item)
    try:
        prepared = picture_for_item(item, base=base, remote=remote)
        picture_note = remote_note
    except WireError as exc:
        # A broken picture must not hold back the story: it goes out without one.
        prepared, picture_note = PreparedPicture(), "; ".join(filter(None, [remote_note, str(exc)]))
    for attempt in (1, 2):
        try:
            return _ingest_once(
                item,
                file=file,
                source=source,
                log=log_unchanged,
                prepared=prepared,
                picture_note=picture_note,
            )
        except IntegrityError:
            if attempt == 2:
                error = "could not be applied (the same story was being written elsewhere)"
        except MastheadError as exc:
            error = str(exc)
            break
        except Exception as exc:
            log.debug("ingest of %s (%s) crashed", file, item.guid, exc_info=True)
            error = f"could not be applied ({type(exc).__name__})"
            break
    return wireitem_failed(file, source, error, payload=item.raw.encode(), item=item)


def _ingest_once(
    item: ParsedItem,
    *,
    file: str,
    source: str,
    log: bool,
    prepared: PreparedPicture,
    picture_note: str,
) -> Outcome:
    with transaction.atomic():
        picture = picture_saved(prepared)
        result = story_apply_wire(item=item, picture=picture)
        if picture_note:
            result.note = "; ".join(filter(None, [result.note, picture_note]))
        outcome = outcome_for(item, result, file=file, domains=routing_table().domains)
        if prepared.file:
            outcome.pictures.append(prepared.file)
        if result.action == WireAction.UNCHANGED and not log:
            return outcome
        wireitem_build(item, result, outcome, source=source).save()
        return outcome
