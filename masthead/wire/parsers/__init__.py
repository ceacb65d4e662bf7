"""Wire parsers, one module per format, chosen from settings.MASTHEAD_WIRE_PARSERS."""

from __future__ import annotations

from functools import cache

from django.conf import settings

from masthead.core.errors import WireError
from masthead.core.plugins import plugin_load
from masthead.core.xml import refuse_entities
from masthead.wire.parsers.base import WireParser


@cache
def parsers() -> dict[str, WireParser]:
    loaded: dict[str, WireParser] = {}
    for config in settings.MASTHEAD_WIRE_PARSERS:
        parser = plugin_load(config, base=WireParser)
        loaded[parser.name] = parser
    return loaded


def parser_for(data: bytes, *, forced: str | None = None) -> WireParser:
    """The parser named by `forced`, else the first whose sniff() recognises the data."""
    available = parsers()
    if forced:
        try:
            return available[forced]
        except KeyError:
            raise WireError(f"unknown format {forced!r} (known: {', '.join(available)})") from None
    for parser in available.values():
        if parser.sniff(data):
            return parser
    # A DTD with entities, padded so its root is past what sniffing reads: say what it is.
    refuse_entities(data)
    raise WireError(f"unknown format (not one of: {', '.join(available)})")
