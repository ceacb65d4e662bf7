"""Market data providers, one module per source behind QuoteProvider; chosen per kind (stocks,
currencies) by settings.MASTHEAD_MARKET_PROVIDERS, each a BACKEND path with OPTIONS."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.utils.module_loading import import_string

from masthead.markets.providers.base import ProviderError, QuoteProvider, Reading

__all__ = ["ProviderError", "QuoteProvider", "Reading", "providers_for"]


def providers_for(kind: str) -> list[QuoteProvider]:
    """The providers configured for `stocks` or `currencies`, first one first."""
    configured: dict[str, Any] = settings.MASTHEAD_MARKET_PROVIDERS
    configs = configured.get(kind, [])
    if isinstance(configs, dict):
        configs = [configs]
    return [import_string(c["BACKEND"])(**c.get("OPTIONS", {})) for c in configs]
