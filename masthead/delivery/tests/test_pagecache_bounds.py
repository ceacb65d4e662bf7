"""The page cache stays bounded and cannot be bypassed, and serves stale pages while the
database is down: one key per page (not per tracking parameter), a byte budget on disk and in
memory, expired files deleted, only a real editor session skipping the cache."""

from __future__ import annotations

import os
import time
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.db import InterfaceError, OperationalError
from django.test import Client

from masthead.delivery.pagecache import page_cache
from masthead.delivery.pagecache.base import CachedPage
from masthead.delivery.pagecache.file import FilePageCache
from masthead.delivery.pagecache.wsgi import PageCacheApp, page_key
from masthead.delivery.tests.test_pagecache import app, call
from masthead.newsroom.models import Article

__all__ = ["app"]  # the page cache in front of Django, as test_pagecache.py builds it


def _environ(path: str, query: str = "") -> dict[str, str]:
    return {"HTTP_HOST": "test.localhost", "PATH_INFO": path, "QUERY_STRING": query}


def _page(body: bytes, *, ttl: int = 60, tags: tuple[str, ...] = ("site-A",)) -> CachedPage:
    return CachedPage.build(status="200 OK", headers=[], body=body, ttl=ttl, tags=tags)


def _stored_bytes(root: Path) -> int:
    return sum(path.stat().st_size for path in (root / "p").rglob("*") if path.is_file())


# -- one key per page -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("path", "noisy", "clean"),
    [
        ("/en/", "utm_source=1&fbclid=x", ""),
        ("/en/Politics/12-a-story.html", "page=2&utm_medium=mail", ""),
        ("/en/Politics/", "utm_source=1&page=2&junk", "page=2"),
        ("/en/archive/2026/11/20/", "page=3&gclid=1", "page=3"),
        ("/en/search", "utm_campaign=x&q=harbour&page=2", "q=harbour&page=2"),
        ("/en/search", "page=2&q=harbour", "q=harbour&page=2"),  # order does not matter
        ("/en/feed/rss.xml", "ref=x", ""),
    ],
)
def test_pages_are_keyed_on_the_parameters_they_use(path: str, noisy: str, clean: str) -> None:
    assert page_key(_environ(path, noisy)) == page_key(_environ(path, clean))


def test_parameters_a_page_uses_still_make_a_new_key() -> None:
    assert page_key(_environ("/en/Politics/", "page=2")) != page_key(_environ("/en/Politics/"))
    assert page_key(_environ("/en/search", "q=a")) != page_key(_environ("/en/search", "q=b"))
    assert page_key(_environ("/en/", "page=2")) == page_key(_environ("/en/"))


@pytest.mark.django_db(transaction=True)
def test_a_thousand_tracking_variants_store_one_entry(app, published_tx: Article) -> None:
    url = published_tx.get_absolute_url()
    for n in range(1000):
        status, _, _ = call(app, f"{url}?utm_source={n}")
        assert status.startswith("200")
    assert app.recorder.calls == 1
    assert len(page_cache().pages) == 1  # type: ignore[attr-defined]


@pytest.mark.django_db(transaction=True)
def test_django_sees_only_the_parameters_the_key_holds(app, network_tx) -> None:
    # What is stored under a key is rendered from exactly what the key names.
    seen: list[str] = []
    inner = app.app

    def spy(environ: dict[str, Any], start_response: Any) -> Any:
        seen.append(environ["QUERY_STRING"])
        return inner(environ, start_response)

    app.app = spy
    call(app, "/en/search?utm_source=x&q=port&fbclid=1")
    assert seen == ["q=port"]


# -- bounded by bytes -------------------------------------------------------------------------


def test_file_cache_stays_under_its_byte_budget(tmp_path: Path) -> None:
    budget = 300_000
    cache = FilePageCache(str(tmp_path), max_bytes=budget)
    for n in range(120):  # ~30 KB each (incompressible: three bodies), 3.6 MB in all
        cache.set(f"{n:040x}", _page(os.urandom(10_000), tags=("site-A", f"story-{n}")))
        assert _stored_bytes(tmp_path) <= budget
    assert cache.get(f"{119:040x}") is not None  # the newest are kept
    assert cache.get(f"{0:040x}") is None  # the oldest went first
    # Evicted pages take their tag markers with them.
    assert len(list((tmp_path / "t").rglob("*"))) < 120


def test_eviction_takes_expired_pages_before_fresh_ones(tmp_path: Path) -> None:
    cache = FilePageCache(str(tmp_path), max_bytes=10**9, stale_seconds=3600)
    cache.set("a" * 40, _page(os.urandom(10_000), ttl=-10))  # expired, kept for stale use
    cache.set("b" * 40, _page(os.urandom(10_000), ttl=600))
    cache.max_bytes = 50_000  # ~60 KB stored: one page has to go
    cache.sweep()
    assert not (tmp_path / "p" / "aa" / ("a" * 40)).exists()
    assert cache.get("b" * 40) is not None


def test_expired_files_are_deleted(tmp_path: Path) -> None:
    cache = FilePageCache(str(tmp_path), stale_seconds=0)
    cache.set("d" * 40, _page(b"y" * 2000, ttl=600))  # (a first write sweeps at once)
    cache.set("c" * 40, _page(b"x" * 2000, ttl=-1, tags=("story-7",)))
    assert (tmp_path / "p" / "cc" / ("c" * 40)).exists()
    cache.sweep()
    assert not (tmp_path / "p" / "cc" / ("c" * 40)).exists()
    assert not (tmp_path / "t" / "story-7" / ("c" * 40)).exists()
    assert (tmp_path / "p" / "dd" / ("d" * 40)).exists()


