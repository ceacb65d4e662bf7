"""Ingest: files in, one outcome per item out. Each item is applied in its own transaction;
a bad file or item fails alone, with one line saying what and where, and the batch goes on."""

from __future__ import annotations

import itertools
import logging
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.db import IntegrityError, transaction

from masthead.core.errors import MastheadError, WireError
from masthead.core.http import size_text
from masthead.network.routing import routing_table
from masthead.newsroom.events import article_events_batched
from masthead.newsroom.items import ParsedItem, ParsedPicture
from masthead.newsroom.models import Picture, Story
from masthead.newsroom.services.picture import picture_prepare
from masthead.newsroom.services.story import (
    ApplyResult,
    stories_create_from_wire,
    story_apply_wire,
)
from masthead.wire.language import item_language
from masthead.wire.limits import fit_item
from masthead.wire.models import WireAction, WireItem
from masthead.wire.parsers import parser_for
from masthead.wire.sources.http import picture_fetch

log = logging.getLogger(__name__)
IGNORED_SUFFIXES = {".jpg", ".jpeg", ".png", ".webp", ".gif", ".reason", ".tmp", ".part"}


@dataclass
class Outcome:
    file: str
    action: str
    guid: str = ""
    version: int | None = None
    article_ids: list[int] = field(default_factory=list)
    urls: list[str] = field(default_factory=list)
    error: str = ""
    note: str = ""
    # Picture files read from beside the wire file, so a drop folder can move them with it.
    pictures: list[Path] = field(default_factory=list)

    def as_dict(self) -> dict[str, object]:
        return {
            "file": self.file,
            "guid": self.guid,
            "version": self.version,
            "action": self.action,
            "article_ids": self.article_ids,
            "urls": self.urls,
            "error": self.error or None,
        }

    def line(self) -> str:
        if self.action == WireAction.FAILED:
            return f"{self.file}: failed: {self.error}"
        text = f"{self.file}: {self.action} {self.guid} v{self.version}"
        if self.urls:
            text += " -> " + " ".join(self.urls)
        if self.note:
            text += f" ({self.note})"
        return text


def wire_files(paths: Iterable[Path]) -> Iterator[Path]:
    """The files to ingest: the paths given, folders expanded (sorted, pictures skipped)."""
    for path in paths:
        if path.is_dir():
            for child in sorted(p for p in path.rglob("*") if p.is_file()):
                if child.suffix.lower() not in IGNORED_SUFFIXES and not child.name.startswith("."):
                    yield child
        else:
            yield path


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


