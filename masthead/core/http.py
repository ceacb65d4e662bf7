"""Fetching over HTTP(S), for every part that reads from the network (wire feeds and pictures,
quote files, the ECB's rates).

The standard library's urllib, nothing else. Every response is held to limits:
- `timeout` bounds each network wait (connecting, each read), and the download as a whole
  is given up once that time has passed since the request, so a server trickling a byte at a
  time cannot hold a worker either (name resolution is the system's, not bounded here);
- `max_bytes` bounds the body: a declared Content-Length over it is refused before reading,
  and at most max_bytes + 1 bytes are ever read;
- only http and https, for the URL asked and for every redirect on the way;
- a body cut short of its Content-Length is refused rather than passed on half-written;
- only addresses on the public internet, for every fetch (feeds, pictures, quote files, ECB
  rates): the address actually connected to is checked, for every redirect too, so neither a
  wire item nor a feed URL can make the worker read the machine's own services or the private
  network (a name that resolves to a private address is refused alike). The operator opts in
  to their own network with MASTHEAD_WIRE_FETCH_PRIVATE (`public_only=False`).
Every failure is one FetchError line naming the URL and what went wrong.
"""

from __future__ import annotations

import http.client
import ipaddress
import socket
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from email.message import Message
from typing import IO
from urllib.parse import urljoin, urlsplit

from django.conf import settings
from django.template.defaultfilters import filesizeformat

from masthead.core.errors import FetchError

USER_AGENT = "Masthead fetcher (+https://masthead.example/)"
_SCHEMES = ("http", "https")
_CHUNK = 64 * 1024


@dataclass(frozen=True)
class FetchResult:
    status: int  # 200, or 304 when the feed did not change
    body: bytes
    etag: str
    modified: str
    content_type: str = ""


class _HttpOnlyRedirects(urllib.request.HTTPRedirectHandler):
    """A feed or a picture may only move to another http(s) URL (urllib alone would follow a
    redirect to ftp://, and refuse others with a message of its own)."""

    def http_error_302(self, req, fp, code, msg, headers):  # type: ignore[no-untyped-def]
        target = headers.get("Location") or headers.get("URI") or ""
        try:
            scheme = urlsplit(urljoin(req.full_url, target)).scheme.lower()
        except ValueError:
            scheme = ""
        if target and scheme not in _SCHEMES:
            fp.close()
            raise FetchError(
                f"{short_url(req.full_url)}: redirected to a non-http URL ({target[:80]})"
            )
        return super().http_error_302(req, fp, code, msg, headers)

    http_error_301 = http_error_303 = http_error_307 = http_error_308 = http_error_302


class _PrivateAddress(OSError):
    pass


def is_public_address(address: str) -> bool:
    """True for an address on the public internet; False for loopback, private ranges,
    link-local (cloud metadata services live there), and the rest IANA marks not global."""
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped:
        ip = ip.ipv4_mapped
    return ip.is_global


def _public_connection(address: tuple[str, int], *args, **kwargs) -> socket.socket:  # type: ignore[no-untyped-def]
    # Checked once connected, on the address really used: a name that resolves differently
    # the second time cannot slip past a check made before connecting.
    sock = socket.create_connection(address, *args, **kwargs)
    peer = sock.getpeername()[0]
    if not is_public_address(peer):
        sock.close()
        raise _PrivateAddress(
            f"refused, {address[0]} is a private or local address ({peer});"
            " MASTHEAD_WIRE_FETCH_PRIVATE allows it"
        )
    return sock


class _PublicHTTPConnection(http.client.HTTPConnection):
    def __init__(self, *args, **kwargs) -> None:  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        self._create_connection = _public_connection


class _PublicHTTPSConnection(http.client.HTTPSConnection):
    def __init__(self, *args, **kwargs) -> None:  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        self._create_connection = _public_connection


class _PublicHTTPHandler(urllib.request.HTTPHandler):
    def http_open(self, req):  # type: ignore[no-untyped-def]
        return self.do_open(_PublicHTTPConnection, req)


class _PublicHTTPSHandler(urllib.request.HTTPSHandler):
    def https_open(self, req):  # type: ignore[no-untyped-def]
        return self.do_open(_PublicHTTPSConnection, req, context=self._context)  # type: ignore[attr-defined]


def short_url(url: str) -> str:
    return url[:200]


def size_text(size: int) -> str:
    """1 MB, 2.5 MB, 300 KB, 900 bytes: a size as a person reads it, in one line of a log
    (Django's filesizeformat, with a plain space and no ".0")."""
    return str(filesizeformat(size)).replace("\xa0", " ").replace(".0 ", " ")


def _check(url: str) -> None:
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 (raises ValueError for a port that is not a number)
    except ValueError:
        raise FetchError(f"{short_url(url)}: not a valid URL") from None
    if parts.scheme.lower() not in _SCHEMES or not parts.hostname:
        raise FetchError(f"{short_url(url)}: only http and https URLs can be fetched")


def _declared_length(headers: Message) -> int | None:
    try:
        length = int(headers.get("Content-Length", ""))
    except ValueError:
        return None
    return length if length >= 0 else None


