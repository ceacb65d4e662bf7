"""The audit log says who did what: edits, pins, kills, takes of the agency's text and the
schedule's changes, each with its actor; staff read their own sites' entries only."""

from __future__ import annotations

from io import StringIO
from pathlib import Path

import pytest
from django.contrib.auth.models import Permission, User
from django.core.management import CommandError, call_command
from django.test import Client

from masthead.conftest import TEST_NETWORK
from masthead.network.models import Site
from masthead.newsroom.models import Article, AuditEntry, Role, SiteMembership
from masthead.newsroom.services.article import article_edit, article_pin
from masthead.newsroom.services.story import story_kill


def test_each_change_by_a_person_is_one_entry(published: Article) -> None:
    published.headline = "Port cities will talk about ship fumes"
    article_edit(article=published, editor="p.claes")
    article_pin(article=published, pinned=True, editor="m.dubois")
    story_kill(story=published.story, source="editor m.dubois", by="m.dubois")
    entries = [(e.actor, e.action) for e in AuditEntry.objects.order_by("id")]
    assert entries == [("p.claes", "edit"), ("m.dubois", "pin"), ("m.dubois", "kill")]
    edit = AuditEntry.objects.get(action="edit")
    assert edit.article_id == published.pk and edit.site_id == published.site_id
    assert "headline" in edit.detail


def test_the_agencys_kill_is_left_to_the_wire_log(published: Article) -> None:
    story_kill(story=published.story, source="wire MWA v2")
    assert not AuditEntry.objects.exists()


def test_staff_read_their_own_sites_entries(published: Article) -> None:
    article_pin(article=published, pinned=True, editor="m.dubois")
    other = User.objects.create_user("zdt", "z@example.org", "pw-tests-only", is_staff=True)
    other.user_permissions.add(Permission.objects.get(codename="view_auditentry"))
    SiteMembership.objects.create(user=other, site=Site.objects.get(code="ZdT"))
    client = Client()
    client.force_login(other)
    page = client.get("/admin/newsroom/auditentry/").content.decode()
    assert "m.dubois" not in page
    SiteMembership.objects.create(user=other, site=published.site)
    assert "m.dubois" in client.get("/admin/newsroom/auditentry/").content.decode()


# -- the network's rows: loads of the network file ------------------------------------


def _load(path: Path) -> None:
    call_command("network", "load", str(path), stdout=StringIO())


def test_each_load_of_the_network_file_is_one_row_saying_what_changed(
    db: None, tmp_path: Path
) -> None:
    path = tmp_path / "net.toml"
    path.write_text(TEST_NETWORK)
    _load(path)
    first = AuditEntry.objects.get(action="network load")
    assert first.actor.startswith("command") and (first.article, first.story, first.site) == (
        None,
        None,
        None,
    )
    assert first.detail.startswith("net.toml: sites +2 (JdT, ZdT); sections +5 (")
    assert "routes +5 -0" in first.detail
    _load(path)
    assert AuditEntry.objects.order_by("-id").first().detail == "net.toml: no change"  # type: ignore[union-attr]
    changed = (
        TEST_NETWORK.replace(  # a section more, a route less, a source
            '[[site.section]]\nlanguage = "fr"\nname = "Politique"',
            '[[site.section]]\nlanguage = "fr"\nname = "Politique"\n'
            '[[site.section]]\nlanguage = "fr"\nname = "Sport"',
        ).replace('keywords = ["berlin"]\n', "")
        + '\n[[source]]\nname = "mwa"\nkind = "folder"\npath = "wire/mwa"\n'
    )
    path.write_text(
        changed.replace('[[route]]\nsite = "ZdT"\nlanguage = "de"\nsection = "Politik"\n', "")
    )
    _load(path)
    detail = AuditEntry.objects.order_by("-id").first().detail  # type: ignore[union-attr]
    assert detail == (
        "net.toml: sites changed 1 (JdT); sections +1 (JdT/fr/Sport); routes +1 -2; "
        "sources +1 (mwa)"
    )
    path.write_text(TEST_NETWORK)
    _load(path)
    detail = AuditEntry.objects.order_by("-id").first().detail  # type: ignore[union-attr]
    assert "sources disabled 1 (mwa)" in detail and "sections -1 (JdT/fr/Sport)" in detail


def test_a_refused_network_file_leaves_no_row(db: None, tmp_path: Path) -> None:
    path = tmp_path / "bad.toml"
    path.write_text(TEST_NETWORK.replace('kind = "stocks"', 'kind = "bonds"'))
    with pytest.raises(CommandError):
        _load(path)
    assert not AuditEntry.objects.exists()


def test_the_networks_rows_are_for_site_admins_and_superusers(
    published: Article, tmp_path: Path
) -> None:
    path = tmp_path / "net.toml"
    path.write_text(TEST_NETWORK)
    _load(path)
    article_pin(article=published, pinned=True, editor="m.dubois")
    url = "/admin/newsroom/auditentry/"

    def seen(role: str | None) -> str:
        user = User.objects.create_user(f"u-{role}", "u@example.org", "pw", is_staff=True)
        if role is None:
            user.is_superuser = True
            user.save()
        else:
            SiteMembership.objects.create(user=user, site=published.site, role=role)
        client = Client()
        client.force_login(user)
        return client.get(url).content.decode()

    assert "network load" not in seen(Role.CHIEF)
    assert "network load" in seen(Role.ADMIN)
    assert "network load" in seen(None)
    # The "about" filter parts the network's rows from the sites'.
    boss = User.objects.get(username="u-None")
    client = Client()
    client.force_login(boss)
    network = client.get(url, {"about": "network"}).content.decode()
    assert "net.toml: " in network and "m.dubois" not in network
    sites = client.get(url, {"about": "sites"}).content.decode()
    assert "net.toml: " not in sites and "m.dubois" in sites
