"""The guards between providers and the page."""

from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest

from masthead.markets.models import Instrument, Quote, QuoteState
from masthead.markets.providers.base import ProviderError, QuoteProvider, Reading
from masthead.markets.services import quote_record, quotes_refresh
from masthead.markets.ticker import ticker_for_site

TRADING = datetime(2026, 11, 24, 17, 0, tzinfo=UTC)


class Fixed(QuoteProvider):
    name = "fixed"

    def __init__(
        self,
        prices: dict[str, tuple[str | None, str | None, str]] | None = None,
        fail: bool = False,
    ) -> None:
        self.prices = prices or {}
        self.fail = fail

    def fetch(self, *, symbols, kind, now):
        if self.fail:
            raise ProviderError("timed out after 10 s")
        return [
            Reading(
                s,
                Decimal(p[0]) if p[0] else None,
                Decimal(p[1]) if p[1] else None,
                p[2],
                now,
                exchange="NYSE",
            )
            for s, p in self.prices.items()
            if s in symbols
        ]


def _record(
    symbol: str, last: str | None, previous: str | None, currency: str = "USD", *, now=TRADING, **kw
):
    instrument, _ = Instrument.objects.get_or_create(
        symbol=symbol, kind="stock", defaults={"exchange": "NYSE"}
    )
    reading = Reading(
        symbol,
        Decimal(last) if last else None,
        Decimal(previous) if previous else None,
        currency,
        now,
    )
    return quote_record(instrument=instrument, reading=reading, provider=Fixed(), now=now, **kw)


@pytest.mark.django_db
def test_no_price_records_nothing_and_non_positive_close_shows_no_move() -> None:
    assert _record("BP", None, "29") is None
    assert _record("BP", "0", "29") is None
    quote = _record("BP", "29.76", "0")
    assert quote is not None and quote.previous_close is None


@pytest.mark.django_db
def test_pence_become_pounds() -> None:
    quote = _record("VOD", "72.40", "71.10", "GBX")
    assert (quote.last, quote.previous_close) == (Decimal("0.7240"), Decimal("0.7110"))
    assert Instrument.objects.get(symbol="VOD").currency in ("", "GBP")


@pytest.mark.django_db
def test_a_jump_is_held_until_a_second_reading_confirms_it(network) -> None:
    first = _record("BP", "59.52", "29.76")  # +100% in one reading
    assert first.state == QuoteState.SUSPECT and "held" in first.note
    ticker = ticker_for_site(network["JdT"], now=TRADING)
    assert [line.change_text for line in ticker.lines] == ["n/a"]
    second = _record("BP", "59.60", "29.76", now=TRADING + timedelta(minutes=1))
    assert second.state == QuoteState.DELAYED
    ticker = ticker_for_site(network["JdT"], now=TRADING + timedelta(minutes=1))
    assert [line.change_text for line in ticker.lines] == ["+100.27%"]


@pytest.mark.django_db
def test_a_second_source_confirms_at_once() -> None:
    confirm = Reading("BP", Decimal("59.50"), Decimal("29.76"), "USD", TRADING)
    quote = _record("BP", "59.52", "29.76", second_opinion=confirm)
    assert quote.state == QuoteState.DELAYED


@pytest.mark.django_db
def test_closed_market_state() -> None:
    saturday = datetime(2026, 11, 28, 15, 0, tzinfo=UTC)
    assert _record("BP", "29.76", "29.63", now=saturday).state == QuoteState.CLOSED


@pytest.mark.django_db
def test_provider_down_keeps_last_good_quotes_marked_stale(network, settings, monkeypatch) -> None:
    from masthead.markets import services

    good = Fixed({"BP": ("29.76", "29.63", "USD"), "RBGPF": ("64.5", None, "USD")})
    monkeypatch.setattr(services, "providers_for", lambda kind: [good])
    result = quotes_refresh(now=TRADING)
    assert result.recorded == 2 and not result.stale
    monkeypatch.setattr(services, "providers_for", lambda kind: [Fixed(fail=True)])
    result = quotes_refresh(now=TRADING + timedelta(minutes=1))
    assert sorted(result.stale) == ["BP", "RBGPF"] and "timed out" in result.errors[0]
    ticker = ticker_for_site(network["JdT"], now=TRADING + timedelta(minutes=1))
    assert [(line.symbol, line.price, line.state) for line in ticker.lines] == [
        ("BP", "29.76", "stale"),
        ("RBGPF", "64.5", "stale"),
    ]
    assert ticker.stale_since == TRADING


@pytest.mark.django_db
def test_garbage_from_a_provider_is_not_shown(network, monkeypatch) -> None:
    from masthead.markets import services

    monkeypatch.setattr(
        services, "providers_for", lambda kind: [Fixed({"BP": ("-3", "29", "USD")})]
    )
    quotes_refresh(now=TRADING)
    assert Quote.objects.count() == 0
    assert ticker_for_site(network["JdT"], now=TRADING).lines == []


@pytest.mark.django_db
def test_old_quotes_are_pruned_but_the_latest_kept(network, monkeypatch) -> None:
    from masthead.markets import services

    monkeypatch.setattr(
        services, "providers_for", lambda kind: [Fixed({"BP": ("29.76", "29.63", "USD")})]
    )
    quotes_refresh(now=TRADING - timedelta(days=30))
    quotes_refresh(now=TRADING)
    assert Quote.objects.filter(instrument__symbol="BP").count() == 1


@pytest.mark.django_db
def test_no_move_stays_stale_when_the_market_trades_without_news(network) -> None:
    _record("BP", "29.76", "29.63", now=TRADING)
    ticker = ticker_for_site(network["JdT"], now=TRADING + timedelta(hours=1))
    assert [line.state for line in ticker.lines] == ["stale"]


def test_snapshot_file_nobody_has_seen(db, network, tmp_path, settings) -> None:
    path = tmp_path / "vendor.csv"
    path.write_text(
        "symbol,kind,last,previous_close,currency,as_of\n"
        "RBGPF,stock,64.5,,USD,2026-11-24T16:00:00Z\n"
        "BP,stock,29.76,29.63,USD,2026-11-24T16:00:00Z\n"
    )
    settings.MASTHEAD_MARKET_PROVIDERS = {
        "stocks": [
            {
                "BACKEND": "masthead.markets.providers.file.FileProvider",
                "OPTIONS": {"location": str(path)},
            }
        ]
    }
    quotes_refresh(now=TRADING)
    ticker = ticker_for_site(network["JdT"], now=TRADING)
    assert [
        (line.symbol, line.change_text, line.price, line.currency) for line in ticker.lines
    ] == [
        ("BP", "+0.44%", "29.76", "$"),
        ("RBGPF", "n/a", "64.5", "$"),
    ]
