"""Agency HTML in, safe structured blocks out: the body of every article, from the wire or
the desk, is a list of these blocks.

Agency markup passes an allow-list (nh3) twice: once for the block structure, then each
block's content again with inline tags only. Headlines and captions are plain text.

Markup nested deeper than MAX_DEPTH is flattened first: the elements below that depth lose
their tags and keep their text. HTML parsers spend time in proportion to the depth for every
tag, so 550 KB of nested divs took seconds in nh3, and lxml then dropped what lay below its own
limit of 255 levels, text included.
"""

from __future__ import annotations

import copy
import html
import logging
import re
from dataclasses import dataclass
from typing import Literal

import nh3
from lxml import etree
from lxml import html as lxml_html

BlockType = Literal["paragraph", "intertitle", "quote"]


@dataclass(frozen=True)
class Block:
    type: BlockType
    html: str  # sanitised inline markup

    def as_dict(self) -> dict[str, str]:
        return {"type": self.type, "html": self.html}


log = logging.getLogger(__name__)

BLOCK_TAGS = {"p", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "ul", "ol", "li", "div", "pre"}
INLINE_TAGS = {"em", "strong", "b", "i", "a", "br", "sub", "sup"}
_INLINE_ATTRS = {"a": {"href"}}
_SPACE = re.compile(r"\s+")
_CONTROL = re.compile(r"[\x00-\x08\x0a-\x1f]")  # below the space, tab kept
# Control characters that are not spaces, and lone surrogates (a JSON "\ud800" escape).
_JUNK = re.compile(r"[\x00-\x08\x0e-\x1b\ud800-\udfff]")
_INTERTITLE_DASHES = re.compile(r"^\s*[-\u2013\u2014]\s+(.+?)\s+[-\u2013\u2014]\s*$")
MAX_DEPTH = 50
_SCRIPT_OR_STYLE = re.compile(r"<(script|style)\b.*?(?:</\1\s*>|\Z)", re.IGNORECASE | re.DOTALL)
_TAG = re.compile(r"<(/?)([a-zA-Z][a-zA-Z0-9]*)[^>]*>")
# Elements that add no depth: empty ones, and those a parser closes by itself when the next one
# opens (a thousand unclosed paragraphs are a thousand paragraphs, not a thousand levels).
_FLAT_TAGS = {
    *("area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param"),
    *("source", "track", "wbr", "p", "li", "dt", "dd", "option", "tr", "td", "th"),
}


def plain_text(value: str | None, *, limit: int = 1000) -> str:
    """Markup-free, whitespace-collapsed text (headlines, captions, credits)."""
    if not value:
        return ""
    value = _JUNK.sub("", value)
    if "<" in value:
        value = _within_depth(value, limit=MAX_DEPTH, what="")  # nh3 takes every tag out anyway
    if "<" in value or "&" in value:
        value = html.unescape(nh3.clean(value, tags=set(), attributes={}))
    # else: no tag and no entity, nothing for the sanitiser to take out (most headlines).
    text = _SPACE.sub(" ", value).strip()
    # Control characters never belong in a headline (they break feeds and XML); an entity
    # (&#7;) may have made one.
    text = _CONTROL.sub("", text).strip()
    return text[:limit]


def _within_depth(markup: str, *, limit: int, what: str) -> str:
    """`markup` with the tags of elements deeper than `limit` left out (their text stays), as a
    parser would nest them; `what` names it in the log line (none when empty). One pass of a
    regular expression, a second only when too deep: 550 KB of nested divs in 0.2 s."""
    if markup.count("<") <= limit:
        return markup  # too few tags to be too deep: most bodies
    deepest = _walk(markup, limit, None)
    if deepest <= limit:
        return markup
    # Scripts and styles go whole, as nh3 would take them: their text is no text.
    pieces: list[str] = []
    _walk(_SCRIPT_OR_STYLE.sub(" ", markup), limit, pieces)
    if what:
        log.warning(
            "%s markup nested %s deep: flattened to text below depth %d",
            what,
            f"{deepest:,}",
            limit,
        )
    return "".join(pieces)


def _walk(markup: str, limit: int, out: list[str] | None) -> int:
    """The deepest nesting of `markup`; with `out`, also its pieces without the tags below
    `limit` (each replaced by a space, so words on both sides stay apart)."""
    stack: list[tuple[str, bool]] = []  # open elements: (name, tag kept)
    open_names: dict[str, int] = {}
    deepest = end = 0
    for match in _TAG.finditer(markup):
        name = match.group(2).lower()
        if out is not None:
            out.append(markup[end : match.start()])
            end = match.end()
        keep = True
        if name in _FLAT_TAGS:
            pass
        elif match.group(1):  # an end tag closes its element and any left open inside it
            if open_names.get(name):
                while True:
                    closed, keep = stack.pop()
                    open_names[closed] -= 1
                    if closed == name:
                        break
        else:
            keep = len(stack) < limit
            stack.append((name, keep))
            open_names[name] = open_names.get(name, 0) + 1
            deepest = max(deepest, len(stack))
        if out is not None:
            out.append(match.group(0) if keep else " ")
    if out is not None:
        out.append(markup[end:])
    return deepest


