"""RSS 2.0, RSS 1.0 (RDF) and Atom, read with feedparser: one item per entry.

Feeds say less than agency formats, so this parser decides a few things itself:

- identity: the entry's id (RSS guid, Atom id), else its link (made absolute against the
  feed's link when relative).
- version: 1 until the entry says it was updated after it was published. From then on (and
  for an entry that only carries an update time, which Atom allows) the version is the update
  time in whole seconds since 1970. Nothing has to be remembered between two reads of a feed:
  the same entry read again has the same version (so it is `unchanged`), and a later update
  always has a larger one, whatever the earlier versions were. Versions are 64-bit in the
  database, which holds these numbers for billions of years.
- times: first_created is the publication time, else the update time; version_created the
  latest of the two. An entry with neither takes the feed's own time (channel pubDate or
  lastBuildDate, Atom feed updated): RSS makes item dates optional, and a version-1 entry read
  again stays `unchanged` whatever that time has become. With no time anywhere it fails alone.
- provider: the feed's title, else the host name of its link, else "feed"; plain text, at most
  64 characters. It depends on nothing outside the file (not the settings, not where it was
  fetched from), so a feed dropped in a folder and the same feed pulled over HTTP name the same
  stories. A feed that renames itself becomes a new provider: its entries come in anew.
- language: xml:lang of the entry's content or title, the entry's dc:language, then the feed's
  language; the primary subtag in lower case ("en-GB" -> "en"); a value that is not a
  two-letter code is passed over. Nothing usable: the default wire language setting.
- body: the full text (content:encoded, Atom content) when there is one, else the summary (RSS
  description). HTML goes through the sanitiser, plain text is escaped; relative links are made
  absolute against xml:base, else the entry's link.
- categories: a term shaped like a code ("medtop:11000000") or an IPTC media topic / subject
  code given with its scheme URI is a subject; any other term is a keyword.
- pictures: one picture made of the entry's images (media:content, image enclosures; the
  media:thumbnail images only when there is nothing bigger), caption from media:description,
  else media:title, credit from media:credit. Only absolute http(s) addresses are kept.
- a broken entry (no id and no link, no title, no text, no time) comes back as a WireError in
  its place, naming the entry; the other entries go on. If all are broken, all are reported.
- a whole feed is refused when it is not well-formed XML (a cut or damaged file: no entry goes
  out half-written), with one exception: HTML entities such as &nbsp; that RSS feeds use
  without declaring them, when the rest of the document is sound. A feed with no entry fails,
  and so does one declaring entities in a DTD (entity expansion is unsafe).
- feedparser is given a stream, never the bytes themselves: given bytes, it first tries them as
  a local file name, and it never fetches anything from a stream.
"""

from __future__ import annotations

import calendar
import html
import io
import json
import re
import time
import xml.parsers.expat
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urljoin, urlsplit
from xml.sax import SAXParseException

import feedparser
from lxml import etree
from lxml import html as lxml_html

from masthead.core.errors import WireError
from masthead.core.html import Block, blocks_from_html, blocks_from_text, plain_text
from masthead.core.xml import child, descendants, parse_xml, text_of
from masthead.newsroom.items import ParsedItem, ParsedPicture, Rendition
from masthead.wire.parsers.base import WireParser

