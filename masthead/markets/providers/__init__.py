"""Market data providers, one module per source behind QuoteProvider; chosen per kind (stocks,
currencies) by settings.MASTHEAD_MARKET_PROVIDERS, each a BACKEND path with OPTIONS."""

from __future__ import annotations

from typing import Any

from django.conf import settings

from masthead.core.plugins import plugin_load
from masthead.markets.providers.base import ProviderError, QuoteProvider, Reading

__all__ = ["ProviderError", "QuoteProvider", "Reading", "providers_for"]


def providers_for(kind: str) -> list[QuoteProvider]:
    """The providers configured for `stocks` or `currencies`, first one first."""
    configured: dict[str, Any] = settings.MASTHEAD_MARKET_PROVIDERS
    configs = configured.get(kind, [])
    if isinstance(configs, dict):
        configs = [configs]
    return [plugin_load(c, base=QuoteProvider) for c in configs]
