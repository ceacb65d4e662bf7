"""What a cache in front learns from each page: lifetime, surrogate keys, validators."""

import pytest

from masthead.newsroom.models import Article


def _get(client, path: str, **headers):
    return client.get(path, HTTP_HOST="test.localhost", **headers)


def test_article_page_is_publicly_cacheable_and_tagged(client, published: Article) -> None:
    response = _get(client, published.get_absolute_url())
    control = response["Cache-Control"]
    for part in ("public", "max-age=60", "s-maxage=300", "stale-while-revalidate=60"):
        assert part in control
    assert "stale-if-error=86400" in control
    assert response["Surrogate-Key"] == f"site-JdT story-{published.story_id}"
    assert response["Cache-Tag"] == f"site-JdT,story-{published.story_id}"
    assert response["ETag"] and response["Last-Modified"]
    assert "Cookie" not in response.get("Vary", "")
    assert not response.cookies


def test_conditional_requests_get_304(client, published: Article) -> None:
    first = _get(client, published.get_absolute_url())
    again = _get(client, published.get_absolute_url(), HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304 and again.content == b""
    since = _get(
        client, published.get_absolute_url(), HTTP_IF_MODIFIED_SINCE=first["Last-Modified"]
    )
    assert since.status_code == 304


@pytest.mark.parametrize(
    ("path", "key"),
    [
        ("/en/", "front-JdT-en"),
        ("/en/Politics/", "section-"),
        ("/en/archive/2026/11/20/", "archive-JdT-en"),
    ],
)
def test_fronts_carry_their_own_keys(client, published: Article, path: str, key: str) -> None:
    response = _get(client, path)
    assert response.status_code == 200
    assert key in response["Surrogate-Key"] and "site-JdT" in response["Surrogate-Key"]


def test_search_is_kept_briefly(client, published: Article) -> None:
    response = _get(client, "/en/search?q=shore")
    assert "s-maxage=60" in response["Cache-Control"]


def test_killed_story_410_is_tagged_with_its_story(client, published: Article) -> None:
    from masthead.newsroom.services.story import story_kill

    story_kill(story=published.story, source="test")
    response = _get(client, published.get_absolute_url())
    assert response.status_code == 410
    assert f"story-{published.story_id}" in response["Surrogate-Key"]
