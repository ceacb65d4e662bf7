"""Source health: when each source last delivered, how much in the last day, how much of it
failed, and whether it has been silent for longer than its `idle_alert`.

Worked out in the database, one row per source (subqueries on the wire log's (source,
received_at) index): the wire log grows by hundreds of rows a day, and this is read on the
admin's home page and by the worker every minute.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db.models import Count, IntegerField, OuterRef, QuerySet, Subquery
from django.db.models.functions import Coalesce
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


def sources_with_health(*, now: datetime) -> QuerySet[Source]:
    """Sources annotated with last_item_at, items_24h and failed_24h."""
    log = WireItem.objects.filter(source=OuterRef("name"))
    day = log.filter(received_at__gte=now - DAY)

    def count(items: QuerySet[WireItem]) -> Coalesce:
        counted = items.order_by().values("source").annotate(n=Count("id")).values("n")
        return Coalesce(Subquery(counted, output_field=IntegerField()), 0)

    return Source.objects.annotate(
        last_item_at=Subquery(log.order_by("-received_at").values("received_at")[:1]),
        items_24h=count(day),
        failed_24h=count(day.filter(action=WireAction.FAILED)),
    )


def health_of(source: Source, *, now: datetime) -> SourceHealth:
    """The health of a source from sources_with_health()."""
    last_at: datetime | None = getattr(source, "last_item_at", None)
    # Silence is counted from the last item, or from when the source was declared.
    since = last_at or source.created_at
    silent = None
    idle = source.idle_alert
    if source.enabled and idle and now - since > timedelta(seconds=idle):
        silent = now - since
    return SourceHealth(
        source,
        last_at,
        getattr(source, "items_24h", 0),
        getattr(source, "failed_24h", 0),
        silent,
    )


def sources_health(*, now: datetime | None = None) -> list[SourceHealth]:
    """Every source's health, in one query."""
    now = now or timezone.now()
    return [health_of(s, now=now) for s in sources_with_health(now=now).order_by("name")]
