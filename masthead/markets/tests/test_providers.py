"""Each provider on recorded data written for the project; none touches the network."""

from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path

import pytest

from masthead.markets.providers.base import ProviderError
from masthead.markets.providers.ecb import EcbProvider
from masthead.markets.providers.file import FileProvider
from masthead.markets.providers.replay import ReplayProvider

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
