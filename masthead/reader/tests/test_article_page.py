"""The article page shows what the reference page shows, in the reference's order."""

import re
from pathlib import Path

import pytest

from masthead.newsroom.models import Article
from masthead.reader.tests.textmode import visible_lines
from masthead.wire.pipeline import ingest_paths

TICKER_LINE = re.compile(
    r"^(?P<symbol>[A-Z][A-Z0-9.]*) (?P<change>[+-]?\d+(\.\d+)?%) (?P<price>\d+(\.\d+)?) (?P<cur>\S+)$"
)
SIGNATURE = re.compile(r"^[A-Z][A-Za-z]{0,3}\.\S+--[A-Za-z0-9]+$")


def _page(client, article: Article) -> list[str]:
    response = client.get(article.get_absolute_url(), HTTP_HOST="test.localhost")
    assert response.status_code == 200
    return visible_lines(response.content.decode())


def _index(lines: list[str], predicate, after: int = -1) -> int:
    for i, line in enumerate(lines):
        if i > after and predicate(line):
            return i
    raise AssertionError(f"not found after line {after}: {predicate}")


def test_article_page_follows_reference_order(client, published: Article, wire_dir: Path):
    other = (wire_dir / "harbour-talks.json").read_text().replace("harbour-talks", "other")
    (wire_dir / "other.json").write_text(other.replace("Port cities agree", "Inland cities agree"))
    assert [o.action for o in ingest_paths([wire_dir / "other.json"])] == ["created"]
    lines = _page(client, published)
    headline = published.headline
    blocks = published.body
    title = _index(lines, lambda s: s == f"Journal de Test - {headline}")
    label = _index(lines, lambda s: s == "NYSE - LSE", title)
    bp = _index(lines, lambda s: s == "BP +0.44% 29.76 $", label)
    h1 = _index(lines, lambda s: s == headline, bp)
    caption = _index(
        lines, lambda s: s == f"{headline} / Photo: Lena HOLM, Marc DUPREZ - MWA/File", h1
    )
    first = _index(lines, lambda s: s == blocks[0]["html"], caption)
    size = _index(lines, lambda s: s == "Text size:", first)
    inter1 = _index(lines, lambda s: s == "Shore power first", size)
    inter2 = _index(lines, lambda s: s == "Who pays", inter1)
    last_paragraph = _index(lines, lambda s: s == blocks[-1]["html"], inter2)
    signature = _index(lines, lambda s: SIGNATURE.match(s) is not None, last_paragraph)
    assert lines[signature] in {"P.Claes--JdT", "M.Dubois--JdT"}
    latest = _index(lines, lambda s: s == "Latest news", signature)
    assert lines[latest + 1].startswith("Inland cities agree")


def test_thin_line_without_previous_close_shows_no_move(client, published: Article):
    lines = _page(client, published)
    assert "RBGPF n/a 64.5 $" in lines
    assert not any(line.startswith("RBGPF") and "%" in line for line in lines)


def test_conformance_with_reference_page(client, published: Article, shared_dir: Path):
    """Derive the element order from ../shared/reference/article-page.txt, then check ours."""
    ref = [
        line.strip()
        for line in (shared_dir / "reference" / "article-page.txt").read_text().splitlines()
    ]
    ref = [line for line in ref if line]
    _site_name, _, ref_headline = ref[0].partition(" - ")
    kinds: list[str] = []

    def kind_of(line: str, index: int) -> str:
        if index == 0:
            return "title"
        if TICKER_LINE.match(line):
            return "ticker line"
        if index == 1:
            return "ticker label"
        if " / Photo: " in line:
            return "caption"
        if line == ref_headline:
            return "headline"
        if line == "Text size:":
            return "text size"
        if re.match(r"^- .+ -$", line):
            return "intertitle"
        if SIGNATURE.match(line):
            return "signature"
        return "paragraph"

    for i, line in enumerate(ref):
        kind = kind_of(line, i)
        if kind not in kinds:
            kinds.append(kind)
    assert kinds == [
        "title",
        "ticker label",
        "ticker line",
        "headline",
        "caption",
        "paragraph",
        "text size",
        "intertitle",
        "signature",
    ], kinds
    assert ref[1] and all(TICKER_LINE.match(line) for line in ref[2:18])

    lines = _page(client, published)
    headline = published.headline
    finders = {
        "title": lambda s: s == f"Journal de Test - {headline}",
        "ticker label": lambda s: s == "NYSE - LSE",
        "ticker line": lambda s: TICKER_LINE.match(s) is not None,
        "headline": lambda s: s == headline,
        "caption": lambda s: s.startswith(f"{headline} / Photo: "),
        "paragraph": lambda s: s == published.body[0]["html"],
        "text size": lambda s: s == "Text size:",
        "intertitle": lambda s: s == "Shore power first",
        "signature": lambda s: SIGNATURE.match(s) is not None,
    }
    position = -1
    for kind in kinds:
        position = _index(lines, finders[kind], position)


@pytest.mark.parametrize("variant", ["wrong-slug", "Politics-case", "other-section"])
def test_non_canonical_urls_redirect_permanently(client, published: Article, variant: str):
    canonical = published.get_absolute_url()
    url = {
        "wrong-slug": f"/en/Politics/{published.story_id}-old-slug.html",
        "Politics-case": canonical.replace("/Politics/", "/politics/"),
        "other-section": canonical.replace("/Politics/", "/Business/"),
    }[variant]
    response = client.get(url, HTTP_HOST="test.localhost")
    assert response.status_code == 301
    assert response["Location"] == canonical


def test_killed_story_answers_410_in_site_style(client, published: Article):
    from masthead.newsroom.services.story import story_kill

    story_kill(story=published.story, source="test")
    response = client.get(published.get_absolute_url(), HTTP_HOST="test.localhost")
    assert response.status_code == 410
    assert "Journal de Test" in response.content.decode()
    assert "withdrawn" in response.content.decode()


def test_article_on_wrong_site_or_language_is_404(client, published: Article):
    url = published.get_absolute_url()
    assert client.get(url, HTTP_HOST="zeitung.localhost").status_code == 404
    assert client.get(url.replace("/en/", "/fr/"), HTTP_HOST="test.localhost").status_code == 404
    assert client.get(url.replace("/en/", "/de/"), HTTP_HOST="test.localhost").status_code == 404


def test_text_size_control_is_accessible_and_page_has_no_framework(client, published: Article):
    page = client.get(published.get_absolute_url(), HTTP_HOST="test.localhost").content.decode()
    assert ">Smaller text</span>" in page and ">Larger text</span>" in page
    assert 'type="button"' in page and 'aria-live="polite"' in page
    # The remembered size is applied in <head> before paint: no shift once the page shows.
    head = page.split("</head>")[0]
    assert "masthead-text-size" in head and "data-text-size" in head
    assert '<script src="/static/masthead/reader.js" defer>' in page
    assert 'width="1200" height="675"' in page
