"""Placing by hand an item no route took: the desk picks a section, and the item is read again
from the copy the wire log kept of it and published there (newsroom story_place).

What the log keeps is each item's own raw text (ParsedItem.raw), so an item is read again
with the parser of its format:

- ninjs, NITF, agency text and page text: the item's whole document;
- NewsML-G2: the newsItem element (from a news message too), a document of its own;
- NewsML 1: the NewsItem element, read inside a bare <NewsML> again. What the envelope or a
  sibling photo NewsItem gave is not kept: the envelope's Priority (urgency then comes from
  the item's own Urgency, else 4) and a photo from another NewsItem;
- a feed entry: kept as the JSON of the parsed entry, not as feed XML, so it cannot be read
  again and is refused in one line.

The picture is the one ingest stored for the item (by its guid or URL); none is fetched or
read from a drop folder now (the folder's file has moved on).
"""

from __future__ import annotations

from dataclasses import replace
from urllib.parse import urlsplit

from django.db import transaction

from masthead.core.errors import MastheadError, WireError
from masthead.core.xml import root_name
from masthead.network.models import Section
from masthead.newsroom.items import ParsedItem
from masthead.newsroom.models import Article, Picture
from masthead.newsroom.services.story import story_place
from masthead.wire.limits import fit_item
from masthead.wire.log import site_codes
from masthead.wire.models import WireAction, WireItem
from masthead.wire.parsers import parsers

# Formats whose logged raw text is not a document of that format.
NOT_READABLE_AGAIN = {"feed": "a feed entry is kept as the entry's JSON, not as the feed"}


def wireitem_place(*, item: WireItem, section: Section, actor: str) -> Article:
    """Publish an unrouted item in `section` for `actor` (the caller checked their right on
    the section). WireError or the newsroom's StoryPlaceError, in one line, when it cannot."""
    name = item.filename or item.guid
    if item.action != WireAction.UNROUTED:
        raise WireError(f"{name}: only an item no route took is placed by hand ({item.action})")
    parsed = wireitem_read_again(item)
    with transaction.atomic():
        article = story_place(
            item=parsed, section=section, editor=actor, picture=_stored_picture(parsed)
        )
        # The log's row says where the item went, so the shared inbox shows it was placed.
        locked = WireItem.objects.select_for_update().get(pk=item.pk)
        placed = f"placed by {actor} in {section.site.code}/{section.language}/{section.name}"
        locked.note = "; ".join(filter(None, [locked.note, placed]))[:300]
        locked.article_ids = [*(locked.article_ids or []), article.pk]
        carrying = Article.objects.filter(pk__in=locked.article_ids)
        locked.sites = site_codes(list(carrying.values_list("site_id", flat=True)))
        locked.save(update_fields=["note", "article_ids", "sites"])
    return article


def wireitem_read_again(item: WireItem) -> ParsedItem:
    """The logged item parsed again from its payload, with the language the log recorded
    (the file's, its source's or the detected one) and fitted as ingest fitted it."""
    name = item.filename or item.guid
    if item.format in NOT_READABLE_AGAIN:
        raise WireError(
            f"{name}: cannot be read again ({NOT_READABLE_AGAIN[item.format]}); "
            "place it by writing the story"
        )
    parser = parsers().get(item.format)
    if parser is None:
        raise WireError(f"{name}: format {item.format or 'unknown'!r} cannot be read again")
    if not item.payload:
        raise WireError(f"{name}: the wire log kept no copy of it")
    try:
        found = parser.parse(_document(item), source=name)
    except MastheadError as exc:
        raise WireError(f"{name}: cannot be read again: {exc}") from None
    except Exception as exc:  # a parser's bug: one line, as at ingest
        raise WireError(f"{name}: cannot be read again ({type(exc).__name__})") from None
    candidates = []
    for parsed in found:
        if isinstance(parsed, ParsedItem):
            fitted = fit_item(replace(parsed, language=item.language or parsed.language))
            if fitted.guid == item.guid and fitted.provider == item.provider:
                candidates.append(fitted)
    if not candidates:
        raise WireError(f"{name}: its copy in the wire log no longer gives item {item.guid}")
    # A document with several versions of the guid: the one logged.
    parsed = next((c for c in candidates if c.version == item.version), candidates[0])
    # A time the file did not give was "now" when the item came; read again, it would be now.
    received = item.received_at
    return replace(
        parsed,
        first_created=min(parsed.first_created, received),
        version_created=min(parsed.version_created, received),
    )


def _document(item: WireItem) -> bytes:
    data = item.payload.encode("utf-8")
    if item.format == "newsml1" and root_name(data) == "NewsItem":
        return b"<NewsML>" + data + b"</NewsML>"
    return data


def _stored_picture(item: ParsedItem) -> Picture | None:
    """The picture ingest stored for this item, if any: keyed by its guid, or by its URL
    for a remote one without a guid (wire/pictures.py)."""
    if not item.pictures:
        return None
    parsed = item.pictures[0]
    keys = [parsed.guid] if parsed.guid else []
    rendition = parsed.best_rendition()
    if rendition is not None and urlsplit(rendition.href).scheme in ("http", "https"):
        keys.append(rendition.href[:500])
    return Picture.objects.filter(guid__in=keys).first() if keys else None
