"""The OpenAPI document, the docs page, and every endpoint tried against the document with
requests schemathesis generates from it (a few dozen per endpoint, to stay fast)."""

from __future__ import annotations

import re
from typing import Any

import schemathesis
from django.contrib.staticfiles import finders
from django.core import signals
from django.core.handlers.wsgi import WSGIHandler
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.checks import positive_data_acceptance

from masthead.api.api import api as ninja_api


class DjangoApp:
    """Django's WSGI handler, without closing the database connection at the end of each
    request (the test's transaction holds it), as Django's own test client does."""

    def __init__(self) -> None:
        self.handler = WSGIHandler()

    def __call__(self, environ: dict[str, Any], start_response: Any) -> list[bytes]:
        signals.request_started.disconnect(close_old_connections)
        signals.request_finished.disconnect(close_old_connections)
        try:
            answer = self.handler(environ, start_response)
            body = b"".join(answer)
            answer.close()  # type: ignore[attr-defined]
            return [body]
        finally:
            signals.request_started.connect(close_old_connections)
            signals.request_finished.connect(close_old_connections)


# A value of these can have the documented shape and still be refused with a 400: a cursor
# the API never gave (`0`), a date that does not exist (2026-02-30T10:00:00Z). For requests
# with them, a 400 is not taken as a valid request refused; every other check still runs.
NOT_EVERY_MATCH_IS_VALID = {"cursor", "since", "updated_since"}

schema = schemathesis.openapi.from_dict(ninja_api.get_openapi_schema())
schema.app = DjangoApp()


def test_the_document_describes_every_endpoint(api, network) -> None:
    document = api("/api/v1/openapi.json").json()
    assert document["openapi"].startswith("3.")
    assert set(document["paths"]) == {
        "/api/v1/site",
        "/api/v1/articles",
        "/api/v1/articles/{language}/{story_id}",
        "/api/v1/sections",
        "/api/v1/search",
        "/api/v1/ticker",
        "/api/v1/wire",
    }
    assert "Ninjs" in document["components"]["schemas"]


def test_the_docs_page_loads_nothing_from_elsewhere(api, network) -> None:
    page = api("/api/v1/docs")
    assert page.status_code == 200
    html = page.content.decode()
    addresses = re.findall(r"""(?:src|href)=["']([^"']+)""", html)
    assert addresses
    for address in addresses:
        assert address.startswith("/static/ninja/"), address
        assert finders.find(address.removeprefix("/static/")), address
    # The reader's policy applies: scripts from this site only.
    assert "script-src 'self'" in page["Content-Security-Policy"]
    assert '"validatorUrl": null' in html  # Swagger UI's badge would load from the internet


@schema.parametrize()
@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
def test_every_endpoint_answers_as_its_document_says(case, published) -> None:
    excluded = []
    if set(case.query or {}) & NOT_EVERY_MATCH_IS_VALID:
        excluded.append(positive_data_acceptance)
    case.call_and_validate(headers={"Host": "test.localhost"}, excluded_checks=excluded)
