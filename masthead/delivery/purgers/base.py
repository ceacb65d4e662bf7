"""The purger contract: tags in; a PurgeError naming the cache when it cannot be told."""

from __future__ import annotations

from masthead.core.errors import MastheadError


class PurgeError(MastheadError):
    pass


class FrontCachePurger:
    name = ""

    def purge(self, tags: list[str]) -> None:
        raise NotImplementedError
