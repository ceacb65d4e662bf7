"""Background work of the reader: purging the caches in front."""

import logging

from huey.contrib.djhuey import db_task

from masthead.delivery.purgers import PurgeError, front_cache_purgers

log = logging.getLogger(__name__)


@db_task(retries=3, retry_delay=10)
def purge_front_caches(tags: list[str]) -> int:
    failed = None
    for purger in front_cache_purgers():
        try:
            purger.purge(tags)
        except PurgeError as exc:
            log.warning("front cache purge failed: %s", exc)
            failed = exc
    if failed is not None:
        raise failed  # huey retries the whole purge; purging twice is harmless
    return len(tags)
