"""Security headers and allowed methods for everything but the admin.

Reader pages, feeds, sitemaps, the ticker, the API and Django-served media answer GET and HEAD
only (anything else is 405, with `Allow: GET, HEAD`), but for the API's push ingest
(`WRITE_METHODS`), and carry:

- a Content-Security-Policy (settings.MASTHEAD_CSP) to which `script-src` and `style-src` are
  added: 'self' and the SHA-256 hash of each inline <script> and <style> block of the reader's
  templates, computed here once at start-up from the templates themselves, so the text-size
  script in base.html (which must run before first paint, hence inline) runs and nothing
  injected into a page does;
- the hash of the site's face <style> block (its accent: reader/faces.py), for the host's
  site; a page listing several sites' faces (the network page) sets its own policy, with
  `policy_with_styles`;
- a Permissions-Policy (settings.MASTHEAD_PERMISSIONS_POLICY) turning off the camera, the
  microphone, geolocation, interest cohorts and the like.

X-Content-Type-Options: nosniff comes from Django's SecurityMiddleware on every response
Django makes (media included when Django serves it). The admin (/admin/) is left alone: its
forms need POST and its pages inline scripts of their own.
"""

from __future__ import annotations

import base64
import hashlib
import logging
import re
from collections.abc import Callable, Iterable
from functools import lru_cache
from pathlib import Path

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseNotAllowed

log = logging.getLogger(__name__)

TEMPLATES = Path(__file__).resolve().parent / "jinja2"
SAFE_METHODS = ("GET", "HEAD")
# The paths that take more, and check who asks themselves: the API's push ingest (a token in
# the Authorization header, never a cookie: masthead/api/views.py).
WRITE_METHODS = {"/api/v1/wire": ("POST",)}
# Inline blocks: a <script> without src (JSON-LD and other data blocks are not run, so need no
# hash), and <style>.
_INLINE = re.compile(r"<(script|style)\b([^>]*)>(.*?)</\1\s*>", re.IGNORECASE | re.DOTALL)
_DATA_TYPE = re.compile(r"""\btype\s*=\s*["']?application/(?:ld\+)?json""", re.IGNORECASE)
_TEMPLATE_SYNTAX = re.compile(r"{{|{%|{#")


def _hash(text: str) -> str:
    digest = hashlib.sha256(text.encode("utf-8")).digest()
    return "'sha256-" + base64.b64encode(digest).decode("ascii") + "'"


def inline_hashes(paths: Iterable[Path]) -> dict[str, list[str]]:
    """{"script": [...], "style": [...]}: the CSP source of each inline block in these
    templates, in a stable order. A block with template syntax inside cannot be hashed ahead
    of time: it is named in the log, and the browser will refuse to run it."""
    found: dict[str, dict[str, None]] = {"script": {}, "style": {}}
    for path in sorted(paths):
        source = path.read_text(encoding="utf-8")
        for kind, attributes, text in _INLINE.findall(source):
            kind = kind.lower()
            if kind == "script" and (
                re.search(r"\bsrc\s*=", attributes) or _DATA_TYPE.search(attributes)
            ):
                continue
            if _TEMPLATE_SYNTAX.search(text):
                log.warning("%s: an inline <%s> with template syntax cannot be hashed", path, kind)
                continue
            found[kind][_hash(text)] = None
    return {kind: list(hashes) for kind, hashes in found.items()}


def style_hash(css: str) -> str:
    """The CSP source that lets the inline <style> block holding exactly `css` apply."""
    return _hash(css)


def content_security_policy(base: str, hashes: dict[str, list[str]]) -> str:
    directives = [d.strip() for d in base.split(";") if d.strip()]
    named = {d.split()[0].lower() for d in directives}
    for kind in ("script", "style"):
        if f"{kind}-src" not in named:
            directives.append(" ".join([f"{kind}-src", "'self'", *hashes[kind]]))
    return "; ".join(directives)


@lru_cache(maxsize=1)
def _template_hashes() -> dict[str, list[str]]:
    return inline_hashes(TEMPLATES.rglob("*.html"))


@lru_cache(maxsize=256)  # one entry per site's face, and one for the network page
def policy_with_styles(*css: str) -> str:
    """The reader's policy, also allowing the inline <style> blocks holding exactly `css`."""
    hashes = _template_hashes()
    hashes = {**hashes, "style": hashes["style"] + [style_hash(c) for c in css]}
    return content_security_policy(settings.MASTHEAD_CSP, hashes)


def is_admin(request: HttpRequest) -> bool:
    return request.path_info.startswith("/admin/")


class ReaderSecurityMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        hashes = inline_hashes(TEMPLATES.rglob("*.html"))
        self.headers = {
            "Content-Security-Policy": content_security_policy(settings.MASTHEAD_CSP, hashes),
            "Permissions-Policy": settings.MASTHEAD_PERMISSIONS_POLICY,
        }

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if is_admin(request):
            return self.get_response(request)
        if request.method not in SAFE_METHODS and request.method not in WRITE_METHODS.get(
            request.path_info, ()
        ):
            response: HttpResponse = HttpResponseNotAllowed(SAFE_METHODS)
        else:
            response = self.get_response(request)
        for name, value in self.headers.items():
            if value:
                response.headers.setdefault(name, value)
        site = getattr(request, "site", None)
        face = getattr(site, "face_css", "") if site is not None else ""
        if face and response.headers.get("Content-Security-Policy") == self.headers.get(
            "Content-Security-Policy"
        ):
            response.headers["Content-Security-Policy"] = policy_with_styles(face)
        return response
