"""API answers are cached like the pages: validators, Cache-Control, surrogate keys, the
page cache keeps them, and the purges that follow a change reach them. CORS for any origin."""

from __future__ import annotations

import pytest

from masthead.api.tests.conftest import call
from masthead.delivery.pagecache.invalidate import pages_invalidate_sites
from masthead.newsroom.models import Article
from masthead.newsroom.services.article import article_edit


def test_etag_304_cache_control_and_keys(api, published) -> None:
    url = f"/api/v1/articles/en/{published.story_id}"
    first = api(url)
    assert first.status_code == 200
    assert "public" in first["Cache-Control"] and "s-maxage=" in first["Cache-Control"]
    assert first["Surrogate-Key"] == f"site-JdT story-{published.story_id}"
    assert first["Last-Modified"]
    again = api(url, HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304 and again.content == b""
    listed = api("/api/v1/articles?section=Politics")
    assert listed["Surrogate-Key"].split() == [
        "site-JdT",
        "front-JdT-en",
        f"section-{published.section_id}",
    ]
    assert api("/api/v1/ticker")["Surrogate-Key"] == "site-JdT quotes"
    assert "s-maxage=60" in api("/api/v1/search?q=port")["Cache-Control"]


def test_cors_for_any_origin_without_cookies(api, published, client) -> None:
    for path in ("/api/v1/articles", "/api/v1/articles?limit=0", "/api/v1/openapi.json"):
        answer = api(path, HTTP_ORIGIN="https://app.example")
        assert answer["Access-Control-Allow-Origin"] == "*"
        assert "ETag" in answer["Access-Control-Expose-Headers"]
        assert not answer.cookies
        assert "Cookie" not in answer.get("Vary", "")
    preflight = client.options(
        "/api/v1/articles",
        HTTP_HOST="test.localhost",
        HTTP_ORIGIN="https://app.example",
        HTTP_ACCESS_CONTROL_REQUEST_METHOD="GET",
        HTTP_ACCESS_CONTROL_REQUEST_HEADERS="if-none-match",
    )
    assert preflight.status_code == 204
    assert preflight["Access-Control-Allow-Origin"] == "*"
    assert "GET" in preflight["Access-Control-Allow-Methods"]
    assert preflight["Access-Control-Allow-Headers"] == "if-none-match"
    # Other methods are refused, as everywhere outside the admin.
    assert client.post("/api/v1/articles", HTTP_HOST="test.localhost").status_code == 405
    head = client.head("/api/v1/articles", HTTP_HOST="test.localhost")
    assert head.status_code == 200 and head.content == b"" and head["ETag"]


@pytest.mark.django_db(transaction=True)
def test_the_page_cache_keeps_answers_and_purges_reach_them(cached, published_tx: Article) -> None:
    one = f"/api/v1/articles/en/{published_tx.story_id}"
    paths = [
        one,
        "/api/v1/articles?language=en&limit=5",
        "/api/v1/articles?section=Politics",
        "/api/v1/articles?language=fr",
        "/api/v1/sections",
    ]
    for path in paths:
        status, headers, _ = call(cached, path)
        assert status.startswith("200") and headers["X-Cache"] == "MISS", (path, status)
    for path in paths:
        _, headers, _ = call(cached, path)
        assert headers["X-Cache"] == "HIT", path
        assert headers["Access-Control-Allow-Origin"] == "*"
    assert len(cached.recorder.calls) == len(paths)
    # The query parameters the list reads are the key; other ones are dropped.
    _, headers, _ = call(cached, "/api/v1/articles?limit=5&utm_source=x&language=en")
    assert headers["X-Cache"] == "HIT"
    # A 304 from the cache itself.
    _, headers, _ = call(cached, one)
    status, _, body = call(cached, one, if_none_match=headers["ETag"])
    assert status.startswith("304") and body == b""

    published_tx.headline = "Port cities set a date for their talks"
    article_edit(article=published_tx, editor="lena")  # commits: the purge runs
    before = len(cached.recorder.calls)
    _, _, body = call(cached, one)
    assert b"Port cities set a date for their talks" in body
    for path in paths[1:3]:
        _, headers, body = call(cached, path)
        assert headers["X-Cache"] == "MISS", path
        assert b"Port cities set a date for their talks" in body
    assert len(cached.recorder.calls) == before + 3
    # The French list and the sections do not show it: still cached.
    for path in paths[3:]:
        assert call(cached, path)[1]["X-Cache"] == "HIT", path

    pages_invalidate_sites(site_codes=["JdT"])  # the network changed the site
    assert call(cached, "/api/v1/sections")[1]["X-Cache"] == "MISS"


@pytest.mark.django_db(transaction=True)
def test_a_kill_reaches_the_cached_article_and_lists(cached, published_tx: Article) -> None:
    from masthead.newsroom.services.story import story_kill

    one = f"/api/v1/articles/en/{published_tx.story_id}"
    call(cached, one)
    call(cached, "/api/v1/articles")
    story_kill(story=published_tx.story, source="editor lena", reason="legal")
    status, headers, _ = call(cached, one)
    assert status.startswith("410") and headers["X-Cache"] == "MISS"
    _, headers, body = call(cached, "/api/v1/articles")
    assert headers["X-Cache"] == "MISS" and b'"items": []' in body
