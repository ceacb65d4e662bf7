"""Fetching what the wire needs over HTTP(S): feeds with conditional requests, and remote
picture renditions, through core/http.py's limits and public-address rule."""

from __future__ import annotations

from masthead.core.errors import WireError
from masthead.core.http import FetchResult, http_get, short_url

_FEED_TYPES = "application/rss+xml, application/atom+xml, application/xml;q=0.9, */*;q=0.5"


def feed_fetch(
    *,
    url: str,
    etag: str = "",
    modified: str = "",
    timeout: float = 10,
    max_bytes: int,
    public_only: bool | None = None,
) -> FetchResult:
    """The feed, or status 304 when the server says it has not changed since `etag` /
    `modified` (the ETag and Last-Modified of the previous 200, kept by the caller)."""
    headers = {"Accept": _FEED_TYPES}
    if etag:
        headers["If-None-Match"] = etag
    if modified:
        headers["If-Modified-Since"] = modified
    return http_get(
        url, headers=headers, timeout=timeout, max_bytes=max_bytes, public_only=public_only
    )


def picture_fetch(
    *, url: str, timeout: float, max_bytes: int, public_only: bool | None = None
) -> bytes:
    """A remote picture rendition's bytes. A response that says it is something other than an
    image (an HTML error page ...) is refused; one with no type or the generic
    application/octet-stream goes on, since the picture pipeline decodes it anyway."""
    result = http_get(
        url,
        headers={"Accept": "image/*"},
        timeout=timeout,
        max_bytes=max_bytes,
        public_only=public_only,
    )
    kind = result.content_type.split(";")[0].strip().lower()
    if kind and not kind.startswith("image/") and kind != "application/octet-stream":
        raise WireError(f"picture {short_url(url)}: served as {kind}, not an image")
    if not result.body:
        raise WireError(f"picture {short_url(url)}: empty response")
    return result.body
