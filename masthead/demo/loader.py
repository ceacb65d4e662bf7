"""Loading the demo network and its stories, the way wire copy arrives.

The stories are ninjs files under `demo/wire/`. They are staged into the data dir with their
times moved so the newest is a few minutes old, their pictures drawn beside them, and then
ingested by the same pipeline as any agency file.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from masthead.demo.pictures import demo_picture
from masthead.markets.models import Instrument, InstrumentKind, Quote, QuoteState
from masthead.network.services import NetworkChanges, network_load
from masthead.wire.pipeline import Outcome, ingest_paths

DEMO_DIR = Path(__file__).resolve().parent
DEMO_NETWORK = DEMO_DIR / "network.toml"
DEMO_WIRE = DEMO_DIR / "wire"
TIME_KEYS = ("versioncreated", "firstcreated")


@dataclass
class DemoResult:
    network: NetworkChanges
    outcomes: list[Outcome]


def demo_load(*, now: datetime | None = None) -> DemoResult:
    network = network_load(path=DEMO_NETWORK)
    staged = demo_stage(target=Path(settings.DATA_DIR) / "demo-wire", now=now or timezone.now())
    outcomes = list(ingest_paths([staged], source="demo"))
    demo_quotes(now=now or timezone.now())
    return DemoResult(network, outcomes)


def demo_stage(*, target: Path, now: datetime) -> Path:
    files = sorted(DEMO_WIRE.rglob("*.json"))
    docs = [(path, json.loads(path.read_text(encoding="utf-8"))) for path in files]
    newest = max((_time(doc["versioncreated"]) for _, doc in docs), default=now)
    shift = (now - timedelta(minutes=7)) - newest
    shift = timedelta(minutes=int(shift.total_seconds() // 60))
    for path, doc in docs:
        out = target / path.relative_to(DEMO_WIRE)
        out.parent.mkdir(parents=True, exist_ok=True)
        _shift(doc, shift)
        for assoc in (doc.get("associations") or {}).values():
            _shift(assoc, shift)
            for rendition in (assoc.get("renditions") or {}).values():
                picture = out.parent / rendition["href"]
                if not picture.exists():
                    picture.write_bytes(demo_picture(doc["uri"]))
        out.write_text(json.dumps(doc, ensure_ascii=False, indent=2), encoding="utf-8")
    return target


def _time(value: str) -> datetime:
    return datetime.fromisoformat(value.replace("Z", "+00:00")).astimezone(UTC)


def _shift(doc: dict, shift: timedelta) -> None:  # type: ignore[type-arg]
    for key in TIME_KEYS:
        if isinstance(doc.get(key), str):
            doc[key] = (_time(doc[key]) + shift).strftime("%Y-%m-%dT%H:%M:%SZ")


# Demo values only: the markets providers replace them with real or replayed prices.
DEMO_STOCKS = {
    "BP": ("BP p.l.c.", "NYSE", "29.64", "29.76"),
    "GSK": ("GSK plc", "NYSE", "37.15", "37.64"),
    "VOD": ("Vodafone Group", "NASDAQ", "9.27", "9.45"),
    "AZN": ("AstraZeneca", "NASDAQ", "67.97", "68.81"),
    "RIO": ("Rio Tinto", "NYSE", "62.75", "62.64"),
    "RELX": ("RELX plc", "NYSE", "54.05", "54.57"),
    "BTI": ("British American Tobacco", "NYSE", "41.41", "42.64"),
    "NGG": ("National Grid", "NYSE", "70.06", "71.28"),
    "RBGPF": ("Reckitt Benckiser (OTC)", "OTC", None, "64.5"),
}
DEMO_RATES = {
    "USD": ("US dollar", "1.0821", "1.0842"),
    "GBP": ("Pound sterling", "0.8437", "0.8419"),
    "CHF": ("Swiss franc", "0.9402", "0.9415"),
    "JPY": ("Japanese yen", "162.31", "161.88"),
    "PLN": ("Polish zloty", "4.3390", "4.3312"),
    "AZN": ("Azerbaijani manat", "1.8396", "1.8431"),
}


@transaction.atomic
def demo_quotes(*, now: datetime) -> None:
    for symbol, (name, exchange, previous, last) in DEMO_STOCKS.items():
        instrument, _ = Instrument.objects.update_or_create(
            symbol=symbol,
            kind=InstrumentKind.STOCK,
            defaults={"name": name, "exchange": exchange, "currency": "USD"},
        )
        _quote(instrument, last, previous, now)
    for symbol, (name, previous, last) in DEMO_RATES.items():
        instrument, _ = Instrument.objects.update_or_create(
            symbol=symbol,
            kind=InstrumentKind.CURRENCY,
            defaults={"name": name, "exchange": "ECB", "currency": symbol},
        )
        _quote(instrument, last, previous, now)


def _quote(instrument: Instrument, last: str, previous: str | None, now: datetime) -> None:
    if instrument.quotes.exists():
        return
    Quote.objects.create(
        instrument=instrument,
        last=Decimal(last),
        previous_close=Decimal(previous) if previous else None,
        as_of=now,
        source="demo",
        state=QuoteState.DELAYED,
    )
