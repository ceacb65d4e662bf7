"""The admin's actions need their permission; a kill is asked first, recorded and final;
only a change of text is an update; links to the reader's pages keep the admin's port."""

import json
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import pytest
from django.contrib.auth.models import Permission, User
from django.contrib.messages import get_messages
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from masthead.network.models import Section, Site
from masthead.newsroom.models import (
    Article,
    ArticleStatus,
    Role,
    SiteMembership,
    Story,
    StoryStatus,
)
from masthead.newsroom.services.article import article_edit
from masthead.newsroom.services.bodytext import body_to_text
from masthead.newsroom.services.story import story_kill
from masthead.reader.middleware import newsroom_timezone

CHANGELIST = "admin:newsroom_article_changelist"

Staff = Callable[..., Client]


@pytest.fixture
def staff(db: None) -> Staff:
    """A logged-in member of staff holding `role` on every site of the network, and these
    model permissions ("app.codename") besides (test_site_rights.py tries fewer sites)."""

    def make(*perms: str, name: str = "desk", role: str = Role.EDITOR) -> Client:
        user = User.objects.create_user(name, f"{name}@example.invalid", "pw", is_staff=True)
        for site in Site.objects.all():
            SiteMembership.objects.create(user=user, site=site, role=role)
        for perm in perms:
            app_label, codename = perm.split(".")
            user.user_permissions.add(
                Permission.objects.get(content_type__app_label=app_label, codename=codename)
            )
        client = Client()
        client.force_login(user)
        return client

    return make


def _action(client: Client, action: str, *articles: Article, **extra: str):  # type: ignore[no-untyped-def]
    return client.post(
        reverse(CHANGELIST),
        {"action": action, "_selected_action": [a.pk for a in articles], **extra},
    )


def _messages(response) -> list[str]:  # type: ignore[no-untyped-def]
    return [str(m) for m in get_messages(response.wsgi_request)]


# 1. Every action checks its permission.


@pytest.mark.parametrize("action", ["pin", "unpin", "kill_story"])
def test_view_only_staff_is_not_offered_the_actions(staff: Staff, published, action) -> None:
    page = staff(role=Role.VIEWER).get(reverse(CHANGELIST))
    assert page.status_code == 200
    assert f'value="{action}"' not in page.content.decode()


def test_view_only_staff_cannot_pin_unpin_or_kill(staff: Staff, published: Article) -> None:
    client = staff(role=Role.VIEWER)
    _action(client, "pin", published)
    published.refresh_from_db()
    assert not published.pinned
    Article.objects.filter(pk=published.pk).update(pinned=True)
    _action(client, "unpin", published)
    published.refresh_from_db()
    assert published.pinned
    response = _action(client, "kill_story", published, post="yes", reason="Legal request")
    assert response.status_code in (200, 302, 403)
    published.refresh_from_db()
    assert published.status == ArticleStatus.PUBLISHED
    assert Story.objects.get().status == StoryStatus.USABLE


def test_changing_articles_is_not_the_right_to_kill(staff: Staff, published: Article) -> None:
    client = staff(role=Role.EDITOR)
    assert 'value="kill_story"' not in client.get(reverse(CHANGELIST)).content.decode()
    _action(client, "kill_story", published, post="yes", reason="Legal request")
    published.refresh_from_db()
    assert published.status == ArticleStatus.PUBLISHED
    # Nor through the change form, one article at a time.
    url = reverse("admin:newsroom_article_change", args=[published.pk])
    response = client.post(url, _form(published, status="killed"))
    assert response.status_code == 200
    assert "use the action" in response.content.decode()
    published.refresh_from_db()
    assert published.status == ArticleStatus.PUBLISHED


def test_change_permission_pins_and_unpins(staff: Staff, published: Article) -> None:
    client = staff(role=Role.EDITOR)
    assert _action(client, "pin", published).status_code == 302
    published.refresh_from_db()
    assert published.pinned
    _action(client, "unpin", published)
    published.refresh_from_db()
    assert not published.pinned


def test_kill_permission_kills(staff: Staff, published: Article) -> None:
    client = staff(name="chief", role=Role.CHIEF)
    assert 'value="kill_story"' in client.get(reverse(CHANGELIST)).content.decode()
    assert (
        _action(client, "kill_story", published, post="yes", reason="Legal request").status_code
        == 302
    )
    published.refresh_from_db()
    assert published.status == ArticleStatus.KILLED
    story = Story.objects.get()
    assert (story.status, story.killed_by) == (StoryStatus.CANCELED, "chief")
    assert story.killed_at is not None


# 2. Killing asks first, says who, and is final.


