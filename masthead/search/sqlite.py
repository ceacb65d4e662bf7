"""Search on SQLite: an FTS5 table of stems, ranked with bm25.

SQLite has no stemmers for most languages, so the text is stemmed in Python (Snowball) when
indexed, and the query the same way; FTS5 then matches stems, phrases and prefixes. The site
and language are a token of their own (`scope`), so FTS5 filters on them from its index.
"""

from __future__ import annotations

from typing import Any

from django.db import connection

from masthead.search.base import CANDIDATES, Hit, IndexedText, SearchBackend, rank_page
from masthead.search.models import SearchEntry
from masthead.search.query import ParsedQuery, stem, stems_of

# Weights of scope (never matched on words), headline, body and captions in the rank.
WEIGHTS = (0.0, 10.0, 1.0, 2.0)


def scope_token(site_id: int, language: str) -> str:
    return f"s{site_id}{language.replace('-', '')}"


def match_expression(query: ParsedQuery, language: str, *, site_id: int) -> str:
    parts = [f'scope : "{scope_token(site_id, language)}"']
    for term in query.terms:
        words = [stem(w, language) for w in term.words]
        if term.prefix:
            words[-1] = term.words[-1]  # a prefix is matched as typed, not stemmed
        quoted = '"' + " ".join(w.replace('"', "") for w in words) + '"'
        parts.append("{headline body captions} : " + quoted + ("*" if term.prefix else ""))
    return " AND ".join(parts)


class SqliteSearch(SearchBackend):
    # A deleted entry takes its full-text row with it (a trigger, reader migration 0003), so
    # storing is all there is to do here.
    def store_many(self, items: list[IndexedText]) -> None:
        SearchEntry.objects.bulk_create([item.entry for item in items])
        with connection.cursor() as cursor:
            cursor.executemany(
                "INSERT INTO reader_search_fts (rowid, scope, headline, body, captions) "
                "VALUES (%s, %s, %s, %s, %s)",
                [
                    [
                        item.entry.pk,
                        scope_token(item.entry.site_id, item.entry.language),
                        stems_of(item.headline, item.entry.language),
                        stems_of(item.body, item.entry.language),
                        stems_of(item.captions, item.entry.language),
                    ]
                    for item in items
                ],
            )

    def search(
        self, *, site_id: int, language: str, query: ParsedQuery, offset: int, limit: int
    ) -> tuple[list[Hit], int]:
        params: list[Any] = [*WEIGHTS, match_expression(query, language, site_id=site_id)]
        with connection.cursor() as cursor:
            # The newest matches, newest first (rowid order is publication order, near enough),
            # each with its bm25; ranking happens among them.
            cursor.execute(
                "SELECT rowid, bm25(reader_search_fts, %s, %s, %s, %s) FROM reader_search_fts "
                "WHERE reader_search_fts MATCH %s ORDER BY rowid DESC LIMIT %s",
                [*params, CANDIDATES + 1],
            )
            rows = cursor.fetchall()
        # bm25 is lower for better matches: negate it so that higher ranks first everywhere.
        return rank_page([(int(r[0]), -float(r[1])) for r in rows], offset=offset, limit=limit)
