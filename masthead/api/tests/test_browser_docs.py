"""The docs page in a real browser: Swagger UI runs under the reader's Content-Security-Policy,
loads nothing from another host, and lists the endpoints from the OpenAPI document."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from masthead.conftest import TEST_NETWORK
from masthead.network.services import network_apply
from masthead.network.spec import parse_network

pytestmark = pytest.mark.browser

CHROMIUM = os.environ.get("MASTHEAD_CHROMIUM", "/usr/bin/chromium")
playwright_api = pytest.importorskip("playwright.sync_api", reason="Playwright is not installed")
if not Path(CHROMIUM).exists():
    pytest.skip(f"no Chromium at {CHROMIUM} (apt install chromium)", allow_module_level=True)
# Playwright's sync API runs an event loop in this thread; the test's own database work is
# still synchronous (as in the reader's browser tests).
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture
def browser() -> Iterator[object]:
    with playwright_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        yield browser
        browser.close()


def test_the_docs_page_works_offline_under_the_policy(
    transactional_db, live_server, browser
) -> None:
    network_apply(spec=parse_network(TEST_NETWORK, source="test-network.toml"))
    port = live_server.url.rsplit(":", 1)[1]
    base = f"http://test.localhost:{port}"
    context = browser.new_context()
    page = context.new_page()
    elsewhere: list[str] = []
    errors: list[str] = []

    def route(request_route) -> None:
        host = urlsplit(request_route.request.url).netloc
        if host != f"test.localhost:{port}" and not request_route.request.url.startswith("data:"):
            elsewhere.append(request_route.request.url)
            request_route.abort()
        else:
            request_route.continue_()

    page.route("**/*", route)
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(f"{base}/api/v1/docs")
    page.wait_for_selector(".opblock-summary-path", timeout=15000)
    paths = page.locator(".opblock-summary-path").all_inner_texts()
    assert any("/api/v1/articles" in p for p in paths), paths
    assert elsewhere == []
    assert not [e for e in errors if "Content Security Policy" in e], errors
    context.close()
