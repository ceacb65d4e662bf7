"""Cases a review of the language versions and the desk found wrong, kept right."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

from django.contrib.auth.models import User
from django.db import IntegrityError
from django.test import Client

from masthead.newsroom.models import Article, ArticleStatus, Picture
from masthead.newsroom.services import story as story_services
from masthead.newsroom.services.article import article_edit
from masthead.newsroom.services.bodytext import body_to_text
from masthead.newsroom.services.story import story_release_embargoes


def _item(folder: Path, name: str, **fields: object) -> Path:
    doc = {
        "uri": "urn:test:review",
        "version": "1",
        "versioncreated": "2026-11-30T09:00:00Z",
        "firstcreated": "2026-11-30T09:00:00Z",
        "language": "en",
        "headline": "Berlin tram depot reopens",
        "body_html": "<p>The depot in Berlin reopens on Monday.</p>",
    }
    doc.update(fields)
    path = folder / f"{name}.json"
    path.write_text(json.dumps(doc))
    return path


def test_each_language_version_keeps_its_own_embargo(network, tmp_path, ingest) -> None:
    now = datetime.now(UTC)
    late, soon = now + timedelta(hours=6), now + timedelta(hours=1)
    french = {
        "language": "fr",
        "headline": "Le dépôt de trams rouvre",
        "body_html": "<p>Lundi.</p>",
    }
    ingest([_item(tmp_path, "fr", embargoed=late.isoformat(), **french)])
    ingest([_item(tmp_path, "en", embargoed=soon.isoformat())])
    story_release_embargoes(now=soon + timedelta(minutes=1))
    statuses = {a.language: a.status for a in Article.objects.filter(site__code="JdT")}
    assert statuses == {"en": ArticleStatus.PUBLISHED, "fr": ArticleStatus.EMBARGOED}
    story_release_embargoes(now=late + timedelta(minutes=1))
    assert Article.objects.get(site__code="JdT", language="fr").status == ArticleStatus.PUBLISHED


def test_an_embargo_is_not_lost_to_another_language_without_one(network, tmp_path, ingest) -> None:
    later = datetime.now(UTC) + timedelta(hours=2)
    french = {
        "language": "fr",
        "headline": "Le dépôt de trams rouvre",
        "body_html": "<p>Lundi.</p>",
    }
    ingest([_item(tmp_path, "fr", embargoed=later.isoformat(), **french)])
    ingest([_item(tmp_path, "en")])  # no embargo on the English version
    story_release_embargoes(now=later + timedelta(minutes=1))
    assert Article.objects.get(site__code="JdT", language="fr").status == ArticleStatus.PUBLISHED


def test_regional_and_plain_tags_share_one_version_count(network, tmp_path, ingest) -> None:
    ingest([_item(tmp_path, "us2", language="en-US", version="2", headline="Version two")])
    late = ingest([_item(tmp_path, "en1", language="en", version="1", headline="Version one")])
    assert late[0].action == "stale"
    assert Article.objects.get(site__code="JdT").headline == "Version two"


def test_an_editors_visibility_comes_back_after_an_agency_hold(network, tmp_path, ingest) -> None:
    ingest([_item(tmp_path, "v1")])
    article = Article.objects.get(site__code="JdT")
    article.status = ArticleStatus.DRAFT
    article_edit(article=article, editor="chief")
    article = Article.objects.get(pk=article.pk)
    article.status = ArticleStatus.PUBLISHED
    article_edit(article=article, editor="chief")
    ingest([_item(tmp_path, "v2", version="2", pubstatus="withheld")])
    assert Article.objects.get(pk=article.pk).status == ArticleStatus.WITHHELD
    ingest([_item(tmp_path, "v3", version="3")])
    assert Article.objects.get(pk=article.pk).status == ArticleStatus.PUBLISHED


def test_a_form_opened_before_a_wire_update_does_not_undo_it(network, tmp_path, ingest) -> None:
    ingest([_item(tmp_path, "v1")])
    article = Article.objects.get(site__code="JdT")
    chief = User.objects.create_superuser("chief", "c@example.org", "pw-tests-only")
    desk = Client()
    desk.force_login(chief)
    url = f"/admin/newsroom/article/{article.pk}/change/"
    form = desk.get(url).context["adminform"].form
    data = {k: v for k, v in form.initial.items() if v is not None}
    data["body"] = body_to_text(form.initial["body"])
    data["based_on"] = form.initial["based_on"]
    data["section"] = article.section_id
    # The agency's version 2 arrives while the form is open ...
    ingest([_item(tmp_path, "v2", version="2", body_html="<p>Opening moved to Tuesday.</p>")])
    # ... and the editor saves a new headline only.
    data["headline"] = "Depot opens again"
    for name in ("published_at", "updated_at"):
        value = form.initial.get(name)
        if value:
            data[f"{name}_0"], data[f"{name}_1"] = (
                value.strftime("%Y-%m-%d"),
                value.strftime("%H:%M:%S"),
            )
    data.update({"revisions-TOTAL_FORMS": "0", "revisions-INITIAL_FORMS": "0"})
    answer = desk.post(url, data)
    assert answer.status_code == 302, answer.content.decode()[:2000]
    saved = Article.objects.get(pk=article.pk)
    assert saved.headline == "Depot opens again"
    assert saved.body == [{"type": "paragraph", "html": "Opening moved to Tuesday."}]
    assert saved.edited_fields == ["headline"]


def test_a_retried_item_still_gets_its_picture(network, wire_dir, ingest, monkeypatch) -> None:
    real = story_services.story_apply_wire
    calls = []

    def once_raced(**kwargs):  # type: ignore[no-untyped-def]
        calls.append(1)
        if len(calls) == 1:
            raise IntegrityError("another worker created the story first")
        return real(**kwargs)

    monkeypatch.setattr("masthead.wire.pipeline.story_apply_wire", once_raced)
    outcome = ingest([wire_dir / "harbour-talks.json"])[0]
    assert outcome.action == "created", outcome
    article = Article.objects.get(pk=outcome.article_ids[0])
    assert article.picture is not None and Picture.objects.filter(pk=article.picture_id).exists()
