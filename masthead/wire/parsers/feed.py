"""RSS 2.0 and Atom (feedparser): one item per entry, with its full text where the feed has it.

Decisions, since feeds say less than agency formats:
- identity: the entry's id (guid), else its link;
- version: 1, or the entry's update time in seconds when it was updated after publication, so
  a later update always counts as newer and a re-read of the same feed is `unchanged`;
- provider: the feed's own title (or its site's host name), so two feeds never share guids;
- an entry without a title or any text fails alone; the rest of the feed goes on.
"""

from __future__ import annotations

import calendar
import json
import re
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlsplit
from xml.sax import SAXParseException

import feedparser
from django.conf import settings

from masthead.core.errors import WireError
from masthead.wire.items import ParsedItem, ParsedPicture, Rendition
from masthead.wire.parsers.base import WireParser
from masthead.wire.parsers.xmlsafe import child, descendants, parse_xml, text_of
from masthead.wire.sanitize import blocks_from_html, plain_text

_ROOT = re.compile(rb"^(?:\s|<\?xml[^>]*\?>|<!--.*?-->)*<(rss|feed|rdf:RDF)[\s>]", re.S)
MEDIA_NS = "http://search.yahoo.com/mrss/"
_CODE = re.compile(r"^[a-z][a-z0-9]*:\S+$")  # medtop:11000000, subj:04000000 ...


def _time(value: Any) -> datetime | None:
    if not value:
        return None
    return datetime.fromtimestamp(calendar.timegm(value), tz=UTC)


def _language(entry: Any, feed: Any) -> str:
    for candidate in (
        (entry.get("content") or [{}])[0].get("language"),
        entry.get("language"),
        feed.get("language"),
    ):
        if isinstance(candidate, str) and candidate.strip():
            return candidate.strip().lower().replace("_", "-").split("-")[0][:12]
    return str(settings.MASTHEAD_WIRE_DEFAULT_LANGUAGE)


def _body(entry: Any) -> str:
    contents = entry.get("content") or []
    html = [c.get("value", "") for c in contents if "html" in (c.get("type") or "html")]
    if html and any(part.strip() for part in html):
        return "".join(html)
    plain = [c.get("value", "") for c in contents]
    if plain and any(part.strip() for part in plain):
        return "".join(f"<p>{part}</p>" for part in plain)
    return str(entry.get("summary") or entry.get("description") or "")


def _media_captions(data: bytes) -> dict[str, str]:
    """media:description per entry id, read from the XML itself: feedparser folds it into the
    entry's summary, where it cannot be told apart."""
    try:
        root = parse_xml(data)
    except WireError:
        return {}
    captions = {}
    for item in descendants(root, "item") + descendants(root, "entry"):
        key = (
            text_of(child(item, "guid"))
            or text_of(child(item, "id"))
            or text_of(child(item, "link"))
        )
        description = next(
            (d for d in descendants(item, "description") if d.tag.startswith(f"{{{MEDIA_NS}}}")),
            None,
        )
        if key and description is not None:
            captions[key] = text_of(description)
    return captions


def _pictures(entry: Any, guid: str, caption: str) -> list[ParsedPicture]:
    candidates: list[dict[str, Any]] = []
    candidates += [m for m in entry.get("media_content") or [] if m.get("url")]
    candidates += [
        {"url": e.get("href"), "type": e.get("type", "")}
        for e in entry.get("enclosures") or []
        if e.get("href")
    ]
    candidates += [m for m in entry.get("media_thumbnail") or [] if m.get("url")]
    renditions = []
    for media in candidates:
        kind = (media.get("type") or media.get("medium") or "image").lower()
        if "image" not in kind:
            continue
        renditions.append(
            Rendition(
                href=str(media["url"]).strip(),
                width=_int(media.get("width")),
                height=_int(media.get("height")),
                mimetype=str(media.get("type") or ""),
            )
        )
    if not renditions:
        return []
    credit = entry.get("media_credit") or []
    credit_text = credit[0].get("content", "") if credit and isinstance(credit[0], dict) else ""
    caption = caption or str(entry.get("media_title") or "")
    return [
        ParsedPicture(
            guid=f"{guid}#picture",
            caption=plain_text(str(caption), limit=2000),
            credit=plain_text(str(credit_text), limit=300),
            renditions=tuple(renditions),
        )
    ]


