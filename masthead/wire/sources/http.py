"""Fetching over HTTP(S): feeds with conditional requests, and remote picture renditions.

The standard library's urllib, with a time limit and a size limit on every response; only
http and https; every failure is one WireError line naming the URL.
"""

from __future__ import annotations

import urllib.error
import urllib.request
from dataclasses import dataclass
from urllib.parse import urlsplit

from masthead.core.errors import WireError

USER_AGENT = "Masthead wire fetcher (+https://masthead.example/)"


@dataclass(frozen=True)
class FetchResult:
    status: int  # 200, or 304 when the feed did not change
    body: bytes
    etag: str
    modified: str
    content_type: str = ""


def _check(url: str) -> None:
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise WireError(f"{url[:200]}: only http and https URLs can be fetched")


def _read(response: object, url: str, max_bytes: int) -> bytes:
    body = response.read(max_bytes + 1)  # type: ignore[attr-defined]
    if len(body) > max_bytes:
        raise WireError(f"{url[:200]}: response is over the {max_bytes // (1024 * 1024)} MB limit")
    return bytes(body)


def http_get(url: str, *, headers: dict[str, str], timeout: float, max_bytes: int) -> FetchResult:
    _check(url)
    request = urllib.request.Request(url, headers={"User-Agent": USER_AGENT, **headers})  # noqa: S310
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310
            body = _read(response, url, max_bytes)
            return FetchResult(
                status=response.status,
                body=body,
                etag=response.headers.get("ETag", "") or "",
                modified=response.headers.get("Last-Modified", "") or "",
                content_type=response.headers.get("Content-Type", "") or "",
            )
    except urllib.error.HTTPError as exc:
        if exc.code == 304:
            return FetchResult(
                304, b"", headers.get("If-None-Match", ""), headers.get("If-Modified-Since", "")
            )
        raise WireError(f"{url[:200]}: HTTP {exc.code} {exc.reason}") from None
    except urllib.error.URLError as exc:
        raise WireError(f"{url[:200]}: {exc.reason}") from None
    except TimeoutError:
        raise WireError(f"{url[:200]}: no answer within {timeout:g} s") from None
    except OSError as exc:
        raise WireError(f"{url[:200]}: {exc.strerror or type(exc).__name__}") from None


def feed_fetch(
    *, url: str, etag: str = "", modified: str = "", timeout: float, max_bytes: int
) -> FetchResult:
    """The feed, or status 304 when the server says it has not changed since last time."""
    headers = {"Accept": "application/rss+xml, application/atom+xml, application/xml, */*"}
    if etag:
        headers["If-None-Match"] = etag
    if modified:
        headers["If-Modified-Since"] = modified
    return http_get(url, headers=headers, timeout=timeout, max_bytes=max_bytes)


def picture_fetch(*, url: str, timeout: float, max_bytes: int) -> bytes:
    result = http_get(url, headers={"Accept": "image/*"}, timeout=timeout, max_bytes=max_bytes)
    kind = result.content_type.split(";")[0].strip().lower()
    if kind and not kind.startswith("image/") and kind != "application/octet-stream":
        raise WireError(f"picture {url[:200]}: served as {kind}, not an image")
    return result.body
