"""The page cache in front of Django: hits without Django, exact purges, editors bypass."""

from __future__ import annotations

import gzip
import time
from io import BytesIO
from pathlib import Path
from typing import Any

import brotli
import pytest
from django.core.handlers.wsgi import WSGIHandler

from masthead.delivery.pagecache import page_cache
from masthead.delivery.pagecache.base import CachedPage
from masthead.delivery.pagecache.file import FilePageCache
from masthead.delivery.pagecache.wsgi import PageCacheApp, choose_encoding, storable
from masthead.newsroom.models import Article
from masthead.newsroom.services.article import article_edit


class Recorder:
    """Counts how often Django itself is reached."""

    def __init__(self) -> None:
        self.django = WSGIHandler()
        self.calls = 0

    def __call__(self, environ: dict[str, Any], start_response: Any) -> Any:
        self.calls += 1
        return self.django(environ, start_response)


@pytest.fixture
def app() -> Any:
    page_cache().clear()
    recorder = Recorder()
    cached = PageCacheApp(recorder)
    cached.recorder = recorder  # type: ignore[attr-defined]
    yield cached
    page_cache().clear()


def call(
    app: Any, path: str, *, method: str = "GET", **headers: str
) -> tuple[str, dict[str, str], bytes]:
    path, _, query = path.partition("?")
    environ = {
        "REQUEST_METHOD": method,
        "PATH_INFO": path,
        "QUERY_STRING": query,
        "SERVER_NAME": "test.localhost",
        "SERVER_PORT": "80",
        "HTTP_HOST": "test.localhost",
        "wsgi.input": BytesIO(b""),
        "wsgi.url_scheme": "http",
        "wsgi.errors": BytesIO(),
        **{f"HTTP_{k.upper()}": v for k, v in headers.items()},
    }
    seen: dict[str, Any] = {}

    def start_response(status: str, headers: list[tuple[str, str]], exc_info: Any = None) -> None:
        seen["status"], seen["headers"] = status, dict(headers)

    body = b"".join(app(environ, start_response))
    return seen["status"], seen["headers"], body


@pytest.mark.django_db(transaction=True)
def test_second_request_is_a_hit_without_django(app, published_tx: Article) -> None:
    url = published_tx.get_absolute_url()
    status, headers, body = call(app, url)
    assert status.startswith("200") and headers["X-Cache"] == "MISS"
    status, headers, again = call(app, url)
    assert headers["X-Cache"] == "HIT" and again == body
    assert app.recorder.calls == 1
    assert headers["Surrogate-Key"] == f"site-JdT story-{published_tx.story_id}"


@pytest.mark.django_db(transaction=True)
def test_compressed_bodies_are_made_once(app, published_tx: Article) -> None:
    url = published_tx.get_absolute_url()
    _, _, plain = call(app, url)
    _, headers, br = call(app, url, accept_encoding="gzip, deflate, br")
    assert headers["Content-Encoding"] == "br" and brotli.decompress(br) == plain
    _, headers, gz = call(app, url, accept_encoding="gzip")
    assert headers["Content-Encoding"] == "gzip" and gzip.decompress(gz) == plain
    assert headers["Vary"] == "Accept-Encoding" and headers["ETag"].startswith("W/")
    assert app.recorder.calls == 1


@pytest.mark.django_db(transaction=True)
def test_conditional_hit_is_304(app, published_tx: Article) -> None:
    url = published_tx.get_absolute_url()
    _, headers, _ = call(app, url)
    status, _, body = call(app, url, if_none_match=headers["ETag"])
    assert status.startswith("304") and body == b""


