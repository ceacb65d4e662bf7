"""The database going away: a 503 for readers, one log line per outage for the operator.

Web: `DatabaseOutageMiddleware` turns a database error (`OperationalError`, `InterfaceError`)
into a 503 with `Retry-After` instead of a 500. A view's error is caught in process_exception;
one raised by a middleware further in (the site lookup) reaches Django's 500 handler first, and
is recognised here by the mark the page cache sets from `got_request_exception`. The request is
marked either way, so the page cache in front (when on) answers an expired copy of the page
instead, if it still has one (masthead/delivery/pagecache/wsgi.py); the 503 page is its own.

Worker: the periodic tasks and the drop-folder watcher run every few seconds; during an outage
each round failed with a traceback (13,000 lines in five minutes). `tolerate_outage` and
`database_outage` make it one line when the outage starts ("database unreachable: ...") and one
when it ends ("database back after N s"), and close the broken connection so that the next round
connects again.
"""

from __future__ import annotations

import contextlib
import functools
import logging
import sys
import threading
import time
from collections.abc import Callable
from typing import Any, ParamSpec, TypeVar

from django.core.signals import got_request_exception
from django.db import DatabaseError, InterfaceError, OperationalError, connection
from django.http import HttpRequest, HttpResponse

log = logging.getLogger("masthead.database")

# Set on the request (its environ) when Django failed on the database (delivery/pagecache/wsgi.py).
DATABASE_DOWN = "masthead.pagecache.database_down"
RETRY_AFTER = "30"
UNAVAILABLE = (
    b'<!doctype html>\n<html lang="en"><head><meta charset="utf-8">'
    b'<meta name="viewport" content="width=device-width, initial-scale=1">'
    b"<title>Temporarily unavailable</title><style>body{font:1.1rem/1.5 Georgia,serif;"
    b"max-width:40rem;margin:3rem auto;padding:0 1rem;color:#1a1a1a}</style></head>"
    b"<body><main><h1>Temporarily unavailable</h1><p>This page cannot be shown just now. "
    b"Please try again in a moment.</p></main></body></html>"
)


# What a database that cannot be reached raises: refused or timed-out connections, a server
# that went away mid-query, a statement cancelled by statement_timeout, SQLite's busy timeout.
OUTAGE_ERRORS = (OperationalError, InterfaceError)

P = ParamSpec("P")
R = TypeVar("R")


class Outage:
    """Whether the database is down as this process last saw it; says so once each way."""

    def __init__(self) -> None:
        self.since: float | None = None
        self._lock = threading.Lock()

    def failed(self, exc: BaseException) -> None:
        with self._lock:
            if self.since is not None:
                return
            self.since = time.monotonic()
        first = (str(exc).strip().splitlines() or [type(exc).__name__])[0]
        log.error("database unreachable: %s", first)

    def ok(self) -> None:
        if self.since is None:  # the usual case: no lock taken
            return
        with self._lock:
            since, self.since = self.since, None
        if since is not None:
            log.warning("database back after %.0f s", time.monotonic() - since)


database_outage = Outage()


def close_broken_connection() -> None:
    """Drop this thread's connection, so that the next query connects again."""
    with contextlib.suppress(DatabaseError):  # Django forgets it even when closing fails
        connection.close()


def tolerate_outage(task: Callable[P, R]) -> Callable[P, R | None]:
    """For work repeated every few seconds: a database outage is logged once (not a traceback
    per round) and the round returns None; the next round tries again on a new connection."""

    @functools.wraps(task)
    def run(*args: P.args, **kwargs: P.kwargs) -> R | None:
        try:
            result = task(*args, **kwargs)
        except OUTAGE_ERRORS as exc:
            database_outage.failed(exc)
            close_broken_connection()
            return None
        database_outage.ok()
        return result

    return run


def _request_failed(sender: Any, request: HttpRequest | None = None, **kwargs: Any) -> None:
    """Django is about to answer 500 for an exception (sent from its `except` block, for a
    view's or a middleware's): note an outage, and mark the request for the page cache."""
    exc = sys.exc_info()[1]
    if request is not None and isinstance(exc, OUTAGE_ERRORS):
        database_outage.failed(exc)
        request.META[DATABASE_DOWN] = True


got_request_exception.connect(_request_failed, dispatch_uid="masthead-database-outage")


def unavailable() -> HttpResponse:
    """The 503 page: no template, no database."""
    response = HttpResponse(UNAVAILABLE, status=503, content_type="text/html; charset=utf-8")
    response["Retry-After"] = RETRY_AFTER
    response["Cache-Control"] = "no-store"
    return response


class DatabaseOutageMiddleware:
    """A database error while answering becomes a 503 with Retry-After, not a 500. Placed
    before the middleware that query the database (SiteMiddleware), so that it sees theirs."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if request.META.get(DATABASE_DOWN):
            if response.status_code == 500:  # raised by a middleware: Django's 500 page
                return unavailable()
        elif database_outage.since is not None and connection.connection is not None:
            database_outage.ok()  # this request had a working connection
        return response

    def process_exception(self, request: HttpRequest, exception: Exception) -> Any:
        if not isinstance(exception, OUTAGE_ERRORS):
            return None  # a bug stays a 500
        database_outage.failed(exception)
        request.META[DATABASE_DOWN] = True  # the page cache may have an older copy
        return unavailable()
