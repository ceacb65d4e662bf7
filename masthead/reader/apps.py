from typing import Any

from django.apps import AppConfig
from django.conf import settings
from django.core.checks import CheckMessage, register

from masthead.core.plugins import plugin_errors


class ReaderConfig(AppConfig):
    name = "masthead.reader"
    label = "reader"
    verbose_name = "Reader site"

    def ready(self) -> None:
        register(check_backends)


def check_backends(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    from masthead.reader.pagecache.base import PageCache
    from masthead.reader.purgers.base import FrontCachePurger
    from masthead.reader.search.base import SearchBackend

    return [
        *plugin_errors("MASTHEAD_PAGE_CACHE", [settings.MASTHEAD_PAGE_CACHE], base=PageCache),
        *plugin_errors("MASTHEAD_SEARCH", [settings.MASTHEAD_SEARCH], base=SearchBackend),
        *plugin_errors(
            "MASTHEAD_FRONT_CACHES",
            list(settings.MASTHEAD_FRONT_CACHES.values()),
            base=FrontCachePurger,
        ),
    ]