@pytest.mark.django_db(transaction=True)
def test_an_edit_purges_exactly_the_pages_that_show_it(app, published_tx: Article) -> None:
    url = published_tx.get_absolute_url()
    section = f"/en/{published_tx.section.name}/"
    for path in (url, section, "/en/", "/en/search?q=shore", "/fr/"):
        call(app, path)
    assert app.recorder.calls == 5
    published_tx.headline = "Port cities set a date for their talks"
    article_edit(article=published_tx, editor="lena")  # commits: listeners run
    _, _, body = call(app, url)
    assert b"Port cities set a date for their talks" in body
    call(app, section)
    call(app, "/en/")
    assert app.recorder.calls == 8  # the article, its section front, the home: re-rendered
    call(app, "/fr/")  # the French home does not show it: still cached
    assert app.recorder.calls == 8


@pytest.mark.django_db(transaction=True)
def test_editors_and_unsafe_methods_bypass(app, published_tx: Article) -> None:
    url = published_tx.get_absolute_url()
    call(app, url)
    # A session id alone is no editor: served from the cache (test_pagecache_bounds.py has
    # the signed editor marker that does bypass).
    _, headers, _ = call(app, url, cookie="sessionid=abc")
    assert headers["X-Cache"] == "HIT"
    call(app, "/admin/login/")
    call(app, "/admin/login/")
    assert app.recorder.calls == 3


@pytest.mark.django_db(transaction=True)
def test_not_found_pages_are_not_kept(app, network_tx) -> None:
    # A URL that is 404 now (an embargoed story) may be published the next minute.
    for _ in range(2):
        status, headers, _ = call(app, "/en/Politics/99-not-yet.html")
        assert status.startswith("404") and "X-Cache" not in headers
    assert app.recorder.calls == 2


@pytest.mark.parametrize(
    ("accept", "expected"),
    [
        ("", "identity"),
        ("gzip", "gzip"),
        ("gzip, br", "br"),
        ("br;q=0, gzip", "gzip"),
        ("*", "identity"),
    ],
)
def test_choose_encoding(accept: str, expected: str) -> None:
    assert choose_encoding(accept) == expected


@pytest.mark.parametrize(
    ("status", "headers", "ttl"),
    [
        ("200 OK", [("Cache-Control", "public, s-maxage=300")], 300),
        ("200 OK", [("Cache-Control", "public, max-age=60")], 0),
        ("200 OK", [("Cache-Control", "private, s-maxage=300")], 0),
        ("200 OK", [("Cache-Control", "public, s-maxage=300"), ("Set-Cookie", "a=b")], 0),
        ("200 OK", [("Cache-Control", "public, s-maxage=300"), ("Vary", "Cookie")], 0),
        ("500 Internal Server Error", [("Cache-Control", "public, s-maxage=300")], 0),
        ("410 Gone", [("Cache-Control", "public, s-maxage=99999999")], 86400),
    ],
)
def test_what_may_be_stored(status: str, headers: list[tuple[str, str]], ttl: int) -> None:
    assert storable(status, headers) == ttl


def test_file_backend_round_trip_and_purge(tmp_path: Path) -> None:
    cache = FilePageCache(str(tmp_path))
    page = CachedPage.build(
        status="200 OK",
        headers=[("Content-Type", "text/html")],
        body=b"x" * 2000,
        ttl=60,
        tags=["story-1", "site-A"],
    )
    cache.set("k1", page)
    cache.set(
        "k2", CachedPage.build(status="200 OK", headers=[], body=b"y", ttl=60, tags=["site-A"])
    )
    loaded = cache.get("k1")
    assert (
        loaded is not None and loaded.bodies == page.bodies and loaded.tags == ("story-1", "site-A")
    )
    assert cache.purge(["story-1"]) == 1
    assert cache.get("k1") is None and cache.get("k2") is not None
    assert cache.purge(["site-A"]) == 1 and cache.get("k2") is None
    (tmp_path / "p" / "k3").mkdir(parents=True)
    (tmp_path / "p" / "k3" / "k3broken").write_bytes(b'{"status": ')
    assert cache.get("k3broken") is None  # a damaged entry is a miss


def test_expired_pages_are_misses(tmp_path: Path) -> None:
    cache = FilePageCache(str(tmp_path))
    cache.set("k", CachedPage.build(status="200 OK", headers=[], body=b"x", ttl=-1, tags=[]))
    assert cache.get("k") is None


