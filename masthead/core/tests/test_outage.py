"""A database that cannot be reached: readers get a 503 with Retry-After, the worker says so
once per outage, and every connection has its timeouts."""

from __future__ import annotations

import logging
import os
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.db import InterfaceError, OperationalError, connection
from django.test import Client

from masthead.core import outage
from masthead.newsroom.models import Article

REFUSED = 'connection to server at "127.0.0.1", port 5432 failed: Connection refused'


def _down(*args: Any, **kwargs: Any) -> Any:
    raise OperationalError(REFUSED)


@pytest.fixture(autouse=True)
def _fresh_outage() -> Iterator[None]:
    outage.database_outage.since = None
    yield
    outage.database_outage.since = None


def _lines(caplog: pytest.LogCaptureFixture, text: str) -> list[logging.LogRecord]:
    return [r for r in caplog.records if text in r.getMessage()]


# -- readers ----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_view_that_cannot_reach_the_database_answers_503(
    published: Article, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.setattr("masthead.reader.views._site", _down)
    client = Client(HTTP_HOST="test.localhost", raise_request_exception=False)
    for _ in range(3):
        response = client.get(published.get_absolute_url())
        assert response.status_code == 503
        assert response["Retry-After"] == "30"
        assert response["Cache-Control"] == "no-store"
        assert b"try again" in response.content.lower()
    assert len(_lines(caplog, "database unreachable: connection to server")) == 1


@pytest.mark.parametrize("error", [OperationalError, InterfaceError])
@pytest.mark.django_db
def test_a_middleware_that_cannot_reach_the_database_answers_503(
    published: Article, monkeypatch: pytest.MonkeyPatch, error: type[Exception]
) -> None:
    def down(*args: Any, **kwargs: Any) -> None:
        raise error("server closed the connection unexpectedly")

    # The site lookup runs in SiteMiddleware, before any view.
    monkeypatch.setattr("masthead.reader.middleware.site_for_host", down)
    client = Client(HTTP_HOST="test.localhost", raise_request_exception=False)
    response = client.get("/en/")
    assert response.status_code == 503
    assert response["Retry-After"] == "30"


