"""Search on SQLite: an FTS5 table of stems, ranked with bm25.

SQLite has no stemmers for most languages, so the text is stemmed in Python (Snowball) when
indexed, and the query the same way; FTS5 then matches stems, phrases and prefixes.
"""

from __future__ import annotations

from typing import Any

from django.db import connection

from masthead.reader.models import SearchEntry
from masthead.reader.search.base import Hit, SearchBackend
from masthead.reader.search.query import ParsedQuery, stem, stems_of

TABLE = "reader_search_fts"
# Weights of headline, body and captions in the rank.
WEIGHTS = (10.0, 1.0, 2.0)


def match_expression(query: ParsedQuery, language: str) -> str:
    parts = []
    for term in query.terms:
        words = [stem(w, language) for w in term.words]
        if term.prefix:
            words[-1] = term.words[-1]  # a prefix is matched as typed, not stemmed
        quoted = '"' + " ".join(w.replace('"', "") for w in words) + '"'
        parts.append(quoted + ("*" if term.prefix else ""))
    return " AND ".join(parts)


class SqliteSearch(SearchBackend):
    def index(self, entry: SearchEntry) -> None:
        with connection.cursor() as cursor:
            cursor.execute("DELETE FROM reader_search_fts WHERE rowid = %s", [entry.pk])
            cursor.execute(
                "INSERT INTO reader_search_fts (rowid, headline, body, captions) "
                "VALUES (%s, %s, %s, %s)",
                [
                    entry.pk,
                    stems_of(entry.headline, entry.language),
                    stems_of(entry.body, entry.language),
                    stems_of(entry.captions, entry.language),
                ],
            )

    def remove(self, article_ids: list[int]) -> None:
        if not article_ids:
            return
        marks = ", ".join(["%s"] * len(article_ids))
        with connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM {TABLE} WHERE rowid IN ({marks})", article_ids)  # noqa: S608

    def search(
        self, *, site_id: int, language: str, query: ParsedQuery, offset: int, limit: int
    ) -> tuple[list[Hit], int]:
        expression = match_expression(query, language)
        where = (
            f"FROM {TABLE} JOIN reader_searchentry e ON e.article_id = {TABLE}.rowid "
            f"WHERE {TABLE} MATCH %s AND e.site_id = %s AND e.language = %s"
        )
        params: list[Any] = [expression, site_id, language]
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT count(*) {where}", params)
            total = int(cursor.fetchone()[0])
            if not total:
                return [], 0
            cursor.execute(
                f"SELECT {TABLE}.rowid, bm25({TABLE}, %s, %s, %s) AS rank {where} "
                "ORDER BY rank, e.published_at DESC LIMIT %s OFFSET %s",
                [*WEIGHTS, *params, limit, offset],
            )
            hits = [Hit(int(row[0]), -float(row[1])) for row in cursor.fetchall()]
        return hits, total
