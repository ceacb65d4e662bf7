"""Search: stemmed, ranked, phrases and prefixes, one site and language, hostile input."""

import html
import json
import re
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from masthead.newsroom.models import Article
from masthead.newsroom.services.story import story_kill
from masthead.search.base import best_window
from masthead.search.query import parse_query
from masthead.search.services import search_articles, search_rebuild


def _found(client, q: str, host: str = "test.localhost", lang: str = "en") -> list[str]:
    response = client.get(f"/{lang}/search", {"q": q}, HTTP_HOST=host)
    assert response.status_code == 200
    found = re.findall(r'<li class="result"><a href="[^"]*">([^<]*)</a>', response.content.decode())
    return [html.unescape(headline) for headline in found]


def _story(wire_dir: Path, name: str, **changes: object) -> Path:
    doc = json.loads((wire_dir / "harbour-talks.json").read_text())
    doc.update({"uri": f"urn:test:{name}", **changes})
    doc.pop("associations")
    path = wire_dir / f"{name}.json"
    path.write_text(json.dumps(doc))
    return path


def test_a_word_of_the_body_finds_the_story(client, published: Article) -> None:
    assert _found(client, "substations") == [published.headline]
    assert _found(client, "substation") == [published.headline]  # stemmed
    assert _found(client, "SHORE") == [published.headline]
    assert _found(client, "volcano") == []


def test_phrase_and_prefix(client, published: Article) -> None:
    assert _found(client, '"shore power"') == [published.headline]
    assert _found(client, '"shore grid"') == []
    assert _found(client, "substat*") == [published.headline]
    assert _found(client, "neighbourhoods windows") == [published.headline]
    assert _found(client, "neighbourhoods volcano") == []


def test_headline_ranks_first_and_snippet_is_marked(client, network, wire_dir, ingest) -> None:
    ingest(
        [
            _story(wire_dir, "a", headline="Budget talks resume", body_html="<p>Ferries too.</p>"),
            _story(
                wire_dir,
                "b",
                headline="Ferry operators meet",
                body_html="<p>The ferry <b>operators</b> met &lt;script&gt; in Ghent.</p>",
            ),
        ]
    )
    assert _found(client, "ferry") == ["Ferry operators meet", "Budget talks resume"]
    page = client.get("/en/search", {"q": "ferry"}, HTTP_HOST="test.localhost")
    html = page.content.decode()
    assert "<mark>ferry</mark>" in html
    assert "met <script>" not in html and "met &lt;script&gt; in" in html


def test_results_stay_on_their_site_and_language(client, published: Article) -> None:
    assert _found(client, "shore", host="zeitung.localhost", lang="en") == []
    assert _found(client, "shore", lang="fr") == []


