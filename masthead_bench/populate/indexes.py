"""Secondary indexes dropped for a big load and built again once at the end.

Building an index over a loaded table is several times cheaper than keeping it up to date row
by row. The dropped definitions are written down first (a table of their own, committed before
anything is dropped), so a load killed half-way leaves a note, and the next populate builds them
again before it starts. Primary keys and the indexes behind unique constraints stay.
"""

from __future__ import annotations

from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager

from django.db import connection, connections

TABLES = ("newsroom_article", "newsroom_story", "reader_searchentry")
RECORD = "bench_dropped_index"


@contextmanager
def indexes_deferred(*, enabled: bool, jobs: int = 1) -> Iterator[None]:
    """Drop the tables' secondary indexes for the block's length; build them again after it
    (on PostgreSQL, `jobs` at a time, each on its own connection)."""
    if not enabled or connection.in_atomic_block:
        yield
        return
    definitions = _secondary_indexes()
    with connection.cursor() as cursor:
        cursor.execute(f"CREATE TABLE IF NOT EXISTS {RECORD} (definition text NOT NULL)")
        cursor.executemany(
            f"INSERT INTO {RECORD} (definition) VALUES (%s)",
            [(d,) for _, d in definitions],
        )
        for name, _ in definitions:
            cursor.execute(f'DROP INDEX IF EXISTS "{name}"')
    try:
        yield
    finally:
        _build([d for _, d in definitions], jobs=jobs)


def indexes_restore_leftovers() -> int:
    """Build again what a load that did not finish left dropped; how many there were."""
    if RECORD not in connection.introspection.table_names():
        return 0
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT definition FROM {RECORD}")
        definitions = [row[0] for row in cursor.fetchall()]
    _build(definitions, jobs=1)
    return len(definitions)


def _secondary_indexes() -> list[tuple[str, str]]:
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute(
                "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL "
                "AND sql NOT LIKE 'CREATE UNIQUE%%' AND tbl_name IN (%s, %s, %s)",
                list(TABLES),
            )
        else:
            cursor.execute(
                "SELECT i.indexname, i.indexdef FROM pg_indexes i "
                "WHERE i.tablename IN (%s, %s, %s) AND i.indexdef NOT LIKE 'CREATE UNIQUE%%' "
                "AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conname = i.indexname)",
                list(TABLES),
            )
        return [(name, definition) for name, definition in cursor.fetchall()]


def _build(definitions: list[str], *, jobs: int) -> None:
    if connection.vendor == "postgresql" and jobs > 1:
        # Biggest first (the search documents' GIN index), each on its own connection.
        ordered = sorted(definitions, key=lambda d: "gin" not in d.lower())
        with ThreadPoolExecutor(max_workers=jobs) as pool:
            list(pool.map(_build_apart, ordered))  # list(): errors come out here
    else:
        for definition in definitions:
            _build_one(definition)
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE IF EXISTS {RECORD}")


def _build_one(definition: str) -> None:
    """One index, and its line of the record (an index built twice is built once)."""
    with connections["default"].cursor() as cursor:
        if connection.vendor == "postgresql":
            # The product's statement timeout (settings.py) is for requests: building the
            # search documents' GIN index over a million rows takes minutes.
            cursor.execute("SET statement_timeout = 0")
        cursor.execute(definition.replace("CREATE INDEX ", "CREATE INDEX IF NOT EXISTS ", 1))
        cursor.execute(f"DELETE FROM {RECORD} WHERE definition = %s", [definition])


def _build_apart(definition: str) -> None:
    try:
        _build_one(definition)
    finally:
        connections["default"].close()
