"""The read API's endpoints, per site (the host name's, as for the pages).

Each answer is marked for caches as the pages are (delivery.caching): the page cache and the
caches in front keep it under the same surrogate keys, so the purges that follow an article's
change (its story, its site and language's fronts, its section) reach the API's answers too.
"""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any
from urllib.parse import urlencode

from django.db.models import prefetch_related_objects
from django.http import HttpRequest, HttpResponse
from django.utils import translation
from ninja import Path, Query, Router, Status
from ninja.errors import HttpError

from masthead.api import schemas
from masthead.api.cursor import CursorError, cursor_decode, cursor_encode
from masthead.api.ninjs import article_ninjs
from masthead.api.selectors import HIDDEN, alternates_of, article_versions, articles_page
from masthead.core.memo import remember
from masthead.delivery.caching import cache_public, section_tag, site_tag, story_tag
from masthead.markets.ticker import ticker_for_site
from masthead.network.models import Section, Site
from masthead.newsroom.models import ArticleStatus
from masthead.search.services import search_articles

router = Router()

LANGUAGE = r"^[a-z]{2,3}(-[a-z]{2,4})?$"
# An RFC 3339 date-time, as OpenAPI's `date-time` (an offset is required: Z or +01:00).
RFC3339 = (
    r"^([0-9]{4}-[0-9]{2}-[0-9]{2}[Tt][0-9]{2}:[0-9]{2}:[0-9]{2})"
    r"(?:\.([0-9]+))?([Zz]|[+-][0-9]{2}:[0-9]{2})$"
)
_RFC3339 = re.compile(RFC3339)
MAX_LIMIT = 100
MAX_SEARCH_LIMIT = 50
MAX_STORY_ID = 2**63 - 1
ERRORS = {400: schemas.Error, 404: schemas.Error}


def _site(request: HttpRequest) -> Site:
    site = getattr(request, "site", None)
    if site is None:
        raise HttpError(404, "No site answers on this host name.")
    return site


def _language(site: Site, language: str | None) -> str:
    if language is None:
        return site.default_language
    if language not in site.languages:
        raise HttpError(404, f"{site.name} has no articles in {language!r}.")
    translation.activate(language)
    return language


def _origin(request: HttpRequest) -> str:
    return request.build_absolute_uri("/").rstrip("/")


def _moment(name: str, value: str | None) -> datetime | None:
    """An RFC 3339 time as an aware datetime; 400 when it is not one, or names no real moment
    (February 30th, hour 25). Python reads microseconds: further digits are cut."""
    if value is None:
        return None
    parts = _RFC3339.match(value)
    if parts is None:
        raise HttpError(400, f"{name}: {value!r} is no RFC 3339 date and time")
    base, fraction, offset = parts.groups()
    fraction = "." + fraction[:6].ljust(6, "0") if fraction else ""
    offset = "+00:00" if offset in ("Z", "z") else offset
    try:
        return datetime.fromisoformat(f"{base[:10]}T{base[11:]}{fraction}{offset}")
    except ValueError:
        raise HttpError(400, f"{name}: {value!r} is no date and time") from None


def _front_tags(site: Site, languages: list[str]) -> list[str]:
    # The tags the page cache's purge gives every change of an article in that site and
    # language (delivery.pagecache.invalidate.tags_for_articles).
    return [site_tag(site.code), *(f"front-{site.code}-{lang}" for lang in languages)]


@router.get("/site", response={200: schemas.SiteOut, **ERRORS}, summary="The site")
def site_info(request: HttpRequest, response: HttpResponse) -> Any:
    site = _site(request)
    cache_public(response, tags=[site_tag(site.code)])
    return {
        "code": site.code,
        "name": site.name,
        "languages": list(site.languages),
        "default_language": site.default_language,
        "timezone": site.timezone,
        "url": _origin(request) + "/",
    }


@router.get(
    "/articles",
    response={200: schemas.ArticlePage, **ERRORS},
    exclude_none=True,
    summary="Published articles, newest first",
)
def articles(
    request: HttpRequest,
    response: HttpResponse,
    language: str | None = Query(
        None, pattern=LANGUAGE, description="One of the site's languages; its default if absent."
    ),
    section: str | None = Query(
        None, min_length=1, max_length=100, description="A section's name in that language."
    ),
    since: str | None = Query(
        None,
        max_length=40,
        pattern=RFC3339,
        example="2026-11-20T08:00:00Z",
        description="Published at or after this time (RFC 3339: 2026-11-20T08:00:00Z).",
    ),
    updated_since: str | None = Query(
        None,
        max_length=40,
        pattern=RFC3339,
        example="2026-11-20T08:00:00Z",
        description="Text changed (or published) at or after this time (RFC 3339).",
    ),
    cursor: str | None = Query(
        None,
        max_length=64,
        pattern=r"^[A-Za-z0-9_-]+$",
        description="`next_cursor` of the previous page.",
    ),
    limit: int = Query(20, ge=1, le=MAX_LIMIT),
) -> Any:
    site = _site(request)
    lang = _language(site, language)
    found = None
    if section is not None:
        found = Section.objects.filter(site=site, language=lang, name__iexact=section).first()
        if found is None:
            raise HttpError(404, f"No section {section!r} in {lang!r}.")
    try:
        after = cursor_decode(cursor) if cursor is not None else None
    except CursorError as exc:
        raise HttpError(400, str(exc)) from None
    page = articles_page(
        site=site,
        language=lang,
        section=found,
        since=_moment("since", since),
        updated_since=_moment("updated_since", updated_since),
        after=after,
        limit=limit,
    )
    origin = _origin(request)
    answer: dict[str, Any] = {
        "items": [
            article_ninjs(
                a, origin=origin, alternates=page.alternates.get(a.story_id, ()), full=False
            )
            for a in page.articles
        ]
    }
    if page.has_next and page.articles:
        last = page.articles[-1]
        assert last.published_at is not None  # the list leaves out articles without one
        answer["next_cursor"] = cursor_encode(
            published_at=last.published_at, story_id=last.story_id
        )
        query = {k: v for k, v in request.GET.items() if k != "cursor"}
        query["cursor"] = answer["next_cursor"]
        answer["next"] = f"{origin}{request.path}?{urlencode(sorted(query.items()))}"
    tags = _front_tags(site, [lang])
    if found is not None:
        tags.append(section_tag(found.pk))
    cache_public(response, tags=tags)
    return answer


