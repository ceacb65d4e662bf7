"""Right-to-left languages: the page says its direction, and one stylesheet serves both."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from masthead.network.services import network_apply
from masthead.network.spec import parse_network
from masthead.newsroom.models import Article
from masthead.reader.jinja import text_direction

CSS = Path(__file__).resolve().parents[1] / "static" / "masthead" / "reader.css"

# A Dubai-like site in Arabic and English, and the test network's French edition beside it.
RTL_NETWORK = """
[[site]]
code = "DxB"
name = "Gulf Wire Daily"
domains = ["dubai.localhost"]
languages = ["ar", "en"]
timezone = "Asia/Dubai"
signatures = ["S.Haddad"]

[[site.section]]
language = "ar"
name = "News"
[[site.section]]
language = "en"
name = "World"

[[route]]
site = "DxB"
language = "ar"
section = "News"
[[route]]
site = "DxB"
language = "en"
section = "World"
"""
ARABIC_HEADLINE = "موانئ الخليج تتفق على محادثات بشأن الانبعاثات"


def rtl_story(wire_dir: Path, language: str, headline: str) -> Path:
    doc = json.loads((wire_dir / "harbour-talks.json").read_text())
    doc.update(uri=f"urn:test:rtl-{language}", language=language, headline=headline)
    path = wire_dir / f"rtl-{language}.json"
    path.write_text(json.dumps(doc))
    (wire_dir / f"rtl-{language}.jpg").write_bytes((wire_dir / "harbour-talks.jpg").read_bytes())
    return path


@pytest.fixture
def gulf(network, wire_dir, ingest) -> dict[str, Article]:  # type: ignore[no-untyped-def]
    network_apply(spec=parse_network(RTL_NETWORK, source="rtl.toml"))
    ingest([rtl_story(wire_dir, "ar", ARABIC_HEADLINE), rtl_story(wire_dir, "fr", "Les ports")])
    return {a.language: a for a in Article.objects.select_related("section", "site")}


@pytest.mark.parametrize(
    ("language", "direction"),
    [
        *[("ar", "rtl"), ("ar-dz", "rtl"), ("he", "rtl"), ("fa", "rtl"), ("ur", "rtl")],
        *[("fr", "ltr"), ("en", "ltr"), ("ko", "ltr"), ("", "ltr")],
    ],
)
def test_text_direction(language: str, direction: str) -> None:
    assert text_direction(language) == direction


def test_arabic_pages_are_right_to_left(client, gulf) -> None:
    article = gulf["ar"]
    paths = [
        "/ar/",
        "/ar/News/",
        article.get_absolute_url(),
        "/ar/archive/",
        "/ar/search?q=test",
    ]
    for path in paths:
        response = client.get(path, HTTP_HOST="dubai.localhost", follow=True)
        assert response.status_code == 200, path
        assert '<html lang="ar" dir="rtl">' in response.content.decode(), path
    assert (
        ARABIC_HEADLINE
        in client.get(article.get_absolute_url(), HTTP_HOST="dubai.localhost").content.decode()
    )
    # The same site's English edition, and a French site, are left to right (the default).
    english = client.get("/en/", HTTP_HOST="dubai.localhost").content.decode()
    assert '<html lang="en">' in english and 'dir="rtl"' not in english
    for path in ("/fr/", gulf["fr"].get_absolute_url()):
        page = client.get(path, HTTP_HOST="test.localhost").content.decode()
        assert '<html lang="fr">' in page and 'dir="rtl"' not in page, path


def test_an_unknown_page_in_arabic_is_right_to_left(client, gulf) -> None:
    page = client.get("/ar/Nothing/", HTTP_HOST="dubai.localhost")
    assert page.status_code == 404
    assert '<html lang="ar" dir="rtl">' in page.content.decode()


def test_stylesheet_speaks_in_logical_directions() -> None:
    # Left and right are written only where CSS has no logical word (a gradient's direction,
    # turned for right-to-left pages by a [dir="rtl"] rule beside it).
    css = re.sub(r"/\*.*?\*/", "", CSS.read_text(), flags=re.S)
    physical = re.findall(
        r"(?:margin|padding|border|inset)-(?:left|right)\b[^;]*"
        r"|(?<![-\w])(?:left|right)\s*:[^;]*"
        r"|(?:text-align|float|clear)\s*:\s*(?:left|right)\b",
        css,
    )
    assert not physical, physical
    gradients = re.findall(r"linear-gradient\(to (left|right)", css)
    assert gradients.count("right") == gradients.count("left"), gradients
