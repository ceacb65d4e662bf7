"""Small things every page needs and that change rarely, kept in this process for seconds.

The site for a host name, a site's sections, its ticker, the latest headlines: read on every
page, changed a few times a day (quotes: once a minute). Keeping them for a few seconds per
process saves most of a cold render's queries; a change shows within that many seconds.
A change to the network (a file loaded, a site edited in the admin) clears them in every
process at its next request (network/events.py).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Hashable
from typing import TypeVar

T = TypeVar("T")
_store: dict[Hashable, tuple[float, object]] = {}
MAX_ENTRIES = 5000


def remember(key: Hashable, seconds: float, compute: Callable[[], T]) -> T:
    now = time.monotonic()
    hit = _store.get(key)
    if hit is not None and hit[0] > now:
        return hit[1]  # type: ignore[return-value]
    value = compute()
    if len(_store) >= MAX_ENTRIES:
        _store.clear()  # rare: more hosts or sites than expected; start again
    _store[key] = (now + seconds, value)
    return value


def forget_all() -> None:
    _store.clear()
