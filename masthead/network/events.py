"""After a change to the network (sites, domains, sections, routes) is committed, every
process must see it at once: web processes keep the site for a host name, its sections and
the routing table in memory for seconds (core/memo.py), and pages in the page cache.

The change is told two ways, both after commit:
- a generation stamp that every process compares at the start of each request and of each
  routing decision: a file in the data folder (one `stat`, shared by the processes of one
  machine) and, when the cache is shared (Redis), a cache key read at most once a second;
- the listeners named in settings.MASTHEAD_NETWORK_LISTENERS, in this process (purging the
  changed sites' cached pages, which every process then misses).
"""

from __future__ import annotations

import logging
import os
import time
import uuid
from functools import cache
from pathlib import Path

from django.conf import settings
from django.core.cache import cache as django_cache
from django.db import transaction

from masthead.core import memo
from masthead.core.hooks import hooks

log = logging.getLogger(__name__)

CACHE_KEY = "masthead:network-generation"
SHARED_CHECK_SECONDS = 1.0


def _stamp_path() -> Path:
    return Path(_stamp_file(str(settings.DATA_DIR)))


@cache
def _stamp_file(data_dir: str) -> str:
    # A string, made once: this is looked at for every request and every routed item, and
    # building the path each time cost more than the stat.
    return os.path.join(data_dir, "network-generation")


def network_changed(*, site_codes: list[str]) -> None:
    """Tell every process, once the current transaction commits, that these sites changed."""
    codes = sorted(set(site_codes))

    def committed() -> None:
        token = uuid.uuid4().hex
        path = _stamp_path()
        temporary = path.with_suffix(".tmp-" + token)
        temporary.write_text(token)
        os.replace(temporary, path)  # a new inode: readers see the change by stat alone
        if _cache_is_shared():
            django_cache.set(CACHE_KEY, token, timeout=None)
        for listener in hooks("MASTHEAD_NETWORK_LISTENERS"):
            try:
                listener(site_codes=codes)
            except Exception:
                log.exception("network listener %s failed for %s", listener.__name__, codes)

    transaction.on_commit(committed)


_shared_seen: tuple[float, object] = (0.0, None)


def network_generation() -> tuple[object, ...]:
    """Something that changes whenever the network changed, cheap enough for every request."""
    global _shared_seen
    try:
        stat = os.stat(_stamp_file(str(settings.DATA_DIR)))
        local: tuple[int, int] = (stat.st_ino, stat.st_mtime_ns)
    except FileNotFoundError:
        local = (0, 0)
    if not _cache_is_shared():
        return local
    now = time.monotonic()
    checked, value = _shared_seen
    if now - checked >= SHARED_CHECK_SECONDS:
        try:
            value = django_cache.get(CACHE_KEY)
        except Exception:  # a cache outage must not take pages down; the file still counts
            value = None
        _shared_seen = (now, value)
    return (*local, value)


@cache
def _cache_is_shared() -> bool:
    backend = settings.CACHES["default"]["BACKEND"]
    return "locmem" not in backend and "dummy" not in backend


_generation: list[object] = [None]


def forget_if_network_changed() -> None:
    """Drop what this process remembers (core/memo.py) when another process changed the
    network since we last looked; called at the start of each request and routing decision."""
    current = network_generation()
    if current != _generation[0]:
        memo.forget_all()
        _generation[0] = current
