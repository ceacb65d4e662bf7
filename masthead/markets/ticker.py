"""What a site's ticker shows: one line per symbol, `SYMBOL CHANGE% PRICE CURRENCY`.

The change is computed here from the last price and the previous close, never taken from a
provider, and only when both are real positive numbers: a missing previous close shows no move
(the reference page's `RBGPF 100%` glitch is exactly that case shown wrongly).

A quote held as suspect is not shown while an earlier good one exists: the line keeps the last
good value until the jump is confirmed. Currency rates use one precision, as on a newspaper's
currency page: 4 decimals below 10 per euro (1.0330, 0.8732), 2 from 10 up (25.21, 164.18);
stock prices keep their short form (29.76, 64.5).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.db.models import OuterRef, Subquery
from django.utils import timezone

from masthead.markets.hours import is_open, market_for
from masthead.markets.models import Instrument, InstrumentKind, Quote, QuoteState
from masthead.network.models import Site

CURRENCY_SIGNS = {"USD": "$", "EUR": "€", "GBP": "£", "JPY": "¥"}


@dataclass(frozen=True)
class TickerLine:
    symbol: str
    name: str
    price: str
    currency: str
    change: Decimal | None
    state: str
    as_of: datetime | None

    @property
    def direction(self) -> str:
        if self.change is None or self.change == 0:
            return "flat"
        return "up" if self.change > 0 else "down"

    @property
    def change_text(self) -> str:
        # An explicit sign says the direction in words-equivalent, not by colour alone.
        if self.change is None:
            return "n/a"
        sign = "+" if self.change > 0 else ""
        return f"{sign}{_plain(self.change)}%"


@dataclass(frozen=True)
class Ticker:
    label: str
    kind: str
    lines: list[TickerLine]

    @property
    def as_of(self) -> datetime | None:
        times = [line.as_of for line in self.lines if line.as_of]
        return max(times) if times else None

    @property
    def closed(self) -> bool:
        return bool(self.lines) and all(line.state == QuoteState.CLOSED for line in self.lines)

    @property
    def stale_since(self) -> datetime | None:
        times = [line.as_of for line in self.lines if line.state == QuoteState.STALE and line.as_of]
        return min(times) if times else None

    def as_json(self) -> dict[str, object]:
        return {
            "label": self.label,
            "kind": self.kind,
            "as_of": self.as_of.isoformat() if self.as_of else None,
            "closed": self.closed,
            "stale_since": self.stale_since.isoformat() if self.stale_since else None,
            "lines": [
                {
                    "symbol": line.symbol,
                    "change": line.change_text,
                    "price": line.price,
                    "currency": line.currency,
                    "direction": line.direction,
                    "state": line.state,
                }
                for line in self.lines
            ],
        }


def price_text(value: Decimal, kind: str) -> str:
    """The price as shown, in the page and in /ticker.json alike."""
    if kind == InstrumentKind.CURRENCY:
        rate = value.quantize(Decimal("0.0001"), rounding=ROUND_HALF_UP)
        if rate >= 10:
            rate = value.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
        return format(rate, "f")
    return _plain(value.quantize(Decimal("0.0001")))


def _plain(value: Decimal) -> str:
    """Like the reference: 0.44, 1.9, 0, 64.5; no trailing zeros."""
    text = format(value.normalize(), "f")
    return "0" if text in {"-0", "0"} else text


def quote_change(last: Decimal | None, previous_close: Decimal | None) -> Decimal | None:
    if last is None or previous_close is None or last <= 0 or previous_close <= 0:
        return None
    return ((last - previous_close) / previous_close * 100).quantize(
        Decimal("0.01"), rounding=ROUND_HALF_UP
    )


def ticker_for_site(site: Site, *, now: datetime | None = None) -> Ticker | None:
    config = site.ticker
    if not config:
        return None
    now = now or timezone.now()
    kind = InstrumentKind.CURRENCY if config.get("kind") == "currencies" else InstrumentKind.STOCK
    symbols: list[str] = list(config.get("symbols", []))
    # Two indexed queries, however long the quote history: each instrument's newest quote, and
    # its newest one not held as suspect (shown instead while a jump waits for confirmation).
    newest = Quote.objects.filter(instrument=OuterRef("pk")).order_by("-as_of", "-pk")
    instruments = {
        i.symbol: i
        for i in Instrument.objects.filter(kind=kind, symbol__in=symbols).annotate(
            latest_id=Subquery(newest.values("pk")[:1]),
            shown_id=Subquery(newest.exclude(state=QuoteState.SUSPECT).values("pk")[:1]),
        )
    }
    latest = Quote.objects.in_bulk(
        [pk for i in instruments.values() for pk in (i.latest_id, i.shown_id) if pk]
    )
    stale_after = timedelta(seconds=settings.MASTHEAD_QUOTE_STALE_AFTER)
    lines = []
    for symbol in symbols:
        instrument = instruments.get(symbol)
        quote = latest.get(instrument.latest_id) if instrument else None
        if instrument is not None and quote is not None and quote.state == QuoteState.SUSPECT:
            # A held jump: the last good value stays until the jump is confirmed.
            quote = latest.get(instrument.shown_id, quote)
        if instrument is None or quote is None or quote.last is None or quote.last <= 0:
            continue  # nothing honest to show for this symbol
        state = quote.state
        if (
            state in (QuoteState.LIVE, QuoteState.DELAYED)
            and kind == InstrumentKind.STOCK
            and now - quote.as_of > stale_after
            and is_open(market_for(instrument.exchange), now)
        ):
            state = QuoteState.STALE  # the market trades but no price came for a while
        change = (
            None if state == QuoteState.SUSPECT else quote_change(quote.last, quote.previous_close)
        )
        lines.append(
            TickerLine(
                symbol=symbol,
                name=instrument.name,
                price=price_text(quote.last, kind),
                currency=CURRENCY_SIGNS.get(instrument.currency, instrument.currency),
                change=change,
                state=state,
                as_of=quote.as_of,
            )
        )
    return Ticker(
        label=str(config.get("label", "")), kind=str(config.get("kind", "stocks")), lines=lines
    )