@pytest.fixture
def editor(db: None) -> Client:
    user = User.objects.create_superuser("editor", "editor@example.invalid", "pw")
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def berlin(published: Article, wire_dir: Path, ingest) -> Story:  # type: ignore[no-untyped-def]
    """A second story, carried by two sites (the test site and the Zeitung's English page)."""
    item = json.loads((wire_dir / "harbour-talks.json").read_text())
    item.pop("associations")
    item["uri"] = "urn:newsml:meridianwire.example:20261120:berlin-talks"
    item["headline"] = "Berlin joins the port cities' talks"
    path = wire_dir / "berlin-talks.json"
    path.write_text(json.dumps(item))
    (outcome,) = ingest([path])
    assert outcome.action == "created", outcome.error
    story = Story.objects.get(guid=item["uri"])
    assert story.articles.count() == 2
    return story


def test_kill_asks_first_and_names_every_site(
    editor: Client, published: Article, berlin: Story
) -> None:
    other = berlin.articles.get(site__code="JdT")
    response = _action(editor, "kill_story", published, other)
    assert response.status_code == 200
    page = response.content.decode()
    assert "admin/newsroom/article/kill_story_confirmation.html" in [
        t.name for t in response.templates
    ]
    for story in (published.story, berlin):
        assert f"Story {story.pk}" in page
    assert page.count('class="kill-article"') == 3
    assert "Journal de Test (JdT), en" in page and "Zeitung der Tests (ZdT), en" in page
    assert 'name="post" value="yes"' in page and "Cancel" in page
    assert Article.objects.filter(status=ArticleStatus.KILLED).count() == 0  # not yet

    response = _action(editor, "kill_story", published, other, post="yes", reason="Legal request")
    assert response.status_code == 302
    assert _messages(response) == ["Killed 2 stories on 3 articles."]
    assert Article.objects.exclude(status=ArticleStatus.KILLED).count() == 0
    assert set(Story.objects.values_list("killed_by", flat=True)) == {"editor"}


def test_kill_message_singular(editor: Client, published: Article) -> None:
    response = _action(editor, "kill_story", published, post="yes", reason="Legal request")
    assert _messages(response) == ["Killed 1 story on 1 article."]


def test_gone_page_says_who_withdrew_it(
    editor: Client, published: Article, berlin: Story, wire_dir: Path, ingest
) -> None:  # type: ignore[no-untyped-def]
    _action(editor, "kill_story", published, post="yes", reason="Legal request")
    item = json.loads((wire_dir / "harbour-talks.json").read_text())
    item.update(
        uri="urn:newsml:meridianwire.example:20261120:berlin-talks",
        version="3",
        pubstatus="canceled",
    )
    item.pop("associations")
    path = wire_dir / "berlin-kill.json"
    path.write_text(json.dumps(item))
    (outcome,) = ingest([path])
    assert outcome.action == "killed", outcome.error
    berlin.refresh_from_db()
    assert berlin.killed_by == "agency" and berlin.killed_at is not None

    reader = Client()
    by_editors = reader.get(published.get_absolute_url(), HTTP_HOST="test.localhost")
    assert by_editors.status_code == 410
    assert "withdrawn by the editors" in by_editors.content.decode()
    assert "news agency" not in by_editors.content.decode()
    by_agency = berlin.articles.get(site__code="JdT")
    page = reader.get(by_agency.get_absolute_url(), HTTP_HOST="test.localhost")
    assert page.status_code == 410
    assert "withdrawn by the news agency" in page.content.decode()


def test_story_kill_records_who() -> None:
    from masthead.newsroom.services.story import _killed_by

    assert _killed_by("wire MWA v3") == "agency"
    assert _killed_by("editor lena") == "lena"


def test_a_killed_article_cannot_be_republished(editor: Client, published: Article) -> None:
    story_kill(story=published.story, source="editor lena", by="lena")
    published.refresh_from_db()
    url = reverse("admin:newsroom_article_change", args=[published.pk])
    response = editor.post(url, _form(published, status="published"))
    assert response.status_code == 200
    assert "a killed story cannot be republished;" in response.content.decode()
    published.refresh_from_db()
    assert published.status == ArticleStatus.KILLED
    # Saving it as it is (killed) still works.
    assert editor.post(url, _form(published)).status_code == 302


def test_a_story_status_is_not_edited_in_the_admin(editor: Client, published: Article) -> None:
    page = editor.get(reverse("admin:newsroom_story_change", args=[published.story_id]))
    assert 'name="status"' not in page.content.decode()


# 3. Only a change of text is an update.


def _local(value: datetime | None, prefix: str) -> dict[str, str]:
    if value is None:
        return {f"{prefix}_0": "", f"{prefix}_1": ""}
    value = timezone.localtime(value, newsroom_timezone())  # the zone the admin reads in
    return {f"{prefix}_0": value.strftime("%Y-%m-%d"), f"{prefix}_1": value.strftime("%H:%M:%S")}


