"""Small text helpers for articles: slugs, signatures, and the plain text of body blocks."""

from __future__ import annotations

import hashlib
import html
import re
import unicodedata
from collections.abc import Iterable
from typing import Any

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
        "\u0131": "i",  # the Turkish dotless i
        # The Arabic tatweel only stretches a word on the line; it is no letter of it.
        "\u0640": "",
        # Marks that part words where a space would, as Korean and Japanese headlines use
        # them ("첫눈…출근길", "자동차·선박"): a hyphen, not one run-on word.
        "\u2026": " ",  # the ellipsis
        "\u22ef": " ",  # the midline ellipsis
        "\u00b7": " ",  # the middle dot
        "\u30fb": " ",  # the katakana middle dot
        "\uff65": " ",  # its half-width form
    }
)
_NOT_SLUG = re.compile(r"[^\w\s-]")
_SEPARATORS = re.compile(r"[-\s]+")


def _slug_char(char: str) -> str:
    """A Latin letter in ASCII, without its accents ("é" -> "e"); a Greek one without its
    accents too ("ή" -> "η": Greek capitals are written without them, and a headline in
    capitals gives the slug it gives in small letters); any other character as it is."""
    if char.isascii():
        return char
    name = unicodedata.name(char, "")
    if name.startswith("LATIN "):
        return unicodedata.normalize("NFKD", char).encode("ascii", "ignore").decode("ascii")
    if name.startswith("GREEK "):
        return "".join(
            c for c in unicodedata.normalize("NFD", char) if not unicodedata.combining(c)
        )
    return char


def article_slug(headline: str, *, limit: int = 80) -> str:
    r"""The words of a headline for its URL, lower case, joined by hyphens, at most `limit`
    characters (cut at a word where there is one).

    Latin letters lose their accents ("Liège" -> "liege"), as they always have here, and so do
    Greek ones; letters of other scripts are kept as they are written (Korean, Arabic,
    Cyrillic, Chinese, Japanese ...): their readers read them, and would not read a
    transliteration (docs/architecture.md). A slug is what Django's unicode slug allows
    (`[-\w]+`): combining marks, punctuation and symbols are dropped, so Arabic vowel marks go
    and the word stays.
    """
    text = unicodedata.normalize("NFKC", headline.translate(_TRANSLIT)).lower()
    text = _NOT_SLUG.sub("", "".join(_slug_char(char) for char in text))
    slug = _SEPARATORS.sub("-", text).strip("-_")
    if len(slug) > limit:
        slug = slug[:limit].rsplit("-", 1)[0]
    return slug or "article"


def signature_pick(*, signatures: list[str], code: str, key: str) -> str:
    """The house signature for a story on a site: stable for the story, spread over the list."""
    if not signatures:
        return f"--{code}"
    index = int(hashlib.sha256(f"{key}:{code}".encode()).hexdigest(), 16) % len(signatures)
    return f"{signatures[index]}--{code}"


# A sentence ends at . ! ? (and their CJK forms) followed by a space or the end; "Dr." or
# "3.5" rarely end the first sentence of a wire story and cost at worst a shorter summary.
_CJK_STOPS = "\u3002\uff01\uff1f"  # the ideographic full stop, exclamation and question marks
_SENTENCE_END = re.compile(rf"(?<=[.!?\u2026])\s+|(?<=[{_CJK_STOPS}])")
SUMMARY_CHARS = 240


def body_summary(body: Any, *, limit: int = SUMMARY_CHARS) -> str:
    """The first sentence or two of the first paragraph, cut cleanly at a sentence within
    `limit` characters; a first sentence longer than that is cut at a word, with "…"."""
    if not isinstance(body, list):
        return ""
    first = next((b for b in body if isinstance(b, dict) and b.get("type") == "paragraph"), None)
    if first is None:
        return ""
    text = " ".join(block_text(str(first.get("html", ""))).split())
    if len(text) <= limit:
        return text
    sentences = [s for s in _SENTENCE_END.split(text) if s]
    summary = ""
    for sentence in sentences:
        separator = "" if not summary or summary.endswith(tuple(_CJK_STOPS)) else " "
        joined = summary + separator + sentence
        if len(joined) > limit:
            break
        summary = joined
    if summary:
        return summary
    cut = text[: limit - 1]
    return (cut.rsplit(" ", 1)[0] if " " in cut else cut) + "…"


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
