"""Functions named in settings, so a lower layer can call into a higher one without importing
it: the network hands its declared sources to the wire, the newsroom tells the search index and
the page caches of changed articles. Each setting is a list of dotted paths."""

from __future__ import annotations

from collections.abc import Callable
from functools import cache
from typing import Any

from django.conf import settings
from django.utils.module_loading import import_string


def hooks(setting: str) -> list[Callable[..., Any]]:
    """The functions the setting names, imported once."""
    return _imported(tuple(getattr(settings, setting, ())))


@cache
def _imported(paths: tuple[str, ...]) -> list[Callable[..., Any]]:
    return [import_string(path) for path in paths]
