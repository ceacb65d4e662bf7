"""A change to the network applies on every web process at once: the in-memory copies of sites,
sections and routes are dropped at the next request, and the sites' cached pages purged."""

from __future__ import annotations

import os

import pytest
from django.contrib.auth.models import User

from masthead.core import memo
from masthead.network.events import _stamp_path, network_changed, network_generation
from masthead.network.models import Route, Section, Site
from masthead.network.routing import routing_table


@pytest.fixture
def chief(client, db):  # type: ignore[no-untyped-def]
    client.force_login(User.objects.create_superuser("chief", "c@example.org", "pw-tests-only"))
    return client


def test_a_section_renamed_in_the_admin_shows_on_the_next_page(
    client, chief, network, django_capture_on_commit_callbacks
) -> None:
    home = client.get("/en/", HTTP_HOST="test.localhost").content.decode()
    assert ">Business<" in home
    section = Section.objects.get(site__code="JdT", language="en", name="Business")
    with django_capture_on_commit_callbacks(execute=True):
        answer = chief.post(
            f"/admin/network/section/{section.pk}/change/",
            {"site": section.site_id, "language": "en", "name": "Economy", "position": 1},
        )
    assert answer.status_code == 302, answer.content.decode()[:500]
    home = client.get("/en/", HTTP_HOST="test.localhost").content.decode()
    assert ">Economy<" in home and ">Business<" not in home


def test_another_process_change_is_seen_at_the_next_request(client, network) -> None:
    site = Site.objects.get(code="JdT")
    assert "Journal de Test" in client.get("/en/", HTTP_HOST="test.localhost").content.decode()
    # Another process renames the site and says so, the way network_changed() does.
    Site.objects.filter(pk=site.pk).update(name="Courrier de Test")
    assert "Journal de Test" in client.get("/en/", HTTP_HOST="test.localhost").content.decode()
    before = network_generation()
    temporary = _stamp_path().with_suffix(".tmp-test")
    temporary.write_text("other process")
    os.replace(temporary, _stamp_path())
    assert network_generation() != before
    assert "Courrier de Test" in client.get("/en/", HTTP_HOST="test.localhost").content.decode()


def test_the_routing_table_follows_a_change_at_once(
    network, django_capture_on_commit_callbacks
) -> None:
    routes = routing_table().routes
    assert "fr" in routes
    with django_capture_on_commit_callbacks(execute=True):
        Route.objects.filter(language="fr").delete()
        network_changed(site_codes=["JdT"])
    assert "fr" not in routing_table().routes


def test_nothing_is_told_before_commit(network, django_capture_on_commit_callbacks) -> None:
    before = network_generation()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        network_changed(site_codes=["JdT"])
    assert network_generation() == before and len(callbacks) == 1
    memo.forget_all()
