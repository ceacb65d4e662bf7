"""`masthead bench populate`: a synthetic archive the product handles like its own."""

from io import StringIO

from django.core.management import call_command
from django.test import Client

from masthead.network.models import Section
from masthead.newsroom.models import Article, Story
from masthead.search.models import SearchEntry
from masthead.search.services import search_articles, search_index_articles
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
    from masthead_bench import populate

    monkeypatch.setattr(populate, "DEFER_INDEXES_FROM", 1)
    before = _indexes()
    # Two connections side by side on PostgreSQL (one on SQLite, which has one writer), each
    # loading its share of the batches; indexes then built again two at a time.
    result = populate.populate(articles=30, batch=4, jobs=2)
    assert result.articles == 30
    assert _indexes() == before
    assert sorted(Article.objects.values_list("pk", flat=True)) == list(range(1, 31))
    assert SearchEntry.objects.count() == 30
    # The connections' temporary tables went with them, and this one has none left either.
    from django.db import connection

    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("SELECT name FROM sqlite_temp_master WHERE name LIKE 'bench%'")
        else:
            cursor.execute("SELECT relname FROM pg_class WHERE relname LIKE 'bench%'")
        assert cursor.fetchall() == []


def _indexed(ids: list[int]) -> list[tuple]:
    from django.db import connection

    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute(
                "SELECT rowid, scope, headline, body FROM reader_search_fts "
                f"WHERE rowid IN ({', '.join(map(str, ids))}) ORDER BY rowid"
            )
        else:
            # Lexemes and weights; positions differ a little (a concatenation of sentences'
            # vectors counts a sentence's trailing stop words differently from one parse).
            cursor.execute(
                "SELECT article_id, site_id, language, published_at, array_agg(l || array_to_string(w, '') ORDER BY l) "
                "FROM reader_searchentry, unnest(document) AS u(l, p, w) "
                f"WHERE article_id IN ({', '.join(map(str, ids))}) "
                "GROUP BY article_id ORDER BY article_id"
            )
        return cursor.fetchall()


def test_the_archive_looks_like_a_real_one(network) -> None:
    from masthead_bench import populate

    populate.populate(articles=600, batch=250, seed=3)
    articles = list(Article.objects.select_related("site", "story").order_by("pk"))
    # Spread over the year and over every section of every site.
    dates = sorted(a.published_at for a in articles)
    assert (dates[-1] - dates[0]).days > 300
    assert len({a.published_at.date() for a in articles}) > 250
    assert {a.section_id for a in articles} == set(Section.objects.values_list("pk", flat=True))
    for article in articles[:100]:
        # Signed by the site's own desk, five to nine blocks, the intertitle after the third,
        # no paragraph twice; the story carries the same time and an urgency from 2 to 4.
        assert article.signature.endswith(f"--{article.site.code}")
        assert 5 <= len(article.body) <= 9 and article.body[3]["type"] == "intertitle"
        paragraphs = [b["html"] for b in article.body if b["type"] == "paragraph"]
        assert len(set(paragraphs)) == len(paragraphs)
        assert article.story.first_created == article.published_at
        assert article.story.urgency in (2, 3, 4)
    assert len({a.headline for a in articles}) > 300
    assert {len(a.body) for a in articles} == {5, 6, 7, 8, 9}
    assert {a.story.urgency for a in articles} == {2, 3, 4}
    # What the load put in the search index is what the product would index for them.
    sample = [a.pk for a in articles[:20]]
    loaded = _indexed(sample)
    search_index_articles(article_ids=sample)
    assert _indexed(sample) == loaded
    # The same seed makes the same archive (dates count back from the time of the run).
    first = [(a.headline, a.body, a.section_id, a.signature) for a in articles[:50]]
    Story.objects.all().delete()
    populate.populate(articles=50, batch=50, seed=3)
    again = list(Article.objects.order_by("pk"))
    assert [(a.headline, a.body, a.section_id, a.signature) for a in again] == first
    populate.populate(articles=50, batch=50, seed=4)
    other = list(Article.objects.order_by("pk"))[50:]
    assert [a.headline for a in other] != [a.headline for a in again]


def test_bench_arguments_out_of_range_are_one_clear_error(network) -> None:
    import pytest
    from django.core.management.base import CommandError

    for args, message in (
        (["--articles", "0"], "--articles"),
        (["--articles", "5", "--batch", "0"], "--batch"),
        (["--articles", "5", "--jobs", "99"], "--jobs"),
        (["--articles", "5", "--seed", str(2**40)], "--seed"),
    ):
        with pytest.raises(CommandError, match=message):
            call_command("bench", "populate", *args)
    assert Article.objects.count() == 0


def test_indexes_a_killed_load_left_dropped_come_back_first(network_tx) -> None:
    # As a load killed between dropping the indexes and building them again leaves things:
    # the note of what was dropped, and the indexes missing.
    from django.db import connection

    from masthead_bench import populate
    from masthead_bench.populate import indexes

    before = _indexes()
    with connection.cursor() as cursor:
        definitions = indexes._secondary_indexes()
        cursor.execute(f"CREATE TABLE {indexes.RECORD} (definition text NOT NULL)")
        for name, definition in definitions:
            cursor.execute(f"INSERT INTO {indexes.RECORD} (definition) VALUES (%s)", [definition])
            cursor.execute(f'DROP INDEX "{name}"')
    assert len(definitions) >= 5 and _indexes() != before
    populate.populate(articles=10, batch=10)
    assert _indexes() == before
    assert indexes.RECORD not in connection.introspection.table_names()
    assert indexes.indexes_restore_leftovers() == 0
