"""Each provider on recorded data written for the project; none touches the network."""

import statistics
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from pathlib import Path

import pytest

from masthead.markets.hours import EURO_FX, NEW_YORK, trading_day
from masthead.markets.providers.base import ProviderError
from masthead.markets.providers.ecb import EcbProvider
from masthead.markets.providers.file import FileProvider
from masthead.markets.providers.replay import RATES, STOCKS, ReplayProvider

FIXTURES = Path(__file__).parent / "fixtures"
# A Tuesday: NYSE opens at 14:30 UTC in November.
TRADING = datetime(2026, 11, 24, 17, 0, tzinfo=UTC)


def test_replay_is_deterministic_and_moves_during_the_day() -> None:
    replay = ReplayProvider(thin=["RBGPF"])
    first = replay.fetch(symbols=["BP", "RBGPF"], kind="stocks", now=TRADING)
    again = replay.fetch(symbols=["BP", "RBGPF"], kind="stocks", now=TRADING)
    assert first == again
    later = replay.fetch(symbols=["BP"], kind="stocks", now=TRADING + timedelta(hours=1))
    assert later[0].last != first[0].last
    bp, thin = first
    assert bp.previous_close and abs(bp.last - bp.previous_close) / bp.previous_close < Decimal(
        "0.1"
    )
    assert thin.previous_close is None  # a line that did not trade yesterday


def test_replay_holds_still_when_the_market_is_closed() -> None:
    replay = ReplayProvider()
    saturday = datetime(2026, 11, 28, 15, 0, tzinfo=UTC)
    sunday = saturday + timedelta(days=1)
    a = replay.fetch(symbols=["BP"], kind="stocks", now=saturday)[0]
    b = replay.fetch(symbols=["BP"], kind="stocks", now=sunday)[0]
    assert (a.last, a.as_of) == (b.last, b.as_of)
    assert a.as_of.weekday() == 4  # Friday's close


def test_replay_currencies() -> None:
    (usd,) = ReplayProvider().fetch(symbols=["USD"], kind="currencies", now=TRADING)
    assert usd.currency == "USD" and Decimal("0.9") < usd.last < Decimal("1.3")
    assert usd.last.as_tuple().exponent == -4


# The most a replayed line may move in a day, last price against previous close.
DAILY_BOUND = {"stocks": Decimal("0.04"), "currencies": Decimal("0.008")}


@pytest.mark.parametrize(
    ("kind", "symbols", "market", "times"),
    [
        ("stocks", [*STOCKS, "XYZ"], NEW_YORK, [time(9, 45), time(12, 30), time(15, 59), time(17)]),
        ("currencies", [*RATES, "SEK"], EURO_FX, [time(0, 5), time(9), time(16), time(23, 59)]),
    ],
)
def test_replay_moves_within_a_plausible_daily_range(kind, symbols, market, times) -> None:
    replay = ReplayProvider()
    moves: dict[str, list[float]] = {symbol: [] for symbol in symbols}
    closes: dict[str, list[Decimal]] = {symbol: [] for symbol in symbols}
    day, days = date(2025, 1, 2), 0
    while days < 400:  # 400 trading days, four readings each
        day += timedelta(days=1)
        if not trading_day(market, day):
            continue
        days += 1
        for at in times:
            now = datetime.combine(day, at, tzinfo=market.zone)
            for reading in replay.fetch(symbols=symbols, kind=kind, now=now):
                assert reading.last and reading.previous_close
                move = reading.last / reading.previous_close - 1
                assert abs(move) <= DAILY_BOUND[kind], (reading.symbol, day, at, move)
                if at == times[-1]:
                    moves[reading.symbol].append(float(move))
                    closes[reading.symbol].append(reading.last)
    for symbol in symbols:
        spread = statistics.pstdev(moves[symbol])
        # A walk, not a flat line, nor a coin flip between the bounds.
        assert float(DAILY_BOUND[kind]) / 10 < spread < float(DAILY_BOUND[kind]) / 2, symbol
        assert sum(1 for move in moves[symbol] if move) > 0.9 * days, symbol
        low, high = min(closes[symbol]), max(closes[symbol])
        assert high / low < (2 if kind == "stocks" else Decimal("1.3")), symbol


