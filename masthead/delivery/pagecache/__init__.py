"""The page cache: rendered public pages kept outside Django and served without it.

A hit is answered by a thin WSGI layer (`wsgi.PageCacheApp`) before Django's request stack
runs: one lookup, the body already compressed (gzip and brotli made once when stored). Pages
are stored with their surrogate keys, and a change to an article purges exactly the keys it
touches (`invalidate.py`). Backends, chosen by settings.MASTHEAD_PAGE_CACHE["BACKEND"]: a file
store shared by the processes of one machine (the default), Redis shared by many machines,
and process memory (tests, single process).
"""

from __future__ import annotations

from functools import cache

from django.conf import settings

from masthead.core.plugins import plugin_load
from masthead.delivery.pagecache.base import CachedPage, PageCache

__all__ = ["CachedPage", "PageCache", "page_cache"]


@cache
def page_cache() -> PageCache:
    config = settings.MASTHEAD_PAGE_CACHE
    backend: PageCache = plugin_load(config, base=PageCache)
    return backend
