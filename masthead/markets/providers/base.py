"""The provider contract: symbols in, readings out, or one ProviderError."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from masthead.core.errors import MastheadError


class ProviderError(MastheadError):
    """The source could not be read (down, slow, garbage): the last good quotes stay."""


@dataclass(frozen=True)
class Reading:
    symbol: str
    last: Decimal | None
    previous_close: Decimal | None
    currency: str
    as_of: datetime
    name: str = ""
    exchange: str = ""
    # False when the source gave no time of its own and `as_of` is only the time of reading:
    # then a later `as_of` does not prove a new reading.
    dated: bool = True


class QuoteProvider:
    """One source of prices. `name` is stored with each quote; `delayed` says whether its
    prices lag the market (most free and exchange-licensed feeds do)."""

    name = ""
    delayed = True

    def fetch(self, *, symbols: list[str], kind: str, now: datetime) -> list[Reading]:
        raise NotImplementedError
