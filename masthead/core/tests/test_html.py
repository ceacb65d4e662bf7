"""Hostile agency markup never survives into blocks, headlines or captions."""

import pytest

from masthead.core.html import blocks_from_html, blocks_from_text, plain_text

HOSTILE = [
    "<p>Hello<script>alert(1)</script></p>",
    '<p onclick="steal()">Hello</p>',
    '<p><a href="javascript:alert(1)">Hello</a></p>',
    '<p>Hello</p><iframe src="https://evil.example/"></iframe>',
    '<p>Hello<svg onload="alert(1)"><circle r="1"/></svg></p>',
    '<p style="position:fixed;top:0">Hello</p><style>body{display:none}</style>',
    "<p>Hello<img src=x onerror=alert(1)></p>",
    '<p>Hello<object data="x.swf"></object><embed src="x"></p>',
    '<p><a href="data:text/html;base64,PHNjcmlwdD4=">Hello</a></p>',
    '<p>Hello<form action="/x"><input name="a"></form></p>',
]


@pytest.mark.parametrize("markup", HOSTILE)
def test_hostile_markup_is_removed(markup: str):
    blocks = blocks_from_html(markup)
    joined = " ".join(b.html for b in blocks).lower()
    assert "hello" in joined
    for bad in (
        "<script",
        "onclick",
        "javascript:",
        "<iframe",
        "<svg",
        "onload",
        "style=",
        "<style",
        "onerror",
        "<img",
        "<object",
        "<embed",
        "data:",
        "<form",
        "<input",
    ):
        assert bad not in joined


def test_blocks_keep_structure_and_inline_emphasis():
    blocks = blocks_from_html(
        "<p>First <em>one</em>.</p><h2>Middle</h2><blockquote><p>Said <b>this</b></p></blockquote>"
        "<p>- Dashed title -</p><ul><li>Item</li></ul>stray tail"
    )
    assert [b.type for b in blocks] == [
        "paragraph",
        "intertitle",
        "quote",
        "intertitle",
        "paragraph",
        "paragraph",
    ]
    assert blocks[0].html == "First <em>one</em>."
    assert blocks[2].html == "Said <b>this</b>"
    assert blocks[3].html == "Dashed title"
    assert blocks[5].html == "stray tail"


def test_links_keep_only_safe_href_and_get_rel():
    (block,) = blocks_from_html(
        '<p><a href="https://example.org/x" target="_top" class="c">x</a></p>'
    )
    assert block.html == '<a href="https://example.org/x" rel="noopener nofollow">x</a>'


def test_plain_text_strips_markup_entities_and_controls():
    assert plain_text("<b>Rates</b> &amp; <i>bonds</i>\x00\x07 rise  ") == "Rates & bonds rise"
    assert plain_text("<script>x()</script>Title") == "Title"
    assert plain_text(None) == ""


def test_text_escapes_markup():
    (block,) = blocks_from_text("a <script>b</script> & c")
    assert block.html == "a &lt;script&gt;b&lt;/script&gt; &amp; c"


def test_plain_text_drops_what_is_not_text() -> None:
    # Tags and entities through the sanitiser; control characters and lone surrogates (a JSON
    # "\ud800" escape) dropped without leaving spaces at the ends; line breaks become spaces.
    assert plain_text("Tram <b>depot</b> &amp; bus\nstation") == "Tram depot & bus station"
    assert plain_text("\x01Harbour\ud800 talks\t\x04") == "Harbour talks"
    assert plain_text("Ports &#7;reopen") == "Ports reopen"
    assert plain_text("a > b") == "a > b"
