"""Quotes in: readings from providers pass the guards, then become snapshots.

Guards (the reference page's `RBGPF 100%` is what they prevent):
- no price, or a price or previous close that is not positive: no change is shown;
- London prices in pence (GBX) are turned into pounds;
- a move larger than MASTHEAD_QUOTE_SUSPECT_MOVE percent is held as `suspect` (flagged in the
  admin; pages keep showing the last good quote) until a second provider agrees, or a reading
  with a *later* as-of time does: the same snapshot read again by the next poll is no second
  reading, and neither are the same numbers again from a source that dates nothing itself;
- a provider that fails keeps the last good quotes, marked `stale` with the reason.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import Decimal

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from masthead.markets.hours import is_open, market_for
from masthead.markets.models import Instrument, InstrumentKind, Quote, QuoteState
from masthead.markets.providers import ProviderError, QuoteProvider, Reading, providers_for
from masthead.markets.ticker import quote_change
from masthead.network.models import Site

log = logging.getLogger(__name__)
KIND_OF = {"stocks": InstrumentKind.STOCK, "currencies": InstrumentKind.CURRENCY}
PENCE = {"GBX", "GBP.", "GBPENCE"}
AGREE = Decimal("0.01")  # two readings within 1 % of each other agree
KEEP_DAYS = 7


@dataclass
class RefreshResult:
    recorded: int = 0
    suspect: list[str] = field(default_factory=list)
    stale: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


def ticker_symbols(kind: str) -> list[str]:
    """Every symbol some site shows for this kind, in first-seen order."""
    symbols: dict[str, None] = {}
    for ticker in Site.objects.exclude(ticker=None).values_list("ticker", flat=True):
        if ticker and ticker.get("kind", "stocks") == kind:
            symbols.update(dict.fromkeys(str(s) for s in ticker.get("symbols", [])))
    return list(symbols)


def _agree(a: Decimal | None, b: Decimal | None) -> bool:
    return bool(a and b and a > 0 and abs(a - b) / a <= AGREE)


def _newest(instrument: Instrument, *, shown: bool = False) -> Quote | None:
    """The instrument's newest quote; with `shown`, the newest one pages show (not held)."""
    quotes = instrument.quotes.all()
    if shown:
        quotes = quotes.exclude(state=QuoteState.SUSPECT)
    return quotes.order_by("-as_of", "-pk").first()


def _confirmed_by_earlier(
    instrument: Instrument, reading: Reading, last: Decimal, previous: Decimal | None
) -> bool:
    """Does an earlier reading (an older as-of time, not the same snapshot again) agree?"""
    earlier = instrument.quotes.filter(as_of__lt=reading.as_of).order_by("-as_of", "-pk").first()
    if earlier is None or not _agree(earlier.last, last):
        return False
    # A source that dates nothing gets the time of reading: identical numbers are then most
    # likely the same snapshot read again, so only numbers that moved count as a new reading.
    return reading.dated or (earlier.last, earlier.previous_close) != (last, previous)


@transaction.atomic
def quote_record(
    *,
    instrument: Instrument,
    reading: Reading,
    provider: QuoteProvider,
    now: datetime,
    second_opinion: Reading | None = None,
) -> Quote | None:
    """Store one reading as the instrument's newest quote, guarded. None when unusable."""
    last, previous = reading.last, reading.previous_close
    if reading.currency.upper() in PENCE or reading.currency == "GBp":
        last = last / 100 if last is not None else None
        previous = previous / 100 if previous is not None else None
    if last is None or last <= 0:
        return None  # nothing honest to show: the last good quote stays
    if previous is not None and previous <= 0:
        previous = None
    market = market_for(instrument.exchange or reading.exchange)
    if instrument.kind == InstrumentKind.STOCK and not is_open(market, now):
        state, note = QuoteState.CLOSED, ""
    else:
        state, note = (QuoteState.DELAYED if provider.delayed else QuoteState.LIVE), ""
    latest = _newest(instrument)
    change = quote_change(last, previous)
    if change is not None and abs(change) > Decimal(str(settings.MASTHEAD_QUOTE_SUSPECT_MOVE)):
        confirmed = (second_opinion is not None and _agree(second_opinion.last, last)) or (
            _confirmed_by_earlier(instrument, reading, last, previous)
        )
        if not confirmed:
            state = QuoteState.SUSPECT
            note = f"move of {change}% held until a second reading confirms it"
    if latest is not None and latest.as_of == reading.as_of and latest.last == last:
        # The same reading again (a closed market, an unchanged snapshot): no new snapshot,
        # only its state (a held jump stays held unless a second provider now agrees).
        if (latest.state, latest.note) != (state, note):
            latest.state, latest.note = state, note
            latest.save(update_fields=["state", "note"])
        return latest
    return Quote.objects.create(
        instrument=instrument,
        last=last,
        previous_close=previous,
        as_of=reading.as_of,
        source=provider.name,
        state=state,
        note=note,
    )


