"""Fetching over HTTP against a local server: conditional requests, limits, failures."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from masthead.core.errors import WireError
from masthead.demo.pictures import demo_picture
from masthead.wire.sources.http import feed_fetch, picture_fetch

FEED = (Path(__file__).parent / "fixtures" / "feed" / "city-press.rss").read_bytes()


class Handler(BaseHTTPRequestHandler):
    def log_message(self, *args: object) -> None:  # quiet
        return

    def do_GET(self) -> None:
        if self.path == "/feed.xml":
            if self.headers.get("If-None-Match") == '"v1"':
                self.send_response(304)
                self.end_headers()
                return
            self._send(
                200,
                FEED,
                "application/rss+xml",
                ETag='"v1"',
                **{"Last-Modified": "Mon, 23 Nov 2026 09:00:00 GMT"},
            )
        elif self.path == "/slow":
            time.sleep(2)
            self._send(200, b"late", "text/plain")
        elif self.path == "/big":
            self._send(200, b"x" * 3_000_000, "application/xml")
        elif self.path == "/picture.jpg":
            self._send(200, demo_picture("x"), "image/jpeg")
        elif self.path == "/page.html":
            self._send(200, b"<html></html>", "text/html")
        else:
            self._send(500, b"broken", "text/plain")

    def _send(self, status: int, body: bytes, kind: str, **headers: str) -> None:
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        for name, value in headers.items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(body)


class QuietServer(ThreadingHTTPServer):
    def handle_error(self, request: object, client_address: object) -> None:
        return  # the slow handler writes to a client that gave up: expected here


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    httpd = QuietServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()


def test_feed_then_not_modified(server: str) -> None:
    first = feed_fetch(url=f"{server}/feed.xml", timeout=5, max_bytes=1_000_000)
    assert (first.status, first.etag) == (200, '"v1"') and first.body == FEED
    assert first.modified == "Mon, 23 Nov 2026 09:00:00 GMT"
    again = feed_fetch(url=f"{server}/feed.xml", etag=first.etag, timeout=5, max_bytes=1_000_000)
    assert again.status == 304 and again.body == b""


@pytest.mark.parametrize(
    ("path", "message"),
    [("/slow", "no answer within"), ("/big", "over the 1 MB limit"), ("/error", "HTTP 500")],
)
def test_failures_are_one_line(server: str, path: str, message: str) -> None:
    with pytest.raises(WireError, match=message):
        feed_fetch(url=f"{server}{path}", timeout=0.5, max_bytes=1_048_576)


@pytest.mark.parametrize("url", ["file:///etc/passwd", "ftp://example.org/x", "gopher://x"])
def test_only_http(url: str) -> None:
    with pytest.raises(WireError, match="only http and https"):
        feed_fetch(url=url, timeout=1, max_bytes=1000)


def test_picture_fetch_checks_the_type(server: str) -> None:
    assert (
        picture_fetch(url=f"{server}/picture.jpg", timeout=5, max_bytes=5_000_000)[:2]
        == b"\xff\xd8"
    )
    with pytest.raises(WireError, match="served as text/html"):
        picture_fetch(url=f"{server}/page.html", timeout=5, max_bytes=5_000_000)


def test_feed_source_pulls_once_then_not_modified(server: str, network, settings) -> None:
    from masthead.newsroom.models import Article
    from masthead.wire.models import Source
    from masthead.wire.services import source_poll

    settings.MASTHEAD_WIRE_FETCH_PICTURES = True
    source = Source.objects.create(name="city", kind="feed", location=f"{server}/feed.xml")
    result = source_poll(source=source)
    assert [o.action for o in result.outcomes] == ["created", "created", "failed"], result.error
    source.refresh_from_db()
    assert source.etag == '"v1"' and source.last_error == ""
    again = source_poll(source=source)
    assert again.not_modified and again.outcomes == []
    assert Article.objects.filter(story__guid="ghent-press-2026-311").exists()


def test_remote_picture_is_downloaded_at_ingest(
    server: str, network, settings, tmp_path: Path
) -> None:
    from masthead.newsroom.models import Article
    from masthead.wire.pipeline import ingest_paths

    settings.MASTHEAD_WIRE_FETCH_PICTURES = True
    feed = FEED.replace(
        b"https://press.ghent.example/img/bridges-1200.jpg", f"{server}/picture.jpg".encode()
    )
    (tmp_path / "f.rss").write_bytes(feed)
    list(ingest_paths([tmp_path / "f.rss"]))
    article = Article.objects.get(story__guid="ghent-press-2026-311", site__code="JdT")
    assert article.picture is not None and article.picture.width == 1200
    assert article.picture.credit == "Ines MAERTENS"
