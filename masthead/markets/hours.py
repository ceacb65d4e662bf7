"""When markets trade: NYSE/NASDAQ and the London Stock Exchange, and the euro fixings.

Weekends and the fixed-date holidays both exchanges close for; moving holidays (Easter,
Thanksgiving ...) are not known here, so on those days a market shows as open with no move.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time
from zoneinfo import ZoneInfo


@dataclass(frozen=True)
class Market:
    name: str
    zone: ZoneInfo
    opens: time
    closes: time
    holidays: frozenset[tuple[int, int]]  # (month, day), every year


NEW_YORK = Market(
    "NYSE",
    ZoneInfo("America/New_York"),
    time(9, 30),
    time(16, 0),
    frozenset({(1, 1), (6, 19), (7, 4), (12, 25)}),
)
LONDON = Market(
    "LSE",
    ZoneInfo("Europe/London"),
    time(8, 0),
    time(16, 30),
    frozenset({(1, 1), (12, 25), (12, 26)}),
)
# Euro reference rates are fixed once a day, on TARGET working days.
EURO_FX = Market(
    "ECB",
    ZoneInfo("Europe/Berlin"),
    time(0, 0),
    time(23, 59, 59),
    frozenset({(1, 1), (5, 1), (12, 25), (12, 26)}),
)
MARKETS = {"NYSE": NEW_YORK, "NASDAQ": NEW_YORK, "OTC": NEW_YORK, "LSE": LONDON, "ECB": EURO_FX}


def market_for(exchange: str) -> Market:
    return MARKETS.get(exchange.upper(), NEW_YORK)


def trading_day(market: Market, day: date) -> bool:
    return day.weekday() < 5 and (day.month, day.day) not in market.holidays


def is_open(market: Market, when: datetime) -> bool:
    local = when.astimezone(market.zone)
    return trading_day(market, local.date()) and market.opens <= local.time() < market.closes