def quotes_mark_stale(*, instruments: list[Instrument], reason: str) -> list[str]:
    """Mark the quote pages show as stale. A held jump stays held (and unshown): marking it
    stale would show its move."""
    marked = []
    for instrument in instruments:
        shown = _newest(instrument, shown=True)
        if shown is not None and shown.state != QuoteState.STALE:
            shown.state, shown.note = QuoteState.STALE, reason[:300]
            shown.save(update_fields=["state", "note"])
            marked.append(instrument.symbol)
    return marked


def quotes_refresh(*, now: datetime | None = None) -> RefreshResult:
    """Ask the configured providers for every ticker symbol; store what passes the guards."""
    now = now or timezone.now()
    result = RefreshResult()
    for kind, instrument_kind in KIND_OF.items():
        symbols = ticker_symbols(kind)
        if not symbols:
            continue
        instruments = _instruments(symbols, instrument_kind)
        readings: list[list[Reading]] = []
        used: list[QuoteProvider] = []
        for provider in providers_for(kind):
            try:
                readings.append(provider.fetch(symbols=symbols, kind=kind, now=now))
                used.append(provider)
            except (ProviderError, OSError, ValueError) as exc:
                result.errors.append(f"{provider.name or type(provider).__name__}: {exc}")
                log.warning("quotes: %s failed: %s", provider.name, exc)
        if not readings:
            reason = "; ".join(result.errors[-2:]) or "no provider configured"
            result.stale += quotes_mark_stale(instruments=list(instruments.values()), reason=reason)
            continue
        seconds = {r.symbol: r for r in readings[1]} if len(readings) > 1 else {}
        seen = set()
        for reading in readings[0]:
            instrument = instruments.get(reading.symbol)
            if instrument is None:
                continue
            _describe(instrument, reading)
            quote = quote_record(
                instrument=instrument,
                reading=reading,
                provider=used[0],
                now=now,
                second_opinion=seconds.get(reading.symbol),
            )
            if quote is not None:
                seen.add(reading.symbol)
                result.recorded += 1
                if quote.state == QuoteState.SUSPECT:
                    result.suspect.append(reading.symbol)
        missing = [i for s, i in instruments.items() if s not in seen]
        result.stale += quotes_mark_stale(instruments=missing, reason=f"{used[0].name}: no price")
    Quote.objects.filter(as_of__lt=now - timedelta(days=KEEP_DAYS)).exclude(
        pk__in=_latest_ids()
    ).delete()
    return result


def _instruments(symbols: list[str], kind: str) -> dict[str, Instrument]:
    found = {i.symbol: i for i in Instrument.objects.filter(kind=kind, symbol__in=symbols)}
    for symbol in symbols:
        if symbol not in found:
            found[symbol] = Instrument.objects.create(symbol=symbol, kind=kind)
    return found


def _describe(instrument: Instrument, reading: Reading) -> None:
    changed = False
    currency = (
        "GBP"
        if reading.currency.upper() in PENCE or reading.currency == "GBp"
        else reading.currency
    )
    for field_name, value in (
        ("name", reading.name),
        ("exchange", reading.exchange),
        ("currency", currency),
    ):
        if value and not getattr(instrument, field_name):
            setattr(instrument, field_name, value)
            changed = True
    if changed:
        instrument.save()


def _latest_ids() -> list[int]:
    """The newest quote of each instrument, and the newest shown one behind a held jump."""
    ids = []
    for instrument in Instrument.objects.all():
        for quote in (_newest(instrument), _newest(instrument, shown=True)):
            if quote is not None:
                ids.append(quote.pk)
    return ids
