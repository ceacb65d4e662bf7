"""Every outbound fetch (feeds, pictures, quote files, ECB rates) keeps to public addresses,
unless MASTHEAD_WIRE_FETCH_PRIVATE says the operator's own network may be read.

The servers run in threads on this machine's loopback addresses: 127.0.0.1 is the "internal
service"; for redirects, 127.0.0.2 is made to pass for a public address.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from masthead.core import http as core_http
from masthead.core.errors import MastheadError
from masthead.core.http import http_get
from masthead.markets.providers.base import ProviderError
from masthead.markets.providers.ecb import EcbProvider
from masthead.markets.providers.file import FileProvider
from masthead.wire.sources.http import feed_fetch, picture_fetch

FEED = (Path(__file__).parent / "fixtures" / "feed" / "city-press.rss").read_bytes()
QUOTES = b"symbol,kind,last,previous_close,currency,as_of\nBP,stock,29.76,29.63,USD,\n"


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    seen: list[str] = []
    redirect_to = ""

    def log_message(self, *args: object) -> None:
        return

    def do_GET(self) -> None:
        Handler.seen.append(self.path)
        if self.path == "/moved":
            self._send(302, b"", "text/plain", Location=Handler.redirect_to)
        elif self.path == "/quotes.csv":
            self._send(200, QUOTES, "text/csv")
        else:  # /secret: the internal service's answer, a feed that would be published
            self._send(200, FEED, "application/rss+xml")

    def _send(self, status: int, body: bytes, kind: str, **headers: str) -> None:
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        for name, value in headers.items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(body)


def _serve(host: str) -> Iterator[str]:
    httpd = ThreadingHTTPServer((host, 0), Handler)
    httpd.daemon_threads = True
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://{host}:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


@pytest.fixture(scope="module")
def internal() -> Iterator[str]:
    yield from _serve("127.0.0.1")


@pytest.fixture(scope="module")
def outside() -> Iterator[str]:
    yield from _serve("127.0.0.2")


@pytest.fixture
def private_off(settings) -> None:  # type: ignore[no-untyped-def]
    settings.MASTHEAD_WIRE_FETCH_PRIVATE = False  # the default, said out loud


def test_a_feed_source_on_an_internal_address_is_refused(internal, network, private_off) -> None:
    from masthead.newsroom.models import Article
    from masthead.wire.models import Source, WireItem
    from masthead.wire.services import source_poll

    source = Source.objects.create(name="inside", kind="feed", location=f"{internal}/secret")
    seen = len(Handler.seen)
    result = source_poll(source=source)
    source.refresh_from_db()
    assert source.last_error == result.error
    assert source.last_error.startswith(f"{internal}/secret: refused, 127.0.0.1 is a private")
    assert "MASTHEAD_WIRE_FETCH_PRIVATE" in source.last_error
    assert "\n" not in source.last_error
    assert result.outcomes == []
    assert not WireItem.objects.exists() and not Article.objects.exists()
    assert len(Handler.seen) == seen  # not even asked


def test_with_the_opt_in_a_feed_on_the_own_network_is_fetched(internal, network, settings) -> None:
    from masthead.newsroom.models import Article
    from masthead.wire.models import Source
    from masthead.wire.services import source_poll

    settings.MASTHEAD_WIRE_FETCH_PRIVATE = True
    settings.MASTHEAD_WIRE_FETCH_PICTURES = False
    source = Source.objects.create(name="office", kind="feed", location=f"{internal}/secret")
    result = source_poll(source=source)
    source.refresh_from_db()
    assert source.last_error == "" and result.error == ""
    assert "created" in [o.action for o in result.outcomes]
    assert Article.objects.filter(story__guid="ghent-press-2026-311").exists()


def test_a_name_that_resolves_to_a_local_address_is_refused(internal, private_off) -> None:
    port = internal.rsplit(":", 1)[1]
    with pytest.raises(MastheadError, match=r"refused, localhost is a private or local address"):
        feed_fetch(url=f"http://localhost:{port}/secret", timeout=5, max_bytes=1_000_000)


def test_a_redirect_to_an_internal_address_is_refused(
    internal, outside, private_off, monkeypatch
) -> None:
    monkeypatch.setattr(core_http, "is_public_address", lambda address: address == "127.0.0.2")
    Handler.redirect_to = f"{internal}/secret"
    seen = len(Handler.seen)
    with pytest.raises(MastheadError, match=r"refused, 127.0.0.1 is a private or local address"):
        feed_fetch(url=f"{outside}/moved", timeout=5, max_bytes=1_000_000)
    assert Handler.seen[seen:] == ["/moved"]  # the internal service was never asked
    # A redirect to another public address goes on.
    Handler.redirect_to = f"{outside}/secret"
    assert feed_fetch(url=f"{outside}/moved", timeout=5, max_bytes=1_000_000).body == FEED


@pytest.mark.parametrize("fetch", ["http_get", "picture_fetch"])
def test_every_fetch_follows_the_setting(internal, settings, fetch: str) -> None:
    def get() -> object:
        if fetch == "http_get":
            return http_get(f"{internal}/secret", headers={}, timeout=5, max_bytes=1_000_000)
        return picture_fetch(url=f"{internal}/secret", timeout=5, max_bytes=1_000_000)

    settings.MASTHEAD_WIRE_FETCH_PRIVATE = False
    with pytest.raises(MastheadError, match="private or local address"):
        get()
    settings.MASTHEAD_WIRE_FETCH_PRIVATE = True
    if fetch == "http_get":
        assert get().body == FEED  # type: ignore[attr-defined]
    else:
        with pytest.raises(MastheadError, match="not an image"):  # fetched, then judged
            get()


def test_quote_files_and_ecb_rates_by_url_keep_to_public_addresses(internal, settings) -> None:
    now = datetime(2026, 11, 24, 17, tzinfo=UTC)
    settings.MASTHEAD_WIRE_FETCH_PRIVATE = False
    with pytest.raises(ProviderError, match="private or local address"):
        FileProvider(f"{internal}/quotes.csv").fetch(symbols=["BP"], kind="stocks", now=now)
    with pytest.raises(ProviderError, match="private or local address"):
        EcbProvider(url=f"{internal}/secret").read()
    settings.MASTHEAD_WIRE_FETCH_PRIVATE = True
    (reading,) = FileProvider(f"{internal}/quotes.csv").fetch(
        symbols=["BP"], kind="stocks", now=now
    )
    assert str(reading.last) == "29.76"
