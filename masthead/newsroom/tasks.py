"""Background tasks of the newsroom, run by `masthead worker`."""

import logging

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from masthead.core.outage import tolerate_outage
from masthead.newsroom.services.article import articles_release_scheduled
from masthead.newsroom.services.breaking import stories_breaking_expire
from masthead.newsroom.services.story import story_release_embargoes

log = logging.getLogger(__name__)


@db_periodic_task(crontab(minute="*"))
@tolerate_outage  # an outage is one line, not a traceback a minute
def release_embargoes() -> int:
    released = story_release_embargoes()
    if released:
        log.info("embargo lifted on %d article(s)", len(released))
    return len(released)


@db_periodic_task(crontab(minute="*"))
@tolerate_outage
def release_scheduled() -> int:
    changed = articles_release_scheduled()
    if changed:
        log.info("schedule carried out on %d article(s)", len(changed))
    return len(changed)


@db_periodic_task(crontab(minute="*"))
@tolerate_outage
def expire_breaking() -> int:
    # Readers stop seeing a strip at its time whatever this does (the page asks for a live
    # one, caches keep it no longer): this purges the pages that showed it.
    ended = stories_breaking_expire()
    if ended:
        log.info("breaking news ended on %d story(ies)", len(ended))
    return len(ended)