def test_redis_backend_round_trip_and_purge() -> None:
    import redis

    from masthead.delivery.pagecache.redis import RedisPageCache

    url = "redis://127.0.0.1:6379/15"
    try:
        redis.Redis.from_url(url).ping()
    except redis.RedisError:
        pytest.skip("no Redis at 127.0.0.1:6379")
    cache = RedisPageCache(url)
    cache.clear()
    page = CachedPage.build(
        status="200 OK", headers=[("A", "b")], body=b"z" * 3000, ttl=60, tags=["story-9"]
    )
    cache.set("rk", page)
    loaded = cache.get("rk")
    assert loaded is not None and loaded.bodies == page.bodies
    assert cache.purge(["story-9"]) == 1 and cache.get("rk") is None
    cache.clear()


@pytest.fixture
def file_cache(settings, tmp_path: Path) -> Any:
    settings.MASTHEAD_PAGE_CACHE = {
        "BACKEND": "masthead.delivery.pagecache.file.FilePageCache",
        "OPTIONS": {"location": str(tmp_path / "pages")},
    }
    page_cache.cache_clear()
    yield page_cache()
    page_cache.cache_clear()


@pytest.mark.django_db(transaction=True)
def test_a_purge_reaches_every_process(file_cache, published_tx: Article) -> None:
    """Two web processes, one file store: each keeps pages in memory, and a change made in a
    third process (the worker, the admin) is seen by both on their next request."""
    first, second = Recorder(), Recorder()
    web1, web2 = PageCacheApp(first), PageCacheApp(second)
    url = published_tx.get_absolute_url()
    for web in (web1, web2, web1, web2):
        call(web, url)
    assert (first.calls, second.calls) == (1, 0)  # the second process read the first's page
    published_tx.headline = "A headline changed elsewhere"
    article_edit(article=published_tx, editor="lena")
    for web in (web1, web2):
        _, _, body = call(web, url)
        assert b"A headline changed elsewhere" in body
    assert first.calls + second.calls == 2


@pytest.mark.django_db(transaction=True)
def test_a_purge_by_another_process_is_seen_within_the_generation_window(
    file_cache, published_tx: Article, monkeypatch
) -> None:
    """A process asks the shared store whether anything was purged at most once every
    GENERATION_EVERY seconds; a purge made through another process's store (here another
    FilePageCache on the same folder, as the worker holds) is seen once that has passed."""
    from masthead.delivery.pagecache import wsgi

    monkeypatch.setattr(wsgi, "GENERATION_EVERY", 0.2)
    recorder = Recorder()
    web = PageCacheApp(recorder)
    url = published_tx.get_absolute_url()
    call(web, url)
    assert call(web, url)[1]["X-Cache"] == "HIT" and recorder.calls == 1
    ours = page_cache().local_purges
    elsewhere = FilePageCache(location=str(file_cache.root))
    assert elsewhere.purge([f"story-{published_tx.story_id}"]) == 1
    assert page_cache().local_purges == ours  # nothing told this process's store
    deadline = time.monotonic() + 0.2
    while time.monotonic() < deadline + 0.05:
        time.sleep(0.01)
    assert call(web, url)[1]["X-Cache"] == "MISS" and recorder.calls == 2


@pytest.mark.django_db(transaction=True)
def test_a_cached_page_asked_over_plain_http_is_redirected_to_https(
    app, published_tx: Article, settings
) -> None:
    settings.SECURE_SSL_REDIRECT = True
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    app = PageCacheApp(Recorder())  # Django's middleware reads the settings when it is made
    url = published_tx.get_absolute_url()
    status, headers, _ = call(app, url, x_forwarded_proto="https")
    assert status.startswith("200") and headers["X-Cache"] == "MISS"
    assert call(app, url, x_forwarded_proto="https")[1]["X-Cache"] == "HIT"
    status, headers, _ = call(app, url)  # the same page, over plain http
    assert status.startswith("301") and headers["Location"].startswith("https://")
    assert "X-Cache" not in headers


