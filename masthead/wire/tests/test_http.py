"""Fetching over HTTP against a local server: conditional requests, limits, failures.

No test here leaves the machine: the server runs in a thread on 127.0.0.1.
"""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from masthead.core.errors import MastheadError
from masthead.core.http import is_public_address, size_text
from masthead.demo.pictures import demo_picture
from masthead.wire.sources.http import feed_fetch, picture_fetch

FEED = (Path(__file__).parent / "fixtures" / "feed" / "city-press.rss").read_bytes()
ETAG = '"city-v1"'
MODIFIED = "Mon, 23 Nov 2026 09:00:00 GMT"


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    seen: list[dict[str, str]] = []  # the requests' headers

    def log_message(self, *args: object) -> None:  # quiet
        return

    def do_GET(self) -> None:
        Handler.seen.append(dict(self.headers))
        route = {
            "/feed.xml": self._feed,
            "/slow": self._slow,
            "/trickle": self._trickle,
            "/big": lambda: self._send(200, b"x" * 3_000_000, "application/xml"),
            "/big-chunked": self._big_chunked,
            "/says-big": self._says_big,
            "/cut": self._cut,
            "/picture.jpg": lambda: self._send(200, demo_picture("x"), "image/jpeg"),
            "/bytes": lambda: self._send(200, demo_picture("y"), "application/octet-stream"),
            "/page.html": lambda: self._send(200, b"<html></html>", "text/html; charset=utf-8"),
            "/empty.jpg": lambda: self._send(200, b"", "image/jpeg"),
            "/moved": lambda: self._send(301, b"", "text/plain", Location="/feed.xml"),
            "/to-ftp": lambda: self._send(302, b"", "text/plain", Location="ftp://127.0.0.1/x"),
            "/to-file": lambda: self._send(302, b"", "text/plain", Location="file:///etc/passwd"),
            "/gone": lambda: self._send(404, b"not here", "text/plain"),
        }.get(self.path.split("?")[0])
        if route is None:
            self._send(500, b"broken", "text/plain")
        else:
            route()

    def _feed(self) -> None:
        if self.headers.get("If-None-Match") == ETAG or (
            "If-None-Match" not in self.headers
            and self.headers.get("If-Modified-Since") == MODIFIED
        ):
            self.send_response(304)
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        self._send(200, FEED, "application/rss+xml", ETag=ETAG, **{"Last-Modified": MODIFIED})

    def _slow(self) -> None:
        time.sleep(1.5)
        self._send(200, b"late", "text/plain")

    def _trickle(self) -> None:
        # Every byte comes quickly enough for each read, the whole never does.
        self.send_response(200)
        self.send_header("Content-Type", "application/xml")
        self.send_header("Content-Length", "40")
        self.end_headers()
        for _ in range(40):
            self.wfile.write(b"x")
            self.wfile.flush()
            time.sleep(0.1)

    def _big_chunked(self) -> None:
        # No Content-Length: only counting what arrives can stop it.
        self.send_response(200)
        self.send_header("Content-Type", "application/xml")
        self.send_header("Transfer-Encoding", "chunked")
        self.end_headers()
        chunk = b"y" * 100_000
        for _ in range(30):
            self.wfile.write(f"{len(chunk):x}\r\n".encode() + chunk + b"\r\n")
        self.wfile.write(b"0\r\n\r\n")

    def _says_big(self) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "application/xml")
        self.send_header("Content-Length", str(50_000_000))
        self.end_headers()
        self.wfile.write(b"<rss")  # the client must not wait for the rest

    def _cut(self) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "application/rss+xml")
        self.send_header("Content-Length", str(len(FEED)))
        self.send_header("Connection", "close")
        self.end_headers()
        self.wfile.write(FEED[:500])
        self.close_connection = True

    def _send(self, status: int, body: bytes, kind: str, **headers: str) -> None:
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        for name, value in headers.items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(body)


class QuietServer(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request: object, client_address: object) -> None:
        return  # handlers writing to a client that gave up: expected here


@pytest.fixture(autouse=True)
def _local_fetches(settings) -> None:  # type: ignore[no-untyped-def]
    """The test server is on this machine: every fetch here opts in to private addresses,
    except where a test turns it off again to see them refused."""
    settings.MASTHEAD_WIRE_FETCH_PRIVATE = True


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    httpd = QuietServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


def test_feed_then_not_modified_by_etag(server: str) -> None:
    first = feed_fetch(url=f"{server}/feed.xml", max_bytes=1_000_000)
    assert (first.status, first.etag, first.modified) == (200, ETAG, MODIFIED)
    assert first.body == FEED and first.content_type == "application/rss+xml"
    again = feed_fetch(
        url=f"{server}/feed.xml", etag=first.etag, modified=first.modified, max_bytes=1_000_000
    )
    assert Handler.seen[-1]["If-None-Match"] == ETAG
    assert Handler.seen[-1]["If-Modified-Since"] == MODIFIED
    # Nothing new: no body, and the validators to send next time are the same.
    assert (again.status, again.body, again.etag, again.modified) == (304, b"", ETAG, MODIFIED)


