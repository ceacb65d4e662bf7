"""Agency plain text: the way wire copy looks when it comes as a bare text file.

    ID: urn:newsml:meridianwire.example:20261124:en-port      <- optional header lines,
    Version: 2                                                   "Key: value", then a blank line
    Date: 2026-11-24T10:40:00Z
    Language: en

    Port cities agree to hold joint talks on shipping emissions         <- headline
    Ship at anchor off Antwerp / Photo: Lena HOLM - MWA/File            <- caption line (optional)

    ANTWERP (MWA) - The mayors of five port cities ...                  <- paragraphs
    - Shore power first -                                               <- intertitle
    ...
    L.Janssens--CdB                                                      <- signature (dropped)

Without an `ID` header the story is identified by its headline and first paragraph, so the same
file delivered twice is still one story. The signature line is the sender's house signature:
each site signs with its own, so it is dropped.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import PurePath

from masthead.core.errors import WireError
from masthead.core.html import Block, blocks_from_text, plain_text
from masthead.newsroom.items import ItemStatus, ParsedItem, ParsedPicture, Rendition
from masthead.wire.parsers.base import WireParser, parse_time, parse_version

HEADER = re.compile(r"^([A-Za-z][A-Za-z-]{1,30}):[ \t]*(.*)$")
CAPTION = re.compile(r"^(?P<caption>.+?)\s+/\s+(?:Photo|Foto|Fotó|Zdjęcie):\s+(?P<credit>.+)$")
SIGNATURE = re.compile(r"^[\w.'-]{1,60}--[\w-]{1,20}$")
# "ANTWERP (MWA) - ..." or "Brussels, Nov 24 (MWA) - ...": the place opening an agency lead.
DATELINE = re.compile(r"^(?P<place>[A-Z][\w .'-]{1,40}?)(?:,[^()]{1,30})? \([A-Za-z]{2,10}\) - ")
KNOWN_HEADERS = {
    "id",
    "version",
    "date",
    "created",
    "language",
    "provider",
    "subject",
    "subjects",
    "keywords",
    "urgency",
    "status",
    "embargo",
    "located",
    "byline",
    "picture",
    "slugline",
    "ednote",
}
STATUS: dict[str, ItemStatus] = {
    "usable": "usable",
    "withheld": "withheld",
    "canceled": "canceled",
    "cancelled": "canceled",
    "kill": "canceled",
}


def decode_text(data: bytes) -> str:
    """Text in UTF-8 (with or without BOM) or UTF-16 with BOM; Windows-1252 as a last resort,
    since older agency systems still send it. Binary junk is refused."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            text = data.decode("utf-16")
        except UnicodeDecodeError:
            raise WireError("declares UTF-16 but is not valid UTF-16") from None
    else:
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            try:
                text = data.decode("cp1252")
            except UnicodeDecodeError:
                raise WireError("binary data, not text") from None
    controls = sum(1 for ch in text[:4096] if ch < " " and ch not in "\t\r\n\f")
    if "\x00" in text[:4096] or controls > 8:
        raise WireError("binary data, not text")
    return text.replace("\r\n", "\n").replace("\r", "\n")


@dataclass
class TextStory:
    """A plain-text story split into its parts, before it becomes a ParsedItem."""

    headline: str
    paragraphs: list[str]
    caption: str = ""
    credit: str = ""
    headers: dict[str, str] = field(default_factory=dict)

    def blocks(self) -> tuple[Block, ...]:
        return tuple(blocks_from_text("\n\n".join(self.paragraphs)))


def split_lines(text: str) -> list[str]:
    return [line.strip() for line in text.split("\n")]


def strip_signature(paragraphs: list[str]) -> list[str]:
    if paragraphs and SIGNATURE.match(paragraphs[-1]):
        return paragraphs[:-1]
    return paragraphs


def split_headers(lines: list[str]) -> tuple[dict[str, str], list[str]]:
    """The optional `Key: value` block (its first key must be a known one), and the rest."""
    first = next((i for i, line in enumerate(lines) if line), len(lines))
    match = HEADER.match(lines[first]) if first < len(lines) else None
    if not match or match[1].lower() not in KNOWN_HEADERS:
        return {}, lines[first:]
    headers: dict[str, str] = {}
    for index in range(first, len(lines)):
        line = lines[index]
        if not line:
            return headers, lines[index:]
        match = HEADER.match(line)
        if not match:
            raise WireError(f"line {index + 1}: expected 'Key: value' in the header")
        headers[match[1].lower()] = match[2].strip()
    raise WireError("only header lines, no story after them")


def paragraphs_of(lines: list[str]) -> list[str]:
    """Non-empty lines are paragraphs; wire text puts one paragraph per line or per block."""
    paragraphs: list[str] = []
    current: list[str] = []
    for line in lines:
        if line:
            current.append(line)
        elif current:
            paragraphs.append(" ".join(current))
            current = []
    if current:
        paragraphs.append(" ".join(current))
    return paragraphs