# -- the answer to a plain GET, kept by address ------------------------------------------------


def test_a_hit_is_made_once_a_second_and_never_outlives_its_page() -> None:
    page = CachedPage.build(
        status="200 OK",
        headers=[("Content-Type", "text/html"), ("ETag", '"v1"')],
        body=b"<p>harbour</p>" * 100,
        ttl=10,
        tags=["story-1"],
    )
    start = page.stored_at
    first = page.hit("identity", start + 0.2)
    assert dict(first.headers)["Age"] == "0" and dict(first.headers)["X-Cache"] == "HIT"
    assert page.hit("identity", start + 0.9) is first  # the same second: the same answer
    later = page.hit("identity", start + 2.5)
    assert later is not first and dict(later.headers)["Age"] == "2"
    assert page.hit("identity", start + 0.5) is not later  # the clock went back: made again
    assert page.hit("identity", start + 9.5).until == page.expires_at


def test_a_small_page_asked_compressed_is_answered_as_it_is() -> None:
    page = CachedPage.build(
        status="200 OK", headers=[("Content-Type", "text/plain")], body=b"ok", ttl=10, tags=[]
    )
    hit = page.hit("br", page.stored_at)
    assert hit.body == b"ok" and "Content-Encoding" not in dict(hit.headers)


@pytest.mark.django_db(transaction=True)
def test_a_purge_reaches_a_page_answered_by_address(app, published_tx: Article) -> None:
    url = published_tx.get_absolute_url()
    for expected in ("MISS", "HIT", "HIT"):  # the third is answered from `hot`
        assert call(app, url)[1]["X-Cache"] == expected
    assert any(address[1] == url for address in app.hot)
    published_tx.headline = "Ferry crews agree on a new timetable"
    article_edit(article=published_tx, editor="lena")
    _, headers, body = call(app, url)
    assert headers["X-Cache"] == "MISS" and b"Ferry crews agree on a new timetable" in body
    assert app.recorder.calls == 2


@pytest.mark.django_db(transaction=True)
def test_an_expired_page_is_not_answered_by_address(
    app, published_tx: Article, monkeypatch
) -> None:
    url = published_tx.get_absolute_url()
    call(app, url)
    call(app, url)
    (page,) = app.local.values()
    clock = [page.expires_at - 0.3]  # its last fresh moments: answered, and kept by address
    monkeypatch.setattr(time, "time", lambda: clock[0])
    assert call(app, url)[1]["X-Cache"] == "HIT"
    clock[0] = page.expires_at + 0.01
    assert call(app, url)[1]["X-Cache"] == "MISS" and app.recorder.calls == 2


@pytest.mark.django_db(transaction=True)
def test_credentials_and_head_are_not_answered_by_address(app, published_tx: Article) -> None:
    url = published_tx.get_absolute_url()
    call(app, url)
    call(app, url)
    call(app, url, authorization="Bearer abc")  # never from the cache
    assert app.recorder.calls == 2
    status, headers, body = call(app, url, method="HEAD")
    assert status.startswith("200") and headers["X-Cache"] == "HIT" and body == b""
    assert int(headers["Content-Length"]) > 0 and app.recorder.calls == 2


def test_addresses_kept_are_bounded_and_dropped_with_the_pages(monkeypatch) -> None:
    from masthead.delivery.pagecache import wsgi

    page = CachedPage.build(
        status="200 OK", headers=[("Content-Type", "text/plain")], body=b"ok", ttl=60, tags=[]
    )
    monkeypatch.setattr(wsgi, "HOT_ADDRESSES", 8)
    web = PageCacheApp(lambda environ, start_response: [], local_bytes=100_000)
    web.remember(wsgi._key("test.localhost", "/en/", ""), page)
    web.generation_due = time.monotonic() + 60
    web.purges_seen = page_cache().local_purges
    for n in range(20):  # twenty query strings the page does not read: one page, many addresses
        assert web.hot_hit(("test.localhost", "/en/", f"utm_source={n}", ""), time.time())
        assert len(web.hot) <= 8
    web.remember("another", page)
    web.remember("another", page)  # a copy replaced: what `hot` holds may be the old one
    assert web.hot == {}


