"""RSS and Atom per site, language and section: full text, picture, absolute links."""

import feedparser
import pytest

from masthead.newsroom.models import Article
from masthead.newsroom.services.story import story_kill


def _feed(client, path: str, host: str = "test.localhost"):
    response = client.get(path, HTTP_HOST=host)
    assert response.status_code == 200, path
    return response, feedparser.parse(response.content)


@pytest.mark.parametrize("kind", ["rss", "atom"])
def test_site_feed_carries_full_text_and_picture(client, published: Article, kind: str) -> None:
    response, feed = _feed(client, f"/en/feed/{kind}.xml")
    assert not feed.bozo, feed.get("bozo_exception")
    assert feed.feed.title == "Journal de Test"
    (entry,) = feed.entries
    assert entry.title == published.headline
    assert entry.link == f"http://test.localhost{published.get_absolute_url()}"
    body = (entry.get("content") or [{"value": entry.summary}])[0]["value"]
    body = body if kind == "atom" else entry.summary
    assert "Shore power first" in body and "<h2" in body
    assert published.signature in body
    links = [link for link in entry.links if link.get("rel") == "enclosure"]
    assert links and links[0]["href"].startswith("http://test.localhost/media/pictures/")
    assert entry.author == published.signature
    assert [t.term for t in entry.tags] == ["Politics"]
    assert "feed-JdT-en" in response["Surrogate-Key"]


def test_section_feed_and_404s(client, published: Article) -> None:
    _, feed = _feed(client, "/en/Politics/feed/rss.xml")
    assert feed.feed.title == "Journal de Test - Politics" and len(feed.entries) == 1
    _, empty = _feed(client, "/en/Business/feed/atom.xml")
    assert empty.entries == []
    for path in ("/en/Nope/feed/rss.xml", "/xx/feed/rss.xml"):
        assert client.get(path, HTTP_HOST="test.localhost").status_code == 404
    assert client.get("/en/feed/rss.xml", HTTP_HOST="nowhere.localhost").status_code == 404


def test_killed_story_leaves_the_feed(client, published: Article) -> None:
    story_kill(story=published.story, source="test")
    _, feed = _feed(client, "/en/feed/rss.xml")
    assert feed.entries == []


def test_feed_queries_do_not_grow_with_items(client, many, django_assert_max_num_queries) -> None:
    with django_assert_max_num_queries(4):
        _, feed = _feed(client, "/en/feed/rss.xml")
    assert len(feed.entries) == 45


def test_pages_link_their_feeds(client, published: Article) -> None:
    page = client.get("/en/Politics/", HTTP_HOST="test.localhost").content.decode()
    assert 'type="application/rss+xml"' in page and 'href="/en/Politics/feed/rss.xml"' in page
