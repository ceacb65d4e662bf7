"""The read API's endpoints, per site (the host name's, as for the pages).

Each answer is marked for caches as the pages are (delivery.caching): the page cache and the
caches in front keep it under the same surrogate keys, so the purges that follow an article's
change (its story, its site and language's fronts, its section) reach the API's answers too.
"""

from __future__ import annotations

import re
from collections import Counter
from datetime import datetime
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db.models import prefetch_related_objects
from django.http import HttpRequest, HttpResponse
from django.http.multipartparser import MultiPartParserError
from django.utils import translation
from django.utils.cache import patch_cache_control
from ninja import Path, Query, Router, Status
from ninja.errors import HttpError

from masthead.api import schemas
from masthead.api.cursor import CursorError, cursor_decode, cursor_encode
from masthead.api.models import ApiToken, Scope
from masthead.api.ninjs import article_ninjs
from masthead.api.push import picture_name, wire_push
from masthead.api.selectors import HIDDEN, alternates_of, article_versions, articles_page
from masthead.api.tokens import TokenRefused, token_check, token_used
from masthead.core.errors import WireError
from masthead.core.http import size_text
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


def _time_query(description: str) -> Any:
    """A query parameter holding an RFC 3339 time with its offset."""
    return Query(
        None,
        max_length=40,
        pattern=RFC3339,
        example="2026-11-20T08:00:00Z",
        description=description,
    )


MAX_LIMIT = 100
MAX_SEARCH_LIMIT = 50
MAX_STORY_ID = 2**63 - 1
ERRORS = {400: schemas.Error, 404: schemas.Error}


def _site(request: HttpRequest) -> Site:
    site = getattr(request, "site", None)
    if site is None:
        raise HttpError(404, "No site answers on this host name.")
    return site


def _reader(request: HttpRequest, *, private: bool = False) -> tuple[Site, ApiToken | None]:
    """The host's site and the request's token, if it carries one (audited); a wrong one is
    401 or 403. `private`: the token is asked for `read-private` when it has it, else `read`."""
    site = _site(request)
    header = request.headers.get("Authorization")
    if header is None:
        return site, None
    try:
        token = token_check(header=header, site=site, scope=Scope.READ)
    except TokenRefused as exc:
        raise HttpError(exc.status, str(exc)) from None
    assert token is not None
    token_used(token=token, action="api read", detail=request.get_full_path())
    return site, token


def _sees_private(token: ApiToken | None) -> bool:
    return token is not None and token.allows(Scope.READ_PRIVATE)