def caption_parts(line: str) -> tuple[str, str] | None:
    match = CAPTION.match(line)
    return (match["caption"], match["credit"]) if match else None


def story_item(
    story: TextStory, *, source: str, format: str, raw: str, default_provider: str
) -> ParsedItem:
    """The ParsedItem for a split story: headers where given, sensible values where not."""
    h = story.headers
    headline = plain_text(story.headline, limit=300)
    if not headline:
        raise WireError("no headline (the first line of text)")
    blocks = story.blocks()
    if not blocks:
        raise WireError(f"{headline[:60]!r}: no body text")
    guid = plain_text(h.get("id", ""), limit=10_000) or _content_guid(headline, story.paragraphs)
    version_created = parse_time(h.get("date"), field="Date") or datetime.now(UTC)
    first_created = parse_time(h.get("created"), field="Created") or version_created
    status = STATUS.get(h.get("status", "usable").strip().lower())
    if status is None:
        raise WireError(f"Status: {h['status'][:30]!r} is not usable, withheld or canceled")
    provider = plain_text(h.get("provider", ""), limit=64) or _credit_agency(story.credit)
    located = plain_text(h.get("located", ""), limit=200)
    if not located and story.paragraphs and (match := DATELINE.match(story.paragraphs[0])):
        located = match["place"].strip().title()
    pictures: tuple[ParsedPicture, ...] = ()
    if story.caption or h.get("picture"):
        href = h.get("picture") or f"{PurePath(source).stem}.jpg"
        pictures = (
            ParsedPicture(
                guid=f"{guid}#picture",
                caption=plain_text(story.caption, limit=2000),
                credit=plain_text(story.credit, limit=300),
                renditions=(Rendition(href=href.strip()),),
            ),
        )
    return ParsedItem(
        guid=guid,
        version=parse_version(h.get("version"), field="Version"),
        version_created=version_created,
        first_created=first_created,
        provider=provider or default_provider,
        language=_language(h.get("language")),
        headline=headline,
        body=blocks,
        slugline=plain_text(h.get("slugline", ""), limit=200),
        byline=plain_text(h.get("byline", ""), limit=200),
        located=located,
        pictures=pictures,
        subjects=tuple(_list(h.get("subject") or h.get("subjects"))),
        keywords=tuple(_list(h.get("keywords"))),
        urgency=_urgency(h.get("urgency")),
        status=status,
        embargo=parse_time(h.get("embargo"), field="Embargo"),
        ednote=plain_text(h.get("ednote", ""), limit=2000),
        format=format,
        raw=raw,
    )


def _content_guid(headline: str, paragraphs: list[str]) -> str:
    seed = "\n".join([headline, *paragraphs[:1]]).encode()
    return f"text:{hashlib.sha256(seed).hexdigest()[:32]}"


def _credit_agency(credit: str) -> str:
    # "Lena HOLM, Marc DUPREZ - MWA/File" -> "MWA"
    if " - " not in credit:
        return ""
    return credit.rsplit(" - ", 1)[1].split("/", 1)[0].strip()[:64]


def _language(value: str | None) -> str:
    text = (value or "").strip().lower()
    if not text:
        return ""  # the pipeline settles it (wire/language.py)
    if not re.fullmatch(r"[a-z]{2,3}(-[a-z0-9]{2,8})?", text):
        raise WireError(f"Language: {text[:20]!r} is not a language code such as en or fr")
    return text


def _list(value: str | None) -> list[str]:
    return [plain_text(part, limit=200) for part in (value or "").split(",") if part.strip()]


def _urgency(value: str | None) -> int:
    try:
        return min(9, max(1, int(value or 4)))
    except ValueError:
        raise WireError(f"Urgency: {(value or '')[:10]!r} is not a number from 1 to 9") from None


class TextParser(WireParser):
    """Plain agency text. It accepts any text, so it is tried last."""

    name = "text"

    def sniff(self, data: bytes) -> bool:
        head = data[:512].lstrip(b"\xef\xbb\xbf \t\r\n")
        if not head or head[:1] in (b"<", b"{", b"["):
            return False
        try:
            decode_text(data[:4096])
        except WireError:
            return False
        return True

    def parse(self, data: bytes, *, source: str) -> list[ParsedItem]:
        text = decode_text(data)
        lines = split_lines(text)
        headers, rest = split_headers(lines)
        while rest and not rest[0]:
            rest.pop(0)
        if not rest:
            raise WireError("only header lines, no story after them" if headers else "no text")
        headline, rest = rest[0], rest[1:]
        caption = credit = ""
        if rest and (parts := caption_parts(rest[0])):
            caption, credit = parts
            rest = rest[1:]
        story = TextStory(
            headline=headline,
            paragraphs=strip_signature(paragraphs_of(rest)),
            caption=caption,
            credit=credit,
            headers=headers,
        )
        return [
            story_item(story, source=source, format=self.name, raw=text, default_provider="text")
        ]
