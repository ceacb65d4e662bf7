from typing import Any

from django.apps import AppConfig
from django.conf import settings
from django.core.checks import CheckMessage, register

from masthead.core.plugins import plugin_errors


class MarketsConfig(AppConfig):
    name = "masthead.markets"
    label = "markets"
    verbose_name = "Markets"

    def ready(self) -> None:
        register(check_providers)


def check_providers(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    from masthead.markets.providers.base import QuoteProvider

    errors: list[CheckMessage] = []
    configured: dict[str, Any] = settings.MASTHEAD_MARKET_PROVIDERS
    for kind, configs in configured.items():
        listed: list[Any] = [configs] if isinstance(configs, dict) else list(configs)
        setting = f"MASTHEAD_MARKET_PROVIDERS[{kind!r}]"
        errors += plugin_errors(setting, listed, base=QuoteProvider)
    return errors
