"""Search on PostgreSQL: a weighted tsvector per entry in the language's text search
configuration, a GIN index, and ts_rank_cd."""

from __future__ import annotations

from typing import Any

from django.db import connection

from masthead.reader.models import SearchEntry
from masthead.reader.search.base import Hit, SearchBackend
from masthead.reader.search.query import ParsedQuery, fold

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
    def index(self, entry: SearchEntry) -> None:
        # Folded (no accents) like the query words, so "liege" finds "Liège" as on SQLite.
        config = config_for(entry.language)
        with connection.cursor() as cursor:
            cursor.execute(
                "UPDATE reader_searchentry SET document = "
                "setweight(to_tsvector(%s::regconfig, %s), 'A') || "
                "setweight(to_tsvector(%s::regconfig, %s), 'B') || "
                "setweight(to_tsvector(%s::regconfig, %s), 'C') "
                "WHERE article_id = %s",
                [
                    config,
                    fold(entry.headline),
                    config,
                    fold(entry.body),
                    config,
                    fold(entry.captions),
                    entry.pk,
                ],
            )

    def remove(self, article_ids: list[int]) -> None:
        # The entry row holds the document; deleting the entry (done by the caller) is enough.
        return None

    def search(
        self, *, site_id: int, language: str, query: ParsedQuery, offset: int, limit: int
    ) -> tuple[list[Hit], int]:
        tsquery, params = tsquery_sql(query, config_for(language))
        where = "WHERE document @@ s.q AND site_id = %s AND language = %s"
        base = f"FROM reader_searchentry, (SELECT {tsquery} AS q) AS s {where}"
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT count(*) {base}", [*params, site_id, language])
            total = int(cursor.fetchone()[0])
            if not total:
                return [], 0
            cursor.execute(
                f"SELECT article_id, ts_rank_cd(document, s.q) AS rank {base} "
                "ORDER BY rank DESC, published_at DESC LIMIT %s OFFSET %s",
                [*params, site_id, language, limit, offset],
            )
            hits = [Hit(int(row[0]), float(row[1])) for row in cursor.fetchall()]
        return hits, total
