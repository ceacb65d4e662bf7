"""Probes of the desk's rights: each test is an attack that must fail."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse

from masthead.network.models import Section, Site
from masthead.newsroom.models import Article, Role, SiteMembership


def _member(name: str, seats: dict[str, str]) -> tuple[User, Client]:
    user = User.objects.create_user(name, f"{name}@example.invalid", "pw", is_staff=True)
    for code, role in seats.items():
        SiteMembership.objects.create(user=user, site=Site.objects.get(code=code), role=role)
    client = Client()
    client.force_login(user)
    return user, client


@pytest.fixture
def both(network, tmp_path: Path, ingest) -> dict[str, Article]:  # type: ignore[no-untyped-def]
    path = tmp_path / "both.json"
    path.write_text(
        json.dumps(
            {
                "uri": "urn:test:probe-both",
                "language": "en",
                "versioncreated": "2026-11-30T09:00:00Z",
                "headline": "Berlin and Brussels share a tram order",
                "body_html": "<p>Berlin and Brussels share a tram order.</p>",
            }
        )
    )
    ingest([path])
    return {a.site.code: a for a in Article.objects.filter(story__guid="urn:test:probe-both")}


def test_a_site_admin_cannot_seat_a_user_of_another_site_by_hand(both) -> None:
    """The user field is an autocomplete over the admin's own staff; a hand-made POST naming
    another site's member must not seat them (and so bring them within reach)."""
    _, boss = _member("boss", {"JdT": Role.ADMIN})
    victim, _ = _member("zdt-admin", {"ZdT": Role.ADMIN})
    answer = boss.post(
        reverse("admin:newsroom_sitemembership_add"),
        {"user": victim.pk, "site": Site.objects.get(code="JdT").pk, "role": "viewer"},
    )
    assert not SiteMembership.objects.filter(user=victim, site__code="JdT").exists()
    assert answer.status_code == 200


def test_a_site_admin_cannot_take_over_a_member_of_other_sites(both) -> None:
    """A member who also holds a seat on a site the admin does not run is not theirs to
    edit: a new password would give the admin that other seat."""
    _, boss = _member("boss", {"JdT": Role.ADMIN})
    shared, _ = _member("shared", {"JdT": Role.VIEWER, "ZdT": Role.ADMIN})
    url = reverse("admin:auth_user_password_change", args=[shared.pk])
    boss.post(url, {"password1": "Pwned-123456!", "password2": "Pwned-123456!"})
    shared.refresh_from_db()
    assert not shared.check_password("Pwned-123456!")
    boss.post(
        reverse("admin:auth_user_change", args=[shared.pk]),
        {"username": "shared", "is_staff": "on"},  # is_active off
    )
    shared.refresh_from_db()
    assert shared.is_active


def test_an_editor_cannot_move_an_article_into_another_sites_section(both) -> None:
    _, editor = _member("jdt-editor", {"JdT": Role.EDITOR})
    article = both["JdT"]
    foreign = Section.objects.exclude(site=article.site).first()
    assert foreign is not None
    url = reverse("admin:newsroom_article_change", args=[article.pk])
    # Not offered, and not taken when posted by hand.
    offered = f'value="{foreign.pk}"' in editor.get(url).content.decode()
    data = {
        "section": foreign.pk,
        "slug": article.slug,
        "headline": article.headline,
        "standfirst": "",
        "body": "Text.",
        "signature": article.signature or "x",
        "source_agency": article.source_agency or "AFP",
        "status": article.status,
        "published_at_0": "",
        "revisions-TOTAL_FORMS": "0",
        "revisions-INITIAL_FORMS": "0",
    }
    editor.post(url, data)
    assert Article.objects.get(pk=article.pk).section_id == article.section_id
    assert not offered


def test_a_written_headline_and_standfirst_are_plain_text(network) -> None:
    """The write form's headline and standfirst are cleaned as an edit's headline is: a
    reader sees no markup spelled out, and no control character reaches the feeds."""
    _, desk = _member("writer", {"JdT": Role.EDITOR})
    section = Section.objects.get(site__code="JdT", name="Politics")
    answer = desk.post(
        reverse("admin:newsroom_article_write"),
        {
            "headline": "<b>Harbour</b> dues\x07 rise",
            "standfirst": "<img src=x onerror=alert(1)>Ships pay\x0b more",
            "body": "The board said so.",
            "language": "en",
            "when": "now",
            "sections": [section.pk],
        },
    )
    assert answer.status_code == 302
    article = Article.objects.get(site__code="JdT")
    assert article.headline == "Harbour dues rise"
    assert article.standfirst == "Ships pay more"
    feed = Client().get("/en/feed/rss.xml", HTTP_HOST=article.site.primary_domain)
    assert feed.status_code == 200 and b"\x07" not in feed.content


def test_an_edited_standfirst_is_plain_text(both) -> None:
    _, editor = _member("jdt-editor", {"JdT": Role.EDITOR})
    article = both["JdT"]
    url = reverse("admin:newsroom_article_change", args=[article.pk])
    data = {
        "section": article.section_id,
        "slug": article.slug,
        "headline": article.headline,
        "standfirst": "<script>alert(1)</script>Trams\x07 come",
        "body": "Text.",
        "signature": article.signature or "x",
        "source_agency": article.source_agency or "AFP",
        "status": article.status,
        "revisions-TOTAL_FORMS": "0",
        "revisions-INITIAL_FORMS": "0",
    }
    assert editor.post(url, data).status_code == 302
    standfirst = Article.objects.get(pk=article.pk).standfirst
    assert standfirst.endswith("Trams come") and "<" not in standfirst


def test_a_site_admin_cannot_change_another_sites_sections(both) -> None:
    _, boss = _member("boss", {"JdT": Role.ADMIN})
    section = Section.objects.filter(site__code="ZdT").first()
    assert section is not None
    boss.post(
        reverse("admin:network_section_change", args=[section.pk]),
        {
            "site": section.site_id,
            "language": section.language,
            "name": "Hijacked",
            "position": section.position,
        },
    )
    assert Section.objects.get(pk=section.pk).name != "Hijacked"
