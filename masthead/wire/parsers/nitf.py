"""NITF 3.x: a news story on its own, in whatever encoding it declares.

The body (`body.content`) becomes HTML with the block structure Masthead knows (paragraphs,
`hl2` intertitles, `bq`/`pq` quotes) and then goes through the same sanitiser as every other
format. The NewsML-G2 parser reuses `nitf_body` for NITF carried inline.
"""

from __future__ import annotations

import hashlib
import html
import re
from collections.abc import Sequence
from datetime import UTC, datetime

from lxml import etree

from masthead.core.errors import WireError
from masthead.core.html import Block, blocks_from_html, plain_text
from masthead.core.xml import (
    child,
    children,
    descendants,
    local,
    parse_xml,
    positive_int,
    root_name,
    text_of,
)
from masthead.newsroom.items import ItemStatus, ParsedItem, ParsedPicture, Rendition
from masthead.wire.parsers.base import WireParser, parse_time, parse_version, with_notes

_BASIC_TIME = re.compile(
    r"^(\d{4})(\d{2})(\d{2})(?:T(\d{2})(\d{2})(\d{2})?)?(Z|[+-]\d{2}:?\d{2})?$"
)
STATUS: dict[str, ItemStatus] = {
    "usable": "usable",
    "embargoed": "usable",  # the release date says until when
    "withheld": "withheld",
    "canceled": "canceled",
    "cancelled": "canceled",
}


def nitf_time(value: str | None, *, field: str) -> datetime | None:
    """NITF times are ISO 8601, often in the basic form (20261124T101500Z)."""
    if not value or not value.strip():
        return None
    text = value.strip()
    match = _BASIC_TIME.match(text)
    if match:
        year, month, day, hour, minute, second, zone = match.groups()
        zone = zone or "Z"
        if zone != "Z" and ":" not in zone:
            zone = zone[:3] + ":" + zone[3:]
        text = f"{year}-{month}-{day}T{hour or '00'}:{minute or '00'}:{second or '00'}{zone}"
    return parse_time(text, field=field)


def _inner(element: etree._Element) -> str:
    """The element's content as (unsanitised) HTML, NITF inline tags kept for the sanitiser."""
    parts = [html.escape(element.text or "", quote=False)]
    for node in element:
        name = local(node)
        inner = _inner(node)
        if name in ("em", "strong", "b", "i"):
            parts.append(f"<{name}>{inner}</{name}>")
        elif name == "a" and node.get("href"):
            parts.append(f'<a href="{html.escape(node.get("href", ""))}">{inner}</a>')
        elif name == "br":
            parts.append("<br>")
        else:
            parts.append(inner)  # person, org, chron, q ...: their text
        parts.append(html.escape(node.tail or "", quote=False))
    return "".join(parts)


def nitf_body_html(content: etree._Element) -> str:
    """`body.content` as HTML blocks: p, h2, blockquote."""
    out: list[str] = []
    for node in content:
        name = local(node)
        if name == "p":
            out.append(f"<p>{_inner(node)}</p>")
        elif name in ("hl2", "hl1"):
            out.append(f"<h2>{html.escape(text_of(node), quote=False)}</h2>")
        elif name in ("bq", "pq"):
            quoted = " ".join(_inner(p) for p in descendants(node, "p")) or _inner(node)
            out.append(f"<blockquote><p>{quoted}</p></blockquote>")
        elif name == "block":
            out.append(nitf_body_html(node))
        elif name in ("ul", "ol", "dl"):
            out.extend(f"<p>{_inner(item)}</p>" for item in node if local(item) in ("li", "dd"))
        elif name not in ("media", "table", "nitf-table", "fn", "note"):
            text = _inner(node)
            if text.strip():
                out.append(f"<p>{text}</p>")
    return "".join(out)


def nitf_body(content: etree._Element | None) -> tuple[Block, ...]:
    return blocks_from_html(nitf_body_html(content)) if content is not None else ()


