"""Big but legal input costs about its size, not many times more.

Each input is generated here: a picture whose header promises 59 million pixels in a file of a
few kilobytes, a body of deeply nested divs, a body of one enormous word. Before the limits, the
picture was decoded (713 MB, 5.5 s), the nested divs took seconds in the sanitiser (and lost
their text), and one long article made every feed and search page that listed it as big as
itself (docs/reliability.md has the figures).
"""

from __future__ import annotations

import json
import logging
import struct
import zlib
from pathlib import Path

import pytest
from django.test import Client

from masthead.core import html as sanitize
from masthead.core.html import blocks_from_html
from masthead.newsroom.models import Article

FEED_CHARS = 5000
MAX_DEPTH = 50


def _png(width: int, height: int) -> bytes:
    """A valid one-bit PNG, written row by row: quick to make at any size, tiny on disk."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    row = b"\x00" * (1 + (width + 7) // 8)  # filter byte, then black pixels
    packer = zlib.compressobj(9)
    pixels = b"".join(packer.compress(row) for _ in range(height)) + packer.flush()
    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")
    )


def _story(folder: Path, name: str, headline: str, **fields: object) -> Path:
    path = folder / f"{name}.json"
    doc = {
        "uri": f"urn:masthead-test:big:{name}",
        "version": "1",
        "type": "text",
        "versioncreated": "2026-11-20T10:40:00Z",
        "pubstatus": "usable",
        "language": "en",
        "copyrightholder": "MWA",
        "headline": headline,
        **fields,
    }
    path.write_text(json.dumps(doc))
    return path


# -- pictures ---------------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_picture_of_too_many_pixels_is_refused_before_decoding(
    network, ingest, tmp_path: Path
) -> None:
    png = _png(7700, 7700)
    assert len(png) < 100_000  # 59 megapixels in a few kilobytes
    (tmp_path / "huge.png").write_bytes(png)
    renditions = {"original": {"href": "huge.png", "mimetype": "image/png"}}
    story = _story(
        tmp_path,
        "huge",
        "Harbour cranes photographed from above",
        body_html="<p>The picture is big.</p>",
        associations={"featureimage": {"type": "picture", "renditions": renditions}},
    )
    (outcome,) = ingest([story])
    assert outcome.action == "created", outcome.error
    assert outcome.note == (
        "picture huge.png: 7700 x 7700 pixels (59.3 million), over the limit of 40 million"
    )
    assert not Article.objects.filter(picture__isnull=False).exists()  # went out without it


@pytest.mark.django_db
def test_the_pixel_limit_is_a_setting(settings) -> None:
    from masthead.core.errors import WireError
    from masthead.newsroom.services.picture import picture_create

    settings.MASTHEAD_PICTURE_MAX_PIXELS = 40 * 30
    fields = {"guid": "g", "caption": "", "credit": "", "alt": ""}
    assert picture_create(data=_png(40, 30), name="fits.png", **fields).width == 40
    with pytest.raises(WireError, match=r"^picture wide.png: 41 x 30 pixels \(0.0 million\)"):
        picture_create(data=_png(41, 30), name="wide.png", **fields)


# -- nesting ----------------------------------------------------------------------------------


def _nested(depth: int, inner: str = "deep text") -> str:
    return "<div>" * depth + inner + "</div>" * depth


def test_deep_markup_is_flattened_below_the_limit_fast(caplog: pytest.LogCaptureFixture) -> None:
    markup = "<p>Lead paragraph.</p>" + _nested(550 * 1024 // 11) + "<p>Last paragraph.</p>"
    assert len(markup) > 550_000
    blocks = blocks_from_html(markup)  # 11.7 s before (text lost), a tenth of a second now
    assert [b.html for b in blocks] == ["Lead paragraph.", "deep text", "Last paragraph."]
    (line,) = [r.getMessage() for r in caplog.records]
    assert line == f"body markup nested 51,200 deep: flattened to text below depth {MAX_DEPTH}"


def test_the_deep_part_only_is_flattened() -> None:
    markup = (
        "<div>" * (MAX_DEPTH - 1)
        + "<p>Kept <em>as it was</em></p>"
        + "<blockquote>" * 10
        + "<p>Quoted <b>deep</b></p><p>twice</p>"
        + "</blockquote>" * 10
        + "</div>" * (MAX_DEPTH - 1)
    )
    kinds = [(b.type, b.html) for b in blocks_from_html(markup)]
    assert kinds[0] == ("paragraph", "Kept <em>as it was</em>")
    assert "Quoted" in kinds[1][1] and "deep" in kinds[1][1] and "twice" in kinds[1][1]
    assert "<b>" not in kinds[1][1]  # below the limit: text


def test_markup_within_the_limit_is_untouched(caplog: pytest.LogCaptureFixture) -> None:
    inner = "<h2>Title</h2><p>One <b>bold</b> word.</p><ul><li>Item</li></ul>"
    assert blocks_from_html(_nested(MAX_DEPTH - 2, inner)) == blocks_from_html(inner)
    # Elements a parser closes by itself do not count: a thousand unclosed paragraphs are flat.
    assert len(blocks_from_html("<p>Paragraph." * 1000)) == 1000
    assert caplog.records == []


# -- feeds and search -------------------------------------------------------------------------


@pytest.fixture
def long_story(network, ingest, tmp_path: Path) -> Article:
    """An article whose text is one 300,000-character word, after a short first paragraph."""
    story = _story(
        tmp_path,
        "long",
        "Harbour log kept in one word",
        body_html="<p>Opening words.</p><p>" + "harbour" * 43_000 + "</p><p>Closing words.</p>",
    )
    (outcome,) = ingest([story])
    assert outcome.action == "created", outcome.error
    return Article.objects.get(site__code="JdT")


@pytest.mark.parametrize("kind", ["rss", "atom"])
@pytest.mark.django_db
def test_a_feed_item_carries_the_first_5000_characters(long_story: Article, kind: str) -> None:
    client = Client(HTTP_HOST="test.localhost")
    response = client.get(f"/en/feed/{kind}.xml")
    assert response.status_code == 200
    assert len(response.content) < 2 * FEED_CHARS + 4000  # was 300 KB (47 MB for 19 MB)
    text = response.content.decode()
    assert "Opening words." in text
    assert "harbour" * (FEED_CHARS // 7 - 10) in text and "…" in text
    assert "Closing words." not in text
    assert long_story.signature in text  # the item still ends as it did
    article = client.get(long_story.get_absolute_url())
    assert b"Closing words." in article.content  # the page keeps it all


@pytest.mark.django_db
def test_a_search_snippet_stays_small(long_story: Article) -> None:
    client = Client(HTTP_HOST="test.localhost")
    response = client.get("/en/search", {"q": "log"})
    assert response.status_code == 200
    assert long_story.headline.encode() in response.content
    assert len(response.content) < 40_000  # was 300 KB (20 MB for 19 MB)


def test_a_snippet_looks_at_the_first_100_kb_only() -> None:
    from masthead.search.query import parse_query
    from masthead.search.services import SNIPPET_SCAN_CHARS, snippet_of_text

    assert SNIPPET_SCAN_CHARS == 100_000
    early = "tram " * 10 + "filler " * 20_000 + "zeppelin"
    found = snippet_of_text(early, parse_query("tram"), "en")
    assert found.count("<mark>tram</mark>") == 10 and len(found) < 1000
    late = snippet_of_text(early, parse_query("zeppelin"), "en")
    assert "zeppelin" not in late and len(late) < 1000  # past the scanned part
    word = snippet_of_text("x" * 500_000, parse_query("x"), "en")
    assert len(word) < 200  # one endless word is cut too


def test_one_level_too_deep_is_one_log_line(caplog: pytest.LogCaptureFixture) -> None:
    assert getattr(sanitize, "MAX_DEPTH", None) == MAX_DEPTH
    caplog.set_level(logging.INFO)
    assert [b.html for b in blocks_from_html(_nested(MAX_DEPTH + 1))] == ["deep text"]
    assert [r.getMessage() for r in caplog.records] == [
        f"body markup nested {MAX_DEPTH + 1} deep: flattened to text below depth {MAX_DEPTH}"
    ]