def clean_inline(fragment: str) -> str:
    cleaned = nh3.clean(
        fragment,
        tags=INLINE_TAGS,
        attributes=_INLINE_ATTRS,
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener nofollow",
    )
    return _SPACE.sub(" ", cleaned).strip()


def blocks_from_html(markup: str) -> tuple[Block, ...]:
    """Split agency HTML into paragraph, intertitle and quote blocks."""
    if not markup or not markup.strip():
        return ()
    safe = nh3.clean(
        _within_depth(markup, limit=MAX_DEPTH, what="body"),
        tags=BLOCK_TAGS | INLINE_TAGS,
        attributes=_INLINE_ATTRS,
        url_schemes={"http", "https", "mailto"},
        clean_content_tags={"script", "style"},
    )
    try:
        root = lxml_html.fragment_fromstring(safe, create_parent="div")
    except (etree.ParserError, ValueError):
        return tuple(blocks_from_text(plain_text(markup, limit=200_000)))
    blocks: list[Block] = []
    if root.text and root.text.strip():
        blocks.append(Block("paragraph", clean_inline(html.escape(root.text))))
    for child in root:
        _collect(child, blocks)
        if child.tail and child.tail.strip():
            blocks.append(Block("paragraph", clean_inline(html.escape(child.tail))))
    return tuple(b for b in blocks if b.html)


def xml_to_html(element: etree._Element) -> str:
    """The content of an XML element (an XHTML body carried in a wire file) as HTML text.

    Serialised as XML, an empty element is written in the short form (`<iframe src=".."/>`,
    `<textarea/>`), which an HTML parser reads as an opening tag: everything after it became
    the content of an iframe or a textarea, shown to readers as escaped markup or lost. lxml's
    HTML serialiser writes `<iframe></iframe>` and `<br>`, so the tree arrives as it was.
    Namespaces go first (an HTML serialiser would print `html:p`)."""
    tree = copy.deepcopy(element)
    for node in tree.iter():
        if isinstance(node.tag, str):
            node.tag = etree.QName(node).localname
        for name in [n for n in node.attrib if n.startswith("{")]:
            del node.attrib[name]  # xml:lang and the like mean nothing to a reader
    etree.cleanup_namespaces(tree)
    parts = [html.escape(tree.text or "", quote=False)]
    parts += [etree.tostring(child, encoding="unicode", method="html") for child in tree]
    return "".join(parts)


def _inner_html(element: etree._Element) -> str:
    parts = [html.escape(element.text or "")]
    for child in element:
        parts.append(etree.tostring(child, encoding="unicode", method="html", with_tail=True))
    return "".join(parts)


def _collect(element: etree._Element, blocks: list[Block]) -> None:
    tag = element.tag if isinstance(element.tag, str) else ""
    if tag in {"h1", "h2", "h3", "h4", "h5", "h6"}:
        blocks.append(Block("intertitle", plain_text(element.text_content(), limit=300)))
    elif tag == "blockquote":
        text = " ".join(clean_inline(_inner_html(p)) for p in element.iter("p")) or clean_inline(
            _inner_html(element)
        )
        blocks.append(Block("quote", text))
    elif tag in {"div", "ul", "ol"}:
        if element.text and element.text.strip():
            blocks.append(Block("paragraph", clean_inline(html.escape(element.text))))
        for child in element:
            _collect(child, blocks)
            if child.tail and child.tail.strip():
                blocks.append(Block("paragraph", clean_inline(html.escape(child.tail))))
    elif tag in INLINE_TAGS:
        blocks.append(
            Block(
                "paragraph",
                clean_inline(etree.tostring(element, encoding="unicode", method="html")),
            )
        )
    else:  # p, li, pre
        _paragraph_or_intertitle(clean_inline(_inner_html(element)), blocks)


def _paragraph_or_intertitle(inline: str, blocks: list[Block]) -> None:
    # Agencies often write intertitles as a paragraph "- Intertitle -".
    match = _INTERTITLE_DASHES.match(html.unescape(re.sub(r"<[^>]+>", "", inline)))
    if match and len(match.group(1)) <= 120:
        blocks.append(Block("intertitle", match.group(1).strip()))
    else:
        blocks.append(Block("paragraph", inline))


def blocks_from_text(text: str) -> list[Block]:
    """Plain text, paragraphs separated by blank lines, into blocks."""
    blocks: list[Block] = []
    for chunk in re.split(r"\n\s*\n", text.replace("\r\n", "\n")):
        chunk = _SPACE.sub(" ", chunk).strip()
        if chunk:
            _paragraph_or_intertitle(html.escape(chunk, quote=False), blocks)
    return blocks


def block_type(value: str) -> BlockType:
    return "intertitle" if value == "intertitle" else "quote" if value == "quote" else "paragraph"
