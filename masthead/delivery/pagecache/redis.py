"""Pages in Redis: shared by every web process on every machine.

Each page is one string key with an expiry (its freshness plus the stale window); each tag a set
of page keys. A purge reads the sets and deletes pages and sets in one round trip each. Redis
bounds the bytes: give it a `maxmemory` with `volatile-lru` (every key here has an expiry; the
worker queue's keys have none and are never evicted), see docs/reliability.md.
"""

from __future__ import annotations

from collections.abc import Iterable

import redis as redis_lib
from django.conf import settings

from masthead.delivery.pagecache.base import CachedPage, PageCache

PREFIX = "masthead:page:"
TAG_PREFIX = "masthead:tag:"
GENERATION = "masthead:page-generation"


class RedisPageCache(PageCache):
    def __init__(self, url: str = "", stale_seconds: float | None = None) -> None:
        self.client = redis_lib.Redis.from_url(url or settings.REDIS_URL)
        self.stale_seconds = (
            settings.MASTHEAD_PAGE_CACHE_STALE_SECONDS if stale_seconds is None else stale_seconds
        )

    def get(self, key: str) -> CachedPage | None:
        page = self.get_stale(key)
        return page if page is not None and page.fresh() else None

    def get_stale(self, key: str) -> CachedPage | None:
        try:
            data = self.client.get(PREFIX + key)
        except redis_lib.RedisError:
            return None  # a cache that is down is a miss, never an error page
        if not data:
            return None
        try:
            page = CachedPage.loads(bytes(data))  # type: ignore[arg-type]
        except ValueError:
            return None
        return page if page.usable_stale(self.stale_seconds) else None

    def set(self, key: str, page: CachedPage) -> None:
        ttl = max(1, int(page.expires_at - page.stored_at + self.stale_seconds))
        try:
            pipe = self.client.pipeline()
            for tag in page.tags:
                pipe.sadd(TAG_PREFIX + tag, key)
                pipe.expire(TAG_PREFIX + tag, 86400 * 7)
            pipe.set(PREFIX + key, page.dumps(), ex=ttl)
            pipe.execute()
        except redis_lib.RedisError:
            return

    def purge(self, tags: Iterable[str]) -> int:
        names = [TAG_PREFIX + tag for tag in tags]
        if not names:
            return 0
        self.local_purges += 1
        pipe = self.client.pipeline()
        pipe.incr(GENERATION)
        for name in names:
            pipe.smembers(name)
        members = pipe.execute()[1:]
        keys = {PREFIX + member.decode() for group in members for member in group}
        pipe = self.client.pipeline()
        if keys:
            pipe.delete(*keys)
        pipe.delete(*names)
        deleted = pipe.execute()
        self.local_purges += 1
        return int(deleted[0]) if keys else 0

    def generation(self) -> str:
        try:
            value = self.client.get(GENERATION)
        except redis_lib.RedisError:
            return "unreachable"  # never equal to a good value: memory copies are not trusted
        return value.decode() if isinstance(value, bytes) else "0"

    def clear(self) -> None:
        self.local_purges += 1
        self.client.incr(GENERATION)
        for pattern in (PREFIX + "*", TAG_PREFIX + "*"):
            for name in self.client.scan_iter(pattern, count=1000):
                self.client.delete(name)
        self.local_purges += 1
