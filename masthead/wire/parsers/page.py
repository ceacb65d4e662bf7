"""Page text import: a whole article page, as a text-mode browser shows it, back to the article.

For migrating an existing site's archive: the page carries the site's chrome around the story
(the document title `SITE - HEADLINE`, the ticker, the headline repeated, the text-size label,
the house signature). The chrome is dropped and the story kept: headline, caption and credit,
first paragraph, body with its `- Intertitle -` lines. The same optional `Key: value` header
block as plain text may come first (ID, Date, Language ...), for tools that know more than the
page shows.
"""

from __future__ import annotations

import hashlib
import re

from masthead.core.errors import WireError
from masthead.newsroom.items import ParsedItem
from masthead.wire.parsers.base import WireParser
from masthead.wire.parsers.text import (
    TextStory,
    caption_parts,
    decode_text,
    paragraphs_of,
    split_headers,
    split_lines,
    story_item,
    strip_signature,
)

# A short label line ending in a colon, with no sentence in it: "Text size:", "Taille du texte :".
CONTROL_LABEL = re.compile(r"^[^.!?\"“«]{1,40}\s?:$")
SCAN_LINES = 120  # the headline comes back within the first lines, after the ticker


def _find_headline(lines: list[str]) -> tuple[str, str, int] | None:
    """(site name, headline, index of the headline line) when the page has its title line."""
    title = next((line for line in lines if line), "")
    for index, line in enumerate(lines[1:SCAN_LINES], start=1):
        if line and title.endswith(" - " + line) and len(title) > len(line) + 3:
            return title[: -len(line) - 3].strip(), line, index
    return None


class PageTextParser(WireParser):
    name = "page"

    def sniff(self, data: bytes) -> bool:
        head = data[:512].lstrip(b"\xef\xbb\xbf \t\r\n")
        if not head or head[:1] in (b"<", b"{", b"["):
            return False
        try:
            lines = split_lines(decode_text(data[:65536]))
            _, lines = split_headers(lines)
        except WireError:
            return False
        return _find_headline(lines) is not None

    def parse(self, data: bytes, *, source: str) -> list[ParsedItem]:
        text = decode_text(data)
        headers, lines = split_headers(split_lines(text))
        found = _find_headline(lines)
        if found is None:
            raise WireError(
                "not an article page: the first line should be 'SITE - HEADLINE' "
                "and the headline should follow on a line of its own"
            )
        site, headline, index = found
        # Everything between the title and the headline is chrome (ticker, navigation).
        rest = lines[index + 1 :]
        caption = credit = ""
        body_start = 0
        for position, line in enumerate(rest):
            if not line or line == headline:
                continue
            parts = caption_parts(line)
            if parts and not caption:
                caption, credit = parts
                continue
            body_start = position
            break
        else:
            raise WireError(f"{headline[:60]!r}: the page has no article text")
        body = [line for line in rest[body_start:] if not CONTROL_LABEL.match(line)]
        paragraphs = strip_signature(paragraphs_of(body))
        if "id" not in headers:
            digest = hashlib.sha256(f"{site}\n{headline}".encode()).hexdigest()[:32]
            headers["id"] = f"page:{digest}"
        story = TextStory(
            headline=headline,
            paragraphs=paragraphs,
            caption=caption,
            credit=credit,
            headers=headers,
        )
        return [
            story_item(story, source=source, format=self.name, raw=text, default_provider="import")
        ]
