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
        *,
        as_of: datetime | None = None,
        exchange: str = "NYSE",
    ) -> None:
        self.prices = prices or {}
        self.fail = fail
        self.as_of = as_of  # the provider's own time of the quotes; None: the time of reading
        self.exchange = exchange

    def fetch(self, *, symbols, kind, now):
        if self.fail:
            raise ProviderError("timed out after 10 s")
        return [
            Reading(
                s,
                Decimal(p[0]) if p[0] else None,
                Decimal(p[1]) if p[1] else None,
                p[2],
                self.as_of or now,
                exchange=self.exchange,
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
    assert Instrument.objects.get(symbol="VOD", kind="stock").currency in ("", "GBP")


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
    assert Quote.objects.filter(instrument__symbol="BP", instrument__kind="stock").count() == 1


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


GOOD = {"BP": ("29.76", "29.63", "USD"), "RBGPF": ("64.5", None, "USD")}
GLITCH = {"BP": ("48.21", "29.63", "USD"), "RBGPF": ("64.5", None, "USD")}  # BP +62.71 %


def _serve(monkeypatch, provider: QuoteProvider) -> None:
    from masthead.markets import services

    monkeypatch.setattr(services, "providers_for", lambda kind: [provider])


@pytest.mark.django_db
def test_the_same_snapshot_read_again_does_not_confirm_a_jump(network, monkeypatch) -> None:
    _serve(monkeypatch, Fixed(GOOD, as_of=TRADING))
    quotes_refresh(now=TRADING)
    glitch_at = TRADING + timedelta(minutes=1)
    _serve(monkeypatch, Fixed(GLITCH, as_of=glitch_at))
    # The worker polls every minute; the vendor's snapshot has not changed since the glitch.
    for minute in (1, 2, 3, 4):
        result = quotes_refresh(now=TRADING + timedelta(minutes=minute))
        assert result.suspect == ["BP"], minute
    held = (
        Quote.objects.filter(instrument__symbol="BP", instrument__kind="stock")
        .order_by("-as_of", "-pk")
        .first()
    )
    assert held is not None and (held.state, held.last) == (QuoteState.SUSPECT, Decimal("48.21"))
    assert (
        Quote.objects.filter(
            instrument__symbol="BP", instrument__kind="stock", as_of=glitch_at
        ).count()
        == 1
    )
    ticker = ticker_for_site(network["JdT"], now=TRADING + timedelta(minutes=4))
    assert ticker is not None
    # The reader sees the last good value, not the held one.
    assert (ticker.lines[0].symbol, ticker.lines[0].change_text, ticker.lines[0].price) == (
        "BP",
        "+0.44%",
        "29.76",
    )
    line = ticker.as_json()["lines"][0]  # type: ignore[index]
    assert (line["change"], line["price"]) == ("+0.44%", "29.76")


@pytest.mark.django_db
def test_a_later_reading_near_the_suspect_value_confirms_it(network, monkeypatch) -> None:
    _serve(monkeypatch, Fixed(GOOD, as_of=TRADING))
    quotes_refresh(now=TRADING)
    _serve(monkeypatch, Fixed(GLITCH, as_of=TRADING + timedelta(minutes=1)))
    assert quotes_refresh(now=TRADING + timedelta(minutes=1)).suspect == ["BP"]
    later = {**GLITCH, "BP": ("48.30", "29.63", "USD")}
    _serve(monkeypatch, Fixed(later, as_of=TRADING + timedelta(minutes=2)))
    assert quotes_refresh(now=TRADING + timedelta(minutes=2)).suspect == []
    ticker = ticker_for_site(network["JdT"], now=TRADING + timedelta(minutes=2))
    assert ticker is not None
    first = ticker.lines[0]
    assert (first.change_text, first.price, first.state) == (
        "+63.01%",
        "48.3",
        QuoteState.DELAYED,
    )


@pytest.mark.django_db
def test_a_later_reading_that_disagrees_keeps_the_jump_held(network, monkeypatch) -> None:
    _serve(monkeypatch, Fixed(GOOD, as_of=TRADING))
    quotes_refresh(now=TRADING)
    _serve(monkeypatch, Fixed(GLITCH, as_of=TRADING + timedelta(minutes=1)))
    quotes_refresh(now=TRADING + timedelta(minutes=1))
    other = {**GLITCH, "BP": ("44.10", "29.63", "USD")}  # also a jump, but 8.5 % away
    _serve(monkeypatch, Fixed(other, as_of=TRADING + timedelta(minutes=2)))
    assert quotes_refresh(now=TRADING + timedelta(minutes=2)).suspect == ["BP"]


@pytest.mark.django_db
def test_an_undated_snapshot_read_again_does_not_confirm_a_jump(network, tmp_path, settings):
    """A file without as_of is dated at the time of reading: identical numbers are the same
    snapshot, not a second reading."""
    path = tmp_path / "vendor.csv"
    settings.MASTHEAD_MARKET_PROVIDERS = {
        "stocks": [
            {
                "BACKEND": "masthead.markets.providers.file.FileProvider",
                "OPTIONS": {"location": str(path)},
            }
        ]
    }
    path.write_text("symbol,last,previous_close,currency\nBP,29.76,29.63,USD\n")
    quotes_refresh(now=TRADING)
    path.write_text("symbol,last,previous_close,currency\nBP,48.21,29.63,USD\n")
    for minute in (1, 2, 3):
        assert quotes_refresh(now=TRADING + timedelta(minutes=minute)).suspect == ["BP"]
    ticker = ticker_for_site(network["JdT"], now=TRADING + timedelta(minutes=3))
    assert ticker is not None and ticker.lines[0].price == "29.76"
    path.write_text("symbol,last,previous_close,currency\nBP,48.30,29.63,USD\n")
    assert quotes_refresh(now=TRADING + timedelta(minutes=4)).suspect == []


@pytest.mark.django_db
def test_a_held_jump_never_shows_when_the_provider_then_fails(network, monkeypatch) -> None:
    _serve(monkeypatch, Fixed(GOOD, as_of=TRADING))
    quotes_refresh(now=TRADING)
    _serve(monkeypatch, Fixed(GLITCH, as_of=TRADING + timedelta(minutes=1)))
    quotes_refresh(now=TRADING + timedelta(minutes=1))
    _serve(monkeypatch, Fixed(fail=True))
    result = quotes_refresh(now=TRADING + timedelta(minutes=2))
    assert sorted(result.stale) == ["BP", "RBGPF"]
    ticker = ticker_for_site(network["JdT"], now=TRADING + timedelta(minutes=2))
    assert ticker is not None
    first = ticker.lines[0]
    assert (first.change_text, first.price, first.state) == (
        "+0.44%",
        "29.76",
        QuoteState.STALE,
    )
    held = (
        Quote.objects.filter(instrument__symbol="BP", instrument__kind="stock")
        .order_by("-as_of", "-pk")
        .first()
    )
    assert held is not None and held.state == QuoteState.SUSPECT  # still listed in the admin


@pytest.mark.django_db
def test_a_stock_and_a_currency_with_the_same_symbol_keep_their_own_quotes(
    network, monkeypatch, client
) -> None:
    from masthead.markets import services

    jdt, zdt = network["JdT"], network["ZdT"]
    jdt.ticker = {"label": "NYSE - LSE", "kind": "stocks", "symbols": ["BP", "AZN"]}
    jdt.save()
    zdt.ticker = {"label": "Devisen", "kind": "currencies", "symbols": ["USD", "AZN"]}
    zdt.save()
    stocks = Fixed({"BP": ("29.76", "29.63", "USD"), "AZN": ("68.50", "67.90", "USD")})
    rates = Fixed(
        {"USD": ("1.0842", "1.0815", "USD"), "AZN": ("1.8431", "1.8390", "AZN")}, exchange="ECB"
    )
    monkeypatch.setattr(
        services, "providers_for", lambda kind: [stocks if kind == "stocks" else rates]
    )
    quotes_refresh(now=TRADING)
    assert sorted(Instrument.objects.filter(symbol="AZN").values_list("kind", flat=True)) == [
        "currency",
        "stock",
    ]
    stock_lines = ticker_for_site(jdt, now=TRADING).lines  # type: ignore[union-attr]
    rate_lines = ticker_for_site(zdt, now=TRADING).lines  # type: ignore[union-attr]
    assert [(x.symbol, x.change_text, x.price, x.currency) for x in stock_lines] == [
        ("BP", "+0.44%", "29.76", "$"),
        ("AZN", "+0.88%", "68.5", "$"),
    ]
    assert [(x.symbol, x.change_text, x.price, x.currency) for x in rate_lines] == [
        ("USD", "+0.25%", "1.0842", "$"),
        ("AZN", "+0.22%", "1.8431", "AZN"),
    ]
    for host, expected in (("test.localhost", "68.5"), ("zeitung.localhost", "1.8431")):
        data = client.get("/ticker.json", HTTP_HOST=host).json()
        assert [line["price"] for line in data["lines"] if line["symbol"] == "AZN"] == [expected]