@pytest.mark.django_db(transaction=True)
def test_a_server_changing_the_headers_it_is_handed_changes_no_later_answer(
    app, published_tx: Article
) -> None:
    """PEP 3333 lets the server change the list given to start_response (wsgiref, runserver
    do): each answer gets its own copy of the headers kept for the page."""
    url = published_tx.get_absolute_url()
    call(app, url)
    environ = {"REQUEST_METHOD": "GET", "PATH_INFO": url, "QUERY_STRING": ""}
    environ |= {"HTTP_HOST": "test.localhost", "wsgi.url_scheme": "http"}
    for _ in range(2):  # once from the page, once from `hot`
        app(dict(environ), lambda status, headers, exc_info=None: headers.clear())
    _, headers, body = call(app, url)
    assert headers["X-Cache"] == "HIT" and int(headers["Content-Length"]) == len(body)


@pytest.mark.django_db(transaction=True)
def test_long_addresses_are_answered_but_not_kept(app, published_tx: Article) -> None:
    from masthead.delivery.pagecache import wsgi

    url = published_tx.get_absolute_url()
    call(app, url)
    noise = "utm_content=" + "x" * 5000  # a parameter the page does not read
    kept_before = wsgi._key_kept.cache_info().currsize
    for _ in range(3):
        _, headers, _ = call(app, f"{url}?{noise}", accept_encoding="gzip")
        assert headers["X-Cache"] == "HIT"
    encodings_before = wsgi._encoding_kept.cache_info().currsize
    assert wsgi.choose_encoding("gzip, " + "x" * 5000) == "gzip"
    assert not any(len(address[2]) > 1000 for address in app.hot)
    assert wsgi._key_kept.cache_info().currsize == kept_before
    assert wsgi._encoding_kept.cache_info().currsize == encodings_before
    assert app.recorder.calls == 1


def test_a_page_stored_by_a_clock_running_ahead_is_made_once() -> None:
    page = CachedPage.build(status="200 OK", headers=[], body=b"ok", ttl=60, tags=[])
    now = page.stored_at - 3  # this machine is 3 s behind the one that stored it
    first = page.hit("identity", now)
    assert page.hit("identity", now + 0.5) is first and dict(first.headers)["Age"] == "0"


def test_a_page_read_before_a_purge_seen_since_is_not_kept() -> None:
    web = PageCacheApp(lambda environ, start_response: [], local_bytes=100_000)
    page = CachedPage.build(status="200 OK", headers=[], body=b"v1", ttl=60, tags=[])
    before = web.local_generation
    web.local_generation = "after-a-purge"  # what generation_check does when it sees one
    web.remember("k", page, generation=before)
    assert "k" not in web.local
    web.remember("k", page, generation="after-a-purge")
    assert "k" in web.local


def test_a_write_racing_a_purge_leaves_no_page_a_purge_cannot_reach(
    tmp_path: Path, monkeypatch
) -> None:
    cache = FilePageCache(str(tmp_path))
    old = CachedPage.build(status="200 OK", headers=[], body=b"v1", ttl=60, tags=["story-1"])
    new = CachedPage.build(status="200 OK", headers=[], body=b"v2", ttl=60, tags=["story-1"])
    cache.set("k", old)
    unlink = Path.unlink
    raced = []

    def unlink_then_race(self: Path, missing_ok: bool = False) -> None:
        unlink(self, missing_ok=missing_ok)
        if not raced:  # another process's set() of the same page, between the two deletes
            raced.append(self)
            cache.set("k", new)

    monkeypatch.setattr(Path, "unlink", unlink_then_race)
    cache.purge(["story-1"])
    monkeypatch.setattr(Path, "unlink", unlink)
    assert raced
    if cache.get("k") is not None:
        assert cache.purge(["story-1"]) == 1 and cache.get("k") is None
