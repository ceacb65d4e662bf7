"""The wire parser contract: bytes in, normalised items out, or one clear WireError."""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import UTC, datetime

from django.utils.dateparse import parse_datetime

from masthead.core.errors import WireError
from masthead.wire.items import Block, ParsedItem
from masthead.wire.limits import cut
from masthead.wire.sanitize import plain_text


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


def parse_time(value: object, *, field: str) -> datetime | None:
    """An ISO 8601 time as an aware datetime (UTC when the text carries no offset)."""
    if value in (None, ""):
        return None
    if not isinstance(value, str):
        raise WireError(f"{field}: expected a date-time text, got {type(value).__name__}")
    text = value.strip()
    if text.endswith("Z"):
        text = text[:-1] + "+00:00"
    try:
        parsed = parse_datetime(text)
    except ValueError:
        parsed = None
    if parsed is None:
        raise WireError(f"{field}: {value[:40]!r} is not an ISO 8601 date-time")
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=UTC)
    if not MIN_YEAR <= parsed.year <= MAX_YEAR:
        # Year 9999 with an offset cannot even be turned into UTC (OverflowError).
        raise WireError(f"{field}: {value[:40]!r} is out of range ({MIN_YEAR} to {MAX_YEAR})")
    return parsed


MIN_YEAR, MAX_YEAR = 1900, 2200


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
