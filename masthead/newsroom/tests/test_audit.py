"""The audit log says who did what: edits, pins, kills, takes of the agency's text and the
schedule's changes, each with its actor; staff read their own sites' entries only."""

from __future__ import annotations

from django.contrib.auth.models import Permission, User
from django.test import Client

from masthead.network.models import Site
from masthead.newsroom.models import Article, AuditEntry, SiteMembership
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