MEDIA_NS = "http://search.yahoo.com/mrss/"
_ATOM_NS = (b"http://www.w3.org/2005/Atom", b"http://purl.org/atom/ns#")
_RSS1_NS = (b"http://purl.org/rss/1.0/", b"http://my.netscape.com/rdf/simple/0.9/")
_ROOT_NAME = rb"<(rss|rdf:RDF|(?:[A-Za-z_][\w.-]*:)?feed)[\s>/]"
# What may come before the root: spaces, the XML declaration and other processing
# instructions, comments, a DOCTYPE (with or without an internal subset).
_PROLOG = rb"(?:\s|<\?.*?\?>|<!--.*?-->|<!DOCTYPE[^>\[]*(?:\[.*?\])?\s*>)*"
_ROOT = re.compile(_PROLOG + _ROOT_NAME, re.S)
_ROOT_ANYWHERE = re.compile(_ROOT_NAME)
_ENTITY = re.compile(rb"<!ENTITY", re.IGNORECASE)
_CODE = re.compile(r"^[a-z][a-z0-9]*:[A-Za-z0-9._-]+$")  # medtop:11000000, subj:04000000 ...
_IPTC_SCHEMES = {
    "cv.iptc.org/newscodes/mediatopic/": "medtop",
    "cv.iptc.org/newscodes/subjectcode/": "subj",
}
_LANGUAGE = re.compile(r"^\s*([A-Za-z]{2})(?:[-_][A-Za-z0-9]{1,8})*\s*$")
_EMAIL = re.compile(r"[^\s()<>@,]+@[^\s()<>@,]+")
_ADDRESS_THEN_NAME = re.compile(r"^\s*[^\s()<>@]+@[^\s()<>@]+\s*\((?P<name>[^()]*)\)\s*$")
_NAME_THEN_ADDRESS = re.compile(r"^\s*(?P<name>[^<>]*?)\s*<[^\s<>@]+@[^\s<>@]+>\s*$")
_MARKUP = re.compile(r"<[A-Za-z!/?]")


class FeedParser(WireParser):
    name = "feed"

    def sniff(self, data: bytes) -> bool:
        head = data[:4096].lstrip(b"\xef\xbb\xbf")
        match = _ROOT.match(head)
        if not match:
            return False
        root = match.group(1)
        if root == b"rss":
            return True
        if root == b"rdf:RDF":
            return any(ns in head for ns in _RSS1_NS)
        return any(ns in head for ns in _ATOM_NS)

    def parse(self, data: bytes, *, source: str) -> Sequence[ParsedItem | WireError]:
        if _declares_entities(data):
            raise WireError("the feed declares entities in a DTD: refused (expansion is unsafe)")
        try:
            parsed = feedparser.parse(
                io.BytesIO(data), sanitize_html=False, resolve_relative_uris=False
            )
        except (ValueError, UnicodeError, LookupError) as exc:
            # feedparser lets some broken encodings and NUL bytes through as exceptions.
            raise WireError(f"not a readable feed: {type(exc).__name__}") from None
        reason = parsed.get("bozo_exception")
        if not parsed.entries:
            if reason is not None:
                raise WireError(f"not a readable feed: {_one_line(reason)}")
            raise WireError("the feed has no entries")
        if isinstance(reason, SAXParseException):
            # feedparser carries on with a lenient parser after an XML error; a cut or broken
            # file is refused whole instead. Undeclared HTML entities are the one exception.
            if reason.getMessage() == "undefined entity":
                problem = _xml_problem(data)
            else:
                problem = f"line {reason.getLineNumber()}: {reason.getMessage()}"
            if problem:
                raise WireError(f"not well-formed feed at {problem}")
        feed = parsed.feed
        context = _FeedContext(
            provider=_provider(feed),
            feed_time=_time(dict.get(feed, "published_parsed"))
            or _time(dict.get(feed, "updated_parsed")),
            feed_link=_absolute_http(str(feed.get("link") or ""), ""),
            media=_media_texts(data),
            feed=feed,
            atom=str(parsed.get("version") or "").startswith("atom"),
        )
        return [self._entry(entry, index, context) for index, entry in enumerate(parsed.entries, 1)]

    def _entry(self, entry: Any, index: int, context: _FeedContext) -> ParsedItem | WireError:
        raw_link = str(entry.get("link") or "")
        link = _absolute_http(raw_link, context.feed_link)
        guid = plain_text(str(entry.get("id") or link or raw_link), limit=10_000)
        headline = plain_text(str(entry.get("title") or ""), limit=300)
        label = f"entry {index} ({guid[:120] or repr(headline[:60])})"
        if not guid:
            return WireError(f"entry {index} ({headline[:60]!r}): no id and no link")
        if not headline:
            return WireError(f"{label}: no title")
        # Read from the dict itself: feedparser's get("updated_parsed") answers with the
        # publication time when there is no update time.
        published = _time(dict.get(entry, "published_parsed"))
        updated = _time(dict.get(entry, "updated_parsed"))
        first = published or updated or context.feed_time
        if first is None:
            return WireError(f"{label}: no publication date, in the entry or the feed")
        latest = max(t for t in (published, updated, first) if t is not None)
        version = 1
        if updated is not None and (published is None or updated > published):
            # Seconds since 1970: a 64-bit version field holds them long past 2038.
            version = max(1, int(updated.timestamp()))
        body = _body(entry, base=link or context.feed_link)
        if not body:
            return WireError(f"{label}: no text")
        subjects, keywords = _categories(entry.get("tags") or [])
        return ParsedItem(
            guid=guid,
            version=version,
            version_created=latest,
            first_created=first,
            provider=context.provider,
            language=_language(entry, context.feed),
            headline=headline,
            body=body,
            byline=_byline(entry, atom=context.atom),
            pictures=tuple(
                _pictures(
                    entry,
                    base=link or context.feed_link,
                    media=context.media.get(guid) or context.media.get(raw_link.strip()),
                )
            ),
            subjects=tuple(subjects),
            keywords=tuple(keywords),
            format=self.name,
            raw=json.dumps(entry, default=str, ensure_ascii=False)[:200_000],
        )


