"""Fixtures shared by every app's tests."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import timezone
from hypothesis import settings as hypothesis_settings

from masthead.demo.pictures import demo_picture
from masthead.markets.models import Instrument, Quote
from masthead.network.models import Site
from masthead.network.services import network_apply
from masthead.network.spec import parse_network
from masthead.newsroom.models import Article
from masthead.wire.pipeline import ingest_paths

# The same generated cases on every run, so CI never fails by chance; run with
# HYPOTHESIS_PROFILE=explore to look for new failures with fresh random cases.
hypothesis_settings.register_profile("ci", derandomize=True, deadline=None)
hypothesis_settings.register_profile("explore", max_examples=2000, deadline=None)
hypothesis_settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))

FIXTURES = Path(__file__).resolve().parent / "wire" / "tests" / "fixtures"
SHARED = Path(__file__).resolve().parent.parent.parent / "shared"

TEST_NETWORK = """
[[site]]
code = "JdT"
name = "Journal de Test"
domains = ["test.localhost", "www.test.localhost"]
languages = ["en", "fr"]
timezone = "Europe/Brussels"
signatures = ["P.Claes", "M.Dubois"]

[site.ticker]
label = "NYSE - LSE"
kind = "stocks"
symbols = ["BP", "RBGPF"]

[[site.section]]
language = "en"
name = "Politics"
[[site.section]]
language = "en"
name = "Business"
[[site.section]]
language = "fr"
name = "Politique"

[[site]]
code = "ZdT"
name = "Zeitung der Tests"
domains = ["zeitung.localhost"]
languages = ["de", "en"]
signatures = ["K.Brandt"]

[[site.section]]
language = "de"
name = "Politik"
[[site.section]]
language = "en"
name = "World"

[[route]]
site = "JdT"
language = "en"
section = "Business"
subjects = ["medtop:04000000"]
[[route]]
site = "JdT"
language = "en"
section = "Politics"
[[route]]
site = "JdT"
language = "fr"
section = "Politique"
[[route]]
site = "ZdT"
language = "de"
section = "Politik"
[[route]]
site = "ZdT"
language = "en"
section = "World"
keywords = ["berlin"]
"""


@pytest.fixture(autouse=True)
def _media_root(tmp_path: Path, settings) -> None:  # type: ignore[no-untyped-def]
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def _fresh_memo() -> None:
    """Each test starts with nothing remembered from another test's database."""
    from masthead.core import memo

    memo.forget_all()


@pytest.fixture
def network(db: None) -> dict[str, Site]:
    network_apply(spec=parse_network(TEST_NETWORK, source="test-network.toml"))
    return {site.code: site for site in Site.objects.all()}


@pytest.fixture
def wire_dir(tmp_path: Path) -> Iterator[Path]:
    """A folder with our ninjs fixtures and their pictures drawn beside them."""
    folder = tmp_path / "wire"
    folder.mkdir()
    for path in (FIXTURES / "ninjs").glob("*.json"):
        shutil.copy(path, folder / path.name)
        (folder / f"{path.stem}.jpg").write_bytes(demo_picture(path.stem))
    yield folder


@pytest.fixture
def shared_dir() -> Path:
    if not SHARED.is_dir():
        pytest.skip(f"../shared is absent ({SHARED}); conformance tests need it")
    return SHARED


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
def ingest(django_capture_on_commit_callbacks):  # type: ignore[no-untyped-def]
    """Ingest as in production: what runs after commit (search indexing ...) runs too."""

    def run(paths: list[Path], **options: object) -> list:  # type: ignore[type-arg]
        with django_capture_on_commit_callbacks(execute=True):
            return list(ingest_paths(paths, **options))  # type: ignore[arg-type]

    return run


@pytest.fixture
def published(network, quotes, wire_dir: Path, ingest) -> Article:  # type: ignore[no-untyped-def]
    """The reference-shaped story (two photographers, /File, two intertitles) on the test site."""
    outcomes = ingest([wire_dir / "harbour-talks.json"])
    assert outcomes[0].action == "created", outcomes[0].error
    return Article.objects.get(site__code="JdT")


@pytest.fixture
def network_tx(transactional_db: None) -> dict[str, Site]:
    """The test network in a test whose transactions really commit (on-commit work runs)."""
    network_apply(spec=parse_network(TEST_NETWORK, source="test-network.toml"))
    return {site.code: site for site in Site.objects.all()}


@pytest.fixture
def published_tx(network_tx, wire_dir: Path) -> Article:  # type: ignore[no-untyped-def]
    outcomes = list(ingest_paths([wire_dir / "harbour-talks.json"]))
    assert outcomes[0].action == "created", outcomes[0].error
    return Article.objects.get(site__code="JdT")


@pytest.fixture
def many(network, wire_dir: Path, ingest) -> None:
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
    assert {o.action for o in ingest([folder])} == {"created"}


__all__ = ["settings"]