@pytest.mark.django_db
def test_other_errors_stay_500(published: Article, monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(*args: Any, **kwargs: Any) -> None:
        raise ValueError("a bug, not an outage")

    monkeypatch.setattr("masthead.reader.views._site", broken)
    client = Client(HTTP_HOST="test.localhost", raise_request_exception=False)
    response = client.get(published.get_absolute_url())
    assert response.status_code == 500
    assert "Retry-After" not in response


@pytest.mark.django_db
def test_the_site_answers_again_once_the_database_is_back(
    published: Article, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    client = Client(HTTP_HOST="test.localhost", raise_request_exception=False)
    with monkeypatch.context() as patch:
        patch.setattr("masthead.reader.views._site", _down)
        assert client.get("/en/").status_code == 503
    assert client.get("/en/").status_code == 200
    assert len(_lines(caplog, "database back after")) == 1


# -- the worker -------------------------------------------------------------------------------


def test_a_periodic_task_logs_an_outage_once_and_its_end_once(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    from masthead.wire.tasks import poll_feeds

    closed: list[bool] = []
    monkeypatch.setattr(outage, "close_broken_connection", lambda: closed.append(True))
    caplog.set_level(logging.INFO)
    with monkeypatch.context() as patch:
        patch.setattr("masthead.wire.tasks.sources_due", _down)
        for _ in range(50):
            assert poll_feeds.call_local() is None
    assert len(closed) == 50  # each failed round drops the connection: the next one reconnects
    monkeypatch.setattr("masthead.wire.tasks.sources_due", lambda **kwargs: [])
    assert poll_feeds.call_local() == 0
    assert poll_feeds.call_local() == 0
    down = _lines(caplog, "database unreachable")
    assert [r.getMessage() for r in down] == [f"database unreachable: {REFUSED}"]
    assert len(_lines(caplog, "database back after")) == 1
    assert len(caplog.records) == 2
    assert not any(r.exc_info for r in caplog.records)  # no traceback


def test_every_periodic_task_shares_the_outage(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    from masthead.markets.tasks import refresh_quotes
    from masthead.newsroom.tasks import release_embargoes
    from masthead.wire.tasks import poll_feeds

    monkeypatch.setattr(outage, "close_broken_connection", lambda: None)
    monkeypatch.setattr("masthead.wire.tasks.sources_due", _down)
    monkeypatch.setattr("masthead.newsroom.tasks.story_release_embargoes", _down)
    monkeypatch.setattr("masthead.markets.tasks.quotes_refresh", _down)
    for _ in range(10):
        for task in (poll_feeds, release_embargoes, refresh_quotes):
            assert task.call_local() is None
    assert len(_lines(caplog, "database unreachable")) == 1
    assert len(caplog.records) == 1


def test_the_drop_folder_watcher_logs_an_outage_once(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    from masthead.ops.management.commands.worker import watch_folders

    rounds: list[int] = []
    stop = threading.Event()

    def sources_due(**kwargs: Any) -> list[Any]:
        rounds.append(1)
        if len(rounds) >= 50:
            stop.set()
            return []  # back
        raise OperationalError(REFUSED)

    monkeypatch.setattr("masthead.ops.management.commands.worker.sources_due", sources_due)
    monkeypatch.setattr(outage, "close_broken_connection", lambda: None)
    caplog.set_level(logging.INFO)
    watch_folders(stop, 0.0)
    assert len(rounds) == 50
    assert len(_lines(caplog, "database unreachable")) == 1
    assert len(_lines(caplog, "database back after")) == 1
    assert len(caplog.records) == 2


def test_a_failed_round_leaves_no_connection_behind(monkeypatch: pytest.MonkeyPatch) -> None:
    closed: list[bool] = []
    monkeypatch.setattr(connection, "close", lambda: closed.append(True))

    @outage.tolerate_outage
    def task() -> int:
        raise InterfaceError("connection already closed")

    assert task() is None
    assert closed == [True]


# -- timeouts ---------------------------------------------------------------------------------


def test_every_connection_has_timeouts() -> None:
    database = settings.DATABASES["default"]
    if database["ENGINE"] == "django.db.backends.postgresql":
        assert database["OPTIONS"]["connect_timeout"] == 5
        assert "-c statement_timeout=15000" in database["OPTIONS"]["options"]
    else:
        assert database["OPTIONS"]["timeout"] == 20  # SQLite's busy timeout


@pytest.mark.django_db
def test_postgresql_cancels_a_statement_over_the_web_timeout() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL only (DATABASE_URL=postgres://...)")
    with connection.cursor() as cursor:
        cursor.execute("SHOW statement_timeout")
        assert cursor.fetchone()[0] == "15s"
        # Nor does a page's query wait for the JIT compiler (settings.py says why).
        cursor.execute("SHOW jit")
        assert cursor.fetchone()[0] == "off"
        cursor.execute("SET LOCAL statement_timeout = 50")
        with pytest.raises(OperationalError, match="statement timeout"):
            cursor.execute("SELECT pg_sleep(1)")


@pytest.mark.django_db
def test_masthead_commands_get_the_longer_timeout() -> None:
    """The worker, migrations and other `masthead` commands may take longer than a page."""
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL only (DATABASE_URL=postgres://...)")
    db = connection.settings_dict
    url = f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}"
    masthead = str(Path(sys.executable).parent / "masthead")
    script = (
        "from django.db import connection\n"
        "with connection.cursor() as c:\n"
        "    c.execute('SHOW statement_timeout'); print(c.fetchone()[0])\n"
    )
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "masthead.settings", "DATABASE_URL": url}
    found = subprocess.run(
        [masthead, "shell", "-v", "0", "-c", script],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert found.stdout.strip() == "10min", found.stderr
