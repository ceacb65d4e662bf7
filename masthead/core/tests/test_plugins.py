"""Every pluggable family is written and loaded one way, and a bad path is one line at start-up."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.core.management.base import SystemCheckError

from masthead.core.plugins import plugin_errors, plugin_load
from masthead.delivery.pagecache.base import PageCache
from masthead.delivery.purgers.base import FrontCachePurger
from masthead.delivery.purgers.memory import MemoryPurger


def test_a_backend_is_made_with_its_options() -> None:
    purger = plugin_load(
        {"BACKEND": "masthead.delivery.purgers.memory.MemoryPurger"}, base=FrontCachePurger
    )
    assert isinstance(purger, MemoryPurger)


def test_a_class_of_the_wrong_family_is_refused() -> None:
    with pytest.raises(TypeError, match="is not a PageCache"):
        plugin_load({"BACKEND": "masthead.delivery.purgers.memory.MemoryPurger"}, base=PageCache)


@pytest.mark.parametrize(
    ("config", "message"),
    [
        ({"BACKEND": "masthead.delivery.purgers.nowhere.Purger"}, "cannot be imported"),
        ({"BACKEND": "masthead.delivery.pagecache.base.PageCache"}, "is not a FrontCachePurger"),
        ({"BACKEND": "masthead.delivery.purgers.memory.MemoryPurger", "OPTIONS": []}, "OPTIONS"),
        ("masthead.delivery.purgers.memory.MemoryPurger", "expected {'BACKEND'"),
    ],
)
def test_each_mistake_is_one_line_naming_the_setting(config, message) -> None:
    (error,) = plugin_errors("MASTHEAD_FRONT_CACHES", [config], base=FrontCachePurger)
    assert error.msg.startswith("MASTHEAD_FRONT_CACHES[0]: ") and message in error.msg
    assert error.id == "masthead.E001"


@pytest.mark.parametrize(
    ("setting", "value"),
    [
        ("MASTHEAD_WIRE_PARSERS", [{"BACKEND": "masthead.wire.parsers.ninjs.NinjsParserr"}]),
        ("MASTHEAD_MARKET_PROVIDERS", {"stocks": [{"BACKEND": "masthead.markets.x.Y"}]}),
        ("MASTHEAD_PAGE_CACHE", {"BACKEND": "masthead.delivery.pagecache.file.Nope"}),
        ("MASTHEAD_SEARCH", {"BACKEND": "masthead.search.sqlite.SqliteSearchh"}),
        ("MASTHEAD_FRONT_CACHES", {"x": {"BACKEND": "masthead.delivery.purgers.nope.P"}}),
    ],
)
def test_the_start_up_check_names_a_bad_path_in_every_family(setting, value, settings) -> None:
    setattr(settings, setting, value)
    with pytest.raises(SystemCheckError, match=setting.replace("[", r"\[")):
        call_command("check")