def _read(
    response: IO[bytes],
    headers: Message,
    url: str,
    *,
    max_bytes: int,
    deadline: float,
    timeout: float,
) -> bytes:
    limit = f"{short_url(url)}: response is over the {size_text(max_bytes)} limit"
    declared = _declared_length(headers)
    if declared is not None and declared > max_bytes:
        raise FetchError(limit)
    # read1() returns after one network read, so the deadline is checked as bytes arrive.
    reader = getattr(response, "read1", response.read)
    chunks: list[bytes] = []
    received = 0
    while received <= max_bytes:
        chunk = reader(min(_CHUNK, max_bytes + 1 - received))
        if not chunk:
            break
        chunks.append(chunk)
        received += len(chunk)
        if time.monotonic() > deadline:
            raise FetchError(f"{short_url(url)}: download not finished within {timeout:g} s")
    if received > max_bytes:
        raise FetchError(limit)
    if declared is not None and received < declared:
        raise FetchError(
            f"{short_url(url)}: connection closed after {received} of {declared} bytes"
        )
    return b"".join(chunks)


def http_get(
    url: str,
    *,
    headers: dict[str, str],
    timeout: float,
    max_bytes: int,
    public_only: bool | None = None,
) -> FetchResult:
    """GET `url`. A 304 comes back as a result (status 304, empty body); any other status that
    is not a success raises WireError, as does every network problem. `public_only` left out
    follows MASTHEAD_WIRE_FETCH_PRIVATE: public addresses only unless it is on."""
    _check(url)
    if public_only is None:
        public_only = not settings.MASTHEAD_WIRE_FETCH_PRIVATE
    deadline = time.monotonic() + timeout
    request = urllib.request.Request(url, headers={"User-Agent": USER_AGENT, **headers})  # noqa: S310
    handlers: list[urllib.request.BaseHandler] = [_HttpOnlyRedirects()]
    if public_only:
        handlers += [_PublicHTTPHandler(), _PublicHTTPSHandler()]
    opener = urllib.request.build_opener(*handlers)
    try:
        with opener.open(request, timeout=timeout) as response:
            body = _read(
                response,
                response.headers,
                url,
                max_bytes=max_bytes,
                deadline=deadline,
                timeout=timeout,
            )
            return FetchResult(
                status=response.status,
                body=body,
                etag=response.headers.get("ETag", "") or "",
                modified=response.headers.get("Last-Modified", "") or "",
                content_type=response.headers.get("Content-Type", "") or "",
            )
    except urllib.error.HTTPError as exc:
        exc.close()
        if exc.code == 304:
            # The validators stay as they were, unless the server sent new ones with its 304.
            return FetchResult(
                status=304,
                body=b"",
                etag=exc.headers.get("ETag") or headers.get("If-None-Match", ""),
                modified=exc.headers.get("Last-Modified") or headers.get("If-Modified-Since", ""),
            )
        raise FetchError(f"{short_url(url)}: HTTP {exc.code} {exc.reason}") from None
    except urllib.error.URLError as exc:
        if isinstance(exc.reason, TimeoutError):
            raise FetchError(f"{short_url(url)}: no answer within {timeout:g} s") from None
        raise FetchError(f"{short_url(url)}: {exc.reason}") from None
    except TimeoutError:
        raise FetchError(f"{short_url(url)}: no answer within {timeout:g} s") from None
    except OSError as exc:
        raise FetchError(f"{short_url(url)}: {exc.strerror or type(exc).__name__}") from None
    except http.client.InvalidURL:
        raise FetchError(f"{short_url(url)}: not a valid URL") from None
    except http.client.HTTPException as exc:
        # A reply that is not HTTP, a bad status line, a connection dropped mid-chunk ...
        raise FetchError(f"{short_url(url)}: broken HTTP response ({type(exc).__name__})") from None
    except ValueError:
        raise FetchError(f"{short_url(url)}: not a valid URL") from None


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    """A POST is not followed anywhere: a 3xx comes back as the answer."""

    def redirect_request(self, req, fp, code, msg, headers, newurl):  # type: ignore[no-untyped-def]
        return None


def http_post(
    url: str,
    *,
    body: bytes,
    headers: dict[str, str],
    timeout: float,
    public_only: bool | None = None,
) -> int:
    """POST `body` to `url` and return the answer's status, whatever it is (a redirect is not
    followed; at most 64 KB of the answer is read, and dropped). Every network problem is a
    FetchError line, and the public-address rule is http_get's (MASTHEAD_WIRE_FETCH_PRIVATE)."""
    _check(url)
    if public_only is None:
        public_only = not settings.MASTHEAD_WIRE_FETCH_PRIVATE
    request = urllib.request.Request(  # noqa: S310
        url, data=body, method="POST", headers={"User-Agent": USER_AGENT, **headers}
    )
    handlers: list[urllib.request.BaseHandler] = [_NoRedirects()]
    if public_only:
        handlers += [_PublicHTTPHandler(), _PublicHTTPSHandler()]
    opener = urllib.request.build_opener(*handlers)
    try:
        with opener.open(request, timeout=timeout) as response:
            response.read(_CHUNK)
            return int(response.status)
    except urllib.error.HTTPError as exc:
        exc.close()
        return int(exc.code)
    except urllib.error.URLError as exc:
        if isinstance(exc.reason, TimeoutError):
            raise FetchError(f"{short_url(url)}: no answer within {timeout:g} s") from None
        raise FetchError(f"{short_url(url)}: {exc.reason}") from None
    except TimeoutError:
        raise FetchError(f"{short_url(url)}: no answer within {timeout:g} s") from None
    except OSError as exc:
        raise FetchError(f"{short_url(url)}: {exc.strerror or type(exc).__name__}") from None
    except (http.client.InvalidURL, ValueError):
        raise FetchError(f"{short_url(url)}: not a valid URL") from None
    except http.client.HTTPException as exc:
        raise FetchError(f"{short_url(url)}: broken HTTP response ({type(exc).__name__})") from None
