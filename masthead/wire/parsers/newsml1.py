"""IPTC NewsML 1.x (1.0 to 1.2), as AFP, ANA and other agencies still deliver it.

A `<NewsML>` document holds one or more NewsItems. Each NewsItem that carries text becomes one
item; a NewsItem holding only photos is not a story (it is published with a text NewsItem
that points to it with `NewsItemRef` or `NewsManagement/AssociatedWith`), and a document
without any text item is refused.

What is read, per NewsItem:

- guid: `Identification/NewsIdentifier/PublicIdentifier` without its trailing revision part
  (`urn:newsml:afp.com:20261130:TX-PAR-ABC12:2` -> `...:TX-PAR-ABC12`: NewsML 1 numbers the
  revision inside the URN, and every revision must meet the same story), else
  `urn:newsml:ProviderId:DateId:NewsItemId`. version: `RevisionId` (else the number at the
  end of the URN, else 1). provider: `ProviderId`, a domain cut to its first label in
  capitals (`afp.com` -> `AFP`).
- status: `NewsManagement/Status/@FormalName` (Usable, Withheld, Canceled or Cancelled;
  Embargoed is usable until the embargo time). An `Instruction` whose FormalName is Kill,
  Delete, Cancel or Withdraw makes the item a kill whatever its Status; Rectify or Correction
  is an ordinary new revision (the higher RevisionId wins) and is named in the ednote.
- embargo: `StatusWillChange` whose `FutureStatus` is Usable at `DateAndTime`; an item that
  is Withheld (or Embargoed) until then is usable with that embargo, so it goes out on time.
- times: `FirstCreated`, `ThisRevisionCreated` (basic 20261130T142900Z, +0100 offsets, or
  extended ISO 8601). An unreadable time does not fail the item: the revision time falls
  back to the first-created time, then to the envelope's `DateAndTime`, then to now.
- NewsLines (`HeadLine`, `ByLine`, `DateLine` -> located, `SlugLine`, `KeywordLine`,
  `CreditLine`, `NewsLine` of a "note" type -> ednote) and `DescriptiveMetadata`
  (`Language`, `SubjectCode/*` -> `subj:` codes or `medtop:` when so given, `Property
  FormalName="Keyword"`) are taken from the text's own NewsComponent or, when it has none,
  the nearest one above it. Language: `Language/@FormalName` (also on the ContentItem), else
  the NITF or NewsItem `xml:lang`, lower-cased; '' when none says it (the pipeline settles it).
- urgency: `Urgency/@FormalName` (1-9), else the envelope's `Priority`, else 4. raw: the
  NewsItem's XML, as the NewsML-G2 parser keeps each item of a news message.
- headline: HeadLine, else NITF `hl1` in the content, else SlugLine, else the body's first
  sentence. A kill needs none (the NameLabel or guid stands in).
- body: the text ContentItem (MediaType Text; not a photo's caption) whose `DataContent`
  holds NITF (read by the NITF parser's code), XHTML (`html/body` or bare `p`/`h2`/...
  elements) or plain text (paragraphs at blank lines; escaped HTML is read as HTML). Text
  given by `Href` only, base64 `Encoding` and `Update` deltas are not read.
- pictures: photo ContentItems (`@Href`, Width/Height from `Characteristics/Property`)
  grouped by their NewsComponent with Role Photo/Picture/Image/Graphic; caption from its
  Caption component or text, else its HeadLine; credit from CreditLine, else ByLine and
  copyright holder. Photo NewsItems referred to by the text item, and NITF `media`, too.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from contextlib import suppress
from datetime import UTC, datetime
from urllib.parse import urlsplit

from lxml import etree

from masthead.core.errors import WireError
from masthead.core.html import Block, blocks_from_html, blocks_from_text, plain_text, xml_to_html
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
from masthead.wire.limits import cut
from masthead.wire.parsers.base import WireParser, parse_version, with_notes
from masthead.wire.parsers.newsml import XML_LANG, _file_mark
from masthead.wire.parsers.nitf import STATUS, nitf_body, nitf_pictures, nitf_time

ROOT = "NewsML"
_DOCTYPE = re.compile(rb"<!DOCTYPE\s+NewsML\b")
PHOTO_ROLES = {"photo", "picture", "image", "graphic", "illustration"}
CAPTION_ROLES = {"caption"}
KILL_INSTRUCTIONS = {"kill", "delete", "cancel", "canceled", "cancelled", "withdraw"}
RECTIFY_INSTRUCTIONS = {"rectify", "correction", "correct"}
_MEDIA = {
    "text": "text",
    "photo": "photo",
    "picture": "photo",
    "image": "photo",
    "graphic": "photo",
}
_REVISION = re.compile(r":(\d+)[NAU]?$")
_SENTENCE = re.compile(r"(.+?[.!?])(?:\s|$)")
_HTML_TEXT = re.compile(r"<(?:p|br|div|h[1-6]|blockquote)\b", re.IGNORECASE)


def _attr(element: etree._Element | None, name: str = "FormalName") -> str:
    return (element.get(name) or "").strip() if element is not None else ""


def _role(component: etree._Element) -> str:
    return _attr(child(component, "Role")).lower()


def _time(value: str, *, field: str) -> datetime | None:
    """A NewsML time, or None when missing or unreadable (an optional time fails nothing)."""
    try:
        return nitf_time(value, field=field)
    except WireError:
        return None


def _components(element: etree._Element, stop: etree._Element) -> list[etree._Element]:
    """The NewsComponents holding `element` (itself first, when it is one), nearest first,
    up to `stop` (the NewsItem)."""
    out = []
    node: etree._Element | None = element
    while node is not None and node is not stop:
        if local(node) == "NewsComponent":
            out.append(node)
        node = node.getparent()
    return out


def _media(content_item: etree._Element) -> str:
    """`text`, `photo`, another media type in lower case (video ...), or ''."""
    media_type = _attr(child(content_item, "MediaType")).lower()
    if media_type:
        return _MEDIA.get(media_type, media_type)
    mime = _attr(child(content_item, "MimeType")).lower()
    if mime.startswith("image/"):
        return "photo"
    if mime.startswith("text/") or "xml" in mime or "html" in mime:
        return "text"
    return "text" if child(content_item, "DataContent") is not None else ""


def _line(chain: Iterable[etree._Element], name: str) -> str:
    """The first non-empty NewsLines/`name` along the chain of components."""
    for component in chain:
        for line in children(child(component, "NewsLines"), name):
            if text_of(line):
                return text_of(line)
    return ""


def _provider_name(value: str) -> str:
    """`AFP` stays `AFP`; a domain (`afp.com`, `http://www.ana-mpa.gr/`) -> `AFP`, `ANA-MPA`."""
    text = value.strip()
    if "://" in text:
        text = urlsplit(text).hostname or ""
    if "." in text and " " not in text:
        host = text.lower().removeprefix("www.")
        return host.split(".", 1)[0].upper()
    return text


def _strip_revision(urn: str, revision: str = "") -> str:
    """`urn:newsml:p:d:id:2N` -> `urn:newsml:p:d:id` (only when the end is the revision)."""
    match = _REVISION.search(urn)
    if not match or not urn.lower().startswith("urn:newsml:") or urn.count(":") < 5:
        return urn
    if revision.strip().isdigit() and int(revision) != int(match.group(1)):
        return urn
    return urn[: match.start()]


def _identity(news_item: etree._Element) -> tuple[str, int, str]:
    """guid, version, provider id (as written)."""
    ident = child(child(news_item, "Identification"), "NewsIdentifier")
    provider_id = text_of(child(ident, "ProviderId"))
    revision = text_of(child(ident, "RevisionId"))
    public = text_of(child(ident, "PublicIdentifier"))
    if public:
        guid = _strip_revision(public, revision)
    else:
        parts = [provider_id, text_of(child(ident, "DateId")), text_of(child(ident, "NewsItemId"))]
        guid = "urn:newsml:" + ":".join(parts) if all(parts) else ""
    guid = plain_text(guid, limit=10_000)
    if not guid:
        raise WireError("a NewsItem without PublicIdentifier or NewsItemId")
    if not revision and public and guid != public:
        match = _REVISION.search(public)
        revision = match.group(1) if match else ""
    try:
        version = parse_version(revision, field="RevisionId")
    except WireError as exc:
        raise WireError(f"item {guid}: {exc}") from None
    return guid, version, provider_id


def _subjects(chain: Iterable[etree._Element]) -> tuple[str, ...]:
    out: list[str] = []
    for component in chain:
        for code in children(child(component, "DescriptiveMetadata"), "SubjectCode"):
            for subject in code:
                if local(subject) not in ("Subject", "SubjectMatter", "SubjectDetail"):
                    continue
                name = _attr(subject)
                if not name:
                    continue
                scheme = (_attr(subject, "Vocabulary") + _attr(subject, "Scheme")).lower()
                if ":" not in name:
                    name = ("medtop:" if "mediatopic" in scheme else "subj:") + name
                if name[:200] not in out:
                    out.append(name[:200])
    return tuple(out)


def _keywords(chain: Iterable[etree._Element]) -> tuple[str, ...]:
    out: list[str] = []
    for component in chain:
        for prop in children(child(component, "DescriptiveMetadata"), "Property"):
            if _attr(prop).lower() in ("keyword", "keywords"):
                keyword = plain_text(prop.get("Value"), limit=100)
                if keyword and keyword not in out:
                    out.append(keyword)
        for line in children(child(component, "NewsLines"), "KeywordLine"):
            keyword = plain_text(text_of(line), limit=100)
            if keyword and keyword not in out:
                out.append(keyword)
    return tuple(out)


def _language(chain: Iterable[etree._Element]) -> str:
    for element in chain:
        for language in children(child(element, "DescriptiveMetadata"), "Language"):
            if _attr(language):
                return _attr(language)
    return ""


def _ednote(chain: list[etree._Element]) -> str:
    notes = []
    for component in chain:
        for line in children(child(component, "NewsLines"), "NewsLine"):
            if "note" in _attr(child(line, "NewsLineType")).lower():
                notes.append(text_of(child(line, "NewsLineText")) or text_of(line))
    return " ".join(n for n in notes if n)


def _xhtml(container: etree._Element) -> tuple[Block, ...]:
    """XHTML elements (namespaced or not) through the sanitiser, as blocks."""
    return blocks_from_html(xml_to_html(container))


class _Content:
    """What a text ContentItem holds: blocks, and what its NITF says, for fallbacks."""

    def __init__(self, content_item: etree._Element | None) -> None:
        self.blocks: tuple[Block, ...] = ()
        self.pictures: list[ParsedPicture] = []
        self.hl1 = self.byline = self.dateline = self.language = ""
        data = child(content_item, "DataContent")
        if data is None or _attr(child(content_item, "Encoding")).lower() not in ("", "none"):
            return
        nitf = child(data, "nitf")
        content = child(data, "body.content")
        if nitf is not None:
            body = child(nitf, "body")
            body_head = child(body, "body.head")
            content = child(body, "body.content")
            self.pictures = nitf_pictures(body)
            self.hl1 = text_of(child(child(body_head, "hedline"), "hl1"))
            self.byline = text_of(child(body_head, "byline"))
            dateline = child(body_head, "dateline")
            self.dateline = text_of(child(child(dateline, "location"), "city")) or text_of(dateline)
            self.language = nitf.get(XML_LANG) or ""
        if content is not None:
            self.blocks = nitf_body(content)
            return
        page = child(data, "html")
        if page is not None:
            self.language = page.get(XML_LANG) or ""
            body = child(page, "body")
            self.blocks = _xhtml(body if body is not None else page)
            return
        if len(data):  # bare XHTML: <p>, <h2> ... straight in DataContent
            self.blocks = _xhtml(data)
            return
        text = data.text or ""
        self.blocks = (
            blocks_from_html(text) if _HTML_TEXT.search(text) else tuple(blocks_from_text(text))
        )

    def first_sentence(self) -> str:
        for block in self.blocks:
            if block.type == "paragraph":
                text = plain_text(block.html, limit=5000)
                match = _SENTENCE.match(text)
                return cut(match.group(1) if match else text, 300)
        return ""


class NewsML1Parser(WireParser):
    name = "newsml1"

    def sniff(self, data: bytes) -> bool:
        # The DOCTYPE check catches a document whose internal subset hides the root from
        # root_name(): it is then refused by the safe XML parser, not read as plain text.
        return root_name(data) == ROOT or bool(_DOCTYPE.search(data[:4096]))

    def parse(self, data: bytes, *, source: str) -> Sequence[ParsedItem | WireError]:
        notes: list[str] = []
        root = parse_xml(data, notes)
        if local(root) != ROOT:
            raise WireError(f"expected a NewsML 1 document (<NewsML>), found <{local(root)}>")
        news_items = children(root, "NewsItem")
        if not news_items:
            raise WireError("a NewsML document without any NewsItem")
        envelope = child(root, "NewsEnvelope")
        kinds = [self._kind(item) for item in news_items]
        photos: dict[str, ParsedPicture] = {}
        for item, kind in zip(news_items, kinds, strict=True):
            if kind == "photo":
                # A broken photo item only means that its story goes without it.
                with suppress(WireError):
                    self._index_photo(item, photos)
        out: list[ParsedItem | WireError] = []
        for item, kind in zip(news_items, kinds, strict=True):
            if kind == "photo":
                continue
            try:
                if kind != "text":
                    guid = _identity(item)[0]
                    raise WireError(f"item {guid}: {kind} items are not published")
                out.append(self.text(item, envelope=envelope, photos=photos))
            except WireError as exc:
                out.append(exc)
        if not out:
            raise WireError("no text item in the file (pictures alone are not published)")
        return with_notes(out, notes)

    # -- classification ------------------------------------------------------------------

    def _text_items(self, news_item: etree._Element) -> list[etree._Element]:
        """Text ContentItems that are the story (not a photo's caption), `Main` role first."""
        found = []
        for content_item in descendants(news_item, "ContentItem"):
            roles = {_role(c) for c in _components(content_item, news_item)}
            if _media(content_item) == "text" and not roles & (PHOTO_ROLES | CAPTION_ROLES):
                found.append((0 if "main" in roles else 1, content_item))
        return [content_item for _, content_item in sorted(found, key=lambda f: f[0])]

    def _kind(self, news_item: etree._Element) -> str:
        """`text`, `photo` or the media type of what the NewsItem carries."""
        if self._text_items(news_item):
            return "text"
        media = [_media(c) for c in descendants(news_item, "ContentItem")]
        if "photo" in media:
            return "photo"
        other = next((m for m in media if m and m != "text"), "")
        if other:
            return other
        if child(news_item, "Update") is not None and child(news_item, "NewsComponent") is None:
            return "incremental update (<Update>)"
        return "text"  # a kill without content, or an item that will fail for its body

    # -- pictures ------------------------------------------------------------------------

    def _index_photo(self, news_item: etree._Element, photos: dict[str, ParsedPicture]) -> None:
        guid, _, _ = _identity(news_item)
        top = child(news_item, "NewsComponent")
        if top is None:
            return
        management = child(news_item, "NewsManagement")
        created = _time(text_of(child(management, "ThisRevisionCreated")), field="created")
        picture = self._picture(top, guid=guid, created=created)
        if not picture.renditions:
            return
        public = text_of(
            child(child(child(news_item, "Identification"), "NewsIdentifier"), "PublicIdentifier")
        )
        for key in (guid, public, news_item.get("Duid", "")):
            if key:
                photos[key] = picture

    def _picture(
        self, group: etree._Element, *, guid: str, created: datetime | None = None
    ) -> ParsedPicture:
        """One picture from a photo component (or a lone photo ContentItem)."""
        renditions = []
        for content_item in descendants(group, "ContentItem"):
            href = (content_item.get("Href") or "").strip()
            if _media(content_item) != "photo" or not href:
                continue
            size = {
                _attr(p).lower(): positive_int(p.get("Value"))
                for p in children(child(content_item, "Characteristics"), "Property")
            }
            renditions.append(
                Rendition(
                    href=href,
                    width=size.get("width"),
                    height=size.get("height"),
                    mimetype=_attr(child(content_item, "MimeType")),
                )
            )
        # A lone photo ContentItem has no NewsLines of its own (its component is the story's).
        components = descendants(group, "NewsComponent") if local(group) == "NewsComponent" else []
        caption = ""
        for component in [c for c in components if _role(c) in CAPTION_ROLES] or components:
            texts = [c for c in descendants(component, "ContentItem") if _media(c) == "text"]
            caption = next((t for t in (text_of(child(c, "DataContent")) for c in texts) if t), "")
            if caption:
                break
        caption = caption or _line(components, "HeadLine")
        credit = _line(components, "CreditLine")
        if not credit:
            rights = next(iter(descendants(group, "RightsMetadata")), None)
            holder = text_of(next(iter(descendants(rights, "CopyrightHolder")), None))
            credit = " - ".join(part for part in (_line(components, "ByLine"), holder) if part)
        best = max(renditions, key=lambda r: (r.width or 0) * (r.height or 0), default=None)
        return ParsedPicture(
            guid=plain_text(group.get("Euid") or guid or (best.href if best else ""), limit=10_000),
            caption=plain_text(caption, limit=2000),
            credit=plain_text(credit, limit=300),
            renditions=tuple(renditions),
            version_created=created,
        )

    def _pictures(
        self, news_item: etree._Element, *, guid: str, photos: dict[str, ParsedPicture]
    ) -> list[ParsedPicture]:
        """Photo components of this NewsItem, then photo NewsItems it refers to."""
        groups: list[etree._Element] = []
        for content_item in descendants(news_item, "ContentItem"):
            if _media(content_item) != "photo" or not content_item.get("Href"):
                continue
            chain = _components(content_item, news_item)
            group = next((c for c in chain if _role(c) in PHOTO_ROLES), None)
            if group is None and chain and not self._text_items(chain[0]):
                group = chain[0]  # a component of its own: its NewsLines are the picture's
            group = content_item if group is None else group
            if group not in groups:
                groups.append(group)
        pictures = [
            self._picture(g, guid=f"{guid}#{g.get('Duid')}" if g.get("Duid") else "")
            for g in groups
        ]
        refs = [r.get("NewsItem", "") for r in descendants(news_item, "NewsItemRef")]
        refs += [a.get("NewsItem", "") for a in descendants(news_item, "AssociatedWith")]
        for ref in (r.strip() for r in refs if r.strip()):
            for key in (ref, ref.rpartition("#")[2], _strip_revision(ref)):
                if key in photos and photos[key] not in pictures:
                    pictures.append(photos[key])
                    break
        return pictures

    # -- text ----------------------------------------------------------------------------

    def text(
        self,
        news_item: etree._Element,
        *,
        envelope: etree._Element | None = None,
        photos: dict[str, ParsedPicture] | None = None,
    ) -> ParsedItem:
        guid, version, provider_id = _identity(news_item)
        management = child(news_item, "NewsManagement")
        text_items = self._text_items(news_item)
        contents = [_Content(c) for c in text_items]
        content = next(
            (c for c in contents if c.blocks), contents[0] if contents else _Content(None)
        )
        anchor = text_items[contents.index(content)] if text_items else None
        top = child(news_item, "NewsComponent")
        chain = (
            _components(anchor, news_item)
            if anchor is not None
            else ([top] if top is not None else [])
        )

        status = self._status(guid, management)
        instructions = {_attr(i).lower() for i in children(management, "Instruction")}
        if instructions & KILL_INSTRUCTIONS:
            status = "canceled"
        embargo = None
        held = _attr(child(management, "Status")).lower() in ("withheld", "embargoed")
        for change in children(management, "StatusWillChange"):
            future = _attr(child(change, "FutureStatus")).lower()
            when = _time(text_of(child(change, "DateAndTime")), field="StatusWillChange")
            if held and status != "canceled" and future == "usable" and when is not None:
                embargo, status = when, "usable"  # held until then, released on time

        slugline = _line(chain, "SlugLine")
        headline = plain_text(
            _line(chain, "HeadLine") or content.hl1 or slugline or content.first_sentence(),
            limit=300,
        )
        if not headline and status == "canceled":
            headline = plain_text(
                text_of(child(child(news_item, "Identification"), "NameLabel")) or guid, limit=300
            )
        if not headline:
            raise WireError(f"item {guid}: no headline")
        if not content.blocks and status != "canceled":
            raise WireError(f"item {guid}: no body text")

        first_created = _time(text_of(child(management, "FirstCreated")), field="FirstCreated")
        version_created = (
            _time(text_of(child(management, "ThisRevisionCreated")), field="ThisRevisionCreated")
            or first_created
            or _time(text_of(child(envelope, "DateAndTime")), field="DateAndTime")
            or datetime.now(UTC)
        )
        first_created = first_created or version_created
        urgency = positive_int(_attr(child(management, "Urgency"))) or positive_int(
            _attr(child(envelope, "Priority"))
        )
        language = (
            _language([anchor, *chain] if anchor is not None else chain)
            or content.language
            or news_item.get(XML_LANG)
            or ""  # the pipeline settles it (wire/language.py)
        )
        provider = _provider_name(provider_id) or _provider_name(
            _attr(child(child(child(top, "AdministrativeMetadata"), "Provider"), "Party"))
        )
        ednote = _ednote(chain)
        if instructions & RECTIFY_INSTRUCTIONS:
            ednote = " ".join(filter(None, [ednote, "Correction (Rectify instruction)."]))
        pictures = [
            *self._pictures(news_item, guid=guid, photos=photos or {}),
            *content.pictures,
        ]
        return ParsedItem(
            guid=guid,
            version=version,
            version_created=version_created,
            first_created=first_created,
            provider=plain_text(provider, limit=64) or self.name,
            language=language.strip().lower(),
            headline=headline,
            body=content.blocks,
            slugline=plain_text(slugline, limit=200),
            byline=plain_text(_line(chain, "ByLine") or content.byline, limit=200),
            located=plain_text(_line(chain, "DateLine") or content.dateline, limit=200),
            pictures=tuple(_file_mark(p, first_created) for p in pictures),
            subjects=_subjects(chain),
            keywords=_keywords(chain),
            urgency=min(9, max(1, urgency)) if urgency else 4,
            status=status,
            embargo=embargo,
            ednote=plain_text(ednote, limit=2000),
            format=self.name,
            raw=etree.tostring(news_item, encoding="unicode"),
        )

    def _status(self, guid: str, management: etree._Element | None) -> ItemStatus:
        code = _attr(child(management, "Status")) or "Usable"
        status = STATUS.get(code.lower())
        if status is None:
            raise WireError(f"item {guid}: unknown Status {code!r}")
        return status
