"""One guid, several languages: some agencies send a story's language versions under one
identifier, each with its own version numbers. Each is a language version of the same story."""

from __future__ import annotations

import json
from pathlib import Path

from masthead.newsroom.models import Article, ArticleStatus, Story
from masthead.wire.models import WireItem


def _item(folder: Path, name: str, **fields: object) -> Path:
    doc = {
        "uri": "urn:test:bilingual",
        "version": "1",
        "versioncreated": "2026-11-30T09:00:00Z",
        "firstcreated": "2026-11-30T09:00:00Z",
        "language": "en",
        "headline": "Ferry strike ends",
        "body_html": "<p>The ferries run again from Tuesday morning.</p>",
    }
    doc.update(fields)
    path = folder / f"{name}.json"
    path.write_text(json.dumps(doc))
    return path


def _fr(folder: Path, name: str, **fields: object) -> Path:
    french: dict[str, object] = {
        "language": "fr",
        "headline": "Fin de la grève des ferries",
        "body_html": "<p>Les ferries reprennent mardi matin.</p>",
    }
    return _item(folder, name, **{**french, **fields})


def test_the_second_language_is_published_as_a_version_of_the_same_story(
    network, tmp_path, ingest
) -> None:
    en, fr = ingest([_item(tmp_path, "en"), _fr(tmp_path, "fr")])
    assert (en.action, fr.action) == ("created", "created"), (en, fr)
    story = Story.objects.get()
    assert {a.language for a in story.articles.all()} == {"en", "fr"}
    assert story.language_versions == {"en": 1, "fr": 1}
    # The same two again change nothing.
    assert [o.action for o in ingest([_item(tmp_path, "en"), _fr(tmp_path, "fr")])] == [
        "unchanged",
        "unchanged",
    ]


def test_each_language_keeps_its_own_versions(network, tmp_path, ingest) -> None:
    ingest([_item(tmp_path, "en1"), _fr(tmp_path, "fr1")])
    en2 = ingest([_item(tmp_path, "en2", version="2", headline="Ferry strike over")])[0]
    assert en2.action == "updated"
    # The French v1 again: not stale (its own language is at v1), unchanged.
    assert ingest([_fr(tmp_path, "fr1b")])[0].action == "unchanged"
    fr2 = ingest([_fr(tmp_path, "fr2", version="2", headline="La grève des ferries est finie")])
    assert fr2[0].action == "updated"
    headlines = {a.language: a.headline for a in Article.objects.all()}
    assert headlines == {"en": "Ferry strike over", "fr": "La grève des ferries est finie"}
    assert ingest([_item(tmp_path, "en1b")])[0].action == "stale"


def test_withholding_one_language_leaves_the_other(network, tmp_path, ingest) -> None:
    ingest([_item(tmp_path, "en1"), _fr(tmp_path, "fr1")])
    ingest([_fr(tmp_path, "fr2", version="2", pubstatus="withheld")])
    statuses = {a.language: a.status for a in Article.objects.all()}
    assert statuses == {"en": ArticleStatus.PUBLISHED, "fr": ArticleStatus.WITHHELD}


def test_an_agency_kill_takes_every_language_down(client, network, tmp_path, ingest) -> None:
    ingest([_item(tmp_path, "en1"), _fr(tmp_path, "fr1")])
    assert ingest([_fr(tmp_path, "kill", version="2", pubstatus="canceled")])[0].action == "killed"
    for article in Article.objects.select_related("section"):
        assert article.status == ArticleStatus.KILLED
        page = client.get(article.get_absolute_url(), HTTP_HOST="test.localhost")
        assert page.status_code == 410


def test_an_item_no_route_takes_is_unrouted_everywhere_it_is_reported(
    network, tmp_path, ingest
) -> None:
    outcome = ingest([_item(tmp_path, "nl", uri="urn:test:dutch", language="nl")])[0]
    assert outcome.action == "unrouted" and not outcome.article_ids
    assert outcome.as_dict()["action"] == "unrouted"
    assert "no route matched" in outcome.line()
    log = WireItem.objects.get(guid="urn:test:dutch")
    assert log.action == "unrouted" and log.story is not None  # stored, not published
