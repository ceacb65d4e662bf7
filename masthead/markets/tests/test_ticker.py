from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from masthead.markets.models import Instrument, Quote, QuoteState
from masthead.markets.ticker import quote_change, ticker_for_site


@pytest.mark.parametrize(
    ("last", "previous", "expected"),
    [
        ("29.76", "29.63", Decimal("0.44")),
        ("37.15", "37.64", Decimal("-1.30")),
        ("10", "10", Decimal("0.00")),
        ("64.5", None, None),  # no previous close: no move, never "100%"
        ("64.5", "0", None),
        (None, "10", None),
        ("-1", "10", None),
    ],
)
def test_quote_change(last, previous, expected) -> None:
    value = quote_change(
        Decimal(last) if last else None, Decimal(previous) if previous is not None else None
    )
    assert value == expected


def _quote(symbol: str, last: str | None, previous: str | None, *, kind="stock", **extra):
    instrument, _ = Instrument.objects.get_or_create(
        symbol=symbol, kind=kind, defaults={"currency": extra.pop("currency", "USD")}
    )
    return Quote.objects.create(
        instrument=instrument,
        last=Decimal(last) if last else None,
        previous_close=Decimal(previous) if previous else None,
        as_of=extra.pop("as_of", timezone.now()),
        source="test",
        **extra,
    )


def test_ticker_lines_follow_the_site_symbols_and_use_the_newest_quote(network) -> None:
    site = network["JdT"]
    _quote("RBGPF", "64.5", None)
    _quote("BP", "20", "21", as_of=timezone.now() - timedelta(days=1))
    _quote("BP", "29.76", "29.63")
    ticker = ticker_for_site(site)
    assert ticker is not None
    assert ticker.label == "NYSE - LSE"
    lines = [(t.symbol, t.change_text, t.price, t.currency) for t in ticker.lines]
    assert lines == [("BP", "+0.44%", "29.76", "$"), ("RBGPF", "n/a", "64.5", "$")]
    assert [t.direction for t in ticker.lines] == ["up", "flat"]


def test_ticker_hides_symbols_without_an_honest_price(network) -> None:
    _quote("BP", None, "29.63")
    _quote("RBGPF", "0", "64.5")
    ticker = ticker_for_site(network["JdT"])
    assert ticker is not None and ticker.lines == []


def test_suspect_quote_shows_no_change(network) -> None:
    _quote("BP", "59.52", "29.76", state=QuoteState.SUSPECT)
    ticker = ticker_for_site(network["JdT"])
    assert ticker is not None
    assert [t.change_text for t in ticker.lines] == ["n/a"]


def test_currency_and_stock_with_the_same_symbol_stay_apart(network) -> None:
    _quote("BP", "1.2", "1.1", kind="currency", currency="BP")
    ticker = ticker_for_site(network["JdT"])
    assert ticker is not None and ticker.lines == []


def test_site_without_ticker(network) -> None:
    assert ticker_for_site(network["ZdT"]) is None


def test_currency_rates_follow_one_precision_rule(network, client) -> None:
    """Four decimals below 10 per euro, two from 10 up: 1.0330 $, 0.8732 £, 164.18 ¥."""
    zdt = network["ZdT"]
    zdt.ticker = {
        "label": "Devisen",
        "kind": "currencies",
        "symbols": ["USD", "GBP", "JPY", "CZK", "CHF", "AZN"],
    }
    zdt.save()
    for symbol, rate in (
        ("USD", "1.033"),
        ("GBP", "0.8732"),
        ("JPY", "164.1767"),
        ("CZK", "25.2134"),
        ("CHF", "0.94"),
        ("AZN", "1.84305"),
    ):
        _quote(symbol, rate, rate, kind="currency", currency=symbol)
    ticker = ticker_for_site(zdt)
    assert ticker is not None
    expected = [
        ("USD", "1.0330", "$"),
        ("GBP", "0.8732", "£"),
        ("JPY", "164.18", "¥"),
        ("CZK", "25.21", "CZK"),
        ("CHF", "0.9400", "CHF"),
        ("AZN", "1.8431", "AZN"),
    ]
    assert [(t.symbol, t.price, t.currency) for t in ticker.lines] == expected
    data = client.get("/ticker.json", HTTP_HOST="zeitung.localhost").json()
    assert [(line["symbol"], line["price"], line["currency"]) for line in data["lines"]] == expected


def test_stock_prices_keep_their_short_form(network) -> None:
    _quote("BP", "29.7", "29.63")
    _quote("RBGPF", "64.5012", None)
    ticker = ticker_for_site(network["JdT"])
    assert ticker is not None and [t.price for t in ticker.lines] == ["29.7", "64.5012"]
