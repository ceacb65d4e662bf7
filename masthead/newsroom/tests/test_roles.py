"""Roles: what a viewer, an editor, a chief and a site admin may do, each on their own sites;
every refusal is tried with a user who lacks the right, by the desk's forms and by hand."""

from __future__ import annotations

import itertools
import json
from pathlib import Path

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse

from masthead.network.models import Site
from masthead.newsroom.models import Article, AuditEntry, Role, SiteMembership
from masthead.newsroom.roles import PERMISSIONS
from masthead.newsroom.services.article import article_edit

CHANGELIST = reverse("admin:newsroom_article_changelist")


def _member(name: str, seats: dict[str, str], languages: list[str] | None = None) -> Client:
    user = User.objects.create_user(name, f"{name}@example.invalid", "pw", is_staff=True)
    for code, role in seats.items():
        SiteMembership.objects.create(
            user=user, site=Site.objects.get(code=code), role=role, languages=languages or []
        )
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def two(network, tmp_path: Path, ingest) -> list[Article]:  # type: ignore[no-untyped-def]
    paths = []
    for n, headline in enumerate(["Berlin tram order signed", "Berlin budget passes"]):
        path = tmp_path / f"s{n}.json"
        path.write_text(
            json.dumps(
                {
                    "uri": f"urn:test:roles-{n}",
                    "language": "en",
                    "versioncreated": "2026-11-30T09:00:00Z",
                    "headline": headline,
                    "body_html": f"<p>{headline} in Berlin.</p>",
                }
            )
        )
        paths.append(path)
    ingest(paths)
    return list(Article.objects.filter(site__code="JdT").order_by("pk"))


def test_each_role_holds_what_the_one_below_holds() -> None:
    order = [Role.VIEWER, Role.EDITOR, Role.CHIEF, Role.ADMIN]
    for lower, higher in itertools.pairwise(order):
        assert PERMISSIONS[lower] < PERMISSIONS[higher]
    assert "newsroom.kill_story" not in PERMISSIONS[Role.EDITOR]
    assert "auth.change_user" not in PERMISSIONS[Role.CHIEF]


def test_taking_agency_versions_in_bulk_is_a_chiefs(two: list[Article]) -> None:
    for article in two:
        article.headline = "Desk headline"
        article_edit(article=article, editor="x")
        Article.objects.filter(pk=article.pk).update(
            agency_updated=True, agency_headline="Agency headline"
        )
    post = {"action": "take_agency_headline", "_selected_action": [a.pk for a in two]}
    _member("ed", {"JdT": Role.EDITOR}).post(CHANGELIST, post)
    assert set(
        Article.objects.filter(pk__in=[a.pk for a in two]).values_list("headline", flat=True)
    ) == {"Desk headline"}
    _member("chief", {"JdT": Role.CHIEF}).post(CHANGELIST, post)
    assert set(
        Article.objects.filter(pk__in=[a.pk for a in two]).values_list("headline", flat=True)
    ) == {"Agency headline"}


def test_an_editor_here_and_a_viewer_there_changes_only_here(two: list[Article]) -> None:
    zdt = Article.objects.get(site__code="ZdT", story=two[0].story)
    client = _member("mixed", {"JdT": Role.EDITOR, "ZdT": Role.VIEWER})
    client.post(CHANGELIST, {"action": "pin", "_selected_action": [two[0].pk, zdt.pk]})
    assert Article.objects.get(pk=two[0].pk).pinned
    assert not Article.objects.get(pk=zdt.pk).pinned
    change = reverse("admin:newsroom_article_change", args=[zdt.pk])
    page = client.get(change)
    assert page.status_code == 200 and 'name="_save"' not in page.content.decode()


def test_languages_narrow_a_seat(two: list[Article]) -> None:
    french = _member("fr-only", {"JdT": Role.EDITOR}, languages=["fr"])
    assert "Berlin tram order signed" not in french.get(CHANGELIST).content.decode()
    change = reverse("admin:newsroom_article_change", args=[two[0].pk])
    assert french.get(change).status_code in (302, 404)


def test_site_admins_manage_their_own_sites_staff_only(two: list[Article]) -> None:
    boss = _member("boss", {"JdT": Role.ADMIN})
    other = User.objects.create_user("other-staff", "o@example.invalid", "pw", is_staff=True)
    SiteMembership.objects.create(user=other, site=Site.objects.get(code="ZdT"))
    root = User.objects.create_superuser("root", "r@example.invalid", "pw")
    url = reverse("admin:newsroom_sitemembership_add")
    # A seat on a site they do not run is refused, even posted by hand.
    answer = boss.post(
        url, {"user": other.pk, "site": Site.objects.get(code="ZdT").pk, "role": "admin"}
    )
    assert answer.status_code == 200 and "Select a valid choice" in answer.content.decode()
    assert not SiteMembership.objects.filter(user=other, site__code="ZdT", role="admin").exists()
    # Their own site's seats they grant, in the site's languages only.
    new = User.objects.create_user("new-hire", "n@example.invalid", "pw", is_staff=True)
    jdt = Site.objects.get(code="JdT").pk
    answer = boss.post(url, {"user": new.pk, "site": jdt, "role": "editor", "languages": "de"})
    assert "not published by JdT" in answer.content.decode()
    answer = boss.post(url, {"user": new.pk, "site": jdt, "role": "editor", "languages": "fr"})
    assert answer.status_code == 302
    assert SiteMembership.objects.get(user=new).languages == ["fr"]
    # Staff accounts: their sites' and new ones, never a superuser, never superuser status.
    users = boss.get(reverse("admin:auth_user_changelist")).content.decode()
    assert "new-hire" in users and "other-staff" not in users and ">root<" not in users
    assert boss.get(reverse("admin:auth_user_change", args=[root.pk])).status_code in (302, 404)
    form = boss.get(reverse("admin:auth_user_change", args=[new.pk])).content.decode()
    assert "is_superuser" not in form and "user_permissions" not in form
    boss.post(
        reverse("admin:auth_user_change", args=[new.pk]),
        {"username": "new-hire", "is_superuser": "on", "is_staff": "on", "is_active": "on"},
    )
    assert not User.objects.get(pk=new.pk).is_superuser


