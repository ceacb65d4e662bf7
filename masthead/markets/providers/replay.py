"""Replay: a synthetic, deterministic price series made here, never downloaded.

Each symbol gets a daily closing price from a few slow sine waves seeded by its name, and moves
from the previous close to that day's close during trading hours, with a small wiggle. The same
symbol at the same minute always has the same price, so the demo ticker moves during the day and
tests can predict it. Listed in `thin`, a symbol has no previous close, like a line that did not
trade yesterday (the reference page's RBGPF).
"""

from __future__ import annotations

import hashlib
import math
from datetime import UTC, date, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal

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
}


def _seed(symbol: str) -> list[float]:
    digest = hashlib.sha256(symbol.encode()).digest()
    return [b / 255 * 2 * math.pi for b in digest[:6]]


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

    def __init__(self, thin: list[str] | None = None) -> None:
        self.thin = set(thin or [])

    def close(self, symbol: str, base: float, day: date) -> float:
        p = _seed(symbol)
        x = day.toordinal()
        return base * math.exp(
            0.04 * math.sin(x / 9 + p[0])
            + 0.025 * math.sin(x / 3.1 + p[1])
            + 0.012 * math.sin(x * 1.7 + p[2])
        )

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
            last, previous, as_of = self._price(symbol, base, market, now)
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
        self, symbol: str, base: float, market: Market, now: datetime
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
                self.close(symbol, base, day),
                self.close(symbol, base, before),
                at.astimezone(UTC),
            )
        previous = self.close(symbol, base, _previous_trading_day(market, today))
        target = self.close(symbol, base, today)
        if local >= closes:
            return target, previous, closes.astimezone(UTC)
        frac = (local - opens) / (closes - opens)
        minutes = (local - opens).total_seconds() // 60
        wiggle = base * 0.003 * math.sin(minutes * 0.7 + _seed(symbol)[3]) * 4 * frac * (1 - frac)
        as_of = local.replace(second=0, microsecond=0).astimezone(UTC)
        return previous + (target - previous) * frac + wiggle, previous, as_of


def _round(value: float, places: str) -> Decimal:
    return Decimal(str(value)).quantize(Decimal(places), rounding=ROUND_HALF_UP)
