"""Putting a synthetic archive together in the database itself.

Python makes the sentence pools and the places (site, section, language, signatures) once and
puts them in temporary tables; each batch of articles is then a handful of INSERT ... SELECT
statements. Every pick an article makes (its place, date, headline, paragraphs, urgency,
signature) comes from a hash of its number and the seed, so the same seed gives the same
archive and nothing travels per row between Python and the database: that round trip, and the
database parsing the rows it was sent, were most of the time when rows were made in Python.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from masthead_bench.populate.pool import (
    HEADLINE_BASE,
    HEADLINES,
    INTERTITLE_BASE,
    INTERTITLES,
    PARAGRAPHS,
    STEPS,
    Pool,
)

MODULUS = 2147483647  # a prime below 2**31: products stay far inside 64-bit integers
# (multiplier, increment) per pick; each pick is its own hash of the article's number.
PICKS = {
    "place": (48271, 11),
    "ago": (40692, 23),
    "headline": (40014, 29),
    "first": (69621, 13),
    "step": (16807, 17),
    "length": (39373, 19),
    "intertitle": (53668, 31),
    "urgency": (12211, 37),
    "signature": (3399, 41),
}
MAX_SIGNATURES = 64
BLOCKS = 9  # up to eight paragraphs and the intertitle after the third
OPTIONAL = 4  # paragraphs after the fourth: from none to four


@dataclass(frozen=True)
class Place:
    key: int
    site_id: int
    section_id: int
    language: str
    scope: str  # SQLite's full-text scope token
    signatures: list[str]


@dataclass(frozen=True)
class Plan:
    places: list[Place]
    pools: dict[str, Pool]  # by language
    seed: int
    now: Any  # an aware datetime
    span: int  # seconds of history
    story_shift: int  # story id minus article id


class Loader:
    """One database engine's statements. `prepare` once per connection, `load` per batch."""

    # Column types that differ: the pooled sentences' form for the search index, the picks'
    # time (SQLite keeps Django's UTC text) and big ids (only SQLite's exact "integer primary
    # key" is the row id; PostgreSQL's article ids are bigint).
    INDEX_COLUMN = ""
    TIME_TYPE = ""
    ID_TYPE = ""

    def __init__(self, plan: Plan, cursor: Any) -> None:
        self.plan = plan
        self.cursor = cursor

    def run(self, sql: str, params: list[Any] | None = None) -> None:
        # Always with a list: both drivers then read "%%" as the modulo operator.
        self.cursor.execute(sql, params or [])

    # -- to be filled per engine --------------------------------------------------------
    def prepare(self) -> None:
        raise NotImplementedError

    def series(self) -> str:
        """A table expression `series(n)` of the numbers from %s to %s."""
        raise NotImplementedError

    def published(self, ago: str) -> str:
        raise NotImplementedError

    def body(self) -> str:
        """The article body (a JSON list of blocks) from the blocks joined as b0..b8."""
        raise NotImplementedError

    def index(self) -> None:
        """The search index of the articles in bench_pick."""
        raise NotImplementedError

    def load(self, first: int, last: int) -> None:
        """Articles first..last, with their stories and search entries."""
        # bench_pick is emptied here and not by commit: inside an outer transaction (a test),
        # a batch's savepoint commits nothing.
        self.run("DELETE FROM bench_pick")
        self.pick(first, last)
        self.run(self.story_sql())
        self.run(self.article_sql(self.body()))
        self.index()

    def finish(self) -> None:
        """Drop the temporary tables (a connection may go on being used)."""
        for table in TEMP_TABLES:
            self.run(f"DROP TABLE IF EXISTS {table}")

    # -- shared ---------------------------------------------------------------------------
    def create_tables(self) -> None:
        """The temporary tables, emptied of an earlier run's on this connection."""
        self.finish()
        for table in (
            "bench_sentence (k integer PRIMARY KEY, json text, text text, slug text, "
            f"{self.INDEX_COLUMN})",
            "bench_place (k integer PRIMARY KEY, site_id bigint, section_id bigint, "
            "language text, base integer, scope text, signatures integer)",
            "bench_signature (k integer PRIMARY KEY, signature text)",
            "bench_step (k integer PRIMARY KEY, step integer)",
            f"bench_pick (n {self.ID_TYPE} PRIMARY KEY, place integer, published "
            f"{self.TIME_TYPE}, headline integer, {PICK_COLUMNS}, urgency integer, "
            "signature integer)",
        ):
            self.run(f"CREATE TEMP TABLE {table}")

    def pick(self, first: int, last: int) -> None:
        """The picks of articles first..last into bench_pick."""
        plan = self.plan
        hashes = ", ".join(
            f"(s.q * {a} + s.m * {b} + 7) %% {MODULUS} AS {name}" for name, (a, b) in PICKS.items()
        )

        def paragraph(i: int) -> str:
            return f"pl.base + (r.first + {i} * st.step) %% {PARAGRAPHS}"

        optional = ", ".join(
            f"CASE WHEN r.length %% {OPTIONAL + 1} > {i} THEN {paragraph(4 + i)} END"
            for i in range(OPTIONAL)
        )
        self.run(
            "INSERT INTO bench_pick (n, place, published, headline, "
            + ", ".join(f"b{i}" for i in range(BLOCKS))
            + ", urgency, signature) "
            f"SELECT r.n, pl.k, {self.published(f'r.ago %% {plan.span}')}, "
            f"pl.base + {HEADLINE_BASE} + r.headline %% {HEADLINES}, "
            f"{paragraph(0)}, {paragraph(1)}, {paragraph(2)}, "
            f"pl.base + {INTERTITLE_BASE} + r.intertitle %% {INTERTITLES}, {paragraph(3)}, "
            f"{optional}, "
            # Urgency 2 for one story in six, 3 for two, 4 (routine) for the rest.
            "CASE r.urgency %% 6 WHEN 0 THEN 2 WHEN 1 THEN 3 WHEN 2 THEN 3 ELSE 4 END, "
            f"pl.k * {MAX_SIGNATURES} + r.signature %% pl.signatures "
            f"FROM (SELECT s.n, {hashes} FROM (SELECT n, m, (m * m) %% {MODULUS} AS q "
            f"FROM (SELECT series.n, (series.n + %s) %% {MODULUS} AS m FROM {self.series()}) t"
            ") s) r "
            f"JOIN bench_place pl ON pl.k = r.place %% {len(plan.places)} "
            f"JOIN bench_step st ON st.k = r.step %% {len(STEPS)}",
            [*self.time_params(), plan.seed * 7919, first, last],
        )

    def time_params(self) -> list[Any]:
        return []

    def fill_places(self) -> None:
        plan = self.plan
        bases = {p.language: p.base for p in plan.pools.values()}
        for place in plan.places:
            self.run(
                "INSERT INTO bench_place (k, site_id, section_id, language, base, scope, "
                "signatures) VALUES (%s, %s, %s, %s, %s, %s, %s)",
                [
                    place.key,
                    place.site_id,
                    place.section_id,
                    place.language,
                    bases[place.language],
                    place.scope,
                    len(place.signatures[:MAX_SIGNATURES]),
                ],
            )
            self.cursor.executemany(
                "INSERT INTO bench_signature (k, signature) VALUES (%s, %s)",
                [
                    (place.key * MAX_SIGNATURES + i, s)
                    for i, s in enumerate(place.signatures[:MAX_SIGNATURES])
                ],
            )
        self.cursor.executemany(
            "INSERT INTO bench_step (k, step) VALUES (%s, %s)", list(enumerate(STEPS))
        )

    def story_sql(self) -> str:
        shift = self.plan.story_shift
        return (
            "INSERT INTO newsroom_story (id, provider, guid, version, language_versions, "
            "version_created, first_created, urgency, subjects, status, ednote, created_at, "
            f"updated_at) SELECT n + {shift}, 'BENCH', 'bench:' || (n + {shift}), 1, '{{}}', "
            "published, published, urgency, '[]', 'usable', '', published, published "
            "FROM bench_pick"
        )

    def article_sql(self, body: str) -> str:  # body: an SQL expression
        return (
            "INSERT INTO newsroom_article (id, story_id, site_id, language, section_id, slug, "
            "headline, body, signature, source_agency, status, pinned, published_at, "
            "modified_at, edited_fields, agency_body) "
            f"SELECT x.n, x.n + {self.plan.story_shift}, pl.site_id, pl.language, "
            f"pl.section_id, h.slug, h.text, {body}, sg.signature, 'BENCH', 'published', FALSE, "
            "x.published, x.published, '[]', '[]' "
            "FROM bench_pick x JOIN bench_place pl ON pl.k = x.place "
            "JOIN bench_sentence h ON h.k = x.headline "
            f"JOIN bench_signature sg ON sg.k = x.signature {BLOCK_JOINS}"
        )


def joined(column: str, separator: str) -> str:
    """The blocks' `column` end to end: the first five always, the optional ones if there."""
    required = f" || '{separator}' || ".join(f"b{i}.{column}" for i in range(BLOCKS - OPTIONAL))
    optional = " || ".join(
        f"coalesce('{separator}' || b{i}.{column}, '')" for i in range(BLOCKS - OPTIONAL, BLOCKS)
    )
    return f"{required} || {optional}"


BLOCK_JOINS = " ".join(f"LEFT JOIN bench_sentence b{i} ON b{i}.k = x.b{i}" for i in range(BLOCKS))
TEMP_TABLES = (
    "bench_pick",
    "bench_sentence",
    "bench_place",
    "bench_signature",
    "bench_step",
)
PICK_COLUMNS = ", ".join(f"b{i} integer" for i in range(BLOCKS))
