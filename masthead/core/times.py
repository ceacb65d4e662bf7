"""Times as agencies and data providers write them, read one way for every input."""

from __future__ import annotations

from datetime import UTC, datetime

from django.utils.dateparse import parse_datetime

from masthead.core.errors import WireError

MIN_YEAR, MAX_YEAR = 1900, 2200


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
