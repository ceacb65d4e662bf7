"""What the database keeps of a wire item, checked before it is applied.

Agency copy can carry anything: a 2,000-character headline, an identifier longer than any
database column (a feed entry's link with its tracking parameters). An identifier over its
column is kept as its beginning and a digest of the whole (cutting it alone could merge two
stories; the digest is the same at every delivery, so versions still meet); display text over
its column is cut at a word, with an ellipsis; a language code that long is no language code.
Done once here, so an item fares the same on SQLite (which would store it whole) and PostgreSQL
(which would refuse the row with an unreadable error).
"""

from __future__ import annotations

import hashlib
from dataclasses import replace

from masthead.core.errors import WireError
from masthead.newsroom.items import ParsedItem, ParsedPicture

GUID = 500  # Story.guid, WireItem.guid, Picture.guid
PROVIDER = 64  # Story.provider, Article.source_agency
LANGUAGE = 12  # Article.language
HEADLINE = 300  # Article.headline
CREDIT = 300  # Picture.credit
ALT = 500  # Picture.alt


def cut(text: str, limit: int) -> str:
    """`text` in at most `limit` characters, ending at a word with "…" when it was longer."""
    if len(text) <= limit:
        return text
    head = text[: limit - 1]
    space = head.rfind(" ")
    if space > limit // 2:
        head = head[:space]
    return head.rstrip(" ,;:-") + "…"


def identifier(value: str, limit: int) -> str:
    """`value`, or when longer than `limit` its beginning and a digest of the whole."""
    if len(value) <= limit:
        return value
    digest = hashlib.sha256(value.encode()).hexdigest()[: max(16, min(64, limit // 4))]
    return value[: limit - len(digest) - 1] + "#" + digest


def fit_item(item: ParsedItem) -> ParsedItem:
    """The item as the database can keep it, or WireError when it cannot be kept."""
    if len(item.language) > LANGUAGE:
        raise WireError(f"language {item.language[:40]!r} is not a language code")
    pictures = tuple(_fit_picture(p) for p in item.pictures)
    if (
        len(item.guid) <= GUID
        and len(item.provider) <= PROVIDER
        and len(item.headline) <= HEADLINE
        and all(p is q for p, q in zip(pictures, item.pictures, strict=True))
    ):
        return item  # the usual case, without building a copy to compare
    fitted = replace(
        item,
        guid=identifier(item.guid, GUID),
        provider=identifier(item.provider, PROVIDER),
        headline=cut(item.headline, HEADLINE),
        pictures=pictures,
    )
    return item if fitted == item else fitted


def _fit_picture(picture: ParsedPicture) -> ParsedPicture:
    if len(picture.credit) <= CREDIT and len(picture.alt) <= ALT and len(picture.guid) <= GUID:
        return picture
    return replace(
        picture,
        credit=cut(picture.credit, CREDIT),
        alt=cut(picture.alt, ALT),
        guid=identifier(picture.guid, GUID),
    )
