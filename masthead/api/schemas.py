"""The shapes of the API's answers, as OpenAPI documents them.

The ninjs models hold the part of ninjs 2.2 that Masthead fills (masthead/api/ninjs.py says
where each thing goes); answers leave out empty properties, since ninjs allows no nulls.
"""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, Field


class Schema(BaseModel):
    """The answers' models are plain pydantic ones, not ninja's `Schema`: the views hand them
    dicts, never ORM objects, and ninja's Schema reads every nested value through its Django
    getter, which was a sixth of an article list's time."""


class Error(Schema):
    detail: str = Field(description="What was wrong, in one line.")


class NinjsText(Schema):
    role: str | None = None
    contenttype: str | None = None
    value: str


class NinjsSubject(Schema):
    name: str | None = None
    rel: str | None = None
    uri: str | None = None
    literal: str | None = None


class NinjsAltId(Schema):
    role: str
    value: str


class NinjsInfoSource(Schema):
    name: str
    role: str | None = None


class NinjsRendition(Schema):
    name: str
    href: str
    contenttype: str | None = None
    title: str | None = None
    width: int | None = None
    height: int | None = None
    sizeinbytes: int | None = None


class NinjsAssociation(Schema):
    """A picture (`featureimage`) or another language of the story (`alternate-<lang>`)."""

    name: str
    uri: str
    type: str
    language: str | None = None
    by: str | None = None
    headlines: list[NinjsText] | None = None
    descriptions: list[NinjsText] | None = None
    renditions: list[NinjsRendition] | None = None


class Ninjs(Schema):
    """An article as a ninjs 2.2 news item."""

    uri: str = Field(description="The article in this API; its page is the `web` rendition.")
    type: str
    representationtype: str = Field(description="`full` with the body, `partial` in lists.")
    language: str
    pubstatus: str = Field(
        description="usable; withheld (a draft, withheld or embargoed copy) only for a "
        "`read-private` token; canceled (killed)."
    )
    embargoed: datetime | None = Field(None, description="The embargo's end, if embargoed.")
    urgency: int = Field(description="1 (flash) to 9.")
    firstcreated: datetime | None = Field(None, description="Published on this site.")
    versioncreated: datetime | None = Field(None, description="Its text last changed.")
    headlines: list[NinjsText]
    descriptions: list[NinjsText] | None = None
    bodies: list[NinjsText] | None = None
    by: str | None = Field(None, description="The house signature.")
    altids: list[NinjsAltId] | None = None
    infosources: list[NinjsInfoSource] | None = None
    subjects: list[NinjsSubject] | None = None
    renditions: list[NinjsRendition] | None = None
    associations: list[NinjsAssociation] | None = None


class ArticlePage(Schema):
    items: list[Ninjs]
    next_cursor: str | None = Field(
        None, description="Give it as `cursor` for the next page; absent on the last page."
    )
    next: str | None = Field(None, description="The next page's address.")


class SearchHit(Schema):
    snippet: str = Field(description="HTML: the text around the words found, in <mark>.")
    article: Ninjs


class SearchAnswer(Schema):
    query: str
    total: int
    page: int
    next_page: int | None = None
    items: list[SearchHit]


class SectionOut(Schema):
    id: int
    name: str = Field(description="As in the pages' addresses and the `section` filter.")
    language: str
    url: str = Field(description="The section's front page.")
    articles: str = Field(description="Its articles in this API.")


class SiteOut(Schema):
    code: str
    name: str
    languages: list[str]
    default_language: str
    timezone: str
    url: str


class TickerLine(Schema):
    symbol: str
    change: str
    price: str
    currency: str
    direction: str
    state: str


class TickerOut(Schema):
    label: str
    kind: str
    as_of: datetime | None = None
    closed: bool
    stale_since: datetime | None = None
    lines: list[TickerLine]


class WireOutcome(Schema):
    """What became of one item of a pushed file: a line of `masthead ingest --json`."""

    file: str
    guid: str
    version: int | None
    action: str = Field(
        description="created, updated, unchanged, stale, killed, withheld, embargoed, "
        "unrouted or failed"
    )
    article_ids: list[int]
    urls: list[str]
    error: str | None
