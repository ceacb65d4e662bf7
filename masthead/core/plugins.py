"""One way to plug in a backend: `{"BACKEND": "dotted.path.Class", "OPTIONS": {...}}` in the
settings, as Django's CACHES and Wagtail's frontend caches are written. Wire parsers, market
providers, front-cache purgers, the page cache and the search backend are all loaded here, and
each app checks its own at start-up (`masthead check`, run by every command), so a typo in a
path is one line naming the setting, not a traceback inside the worker an hour later.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from django.core.checks import Error
from django.utils.module_loading import import_string

Config = Mapping[str, Any]


def plugin_load(config: Config, *, base: type | None = None) -> Any:
    """An instance of the configured class, made with its OPTIONS."""
    cls = import_string(config["BACKEND"])
    if base is not None and not (isinstance(cls, type) and issubclass(cls, base)):
        raise TypeError(f"{config['BACKEND']} is not a {base.__name__}")
    return cls(**config.get("OPTIONS", {}))


def plugin_errors(setting: str, configs: Iterable[Config], *, base: type) -> list[Error]:
    """One Error per configuration that does not name an importable `base` subclass, or whose
    OPTIONS are not a table."""
    errors = []
    for number, config in enumerate(configs):
        where = f"{setting}[{number}]"
        if not isinstance(config, Mapping) or not isinstance(config.get("BACKEND"), str):
            errors.append(_error(f"{where}: expected {{'BACKEND': 'dotted.path', ...}}"))
            continue
        path = config["BACKEND"]
        try:
            cls = import_string(path)
        except ImportError as exc:
            errors.append(_error(f"{where}: BACKEND {path!r} cannot be imported ({exc})"))
            continue
        if not (isinstance(cls, type) and issubclass(cls, base)):
            errors.append(_error(f"{where}: BACKEND {path!r} is not a {base.__name__}"))
        if not isinstance(config.get("OPTIONS", {}), Mapping):
            errors.append(_error(f"{where}: OPTIONS must be a table of keyword arguments"))
    return errors


def _error(message: str) -> Error:
    return Error(message, hint="Fix the path in the settings.", id="masthead.E001")
