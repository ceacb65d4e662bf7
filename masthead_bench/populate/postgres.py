"""The synthetic archive on PostgreSQL: each sentence is parsed once into a tsvector, kept in a
temporary table; an article's search document is its sentences' vectors end to end (which
shifts word positions as a parse of the whole text would)."""

from __future__ import annotations

from typing import Any

from masthead.search.postgres import config_for
from masthead_bench.populate.loader import BLOCK_JOINS, BLOCKS, Loader, joined

DOCUMENT = " || ".join(f"coalesce(b{i}.v, ''::tsvector)" for i in range(BLOCKS))
# The sentences' vectors are stored weighted (headlines A, body B, as the search backend
# weighs them), so an article's document is a plain concatenation.


class PostgresLoader(Loader):
    INDEX_COLUMN = "v tsvector"
    TIME_TYPE = "timestamptz"
    ID_TYPE = "bigint"

    def prepare(self) -> None:
        self.create_tables()
        # Measuring data: a crash may lose the last batches, never damage what is committed.
        self.run("SET synchronous_commit = off")
        # lz4 compresses the bodies (2-3 KB, stored compressed) several times faster than the
        # default pglz, for a little more space; reading them back needs nothing. Only where
        # the server was built with it.
        self.run(
            "SELECT set_config('default_toast_compression', 'lz4', false) FROM pg_settings "
            "WHERE name = 'default_toast_compression' AND 'lz4' = ANY(enumvals)"
        )
        for pool in self.plan.pools.values():
            sentences = pool.sentences
            self.run(
                "INSERT INTO bench_sentence (k, json, text, slug, v) "
                'SELECT k, j, t, s, setweight(to_tsvector(%s::regconfig, f), w::"char") '
                "FROM unnest(%s::integer[], %s::text[], %s::text[], %s::text[], %s::text[], "
                "%s::text[]) AS u(k, j, t, s, f, w)",
                [
                    config_for(pool.language),
                    *(
                        [getattr(s, name) for s in sentences]
                        for name in ("key", "json", "text", "slug", "folded", "weight")
                    ),
                ],
            )
        self.fill_places()
        for table in ("bench_sentence", "bench_place", "bench_signature"):
            self.run(f"ANALYZE {table}")

    def finish(self) -> None:
        super().finish()
        self.run("RESET synchronous_commit")
        self.run("RESET default_toast_compression")

    def series(self) -> str:
        return "generate_series(%s::bigint, %s::bigint) AS series(n)"

    def published(self, ago: str) -> str:
        return f"%s::timestamptz - ({ago}) * interval '1 second'"

    def time_params(self) -> list[Any]:
        return [self.plan.now]

    def body(self) -> str:
        return "('[' || " + joined("json", ", ") + " || ']')::jsonb"

    def index(self) -> None:
        self.run(
            "INSERT INTO reader_searchentry (article_id, site_id, language, published_at, "
            "document) SELECT x.n, pl.site_id, pl.language, x.published, "
            f"h.v || {DOCUMENT} FROM bench_pick x "
            "JOIN bench_place pl ON pl.k = x.place JOIN bench_sentence h ON h.k = x.headline "
            f"{BLOCK_JOINS}"
        )