@dataclass(frozen=True)
class _FeedContext:
    """What every entry of one feed shares."""

    provider: str
    feed_time: datetime | None
    feed_link: str
    media: dict[str, tuple[str, str]]  # (media:description, media:title) per entry key
    feed: Any
    atom: bool


def _one_line(reason: object) -> str:
    lines = str(reason).strip().splitlines()
    return (lines[0] if lines else type(reason).__name__)[:200]


def _declares_entities(data: bytes) -> bool:
    """An <!ENTITY declaration before the root element (only a DTD can hold one)."""
    head = data[:65536]
    root = _ROOT_ANYWHERE.search(head)
    return bool(_ENTITY.search(head[: root.start() if root else len(head)]))


def _xml_problem(data: bytes) -> str:
    """Where the document is not well-formed, entities left undeclared aside ('' when sound).

    expat is told to expect an external DTD it will never read; an entity it cannot find is
    then skipped instead of being an error. The DTD is not loaded: nothing is read or fetched.
    """
    parser = xml.parsers.expat.ParserCreate()
    parser.UseForeignDTD(True)
    parser.ExternalEntityRefHandler = lambda *args: 1
    try:
        parser.Parse(data, True)
    except xml.parsers.expat.ExpatError as exc:
        if exc.code in (
            xml.parsers.expat.errors.codes[xml.parsers.expat.errors.XML_ERROR_UNKNOWN_ENCODING],
            xml.parsers.expat.errors.codes[xml.parsers.expat.errors.XML_ERROR_INCORRECT_ENCODING],
        ):
            return ""  # an encoding expat does not know; feedparser decoded it
        return f"line {exc.lineno}: {xml.parsers.expat.ErrorString(exc.code)}"
    except (ValueError, LookupError):
        return ""  # multi-byte encodings (Shift_JIS, GB2312 ...): expat cannot check them
    return ""


def _time(value: Any) -> datetime | None:
    if not isinstance(value, time.struct_time):
        return None
    try:
        return datetime.fromtimestamp(calendar.timegm(value), tz=UTC)
    except (OverflowError, ValueError, OSError):
        return None


def _provider(feed: Any) -> str:
    title = plain_text(str(feed.get("title") or ""), limit=64)
    if title:
        return title
    try:
        host = urlsplit(str(feed.get("link") or "")).hostname or ""
    except ValueError:
        host = ""
    return plain_text(host, limit=64) or "feed"


def _absolute_http(url: str, base: str) -> str:
    """`url` made absolute against `base`, when the result is http(s); else ''."""
    url = url.strip()
    if not url:
        return ""
    try:
        absolute = urljoin(base, url) if base else url
        if absolute.startswith("//"):
            absolute = "https:" + absolute
        scheme = urlsplit(absolute).scheme.lower()
    except ValueError:
        return ""
    return absolute if scheme in ("http", "https") else ""


