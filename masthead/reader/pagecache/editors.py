"""Editors as the page cache sees them.

Who skips the cache: a request with a session cookie used to skip it, so `Cookie: sessionid=x`
made every page a full render (docs/reliability.md has the figures). Now only a request carrying
both the session cookie and an editor marker signed for that very session skips it. The marker
(`masthead_editor`) is set on admin responses to an active staff user and taken away on the
others (after logout), and checked before Django runs by one HMAC, without the database: a
forged or stale session id costs nothing more than a cache hit. (The other way, looking the
session up and caching the answer for a few seconds, would still cost a query for each new
forged id.) A marker outlives a logout only in a browser that did not get the logout response;
it then skips the cache, which is all it can do, until SESSION_COOKIE_AGE.
"""

from __future__ import annotations

import hmac
from collections.abc import Callable
from hashlib import blake2b

from django.conf import settings
from django.core import signing
from django.http import HttpRequest, HttpResponse
from django.http.cookie import parse_cookie

EDITOR_COOKIE = "masthead_editor"
_SALT = "masthead.reader.pagecache.editor"
ADMIN_PREFIX = "/admin/"


def _digest(session_key: str) -> str:
    return blake2b(session_key.encode(), digest_size=16).hexdigest()


def editor_marker(session_key: str) -> str:
    """The marker cookie's value for one editor session."""
    return signing.TimestampSigner(salt=_SALT).sign(_digest(session_key))


def marker_matches(marker: str, session_key: str) -> bool:
    try:
        value = signing.TimestampSigner(salt=_SALT).unsign(
            marker, max_age=settings.SESSION_COOKIE_AGE
        )
    except signing.BadSignature:
        return False
    return hmac.compare_digest(value, _digest(session_key))


def editor_request(cookie_header: str) -> bool:
    """Does this Cookie header belong to a logged-in editor? No database, one HMAC at most."""
    name = settings.SESSION_COOKIE_NAME
    if f"{name}=" not in cookie_header or f"{EDITOR_COOKIE}=" not in cookie_header:
        return False
    cookies = parse_cookie(cookie_header)
    session, marker = cookies.get(name), cookies.get(EDITOR_COOKIE)
    return bool(session and marker and marker_matches(marker, session))


class EditorCookieMiddleware:
    """Keeps the editor marker in step with the admin session. Only admin responses are looked
    at: a reader page never loads its session or user here."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if request.path_info.startswith(ADMIN_PREFIX):
            self.sync(request, response)
        return response

    @staticmethod
    def sync(request: HttpRequest, response: HttpResponse) -> None:
        user = getattr(request, "user", None)
        session = getattr(request, "session", None)
        key = session.session_key if session is not None else None
        current = request.COOKIES.get(EDITOR_COOKIE, "")
        if user is not None and user.is_active and user.is_staff and key:
            if not current or not marker_matches(current, key):
                response.set_cookie(
                    EDITOR_COOKIE,
                    editor_marker(key),
                    max_age=settings.SESSION_COOKIE_AGE,
                    secure=settings.SESSION_COOKIE_SECURE,
                    httponly=True,
                    samesite="Lax",
                )
        elif current:
            response.delete_cookie(EDITOR_COOKIE, samesite="Lax")
