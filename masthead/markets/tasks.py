"""The worker refreshes quotes every minute (or every MASTHEAD_QUOTE_REFRESH_SECONDS)."""

import logging

from django.conf import settings
from django.utils import timezone
from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from masthead.core.outage import tolerate_outage
from masthead.markets.services import quotes_refresh

log = logging.getLogger(__name__)


@db_periodic_task(crontab(minute="*"))
@tolerate_outage  # an outage is one line, not a traceback a minute
def refresh_quotes() -> int:
    every = max(1, int(settings.MASTHEAD_QUOTE_REFRESH_SECONDS) // 60)
    if timezone.now().minute % every:
        return 0
    result = quotes_refresh()
    if result.errors:
        log.warning("quotes: %s", "; ".join(result.errors))
    return result.recorded
