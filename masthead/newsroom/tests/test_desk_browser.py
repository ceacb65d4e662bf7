"""The desk in a real browser: an editor changes a headline, the agency sends a new version,
the editor sees the comparison and takes the agency's headline; readers see each step."""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.contrib.auth.models import Permission, User

from masthead.conftest import TEST_NETWORK
from masthead.network.models import Site
from masthead.network.services import network_apply
from masthead.network.spec import parse_network
from masthead.newsroom.models import Article, SiteMembership

pytestmark = pytest.mark.browser

CHROMIUM = os.environ.get("MASTHEAD_CHROMIUM", "/usr/bin/chromium")
playwright_api = pytest.importorskip("playwright.sync_api", reason="Playwright is not installed")
if not Path(CHROMIUM).exists():
    pytest.skip(f"no Chromium at {CHROMIUM} (apt install chromium)", allow_module_level=True)
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def _version(folder: Path, version: int) -> Path:
    path = folder / f"v{version}.json"
    path.write_text(
        json.dumps(
            {
                "uri": "urn:test:desk-browser",
                "version": str(version),
                "versioncreated": f"2026-11-30T0{version}:00:00Z",
                "firstcreated": "2026-11-30T01:00:00Z",
                "language": "en",
                "headline": f"Tram depot reopens (version {version})",
                "body_html": f"<p>The depot reopens on Monday, says version {version}.</p>",
            }
        )
    )
    return path


@pytest.fixture
def browser_page() -> Iterator[object]:
    with playwright_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        page = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
        yield page
        browser.close()


def test_edit_agency_update_accept(
    transactional_db, live_server, tmp_path, ingest, browser_page
) -> None:
    page = browser_page
    network_apply(spec=parse_network(TEST_NETWORK, source="test-network.toml"))
    ingest([_version(tmp_path, 1)])
    article = Article.objects.get(site__code="JdT")
    editor = User.objects.create_user(
        "p.claes", "p@example.org", "a-long-pass-phrase", is_staff=True
    )
    for codename in ("view_article", "change_article"):
        editor.user_permissions.add(Permission.objects.get(codename=codename))
    SiteMembership.objects.create(user=editor, site=Site.objects.get(code="JdT"))
    port = live_server.url.rsplit(":", 1)[1]
    admin = f"http://127.0.0.1:{port}/admin/"
    reader = f"http://test.localhost:{port}{article.get_absolute_url()}"

    page.goto(admin)
    page.fill("#id_username", "p.claes")
    page.fill("#id_password", "a-long-pass-phrase")
    page.click("input[type=submit]")
    page.wait_for_load_state()
    page.goto(f"{admin}newsroom/article/{article.pk}/change/")
    page.fill("#id_headline", "The tram depot opens again")
    page.click("input[name=_save]")
    expect = playwright_api.expect
    expect(page.locator(".messagelist")).to_contain_text("was changed successfully")
    # Each visit asks anew: pages may be kept by the browser for a minute (max-age=60).
    page.goto(reader + "?visit=1")
    assert page.locator("h1").inner_text() == "The tram depot opens again"

    ingest([_version(tmp_path, 2)])  # the agency's next version
    page.goto(reader + "?visit=2")
    assert page.locator("h1").inner_text() == "The tram depot opens again"  # the editor's
    assert "says version 2" in page.locator("article").inner_text()  # the body follows

    page.goto(f"{admin}newsroom/article/?agency_updated__exact=1")
    assert "updated since your edit" in page.content()
    page.goto(f"{admin}newsroom/article/{article.pk}/change/")
    assert page.locator("ins").first.inner_text()  # the agency's words, marked
    page.goto(f"{admin}newsroom/article/")
    page.check(f"input[name=_selected_action][value='{article.pk}']")
    page.select_option("select[name=action]", "take_agency_headline")
    page.click("button[name=index]")
    expect(page.locator(".messagelist")).to_contain_text("now show the agency")
    page.goto(reader + "?visit=3")
    assert page.locator("h1").inner_text() == "Tram depot reopens (version 2)"
