import shutil
from decimal import Decimal
from pathlib import Path

import pytest
from django.utils import timezone

from masthead.markets.models import Instrument, Quote
from masthead.newsroom.models import Article
from masthead.wire.pipeline import ingest_paths


@pytest.fixture
def quotes(db: None) -> None:
    now = timezone.now()
    bp = Instrument.objects.create(symbol="BP", kind="stock", name="BP p.l.c.", currency="USD")
    Quote.objects.create(
        instrument=bp, last=Decimal("29.76"), previous_close=Decimal("29.63"), as_of=now, source="t"
    )
    thin = Instrument.objects.create(symbol="RBGPF", kind="stock", currency="USD")
    Quote.objects.create(
        instrument=thin, last=Decimal("64.5"), previous_close=None, as_of=now, source="t"
    )


@pytest.fixture
def published(network, quotes, wire_dir: Path) -> Article:
    """The reference-shaped story (two photographers, /File, two intertitles) on the test site."""
    outcomes = list(ingest_paths([wire_dir / "harbour-talks.json"]))
    assert outcomes[0].action == "created", outcomes[0].error
    return Article.objects.get(site__code="JdT")


@pytest.fixture
def many(network, wire_dir: Path) -> None:
    source = (wire_dir / "harbour-talks.json").read_text()
    folder = wire_dir / "many"
    folder.mkdir()
    for i in range(45):
        (folder / f"s{i}.json").write_text(
            source.replace("harbour-talks", f"story-{i}").replace(
                "Port cities agree", f"Story {i}: port cities agree"
            )
        )
        shutil.copy(wire_dir / "harbour-talks.jpg", folder / f"story-{i}.jpg")
    assert {o.action for o in ingest_paths([folder])} == {"created"}
