"""The wire parser contract: bytes in, normalised items out, or one clear WireError."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace
from datetime import datetime

from masthead.core.errors import WireError
from masthead.core.html import Block, plain_text
from masthead.core.times import parse_time
from masthead.newsroom.items import ParsedItem
from masthead.wire.limits import cut


class WireParser:
    """Base class for one wire format. Subclasses set `name` and implement two methods."""

    name: str = ""

    def sniff(self, data: bytes) -> bool:
        """True when `data` looks like this format (cheap; reads the first bytes only)."""
        raise NotImplementedError

    def parse(self, data: bytes, *, source: str) -> Sequence[ParsedItem | WireError]:
        """Every item in `data`. Raise WireError, naming what is wrong, for a bad file; a file
        carrying several items (a news message, a feed) returns a WireError in place of each
        broken item, so the good ones still go through."""
        raise NotImplementedError


def optional_time(value: object, *, field: str, notes: list[str]) -> datetime | None:
    """A time the story can do without (embargo, first created ...): a bad value is passed
    over with a note for the wire log, instead of failing the whole item."""
    try:
        return parse_time(value, field=field)
    except WireError as exc:
        notes.append(f"{exc}: ignored")
        return None


def headline_or_fallback(
    headline: str,
    *,
    fallbacks: Sequence[tuple[str, str]],
    body: Sequence[Block],
    notes: list[str],
) -> str:
    """The headline, else the first of `fallbacks` ((field name, text) in the order the format
    gives them: a slugline, a title, a summary), else the first sentence of the body; where
    it came from goes to the wire log. "" only when the item has no text at all."""
    if headline:
        return headline
    for name, text in fallbacks:
        if text:
            notes.append(f"no headline: taken from the {name}")
            return first_sentence(text)
    for block in body:
        text = plain_text(block.html, limit=2000)
        if text:
            notes.append("no headline: taken from the first sentence")
            return first_sentence(text)
    return ""


_SENTENCE_END = re.compile(r"(?<=[.!?…])\s")


def first_sentence(text: str, limit: int = 160) -> str:
    """The first sentence of `text`, cut at a word when longer than `limit`."""
    sentence = _SENTENCE_END.split(text.strip(), maxsplit=1)[0].strip()
    return cut(sentence, limit)


MAX_VERSION = 2**63 - 1


def parse_version(value: object, *, field: str = "version") -> int:
    if value in (None, ""):
        return 1
    try:
        version = int(str(value).strip())
    except ValueError:
        raise WireError(f"{field}: {str(value)[:20]!r} is not a whole number") from None
    # Some agencies number versions by timestamp (20261124091700): 64 bits hold those.
    if version < 0 or version > MAX_VERSION:
        raise WireError(f"{field}: {version} is out of range")
    return version


def with_notes(
    items: Sequence[ParsedItem | WireError], notes: list[str]
) -> list[ParsedItem | WireError]:
    """The items, each carrying what was noted while reading their file (its encoding ...)."""
    return [
        replace(item, notes=(*notes, *item.notes)) if isinstance(item, ParsedItem) else item
        for item in items
    ]
