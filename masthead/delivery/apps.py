from typing import Any

from django.apps import AppConfig
from django.conf import settings
from django.core.checks import CheckMessage, register

from masthead.core.plugins import plugin_errors


class DeliveryConfig(AppConfig):
    name = "masthead.delivery"
    label = "delivery"
    verbose_name = "Delivery (page cache, front caches)"

    def ready(self) -> None:
        register(check_backends)


def check_backends(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    from masthead.delivery.pagecache.base import PageCache
    from masthead.delivery.purgers.base import FrontCachePurger

    return [
        *plugin_errors("MASTHEAD_PAGE_CACHE", [settings.MASTHEAD_PAGE_CACHE], base=PageCache),
        *plugin_errors(
            "MASTHEAD_FRONT_CACHES",
            list(settings.MASTHEAD_FRONT_CACHES.values()),
            base=FrontCachePurger,
        ),
    ]
