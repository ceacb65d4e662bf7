"""Purging a cache or CDN in front of Masthead, by surrogate key, after content changes.

Pluggable like the rest: settings.MASTHEAD_FRONT_CACHES names each front cache with a BACKEND
class path and its OPTIONS; every configured one is told the tags a change touched.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings

from masthead.core.plugins import plugin_load
from masthead.delivery.purgers.base import FrontCachePurger, PurgeError

__all__ = ["FrontCachePurger", "PurgeError", "front_cache_purgers"]


def front_cache_purgers() -> list[FrontCachePurger]:
    configured: dict[str, dict[str, Any]] = settings.MASTHEAD_FRONT_CACHES
    return [plugin_load(config, base=FrontCachePurger) for config in configured.values()]
