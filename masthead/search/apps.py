from typing import Any

from django.apps import AppConfig
from django.conf import settings
from django.core.checks import CheckMessage, register

from masthead.core.plugins import plugin_errors


class SearchConfig(AppConfig):
    name = "masthead.search"
    # The label the search index had when it lived in the reader app: its tables
    # (reader_searchentry, reader_search_fts) and its migration history are named by it, and
    # keeping it moved the code without touching a database.
    label = "reader"
    verbose_name = "Search"

    def ready(self) -> None:
        register(check_backend)


def check_backend(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    from masthead.search.base import SearchBackend

    return list(plugin_errors("MASTHEAD_SEARCH", [settings.MASTHEAD_SEARCH], base=SearchBackend))
