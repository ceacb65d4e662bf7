"""Background tasks of the wire, run by `masthead worker`."""

import logging

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from masthead.core.outage import tolerate_outage
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
