"""The article list's opaque cursor: where the previous page ended, as (published_at, story_id).

A page starts after that key (keyset pagination), so page 5,000 costs what page 1 does and a
story published while a client pages through moves nothing under it; OFFSET would read and
drop every row before the page. The cursor is base64 of `<microseconds>.<story id>` so clients
treat it as a token rather than build it; it is not signed, since a forged one only starts a
list at another place in public content.
"""

from __future__ import annotations

import base64
import binascii
from datetime import UTC, datetime, timedelta

EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
# The widest values a real article can have: anything else in a cursor is not ours.
MAX_MICROSECONDS = 10**17  # about the year 5138
MAX_STORY_ID = 2**63 - 1


class CursorError(ValueError):
    """Not a cursor this API gave out."""


def cursor_encode(*, published_at: datetime, story_id: int) -> str:
    microseconds = (published_at - EPOCH) // timedelta(microseconds=1)
    raw = f"{microseconds}.{story_id}".encode("ascii")
    return base64.urlsafe_b64encode(raw).decode("ascii").rstrip("=")


def cursor_decode(token: str) -> tuple[datetime, int]:
    try:
        raw = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4)).decode("ascii")
        left, right = raw.split(".")
        # int() takes "+1", " 1" and "1_0": only plain digits are a cursor.
        if not (left.lstrip("-").isdigit() and right.isdigit()):
            raise ValueError(raw)
        microseconds, story_id = int(left), int(right)
    except (binascii.Error, UnicodeDecodeError, ValueError):
        raise CursorError("cursor: not a cursor this API gave out") from None
    if not (-MAX_MICROSECONDS < microseconds < MAX_MICROSECONDS and 0 < story_id <= MAX_STORY_ID):
        raise CursorError("cursor: not a cursor this API gave out")
    try:
        return EPOCH + timedelta(microseconds=microseconds), story_id
    except OverflowError:
        raise CursorError("cursor: not a cursor this API gave out") from None
