"""The wire parser contract: bytes in, normalised items out, or one clear WireError."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime

from django.utils.dateparse import parse_datetime

from masthead.core.errors import WireError
from masthead.wire.items import ParsedItem


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
    return parsed


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
