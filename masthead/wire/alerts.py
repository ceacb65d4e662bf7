"""Sources failing and falling silent, kept in the newsroom's audit log as the network's rows
(no article, story or site: the audit list shows them to site admins and superusers).

One row when a source starts failing or its error changes, not one per poll (a drop folder is
polled every two seconds); one row per silence longer than its idle_alert, however many
workers look and however often they restart (the row already written for this silence is
what says so).
"""

from __future__ import annotations

from django.db import transaction

from masthead.newsroom.models import AuditEntry
from masthead.newsroom.services.audit import audit_record
from masthead.wire.health import SourceHealth
from masthead.wire.models import Source

FAILED = "source failed"
IDLE = "source idle"


def source_failure_record(*, source: Source, error: str, previous: str, actor: str) -> bool:
    """An audit row for a poll that failed with `error`, unless the source was already
    failing with it (`previous`, its last_error before this poll). True when written."""
    if not error or error == previous:
        return False
    audit_record(actor=actor, action=FAILED, detail=f"source {source.name}: {error}")
    return True


@transaction.atomic
def source_idle_record(*, health: SourceHealth) -> bool:
    """An audit row for a source silent for longer than its idle_alert, once per silence.
    True when written."""
    if health.silent_for is None:
        return False
    source = Source.objects.select_for_update().get(pk=health.source.pk)  # workers take turns
    # The silence began with the last item (or the source's declaration): a row since then
    # is this silence's.
    since = health.last_item_at or source.created_at
    prefix = f"source {source.name}:"
    if AuditEntry.objects.filter(action=IDLE, at__gte=since, detail__startswith=prefix).exists():
        return False
    minutes = int(health.silent_for.total_seconds() // 60)
    audit_record(
        actor="worker",
        action=IDLE,
        detail=f"{prefix} no item for {minutes} min (alert after {_duration(source.idle_alert)})",
    )
    return True


def _duration(seconds: int | None) -> str:
    seconds = seconds or 0
    for unit, size in (("d", 86400), ("h", 3600), ("m", 60)):
        if seconds >= size and seconds % size == 0:
            return f"{seconds // size}{unit}"
    return f"{seconds}s"
