"""The synthetic archive on SQLite: stems go into the full-text table as search would put them."""

from __future__ import annotations

from datetime import UTC
from typing import Any

from masthead_bench.populate.loader import BLOCK_JOINS, Loader, joined


class SqliteLoader(Loader):
    INDEX_COLUMN = "stems text"
    TIME_TYPE = "text"
    ID_TYPE = "integer"

    def prepare(self) -> None:
        self.create_tables()
        for pool in self.plan.pools.values():
            self.cursor.executemany(
                "INSERT INTO bench_sentence (k, json, text, slug, stems) "
                "VALUES (%s, %s, %s, %s, %s)",
                [(s.key, s.json, s.text, s.slug, s.stems) for s in pool.sentences],
            )
        self.fill_places()

    def series(self) -> str:
        # SQLite has no generate_series without an extension: a recursive CTE counts.
        return (
            "(WITH RECURSIVE counted(n) AS (SELECT %s UNION ALL SELECT n + 1 FROM counted "
            "WHERE n < %s) SELECT n FROM counted) AS series"
        )

    def published(self, ago: str) -> str:
        # UTC text, as Django stores a DateTimeField on SQLite.
        return f"datetime(%s - {ago}, 'unixepoch')"

    def time_params(self) -> list[Any]:
        return [int(self.plan.now.astimezone(UTC).timestamp())]

    def body(self) -> str:
        return "'[' || " + joined("json", ", ") + " || ']'"

    def index(self) -> None:
        self.run(
            "INSERT INTO reader_searchentry (article_id, site_id, language, published_at) "
            "SELECT x.n, pl.site_id, pl.language, x.published FROM bench_pick x "
            "JOIN bench_place pl ON pl.k = x.place"
        )
        self.run(
            "INSERT INTO reader_search_fts (rowid, scope, headline, body, captions) "
            f"SELECT x.n, pl.scope, h.stems, {joined('stems', ' ')}, '' FROM bench_pick x "
            "JOIN bench_place pl ON pl.k = x.place JOIN bench_sentence h ON h.k = x.headline "
            f"{BLOCK_JOINS}"
        )
