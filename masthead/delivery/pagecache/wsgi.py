"""The WSGI layer in front of Django that answers from the page cache.

On a hit nothing of Django runs: no middleware, no URL resolving, no database. A plain GET of
a page this process holds is answered by one dict lookup of its address as asked, with headers
made once a second (`PageCacheApp.hot`). On a miss the request goes to Django; a response that
says any cache may keep it (`public`, `s-maxage`, no cookie set, not varying on cookies) is
stored under its `Surrogate-Key` tags, for its `s-maxage`, with its compressed bodies.

A page is keyed on its host, path and the query parameters it reads (caching.page_query); Django
is handed only those. Only a logged-in editor skips the cache (editors.py). When a page cannot
be rendered because the database is down, its expired copy is answered (`X-Cache: STALE`) if the
store still has one, else a 503 asking to come back in 30 seconds.
"""

from __future__ import annotations

import logging
import re
import sys
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Iterable
from functools import lru_cache
from hashlib import blake2b
from typing import Any

from django.conf import settings
from django.core.signals import got_request_exception
from django.db import InterfaceError, OperationalError

from masthead.core.outage import DATABASE_DOWN, RETRY_AFTER, UNAVAILABLE
from masthead.delivery.caching import page_query
from masthead.delivery.pagecache import page_cache
from masthead.delivery.pagecache.base import CachedPage, Hit, PageCache
from masthead.delivery.pagecache.editors import editor_request

log = logging.getLogger(__name__)
StartResponse = Callable[..., Any]
WSGIApp = Callable[[dict[str, Any], StartResponse], Iterable[bytes]]

STORABLE_STATUS = {200, 301, 404, 410}
BYPASS_PREFIXES = ("/admin", "/static/", "/media/")
_S_MAXAGE = re.compile(r"s-maxage=(\d+)")
# How long a process trusts its copies in memory without asking the shared store whether
# anything was purged: a purge elsewhere is seen within 10 ms, less than any reader's round
# trip. Asked once a millisecond, the stat (which lets go of the GIL, and must wait to get it
# back) was a fifth of a hit's Python under load.
GENERATION_EVERY = 0.01
HOT_ADDRESSES = 1024  # addresses as asked (a query, an Accept-Encoding each make one) in `hot`
# Characters of an address (host, path, query, Accept-Encoding) beyond which it is not kept as
# it was asked (in `hot`, or with its key): a request line and headers may be 400 KB each.
LONG_ADDRESS = 1024
Address = tuple[str, str, str, str]


def page_key(environ: dict[str, Any]) -> str:
    return _key(
        environ.get("HTTP_HOST", ""), environ.get("PATH_INFO", ""), environ.get("QUERY_STRING", "")
    )


def _kept_when_short(maxsize: int) -> Callable[[Callable[..., str]], Callable[..., str]]:
    """An lru_cache that keeps no answer for arguments longer than LONG_ADDRESS in all: they
    are worked out each time (a request's line and headers may be 400 KB, and a few thousand
    kept could hold gigabytes). The cache itself is the function's `kept`."""

    def wrap(function: Callable[..., str]) -> Callable[..., str]:
        kept = lru_cache(maxsize=maxsize)(function)

        def call(*args: str) -> str:
            return function(*args) if sum(map(len, args)) > LONG_ADDRESS else kept(*args)

        call.kept = kept  # type: ignore[attr-defined]
        return call

    return wrap


# Kept: the same few thousand addresses are asked again and again; a digest per hit was a
# tenth of the hit path's time.
@_kept_when_short(maxsize=4096)
def _key(host: str, path: str, query: str) -> str:
    raw = "\n".join((host, path, page_query(path, query)))
    return blake2b(raw.encode("utf-8", "surrogateescape"), digest_size=20).hexdigest()


_key_kept = _key.kept  # type: ignore[attr-defined]


def cacheable_request(environ: dict[str, Any], *, ssl_redirect: bool | None = None) -> bool:
    if environ.get("REQUEST_METHOD") not in ("GET", "HEAD"):
        return False
    if ssl_redirect is None:
        ssl_redirect = settings.SECURE_SSL_REDIRECT
    if ssl_redirect and not secure_request(environ):
        return False  # Django's SecurityMiddleware answers it: a redirect to https
    if environ.get("PATH_INFO", "").startswith(BYPASS_PREFIXES):
        return False
    if "HTTP_AUTHORIZATION" in environ:
        return False
    # Logged-in editors always get a fresh page; any other cookie is no reason to render one.
    return "HTTP_COOKIE" not in environ or not editor_request(environ["HTTP_COOKIE"])


def secure_request(environ: dict[str, Any]) -> bool:
    """Whether the request came over https: to this server, or to the proxy in front when the
    settings trust its header (SECURE_PROXY_SSL_HEADER), as Django reads it."""
    if environ.get("wsgi.url_scheme") == "https":
        return True
    header = settings.SECURE_PROXY_SSL_HEADER
    if not header:
        return False
    name, value = header
    forwarded = str(environ.get(name, "")).split(",", 1)[0].strip()
    return forwarded == value


