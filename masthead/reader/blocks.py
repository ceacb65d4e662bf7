"""Article body blocks to HTML in Python: one call per page instead of one template include
per paragraph (the includes were the largest part of a cold article render)."""

from __future__ import annotations

from typing import Any

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe


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
