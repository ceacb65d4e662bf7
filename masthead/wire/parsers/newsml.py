"""IPTC NewsML-G2: news items (text, picture), packages tying them, news messages carrying many.

A text item's body may be inline NITF, inline XHTML or plain text. Pictures reach a text item
through a package in the same file (a group listing both), the way agencies send "story with
photo"; a picture or package on its own is not a story and is not published.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import UTC, datetime
from urllib.parse import urlsplit

from lxml import etree

from masthead.core.errors import WireError
from masthead.core.html import blocks_from_html, blocks_from_text, plain_text, xml_to_html
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
from masthead.wire.parsers.base import (
    WireParser,
    headline_or_fallback,
    optional_time,
    parse_time,
    parse_version,
    with_notes,
)
from masthead.wire.parsers.ninjs import picture_credit
from masthead.wire.parsers.nitf import nitf_body, nitf_pictures

ROOTS = {"newsItem", "packageItem", "newsMessage"}
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
STATUS: dict[str, ItemStatus] = {
    "usable": "usable",
    "withheld": "withheld",
    "canceled": "canceled",
    "cancelled": "canceled",
}


def _code(value: str | None) -> str:
    """`stat:usable` -> `usable`; `nprov:AFP` -> `AFP`."""
    return (value or "").strip().split(":", 1)[-1]


def _provider(item_meta: etree._Element | None) -> str:
    provider = child(item_meta, "provider")
    if provider is None:
        return ""
    if provider.get("literal"):
        return provider.get("literal", "")
    if provider.get("qcode"):
        return _code(provider.get("qcode"))
    if text_of(child(provider, "name")):
        return text_of(child(provider, "name"))
    return urlsplit(provider.get("uri") or "").hostname or ""


def _item_class(item: etree._Element) -> str:
    item_class = child(child(item, "itemMeta"), "itemClass")
    return _code(item_class.get("qcode") if item_class is not None else "") or "text"


def _headline(content_meta: etree._Element | None) -> str:
    headlines = children(content_meta, "headline")
    main = next((h for h in headlines if (h.get("role") or "").endswith("main")), None)
    return text_of(main if main is not None else (headlines[0] if headlines else None))


def _inline_nitf_headline(item: etree._Element) -> str:
    """An inline NITF document's own headline: hl1, else its head's title."""
    for inline in children(child(item, "contentSet"), "inlineXML"):
        nitf = child(inline, "nitf")
        if nitf is not None:
            hl1 = child(child(child(child(nitf, "body"), "body.head"), "hedline"), "hl1")
            return text_of(hl1) or text_of(child(child(nitf, "head"), "title"))
    return ""


def _names(elements: list[etree._Element]) -> str:
    return ", ".join(text_of(child(e, "name")) or text_of(e) for e in elements if text_of(e))


def _file_mark(picture: ParsedPicture, story_created: datetime) -> ParsedPicture:
    """Agency style: a picture taken well before the story is credited `.../File`."""
    credit = picture_credit(
        byline=picture.credit,
        agency="",
        picture_created=picture.version_created,
        story_created=story_created,
    )
    return replace(picture, credit=credit) if credit != picture.credit else picture


class NewsMLParser(WireParser):
    name = "newsml"

    def sniff(self, data: bytes) -> bool:
        return root_name(data) in ROOTS

    def parse(self, data: bytes, *, source: str) -> Sequence[ParsedItem | WireError]:
        notes: list[str] = []
        root = parse_xml(data, notes)
        name = local(root)
        if name not in ROOTS:
            raise WireError(
                f"expected a NewsML-G2 newsItem, packageItem or newsMessage, found <{name}>"
            )
        items = children(child(root, "itemSet"), "newsItem") if name == "newsMessage" else []
        packages = children(child(root, "itemSet"), "packageItem") if name == "newsMessage" else []
        if name == "newsItem":
            items = [root]
        elif name == "packageItem":
            packages = [root]
        pictures = {
            item.get("guid", ""): self.picture(item)
            for item in items
            if _item_class(item) in ("picture", "graphic")
        }
        attached = self._attachments(packages, pictures)
        out: list[ParsedItem | WireError] = []
        for item in items:
            kind = _item_class(item)
            if kind in ("picture", "graphic"):
                continue  # published with the text that a package ties it to
            guid = item.get("guid", "")
            if kind != "text":
                out.append(WireError(f"item {guid or '?'}: {kind} items are not published"))
                continue
            try:
                out.append(self.text(item, pictures=attached.get(guid, [])))
            except WireError as exc:
                out.append(exc)
        if not out:
            refs = [ref.get("residref", "") for ref in descendants(root, "itemRef")]
            if name == "packageItem" or (packages and not items):
                raise WireError(
                    "a package without the items it refers to: nothing to publish "
                    f"({', '.join(refs[:4]) or 'no references'})"
                )
            raise WireError("no text item in the file (pictures alone are not published)")
        return with_notes(out, notes)

    def _attachments(
        self, packages: list[etree._Element], pictures: dict[str, ParsedPicture]
    ) -> dict[str, list[ParsedPicture]]:
        """Text guid -> its pictures, from the groups of the packages in the file."""
        attached: dict[str, list[ParsedPicture]] = {}
        for package in packages:
            for group in descendants(package, "group") or [package]:
                refs = [ref.get("residref", "") for ref in children(group, "itemRef")]
                found = [pictures[ref] for ref in refs if ref in pictures]
                for ref in refs:
                    if ref not in pictures:
                        attached.setdefault(ref, []).extend(found)
        return attached

    def text(self, item: etree._Element, *, pictures: list[ParsedPicture]) -> ParsedItem:
        guid = plain_text(item.get("guid", ""), limit=10_000)
        if not guid:
            raise WireError("a newsItem without a guid")
        meta = child(item, "itemMeta")
        content_meta = child(item, "contentMeta")
        notes: list[str] = []
        version_created = optional_time(
            text_of(child(meta, "versionCreated")), field="versionCreated", notes=notes
        ) or datetime.now(UTC)
        first_created = (
            optional_time(text_of(child(meta, "firstCreated")), field="firstCreated", notes=notes)
            or optional_time(
                text_of(child(content_meta, "contentCreated")), field="contentCreated", notes=notes
            )
            or version_created
        )
        status_element = child(meta, "pubStatus")
        status_code = _code(status_element.get("qcode") if status_element is not None else "usable")
        status = STATUS.get(status_code.lower() or "usable")
        if status is None:
            raise WireError(f"item {guid}: unknown pubStatus {status_code!r}")
        blocks, inline_pictures = self._body(item)
        if not blocks and status != "canceled":
            raise WireError(f"item {guid}: no body text")
        headline = headline_or_fallback(
            plain_text(_headline(content_meta), limit=300),
            fallbacks=[
                ("NITF headline", plain_text(_inline_nitf_headline(item), limit=2000)),
                ("slugline", plain_text(text_of(child(content_meta, "slugline")), limit=2000)),
                (
                    "description",
                    plain_text(text_of(child(content_meta, "description")), limit=2000),
                ),
            ],
            body=blocks,
            notes=notes,
        )
        if not headline:
            raise WireError(f"item {guid}: no headline and no text to take one from")
        language_element = child(content_meta, "language")
        language = (
            (language_element.get("tag") if language_element is not None else None)
            or item.get(XML_LANG)
            or ""  # the pipeline settles it (wire/language.py)
        )
        urgency = positive_int(text_of(child(content_meta, "urgency")))
        provider = _provider(meta)
        return ParsedItem(
            guid=guid,
            version=parse_version(item.get("version")),
            version_created=version_created,
            first_created=first_created,
            provider=plain_text(provider, limit=64) or "newsml",
            language=language.strip(),
            headline=headline,
            body=blocks,
            slugline=plain_text(text_of(child(content_meta, "slugline")), limit=200),
            description=_summary(content_meta, headline),
            byline=plain_text(
                text_of(child(content_meta, "by")) or _names(children(content_meta, "creator")),
                limit=200,
            ),
            located=plain_text(
                text_of(child(child(content_meta, "located"), "name"))
                or text_of(child(content_meta, "dateline")),
                limit=200,
            ),
            pictures=tuple(_file_mark(p, first_created) for p in [*pictures, *inline_pictures]),
            subjects=tuple(
                s.get("qcode", "").strip()[:200]
                for s in children(content_meta, "subject")
                if s.get("qcode")
            ),
            keywords=tuple(
                plain_text(text_of(k), limit=100) for k in children(content_meta, "keyword")
            ),
            urgency=min(9, max(1, urgency)) if urgency else 4,
            status=status,
            # Never guessed: an unreadable embargo fails the item rather than publish it early.
            embargo=parse_time(text_of(child(meta, "embargoed")), field="embargoed"),
            ednote=plain_text(text_of(child(meta, "edNote")), limit=2000),
            format=self.name,
            raw=etree.tostring(item, encoding="unicode"),
            notes=tuple(notes),
        )

    def _body(self, item: etree._Element) -> tuple[tuple, list[ParsedPicture]]:  # type: ignore[type-arg]
        content_set = child(item, "contentSet")
        for inline in children(content_set, "inlineXML"):
            nitf = child(inline, "nitf")
            if nitf is not None:
                body = child(nitf, "body")
                return nitf_body(child(body, "body.content")), nitf_pictures(body)
            html = child(inline, "html")
            body = child(html, "body") if html is not None else None
            if body is not None:
                return blocks_from_html(xml_to_html(body)), []
        for inline in children(content_set, "inlineData"):
            return tuple(blocks_from_text(inline.text or "")), []
        return (), []

    def picture(self, item: etree._Element) -> ParsedPicture:
        meta = child(item, "itemMeta")
        content_meta = child(item, "contentMeta")
        renditions = []
        for remote in children(child(item, "contentSet"), "remoteContent"):
            href = (remote.get("href") or remote.get("residref") or "").strip()
            if href:
                renditions.append(
                    Rendition(
                        href=href,
                        width=positive_int(remote.get("width")),
                        height=positive_int(remote.get("height")),
                        mimetype=remote.get("contenttype") or "",
                    )
                )
        descriptions = children(content_meta, "description")
        caption = next(
            (d for d in descriptions if (d.get("role") or "").endswith("caption")),
            descriptions[0] if descriptions else None,
        )
        alt = next((d for d in descriptions if "alt" in (d.get("role") or "").lower()), None)
        created = parse_time(text_of(child(meta, "versionCreated")), field="versionCreated")
        photographers = _names(children(content_meta, "creator"))
        agency = text_of(child(content_meta, "creditline")) or _provider(meta)
        credit = " - ".join(part for part in (photographers, agency) if part)
        return ParsedPicture(
            guid=plain_text(item.get("guid", ""), limit=10_000),
            caption=plain_text(text_of(caption) or _headline(content_meta), limit=2000),
            credit=plain_text(credit, limit=300),
            alt=plain_text(text_of(alt), limit=500),
            renditions=tuple(renditions),
            version_created=created,
        )


def _summary(content_meta: etree._Element | None, headline: str) -> str:
    """The story's summary: a description whose role says summary or abstract, else one with
    no role (a role such as caption or alt text describes a picture, not the story); none
    when it only repeats the headline."""
    descriptions = children(content_meta, "description")
    chosen = next(
        (
            d
            for d in descriptions
            if any(r in (d.get("role") or "") for r in ("summary", "abstract"))
        ),
        next((d for d in descriptions if not d.get("role")), None),
    )
    text = plain_text(text_of(chosen), limit=600) if chosen is not None else ""
    return "" if text.casefold() == headline.casefold() else text