@dataclass(frozen=True)
class WireFile:
    path: Path  # where to read it
    name: str  # how outcomes and the wire log name it
    base: Path | None  # where pictures named by a relative path are


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
    seen: set[tuple[str, str]] = set()
    for f, entries in enumerate(parsed):
        for i, entry in enumerate(entries):
            if isinstance(entry, ParsedItem):
                key = (entry.provider, entry.guid)
                if key not in seen and _bulk_eligible(entry):
                    fresh.append((f, i, entry))
                seen.add(key)
    done: dict[tuple[int, int], Outcome] = {}
    for start in range(0, len(fresh), BULK_ITEMS):
        done |= _ingest_new(fresh[start : start + BULK_ITEMS], files, source)
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
    try:
        data = _read(wire_file.path)
        parser = parser_for(data, forced=format)
        items = parser.parse(data, source=name)
        if not items:
            raise WireError("no news item in the file")
    except MastheadError as exc:
        return [failed_outcome(name, source, str(exc), payload=b"")]
    except Exception as exc:  # a parser bug must not stop the batch; say which file
        # One line for the user; the traceback only when debugging the parser.
        log.debug("parser crashed on %s", name, exc_info=True)
        return [
            failed_outcome(name, source, f"could not be parsed ({type(exc).__name__})", payload=b"")
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
        return failed_outcome(name, source, str(item), payload=payload)
    try:
        known = frozenset(routing_table().routes)
        return fit_item(item_language(item, source_language=language, known=known))
    except WireError as exc:
        return failed_outcome(name, source, str(exc), payload=item.raw.encode(), item=item)


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
            outcomes = {}
            logs = []
            for (f, i, item), result in zip(entries, results, strict=True):
                outcome = _outcome(item, result, file=files[f].name, domains=domains)
                outcomes[f, i] = outcome
                logs.append(_wire_log(item, result, outcome, source=source))
            WireItem.objects.bulk_create(logs)
    except Exception as exc:  # a race with another worker, a value the database refuses ...
        # Said once per batch, so a cause that keeps coming back shows in the worker's log.
        log.info("%d new items applied one by one (%s)", len(items), type(exc).__name__)
        log.debug("bulk ingest failed", exc_info=True)
        return {}
    return outcomes


def ingest_item(
    item: ParsedItem, *, base: Path | None, file: str, source: str, log_unchanged: bool = True
) -> Outcome:
    """Apply one item in its own transaction. Two workers racing on the same new story: the
    loser's insert hits the unique (provider, guid) and is retried once, finding the story."""
    # The picture is downloaded, checked and turned into renditions before the transaction:
    # never hold the database while waiting on the network or encoding images.
    remote, remote_note = _download(item)
    try:
        prepared = _prepare_picture(item, base=base, remote=remote)
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
    return failed_outcome(file, source, error, payload=item.raw.encode(), item=item)


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
        picture = _saved_picture(prepared)
        result = story_apply_wire(item=item, picture=picture)
        if picture_note:
            result.note = "; ".join(filter(None, [result.note, picture_note]))
        outcome = _outcome(item, result, file=file, domains=routing_table().domains)
        if prepared.file:
            outcome.pictures.append(prepared.file)
        if result.action == WireAction.UNCHANGED and not log:
            return outcome
        _wire_log(item, result, outcome, source=source).save()
        return outcome


def _outcome(
    item: ParsedItem, result: ApplyResult, *, file: str, domains: dict[int, str]
) -> Outcome:
    return Outcome(
        file=file,
        action=result.action,
        guid=item.guid,
        version=item.version,
        article_ids=[a.pk for a in result.articles],
        urls=[f"//{domains.get(a.site_id, '')}{a.get_absolute_url()}" for a in result.articles],
        note="; ".join(filter(None, [result.note, *item_notes(item)])),
    )


def item_notes(item: ParsedItem) -> list[str]:
    """What the wire log says of how the item was read: where its language came from when the
    file did not say it, and what the parser passed over."""
    notes = list(item.notes)
    if item.language_from and item.language_from != "file":
        notes.insert(0, f"language {item.language} ({item.language_from})")
    return notes


def _wire_log(item: ParsedItem, result: ApplyResult, outcome: Outcome, *, source: str) -> WireItem:
    return WireItem(
        source=source[:200],
        filename=outcome.file[:500],
        format=item.format,
        provider=item.provider,
        guid=item.guid,
        version=item.version,
        action=result.action,
        note=outcome.note[:300],
        story=result.story,
        article_ids=outcome.article_ids,
        payload=item.raw,
    )


def failed_outcome(
    file: str, source: str, error: str, *, payload: bytes, item: ParsedItem | None = None
) -> Outcome:
    WireItem.objects.create(
        source=source[:200],
        filename=file[:500],
        format=item.format[:32] if item else "",
        provider=item.provider[:64] if item else "",
        guid=item.guid[:500] if item else "",
        version=item.version if item else None,
        action=WireAction.FAILED,
        error=error,
        payload=payload.decode("utf-8", "replace")[:5_000_000],
    )
    return Outcome(
        file=file,
        action=WireAction.FAILED,
        guid=item.guid if item else "",
        version=item.version if item else None,
        error=error,
    )


def _read(path: Path) -> bytes:
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise WireError(f"cannot read: {exc.strerror}") from None
    limit = settings.MASTHEAD_WIRE_MAX_BYTES
    if size > limit:
        raise WireError(f"file is {size_text(size)}, over the {size_text(limit)} limit")
    if size == 0:
        raise WireError("empty file")
    try:
        return path.read_bytes()
    except OSError as exc:
        raise WireError(f"cannot read: {exc.strerror}") from None


@dataclass
class PreparedPicture:
    """A story's picture as ingest has it before its transaction: one already stored, or a
    new one with its files written and not yet saved; `file` is the picture file read from
    beside the wire file (a drop folder moves it along)."""

    picture: Picture | None = None
    file: Path | None = None


def _prepare_picture(
    item: ParsedItem, *, base: Path | None, remote: bytes | None
) -> PreparedPicture:
    if not item.pictures:
        return PreparedPicture()
    parsed = item.pictures[0]
    rendition = parsed.best_rendition()
    if rendition is None:
        return PreparedPicture()
    href = rendition.href
    if _is_remote(href):
        guid = parsed.guid or href[:500]
        existing = Picture.objects.filter(guid=guid).first()
        if existing is not None or remote is None:
            return PreparedPicture(existing)
        return PreparedPicture(_picture(parsed, remote, name=_url_name(href), guid=guid))
    if base is None:
        raise WireError(f"picture {href}: relative path with no folder to read it from")
    target = (base / href).resolve()
    if not target.is_relative_to(base.resolve()):
        raise WireError(f"picture {href}: path leaves the wire file's folder")
    try:
        data = target.read_bytes()
    except OSError:
        raise WireError(f"picture {href}: not found beside the wire file") from None
    existing = Picture.objects.filter(guid=parsed.guid).first() if parsed.guid else None
    if existing is not None:
        return PreparedPicture(existing, target)
    return PreparedPicture(_picture(parsed, data, name=target.name, guid=parsed.guid), target)


def _picture(parsed: ParsedPicture, data: bytes, *, name: str, guid: str) -> Picture:
    return picture_prepare(
        data=data,
        name=name,
        guid=guid,
        caption=parsed.caption,
        credit=parsed.credit,
        alt=parsed.alt,
    )


def _saved_picture(prepared: PreparedPicture) -> Picture | None:
    """The prepared picture in the database (inside the item's transaction): the one another
    worker stored meanwhile under the same guid, else this one."""
    picture = prepared.picture
    if picture is None or picture.pk is not None:
        return picture
    if picture.guid:
        existing = Picture.objects.filter(guid=picture.guid).first()
        if existing is not None:
            return existing
    picture.save()
    return picture


def _is_remote(href: str) -> bool:
    return "://" in href or href.startswith("//")


def _url_name(url: str) -> str:
    return (url.split("?", 1)[0].rstrip("/").rsplit("/", 1)[-1] or "picture.jpg")[:100]


def _download(item: ParsedItem) -> tuple[bytes | None, str]:
    """The bytes of the item's remote picture, when it has one not yet stored."""
    if not item.pictures or not settings.MASTHEAD_WIRE_FETCH_PICTURES:
        return None, ""
    parsed = item.pictures[0]
    rendition = parsed.best_rendition()
    if rendition is None or not _is_remote(rendition.href):
        return None, ""
    url = "https:" + rendition.href if rendition.href.startswith("//") else rendition.href
    if Picture.objects.filter(guid=parsed.guid or url[:500]).exists():
        return None, ""
    try:
        data = picture_fetch(
            url=url,
            timeout=settings.MASTHEAD_WIRE_FETCH_TIMEOUT,
            max_bytes=settings.MASTHEAD_WIRE_PICTURE_MAX_BYTES,
            public_only=not settings.MASTHEAD_WIRE_FETCH_PRIVATE,
        )
    except MastheadError as exc:  # FetchError, or WireError for what came back
        return None, str(exc)  # the story goes out without its picture, and says why
    return data, ""
