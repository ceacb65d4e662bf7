"""File: a snapshot of quotes in CSV or JSON, from a path or an http(s) URL.

The format any vendor's export can be turned into (docs/markets.md):

    symbol,kind,last,previous_close,currency,as_of[,name,exchange]
    BP,stock,29.76,29.63,USD,2026-11-24T16:00:00Z,BP p.l.c.,NYSE

or JSON: {"quotes": [{"symbol": "BP", "kind": "stock", "last": "29.76", ...}]}. `kind` is
`stock` or `currency`; `previous_close` may be empty; `currency` GBX means pence.
"""

from __future__ import annotations

import csv
import io
import json
from datetime import datetime
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from masthead.core.errors import MastheadError
from masthead.core.http import http_get
from masthead.core.times import parse_time
from masthead.markets.providers.base import ProviderError, QuoteProvider, Reading

MAX_BYTES = 5 * 1024 * 1024
KINDS = {"stocks": "stock", "currencies": "currency"}


class FileProvider(QuoteProvider):
    name = "file"

    def __init__(self, location: str, timeout: float = 10.0) -> None:
        self.location = location
        self.timeout = timeout

    def read(self) -> bytes:
        if self.location.startswith(("http://", "https://")):
            try:
                result = http_get(
                    self.location, headers={}, timeout=self.timeout, max_bytes=MAX_BYTES
                )
            except MastheadError as exc:
                raise ProviderError(str(exc)) from None
            return result.body
        try:
            return Path(self.location).read_bytes()[: MAX_BYTES + 1]
        except OSError as exc:
            raise ProviderError(f"{self.location}: cannot read: {exc.strerror}") from None

    def fetch(self, *, symbols: list[str], kind: str, now: datetime) -> list[Reading]:
        data = self.read()
        if len(data) > MAX_BYTES:
            raise ProviderError(f"{self.location}: larger than {MAX_BYTES // (1024 * 1024)} MB")
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise ProviderError(f"{self.location}: not UTF-8 text") from None
        rows = _json_rows(text) if text.lstrip().startswith(("{", "[")) else _csv_rows(text)
        wanted, readings = set(symbols), []
        for number, row in enumerate(rows, start=1):
            symbol = str(row.get("symbol") or "").strip().upper()
            if symbol not in wanted or str(row.get("kind") or "stock").strip() != KINDS.get(
                kind, kind
            ):
                continue
            try:
                readings.append(_reading(row, symbol, now))
            except (ValueError, InvalidOperation, MastheadError) as exc:
                raise ProviderError(f"{self.location}: row {number} ({symbol}): {exc}") from None
        return readings


def _json_rows(text: str) -> list[dict[str, Any]]:
    try:
        doc = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ProviderError(f"invalid JSON at line {exc.lineno}: {exc.msg}") from None
    rows = doc.get("quotes") if isinstance(doc, dict) else doc
    if not isinstance(rows, list) or not all(isinstance(r, dict) for r in rows):
        raise ProviderError('expected {"quotes": [{...}, ...]}')
    return rows


def _csv_rows(text: str) -> list[dict[str, Any]]:
    reader = csv.DictReader(io.StringIO(text))
    missing = {"symbol", "last"} - set(reader.fieldnames or [])
    if missing:
        raise ProviderError(f"CSV without the column(s) {', '.join(sorted(missing))}")
    return list(reader)


def _decimal(value: Any) -> Decimal | None:
    text = str(value if value is not None else "").strip()
    if not text:
        return None
    try:
        return Decimal(text)
    except InvalidOperation:
        raise ValueError(f"{text[:20]!r} is not a number") from None


def _reading(row: dict[str, Any], symbol: str, now: datetime) -> Reading:
    as_of = parse_time(row.get("as_of") or None, field="as_of")
    return Reading(
        symbol=symbol,
        last=_decimal(row.get("last")),
        previous_close=_decimal(row.get("previous_close")),
        currency=str(row.get("currency") or "").strip(),
        as_of=as_of or now,
        name=str(row.get("name") or "").strip(),
        exchange=str(row.get("exchange") or "").strip(),
        dated=as_of is not None,
    )
