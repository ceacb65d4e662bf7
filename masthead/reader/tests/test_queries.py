"""Every page type runs a fixed number of queries, however many articles there are."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from masthead.newsroom.models import Article


def _count(client, path: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path, HTTP_HOST="test.localhost")
    assert response.status_code == 200, path
    return len(queries.captured_queries)


# Each HTML page asks once whether a breaking-news strip is up (reader/selectors.py).
PAGES = {
    "home": ("/en/", 9),
    "section": ("/en/Politics/", 7),
    "section page 2": ("/en/Politics/?page=2", 7),
    # 8th: its corrections (shown, and in its JSON-LD); 9th: its section's latest ("More in
    # <section>", kept for 15 s and shared by the section's pages).
    "article": ("ARTICLE", 9),
    # On PostgreSQL one more: the probe that decides how the matches are found (search/postgres.py).
    "search": ("/en/search?q=cities", 8 if connection.vendor == "postgresql" else 7),
    "archive": ("/en/archive/2026/11/20/", 7),
    "feed": ("/en/feed/rss.xml", 2),
    "sitemap index": ("/sitemap.xml", 3),
    "ticker": ("/ticker.json", 3),
}


@pytest.mark.parametrize("name", list(PAGES))
def test_query_count_is_pinned(client, many, quotes, name: str) -> None:
    path, expected = PAGES[name]
    if path == "ARTICLE":
        path = Article.objects.filter(site__code="JdT").first().get_absolute_url()
    assert _count(client, path) == expected


@pytest.mark.parametrize("name", ["home", "section", "archive", "article"])
def test_lists_leave_the_bodies_in_the_database(client, many, quotes, name: str) -> None:
    # A teaser shows no body text; loading it was most of a front's rows. The article page
    # loads its own body, once, and not those of its "latest" list.
    path, _ = PAGES[name]
    article = Article.objects.filter(site__code="JdT").first()
    if path == "ARTICLE":
        path = article.get_absolute_url()
    with CaptureQueriesContext(connection) as queries:
        assert client.get(path, HTTP_HOST="test.localhost").status_code == 200
    with_body = [
        q["sql"] for q in queries.captured_queries if '"newsroom_article"."body"' in q["sql"]
    ]
    assert len(with_body) == (1 if name == "article" else 0), with_body


def test_the_breaking_strip_is_looked_up_among_live_stories_only(client, many, quotes) -> None:
    # Every page asks whether a strip is up. With none up (nearly always) that is one query on
    # the stories' breaking_live index, reading no article: joined to the articles, SQLite
    # read every published article of the site and language first (160-330 ms a page at
    # 100,000 articles).
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/en/", HTTP_HOST="test.localhost").status_code == 200
    strip = [
        q["sql"] for q in queries.captured_queries if "breaking_live" in q["sql"].split("WHERE")[-1]
    ]
    assert len(strip) == 1, strip
    assert "newsroom_article" not in strip[0]
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("EXPLAIN QUERY PLAN " + strip[0])
            plan = " ".join(str(row[-1]) for row in cursor.fetchall())
        assert "SEARCH newsroom_story USING" in plan and "breaking_live=?" in plan, plan
