"""Pages in this process's memory: for tests and a single-process server."""

from __future__ import annotations

import threading
from collections.abc import Iterable

from django.conf import settings

from masthead.delivery.pagecache.base import CachedPage, PageCache


class MemoryPageCache(PageCache):
    def __init__(self, max_entries: int = 10_000, stale_seconds: float | None = None) -> None:
        self.max_entries = max_entries
        self.stale_seconds = (
            settings.MASTHEAD_PAGE_CACHE_STALE_SECONDS if stale_seconds is None else stale_seconds
        )
        self.pages: dict[str, CachedPage] = {}
        self.tags: dict[str, set[str]] = {}
        self.lock = threading.Lock()
        self.purges = 0

    def get(self, key: str) -> CachedPage | None:
        page = self.pages.get(key)
        return page if page is not None and page.fresh() else None

    def get_stale(self, key: str) -> CachedPage | None:
        page = self.pages.get(key)
        return page if page is not None and page.usable_stale(self.stale_seconds) else None

    def set(self, key: str, page: CachedPage) -> None:
        with self.lock:
            if len(self.pages) >= self.max_entries:
                self.pages.pop(next(iter(self.pages)))  # oldest first: dicts keep order
            self.pages[key] = page
            for tag in page.tags:
                self.tags.setdefault(tag, set()).add(key)

    def purge(self, tags: Iterable[str]) -> int:
        dropped = 0
        with self.lock:
            self.purges += 1
            self.local_purges += 1
            for tag in tags:
                for key in self.tags.pop(tag, set()):
                    dropped += self.pages.pop(key, None) is not None
        return dropped

    def generation(self) -> str:
        return str(self.purges)

    def clear(self) -> None:
        with self.lock:
            self.purges += 1
            self.local_purges += 1
            self.pages.clear()
            self.tags.clear()
