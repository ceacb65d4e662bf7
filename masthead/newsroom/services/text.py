"""Small text helpers for articles: slugs, signatures, and the plain text of body blocks."""

from __future__ import annotations

import hashlib
import html
from collections.abc import Iterable
from typing import Any

from django.utils.text import slugify
from lxml import html as lxml_html

# Letters NFKD cannot decompose into ASCII; without these "Straße" would become "strae".
_TRANSLIT = str.maketrans(
    {
        "ß": "ss",
        "æ": "ae",
        "Æ": "ae",
        "ø": "o",
        "Ø": "o",
        "œ": "oe",
        "Œ": "oe",
        "đ": "d",
        "Đ": "d",
        "ł": "l",
        "Ł": "l",
        "þ": "th",
    }
)


def article_slug(headline: str, *, limit: int = 80) -> str:
    slug = slugify(headline.translate(_TRANSLIT))
    if len(slug) > limit:
        slug = slug[:limit].rsplit("-", 1)[0]
    return slug or "article"


def signature_pick(*, signatures: list[str], code: str, key: str) -> str:
    """The house signature for a story on a site: stable for the story, spread over the list."""
    if not signatures:
        return f"--{code}"
    index = int(hashlib.sha256(f"{key}:{code}".encode()).hexdigest(), 16) % len(signatures)
    return f"{signatures[index]}--{code}"


def block_text(markup: str) -> str:
    """The text a reader sees in one block's (sanitised, inline) HTML, entities decoded."""
    if "<" not in markup:
        # Most wire paragraphs carry no inline tag: decoding entities is all there is to do
        # (lxml's parse costs ten times more, Django's strip_tags twenty).
        return html.unescape(markup)
    fragment = lxml_html.fragment_fromstring(markup, create_parent="div")
    for line_break in fragment.iter("br"):
        # A line break parts words as a space does ("Ghent<br>Bruges" is two words).
        line_break.tail = " " + (line_break.tail or "")
    return str(fragment.text_content())


def body_text(blocks: Iterable[dict[str, Any]]) -> str:
    """An article body as plain text, one line per block."""
    return "\n".join(block_text(block.get("html", "")) for block in blocks)