def test_not_modified_by_date_alone(server: str) -> None:
    again = feed_fetch(url=f"{server}/feed.xml", modified=MODIFIED, max_bytes=1_000_000)
    assert "If-None-Match" not in Handler.seen[-1]
    assert (again.status, again.body, again.modified) == (304, b"", MODIFIED)
    changed = feed_fetch(
        url=f"{server}/feed.xml", modified="Sun, 22 Nov 2026 09:00:00 GMT", max_bytes=1_000_000
    )
    assert changed.status == 200 and changed.body == FEED


def test_a_redirect_within_http_is_followed(server: str) -> None:
    moved = feed_fetch(url=f"{server}/moved", max_bytes=1_000_000)
    assert moved.status == 200 and moved.body == FEED


@pytest.mark.parametrize(
    ("path", "message"),
    [
        ("/slow", "no answer within 0.5 s"),
        ("/big", "response is over the 1 MB limit"),
        ("/big-chunked", "response is over the 1 MB limit"),
        ("/says-big", "response is over the 1 MB limit"),
        ("/cut", f"connection closed after 500 of {len(FEED)} bytes"),
        ("/error", "HTTP 500 Internal Server Error"),
        ("/gone", "HTTP 404 Not Found"),
        ("/to-ftp", r"redirected to a non-http URL \(ftp://127.0.0.1/x\)"),
        ("/to-file", "redirected to a non-http URL"),
    ],
)
def test_failures_are_one_line_naming_the_url(server: str, path: str, message: str) -> None:
    started = time.monotonic()
    with pytest.raises(MastheadError, match=message) as caught:
        feed_fetch(url=f"{server}{path}", timeout=0.5, max_bytes=1_048_576)
    assert str(caught.value).startswith(f"{server}{path}: ")
    assert "\n" not in str(caught.value)
    assert time.monotonic() - started < 1.4


def test_a_trickling_server_is_cut_off_at_the_time_limit(server: str) -> None:
    started = time.monotonic()
    with pytest.raises(MastheadError, match="download not finished within 1 s"):
        feed_fetch(url=f"{server}/trickle", timeout=1, max_bytes=1_000_000)
    assert time.monotonic() - started < 2


def test_nothing_listening() -> None:
    with socket.socket() as probe:  # a port that was free a moment ago
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    with pytest.raises(MastheadError, match=rf"^http://127.0.0.1:{port}/feed.xml: .*refused"):
        feed_fetch(url=f"http://127.0.0.1:{port}/feed.xml", timeout=2, max_bytes=1000)


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("file:///etc/passwd", "only http and https"),
        ("ftp://example.org/x", "only http and https"),
        ("gopher://x", "only http and https"),
        ("/etc/passwd", "only http and https"),
        ("http://", "only http and https"),
        ("http://[::1/feed", "not a valid URL"),
        ("http://example.org:port/feed", "not a valid URL"),
        ("http://127.0.0.1:9/a feed", "not a valid URL"),
    ],
)
def test_only_valid_http_urls(url: str, message: str) -> None:
    with pytest.raises(MastheadError, match=message):
        feed_fetch(url=url, timeout=1, max_bytes=1000)


def test_picture_fetch_checks_the_type(server: str) -> None:
    jpeg = picture_fetch(
        url=f"{server}/picture.jpg", timeout=5, max_bytes=5_000_000, public_only=False
    )
    assert jpeg == demo_picture("x") and Handler.seen[-1]["Accept"] == "image/*"
    # A generic type goes on: the picture pipeline decodes the bytes anyway.
    assert (
        picture_fetch(url=f"{server}/bytes", timeout=5, max_bytes=5_000_000, public_only=False)[:2]
        == b"\xff\xd8"
    )
    with pytest.raises(MastheadError, match="served as text/html, not an image"):
        picture_fetch(url=f"{server}/page.html", timeout=5, max_bytes=5_000_000, public_only=False)
    with pytest.raises(MastheadError, match="empty response"):
        picture_fetch(url=f"{server}/empty.jpg", timeout=5, max_bytes=5_000_000, public_only=False)
    with pytest.raises(MastheadError, match="over the 1 KB limit"):
        picture_fetch(url=f"{server}/picture.jpg", timeout=5, max_bytes=1024, public_only=False)


def test_pictures_from_private_addresses_are_refused(server: str, settings) -> None:
    # A wire item must not make the worker read the machine's own or the office's services.
    settings.MASTHEAD_WIRE_FETCH_PRIVATE = False
    port = server.rsplit(":", 1)[1]
    for host in ("127.0.0.1", "localhost"):
        with pytest.raises(MastheadError, match=r"refused, .* is a private or local address"):
            picture_fetch(url=f"http://{host}:{port}/picture.jpg", timeout=5, max_bytes=5_000_000)
    seen = len(Handler.seen)
    with pytest.raises(MastheadError, match="refused"):
        picture_fetch(url=f"{server}/picture.jpg", timeout=5, max_bytes=5_000_000)
    assert len(Handler.seen) == seen  # refused before any request was sent


