"""What a site's ticker shows: one line per symbol, `SYMBOL CHANGE% PRICE CURRENCY`.

The change is computed here from the last price and the previous close, never taken from a
provider, and only when both are real positive numbers: a missing previous close shows no move
(the reference page's `RBGPF 100%` glitch is exactly that case shown wrongly).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal

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


def ticker_for_site(site: Site) -> Ticker | None:
    config = site.ticker
    if not config:
        return None
    kind = InstrumentKind.CURRENCY if config.get("kind") == "currencies" else InstrumentKind.STOCK
    symbols: list[str] = list(config.get("symbols", []))
    instruments = {i.symbol: i for i in Instrument.objects.filter(kind=kind, symbol__in=symbols)}
    latest: dict[int, Quote] = {}
    for row in Quote.objects.filter(instrument__in=instruments.values()).order_by(
        "instrument_id", "-as_of"
    ):
        latest.setdefault(row.instrument_id, row)
    lines = []
    for symbol in symbols:
        instrument = instruments.get(symbol)
        quote = latest.get(instrument.pk) if instrument else None
        if instrument is None or quote is None or quote.last is None or quote.last <= 0:
            continue  # nothing honest to show for this symbol
        change = (
            None
            if quote.state == QuoteState.SUSPECT
            else quote_change(quote.last, quote.previous_close)
        )
        lines.append(
            TickerLine(
                symbol=symbol,
                name=instrument.name,
                price=_plain(quote.last.quantize(Decimal("0.0001"))),
                currency=CURRENCY_SIGNS.get(instrument.currency, instrument.currency),
                change=change,
                state=quote.state,
                as_of=quote.as_of,
            )
        )
    return Ticker(
        label=str(config.get("label", "")), kind=str(config.get("kind", "stocks")), lines=lines
    )
