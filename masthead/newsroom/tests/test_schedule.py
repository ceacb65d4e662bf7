"""Editors schedule publishing and unpublishing, in the newsroom's time zone; the worker acts
within a minute, and the published time is the release time."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest
from django.contrib.auth.models import User
from django.test import Client

from masthead.newsroom.models import Article, ArticleStatus
from masthead.newsroom.services.article import article_edit, articles_release_scheduled


def _ingest(folder, ingest, version: int = 1) -> Article:  # type: ignore[no-untyped-def]
    doc = {
        "uri": "urn:test:scheduled",
        "version": str(version),
        "language": "en",
        "versioncreated": f"2026-11-30T0{version}:00:00Z",
        "firstcreated": "2026-11-30T01:00:00Z",
        "headline": f"Night trams return, version {version}",
        "body_html": "<p>The night service runs again from Friday.</p>",
    }
    path = folder / f"v{version}.json"
    path.write_text(json.dumps(doc))
    ingest([path])
    return Article.objects.get(site__code="JdT")


def test_a_draft_is_published_at_its_time(network, tmp_path, ingest, client) -> None:
    article = _ingest(tmp_path, ingest)
    release = datetime(2026, 12, 1, 8, 0, tzinfo=UTC)
    article.status, article.publish_at, article.published_at = ArticleStatus.DRAFT, release, None
    article_edit(article=article, editor="chief")
    assert articles_release_scheduled(now=release - timedelta(seconds=30)) == []
    assert client.get(article.get_absolute_url(), HTTP_HOST="test.localhost").status_code == 404
    (done,) = articles_release_scheduled(now=release + timedelta(seconds=40))
    assert done.status == ArticleStatus.PUBLISHED and done.published_at == release
    assert client.get(article.get_absolute_url(), HTTP_HOST="test.localhost").status_code == 200
    assert done.revisions.order_by("-number").first().source == "schedule"


def test_a_published_article_is_taken_off_and_the_wire_does_not_bring_it_back(
    network, tmp_path, ingest, client
) -> None:
    article = _ingest(tmp_path, ingest)
    end = datetime.now(UTC) - timedelta(seconds=5)
    article.unpublish_at = end
    article_edit(article=article, editor="chief")
    (done,) = articles_release_scheduled()
    assert done.status == ArticleStatus.DRAFT
    assert client.get(article.get_absolute_url(), HTTP_HOST="test.localhost").status_code == 404
    article = _ingest(tmp_path, ingest, version=2)  # the agency's next version
    assert article.status == ArticleStatus.DRAFT and article.headline.endswith("version 2")


@pytest.fixture
def desk(db) -> Client:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(User.objects.create_superuser("chief", "c@example.org", "pw-tests-only"))
    return client


def _form(desk: Client, article: Article, **changes: str) -> dict[str, object]:
    form = desk.get(f"/admin/newsroom/article/{article.pk}/change/").context["adminform"].form
    data: dict[str, object] = {
        k: v for k, v in form.initial.items() if v is not None and not isinstance(v, datetime)
    }
    data["body"] = json.dumps(form.initial["body"])
    data["section"] = article.section_id
    for name in ("published_at", "updated_at"):
        value = form.initial.get(name)
        if value:
            local = value.astimezone(__import__("zoneinfo").ZoneInfo("Europe/Brussels"))
            data[f"{name}_0"], data[f"{name}_1"] = f"{local:%Y-%m-%d}", f"{local:%H:%M:%S}"
    data.update({"revisions-TOTAL_FORMS": "0", "revisions-INITIAL_FORMS": "0"})
    data.update(changes)
    return data


def test_the_admin_schedules_in_the_newsroom_zone(network, tmp_path, ingest, desk) -> None:
    article = _ingest(tmp_path, ingest)
    article.status, article.published_at = ArticleStatus.DRAFT, None
    article.save()
    url = f"/admin/newsroom/article/{article.pk}/change/"
    answer = desk.post(
        url, _form(desk, article, publish_at_0="2026-12-24", publish_at_1="09:00:00")
    )
    assert answer.status_code == 302, answer.content.decode()[:3000]
    # 09:00 in Brussels, the first site's zone, is 08:00 UTC.
    assert Article.objects.get(pk=article.pk).publish_at == datetime(2026, 12, 24, 8, 0, tzinfo=UTC)


def test_a_schedule_that_ends_before_it_starts_is_refused(network, tmp_path, ingest, desk) -> None:
    article = _ingest(tmp_path, ingest)
    url = f"/admin/newsroom/article/{article.pk}/change/"
    data = _form(
        desk,
        article,
        status="draft",
        publish_at_0="2026-12-24",
        publish_at_1="09:00:00",
        unpublish_at_0="2026-12-23",
        unpublish_at_1="09:00:00",
    )
    answer = desk.post(url, data)
    assert answer.status_code == 200 and "must come after publish_at" in answer.content.decode()
    assert Article.objects.get(pk=article.pk).publish_at is None