def _int(value: Any) -> int | None:
    try:
        number = int(str(value))
    except (TypeError, ValueError):
        return None
    return number if 0 < number < 100_000 else None


class FeedParser(WireParser):
    name = "feed"

    def sniff(self, data: bytes) -> bool:
        return bool(_ROOT.match(data[:4096].lstrip(b"\xef\xbb\xbf")))

    def parse(self, data: bytes, *, source: str) -> Sequence[ParsedItem | WireError]:
        # Bytes in, so feedparser never fetches anything itself.
        try:
            parsed = feedparser.parse(data, sanitize_html=False, resolve_relative_uris=False)
        except (ValueError, UnicodeError, LookupError) as exc:
            # feedparser lets some broken encodings and NUL bytes through as exceptions.
            raise WireError(f"not a readable feed: {type(exc).__name__}") from None
        if not parsed.entries:
            reason = parsed.get("bozo_exception")
            if reason is not None:
                raise WireError(f"not a readable feed: {str(reason).splitlines()[0][:200]}")
            raise WireError("the feed has no entries")
        reason = parsed.get("bozo_exception")
        if isinstance(reason, SAXParseException):
            # feedparser would carry on with what it could read; a cut or broken file is
            # refused whole instead, so no entry goes out half-written.
            raise WireError(
                f"not well-formed feed at line {reason.getLineNumber()}: {reason.getMessage()}"
            )
        feed = parsed.feed
        provider = plain_text(str(feed.get("title") or ""), limit=64) or (
            urlsplit(str(feed.get("link") or "")).hostname or "feed"
        )
        captions = _media_captions(data)
        return [self._entry(entry, feed, provider, captions) for entry in parsed.entries]

    def _entry(
        self, entry: Any, feed: Any, provider: str, captions: dict[str, str]
    ) -> ParsedItem | WireError:
        guid = plain_text(str(entry.get("id") or entry.get("link") or ""), limit=500)
        headline = plain_text(str(entry.get("title") or ""), limit=300)
        if not guid:
            return WireError(f"entry {headline[:60]!r}: no id and no link")
        if not headline:
            return WireError(f"entry {guid}: no title")
        published = _time(entry.get("published_parsed"))
        # Asked of the dict itself: feedparser's get() would answer with the published time.
        updated = _time(dict.get(entry, "updated_parsed"))
        first = published or updated
        if first is None:
            return WireError(f"entry {guid}: no publication date")
        latest = updated or first
        version = int(latest.timestamp()) if updated and published and updated > published else 1
        blocks = blocks_from_html(_body(entry))
        if not blocks:
            return WireError(f"entry {guid}: no text")
        subjects: list[str] = []
        keywords: list[str] = []
        for tag in entry.get("tags") or []:
            term = str(tag.get("term") or "").strip()
            if term:
                (subjects if _CODE.match(term) else keywords).append(term[:100])
        return ParsedItem(
            guid=guid,
            version=version,
            version_created=latest,
            first_created=first,
            provider=provider,
            language=_language(entry, feed),
            headline=headline,
            body=blocks,
            byline=plain_text(str(entry.get("author") or ""), limit=200),
            pictures=tuple(_pictures(entry, guid, captions.get(guid, ""))),
            subjects=tuple(subjects),
            keywords=tuple(plain_text(k, limit=100) for k in keywords),
            format=self.name,
            raw=json.dumps(entry, default=str, ensure_ascii=False)[:200_000],
        )
