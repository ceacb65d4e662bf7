"""A synthetic archive for measuring: many stories over every site, language and section.

The text comes from small per-language sentence pools (`pool.py`); the database puts each
article together from them with set-based statements (`loader.py`, one file per engine), in
batches, each batch in one transaction. On PostgreSQL several connections load batches side by
side. Nothing here is used by the product itself; `masthead bench populate` calls it.
"""

from __future__ import annotations

import os
import random
import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from django.db import connection, transaction
from django.utils import timezone

from masthead.network.models import Section
from masthead.newsroom.models import Article, Story
from masthead.search.sqlite import scope_token
from masthead_bench.populate.indexes import indexes_deferred, indexes_restore_leftovers
from masthead_bench.populate.loader import Loader, Place, Plan
from masthead_bench.populate.pool import Pool

DEFER_INDEXES_FROM = 50_000


@dataclass
class PopulateResult:
    articles: int
    seconds: float

    @property
    def rate(self) -> float:
        return self.articles / self.seconds if self.seconds else 0.0


def populate(
    *,
    articles: int,
    batch: int = 5000,
    seed: int = 1,
    days: int = 365,
    jobs: int = 0,
    progress: Callable[[int], None] | None = None,
) -> PopulateResult:
    """Add `articles` published articles (one story per article, on one site and language).
    `jobs`: connections loading side by side on PostgreSQL (0: one per core); SQLite has one
    writer, so it always loads on one."""
    first_article = _next_id(Article)
    plan = _plan(seed=seed, days=days, story_shift=_next_id(Story) - first_article)
    postgres = connection.vendor == "postgresql"
    # Other connections cannot see what an open transaction holds (a test's network).
    if not postgres or connection.in_atomic_block:
        jobs = 1
    jobs = max(1, min(jobs or os.cpu_count() or 1, 8))
    batches = [
        (start, min(start + batch, first_article + articles) - 1)
        for start in range(first_article, first_article + articles, batch)
    ]
    done = 0
    counting = threading.Lock()  # batches end on several threads on PostgreSQL

    def advance(size: int) -> None:
        nonlocal done
        with counting:
            done += size
            if progress:
                progress(done)

    start = time.perf_counter()
    indexes_restore_leftovers()
    with _bulk_session(), indexes_deferred(enabled=articles >= DEFER_INDEXES_FROM, jobs=jobs):
        if jobs == 1:
            _load(plan, batches, advance)
        else:
            with ThreadPoolExecutor(max_workers=jobs) as pool:
                shares = [batches[i::jobs] for i in range(jobs)]
                for future in [pool.submit(_load_apart, plan, share, advance) for share in shares]:
                    future.result()
    if postgres:
        with connection.cursor() as cursor:
            for table in ("newsroom_story", "newsroom_article"):
                cursor.execute(
                    f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                    f"(SELECT max(id) FROM {table}))"
                )
    return PopulateResult(done, time.perf_counter() - start)


def _plan(*, seed: int, days: int, story_shift: int) -> Plan:
    targets = [
        (section.site, section)
        for section in Section.objects.select_related("site").order_by(
            "site__position", "site__code", "position"
        )
    ]
    if not targets:
        raise ValueError("the network has no sections: load a network file first")
    rng = random.Random(seed)  # noqa: S311 (reproducible test data, not secrets)
    languages = sorted({section.language for _, section in targets})
    pools = {language: Pool(rng, language, index) for index, language in enumerate(languages)}
    places = [
        Place(
            key=key,
            site_id=site.pk,
            section_id=section.pk,
            language=section.language,
            scope=scope_token(site.pk, section.language),
            signatures=[f"{s}--{site.code}" for s in site.signatures] or [f"X.Desk--{site.code}"],
        )
        for key, (site, section) in enumerate(targets)
    ]
    return Plan(places, pools, seed, timezone.now(), days * 86400, story_shift)


def _next_id(model: type[Article] | type[Story]) -> int:
    return (model.objects.order_by("-id").values_list("id", flat=True).first() or 0) + 1


def _loader(plan: Plan, cursor: Any) -> Loader:
    if connection.vendor == "postgresql":
        from masthead_bench.populate.postgres import PostgresLoader

        return PostgresLoader(plan, cursor)
    from masthead_bench.populate.sqlite import SqliteLoader

    return SqliteLoader(plan, cursor)


def _load(plan: Plan, batches: list[tuple[int, int]], advance: Callable[[int], None]) -> None:
    with connection.cursor() as cursor:
        loader = _loader(plan, cursor)
        loader.prepare()
        try:
            for first, last in batches:
                with transaction.atomic():
                    loader.load(first, last)
                advance(last - first + 1)
        finally:
            loader.finish()


def _load_apart(plan: Plan, batches: list[tuple[int, int]], advance: Callable[[int], None]) -> None:
    """`_load` on this thread's own connection, closed at the end."""
    try:
        _load(plan, batches, advance)
    finally:
        connection.close()


@contextmanager
def _bulk_session() -> Iterator[None]:
    """On SQLite, while loading: no fsync, a big page cache, temporary tables in memory. A
    process crash loses nothing committed; a power cut during the run could damage the file,
    which is why this is a benchmark tool and not an import path."""
    if connection.vendor != "sqlite" or connection.in_atomic_block:
        yield
        return
    pragmas = ("synchronous", "cache_size", "temp_store")
    with connection.cursor() as cursor:
        before = {}
        for name in pragmas:
            cursor.execute(f"PRAGMA {name}")
            before[name] = cursor.fetchone()[0]
        cursor.execute("PRAGMA synchronous = OFF")
        cursor.execute("PRAGMA cache_size = -262144")
        cursor.execute("PRAGMA temp_store = MEMORY")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            for name, value in before.items():
                cursor.execute(f"PRAGMA {name} = {int(value)}")
