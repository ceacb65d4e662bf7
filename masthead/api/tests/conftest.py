"""Helpers for the API's tests: a client that asks the test site's host; the page cache in
front of Django (`cached`) and a request through it (`call`)."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.handlers.wsgi import WSGIHandler
from django.test import Client

from masthead.delivery.pagecache import page_cache
from masthead.delivery.pagecache.wsgi import PageCacheApp
from masthead.delivery.tests.test_pagecache import call

HOST = "test.localhost"
__all__ = ["call"]  # a request through the page cache, as the page cache's tests make it


@pytest.fixture
def api(client: Client) -> Any:
    def get(path: str, **headers: Any) -> Any:
        return client.get(path, HTTP_HOST=headers.pop("host", HOST), **headers)

    return get


class Recorder:
    def __init__(self) -> None:
        self.django = WSGIHandler()
        self.calls: list[str] = []

    def __call__(self, environ: dict[str, Any], start_response: Any) -> Any:
        self.calls.append(environ["PATH_INFO"] + "?" + environ["QUERY_STRING"])
        return self.django(environ, start_response)


@pytest.fixture
def cached() -> Any:
    page_cache().clear()
    recorder = Recorder()
    app = PageCacheApp(recorder)
    app.recorder = recorder  # type: ignore[attr-defined]
    yield app
    page_cache().clear()
