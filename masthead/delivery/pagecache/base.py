"""What the page cache stores, and the contract of its backends."""

from __future__ import annotations

import gzip
import json
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import NamedTuple

import brotli

ENCODINGS = ("br", "gzip")
# Set by the cache on the way out; the stored copies never carry them.
HOP_HEADERS = {"content-length", "content-encoding", "vary", "age", "x-cache", "etag"}
MIN_COMPRESS = 512  # bytes; smaller bodies go out as they are


class Hit(NamedTuple):
    since: float  # the time.time() span in which it is right: its Age, and fresh
    until: float
    status: str
    headers: list[tuple[str, str]]  # never changed once made: handed to every request
    etag: str
    body: bytes


@dataclass
class CachedPage:
    status: str  # "200 OK"
    headers: list[tuple[str, str]]
    bodies: dict[str, bytes]  # "identity", and "gzip" / "br" when worth it
    stored_at: float = field(default_factory=time.time)
    expires_at: float = 0.0
    tags: tuple[str, ...] = ()
    _responses: dict[str, tuple[list[tuple[str, str]], str, bytes]] = field(
        default_factory=dict, repr=False, compare=False
    )
    _hits: dict[str, Hit] = field(default_factory=dict, repr=False, compare=False)

    @classmethod
    def build(
        cls,
        *,
        status: str,
        headers: list[tuple[str, str]],
        body: bytes,
        ttl: int,
        tags: Iterable[str],
    ) -> CachedPage:
        bodies = {"identity": body}
        if len(body) >= MIN_COMPRESS:
            bodies["gzip"] = gzip.compress(body, compresslevel=6, mtime=0)
            bodies["br"] = brotli.compress(body, quality=9)
        now = time.time()
        return cls(status, headers, bodies, now, now + ttl, tuple(tags))

    def fresh(self, now: float | None = None) -> bool:
        return (now or time.time()) < self.expires_at

    def usable_stale(self, stale_seconds: float, now: float | None = None) -> bool:
        """Still good enough to answer while the page cannot be rendered (stale-if-error)."""
        return (now or time.time()) < self.expires_at + stale_seconds

    @property
    def size(self) -> int:
        """Bytes it holds, roughly as stored: the bodies plus a little for the rest."""
        return sum(len(body) for body in self.bodies.values()) + 512

    def response(self, encoding: str) -> tuple[list[tuple[str, str]], str, bytes]:
        """(headers, ETag, body) as served for one encoding, without the per-request ones
        (X-Cache, Age): worked out at the first hit and kept, since a hit is answered
        hundreds of thousands of times a minute and these never change."""
        prepared = self._responses.get(encoding)
        if prepared is None:
            body = self.bodies[encoding]
            headers = [(k, v) for k, v in self.headers if k.lower() not in HOP_HEADERS]
            etag = self.header("ETag") or ""
            if etag:
                # One validator per representation: compressed copies get a weak tag.
                etag = etag if encoding == "identity" else "W/" + etag.removeprefix("W/")
                headers.append(("ETag", etag))
            headers.append(("Vary", "Accept-Encoding"))
            if encoding != "identity":
                headers.append(("Content-Encoding", encoding))
            headers.append(("Content-Length", str(len(body))))
            prepared = self._responses[encoding] = (headers, etag, body)
        return prepared

    def hit(self, encoding: str, now: float) -> Hit:
        """The whole answer to a hit asking for `encoding` (identity when the page has no such
        body), its per-request headers (X-Cache, Age) included: made once per second of age and
        then handed out as it is. A hit's own Python
        is what the page cache adds to the bare server; building 16 headers for each was half
        of it (docs/performance.md)."""
        hit = self._hits.get(encoding)
        if hit is None or not hit.since <= now < hit.until:
            age = max(0, int(now - self.stored_at))
            headers, etag, body = self.response(encoding if encoding in self.bodies else "identity")
            # Never after now: a page stored by a machine whose clock runs ahead is answered
            # with Age 0 until this clock catches up, not made anew for every request.
            since = min(self.stored_at + age, now)
            until = min(since + 1, self.expires_at)
            extra = [("X-Cache", "HIT"), ("Age", str(age))]
            hit = Hit(since, until, self.status, [*headers, *extra], etag, body)
            self._hits[encoding] = hit  # one assignment: a thread reading meanwhile sees either
        return hit

    def header(self, name: str) -> str | None:
        lower = name.lower()
        return next((v for k, v in self.headers if k.lower() == lower), None)

    def dumps(self) -> bytes:
        """One JSON line, then the bodies back to back."""
        meta = {
            "status": self.status,
            "headers": self.headers,
            "stored_at": self.stored_at,
            "expires_at": self.expires_at,
            "tags": list(self.tags),
            "lengths": {name: len(body) for name, body in self.bodies.items()},
        }
        return (
            json.dumps(meta, separators=(",", ":")).encode()
            + b"\n"
            + b"".join(self.bodies.values())
        )

    @classmethod
    def loads(cls, data: bytes) -> CachedPage:
        line, _, rest = data.partition(b"\n")
        meta = json.loads(line)
        bodies, offset = {}, 0
        for name, length in meta["lengths"].items():
            bodies[name] = rest[offset : offset + length]
            offset += length
        if offset != len(rest):
            raise ValueError("truncated page cache entry")
        return cls(
            meta["status"],
            [tuple(h) for h in meta["headers"]],  # type: ignore[misc]
            bodies,
            meta["stored_at"],
            meta["expires_at"],
            tuple(meta["tags"]),
        )


class PageCache:
    """A store of pages by key, purgeable by tag. Backends implement the methods below.

    An expired page is kept for `stale_seconds` more (MASTHEAD_PAGE_CACHE_STALE_SECONDS), to be
    answered by `get_stale` while the database is down, then dropped.

    `local_purges` counts the purges and clears this process made (each backend adds one
    before and after its work): the WSGI layer asks the shared `generation` at most once every
    10 ms, and this count tells it at once of its own process's purges."""

    local_purges = 0

    def get(self, key: str) -> CachedPage | None:
        """The page while it is fresh."""
        raise NotImplementedError

    def get_stale(self, key: str) -> CachedPage | None:
        """The page, expired or not, while it is within its stale window."""
        raise NotImplementedError

    def set(self, key: str, page: CachedPage) -> None:
        raise NotImplementedError

    def purge(self, tags: Iterable[str]) -> int:
        """Drop every page carrying one of `tags`; the number dropped."""
        raise NotImplementedError

    def clear(self) -> None:
        raise NotImplementedError

    def generation(self) -> str:
        """A value that changes whenever anything is purged, anywhere: each web process keeps
        a copy of its hottest pages in memory and trusts it only while this stays the same."""
        raise NotImplementedError