def test_replay_chf_is_a_calm_currency_over_years() -> None:
    replay = ReplayProvider()
    day, worst = date(2020, 1, 1), Decimal(0)
    while day < date(2027, 1, 1):
        day += timedelta(days=7)
        now = datetime.combine(day, time(18), tzinfo=EURO_FX.zone)
        (chf,) = replay.fetch(symbols=["CHF"], kind="currencies", now=now)
        assert chf.previous_close
        worst = max(worst, abs(chf.last / chf.previous_close - 1))
    assert worst <= Decimal("0.008")


def test_replay_is_deterministic_per_seed() -> None:
    now = datetime(2026, 3, 10, 17, 0, tzinfo=UTC)
    a = ReplayProvider(seed="demo").fetch(symbols=["BP", "USD"], kind="stocks", now=now)
    b = ReplayProvider(seed="demo").fetch(symbols=["BP", "USD"], kind="stocks", now=now)
    c = ReplayProvider(seed="other").fetch(symbols=["BP", "USD"], kind="stocks", now=now)
    assert a == b and a != c
    stock = ReplayProvider().fetch(symbols=["AZN"], kind="stocks", now=now)[0]
    rate = ReplayProvider().fetch(symbols=["AZN"], kind="currencies", now=now)[0]
    assert stock.last != rate.last and stock.currency == "USD" and rate.currency == "AZN"


def test_ecb_reference_rates(monkeypatch) -> None:
    ecb = EcbProvider(url="https://ecb.example/rates.xml")
    monkeypatch.setattr(ecb, "read", lambda: (FIXTURES / "eurofxref-hist.xml").read_bytes())
    readings = {
        r.symbol: r
        for r in ecb.fetch(symbols=["USD", "JPY", "PLN"], kind="currencies", now=TRADING)
    }
    assert set(readings) == {"USD", "JPY"}  # PLN is not in the file
    assert (readings["USD"].last, readings["USD"].previous_close) == (
        Decimal("1.0842"),
        Decimal("1.0815"),
    )
    assert readings["USD"].as_of.isoformat() == "2026-11-24T16:00:00+01:00"


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"<html>maintenance</html>", "no daily fixing"),
        (
            b"<Cube><Cube time='2026-11-24'><Cube currency='USD' rate='n/a'/></Cube></Cube>",
            "no number",
        ),
        (b"\x00\x01garbage", "ECB rates"),
    ],
)
def test_ecb_garbage(monkeypatch, data: bytes, message: str) -> None:
    ecb = EcbProvider()
    monkeypatch.setattr(ecb, "read", lambda: data)
    with pytest.raises(ProviderError, match=message):
        ecb.fetch(symbols=["USD"], kind="currencies", now=TRADING)


def test_file_provider_csv_and_json() -> None:
    csv = FileProvider(str(FIXTURES / "snapshot.csv"))
    readings = {
        r.symbol: r
        for r in csv.fetch(symbols=["BP", "VOD", "RBGPF", "USD"], kind="stocks", now=TRADING)
    }
    assert set(readings) == {"BP", "VOD", "RBGPF"}
    assert readings["VOD"].currency == "GBX" and readings["RBGPF"].previous_close is None
    json_ = FileProvider(str(FIXTURES / "snapshot.json"))
    (bp,) = json_.fetch(symbols=["BP"], kind="stocks", now=TRADING)
    assert bp.last == Decimal("30.10")


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("symbol,price\nBP,1\n", "without the column"),
        ('{"quotes": 3}', "expected"),
        ("symbol,kind,last\nBP,stock,abc\n", r"row 1 \(BP\): .abc. is not a number"),
        ("{not json", "invalid JSON"),
    ],
)
def test_file_provider_bad_files(tmp_path: Path, content: str, message: str) -> None:
    path = tmp_path / "q.txt"
    path.write_text(content)
    with pytest.raises(ProviderError, match=message):
        FileProvider(str(path)).fetch(symbols=["BP"], kind="stocks", now=TRADING)
    with pytest.raises(ProviderError, match="cannot read"):
        FileProvider(str(tmp_path / "missing.csv")).fetch(
            symbols=["BP"], kind="stocks", now=TRADING
        )
