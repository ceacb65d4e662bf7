"""Background tasks of the webhooks, run by `masthead worker`."""

import logging

from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from masthead.core.outage import tolerate_outage
from masthead.webhooks.services import deliveries_prune, deliveries_send

log = logging.getLogger(__name__)


@db_periodic_task(crontab(minute="*"))
@tolerate_outage
def send_webhooks() -> int:
    """Retries whose time has come, and anything the prompt task below missed."""
    return deliveries_send()


@db_task()
def send_webhooks_now() -> int:
    """Queued by the article listener so new events leave within seconds, not a minute."""
    return deliveries_send()


@db_periodic_task(crontab(hour="3", minute="40"))
@tolerate_outage
def prune_webhook_deliveries() -> int:
    """Once a day: the sent and given-up deliveries older than MASTHEAD_WEBHOOKS_KEEP_DAYS."""
    return deliveries_prune()