def _language(entry: Any, feed: Any) -> str:
    details = [
        *(entry.get("content") or []),
        dict.get(entry, "title_detail") or {},
        dict.get(entry, "summary_detail") or {},
    ]
    candidates = [detail.get("language") for detail in details if isinstance(detail, dict)]
    candidates += [
        dict.get(entry, "language"),
        dict.get(feed, "language"),
        (dict.get(feed, "title_detail") or {}).get("language"),
    ]
    for candidate in candidates:
        match = _LANGUAGE.match(candidate) if isinstance(candidate, str) else None
        if match:
            return match.group(1).lower()
    return ""  # the pipeline settles it (wire/language.py)


def _body(entry: Any, *, base: str) -> tuple[Block, ...]:
    """The first full text that gives any block, else the summary."""
    for content in entry.get("content") or []:
        if isinstance(content, dict):
            blocks = _blocks(
                str(content.get("value") or ""),
                str(content.get("type") or ""),
                str(content.get("base") or "") or base,
            )
            if blocks:
                return blocks
    # entry["summary"], not summary_detail["value"]: feedparser writes media:description
    # over the latter. The type is still the summary's own.
    summary = str(dict.get(entry, "summary") or "")
    detail = dict.get(entry, "summary_detail") or {}
    return _blocks(summary, str(detail.get("type") or ""), str(detail.get("base") or "") or base)


def _blocks(value: str, kind: str, base: str) -> tuple[Block, ...]:
    if not value.strip():
        return ()
    kind = kind.lower() or "text/html"
    if "html" in kind or kind.endswith("xml"):
        if not _MARKUP.search(value):
            # HTML without a single tag: its paragraphs are its blank lines.
            return tuple(blocks_from_text(html.unescape(value)))
        return blocks_from_html(_absolute_links(value, base))
    if kind.startswith("text/"):
        return tuple(blocks_from_text(value))
    return ()  # base64 and other payloads are not text


def _absolute_links(markup: str, base: str) -> str:
    """Relative <a href> made absolute, so they do not point into this site once published."""
    if not base or "href" not in markup:
        return markup
    try:
        root = lxml_html.fragment_fromstring(markup, create_parent="div")
    except (etree.ParserError, ValueError):
        return markup
    changed = False
    for anchor in root.iter("a"):
        href = (anchor.get("href") or "").strip()
        try:
            relative = bool(href) and not urlsplit(href).scheme
        except ValueError:
            relative = False
        if relative:
            anchor.set("href", urljoin(base, href))
            changed = True
    if not changed:
        return markup
    return str(etree.tostring(root, encoding="unicode", method="html"))


def _byline(entry: Any, *, atom: bool) -> str:
    names: list[str] = []
    for author in entry.get("authors") or []:
        if not isinstance(author, dict) or (author.get("email") and not atom):
            # An RSS <author> is "address (Name)", and feedparser's split of it goes wrong
            # for long top-level domains ("desk@city.example" -> "desk@city.exam"): the name is
            # taken from the text itself below.
            continue
        name = plain_text(str(author.get("name") or ""), limit=100)
        if name and name not in names:
            names.append(name)
    if not atom or not names:
        name = _person(str(entry.get("author") or ""))
        if name and name not in names:
            names.append(name)
    return ", ".join(names)[:200]


def _person(text: str) -> str:
    """The name in "desk@example.org (Name)" or "Name <desk@example.org>"; a bare address,
    which is no byline, gives ''."""
    text = plain_text(text, limit=300)
    match = _ADDRESS_THEN_NAME.match(text) or _NAME_THEN_ADDRESS.match(text)
    if match:
        text = match.group("name")
    return plain_text(_EMAIL.sub("", text).strip(" ()<>,"), limit=100)