def test_a_read_of_a_dead_page_deletes_it(tmp_path: Path) -> None:
    cache = FilePageCache(str(tmp_path), stale_seconds=0)
    cache.set("e" * 40, _page(b"x" * 2000, ttl=-1))
    assert cache.get("e" * 40) is None
    assert not (tmp_path / "p" / "ee" / ("e" * 40)).exists()


def test_writes_sweep_without_being_asked(tmp_path: Path) -> None:
    cache = FilePageCache(str(tmp_path), max_bytes=1_000_000, stale_seconds=0)
    cache.set("f" * 40, _page(b"x" * 2000, ttl=-1))
    for n in range(200):  # far more than 1/16 of the budget
        cache.set(f"{n:040x}", _page(os.urandom(2000)))
    assert not (tmp_path / "p" / "ff" / ("f" * 40)).exists()


def test_memory_copy_is_bounded_by_bytes() -> None:
    app = PageCacheApp(lambda environ, start_response: [], local_bytes=100_000)
    for n in range(50):
        app.remember(f"k{n}", _page(os.urandom(10_000)))  # ~30 KB each
        assert app.local_used <= 100_000
    assert "k49" in app.local and "k0" not in app.local
    app.remember("huge", _page(os.urandom(200_000)))  # larger than the whole budget
    assert "huge" not in app.local and app.local_used <= 100_000


# -- who skips the cache ----------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_a_forged_session_cookie_is_served_from_the_cache(app, published_tx: Article) -> None:
    url = published_tx.get_absolute_url()
    call(app, url)
    for cookie in (
        "sessionid=x",
        "sessionid=abcdefghijklmnopqrstuvwxyz012345",
        "sessionid=x; masthead_editor=forged:sig",
        "csrftoken=a; sessionid=y",
    ):
        _, headers, _ = call(app, url, cookie=cookie)
        assert headers["X-Cache"] == "HIT", cookie
    assert app.recorder.calls == 1


@pytest.mark.django_db(transaction=True)
def test_a_real_editor_session_bypasses(app, published_tx: Article) -> None:
    get_user_model().objects.create_user("lena", password="a long test password", is_staff=True)
    client = Client()
    response = client.post(
        "/admin/login/",
        {"username": "lena", "password": "a long test password", "next": "/admin/"},
        HTTP_HOST="test.localhost",
    )
    assert response.status_code == 302
    session = client.cookies["sessionid"].value
    marker = client.cookies["masthead_editor"].value
    url = published_tx.get_absolute_url()
    call(app, url)
    _, headers, _ = call(app, url, cookie=f"sessionid={session}; masthead_editor={marker}")
    assert "X-Cache" not in headers
    assert app.recorder.calls == 2
    # The marker belongs to that session: with another session id it is worth nothing.
    _, headers, _ = call(app, url, cookie=f"sessionid=other; masthead_editor={marker}")
    assert headers["X-Cache"] == "HIT"
    # Logging out takes it away.
    response = client.post("/admin/logout/", HTTP_HOST="test.localhost")
    assert client.cookies["masthead_editor"].value == ""


@pytest.mark.django_db(transaction=True)
def test_an_editor_logged_in_before_the_marker_gets_it_from_the_admin(
    published_tx: Article,
) -> None:
    user = get_user_model().objects.create_user("ines", password="x", is_staff=True)
    client = Client()
    client.force_login(user)
    assert "masthead_editor" not in client.cookies
    assert client.get("/admin/", HTTP_HOST="test.localhost").status_code == 200
    assert client.cookies["masthead_editor"].value


# -- the database is down ---------------------------------------------------------------------


def _expire_everything() -> None:
    for page in page_cache().pages.values():  # type: ignore[attr-defined]
        page.stored_at, page.expires_at = time.time() - 330, time.time() - 30


@pytest.mark.parametrize("error", [OperationalError, InterfaceError])
@pytest.mark.django_db(transaction=True)
def test_database_down_serves_the_stale_copy(
    app, published_tx: Article, monkeypatch, error: type[Exception]
) -> None:
    url = published_tx.get_absolute_url()
    _, _, body = call(app, url)
    _expire_everything()

    def down(*args: Any, **kwargs: Any) -> None:
        raise error("connection refused")

    monkeypatch.setattr("masthead.reader.middleware.site_for_host", down)
    status, headers, stale = call(app, url)
    assert status.startswith("200") and stale == body
    assert headers["X-Cache"] == "STALE"
    assert headers["Warning"].startswith("111")
    assert int(headers["Age"]) >= 30
    assert app.recorder.calls == 2  # Django was tried


@pytest.mark.django_db(transaction=True)
def test_database_down_without_a_copy_is_a_503(app, published_tx: Article, monkeypatch) -> None:
    def down(*args: Any, **kwargs: Any) -> None:
        raise OperationalError("connection refused")

    monkeypatch.setattr("masthead.reader.views._site", down)
    status, headers, body = call(app, published_tx.get_absolute_url())
    assert status.startswith("503")
    assert headers["Retry-After"] == "30"
    assert b"try again" in body.lower()


@pytest.mark.django_db(transaction=True)
def test_other_errors_stay_500(app, published_tx: Article, monkeypatch) -> None:
    url = published_tx.get_absolute_url()
    call(app, url)
    _expire_everything()

    def broken(*args: Any, **kwargs: Any) -> None:
        raise ValueError("a bug, not an outage")

    monkeypatch.setattr("masthead.reader.views._site", broken)
    status, headers, _ = call(app, url)
    assert status.startswith("500") and "Retry-After" not in headers
