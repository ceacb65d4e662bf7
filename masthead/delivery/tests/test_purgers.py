"""Caches in front are told exactly which keys a change touched."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from masthead.delivery.purgers import PurgeError
from masthead.delivery.purgers import memory as memory_purger
from masthead.delivery.purgers.fastly import FastlyPurger
from masthead.delivery.purgers.varnish import VarnishPurger
from masthead.newsroom.models import Article
from masthead.newsroom.services.article import article_edit

SEEN: list[tuple[str, str, dict[str, str]]] = []


class Handler(BaseHTTPRequestHandler):
    def log_message(self, *args: object) -> None:
        return

    def _answer(self) -> None:
        SEEN.append((self.command, self.path, {k.lower(): v for k, v in self.headers.items()}))
        status = 401 if self.headers.get("fastly-key") == "wrong" else 200
        self.send_response(status)
        self.send_header("Content-Length", "2")
        self.end_headers()
        self.wfile.write(b"ok")

    do_PURGE = _answer
    do_POST = _answer


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()


def test_varnish_gets_a_purge_with_the_keys(server: str) -> None:
    SEEN.clear()
    VarnishPurger(servers=[server, server]).purge(["story-1", "section-2"])
    assert [(m, h["xkey-purge"]) for m, _, h in SEEN] == [("PURGE", "story-1 section-2")] * 2


def test_fastly_gets_the_keys_and_the_token(server: str) -> None:
    SEEN.clear()
    FastlyPurger(service_id="svc1", token="t0k", api=server).purge(["story-1", "front-JdT-en"])
    ((method, path, headers),) = SEEN
    assert (method, path) == ("POST", "/service/svc1/purge")
    assert headers["fastly-key"] == "t0k" and headers["surrogate-key"] == "story-1 front-JdT-en"
    with pytest.raises(PurgeError, match="fastly: HTTP 401"):
        FastlyPurger(service_id="svc1", token="wrong", api=server).purge(["x"])


def test_unreachable_cache_is_one_line() -> None:
    with pytest.raises(PurgeError, match=r"varnish http://127\.0\.0\.1:9"):
        VarnishPurger(servers=["http://127.0.0.1:9"], timeout=1).purge(["x"])


@pytest.mark.django_db(transaction=True)
def test_an_edit_purges_its_keys_in_front(settings, published_tx: Article) -> None:
    settings.MASTHEAD_FRONT_CACHES = {
        "watch": {"BACKEND": "masthead.delivery.purgers.memory.MemoryPurger"}
    }
    memory_purger.PURGED.clear()
    published_tx.headline = "Changed for the front cache"
    article_edit(article=published_tx, editor="lena")
    (tags,) = memory_purger.PURGED
    assert f"story-{published_tx.story_id}" in tags
    assert f"section-{published_tx.section_id}" in tags and "front-JdT-en" in tags
    assert not any(tag.startswith("front-JdT-fr") for tag in tags)