def _cache(response: HttpResponse, token: ApiToken | None, **kwargs: Any) -> None:
    """Public answers any cache may keep; a token's answer none (it may hold private copy,
    and each use is audited, which a cached answer would skip)."""
    if token is None:
        cache_public(response, **kwargs)
    else:
        patch_cache_control(response, private=True, no_store=True)


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
    site, token = _reader(request)
    _cache(response, token, tags=[site_tag(site.code)])
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
    since: str | None = _time_query(
        "Published at or after this time (RFC 3339: 2026-11-20T08:00:00Z)."
    ),
    updated_since: str | None = _time_query(
        "Text changed (or published) at or after this time (RFC 3339)."
    ),
    cursor: str | None = Query(
        None,
        max_length=64,
        pattern=r"^[A-Za-z0-9_-]+$",
        description="`next_cursor` of the previous page.",
    ),
    limit: int = Query(20, ge=1, le=MAX_LIMIT),
) -> Any:
    site, token = _reader(request)
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
        private=_sees_private(token),
    )
    origin = _origin(request)
    answer: dict[str, Any] = {
        "items": [
            article_ninjs(
                a,
                origin=origin,
                alternates=page.alternates.get(a.story_id, ()),
                full=False,
                corrections=page.corrections.get(a.pk, ()),
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
    _cache(response, token, tags=tags)
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
    site, token = _reader(request)
    lang = _language(site, language)
    versions = article_versions(site=site, story_id=story_id)
    found = next((a for a in versions if a.language == lang), None)
    if found is None or (found.status in HIDDEN and not _sees_private(token)):
        raise HttpError(404, "No such article.")
    tags = [site_tag(site.code), story_tag(story_id)]
    if found.status == ArticleStatus.KILLED:
        # Kept by caches like the page's 410, until the story changes again.
        _cache(response, token, tags=tags)
        return Status(410, {"detail": "This article was withdrawn."})
    alternates = [a for a in versions if a.pk != found.pk and a.status == ArticleStatus.PUBLISHED]
    _cache(response, token, tags=tags, last_modified=found.updated_at or found.published_at)
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
    site, token = _reader(request)
    found = Section.objects.filter(site=site).order_by("language", "position")
    if language is not None:
        found = found.filter(language=_language(site, language))
    origin = _origin(request)
    _cache(response, token, tags=[site_tag(site.code)])
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
    site, token = _reader(request)
    lang = _language(site, language)
    found = search_articles(site=site, language=lang, text=q, page=page, page_size=limit)
    articles = [hit.article for hit in found.results]
    for a in articles:
        a.site = site
    # The search loads sections and pictures; a ninjs item also needs story and corrections.
    prefetch_related_objects(articles, "story", "corrections")
    alternates = alternates_of(site=site, articles=articles)
    origin = _origin(request)
    _cache(response, token, tags=[site_tag(site.code)], shared_max_age=60)
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
    site, token = _reader(request)
    # What /ticker.json shows, from the same few seconds' memo.
    found = remember(("ticker", site.pk), 15, lambda: ticker_for_site(site))
    if found is None:
        raise HttpError(404, "This site shows no ticker.")
    _cache(response, token, tags=[site_tag(site.code), "quotes"], shared_max_age=60)
    return found.as_json()


PUSH_MAX_PICTURES = 20
PUSH_ERRORS = {
    400: schemas.Error,
    401: schemas.Error,
    403: schemas.Error,
    404: schemas.Error,
    411: schemas.Error,
    413: schemas.Error,
}


@router.post(
    "/wire",
    response={200: list[schemas.WireOutcome], 422: list[schemas.WireOutcome], **PUSH_ERRORS},
    summary="Push a wire file (an `ingest` token)",
    description=(
        "The body is a wire file in any format `masthead ingest` reads (detected), or "
        "multipart/form-data with the file as `file` and its pictures as further files, "
        "named as the file names them. Send `Authorization: Bearer <token>`, a token of this "
        "host's site with the `ingest` scope; no cookie is read. The answer is one outcome per "
        "item, as `masthead ingest --json`; the same file again is `unchanged`. A file "
        "nothing can be read from is 422 with its failed outcome, and nothing is kept; more "
        "than 1,000 items in one file is 413. Pushed items are the site's own stories: their "
        "guid is kept as `push:<site>:<guid>`, and only the site's routes place them."
    ),
    openapi_extra={
        "security": [{"bearerAuth": []}],
        "requestBody": {
            "required": True,
            "content": {
                **{
                    kind: {"schema": {"type": "string", "format": "binary"}}
                    for kind in ("application/octet-stream", "application/xml", "text/plain")
                },
                "application/json": {"schema": {"type": "object"}},
                "multipart/form-data": {
                    "schema": {
                        "type": "object",
                        "required": ["file"],
                        "properties": {
                            "file": {"type": "string", "format": "binary"},
                            "pictures": {
                                "type": "array",
                                "items": {"type": "string", "format": "binary"},
                            },
                        },
                    }
                },
            },
        },
    },
)
def wire(request: HttpRequest) -> Any:
    site = _site(request)
    header = request.headers.get("Authorization")
    if header is None:
        raise HttpError(401, "Push with 'Authorization: Bearer <token>' (an ingest token).")
    try:
        token = token_check(header=header, site=site, scope=Scope.INGEST)
    except TokenRefused as exc:
        raise HttpError(exc.status, str(exc)) from None
    assert token is not None
    wire_max = settings.MASTHEAD_WIRE_MAX_BYTES
    picture_max = settings.MASTHEAD_WIRE_PICTURE_MAX_BYTES
    multipart = request.content_type == "multipart/form-data"
    try:
        length = int(request.META.get("CONTENT_LENGTH") or "")
    except ValueError:
        raise HttpError(411, "Send the body with a Content-Length.") from None
    limit = wire_max + PUSH_MAX_PICTURES * picture_max if multipart else wire_max
    if length > limit:
        token_used(token=token, action="api push refused", detail=f"{length} bytes")
        raise HttpError(413, f"The body is {size_text(length)}, over the {size_text(limit)} limit.")
    name = _push_name(request)
    pictures: list[UploadedFile] = []
    if multipart:
        try:
            upload = request.FILES.get("file")
        except MultiPartParserError as exc:
            raise HttpError(400, f"multipart: the body could not be read ({exc}).") from None
        if upload is None:
            raise HttpError(400, "multipart: give the wire file as the part named 'file'.")
        pictures = [f for key, files in request.FILES.lists() if key != "file" for f in files]
        if len(pictures) > PUSH_MAX_PICTURES:
            raise HttpError(400, f"At most {PUSH_MAX_PICTURES} pictures with one file.")
        for part in [upload, *pictures]:
            part_max = wire_max if part is upload else picture_max
            if (part.size or 0) > part_max:
                token_used(token=token, action="api push refused", detail=str(part.name))
                raise HttpError(
                    413, f"{part.name}: over the {size_text(part_max)} limit of a part."
                )
        try:
            for part in pictures:
                picture_name(part.name or "")
        except WireError as exc:
            raise HttpError(400, str(exc)) from None
        name = upload.name or name
        data = upload.read()
    else:
        data = request.read()
    answer = wire_push(
        data=data,
        name=name,
        source=f"push {site.code} {token.name}",
        site_code=site.code,
        pictures=pictures,
    )
    counts = Counter(o.action for o in answer.outcomes)
    token_used(
        token=token,
        action="api push",
        detail=f"{name}: " + ", ".join(f"{n} {action}" for action, n in sorted(counts.items())),
    )
    items = [o.as_dict() for o in answer.outcomes]
    if answer.status == 413:  # too many items: one line, as for a body over the size limit
        raise HttpError(413, f"{answer.outcomes[0].error}.")
    return items if answer.stored else Status(422, items)


def _push_name(request: HttpRequest) -> str:
    # What outcomes and the wire log call the file: Content-Disposition's filename if given.
    disposition = request.headers.get("Content-Disposition", "")
    found = re.search(r'filename="?([^";]+)"?', disposition)
    return (found.group(1).strip() if found else "")[:200] or "push"
