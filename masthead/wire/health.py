"""Source health: when each source last delivered, how much in the last day, how much of it
failed, and whether it has been silent for longer than its `idle_alert`."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db.models import Count, Max, Q
from django.utils import timezone

from masthead.wire.models import Source, WireAction, WireItem

DAY = timedelta(hours=24)


@dataclass(frozen=True)
class SourceHealth:
    source: Source
    last_item_at: datetime | None
    items_24h: int
    failed_24h: int
    silent_for: timedelta | None  # set when over the source's idle_alert

    @property
    def silent(self) -> bool:
        return self.silent_for is not None


def sources_health(*, now: datetime | None = None) -> list[SourceHealth]:
    """Every source's health, from the wire log in two queries."""
    now = now or timezone.now()
    last = dict(
        WireItem.objects.values("source")
        .annotate(at=Max("received_at"))
        .values_list("source", "at")
    )
    counts = {
        row["source"]: (row["items"], row["failed"])
        for row in WireItem.objects.filter(received_at__gte=now - DAY)
        .values("source")
        .annotate(items=Count("id"), failed=Count("id", filter=Q(action=WireAction.FAILED)))
    }
    health = []
    for source in Source.objects.order_by("name"):
        last_at = last.get(source.name)
        # Silence is counted from the last item, or from when the source was last set up.
        since = last_at or source.created_at
        silent = None
        if (
            source.enabled
            and source.idle_alert
            and now - since > timedelta(seconds=source.idle_alert)
        ):
            silent = now - since
        items, failed = counts.get(source.name, (0, 0))
        health.append(SourceHealth(source, last_at, items, failed, silent))
    return health