def _form(article: Article, **changes: str) -> dict[str, str]:
    data = {
        "section": str(article.section_id),
        "slug": article.slug,
        "headline": article.headline,
        "body": body_to_text(article.body),
        "picture": str(article.picture_id or ""),
        "signature": article.signature,
        "source_agency": article.source_agency,
        "status": article.status,
        **_local(article.published_at, "published_at"),
        **_local(article.updated_at, "updated_at"),
        "revisions-TOTAL_FORMS": "0",
        "revisions-INITIAL_FORMS": str(article.revisions.count()),
        "revisions-MIN_NUM_FORMS": "0",
        "revisions-MAX_NUM_FORMS": "1000",
    }
    if article.pinned:
        data["pinned"] = "on"
    data.update(changes)
    return data


def test_moving_or_pinning_is_not_an_update(editor: Client, published: Article) -> None:
    stamp = datetime(2026, 11, 20, 10, 40, 0, 123456, tzinfo=UTC)  # finer than the form shows
    Article.objects.filter(pk=published.pk).update(updated_at=stamp)
    published.refresh_from_db()
    business = Section.objects.get(site=published.site, language="en", name="Business")
    url = reverse("admin:newsroom_article_change", args=[published.pk])
    response = editor.post(url, _form(published, section=str(business.pk), pinned="on"))
    assert response.status_code == 302, response.content.decode()[:2000]
    published.refresh_from_db()
    assert (published.section, published.pinned) == (business, True)
    assert published.updated_at == stamp


def test_an_editors_own_updated_at_is_kept(editor: Client, published: Article) -> None:
    url = reverse("admin:newsroom_article_change", args=[published.pk])
    chosen = datetime(2026, 11, 21, 9, 30, tzinfo=UTC)
    response = editor.post(url, _form(published, **_local(chosen, "updated_at")))
    assert response.status_code == 302
    published.refresh_from_db()
    assert published.updated_at == chosen
    # A new text with a time the editor sets: theirs, not overwritten by the clock.
    later = datetime(2026, 11, 21, 11, 0, tzinfo=UTC)
    data = _form(published, headline="Talks moved to Hamburg", **_local(later, "updated_at"))
    assert editor.post(url, data).status_code == 302
    published.refresh_from_db()
    assert published.updated_at == later


def test_a_change_of_text_is_an_update(editor: Client, published: Article) -> None:
    before = published.updated_at
    url = reverse("admin:newsroom_article_change", args=[published.pk])
    started = timezone.now()
    assert editor.post(url, _form(published, headline="Talks moved to Hamburg")).status_code == 302
    published.refresh_from_db()
    assert published.updated_at != before and published.updated_at >= started
    stamp = published.updated_at
    assert editor.post(url, _form(published, body="A shorter story.")).status_code == 302
    published.refresh_from_db()
    assert published.updated_at > stamp


def test_service_edit_without_new_text_keeps_updated_at(published: Article) -> None:
    before = published.updated_at
    published.pinned = True
    article_edit(article=published, editor="lena")
    published.refresh_from_db()
    assert published.updated_at == before


# 4. Links to the reader's pages keep the admin's scheme and port.


def test_links_to_the_page_carry_the_port(editor: Client, published: Article) -> None:
    page_url = f"http://test.localhost:8000{published.get_absolute_url()}"
    listing = editor.get(reverse(CHANGELIST), HTTP_HOST="127.0.0.1:8000").content.decode()
    assert f'href="{page_url}"' in listing
    change = editor.get(
        reverse("admin:newsroom_article_change", args=[published.pk]), HTTP_HOST="127.0.0.1:8000"
    ).content.decode()
    assert f'<a href="{page_url}" class="viewsitelink">' in change
    story = editor.get(
        reverse("admin:newsroom_story_change", args=[published.story_id]),
        HTTP_HOST="127.0.0.1:8000",
    ).content.decode()
    assert f'href="{page_url}"' in story


def test_links_to_the_page_over_https_on_the_default_port(
    editor: Client, published: Article
) -> None:
    change = editor.get(
        reverse("admin:newsroom_article_change", args=[published.pk]),
        HTTP_HOST="127.0.0.1",
        secure=True,
    ).content.decode()
    assert f'href="https://test.localhost{published.get_absolute_url()}"' in change


def test_a_kill_asks_for_a_reason_that_readers_and_the_audit_log_keep(
    editor: Client, published: Article, client: Client
) -> None:
    from masthead.newsroom.models import AuditEntry

    page = _action(editor, "kill_story", published, post="yes")  # no reason yet
    assert page.status_code == 200 and 'name="reason"' in page.content.decode()
    assert Article.objects.get(pk=published.pk).status == ArticleStatus.PUBLISHED
    _action(editor, "kill_story", published, post="yes", reason="The quotes were not checked.")
    gone = client.get(published.get_absolute_url(), HTTP_HOST="test.localhost")
    assert gone.status_code == 410 and "The quotes were not checked." in gone.content.decode()
    assert "The quotes were not checked." in AuditEntry.objects.get(action="kill").detail