def test_killed_story_leaves_the_results(client, published, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        story_kill(story=published.story, source="test")
    assert _found(client, "shore") == []


def test_french_is_stemmed_and_accents_fold(client, network, wire_dir, ingest) -> None:
    ingest(
        [
            _story(
                wire_dir,
                "fr",
                language="fr",
                headline="Les ports de Liège s'équipent",
                body_html="<p>Les installations portuaires seront électrifiées.</p>",
            )
        ]
    )
    for q in ["portuaire", "electrifiee", "liege", "équipent"]:
        assert _found(client, q, lang="fr") == ["Les ports de Liège s'équipent"], q


@pytest.mark.parametrize(
    "q",
    [
        "",
        "   ",
        "' OR 1=1 --",
        '"unclosed phrase',
        "NEAR(a b)",
        "*",
        "a AND OR NOT",
        "x" * 10_000,
        "\x00\x01",
        "ünïcödé 名前 😀",
        ")(*&^%$#@!",
        "-harbour",
    ],
)
def test_hostile_queries_answer_cleanly(client, published: Article, q: str) -> None:
    response = client.get("/en/search", {"q": q}, HTTP_HOST="test.localhost")
    assert response.status_code == 200
    assert response["X-Robots-Tag"] == "noindex"


def test_pages(client, many, settings) -> None:
    settings.MASTHEAD_PAGE_SIZE = 20
    site = Article.objects.first().site
    first = search_articles(site=site, language="en", text="cities", page=1, page_size=20)
    third = search_articles(site=site, language="en", text="cities", page=3, page_size=20)
    assert (first.total, first.num_pages, len(first.results), len(third.results)) == (
        45,
        3,
        20,
        5,
    )
    ids = {r.article.pk for r in first.results} | {r.article.pk for r in third.results}
    assert len(ids) == 25
    assert client.get("/en/search?q=cities&page=x", HTTP_HOST="test.localhost").status_code == 200


def test_query_limits() -> None:
    query = parse_query(" ".join(f"w{i}" for i in range(50)))
    assert len(query.terms) == 12
    assert parse_query('"a b" c*').terms[0].words == ("a", "b")
    assert parse_query("co*").terms[0].prefix
    assert not parse_query("c*").terms[0].prefix  # one letter would match half the index


def test_rebuild_indexes_everything(client, network, wire_dir) -> None:
    from masthead.wire.pipeline import ingest_paths

    list(ingest_paths([wire_dir / "harbour-talks.json"]))  # on-commit listeners not run here
    assert _found(client, "shore") == []
    assert search_rebuild() == 1
    assert len(_found(client, "shore")) == 1


def test_rebuild_command(network, wire_dir, capsys) -> None:
    from django.core.management import call_command

    from masthead.wire.pipeline import ingest_paths

    list(ingest_paths([wire_dir / "harbour-talks.json"]))
    call_command("search", "rebuild")
    assert "search: 1 published article(s) indexed" in capsys.readouterr().out


def test_a_deleted_article_leaves_the_index(client, network, wire_dir) -> None:
    from django.db import connection

    from masthead.wire.pipeline import ingest_paths

    list(ingest_paths([wire_dir / "harbour-talks.json"]))
    assert search_rebuild() == 1 and len(_found(client, "shore")) == 1
    Article.objects.all().delete()  # as the admin's delete does
    assert _found(client, "shore") == []
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM reader_search_fts")
            assert cursor.fetchone() == (0,)


@given(st.lists(st.booleans(), max_size=80), st.integers(min_value=1, max_value=40))
def test_the_snippet_window_is_the_first_with_the_most_matches(flags, size) -> None:
    counts = [sum(flags[start : start + size]) for start in range(max(1, len(flags) - size + 1))]
    assert best_window(flags, size) == counts.index(max(counts))


@pytest.mark.parametrize(("candidates", "walks", "total"), [(10, True, 10), (50, False, 45)])
def test_dense_words_are_found_by_walking_the_newest_entries(
    many, monkeypatch, candidates: int, walks: bool, total: int
) -> None:
    """On PostgreSQL a query whose words are in most of the newest entries is answered by
    walking them newest first (its statistics cannot tell, and fetched every match); when the
    walk does not reach enough matches, PostgreSQL's own plan answers. Both give the same
    newest matches."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from masthead.search import base, postgres

    if connection.vendor != "postgresql":
        pytest.skip("the walk is PostgreSQL's; SQLite's FTS5 ranks its own way")
    monkeypatch.setattr(base, "CANDIDATES", candidates)
    monkeypatch.setattr(postgres, "CANDIDATES", candidates)
    monkeypatch.setattr(postgres, "PROBE", 20)
    site = Article.objects.first().site
    with CaptureQueriesContext(connection) as queries:
        result = search_articles(site=site, language="en", text="cities", page=1, page_size=100)
    assert result.total == total and len(result.results) == total
    assert all(r.article.site_id == site.pk for r in result.results)
    sql = [q["sql"] for q in queries if "reader_searchentry" in q["sql"]]
    planned = [s for s in sql if "AND site_id =" in s]
    assert (len(planned) == 0) == walks  # PostgreSQL's own plan only when the walk fell short