def test_an_editor_manages_no_staff(two: list[Article]) -> None:
    editor = _member("plain", {"JdT": Role.CHIEF})
    assert editor.get(reverse("admin:auth_user_changelist")).status_code == 403
    assert editor.get(reverse("admin:newsroom_sitemembership_changelist")).status_code == 403


def test_the_audit_log_follows_the_sites_and_the_networks_rows_are_for_admins(
    two: list[Article],
) -> None:
    AuditEntry.objects.create(actor="command", action="network-load", detail="2 sites")
    article_edit(article=two[0], editor="someone", note="x")
    AuditEntry.objects.create(actor="someone", action="edit", article=two[0], site=two[0].site)
    url = reverse("admin:newsroom_auditentry_changelist")
    editor = _member("aud-ed", {"JdT": Role.EDITOR}).get(url).content.decode()
    assert "network-load" not in editor and "someone" in editor
    stranger = _member("aud-zdt", {"ZdT": Role.EDITOR}).get(url).content.decode()
    assert "someone" not in stranger
    admin = _member("aud-admin", {"ZdT": Role.ADMIN}).get(url).content.decode()
    assert "network-load" in admin


def test_the_network_pages_show_the_users_sites_and_admins_change_their_own(two) -> None:
    boss = _member("net-boss", {"JdT": Role.ADMIN, "ZdT": Role.VIEWER})
    sites = boss.get(reverse("admin:network_site_changelist")).content.decode()
    assert "Journal de Test" in sites and "Zeitung der Tests" in sites
    viewer = _member("net-viewer", {"ZdT": Role.VIEWER})
    sites = viewer.get(reverse("admin:network_site_changelist")).content.decode()
    assert "Zeitung der Tests" in sites and "Journal de Test" not in sites
    zdt = Site.objects.get(code="ZdT")
    page = boss.get(reverse("admin:network_site_change", args=[zdt.pk])).content.decode()
    assert 'name="_save"' not in page  # a viewer there: read only
    jdt = Site.objects.get(code="JdT")
    page = boss.get(reverse("admin:network_site_change", args=[jdt.pk])).content.decode()
    assert 'name="_save"' in page
    # Sites come and go with the network file, not with a site admin's click.
    assert boss.get(reverse("admin:network_site_add")).status_code == 403


def test_pictures_and_story_search_keep_to_the_users_sites(two) -> None:
    from masthead.demo.pictures import demo_picture
    from masthead.newsroom.services.picture import picture_create

    picture = picture_create(
        data=demo_picture("p"), name="p.jpg", guid="g", caption="Tram", credit="C", alt=""
    )
    zdt = Article.objects.get(site__code="ZdT", story=two[0].story)
    Article.objects.filter(pk__in=[two[0].pk, zdt.pk]).update(picture=picture)
    Article.objects.filter(pk=zdt.pk).update(headline="Nur in Berlin geschrieben")
    jdt_editor = _member("pic-ed", {"JdT": Role.EDITOR})
    change = reverse("admin:newsroom_picture_change", args=[picture.pk])
    page = jdt_editor.get(change)
    # Seen (it illustrates their article), not changed: it is on ZdT's too.
    assert page.status_code == 200 and 'name="_save"' not in page.content.decode()
    assert (
        _member("pic-none", {"JdT": Role.VIEWER})
        .get(reverse("admin:newsroom_picture_changelist"))
        .status_code
        == 200
    )
    both = _member("pic-both", {"JdT": Role.EDITOR, "ZdT": Role.EDITOR})
    assert 'name="_save"' in both.get(change).content.decode()
    stories = reverse("admin:newsroom_story_changelist")
    assert (
        "urn:test:roles-0" not in jdt_editor.get(stories, {"q": "Nur in Berlin"}).content.decode()
    )
    assert "urn:test:roles-0" in both.get(stories, {"q": "Nur in Berlin"}).content.decode()


def test_a_body_too_long_is_refused_with_its_size(network) -> None:
    from masthead.newsroom.bodyfield import MAX_BODY_CHARS, BodyField

    with pytest.raises(Exception, match="at most 300,000 characters"):
        BodyField().clean("word " * (MAX_BODY_CHARS // 5 + 1))


def test_the_article_search_takes_a_story_id_a_guid_or_headline_words(two) -> None:
    chief = _member("searcher", {"JdT": Role.EDITOR})
    by_id = chief.get(CHANGELIST, {"q": str(two[0].story_id)}).content.decode()
    assert "Berlin tram order signed" in by_id and "Berlin budget passes" not in by_id
    by_guid = chief.get(CHANGELIST, {"q": "urn:test:roles-1"}).content.decode()
    assert "Berlin budget passes" in by_guid and "tram order" not in by_guid
    by_words = chief.get(CHANGELIST, {"q": "budget berlin"}).content.decode()
    assert "Berlin budget passes" in by_words and "tram order" not in by_words
