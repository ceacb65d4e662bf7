"""Article body blocks to HTML in Python: one call per page instead of one template include
per paragraph (the includes were the largest part of a cold article render)."""

from __future__ import annotations

from typing import Any

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from masthead.newsroom.services.text import block_text


def block_html(block: dict[str, Any]) -> str:
    # Paragraph and quote html is inline markup sanitised at ingest (nh3 allow-list);
    # intertitles are plain text, escaped here.
    kind, html = block.get("type"), str(block.get("html", ""))
    if kind == "intertitle":
        return f'<h2 class="intertitle">{escape(html)}</h2>'
    if kind == "quote":
        return f"<blockquote><p>{html}</p></blockquote>"
    return f"<p>{html}</p>"


def blocks_html(value: list[dict[str, Any]] | dict[str, Any] | None) -> SafeString:
    if not value:
        return mark_safe("")
    items = [value] if isinstance(value, dict) else value
    return mark_safe("\n".join(block_html(b) for b in items))


def blocks_head(blocks: list[dict[str, Any]], limit: int) -> list[dict[str, Any]]:
    """The blocks of about the first `limit` characters of a body: whole blocks while they fit
    (counted by their HTML, which is never shorter than their text), then the first one that
    does not as plain text cut at a word, with an ellipsis. 0: all of them."""
    if limit <= 0:
        return blocks
    head: list[dict[str, Any]] = []
    left = limit
    for block in blocks:
        markup = str(block.get("html", ""))
        if len(markup) <= left:
            head.append(block)
            left -= len(markup)
            continue
        # Never the whole of a long block's HTML into the parser: what is shown comes first.
        text = block_text(markup[: 4 * left])
        text = " ".join(text.split())[:left]
        if " " in text[left // 2 :]:
            text = text[: text.rindex(" ")]
        head.append({"type": "paragraph", "html": escape(text.rstrip(" ,;:-")) + "…"})
        break
    return head
