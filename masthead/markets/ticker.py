"""What a site's ticker shows: one line per symbol, `SYMBOL CHANGE% PRICE CURRENCY`.

The change is computed here from the last price and the previous close, never taken from a
provider, and only when both are real positive numbers: a missing previous close shows no move
(the reference page's `RBGPF 100%` glitch is exactly that case shown wrongly).
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
    # Two indexed queries, however long the quote history: each instrument's newest quote.
    instruments = {
        i.symbol: i
        for i in Instrument.objects.filter(kind=kind, symbol__in=symbols).annotate(
            latest_id=Subquery(
                Quote.objects.filter(instrument=OuterRef("pk"))
                .order_by("-as_of", "-pk")
                .values("pk")[:1]
            )
        )
    }
    latest = Quote.objects.in_bulk([i.latest_id for i in instruments.values() if i.latest_id])
    stale_after = timedelta(seconds=settings.MASTHEAD_QUOTE_STALE_AFTER)
    lines = []
    for symbol in symbols:
        instrument = instruments.get(symbol)
        quote = latest.get(instrument.latest_id) if instrument else None
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
                price=_plain(quote.last.quantize(Decimal("0.0001"))),
                currency=CURRENCY_SIGNS.get(instrument.currency, instrument.currency),
                change=change,
                state=state,
                as_of=quote.as_of,
            )
        )
    return Ticker(
        label=str(config.get("label", "")), kind=str(config.get("kind", "stocks")), lines=lines
    )
