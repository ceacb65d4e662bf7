"""Background tasks of the wire, run by `masthead worker`."""

import logging

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from masthead.core.outage import tolerate_outage
from masthead.wire.alerts import source_idle_record
from masthead.wire.health import sources_health
from masthead.wire.models import SourceKind
from masthead.wire.services import source_claim, source_poll, sources_due

log = logging.getLogger(__name__)


@db_periodic_task(crontab(minute="*"))
@tolerate_outage  # an outage is one line, not a traceback a minute
def poll_feeds() -> int:
    """Pull the feeds whose interval has passed. With several workers, each feed is claimed
    by one of them per round, so it is never fetched twice at once."""
    items = 0
    for source in sources_due(kind=SourceKind.FEED):
        if not source_claim(source=source):
            continue
        result = source_poll(source=source)
        items += len(result.outcomes)
        if result.error:
            log.warning("feed %s: %s", source.name, result.error)
    return items


_warned: set[int] = set()


@db_periodic_task(crontab(minute="*"))
@tolerate_outage
def warn_idle_sources() -> int:
    """A source silent for longer than its idle_alert: one warning when it falls silent (not
    one a minute), and one line when it delivers again; one audit row per silence
    (wire/alerts.py: kept in the database, so several workers or a restart write no more)."""
    silent = 0
    for health in sources_health():
        key = health.source.pk
        if health.silent_for is not None:
            silent += 1
            source_idle_record(health=health)
            if key not in _warned:
                _warned.add(key)
                minutes = int(health.silent_for.total_seconds() // 60)
                log.warning("source %s: no item for %d min", health.source.name, minutes)
        elif key in _warned:
            _warned.discard(key)
            log.info("source %s: delivering again", health.source.name)
    return silent
