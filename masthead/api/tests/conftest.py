"""Helpers for the API's tests: a client that asks the test site's host; the page cache in
front of Django (`cached`) and a request through it (`call`)."""

from __future__ import annotations

from io import BytesIO
from typing import Any

import pytest
from django.core.handlers.wsgi import WSGIHandler
from django.test import Client

from masthead.delivery.pagecache import page_cache
from masthead.delivery.pagecache.wsgi import PageCacheApp

HOST = "test.localhost"


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


def call(app: Any, path: str, **headers: str) -> tuple[str, dict[str, str], bytes]:
    path, _, query = path.partition("?")
    environ = {
        "REQUEST_METHOD": "GET",
        "PATH_INFO": path,
        "QUERY_STRING": query,
        "SERVER_NAME": "test.localhost",
        "SERVER_PORT": "80",
        "HTTP_HOST": "test.localhost",
        "wsgi.input": BytesIO(b""),
        "wsgi.url_scheme": "http",
        "wsgi.errors": BytesIO(),
        **{f"HTTP_{k.upper()}": v for k, v in headers.items()},
    }
    seen: dict[str, Any] = {}

    def start_response(status: str, headers: list[tuple[str, str]], exc_info: Any = None) -> None:
        seen["status"], seen["headers"] = status, dict(headers)

    body = b"".join(app(environ, start_response))
    return seen["status"], seen["headers"], body
