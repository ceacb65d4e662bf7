"""Replay: a synthetic, deterministic price series made here, never downloaded.

Each symbol's daily close is a random walk, bounded per kind as markets move: a stock moves less
than 4 % a day, a major currency less than 0.8 % against the euro. Each trading day since EPOCH
draws one shock from a hash of (seed, kind, symbol, day), roughly normal; the day's move of the
log price is that shock less a small pull back towards the symbol's base price (PULL of the way
each day, so prices wander over the months but not off forever), cut at the kind's bound. The
walk is computed once per symbol and kept. Before EPOCH the price stays at its base.

During trading hours the price goes from the previous close to the day's close in a straight
line plus a small wiggle (at most a quarter of the bound, nothing at the open and close), so
the move against the previous close stays within the bound all day.

The same seed, symbol and minute always give the same price, so the demo ticker moves during
the day and tests can predict it. Listed in `thin`, a symbol has no previous close, like a line
that did not trade yesterday (the reference page's RBGPF).
"""

from __future__ import annotations

import hashlib
import math
from array import array
from bisect import bisect_right
from datetime import UTC, date, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal
from statistics import NormalDist
from threading import Lock

from masthead.markets.hours import EURO_FX, Market, market_for, trading_day
from masthead.markets.providers.base import QuoteProvider, Reading

# name, exchange, currency, base price: demo values for the demo network's symbols.
STOCKS = {
    "BP": ("BP p.l.c.", "NYSE", "USD", 29.7),
    "GSK": ("GSK plc", "NYSE", "USD", 37.5),
    "VOD": ("Vodafone Group", "NASDAQ", "USD", 9.4),
    "AZN": ("AstraZeneca", "NASDAQ", "USD", 68.5),
    "RIO": ("Rio Tinto", "NYSE", "USD", 62.6),
    "RELX": ("RELX plc", "NYSE", "USD", 54.4),
    "BTI": ("British American Tobacco", "NYSE", "USD", 42.0),
    "NGG": ("National Grid", "NYSE", "USD", 70.7),
    "RBGPF": ("Reckitt Benckiser (OTC)", "OTC", "USD", 64.5),
}
RATES = {  # per euro
    "USD": ("US dollar", 1.083),
    "GBP": ("Pound sterling", 0.843),
    "CHF": ("Swiss franc", 0.941),
    "JPY": ("Japanese yen", 162.1),
    "PLN": ("Polish zloty", 4.335),
    "AZN": ("Azerbaijani manat", 1.841),
    "CZK": ("Czech koruna", 25.2),
    "AED": ("UAE dirham", 3.977),
    "KRW": ("South Korean won", 1452.0),
    "CNY": ("Chinese yuan renminbi", 7.83),
    "INR": ("Indian rupee", 90.3),
}


# The largest daily move of the log price, per kind: e^0.037 - 1 = 3.77 %, e^0.0075 - 1 = 0.75 %;
# what is left to 4 % and 0.8 % covers rounding to cents and to 1/10000.
DAILY_BOUND = {"stocks": 0.037, "currencies": 0.0075}
# A day's shock, in bounds: one standard deviation is 0.35 of the bound (1.3 % for a stock,
# 0.26 % for a currency, as large shares and major currencies move); 1 day in 230 is cut.
SHOCK = NormalDist(0, 0.35)
PULL = 1 / 250  # of the way back to the base each day: about a year's memory
EPOCH = date(2000, 1, 3)

_lock = Lock()
_days: dict[str, list[int]] = {}  # per market: the ordinals of its trading days since EPOCH
_walks: dict[tuple[str, str, str, str], array[float]] = {}  # log(close / base) on those days


def _shock(seed: str, kind: str, symbol: str, day: int) -> float:
    """One trading day's shock in [-1, 1] bounds, the same for the same seed, symbol and day."""
    digest = hashlib.sha256(f"{seed}:{kind}:{symbol}:{day}".encode()).digest()
    uniform = (int.from_bytes(digest[:8], "big") + 0.5) / 2**64
    return max(-1.0, min(1.0, SHOCK.inv_cdf(uniform)))


