"""The European Central Bank's euro reference rates (eurofxref XML), for currency panels.

The 90-day file carries the latest fixing and the one before, which is the previous close.
"""

from __future__ import annotations

from datetime import datetime, time
from decimal import Decimal, InvalidOperation
from zoneinfo import ZoneInfo

from masthead.core.errors import MastheadError
from masthead.core.http import http_get
from masthead.core.xml import descendants, parse_xml
from masthead.markets.providers.base import ProviderError, QuoteProvider, Reading

DEFAULT_URL = "https://www.ecb.europa.eu/stats/eurofxref/eurofxref-hist-90d.xml"
FIXING = time(16, 0)  # the rates are published around 16:00 Frankfurt time
FRANKFURT = ZoneInfo("Europe/Berlin")


class EcbProvider(QuoteProvider):
    name = "ecb"
    delayed = True

    def __init__(self, url: str = DEFAULT_URL, timeout: float = 10.0) -> None:
        self.url = url
        self.timeout = timeout

    def read(self) -> bytes:
        try:
            return http_get(self.url, headers={}, timeout=self.timeout, max_bytes=2_000_000).body
        except MastheadError as exc:
            raise ProviderError(str(exc)) from None

    def fetch(self, *, symbols: list[str], kind: str, now: datetime) -> list[Reading]:
        try:
            root = parse_xml(self.read())
        except MastheadError as exc:
            raise ProviderError(f"ECB rates: {exc}") from None
        days: list[tuple[str, dict[str, Decimal]]] = []
        for cube in descendants(root, "Cube"):
            if cube.get("time"):
                rates = {}
                for rate in cube:
                    try:
                        rates[rate.get("currency", "")] = Decimal(rate.get("rate", ""))
                    except InvalidOperation:
                        raise ProviderError(
                            f"ECB rates: {rate.get('currency')} has no number"
                        ) from None
                days.append((cube.get("time", ""), rates))
        if not days:
            raise ProviderError("ECB rates: no daily fixing in the file")
        days.sort(reverse=True)
        latest_day, latest = days[0]
        previous = days[1][1] if len(days) > 1 else {}
        try:
            fixed = datetime.combine(
                datetime.fromisoformat(latest_day).date(), FIXING, tzinfo=FRANKFURT
            )
        except ValueError:
            raise ProviderError(f"ECB rates: {latest_day!r} is not a date") from None
        return [
            Reading(
                symbol=symbol,
                last=latest[symbol],
                previous_close=previous.get(symbol),
                currency=symbol,
                as_of=fixed,
                exchange="ECB",
            )
            for symbol in symbols
            if symbol in latest
        ]