def _categories(tags: list[Any]) -> tuple[list[str], list[str]]:
    subjects: list[str] = []
    keywords: list[str] = []
    for tag in tags:
        if not isinstance(tag, dict):
            continue
        term = plain_text(str(tag.get("term") or ""), limit=300)
        scheme = str(tag.get("scheme") or "").strip()
        code = _iptc_code(term, scheme)
        if code or _CODE.match(term):
            target, value = subjects, code or term
        elif "://" in term:  # a concept URI: only its label says anything to a reader
            target, value = keywords, plain_text(str(tag.get("label") or ""), limit=100)
        else:
            target, value = keywords, term[:100]
        if value and value.lower() not in {v.lower() for v in target}:
            target.append(value)
    return subjects, keywords


def _iptc_code(term: str, scheme: str) -> str:
    """medtop:NNNNNNNN / subj:NNNNNNNN from an IPTC concept URI, or a code with its scheme."""
    for uri, prefix in _IPTC_SCHEMES.items():
        for candidate in (term, f"{scheme.rstrip('/')}/{term}" if scheme else ""):
            rest = candidate.split("://", 1)[-1]
            if candidate and rest.startswith(uri):
                code = rest[len(uri) :].strip("/")
                if code.isalnum():
                    return f"{prefix}:{code}"
    return ""


def _media_texts(data: bytes) -> dict[str, tuple[str, str]]:
    """(media:description, media:title) per entry key (guid, id or link), read from the XML:
    feedparser folds media:description into the summary and drops media:title."""
    try:
        root = parse_xml(data)
    except WireError:
        return {}  # undeclared entities: the captions are lost, the entries are not
    texts: dict[str, tuple[str, str]] = {}
    for item in descendants(root, "item") + descendants(root, "entry"):
        link = child(item, "link")
        key = (
            text_of(child(item, "guid"))
            or text_of(child(item, "id"))
            or text_of(link)
            or (link.get("href", "").strip() if link is not None else "")
        )
        found = {"description": "", "title": ""}
        for name in found:
            for node in descendants(item, name):
                if node.tag == f"{{{MEDIA_NS}}}{name}" and text_of(node):
                    found[name] = text_of(node)
                    break
        if key and (found["description"] or found["title"]):
            texts.setdefault(key, (found["description"], found["title"]))
    return texts


def _pictures(entry: Any, *, base: str, media: tuple[str, str] | None) -> list[ParsedPicture]:
    main: list[Rendition] = []
    thumbnails: list[Rendition] = []
    candidates = [(m, main) for m in entry.get("media_content") or []]
    candidates += [
        ({"url": e.get("href"), "type": e.get("type")}, main)
        for e in entry.get("enclosures") or []
        if isinstance(e, dict)
    ]
    candidates += [(m, thumbnails) for m in entry.get("media_thumbnail") or []]
    seen: set[str] = set()
    for candidate, target in candidates:
        if not isinstance(candidate, dict):
            continue
        kind = str(candidate.get("type") or candidate.get("medium") or "image").lower()
        href = _absolute_http(str(candidate.get("url") or ""), base)
        if "image" not in kind or not href or href in seen:
            continue
        seen.add(href)
        target.append(
            Rendition(
                href=href[:1000],
                width=_dimension(candidate.get("width")),
                height=_dimension(candidate.get("height")),
                mimetype=str(candidate.get("type") or "")[:100],
            )
        )
    renditions = main or thumbnails
    if not renditions:
        return []
    description, title = media or ("", "")
    credits = entry.get("media_credit") or []
    credit = credits[0].get("content", "") if credits and isinstance(credits[0], dict) else ""
    picture = ParsedPicture(
        guid="",
        caption=plain_text(description or title, limit=2000),
        credit=plain_text(str(credit), limit=300),
        renditions=tuple(renditions),
    )
    # Known by the address of its largest rendition: the same picture in two entries is
    # stored once, and an entry whose picture changes gets the new one.
    best = picture.best_rendition()
    return [replace(picture, guid=best.href[:500] if best else "")]


def _dimension(value: Any) -> int | None:
    try:
        number = int(str(value).strip())
    except (TypeError, ValueError):
        return None
    return number if 0 < number < 100_000 else None