def nitf_pictures(body: etree._Element | None) -> list[ParsedPicture]:
    pictures = []
    for media in descendants(body, "media"):
        if (media.get("media-type") or "image").lower() not in ("image", "photo", "picture"):
            continue
        renditions = []
        refs = children(media, "media-reference")
        first_ref = refs[0] if refs else media
        for ref in refs:
            source = (ref.get("source") or "").strip()
            if source:
                renditions.append(
                    Rendition(
                        href=source,
                        width=positive_int(ref.get("width")),
                        height=positive_int(ref.get("height")),
                        mimetype=ref.get("mime-type") or "",
                    )
                )
        if not renditions:
            continue
        pictures.append(
            ParsedPicture(
                guid=renditions[0].href[:500],
                caption=plain_text(text_of(child(media, "media-caption")), limit=2000),
                credit=plain_text(text_of(child(media, "media-producer")), limit=300),
                alt=plain_text(first_ref.get("alternate-text") or "", limit=500),
                renditions=tuple(renditions),
            )
        )
    return pictures


def _language(root: etree._Element) -> str:
    xml_lang = "{http://www.w3.org/XML/1998/namespace}lang"
    for element in (root, child(root, "head"), child(root, "body")):
        if element is not None and element.get(xml_lang):
            return element.get(xml_lang, "").strip()
    return ""  # the pipeline settles it (wire/language.py)


class NitfParser(WireParser):
    name = "nitf"

    def sniff(self, data: bytes) -> bool:
        return root_name(data) == "nitf"

    def parse(self, data: bytes, *, source: str) -> Sequence[ParsedItem | WireError]:
        notes: list[str] = []
        root = parse_xml(data, notes)
        if local(root) != "nitf":
            raise WireError(f"expected an <nitf> document, found <{local(root)}>")
        return with_notes([self.item(root, raw=etree.tostring(root, encoding="unicode"))], notes)

    def item(self, root: etree._Element, *, raw: str) -> ParsedItem:
        head = child(root, "head")
        docdata = child(head, "docdata")
        body = child(root, "body")
        body_head = child(body, "body.head")
        headline = plain_text(
            text_of(child(child(body_head, "hedline"), "hl1")) or text_of(child(head, "title")),
            limit=300,
        )
        doc_id = child(docdata, "doc-id")
        guid = plain_text(
            (doc_id.get("id-string") if doc_id is not None else "") or "", limit=10_000
        )
        if not guid:
            # No identifier: the headline stands in, so a second delivery is still one story.
            guid = "nitf:" + hashlib.sha256(headline.encode()).hexdigest()[:32]
        if not headline:
            raise WireError(f"item {guid}: no headline (hl1 or title)")
        issued = child(docdata, "date.issue")
        version_created = nitf_time(
            issued.get("norm") if issued is not None else None, field="date.issue"
        ) or datetime.now(UTC)
        release = child(docdata, "date.release")
        embargo = nitf_time(
            release.get("norm") if release is not None else None, field="date.release"
        )
        du_key = child(docdata, "du-key")
        status_text = (
            docdata.get("management-status") if docdata is not None else None
        ) or "usable"
        status = STATUS.get(status_text.strip().lower())
        if status is None:
            raise WireError(f"item {guid}: unknown management-status {status_text!r}")
        copyright_ = child(docdata, "doc.copyright")
        provider = (copyright_.get("holder") if copyright_ is not None else "") or text_of(
            child(body_head, "distributor")
        )
        urgency = child(docdata, "urgency")
        ed_msg = child(docdata, "ed-msg")
        dateline = child(body_head, "dateline")
        blocks = nitf_body(child(body, "body.content"))
        if not blocks:
            raise WireError(f"item {guid}: no body text")
        return ParsedItem(
            guid=guid,
            version=parse_version(du_key.get("version") if du_key is not None else None),
            version_created=version_created,
            first_created=version_created,
            provider=plain_text(provider, limit=64) or "nitf",
            language=_language(root),
            headline=headline,
            body=blocks,
            byline=plain_text(text_of(child(body_head, "byline")), limit=200),
            located=plain_text(
                text_of(child(child(dateline, "location"), "city")) or text_of(dateline), limit=200
            ),
            pictures=tuple(nitf_pictures(body)),
            subjects=tuple(
                f"subj:{s.get('tobject.subject.refnum')}"
                for s in descendants(child(head, "tobject"), "tobject.subject")
                if s.get("tobject.subject.refnum")
            ),
            keywords=tuple(
                plain_text(k.get("key", ""), limit=100)
                for k in descendants(child(docdata, "key-list"), "keyword")
                if k.get("key")
            ),
            urgency=min(9, max(1, positive_int(urgency.get("ed-urg")) or 4))
            if urgency is not None
            else 4,
            status=status,
            embargo=embargo,
            ednote=plain_text(ed_msg.get("info", "") if ed_msg is not None else "", limit=2000),
            format=self.name,
            raw=raw,
        )
