"""A page's visible text, one line per block, as a text-mode browser shows it."""

from __future__ import annotations

from lxml import html as lxml_html

BLOCKS = {
    "title",
    "p",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "li",
    "div",
    "figcaption",
    "section",
    "header",
    "nav",
    "ul",
    "ol",
    "blockquote",
    "aside",
    "footer",
    "main",
    "article",
    "figure",
    "br",
    "time",
}
SKIP = {"script", "style", "noscript", "template"}


def visible_lines(page: str) -> list[str]:
    root = lxml_html.fromstring(page)
    parts: list[str] = []

    def walk(element) -> None:  # type: ignore[no-untyped-def]
        tag = element.tag if isinstance(element.tag, str) else ""
        if tag in SKIP:
            if element.tail:
                parts.append(element.tail)
            return
        block = tag in BLOCKS and tag != "time"
        if block:
            parts.append("\n")
        if element.text:
            parts.append(element.text)
        for child in element:
            walk(child)
        if block:
            parts.append("\n")
        if element.tail:
            parts.append(element.tail)

    walk(root)
    return [" ".join(line.split()) for line in "".join(parts).split("\n") if line.strip()]
