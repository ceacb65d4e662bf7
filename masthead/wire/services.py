"""Polling the wire sources declared in the network file."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path

from django.conf import settings
from django.utils import timezone

from masthead.core.errors import MastheadError
from masthead.newsroom.events import article_events_batched
from masthead.wire.alerts import source_failure_record
from masthead.wire.files import WireFile
from masthead.wire.models import Source, SourceKind, WireAction
from masthead.wire.outcomes import Outcome
from masthead.wire.parsers import parser_for
from masthead.wire.pipeline import fitted, ingest_entries
from masthead.wire.sources.folder import folder_poll, folder_root
from masthead.wire.sources.http import feed_fetch

log = logging.getLogger(__name__)


@dataclass
class PollResult:
    source: str
    outcomes: list[Outcome] = field(default_factory=list)
    error: str = ""
    not_modified: bool = False

    @property
    def failed(self) -> int:
        return sum(o.action == WireAction.FAILED for o in self.outcomes)


def source_poll(
    *, source: Source, now: datetime | None = None, actor: str = "worker"
) -> PollResult:
    """Take in what the source has now. Errors are kept on the source, never raised; a new
    one goes to the audit log under `actor` (who polled: the worker, or an editor)."""
    now = now or timezone.now()
    result = PollResult(source.name)
    previous = source.last_error
    try:
        if source.kind == SourceKind.FOLDER:
            polled = folder_poll(
                root=folder_root(source.location),
                source=source.name,
                format=source.format or None,
                language=source.language,
            )
            result.outcomes = polled.outcomes
        else:
            _poll_feed(source, result)
    except (MastheadError, OSError) as exc:
        result.error = str(exc)
        log.warning("source %s: %s", source.name, exc)
    source.polled_at = now
    source.last_error = result.error
    source.save(update_fields=["polled_at", "last_error", "etag", "last_modified"])
    source_failure_record(source=source, error=result.error, previous=previous, actor=actor)
    return result


def _poll_feed(source: Source, result: PollResult) -> None:
    fetched = feed_fetch(
        url=source.location,
        etag=source.etag,
        modified=source.last_modified,
        timeout=settings.MASTHEAD_WIRE_FETCH_TIMEOUT,
        max_bytes=settings.MASTHEAD_WIRE_MAX_BYTES,
        # A feed URL is held to public addresses like a picture's, unless the operator opts in.
        public_only=not settings.MASTHEAD_WIRE_FETCH_PRIVATE,
    )
    if fetched.status == 304:
        result.not_modified = True
        return
    parser = parser_for(fetched.body, forced=source.format or None)
    entries = [
        fitted(
            parsed,
            name=source.location,
            source=source.name,
            payload=fetched.body[:100_000],
            language=source.language,
        )
        for parsed in parser.parse(fetched.body, source=source.location)
    ]
    # The same path as a drop folder's batch: new stories in bulk, the search index and the
    # caches told once for the whole pull. An entry seen at every pull is not logged again
    # when nothing changed.
    with article_events_batched():
        (outcomes,) = ingest_entries(
            [entries],
            [WireFile(Path(source.location), source.location, None)],
            source=source.name,
            log_unchanged=False,
        )
    result.outcomes.extend(outcomes)
    # Kept only once the items are in: a crash before this line refetches the feed next time.
    source.etag = fetched.etag
    source.last_modified = fetched.modified


def source_claim(*, source: Source, now: datetime | None = None) -> bool:
    """Take this round of a feed: an update that only succeeds if no other worker moved
    `polled_at` since we read it (compare and set, fine on SQLite and PostgreSQL)."""
    now = now or timezone.now()
    claimed = Source.objects.filter(pk=source.pk, polled_at=source.polled_at).update(polled_at=now)
    if claimed:
        source.polled_at = now
    return bool(claimed)


def sources_due(*, now: datetime | None = None, kind: str | None = None) -> list[Source]:
    """Enabled sources whose interval has passed (folders are always due)."""
    now = now or timezone.now()
    due = []
    for source in Source.objects.filter(enabled=True):
        if kind and source.kind != kind:
            continue
        if (
            source.kind == SourceKind.FOLDER
            or source.polled_at is None
            or source.polled_at + timedelta(seconds=source.interval) <= now
        ):
            due.append(source)
    return due
