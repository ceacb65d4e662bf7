"""Search on PostgreSQL: a weighted tsvector per entry in the language's text search
configuration, a GIN index, and ts_rank_cd. CJK runs come as space-separated bigrams
(query.folded_text), which every configuration's parser keeps as words."""

from __future__ import annotations

import math
from typing import Any

from django.db import connection

from masthead.search.base import CANDIDATES, Hit, IndexedText, SearchBackend, rank_page
from masthead.search.query import ParsedQuery, folded_text

CONFIGS = {
    "da": "danish",
    "de": "german",
    "en": "english",
    "es": "spanish",
    "fi": "finnish",
    "fr": "french",
    "hu": "hungarian",
    "it": "italian",
    "nl": "dutch",
    "no": "norwegian",
    "pt": "portuguese",
    "ro": "romanian",
    "ru": "russian",
    "sv": "swedish",
    "tr": "turkish",
}


# The query's words are first tried on the site's newest PROBE entries; when at least
# WALK_DENSITY of them match, its newest matches are found by walking the entries newest first,
# which then stops after a few thousand. Otherwise PostgreSQL plans as it will: for rare words
# the GIN index finds every match at once, which is right; for words in nearly every article of
# one language it guessed few matches (its statistics mix the languages) and fetched all of
# them, 135,000 rows in 1.3 s, where the walk takes 30 ms (docs/performance.md).
PROBE = 200
WALK_DENSITY = 0.25


def config_for(language: str) -> str:
    return CONFIGS.get(language.split("-")[0], "simple")


def tsquery_sql(query: ParsedQuery, config: str) -> tuple[str, list[Any]]:
    """SQL for the query's tsquery, every term ANDed; user text only ever goes in as a
    parameter (the prefix form is built from \\w+ words, so it is a valid lexeme)."""
    parts: list[str] = []
    params: list[Any] = []
    for term in query.terms:
        if term.prefix:
            head = " ".join(term.words[:-1])
            if head:
                parts.append("phraseto_tsquery(%s::regconfig, %s)")
                params += [config, head]
            parts.append("to_tsquery(%s::regconfig, %s)")
            params += [config, f"{term.words[-1]}:*"]
        elif len(term.words) > 1:
            parts.append("phraseto_tsquery(%s::regconfig, %s)")
            params += [config, " ".join(term.words)]
        else:
            parts.append("plainto_tsquery(%s::regconfig, %s)")
            params += [config, term.words[0]]
    return "(" + " && ".join(parts) + ")", params


class PostgresSearch(SearchBackend):
    def store_many(self, items: list[IndexedText]) -> None:
        # Rows and documents in one statement; the text goes into the document only (the
        # entry keeps no copy). Folded (no accents) like the query words, so "liege" finds
        # "Liège" as on SQLite, and CJK runs as their bigrams (query.py).
        entries = [item.entry for item in items]
        with connection.cursor() as cursor:
            cursor.execute(
                "INSERT INTO reader_searchentry (article_id, site_id, language, published_at, "
                "document) "
                "SELECT v.id, v.site, v.language, v.published, "
                "setweight(to_tsvector(v.config::regconfig, v.h), 'A') || "
                "setweight(to_tsvector(v.config::regconfig, v.b), 'B') || "
                "setweight(to_tsvector(v.config::regconfig, v.c), 'C') "
                "FROM unnest(%s::bigint[], %s::bigint[], %s::text[], %s::timestamptz[], "
                "%s::text[], %s::text[], %s::text[], %s::text[]) "
                "AS v(id, site, language, published, config, h, b, c)",
                [
                    [e.pk for e in entries],
                    [e.site_id for e in entries],
                    [e.language for e in entries],
                    [e.published_at for e in entries],
                    [config_for(e.language) for e in entries],
                    [folded_text(item.headline) for item in items],
                    [folded_text(item.body) for item in items],
                    [folded_text(item.captions) for item in items],
                ],
            )

    def search(
        self, *, site_id: int, language: str, query: ParsedQuery, offset: int, limit: int
    ) -> tuple[list[Hit], int]:
        tsquery, params = tsquery_sql(query, config_for(language))
        wanted = CANDIDATES + 1
        with connection.cursor() as cursor:
            rows = None
            density = self._density(cursor, tsquery, params, site_id, language)
            if density >= WALK_DENSITY:
                rows = self._walk(cursor, tsquery, params, site_id, language, density)
            if rows is None:
                # The newest matches (the site/language/date index walks them in order, or the
                # GIN index finds them all first, as PostgreSQL judges), each with its rank.
                cursor.execute(
                    f"SELECT article_id, ts_rank_cd(document, s.q) FROM reader_searchentry, "  # noqa: S608
                    f"(SELECT {tsquery} AS q) AS s WHERE document @@ s.q AND site_id = %s "
                    "AND language = %s ORDER BY published_at DESC LIMIT %s",
                    [*params, site_id, language, wanted],
                )
                rows = cursor.fetchall()
        return rank_page([(int(r[0]), float(r[1])) for r in rows], offset=offset, limit=limit)

    def _density(
        self, cursor: Any, tsquery: str, params: list[Any], site_id: int, language: str
    ) -> float:
        """The share of the site's newest PROBE entries that match: how dense the query's
        words are in this language here, which no statistic of PostgreSQL's tells (it knows
        a word's share of all languages together, and guesses pairs as independent)."""
        cursor.execute(
            f"SELECT count(*) FROM (SELECT document FROM reader_searchentry "  # noqa: S608
            "WHERE site_id = %s AND language = %s ORDER BY published_at DESC LIMIT %s) AS r, "
            f"(SELECT {tsquery} AS q) AS s WHERE r.document @@ s.q",
            [site_id, language, PROBE, *params],
        )
        return int(cursor.fetchone()[0]) / PROBE

    def _walk(
        self,
        cursor: Any,
        tsquery: str,
        params: list[Any],
        site_id: int,
        language: str,
        density: float,
    ) -> list[tuple[Any, ...]] | None:
        """The newest matches found by walking the site's entries newest first, no further
        than twice what the probe's density says is needed; None when not all were found
        there (the words are rarer further back, or the site has fewer entries: either way
        PostgreSQL's own plan is then cheap)."""
        wanted = CANDIDATES + 1
        cursor.execute(
            f"SELECT article_id, ts_rank_cd(document, s.q) FROM (SELECT article_id, "  # noqa: S608
            "document, published_at FROM reader_searchentry WHERE site_id = %s "
            "AND language = %s ORDER BY published_at DESC LIMIT %s) AS r, "
            f"(SELECT {tsquery} AS q) AS s WHERE r.document @@ s.q "
            "ORDER BY r.published_at DESC LIMIT %s",
            [site_id, language, math.ceil(2 * wanted / density), *params, wanted],
        )
        rows = cursor.fetchall()
        return rows if len(rows) == wanted else None
