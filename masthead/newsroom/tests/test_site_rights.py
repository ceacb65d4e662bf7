"""Each member of staff works on their own sites: they see those sites' articles and stories
only, act on those only, and cannot kill a story that is also on another site."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse

from masthead.network.models import Site
from masthead.newsroom.models import Article, ArticleStatus, Role, SiteMembership

CHANGELIST = reverse("admin:newsroom_article_changelist")


def _story(folder: Path, uri: str, headline: str) -> Path:
    doc = {
        "uri": uri,
        "language": "en",
        "versioncreated": "2026-11-30T09:00:00Z",
        "headline": headline,
        "body_html": f"<p>{headline}, the city said on Monday.</p>",
    }
    path = folder / f"{uri.rsplit(':', 1)[-1]}.json"
    path.write_text(json.dumps(doc))
    return path


@pytest.fixture
def stories(network, tmp_path, ingest) -> dict[str, Article]:  # type: ignore[no-untyped-def]
    ingest(
        [
            _story(tmp_path, "urn:test:only-jdt", "Harbour dues go up in Antwerp"),
            _story(tmp_path, "urn:test:both", "Berlin and Brussels share a tram order"),
        ]
    )
    return {
        "jdt": Article.objects.get(story__guid="urn:test:only-jdt"),
        "both-jdt": Article.objects.get(story__guid="urn:test:both", site__code="JdT"),
        "both-zdt": Article.objects.get(story__guid="urn:test:both", site__code="ZdT"),
    }


def _editor(*codes: str, role: str = Role.EDITOR) -> Client:
    user = User.objects.create_user(
        f"{role}-" + "-".join(codes), "e@example.invalid", "pw", is_staff=True
    )
    for code in codes:
        SiteMembership.objects.create(user=user, site=Site.objects.get(code=code), role=role)
    client = Client()
    client.force_login(user)
    return client


def test_an_editor_sees_the_articles_of_their_sites_only(stories) -> None:
    zdt = _editor("ZdT")
    page = zdt.get(CHANGELIST).content.decode()
    assert "Berlin and Brussels share a tram order" in page
    assert "Harbour dues go up in Antwerp" not in page
    # Nor can they open another site's article by its address.
    other = reverse("admin:newsroom_article_change", args=[stories["jdt"].pk])
    assert zdt.get(other).status_code in (302, 404)


def test_actions_reach_only_their_sites_articles(stories) -> None:
    zdt = _editor("ZdT")
    zdt.post(
        CHANGELIST,
        {"action": "pin", "_selected_action": [stories["jdt"].pk, stories["both-zdt"].pk]},
    )
    assert not Article.objects.get(pk=stories["jdt"].pk).pinned  # not theirs
    assert Article.objects.get(pk=stories["both-zdt"].pk).pinned


def test_a_story_on_other_sites_cannot_be_killed_from_one(stories) -> None:
    zdt = _editor("ZdT", role=Role.CHIEF)
    answer = zdt.post(
        CHANGELIST,
        {
            "action": "kill_story",
            "_selected_action": [stories["both-zdt"].pk],
            "post": "yes",
            "reason": "Legal request",
        },
    )
    assert answer.status_code == 302
    assert Article.objects.get(pk=stories["both-jdt"].pk).status == ArticleStatus.PUBLISHED
    both = _editor("ZdT", "JdT", role=Role.CHIEF)
    both.post(
        CHANGELIST,
        {
            "action": "kill_story",
            "_selected_action": [stories["both-zdt"].pk],
            "post": "yes",
            "reason": "Legal request",
        },
    )
    assert Article.objects.get(pk=stories["both-jdt"].pk).status == ArticleStatus.KILLED


def test_staff_on_no_site_see_nothing_and_a_superuser_everything(stories) -> None:
    assert "Harbour dues" not in _editor().get(CHANGELIST).content.decode()
    chief = User.objects.create_superuser("chief", "c@example.invalid", "pw")
    client = Client()
    client.force_login(chief)
    page = client.get(CHANGELIST).content.decode()
    assert "Harbour dues go up in Antwerp" in page and "tram order" in page


def test_stories_follow_the_same_rule(stories) -> None:
    zdt = _editor("ZdT")
    page = zdt.get(reverse("admin:newsroom_story_changelist")).content.decode()
    assert "urn:test:both" in page and "urn:test:only-jdt" not in page