@router.get(
    "/articles/{language}/{story_id}",
    response={200: schemas.Ninjs, **ERRORS, 410: schemas.Error},
    exclude_none=True,
    summary="One article, whole",
)
def article(
    request: HttpRequest,
    response: HttpResponse,
    language: str = Path(..., pattern=LANGUAGE),
    story_id: int = Path(..., ge=1, le=MAX_STORY_ID),
) -> Any:
    site = _site(request)
    lang = _language(site, language)
    versions = article_versions(site=site, story_id=story_id)
    found = next((a for a in versions if a.language == lang), None)
    if found is None or found.status in HIDDEN:
        raise HttpError(404, "No such article.")
    tags = [site_tag(site.code), story_tag(story_id)]
    if found.status == ArticleStatus.KILLED:
        # Kept by caches like the page's 410, until the story changes again.
        cache_public(response, tags=tags)
        return Status(410, {"detail": "This article was withdrawn."})
    alternates = [a for a in versions if a.pk != found.pk and a.status == ArticleStatus.PUBLISHED]
    cache_public(response, tags=tags, last_modified=found.updated_at or found.published_at)
    return article_ninjs(found, origin=_origin(request), alternates=alternates)


@router.get(
    "/sections",
    response={200: list[schemas.SectionOut], **ERRORS},
    summary="The site's sections",
)
def sections(
    request: HttpRequest,
    response: HttpResponse,
    language: str | None = Query(None, pattern=LANGUAGE, description="Only this language's."),
) -> Any:
    site = _site(request)
    found = Section.objects.filter(site=site).order_by("language", "position")
    if language is not None:
        found = found.filter(language=_language(site, language))
    origin = _origin(request)
    cache_public(response, tags=[site_tag(site.code)])
    return [
        {
            "id": s.pk,
            "name": s.name,
            "language": s.language,
            "url": f"{origin}/{s.language}/{s.name}/",
            "articles": f"{origin}/api/v1/articles?"
            + urlencode({"language": s.language, "section": s.name}),
        }
        for s in found
    ]


@router.get(
    "/search",
    response={200: schemas.SearchAnswer, **ERRORS},
    exclude_none=True,
    summary="Search the site's articles",
)
def search(
    request: HttpRequest,
    response: HttpResponse,
    q: str = Query(..., max_length=500, description='Words; "a phrase"; -left out; OR.'),
    language: str | None = Query(None, pattern=LANGUAGE),
    page: int = Query(1, ge=1, le=1000),
    limit: int = Query(20, ge=1, le=MAX_SEARCH_LIMIT),
) -> Any:
    site = _site(request)
    lang = _language(site, language)
    found = search_articles(site=site, language=lang, text=q, page=page, page_size=limit)
    articles = [hit.article for hit in found.results]
    for a in articles:
        a.site = site
    # The search loads sections and pictures; a ninjs item also needs story and corrections.
    prefetch_related_objects(articles, "story", "corrections")
    alternates = alternates_of(site=site, articles=articles)
    origin = _origin(request)
    cache_public(response, tags=[site_tag(site.code)], shared_max_age=60)
    return {
        "query": found.query.text,
        "total": found.total,
        "page": found.number,
        "next_page": found.number + 1 if found.has_next else None,
        "items": [
            {
                "snippet": hit.snippet,
                "article": article_ninjs(
                    hit.article,
                    origin=origin,
                    alternates=alternates.get(hit.article.story_id, ()),
                    full=False,
                ),
            }
            for hit in found.results
        ],
    }


@router.get(
    "/ticker",
    response={200: schemas.TickerOut, **ERRORS},
    summary="The site's market ticker",
)
def ticker(request: HttpRequest, response: HttpResponse) -> Any:
    site = _site(request)
    # What /ticker.json shows, from the same few seconds' memo.
    found = remember(("ticker", site.pk), 15, lambda: ticker_for_site(site))
    if found is None:
        raise HttpError(404, "This site shows no ticker.")
    cache_public(response, tags=[site_tag(site.code), "quotes"], shared_max_age=60)
    return found.as_json()
