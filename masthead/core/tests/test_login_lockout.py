"""A brake on admin logins: five wrong passwords lock that username from that address for a
while (django-axes), password checks never take every web thread, and none of it costs a
reader page a query."""

from __future__ import annotations

import time
from datetime import timedelta
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test import Client
from django.utils import timezone

from masthead.delivery.pagecache import page_cache
from masthead.delivery.pagecache.wsgi import PageCacheApp
from masthead.delivery.tests.test_pagecache import Recorder, call
from masthead.newsroom.models import Article

PASSWORD = "correct horse battery staple"


@pytest.fixture
def editors(db: None) -> None:
    users = get_user_model().objects
    users.create_user("lena", password=PASSWORD, is_staff=True)
    users.create_user("ines", password=PASSWORD, is_staff=True)


def login(username: str, password: str, ip: str = "203.0.113.7") -> Any:
    return Client().post(
        "/admin/login/",
        {"username": username, "password": password, "next": "/admin/"},
        HTTP_HOST="test.localhost",
        REMOTE_ADDR=ip,
    )


def logged_in(response: Any) -> bool:
    return response.status_code == 302 and response.url == "/admin/"


def test_five_wrong_passwords_then_the_right_one_is_refused(editors) -> None:
    for _ in range(4):
        response = login("lena", "wrong")
        assert response.status_code == 200  # the form again, with its error
    assert login("lena", "wrong").status_code == 429  # the fifth: locked from now on
    response = login("lena", PASSWORD)
    assert not logged_in(response)
    assert response.status_code == 429
    assert int(response["Retry-After"]) == 15 * 60
    page = response.content.decode()
    assert "Too many failed logins" in page and "15 minutes" in page
    assert "sessionid" not in response.cookies or not response.cookies["sessionid"].value


def test_four_wrong_passwords_do_not_lock(editors) -> None:
    for _ in range(4):
        login("lena", "wrong")
    assert logged_in(login("lena", PASSWORD))


def test_a_success_forgets_earlier_failures(editors) -> None:
    for _ in range(4):
        login("lena", "wrong")
    assert logged_in(login("lena", PASSWORD))
    for _ in range(4):
        login("lena", "wrong")
    assert logged_in(login("lena", PASSWORD))


def test_the_lock_holds_only_that_username_from_that_address(editors) -> None:
    for _ in range(6):
        login("lena", "wrong")
    assert login("lena", PASSWORD).status_code == 429
    assert logged_in(login("ines", PASSWORD))  # another user, same address
    assert logged_in(login("lena", PASSWORD, ip="198.51.100.20"))  # same user, elsewhere


def test_the_lock_ends_after_fifteen_minutes(editors) -> None:
    from axes.models import AccessAttempt

    for _ in range(5):
        login("lena", "wrong")
    assert login("lena", PASSWORD).status_code == 429
    AccessAttempt.objects.update(attempt_time=timezone.now() - timedelta(minutes=16))
    assert logged_in(login("lena", PASSWORD))


def test_a_login_while_another_password_is_checked_answers_at_once(editors) -> None:
    from masthead.delivery.pagecache import editors as module

    held = [module.password_checks.acquire(blocking=False) for _ in range(module.LOGIN_CONCURRENCY)]
    assert all(held)
    try:
        started = time.monotonic()
        response = login("lena", PASSWORD)
        assert time.monotonic() - started < 1
        assert response.status_code == 503 and response["Retry-After"]
        assert "try again" in response.content.decode().lower()
    finally:
        for _ in held:
            module.password_checks.release()
    # Not counted as a failure: the next try goes through.
    assert logged_in(login("lena", PASSWORD))


# Reader pages: the same queries as before django-axes and the editor cookie were added (a
# rendered page), none at all from the page cache, whatever cookie comes with the request.
# Each page reads the breaking-news strip (one query); the article also its section's latest.
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize(("name", "queries"), [("home", 8), ("article", 8), ("search", 6)])
def test_reader_pages_run_no_more_queries(
    published_tx: Article, django_assert_num_queries, name: str, queries: int
) -> None:
    if name == "search" and connection.vendor == "postgresql":
        queries += 1  # the probe that decides how the matches are found (search/postgres.py)
    path = {
        "home": "/en/",
        "article": published_tx.get_absolute_url(),
        "search": "/en/search?q=port",
    }[name]
    page_cache().clear()
    app = PageCacheApp(Recorder())
    with django_assert_num_queries(queries):
        status, headers, _ = call(app, path, cookie="sessionid=forged")
    assert status.startswith("200") and headers["X-Cache"] == "MISS"
    with django_assert_num_queries(0):
        for cookie in ("sessionid=forged", "sessionid=x; masthead_editor=y", "a=b"):
            _, headers, _ = call(app, path, cookie=cookie)
            assert headers["X-Cache"] == "HIT"
    page_cache().clear()
