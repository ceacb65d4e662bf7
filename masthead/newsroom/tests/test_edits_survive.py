"""Editors' changes survive the wire: what an editor changed on a site stays when the agency
sends a new version, the agency's new text waits beside it for the desk, and a kill wins."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from django.contrib.auth.models import User
from django.test import Client

from masthead.newsroom.models import Article, ArticleStatus, SiteMembership
from masthead.newsroom.services.article import (
    article_agency_diff,
    article_edit,
    article_take_agency,
)


def _version(folder: Path, version: int, **fields: object) -> Path:
    doc = {
        "uri": "urn:test:survive",
        "version": str(version),
        "versioncreated": f"2026-11-30T{8 + version:02d}:00:00Z",
        "firstcreated": "2026-11-30T09:00:00Z",
        "language": "en",
        "headline": f"Berlin tram depot: version {version}",
        "body_html": f"<p>The depot in Berlin reopens, says version {version}.</p>",
    }
    doc.update(fields)
    path = folder / f"v{version}.json"
    path.write_text(json.dumps(doc))
    return path


def _on(site: str) -> Article:
    return Article.objects.select_related("section").get(site__code=site)


@pytest.fixture
def edited(network, tmp_path, ingest) -> Article:  # type: ignore[no-untyped-def]
    outcome = ingest([_version(tmp_path, 1)])[0]
    assert len(outcome.article_ids) == 2  # JdT, and ZdT which takes stories about Berlin
    article = _on("JdT")
    article.headline = "Berlin's tram depot opens again"
    article_edit(article=article, editor="chief")
    return article


def test_an_edited_headline_stays_and_the_body_follows_the_agency(edited, tmp_path, ingest) -> None:
    assert ingest([_version(tmp_path, 2)])[0].action == "updated"
    article = _on("JdT")
    assert article.headline == "Berlin's tram depot opens again"  # the editor's
    assert article.body == [
        {"type": "paragraph", "html": "The depot in Berlin reopens, says version 2."}
    ]  # nobody edited it: it follows the wire
    assert article.agency_updated and article.agency_headline == "Berlin tram depot: version 2"
    diff = article_agency_diff(article=article)
    assert "<del>" in diff["headline"] and "<ins>" in diff["headline"]
    assert "version 2" in diff["headline"]
    # Elsewhere, where nobody edited it, the agency's version shows.
    assert _on("ZdT").headline == "Berlin tram depot: version 2"


def test_the_desk_takes_the_agency_version(edited, tmp_path, ingest) -> None:
    ingest([_version(tmp_path, 2)])
    article = article_take_agency(article=_on("JdT"), editor="chief", headline_only=True)
    assert article.headline == "Berlin tram depot: version 2" and not article.agency_updated
    # Taken: the next version reaches the headline again.
    ingest([_version(tmp_path, 3)])
    assert _on("JdT").headline == "Berlin tram depot: version 3"


def test_an_edited_body_stays_and_waits_beside_the_agency_text(network, tmp_path, ingest) -> None:
    ingest([_version(tmp_path, 1)])
    article = _on("JdT")
    article.body = [{"type": "paragraph", "html": "The editors wrote this paragraph."}]
    article_edit(article=article, editor="chief")
    ingest([_version(tmp_path, 2)])
    article = _on("JdT")
    assert article.body == [{"type": "paragraph", "html": "The editors wrote this paragraph."}]
    assert article.headline == "Berlin tram depot: version 2"  # not edited: follows the wire
    assert article.agency_updated
    assert "version 2" in article_agency_diff(article=article)["body"]
    article_take_agency(article=article, editor="chief")
    assert "version 2" in _on("JdT").body[0]["html"]


def test_unpublished_on_one_site_stays_off_there_and_updates_elsewhere(
    network, tmp_path, ingest, client
) -> None:
    ingest([_version(tmp_path, 1)])
    article = _on("JdT")
    article.status = ArticleStatus.WITHHELD
    article_edit(article=article, editor="chief")
    assert ingest([_version(tmp_path, 3)])[0].action == "updated"
    assert _on("JdT").status == ArticleStatus.WITHHELD
    there = client.get(_on("JdT").get_absolute_url(), HTTP_HOST="test.localhost")
    assert there.status_code == 404
    zdt = _on("ZdT")
    assert zdt.status == ArticleStatus.PUBLISHED and zdt.headline == "Berlin tram depot: version 3"


def test_an_agency_kill_wins_over_every_edit(edited, tmp_path, ingest, client) -> None:
    assert ingest([_version(tmp_path, 2, pubstatus="canceled")])[0].action == "killed"
    for code, host in (("JdT", "test.localhost"), ("ZdT", "zeitung.localhost")):
        article = _on(code)
        assert article.status == ArticleStatus.KILLED
        assert client.get(article.get_absolute_url(), HTTP_HOST=host).status_code == 410


def test_articles_nobody_edited_follow_the_wire(network, tmp_path, ingest) -> None:
    ingest([_version(tmp_path, 1)])
    ingest([_version(tmp_path, 2)])
    for code in ("JdT", "ZdT"):
        article = _on(code)
        assert article.headline == "Berlin tram depot: version 2" and not article.agency_updated
        assert article.edited_fields == []


def test_the_desk_shows_the_diff_and_its_actions_need_the_change_right(
    edited, tmp_path, ingest
) -> None:

    ingest([_version(tmp_path, 2)])
    article = _on("JdT")
    chief = User.objects.create_superuser("desk-chief", "c@example.org", "pw-tests-only")
    desk = Client()
    desk.force_login(chief)
    page = desk.get(f"/admin/newsroom/article/{article.pk}/change/").content.decode()
    assert "agency updated since your edit" in page.lower() and "<ins>" in page
    viewer = User.objects.create_user("viewer", "v@example.org", "pw-tests-only", is_staff=True)
    SiteMembership.objects.create(user=viewer, site=article.site, role="viewer")
    looking = Client()
    looking.force_login(viewer)
    looking.post(
        "/admin/newsroom/article/",
        {"action": "take_agency", "_selected_action": [article.pk]},
    )
    assert _on("JdT").headline == "Berlin's tram depot opens again"  # refused: view only
    desk.post(
        "/admin/newsroom/article/",
        {"action": "take_agency", "_selected_action": [article.pk]},
    )
    assert _on("JdT").headline == "Berlin tram depot: version 2"


def test_a_revision_is_compared_and_restored_by_those_allowed(edited) -> None:
    from django.contrib.auth.models import Permission

    from masthead.newsroom.models import SiteMembership

    article = _on("JdT")
    first = article.revisions.order_by("number").first()
    assert first is not None and first.headline == "Berlin tram depot: version 1"
    url = f"/admin/newsroom/article/{article.pk}/revisions/{first.number}/"
    viewer = User.objects.create_user("looker", "l@example.org", "pw-tests-only", is_staff=True)
    SiteMembership.objects.create(user=viewer, site=article.site, role="viewer")
    looking = Client()
    looking.force_login(viewer)
    page = looking.get(url)
    assert page.status_code == 200
    text = page.content.decode()
    assert "<del>" in text and "<ins>" in text and "Restore revision" not in text
    assert looking.post(url).status_code == 403
    assert _on("JdT").headline == "Berlin's tram depot opens again"
    chief = User.objects.create_superuser("rev-chief", "r@example.org", "pw-tests-only")
    desk = Client()
    desk.force_login(chief)
    assert "Restore revision" in desk.get(url).content.decode()
    desk.post(url)
    restored = _on("JdT")
    assert restored.headline == "Berlin tram depot: version 1"
    assert (
        restored.revisions.order_by("-number").first().note == f"restored revision {first.number}"
    )
    # Another site's editor cannot even see it.
    other = User.objects.create_user("other", "o@example.org", "pw-tests-only", is_staff=True)
    other.user_permissions.add(Permission.objects.get(codename="view_article"))
    outsider = Client()
    outsider.force_login(other)
    assert outsider.get(url).status_code == 404


def test_any_two_revisions_are_compared(edited, tmp_path, ingest) -> None:
    ingest([_version(tmp_path, 2)])
    article = _on("JdT")
    numbers = sorted(article.revisions.values_list("number", flat=True))
    first, last = numbers[0], numbers[-1]
    chief = User.objects.create_superuser("cmp-chief", "x@example.org", "pw-tests-only")
    desk = Client()
    desk.force_login(chief)
    page = desk.get(f"/admin/newsroom/article/{article.pk}/revisions/{last}/?with={first}")
    text = page.content.decode()
    assert page.status_code == 200 and f"only in revision {first}" in text
    assert "<del>1.</del>" in text and "<ins>2.</ins>" in text  # the body, version 1 against 2
