"""Writing an original story at the desk: published like agency copy, where the editor may
publish only, with its picture; scheduled; and every bad input refused with nothing written."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from masthead.demo.pictures import demo_picture
from masthead.network.models import Section, Site
from masthead.newsroom.models import Article, ArticleStatus, AuditEntry, Role, SiteMembership, Story
from masthead.newsroom.services.article import articles_release_scheduled
from masthead.reader.middleware import newsroom_timezone

WRITE = reverse("admin:newsroom_article_write")
BODY = (
    "The harbour board met on Monday.\n\n- What changes -\n\n"
    "Dues rise by <em>four</em> percent.\n\n> It is overdue, a captain said."
)


def _member(code: str, role: str = Role.EDITOR, languages: list[str] | None = None) -> Client:
    user = User.objects.create_user(f"{role}-{code}", "w@example.invalid", "pw", is_staff=True)
    SiteMembership.objects.create(
        user=user, site=Site.objects.get(code=code), role=role, languages=languages or []
    )
    client = Client()
    client.force_login(user)
    return client


def _section(code: str, name: str) -> Section:
    return Section.objects.get(site__code=code, name=name)


def _form(**changes: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "headline": "Harbour dues rise in Antwerp",
        "standfirst": "Ships pay more from January; the board says the quays need mending.",
        "body": BODY,
        "language": "en",
        "when": "now",
    }
    data.update(changes)
    return data


def test_an_editor_writes_a_story_readers_see(network) -> None:
    desk = _member("JdT")
    politics = _section("JdT", "Politics")
    picture = SimpleUploadedFile("quay.jpg", demo_picture("quay"), content_type="image/jpeg")
    answer = desk.post(
        WRITE,
        _form(sections=[politics.pk], picture=picture, caption="The quay", credit="Desk/JdT"),
    )
    assert answer.status_code == 302, answer.content.decode()[:3000]
    article = Article.objects.get(headline="Harbour dues rise in Antwerp")
    assert article.story.provider == "local" and article.story.guid.startswith("urn:masthead:")
    assert article.status == ArticleStatus.PUBLISHED and article.section == politics
    assert article.signature.split("--")[0] in {"P.Claes", "M.Dubois"}
    assert [b["type"] for b in article.body] == ["paragraph", "intertitle", "paragraph", "quote"]
    assert article.picture is not None and article.picture.renditions
    assert article.picture.credit == "Desk/JdT"
    page = Client().get(article.get_absolute_url(), HTTP_HOST="test.localhost")
    assert page.status_code == 200
    text = page.content.decode()
    assert "Harbour dues rise in Antwerp" in text and "<em>four</em>" in text
    assert "What changes" in text
    entry = AuditEntry.objects.get(action="write")
    assert entry.actor == "editor-JdT" and entry.article_id == article.pk


def test_without_sections_the_routes_decide_among_the_editors_sites(network) -> None:
    desk = _member("ZdT")
    answer = desk.post(WRITE, _form(headline="Berlin opens a tram line"))
    assert answer.status_code == 302, answer.content.decode()[:3000]
    story = Story.objects.get(provider="local")
    # The JdT route for English would take it too, but the editor works on ZdT only.
    assert [(a.site.code, a.section.name) for a in story.articles.all()] == [("ZdT", "World")]


def test_a_section_the_editor_does_not_edit_is_refused_even_by_hand(network) -> None:
    desk = _member("ZdT")
    answer = desk.post(WRITE, _form(sections=[_section("JdT", "Politics").pk]))
    assert answer.status_code == 200
    assert "Select a valid choice" in answer.content.decode()
    assert not Story.objects.exists()
    # A language of the site the editor does not work in: not offered, not taken.
    french_only = _member("JdT", languages=["fr"])
    answer = french_only.post(WRITE, _form(sections=[_section("JdT", "Politics").pk]))
    assert answer.status_code == 200 and not Story.objects.exists()


@pytest.mark.parametrize("role", [Role.VIEWER])
def test_a_viewer_may_not_write(network, role: str) -> None:
    assert _member("JdT", role=role).get(WRITE).status_code == 403
    assert _member("ZdT", role=role).post(WRITE, _form()).status_code == 403
    assert not Story.objects.exists()


def test_add_leads_to_the_write_page(network) -> None:
    answer = _member("JdT").get(reverse("admin:newsroom_article_add"))
    assert answer.status_code == 302 and answer["Location"] == WRITE


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"headline": ""}, "This field is required"),
        ({"body": "<img src=x onerror=alert(1)>"}, "at least one non-empty block"),
        ({"when": "at"}, "Give the time to publish at"),
        ({"language": "de"}, "Select a valid choice"),
        ({"headline": "x" * 301}, "at most 300 characters"),
    ],
)
def test_bad_input_is_named_and_nothing_is_written(network, changes, message) -> None:
    desk = _member("JdT")
    answer = desk.post(WRITE, _form(sections=[_section("JdT", "Politics").pk], **changes))
    assert answer.status_code == 200
    assert message in answer.content.decode()
    assert not Story.objects.exists() and not Article.objects.exists()


def test_a_file_that_is_not_a_picture_is_refused(network) -> None:
    desk = _member("JdT")
    fake = SimpleUploadedFile("quay.jpg", b"<svg onload=alert(1)>", content_type="image/jpeg")
    answer = desk.post(
        WRITE, _form(sections=[_section("JdT", "Politics").pk], picture=fake, credit="x")
    )
    assert answer.status_code == 200 and "picture" in answer.content.decode().lower()
    assert not Story.objects.exists()


def test_a_scheduled_story_is_published_at_its_time(network) -> None:
    desk = _member("JdT")
    # Typed in the newsroom's time zone, as the form says.
    at = timezone.localtime(timezone.now() + timedelta(hours=2), newsroom_timezone()).replace(
        second=0, microsecond=0
    )
    answer = desk.post(
        WRITE,
        _form(
            sections=[_section("JdT", "Politics").pk],
            when="at",
            publish_at_0=at.strftime("%Y-%m-%d"),
            publish_at_1=at.strftime("%H:%M:%S"),
        ),
    )
    assert answer.status_code == 302, answer.content.decode()[:3000]
    article = Article.objects.get()
    assert article.status == ArticleStatus.DRAFT and article.publish_at == at
    page = Client().get(article.get_absolute_url(), HTTP_HOST="test.localhost")
    assert page.status_code == 404  # not before its time
    articles_release_scheduled(now=at + timedelta(seconds=30))
    article.refresh_from_db()
    assert article.status == ArticleStatus.PUBLISHED and article.published_at == at


def test_the_standfirst_is_under_the_headline_and_in_the_description(network) -> None:
    desk = _member("JdT")
    desk.post(WRITE, _form(sections=[_section("JdT", "Politics").pk]))
    article = Article.objects.get()
    text = Client().get(article.get_absolute_url(), HTTP_HOST="test.localhost").content.decode()
    standfirst = "Ships pay more from January; the board says the quays need mending."
    assert f'<p class="standfirst">{standfirst}</p>' in text
    assert f'<meta name="description" content="{standfirst}">' in text
