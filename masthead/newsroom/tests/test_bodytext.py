"""The body as editors write it: text in, blocks out, and wire copy round-trips unchanged."""

from __future__ import annotations

import pytest

from masthead.core.html import blocks_from_html
from masthead.newsroom.services.article import article_body_clean
from masthead.newsroom.services.bodytext import body_from_text, body_to_text


def test_paragraphs_intertitles_and_quotes_from_text() -> None:
    text = (
        "The council met on Monday.\nIt voted twice.\n\n"
        "- What comes next -\n\n"
        "> We will build it, the mayor said.\n> By spring.\n\n\n"
        'A <em>last</em> word &amp; a link: <a href="https://example.org/">here</a>.'
    )
    assert body_from_text(text) == [
        {"type": "paragraph", "html": "The council met on Monday. It voted twice."},
        {"type": "intertitle", "html": "What comes next"},
        {"type": "quote", "html": "We will build it, the mayor said. By spring."},
        {
            "type": "paragraph",
            "html": 'A <em>last</em> word &amp; a link: <a href="https://example.org/">here</a>.',
        },
    ]


def test_windows_line_ends_and_blank_lines_with_spaces_part_paragraphs() -> None:
    assert len(body_from_text("One.\r\n \r\nTwo.")) == 2


def test_an_ampersand_shows_as_itself_and_an_escaped_tag_stays_escaped() -> None:
    blocks = [{"type": "paragraph", "html": "AT&amp;T writes &lt;b&gt; and &amp;lt; too"}]
    text = body_to_text(blocks)
    assert text == "AT&T writes &lt;b&gt; and &amp;lt; too"
    # Read back and cleaned, it is what it was: no tag appears, nothing is lost.
    assert article_body_clean(body_from_text(text)) == blocks


@pytest.mark.parametrize(
    "markup",
    [
        "<p>First.</p><h2>Inside the plan</h2><p>Second <strong>bold</strong>.</p>",
        "<p>He said:</p><blockquote>It is done.</blockquote><p>1. Not a list &gt; nor a quote</p>",
        "<p>Text with <a href='https://example.org/a?b=1&amp;c=2'>a link</a> &amp; more</p>",
        "<p>- Already an intertitle -</p>",
    ],
)
def test_wire_copy_round_trips_through_the_editor(markup: str) -> None:
    blocks = article_body_clean([b.as_dict() for b in blocks_from_html(markup)])
    assert article_body_clean(body_from_text(body_to_text(blocks))) == blocks or (
        # An agency paragraph written "- like this -" is read as the intertitle it stands for.
        markup.startswith("<p>- ")
    )


def test_hostile_markup_is_cleaned_like_wire_copy() -> None:
    text = (
        'Hello <script>alert(1)</script><img src=x onerror=alert(2)> <a href="javascript:x">y</a>'
    )
    (block,) = article_body_clean(body_from_text(text))
    assert "<script" not in block["html"] and "onerror" not in block["html"]
    assert "javascript:" not in block["html"]