def without_cookie(header: str, name: str) -> str:
    if f"{name}=" not in header:
        return header
    parts = [part for part in header.split(";") if part.split("=", 1)[0].strip() != name]
    return ";".join(parts).strip()


def _database_failed(sender: Any, request: Any = None, **kwargs: Any) -> None:
    """Django is handling an exception it did not expect (got_request_exception, sent from the
    `except` block, in a view or in a middleware): mark the request when it is the database's,
    so that the layer below answers a stale copy or a 503 instead of a 500."""
    if request is not None and isinstance(sys.exc_info()[1], OperationalError | InterfaceError):
        request.META[DATABASE_DOWN] = True  # request.META is the WSGI environ


got_request_exception.connect(_database_failed, dispatch_uid="masthead-pagecache-database")


# Kept: browsers send a handful of distinct Accept-Encoding values, each parsed once.
@_kept_when_short(maxsize=256)
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


_encoding_kept = choose_encoding.kept  # type: ignore[attr-defined]


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
    store's generation is unchanged (a stat() or a small GET, at most once every
    GENERATION_EVERY, and at once after this process's own purges), so a purge in any process
    is seen by all of them within 10 ms."""

    def __init__(self, app: WSGIApp, *, local_bytes: int | None = None) -> None:
        self.app = app
        self.local: OrderedDict[str, CachedPage] = OrderedDict()
        self.local_bytes = (
            int(settings.MASTHEAD_PAGE_CACHE_MEMORY_MB * 1024 * 1024)
            if local_bytes is None
            else local_bytes
        )
        self.local_used = 0
        # The answers to the latest plain GETs, by address as asked: each right for a second
        # at most (its Age) and never past its page's freshness; dropped with `local`'s pages.
        self.hot: dict[Address, Hit] = {}
        self.local_generation = ""
        self.local_lock = threading.Lock()
        self.generation_due = 0.0  # time.monotonic() when the generation is asked again
        self.purges_seen = -1
        # Read once: a hit reads no setting (Django's lazy settings cost a tenth of a hit).
        self.ssl_redirect = bool(settings.SECURE_SSL_REDIRECT)

    def lookup(self, key: str) -> CachedPage | None:
        cache = page_cache()
        if time.monotonic() >= self.generation_due or cache.local_purges != self.purges_seen:
            self.generation_check(cache)
        page = self.local_page(key, time.time())
        if page is not None:
            return page
        seen = self.local_generation
        page = cache.get(key)
        if page is not None:
            self.remember(key, page, generation=seen)
        return page

    def local_page(self, key: str, now: float) -> CachedPage | None:
        """The page from this process's memory while it is fresh."""
        # No lock to read: a dict lookup and move_to_end are each atomic in CPython, and a
        # page dropped by another thread in between is simply not moved.
        page = self.local.get(key)
        if page is None or now >= page.expires_at:
            return None
        try:  # noqa: SIM105 - contextlib.suppress costs a tenth of a hit
            self.local.move_to_end(key)
        except KeyError:  # dropped by another thread in between: nothing to move
            pass
        return page

    def hot_hit(self, address: Address, now: float) -> Hit | None:
        """The answer to a plain GET of `address` (host, path, query, Accept-Encoding as
        asked) from the page in this process's memory, kept in `hot` while it is right."""
        host, path, query, accept = address
        key = _key(host, path, query)
        page = self.local_page(key, now)
        if page is None:
            return None
        hit = page.hit(choose_encoding(accept), now)
        with self.local_lock:
            # Only while the page is still the one kept: a purge (which clears `local` under
            # this lock) between the read above and here must not leave it in `hot`.
            if self.local.get(key) is page and sum(map(len, address)) <= LONG_ADDRESS:
                if len(self.hot) >= HOT_ADDRESSES and address not in self.hot:
                    self.hot.clear()
                self.hot[address] = hit
        return hit

    def generation_check(self, cache: PageCache) -> None:
        """Drop the copies in memory if anything was purged anywhere since the last check.
        Asked at most once every GENERATION_EVERY seconds (on every hit, a stat, or a GET from
        Redis, was a third of its time), and at once after a purge by this process."""
        purges = cache.local_purges
        generation = cache.generation()
        with self.local_lock:
            if generation != self.local_generation:
                self.hot.clear()
                self.local.clear()
                self.local_used = 0
                self.local_generation = generation
            self.purges_seen = purges
            self.generation_due = time.monotonic() + GENERATION_EVERY

    def remember(self, key: str, page: CachedPage, *, generation: str | None = None) -> None:
        """Keep a copy in this process: least recently used out first, within local_bytes.
        `generation`: the one this process knew before the page was read, if it was read from
        the store; a purge seen since may have been of that very copy, which is then not kept.
        """
        with self.local_lock:
            if generation is not None and generation != self.local_generation:
                return
            old = self.local.pop(key, None)
            if old is not None:
                self.local_used -= old.size
                self.hot.clear()  # it may answer from the old copy, or keep its bodies alive
            if page.size > self.local_bytes:
                return
            self.local[key] = page
            self.local_used += page.size
            while self.local_used > self.local_bytes:
                _, dropped = self.local.popitem(last=False)
                self.local_used -= dropped.size
                self.hot.clear()

    def stale(self, key: str) -> CachedPage | None:
        with self.local_lock:
            page = self.local.get(key)
        stale_seconds = settings.MASTHEAD_PAGE_CACHE_STALE_SECONDS
        if page is not None and page.usable_stale(stale_seconds):
            return page
        return page_cache().get_stale(key)

    def __call__(self, environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        # Most requests are a plain GET (no cookie, no credentials, no validator) of a page this
        # process holds: answered here, in this one frame, by one lookup of the address as
        # asked. Each call and object a hit touches costs more under load than in a loop, where
        # all sits in the CPU's cache: with the same work spread over six functions the hit
        # ran at 0.77 of the bare app, at 0.9 like this (docs/performance.md).
        if (
            environ.get("REQUEST_METHOD") == "GET"
            and "HTTP_COOKIE" not in environ
            and "HTTP_AUTHORIZATION" not in environ
            and "HTTP_IF_NONE_MATCH" not in environ
            and (not self.ssl_redirect or secure_request(environ))
        ):
            cache = page_cache()
            if time.monotonic() >= self.generation_due or cache.local_purges != self.purges_seen:
                self.generation_check(cache)
            address = (
                environ.get("HTTP_HOST", ""),
                environ.get("PATH_INFO", ""),
                environ.get("QUERY_STRING", ""),
                environ.get("HTTP_ACCEPT_ENCODING", ""),
            )
            now = time.time()
            hit = self.hot.get(address)
            if hit is None or not hit.since <= now < hit.until:
                hit = self.hot_hit(address, now)
            if hit is not None:
                # A copy: the server may change the list it is handed (PEP 3333).
                start_response(hit.status, list(hit.headers))
                return [hit.body]
        return self.answer(environ, start_response)

    def answer(self, environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        """Every request but a plain GET of a page in this process's memory."""
        if not cacheable_request(environ, ssl_redirect=self.ssl_redirect):
            return self.app(environ, start_response)
        key = page_key(environ)
        page = self.lookup(key)
        if page is not None:
            return self.serve(page, environ, start_response, hit=True)
        before = self.local_generation
        # Django sees the query the key names, nothing more: what is stored is what it says.
        environ["QUERY_STRING"] = page_query(
            environ.get("PATH_INFO", ""), environ.get("QUERY_STRING", "")
        )
        if "HTTP_COOKIE" in environ:
            # Nor a session that is no editor's: Django would answer "delete that cookie" and
            # the page could not be kept (a forged id would then mean a render every time).
            environ["HTTP_COOKIE"] = without_cookie(
                environ["HTTP_COOKIE"], settings.SESSION_COOKIE_NAME
            )
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
        if environ.get(DATABASE_DOWN):
            return self.unavailable(key, environ, start_response)
        if environ["REQUEST_METHOD"] == "HEAD":
            start_response(status, headers)
            return [body]
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

    def unavailable(
        self, key: str, environ: dict[str, Any], start_response: StartResponse
    ) -> Iterable[bytes]:
        """The database is down: the last copy of the page if there is one, else a 503."""
        page = self.stale(key)
        if page is not None:
            log.warning("database down: stale copy of %s answered", environ.get("PATH_INFO"))
            return self.serve(page, environ, start_response, hit=True, stale=True)
        headers = [
            ("Content-Type", "text/html; charset=utf-8"),
            ("Retry-After", RETRY_AFTER),
            ("Cache-Control", "no-store"),
            ("Content-Length", str(len(UNAVAILABLE))),
        ]
        start_response("503 Service Unavailable", headers)
        return [b""] if environ.get("REQUEST_METHOD") == "HEAD" else [UNAVAILABLE]

    def serve(
        self,
        page: CachedPage,
        environ: dict[str, Any],
        start_response: StartResponse,
        *,
        hit: bool,
        stale: bool = False,
    ) -> Iterable[bytes]:
        encoding = choose_encoding(environ.get("HTTP_ACCEPT_ENCODING", ""))
        if hit and not stale:
            _, _, _, shared, etag, body = page.hit(encoding, time.time())
            headers = list(shared)
        else:
            if encoding not in page.bodies:
                encoding = "identity"
            prepared, etag, body = page.response(encoding)
            headers = [*prepared, ("X-Cache", "STALE" if stale else "MISS")]
            if stale:
                age = str(max(0, int(time.time() - page.stored_at)))
                headers += [("Age", age), ("Warning", '111 - "Revalidation Failed"')]
        match = environ.get("HTTP_IF_NONE_MATCH")
        if match and etag and _strip(etag) in {_strip(t) for t in match.split(",")}:
            not_modified = ("content-type", "content-length", "content-encoding")
            start_response(
                "304 Not Modified", [h for h in headers if h[0].lower() not in not_modified]
            )
            return [b""]
        start_response(page.status, headers)
        return [b""] if environ.get("REQUEST_METHOD") == "HEAD" else [body]


def _strip(tag: str) -> str:
    return tag.strip().removeprefix("W/")
