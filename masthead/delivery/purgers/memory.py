"""A front cache that only remembers what it was told: for tests and for watching purges."""

from __future__ import annotations

from masthead.delivery.purgers.base import FrontCachePurger

PURGED: list[list[str]] = []


class MemoryPurger(FrontCachePurger):
    name = "memory"

    def purge(self, tags: list[str]) -> None:
        PURGED.append(list(tags))
