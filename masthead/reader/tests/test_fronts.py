"""Home, section fronts, the network list and error pages."""

import html
import re

import pytest

from masthead.newsroom.models import Article
from masthead.reader.tests.textmode import visible_lines

pytestmark = pytest.mark.django_db


def test_network_list_on_the_bare_address(client, network):
    response = client.get("/", HTTP_HOST="127.0.0.1:8000")
    assert response.status_code == 200
    page = response.content.decode()
    assert "http://test.localhost:8000/en/" in page and "http://zeitung.localhost:8000/de/" in page


def test_site_root_redirects_to_default_language(client, network):
    response = client.get("/", HTTP_HOST="zeitung.localhost")
    assert response.status_code == 302 and response["Location"] == "/de/"


def test_home_lists_latest_by_section(client, published: Article):
    response = client.get("/en/", HTTP_HOST="test.localhost")
    lines = visible_lines(response.content.decode())
    assert response.status_code == 200
    assert "Politics" in lines
    assert any(line.startswith(published.headline) for line in lines)
    assert lines[0] == "Journal de Test"


def test_section_front_paginates(client, many, settings):
    settings.MASTHEAD_PAGE_SIZE = 20
    first = client.get("/en/Politics/", HTTP_HOST="test.localhost").content.decode()
    stories = ('<article class="lead"', '<article class="card"')
    assert sum(first.count(s) for s in stories) == 20 and "?page=2" in first
    assert "Page 1 · 1\u201320<" in first  # where the reader is
    third = client.get("/en/Politics/?page=3", HTTP_HOST="test.localhost").content.decode()
    assert "?page=4" not in third and "?page=2" in third
    assert sum(third.count(s) for s in stories) == 5 and "Page 3 · 41\u201345<" in third
    assert client.get("/en/Politics/?page=9", HTTP_HOST="test.localhost").status_code == 404
    assert client.get("/en/Politics/?page=x'--", HTTP_HOST="test.localhost").status_code == 404


def test_home_shows_no_story_twice_and_gives_summaries(client, many):
    page = client.get("/en/", HTTP_HOST="test.localhost").content.decode()
    links = re.findall(r'<h[23] class="card-title"><a href="([^"]+)"', page)
    assert links and len(links) == len(set(links))
    assert page.count('<article class="lead"') == 1
    assert 'class="card-summary"' in page


def test_unknown_pages_are_404_in_the_site_style(client, network):
    for path in [
        "/en/Nope/",
        "/en/Politics/999999-x.html",
        "/xx/",
        "/en/Politics/abc.html",
        "/nothing",
    ]:
        response = client.get(path, HTTP_HOST="test.localhost")
        assert response.status_code == 404, path
        page = response.content.decode()
        assert "Journal de Test" in page and "Page not found" in page


def test_unknown_host_gets_plain_404(client, network):
    response = client.get("/en/", HTTP_HOST="unknown.localhost")
    assert response.status_code == 404


def test_empty_section_says_so(client, network):
    page = client.get("/fr/Politique/", HTTP_HOST="test.localhost").content.decode()
    assert "Pas encore d'articles." in html.unescape(page)  # in the page's language


def test_date_archive_counts_days_in_the_site_time_zone(client, published: Article):
    # Published 2026-11-20 08:05 UTC; late evening UTC is already the next day in Brussels.
    def day(path: str) -> str:
        response = client.get(f"/en/archive/{path}/", HTTP_HOST="test.localhost")
        assert response.status_code == 200
        return response.content.decode()

    assert published.headline in day("2026/11/20")
    assert published.headline not in day("2026/11/19")
    Article.objects.filter(pk=published.pk).update(
        published_at=published.published_at.replace(hour=23, minute=30)
    )
    assert published.headline in day("2026/11/21")
    assert published.headline not in day("2026/11/20")


@pytest.mark.parametrize("path", ["2026/02/30", "2999/01/01", "2026/13/01"])
def test_impossible_or_future_days_are_404(client, network, path):
    assert client.get(f"/en/archive/{path}/", HTTP_HOST="test.localhost").status_code == 404


def test_archive_root_goes_to_today(client, network):
    response = client.get("/en/archive/", HTTP_HOST="test.localhost")
    assert response.status_code == 302
    assert response["Location"].startswith("/en/archive/20")
