"""Loading the demo network and its stories, the way wire copy arrives.

The stories are ninjs files under `demo/wire/`. They are staged into the data dir with their
times moved so the newest is a few minutes old, their pictures drawn beside them, and then
ingested by the same pipeline as any agency file.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from django.conf import settings
from django.utils import timezone

from masthead.demo.pictures import demo_picture
from masthead.markets.services import quotes_refresh
from masthead.network.services import NetworkChanges, network_load
from masthead.wire.models import Source
from masthead.wire.outcomes import Outcome
from masthead.wire.pipeline import ingest_paths
from masthead.wire.sources.folder import folder_prepare, folder_root

DEMO_DIR = Path(__file__).resolve().parent
DEMO_NETWORK = DEMO_DIR / "network.toml"
DEMO_WIRE = DEMO_DIR / "wire"
DEMO_DROP = "drop"  # the [[source]] in network.toml
TIME_KEYS = ("versioncreated", "firstcreated")


@dataclass
class DemoResult:
    network: NetworkChanges
    outcomes: list[Outcome]


def demo_load(*, now: datetime | None = None) -> DemoResult:
    network = demo_network_load()
    staged = demo_stage(target=Path(settings.DATA_DIR) / "demo-wire", now=now or timezone.now())
    outcomes = list(ingest_paths([staged], source="demo"))
    demo_quotes(now=now or timezone.now())
    return DemoResult(network, outcomes)


def demo_network_load() -> NetworkChanges:
    """The demo network, with its drop folder made ready for a first file."""
    changes = network_load(path=DEMO_NETWORK, actor="demo")
    folder_prepare(demo_drop_folder())
    return changes


def demo_drop_folder() -> Path:
    return folder_root(Source.objects.get(name=DEMO_DROP).location)


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


def demo_quotes(*, now: datetime) -> None:
    """The demo tickers, from the configured providers (by default the offline replay)."""
    quotes_refresh(now=now)