def _walk(seed: str, kind: str, symbol: str, market: Market, day: date) -> float:
    """log(close / base) on the trading day `day` (0 before EPOCH)."""
    if day < EPOCH:
        return 0.0
    bound = DAILY_BOUND[kind]
    with _lock:
        days = _days.setdefault(market.name, [])
        when = date.fromordinal(days[-1] + 1) if days else EPOCH
        while when <= day:
            if trading_day(market, when):
                days.append(when.toordinal())
            when += timedelta(days=1)
        walk = _walks.setdefault((seed, kind, symbol, market.name), array("d"))
        index = bisect_right(days, day.toordinal()) - 1
        level = walk[-1] if walk else 0.0
        while len(walk) <= index:
            move = bound * _shock(seed, kind, symbol, days[len(walk)]) - PULL * level
            level += max(-bound, min(bound, move))
            walk.append(level)
        return walk[index] if index >= 0 else 0.0


def _wiggle(symbol: str) -> float:
    return hashlib.sha256(symbol.encode()).digest()[3] / 255 * 2 * math.pi


def _base(symbol: str) -> float:
    return 10 + int(hashlib.sha256(symbol.encode()).hexdigest()[:4], 16) % 190


def _previous_trading_day(market: Market, day: date) -> date:
    day -= timedelta(days=1)
    while not trading_day(market, day):
        day -= timedelta(days=1)
    return day


class ReplayProvider(QuoteProvider):
    name = "replay"
    delayed = True

    def __init__(self, thin: list[str] | None = None, seed: str = "masthead") -> None:
        self.thin = set(thin or [])
        self.seed = seed

    def close(self, symbol: str, base: float, day: date, *, kind: str, market: Market) -> float:
        """The close on a trading day, from the symbol's walk."""
        return base * math.exp(_walk(self.seed, kind, symbol, market, day))

    def fetch(self, *, symbols: list[str], kind: str, now: datetime) -> list[Reading]:
        readings = []
        for symbol in symbols:
            if kind == "currencies":
                name, base = RATES.get(symbol, (symbol, _base(symbol) / 10))
                market, currency, exchange, places = EURO_FX, symbol, "ECB", "0.0001"
            else:
                name, exchange, currency, base = STOCKS.get(
                    symbol, (symbol, "NYSE", "USD", float(_base(symbol)))
                )
                market, places = market_for(exchange), "0.01"
            last, previous, as_of = self._price(symbol, base, market, now, kind)
            readings.append(
                Reading(
                    symbol=symbol,
                    last=_round(last, places),
                    previous_close=None if symbol in self.thin else _round(previous, places),
                    currency=currency,
                    as_of=as_of,
                    name=name,
                    exchange=exchange,
                )
            )
        return readings

    def _price(
        self, symbol: str, base: float, market: Market, now: datetime, kind: str
    ) -> tuple[float, float, datetime]:
        local = now.astimezone(market.zone)
        today = local.date()
        opens = datetime.combine(today, market.opens, tzinfo=market.zone)
        closes = datetime.combine(today, market.closes, tzinfo=market.zone)
        if not trading_day(market, today) or local < opens:
            day = _previous_trading_day(market, today)
            before = _previous_trading_day(market, day)
            at = datetime.combine(day, market.closes, tzinfo=market.zone)
            return (
                self.close(symbol, base, day, kind=kind, market=market),
                self.close(symbol, base, before, kind=kind, market=market),
                at.astimezone(UTC),
            )
        before = _previous_trading_day(market, today)
        previous = self.close(symbol, base, before, kind=kind, market=market)
        target = self.close(symbol, base, today, kind=kind, market=market)
        if local >= closes:
            return target, previous, closes.astimezone(UTC)
        frac = (local - opens) / (closes - opens)
        minutes = (local - opens).total_seconds() // 60
        # At most a quarter of the bound at midday, nothing at the open and close: with the
        # straight line from the previous close, the move stays within the bound all day.
        amplitude = previous * DAILY_BOUND[kind] / 8
        wiggle = amplitude * math.sin(minutes * 0.7 + _wiggle(symbol)) * 4 * frac * (1 - frac)
        as_of = local.replace(second=0, microsecond=0).astimezone(UTC)
        return previous + (target - previous) * frac + wiggle, previous, as_of


def _round(value: float, places: str) -> Decimal:
    return Decimal(str(value)).quantize(Decimal(places), rounding=ROUND_HALF_UP)
