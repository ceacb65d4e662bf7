"""IPTC ninjs: 1.x/2.x (lower-case keys) and 3.x (camelCase keys), as written in the wild.

Agencies' systems identify items by `guid` (or `id`) as well as `uri`, may give `body_text`
without `body_html`, and APIs wrap items in envelopes: `{"item": ...}`, `{"data": {"item":
...}}`, `{"items": [...]}`, `{"data": [...]}` or a plain list. Each item of an envelope comes
out on its own (a broken one as its own error).

No headline: the slugline, then the description or summary, then the body's first sentence
stand in, and the wire log says so. A bad optional time (first created, version created) is
passed over with a note; only what the story cannot do without fails it. An embargo that
cannot be read fails the item: publishing it at once could break the embargo.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

from masthead.core.errors import WireError
from masthead.core.html import blocks_from_html, blocks_from_text, plain_text
from masthead.newsroom.items import ItemStatus, ParsedItem, ParsedPicture, Rendition
from masthead.wire.parsers.base import (
    WireParser,
    headline_or_fallback,
    optional_time,
    parse_time,
    parse_version,
)

_STATUS: dict[str, ItemStatus] = {
    "usable": "usable",
    "withheld": "withheld",
    "canceled": "canceled",
    "cancelled": "canceled",
}


class NinjsParser(WireParser):
    name = "ninjs"

    def sniff(self, data: bytes) -> bool:
        head = data[:4096].lstrip(b"\xef\xbb\xbf \t\r\n")
        return head[:1] in (b"{", b"[") and any(
            key in head
            for key in (b'"uri"', b'"guid"', b'"headline"', b'"$schema"', b'"item"', b'"body_')
        )

    def parse(self, data: bytes, *, source: str) -> list[ParsedItem]:
        try:
            doc = json.loads(data.decode("utf-8-sig"))
        except UnicodeDecodeError as exc:
            raise WireError(f"not UTF-8 text (byte {exc.start})") from None
        except json.JSONDecodeError as exc:
            raise WireError(
                f"invalid JSON at line {exc.lineno}, column {exc.colno}: {exc.msg}"
            ) from None
        items = _unwrap(doc)
        if not items:
            raise WireError("no ninjs item in the document (expected an object with a uri)")
        if len(items) == 1:
            return [self._item(items[0], raw=data.decode("utf-8-sig"))]
        out: list[ParsedItem | WireError] = []
        for index, item in enumerate(items):
            try:
                out.append(self._item(item, raw=json.dumps(item, ensure_ascii=False)))
            except WireError as exc:
                out.append(WireError(f"item {index}: {exc}"))
        return out  # type: ignore[return-value]

    def _item(self, doc: dict[str, Any], *, raw: str) -> ParsedItem:
        v3 = (
            "contentCreated" in doc
            or "versionCreated" in doc
            or "bodies" in doc
            or "headlines" in doc
        )
        get = _getter(v3)
        guid = plain_text(
            _text(doc.get("uri")) or _text(doc.get("guid")) or _text(doc.get("id")), limit=10_000
        )
        if not guid:
            raise WireError("missing 'uri' or 'guid' (the item's identifier)")
        notes: list[str] = []
        status = _STATUS.get(str(get(doc, "pubstatus") or "usable").lower())
        if status is None:
            raise WireError(f"item {guid}: unknown pubstatus {get(doc, 'pubstatus')!r}")
        body_html, body_text = _body(doc, v3)
        body = blocks_from_html(body_html) if body_html else tuple(blocks_from_text(body_text))
        kind = _text(doc.get("type")).lower()
        if not body and status != "canceled":
            if kind in NOT_TEXT_TYPES:
                raise WireError(f"item {guid}: {kind} items are not published (no text)")
            if not _headline(doc, v3):
                raise WireError(f"item {guid}: no headline and no text to take one from")
            raise WireError(f"item {guid}: no body text")
        headline = headline_or_fallback(
            plain_text(_headline(doc, v3)),
            fallbacks=[
                ("slugline", plain_text(_text(doc.get("slugline")), limit=2000)),
                ("description", plain_text(_description(doc, v3), limit=2000)),
            ],
            body=body,
            notes=notes,
        )
        if not headline and status != "canceled":
            raise WireError(f"item {guid}: no headline and no text to take one from")
        version_created = optional_time(
            get(doc, "versioncreated"), field="versioncreated", notes=notes
        ) or datetime.now(UTC)
        first_created = (
            optional_time(get(doc, "firstcreated"), field="firstcreated", notes=notes)
            or version_created
        )
        provider = plain_text(_provider(doc, v3), limit=64) or "ninjs"
        return ParsedItem(
            guid=guid,
            version=parse_version(doc.get("version")),
            version_created=version_created,
            first_created=first_created,
            provider=provider,
            language=(_text(doc.get("language")) or "").strip(),
            headline=headline,
            body=body,
            slugline=plain_text(_text(doc.get("slugline")), limit=200),
            description=_summary(plain_text(_description(doc, v3), limit=600), headline),
            byline=plain_text(_byline(doc, v3), limit=200),
            located=plain_text(_text(doc.get("located")), limit=200),
            pictures=tuple(_pictures(doc, v3, first_created)),
            subjects=tuple(_subjects(doc)),
            keywords=tuple(
                plain_text(_text(k), limit=100)
                for k in doc.get("keywords") or []
                if isinstance(k, str)
            ),
            urgency=_urgency(doc.get("urgency")),
            status=status,
            # Never guessed: an unreadable embargo fails the item rather than publish it early.
            embargo=parse_time(get(doc, "embargoed"), field="embargoed"),
            ednote=plain_text(_text(doc.get("ednote")), limit=2000),
            format=self.name,
            raw=raw,
            notes=tuple(notes),
        )


def _getter(v3: bool):  # type: ignore[no-untyped-def]
    camel = {
        "versioncreated": "versionCreated",
        "firstcreated": "firstCreated",
        "pubstatus": "pubStatus",
        "embargoed": "embargoed",
    }

    def get(doc: dict[str, Any], key: str) -> Any:
        if v3 and camel.get(key, key) in doc:
            return doc[camel[key]]
        return doc.get(key)

    return get


# ninjs types that carry no story of their own; with a body they are published as text.
NOT_TEXT_TYPES = {"picture", "graphic", "video", "audio", "event", "component"}
ENVELOPE_KEYS = ("item", "items", "data", "result", "results")


def _unwrap(doc: Any, depth: int = 0) -> list[dict[str, Any]]:
    """The ninjs items in a document: the document itself, or those its envelope holds."""
    if depth > 3:
        return []
    if isinstance(doc, list):
        return [item for entry in doc for item in _unwrap(entry, depth + 1)]
    if not isinstance(doc, dict):
        return []
    if any(key in doc for key in ("uri", "guid", "headline", "headlines", "body_html")):
        return [doc]
    for key in ENVELOPE_KEYS:
        if key in doc:
            return _unwrap(doc[key], depth + 1)
    return []


def _summary(description: str, headline: str) -> str:
    """The description as a standfirst, unless it only says the headline again (it may be
    where the headline came from)."""
    return "" if description.casefold() == headline.casefold() else description


def _description(doc: dict[str, Any], v3: bool) -> str:
    if v3 and isinstance(doc.get("descriptions"), list):
        for d in doc["descriptions"]:
            if isinstance(d, dict) and isinstance(d.get("value"), str):
                return d["value"]
    return _text(doc.get("description_text")) or _text(doc.get("description_html"))


def _text(value: Any) -> str:
    return value if isinstance(value, str) else ""


def _headline(doc: dict[str, Any], v3: bool) -> str:
    if v3 and isinstance(doc.get("headlines"), list):
        for h in doc["headlines"]:
            if isinstance(h, dict) and isinstance(h.get("value"), str):
                return h["value"]
    return _text(doc.get("headline"))


def _body(doc: dict[str, Any], v3: bool) -> tuple[str, str]:
    if v3 and isinstance(doc.get("bodies"), list):
        for body in doc["bodies"]:
            if isinstance(body, dict) and isinstance(body.get("value"), str):
                if "html" in str(body.get("contentType", "")):
                    return body["value"], ""
                return "", body["value"]
    return _text(doc.get("body_html")), _text(doc.get("body_text"))


def _provider(doc: dict[str, Any], v3: bool) -> str:
    if v3 and isinstance(doc.get("copyrightHolder"), dict):
        return _text(doc["copyrightHolder"].get("name"))
    return _text(doc.get("copyrightholder"))


def _byline(doc: dict[str, Any], v3: bool) -> str:
    if v3 and isinstance(doc.get("bylines"), list):
        return ", ".join(_text(b.get("byline")) for b in doc["bylines"] if isinstance(b, dict))
    return _text(doc.get("byline"))


def _urgency(value: Any) -> int:
    try:
        return min(9, max(1, int(value)))
    except (TypeError, ValueError):
        return 4


def _subjects(doc: dict[str, Any]) -> list[str]:
    codes = []
    for subject in doc.get("subject") or doc.get("subjects") or []:
        if isinstance(subject, dict):
            code = subject.get("code") or subject.get("uri")
            if isinstance(code, str) and code.strip():
                codes.append(code.strip()[:200])
    return codes


def _pictures(doc: dict[str, Any], v3: bool, story_created: datetime) -> list[ParsedPicture]:
    associations = doc.get("associations")
    if isinstance(associations, list):  # ninjs 3: a list of objects with a "name"
        candidates = [a for a in associations if isinstance(a, dict)]
    elif isinstance(associations, dict):
        candidates = [a for a in associations.values() if isinstance(a, dict)]
    else:
        return []
    pictures = []
    for assoc in candidates:
        if assoc.get("type") not in ("picture", "image", None):
            continue
        renditions = _renditions(assoc.get("renditions"))
        if not renditions:
            continue
        created = parse_time(
            assoc.get("versionCreated" if v3 else "versioncreated"), field="picture versioncreated"
        )
        pictures.append(
            ParsedPicture(
                guid=plain_text(_text(assoc.get("uri")), limit=10_000),
                caption=plain_text(
                    _text(assoc.get("description_text")) or _headline(assoc, v3), limit=2000
                ),
                credit=picture_credit(
                    byline=plain_text(_byline(assoc, v3), limit=200),
                    agency=plain_text(_provider(assoc, v3) or _provider(doc, v3), limit=64),
                    picture_created=created,
                    story_created=story_created,
                ),
                alt=plain_text(_text(assoc.get("body_text")), limit=500),
                renditions=tuple(renditions),
                version_created=created,
            )
        )
    return pictures


def _renditions(value: Any) -> list[Rendition]:
    if isinstance(value, dict):
        entries = list(value.values())
    elif isinstance(value, list):
        entries = value
    else:
        return []
    out = []
    for r in entries:
        if isinstance(r, dict) and isinstance(r.get("href"), str) and r["href"].strip():
            out.append(
                Rendition(
                    href=r["href"].strip(),
                    width=r["width"] if isinstance(r.get("width"), int) else None,
                    height=r["height"] if isinstance(r.get("height"), int) else None,
                    mimetype=_text(r.get("mimetype") or r.get("contentType")),
                )
            )
    return out


def picture_credit(
    *, byline: str, agency: str, picture_created: datetime | None, story_created: datetime
) -> str:
    """Agency style credit: `NAMES - AGENCY`, with `/File` for an archive picture.

    A picture taken well before the story (two days or more) is a file picture.
    """
    credit = " - ".join(part for part in (byline, agency) if part)
    if credit and picture_created and (story_created - picture_created).days >= 2:
        credit += "/File"
    return credit