@pytest.mark.parametrize(
    ("address", "public"),
    [
        ("8.8.8.8", True),
        ("2001:4860:4860::8888", True),
        ("10.1.2.3", False),
        ("172.16.0.9", False),
        ("192.168.1.1", False),
        ("169.254.169.254", False),  # cloud metadata
        ("100.64.0.1", False),  # carrier-grade NAT
        ("0.0.0.0", False),
        ("::1", False),
        ("fd00::1", False),
        ("fe80::1%eth0", False),
        ("::ffff:127.0.0.1", False),
    ],
)
def test_public_addresses(address: str, public: bool) -> None:
    assert is_public_address(address) is public


def test_a_refused_picture_leaves_the_story_without_it(server: str, network, settings, tmp_path):
    from masthead.newsroom.models import Article
    from masthead.wire.models import WireItem
    from masthead.wire.pipeline import ingest_paths

    settings.MASTHEAD_WIRE_FETCH_PICTURES = True
    settings.MASTHEAD_WIRE_FETCH_PRIVATE = False
    feed = FEED.replace(
        b"https://press.ghent.example/img/bridges-1200.jpg", f"{server}/picture.jpg".encode()
    )
    (tmp_path / "f.rss").write_bytes(feed)
    list(ingest_paths([tmp_path / "f.rss"]))
    article = Article.objects.get(story__guid="ghent-press-2026-311", site__code="JdT")
    assert article.picture is None
    item = WireItem.objects.get(guid="ghent-press-2026-311")
    assert "private or local address" in item.note


def test_size_text() -> None:
    assert [size_text(n) for n in (900, 1024, 1536, 1_048_576, 20 * 1_048_576, 2_621_440)] == [
        "900 bytes",
        "1 KB",
        "1.5 KB",
        "1 MB",
        "20 MB",
        "2.5 MB",
    ]


def test_feed_source_pulls_once_then_not_modified(server: str, network, settings) -> None:
    from masthead.newsroom.models import Article
    from masthead.wire.models import Source
    from masthead.wire.services import source_poll

    settings.MASTHEAD_WIRE_FETCH_PICTURES = True
    settings.MASTHEAD_WIRE_FETCH_PRIVATE = True  # the feed's server is on this machine
    source = Source.objects.create(name="city", kind="feed", location=f"{server}/feed.xml")
    result = source_poll(source=source)
    assert [o.action for o in result.outcomes] == ["created", "created", "failed"], result.error
    source.refresh_from_db()
    assert source.etag == ETAG and source.last_modified == MODIFIED
    assert source.last_error == ""
    again = source_poll(source=source)
    assert again.not_modified and again.outcomes == []
    assert Article.objects.filter(story__guid="ghent-press-2026-311").exists()


def test_remote_picture_is_downloaded_at_ingest(
    server: str, network, settings, tmp_path: Path
) -> None:
    from masthead.newsroom.models import Article
    from masthead.wire.pipeline import ingest_paths

    settings.MASTHEAD_WIRE_FETCH_PICTURES = True
    settings.MASTHEAD_WIRE_FETCH_PRIVATE = True  # the test server is on this machine
    feed = FEED.replace(
        b"https://press.ghent.example/img/bridges-1200.jpg", f"{server}/picture.jpg".encode()
    )
    (tmp_path / "f.rss").write_bytes(feed)
    list(ingest_paths([tmp_path / "f.rss"]))
    article = Article.objects.get(story__guid="ghent-press-2026-311", site__code="JdT")
    assert article.picture is not None and article.picture.width == 1200
    assert article.picture.credit == "Ines MAERTENS"
    assert article.picture.caption == "One of the new bridges over the Leie in Ghent."


TOLD: list[list[int]] = []


def told(*, article_ids: list[int]) -> None:
    TOLD.append(list(article_ids))


def test_a_feed_pull_tells_the_caches_once(server: str, network_tx, settings) -> None:
    from masthead.newsroom.models import Article
    from masthead.wire.models import Source
    from masthead.wire.services import source_poll

    settings.MASTHEAD_WIRE_FETCH_PRIVATE = True  # the feed's server is on this machine
    settings.MASTHEAD_ARTICLE_LISTENERS = [f"{__name__}.told"]
    TOLD.clear()
    source = Source.objects.create(name="city", kind="feed", location=f"{server}/feed.xml")
    result = source_poll(source=source)  # its transactions really commit here
    created = [o for o in result.outcomes if o.action == "created"]
    assert len(created) == 2
    # One search-index pass and one purge for the whole pull, as for a drop folder's batch.
    assert len(TOLD) == 1
    assert sorted(TOLD[0]) == sorted(Article.objects.values_list("pk", flat=True))
