"""The desk in a real browser, role by role: an editor writes a story with its picture and
sees the preview as they type; a viewer reads and changes nothing; an editor of one site
cannot reach another's articles; only a chief of every site carrying a story may kill it."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth.models import User

from masthead.conftest import TEST_NETWORK
from masthead.demo.pictures import demo_picture
from masthead.network.models import Site
from masthead.network.services import network_apply
from masthead.network.spec import parse_network
from masthead.newsroom.models import Article, ArticleStatus, Role, SiteMembership
from masthead.newsroom.tests.test_desk_browser import browser_page, playwright_api

pytestmark = pytest.mark.browser
__all__ = ["browser_page"]  # the fixture, shared with the other desk browser test

PASSWORD = "a-long-pass-phrase"


def _member(name: str, role: str, *codes: str) -> User:
    user = User.objects.create_user(name, f"{name}@example.org", PASSWORD, is_staff=True)
    for code in codes:
        SiteMembership.objects.create(user=user, site=Site.objects.get(code=code), role=role)
    return user


def _log_in(page: Any, admin: str, name: str) -> None:
    page.context.clear_cookies()
    page.goto(admin)
    page.fill("#id_username", name)
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
    page.wait_for_load_state()


@pytest.fixture
def desk(transactional_db, live_server, tmp_path, ingest) -> dict[str, Any]:  # type: ignore[no-untyped-def]
    network_apply(spec=parse_network(TEST_NETWORK, source="test-network.toml"))
    doc = {
        "uri": "urn:test:both-sites",
        "language": "en",
        "versioncreated": "2026-11-30T09:00:00Z",
        "headline": "Berlin and Brussels share a tram order",
        "body_html": "<p>Berlin and Brussels order forty trams together.</p>",
    }
    path = tmp_path / "both.json"
    path.write_text(json.dumps(doc))
    ingest([path])
    port = live_server.url.rsplit(":", 1)[1]
    return {
        "admin": f"http://127.0.0.1:{port}/admin/",
        "reader": f"http://test.localhost:{port}",
        "articles": {a.site.code: a for a in Article.objects.select_related("site")},
    }


def test_an_editor_writes_a_story_with_a_picture(desk, browser_page, tmp_path: Path) -> None:
    page, expect = browser_page, playwright_api.expect
    _member("w.editor", Role.EDITOR, "JdT")
    _log_in(page, desk["admin"], "w.editor")
    page.goto(desk["admin"] + "newsroom/article/")
    page.click("text=Write a story")
    page.fill("#id_headline", "Quay dues rise in Antwerp")
    page.fill("#id_standfirst", "Ships pay more from January.")
    page.fill(
        "#id_body", "The board met on Monday.\n\n- What changes -\n\n> Overdue, a captain said."
    )
    # The preview follows the text as it is typed.
    expect(page.locator(".mh-body-preview h2")).to_have_text("What changes")
    expect(page.locator(".mh-body-preview blockquote")).to_have_text("Overdue, a captain said.")
    page.get_by_label("JdT · en · Politics").check()
    picture = tmp_path / "quay.jpg"
    picture.write_bytes(demo_picture("quay"))
    page.set_input_files("#id_picture", str(picture))
    page.fill("#id_caption", "The quay at dawn")
    page.fill("#id_credit", "Desk/JdT")
    page.click("input[name=_save]")
    expect(page.locator(".messagelist")).to_contain_text("written: JdT/Politics (Published)")
    article = Article.objects.get(headline="Quay dues rise in Antwerp")
    page.goto(desk["reader"] + article.get_absolute_url() + "?visit=1")
    assert page.locator("h1").inner_text() == "Quay dues rise in Antwerp"
    assert page.locator(".standfirst").inner_text() == "Ships pay more from January."
    assert page.locator("article h2").first.inner_text() == "What changes"
    assert page.locator("article img").count() >= 1


def test_a_viewer_reads_and_changes_nothing(desk, browser_page) -> None:
    page = browser_page
    _member("v.viewer", Role.VIEWER, "JdT")
    _log_in(page, desk["admin"], "v.viewer")
    page.goto(desk["admin"] + "newsroom/article/")
    assert "Berlin and Brussels share a tram order" in page.content()
    assert page.locator("select[name=action] option[value=pin]").count() == 0
    assert page.locator("text=Write a story").count() == 0
    page.goto(desk["admin"] + f"newsroom/article/{desk['articles']['JdT'].pk}/change/")
    assert page.locator("input[name=_save]").count() == 0  # read only
    answer = page.goto(desk["admin"] + "newsroom/article/write/")
    assert answer is not None and answer.status == 403


def test_an_editor_of_one_site_cannot_reach_another(desk, browser_page) -> None:
    page = browser_page
    _member("z.editor", Role.EDITOR, "ZdT")
    _log_in(page, desk["admin"], "z.editor")
    page.goto(desk["admin"] + "newsroom/article/")
    assert page.locator("#result_list tbody tr").count() == 1  # ZdT's article only
    assert page.locator("select[name=action] option[value=kill_story]").count() == 0
    page.goto(desk["admin"] + f"newsroom/article/{desk['articles']['JdT'].pk}/change/")
    assert "Berlin and Brussels share a tram order" not in page.locator("#content").inner_text()


def test_only_a_chief_of_every_site_kills(desk, browser_page) -> None:
    page, expect = browser_page, playwright_api.expect
    zdt = desk["articles"]["ZdT"]
    _member("z.chief", Role.CHIEF, "ZdT")
    _log_in(page, desk["admin"], "z.chief")
    page.goto(desk["admin"] + "newsroom/article/")
    page.check(f"input[name=_selected_action][value='{zdt.pk}']")
    page.select_option("select[name=action]", "kill_story")
    page.click("button[name=index]")
    expect(page.locator(".messagelist")).to_contain_text("you are not chief editor on all")
    assert Article.objects.get(pk=zdt.pk).status == ArticleStatus.PUBLISHED
    _member("chief", Role.CHIEF, "ZdT", "JdT")
    _log_in(page, desk["admin"], "chief")
    page.goto(desk["admin"] + "newsroom/article/")
    page.check(f"input[name=_selected_action][value='{zdt.pk}']")
    page.select_option("select[name=action]", "kill_story")
    page.click("button[name=index]")
    page.fill("textarea[name=reason], input[name=reason]", "Wrong figures")
    page.click("input[type=submit]")
    expect(page.locator(".messagelist")).to_contain_text("Killed 1 story")
    answer = page.goto(desk["reader"] + desk["articles"]["JdT"].get_absolute_url() + "?v=2")
    assert answer is not None and answer.status == 410
