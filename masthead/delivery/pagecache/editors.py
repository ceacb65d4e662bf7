"""Editors as the page cache sees them, and the brakes on the admin login that keep readers
served.

Who skips the cache: a request with a session cookie used to skip it, so `Cookie: sessionid=x`
made every page a full render (docs/reliability.md has the figures). Now only a request carrying
both the session cookie and an editor marker signed for that very session skips it. The marker
(`masthead_editor`) is set on admin responses to an active staff user and taken away on the
others (after logout), and checked before Django runs by one HMAC, without the database: a
forged or stale session id costs nothing more than a cache hit. (The other way, looking the
session up and caching the answer for a few seconds, would still cost a query for each new
forged id.) A marker outlives a logout only in a browser that did not get the logout response;
it then skips the cache, which is all it can do, until SESSION_COOKIE_AGE.

The login: django-axes locks a username from one address after MASTHEAD_LOGIN_FAILURE_LIMIT
failures (settings.py); `lockout_response` is the page it answers then. A password check is
a deliberately slow hash (PBKDF2, 0.2-0.3 s of one core here, docs/reliability.md):
`LoginThrottleMiddleware` lets at most MASTHEAD_LOGIN_CONCURRENCY admin logins run at once per
web process and answers the others at once with a 503 "busy, try again", instead of making them
wait, so a flood of logins holds one web thread per process, never all of them.
"""

from __future__ import annotations

import hmac
import threading
from collections.abc import Callable
from datetime import timedelta
from hashlib import blake2b
from typing import Any

from django.conf import settings
from django.core import signing
from django.http import HttpRequest, HttpResponse
from django.http.cookie import parse_cookie
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.safestring import mark_safe

EDITOR_COOKIE = "masthead_editor"
_SALT = "masthead.delivery.pagecache.editor"
ADMIN_PREFIX = "/admin/"

LOGIN_CONCURRENCY = max(1, int(getattr(settings, "MASTHEAD_LOGIN_CONCURRENCY", 1)))
password_checks = threading.BoundedSemaphore(LOGIN_CONCURRENCY)


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


_PAGE = (
    '<!doctype html><html lang="en"><head><meta charset="utf-8">'
    '<meta name="viewport" content="width=device-width, initial-scale=1"><title>{}</title>'
    "<style>body{{font:1.1rem/1.5 Georgia,serif;max-width:40rem;margin:3rem auto;"
    "padding:0 1rem;color:#1a1a1a}}</style></head><body><main><h1>{}</h1>{}</main></body></html>"
)


class LoginThrottleMiddleware:
    """At most LOGIN_CONCURRENCY admin logins (password checks) at once in this process; the
    others are answered at once, without a hash, and are not counted as failures."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.login_path = ""

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.method != "POST" or not request.path_info.startswith(ADMIN_PREFIX):
            return self.get_response(request)
        if not self.login_path:
            self.login_path = reverse("admin:login")
        if request.path_info != self.login_path:
            return self.get_response(request)
        if not password_checks.acquire(blocking=False):
            return busy_response()
        try:
            return self.get_response(request)
        finally:
            password_checks.release()


def busy_response() -> HttpResponse:
    body = format_html(
        _PAGE,
        "Busy",
        "Too many logins at once",
        mark_safe(  # a constant
            "<p>Other logins are being checked at this moment. Nothing was checked for yours: "
            "please try again in a few seconds.</p>"
        ),
    )
    response = HttpResponse(body, status=503)
    response["Retry-After"] = "5"
    response["Cache-Control"] = "no-store"
    return response


def lockout_response(
    request: HttpRequest, original_response: Any = None, credentials: Any = None
) -> HttpResponse:
    """django-axes' answer to a login while locked out (AXES_LOCKOUT_CALLABLE)."""
    cool_off: timedelta = settings.AXES_COOLOFF_TIME
    minutes = int(cool_off.total_seconds() // 60)
    until = timezone.localtime(timezone.now() + cool_off)
    body = format_html(
        _PAGE,
        "Login locked",
        "Too many failed logins",
        format_html(
            "<p>After {} wrong passwords, logging in with this username from your address is "
            "locked for {} minutes: until {} ({}). Each new attempt meanwhile starts the wait "
            "again.</p><p>Another address, or another account, is not affected. An "
            "administrator can lift the lock at once in the admin (<em>Axes: access "
            "attempts</em>) or with <code>masthead axes_reset_username USERNAME</code>.</p>"
            '<p><a href="{}">Back to the login page</a></p>',
            settings.AXES_FAILURE_LIMIT,
            minutes,
            until.strftime("%H:%M"),
            until.tzname(),
            reverse("admin:login"),
        ),
    )
    response = HttpResponse(body, status=429)
    response["Retry-After"] = str(int(cool_off.total_seconds()))
    response["Cache-Control"] = "no-store"
    return response
