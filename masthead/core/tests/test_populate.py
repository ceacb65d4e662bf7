"""`masthead bench populate`: a synthetic archive the product handles like its own."""

from io import StringIO

from django.core.management import call_command
from django.test import Client

from masthead.newsroom.models import Article, Story
from masthead.reader.search.services import search_articles
from masthead.wire.pipeline import ingest_paths


def test_populate_builds_a_browsable_searchable_archive(network, wire_dir) -> None:
    out = StringIO()
    call_command("bench", "populate", "--articles", "120", "--batch", "50", stdout=out)
    assert "populate: 120 articles" in out.getvalue()
    assert Article.objects.filter(status="published").count() == 120
    assert Story.objects.count() == 120
    assert {a.language for a in Article.objects.all()} == {"en", "fr", "de"}
    article = Article.objects.filter(site__code="JdT", language="en").first()
    assert article is not None and article.body[3]["type"] == "intertitle"
    client = Client()
    page = client.get(article.get_absolute_url(), HTTP_HOST="test.localhost")
    assert page.status_code == 200
    word = article.body[0]["html"].split()[1].strip(".")
    found = search_articles(site=article.site, language="en", text=word, page=1, page_size=200)
    assert article.pk in {r.article.pk for r in found.results}
    # Ids continue after the bulk load (PostgreSQL sequences are moved past the new rows).
    (outcome,) = ingest_paths([wire_dir / "harbour-talks.json"])
    assert outcome.action == "created", outcome.error
    assert Story.objects.get(guid__endswith="harbour-talks").pk > 120


def test_populate_needs_a_network(db) -> None:
    import pytest
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="no sections"):
        call_command("bench", "populate", "--articles", "5")


def _indexes() -> set[str]:
    from django.db import connection

    with connection.cursor() as cursor:
        return {
            index
            for table in ("newsroom_article", "newsroom_story", "reader_searchentry")
            for index in connection.introspection.get_constraints(cursor, table)
        }


def test_a_big_load_builds_the_indexes_again(network_tx, monkeypatch) -> None:
    from masthead.core import populate

    monkeypatch.setattr(populate, "DEFER_INDEXES_FROM", 1)
    before = _indexes()
    populate.populate(articles=30, batch=10)
    assert _indexes() == before
    assert Article.objects.count() == 30
