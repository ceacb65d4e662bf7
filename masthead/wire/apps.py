from typing import Any

from django.apps import AppConfig
from django.conf import settings
from django.core.checks import CheckMessage, register

from masthead.core.plugins import plugin_errors


class WireConfig(AppConfig):
    name = "masthead.wire"
    label = "wire"
    verbose_name = "Wire"

    def ready(self) -> None:
        register(check_parsers)


def check_parsers(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    from masthead.wire.parsers.base import WireParser

    return list(
        plugin_errors("MASTHEAD_WIRE_PARSERS", settings.MASTHEAD_WIRE_PARSERS, base=WireParser)
    )
