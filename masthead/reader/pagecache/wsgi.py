"""The WSGI layer in front of Django that answers from the page cache.

On a hit nothing of Django runs: no middleware, no URL resolving, no database. On a miss the
request goes to Django; a response that says any cache may keep it (`public`, `s-maxage`, no
cookie set, not varying on cookies) is stored under its `Surrogate-Key` tags, for its
`s-maxage`, with its compressed bodies.
"""

from __future__ import annotations

import logging
import re
import time
from collections import OrderedDict
from collections.abc import Callable, Iterable
from hashlib import blake2b
from typing import Any

from django.conf import settings

from masthead.reader.pagecache import page_cache
from masthead.reader.pagecache.base import CachedPage

log = logging.getLogger(__name__)
StartResponse = Callable[..., Any]
WSGIApp = Callable[[dict[str, Any], StartResponse], Iterable[bytes]]

STORABLE_STATUS = {200, 301, 404, 410}
BYPASS_PREFIXES = ("/admin", "/static/", "/media/")
_S_MAXAGE = re.compile(r"s-maxage=(\d+)")
# Set by the cache on the way out; the stored copies never carry them.
_HOP = {"content-length", "content-encoding", "vary", "age", "x-cache", "etag"}


def page_key(environ: dict[str, Any]) -> str:
    raw = "\n".join(
        (
            environ.get("HTTP_HOST", ""),
            environ.get("PATH_INFO", ""),
            environ.get("QUERY_STRING", ""),
        )
    )
    return blake2b(raw.encode("utf-8", "surrogateescape"), digest_size=20).hexdigest()


def cacheable_request(environ: dict[str, Any], session_cookie: str) -> bool:
    if environ.get("REQUEST_METHOD") not in ("GET", "HEAD"):
        return False
    if environ.get("PATH_INFO", "").startswith(BYPASS_PREFIXES):
        return False
    if "HTTP_AUTHORIZATION" in environ:
        return False
    # Logged-in editors (and previews) always get a fresh page.
    return f"{session_cookie}=" not in environ.get("HTTP_COOKIE", "")


def choose_encoding(accept: str) -> str:
    offered = {}
    for part in accept.lower().split(","):
        name, _, params = part.strip().partition(";")
        quality = 1.0
        if params.strip().startswith("q="):
            try:
                quality = float(params.strip()[2:])
            except ValueError:
                quality = 0.0
        offered[name.strip()] = quality
    for name in ("br", "gzip"):
        if offered.get(name, 0) > 0:
            return name
    return "identity"


def storable(status: str, headers: list[tuple[str, str]]) -> int:
    """Seconds the response may be kept; 0 when it may not."""
    try:
        code = int(status.split(" ", 1)[0])
    except ValueError:
        return 0
    if code not in STORABLE_STATUS:
        return 0
    names = {k.lower(): v for k, v in headers}
    control = names.get("cache-control", "")
    if "public" not in control or "private" in control or "no-store" in control:
        return 0
    if "set-cookie" in names or "cookie" in names.get("vary", "").lower():
        return 0
    match = _S_MAXAGE.search(control)
    return min(int(match.group(1)), 86400) if match else 0


class PageCacheApp:
    """`local` mirrors the hottest pages in this process; it is trusted only while the shared
    store's generation is unchanged (one stat() or one small GET per hit), so a purge in any
    process is seen by all of them on their next request."""

    def __init__(self, app: WSGIApp, *, local_entries: int = 2000) -> None:
        self.app = app
        self.session_cookie = settings.SESSION_COOKIE_NAME
        self.local: OrderedDict[str, CachedPage] = OrderedDict()
        self.local_entries = local_entries
        self.local_generation = ""

    def lookup(self, key: str) -> CachedPage | None:
        cache = page_cache()
        generation = cache.generation()
        if generation != self.local_generation:
            self.local.clear()
            self.local_generation = generation
        page = self.local.get(key)
        if page is not None and page.fresh():
            self.local.move_to_end(key)
            return page
        page = cache.get(key)
        if page is not None:
            self.remember(key, page)
        return page

    def remember(self, key: str, page: CachedPage) -> None:
        self.local[key] = page
        if len(self.local) > self.local_entries:
            self.local.popitem(last=False)

    def __call__(self, environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        if not cacheable_request(environ, self.session_cookie):
            return self.app(environ, start_response)
        key = page_key(environ)
        page = self.lookup(key)
        if page is not None:
            return self.serve(page, environ, start_response, hit=True)
        before = self.local_generation
        if environ["REQUEST_METHOD"] == "HEAD":
            return self.app(environ, start_response)
        captured: dict[str, Any] = {}

        def capture(status: str, headers: list[tuple[str, str]], exc_info: Any = None) -> Any:
            captured["status"], captured["headers"] = status, headers
            return lambda data: captured.setdefault("written", []).append(data)

        result = self.app(environ, capture)
        try:
            body = b"".join([*captured.get("written", []), *result])
        finally:
            close = getattr(result, "close", None)
            if close:
                close()
        status, headers = captured["status"], captured["headers"]
        ttl = storable(status, headers)
        if not ttl:
            start_response(status, headers)
            return [body]
        tags = next((v for k, v in headers if k.lower() == "surrogate-key"), "").split()
        page = CachedPage.build(status=status, headers=headers, body=body, ttl=ttl, tags=tags)
        if page_cache().generation() != before:
            # Something was purged while this page was rendered: it may show the old
            # content, so it is served once and not kept.
            return self.serve(page, environ, start_response, hit=False)
        try:
            page_cache().set(key, page)
            self.remember(key, page)
        except OSError:
            log.warning("page cache: could not store %s", environ.get("PATH_INFO"), exc_info=True)
        return self.serve(page, environ, start_response, hit=False)

    def serve(
        self, page: CachedPage, environ: dict[str, Any], start_response: StartResponse, *, hit: bool
    ) -> Iterable[bytes]:
        encoding = choose_encoding(environ.get("HTTP_ACCEPT_ENCODING", ""))
        if encoding not in page.bodies:
            encoding = "identity"
        body = page.bodies[encoding]
        headers = [(k, v) for k, v in page.headers if k.lower() not in _HOP]
        etag = page.header("ETag")
        if etag:
            # One validator per representation: compressed copies get a weak tag.
            etag = etag if encoding == "identity" else "W/" + etag.removeprefix("W/")
            headers.append(("ETag", etag))
        headers.append(("Vary", "Accept-Encoding"))
        headers.append(("X-Cache", "HIT" if hit else "MISS"))
        if hit:
            headers.append(("Age", str(max(0, int(time.time() - page.stored_at)))))
        match = environ.get("HTTP_IF_NONE_MATCH")
        if etag and match and _strip(etag) in {_strip(t) for t in match.split(",")}:
            start_response("304 Not Modified", [h for h in headers if h[0] != "Content-Type"])
            return [b""]
        if encoding != "identity":
            headers.append(("Content-Encoding", encoding))
        headers.append(("Content-Length", str(len(body))))
        start_response(page.status, headers)
        return [b""] if environ.get("REQUEST_METHOD") == "HEAD" else [body]


def _strip(tag: str) -> str:
    return tag.strip().removeprefix("W/")
