"""HTTP caching of public pages, so any cache or CDN in front can hold them correctly.

Every public page says how long it may be kept (short for the browser, longer for a shared
cache, served stale while revalidating or while the origin is down) and which content it shows
in a `Surrogate-Key` / `Cache-Tag` header: `site-JdB`, `section-12`, `story-503085`. A purge of
story 503085 then reaches exactly the pages that show it. ETag and 304 answers come from
Django's ConditionalGetMiddleware; Last-Modified is set here from the content's own time.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable
from datetime import datetime
from urllib.parse import parse_qsl, urlencode

from django.conf import settings
from django.http import HttpResponse
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.utils.http import http_date


def cache_public(
    response: HttpResponse,
    *,
    tags: Iterable[str],
    last_modified: datetime | None = None,
    shared_max_age: int | None = None,
    expires: datetime | None = None,
) -> HttpResponse:
    """Mark a page any cache may keep, with its surrogate keys. `expires`: the page shows
    something that ends then (a breaking-news strip), so no cache may keep it longer, nor
    serve it stale while it asks again."""
    s_maxage = settings.MASTHEAD_CACHE_SHARED_SECONDS if shared_max_age is None else shared_max_age
    max_age = settings.MASTHEAD_CACHE_BROWSER_SECONDS
    stale = settings.MASTHEAD_CACHE_STALE_SECONDS
    if expires is not None:
        left = max(0, math.ceil((expires - timezone.now()).total_seconds()))
        s_maxage, max_age, stale = min(s_maxage, left), min(max_age, left), 0
    patch_cache_control(
        response,
        public=True,
        max_age=max_age,
        s_maxage=s_maxage,
        stale_while_revalidate=stale,
        stale_if_error=settings.MASTHEAD_CACHE_STALE_IF_ERROR_SECONDS,
    )
    keys = " ".join(dict.fromkeys(tags))  # ordered, without duplicates
    response["Surrogate-Key"] = keys
    response["Cache-Tag"] = keys.replace(" ", ",")  # the same, as some CDNs spell it
    if last_modified is not None:
        response["Last-Modified"] = http_date(last_modified.timestamp())
    return response


# The query parameters each public page reads, by path. The page cache keys a page on these
# alone and hands Django only these: `?utm_source=...`, `fbclid` and any other junk share the
# entry of the URL without them (and cannot fill the cache with copies of one page). A view
# that starts reading request.GET must add its parameters here, or it will never see them.
PAGE_QUERY_PARAMETERS: tuple[tuple[re.Pattern[str], frozenset[str]], ...] = (
    # The content API (masthead/api/views.py).
    (
        re.compile(r"^/api/v1/articles/?$"),
        frozenset({"language", "section", "since", "updated_since", "cursor", "limit"}),
    ),
    (re.compile(r"^/api/v1/search/?$"), frozenset({"q", "language", "page", "limit"})),
    (re.compile(r"^/api/v1/sections/?$"), frozenset({"language"})),
    # (An optional final slash: the redirect that adds it keeps the query.)
    (re.compile(r"^/[^/]+/search/?$"), frozenset({"q", "page"})),  # views.search
    (re.compile(r"^/[^/]+/archive/\d{4}/\d{2}/\d{2}/?$"), frozenset({"page"})),  # archive_day
    (re.compile(r"^/[^/]+/[^/.]+/?$"), frozenset({"page"})),  # views.section_front
)


def page_query(path: str, query: str) -> str:
    """The part of a query string that `path`'s page reads, in a canonical order (by name; the
    values of one name in the order given, as Django's QueryDict keeps them)."""
    if not query:
        return ""
    names = next((kept for pattern, kept in PAGE_QUERY_PARAMETERS if pattern.match(path)), None)
    if not names:
        return ""
    pairs = [(k, v) for k, v in parse_qsl(query, keep_blank_values=True) if k in names]
    pairs.sort(key=lambda pair: pair[0])  # stable: repeated names keep their order
    return urlencode(pairs)


def site_tag(code: str) -> str:
    return f"site-{code}"


def section_tag(section_id: int) -> str:
    return f"section-{section_id}"


def story_tag(story_id: int) -> str:
    return f"story-{story_id}"
