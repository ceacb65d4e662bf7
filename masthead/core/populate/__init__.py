"""A synthetic archive for measuring: many stories over every site, language and section.

Rows go in with bulk inserts, in batches, each batch in one transaction; the text is made from
small per-language word lists, so the search index (stems cached per word) keeps up. Nothing
here is used by the product itself; `masthead bench populate` calls it.
"""

from __future__ import annotations

import itertools
import json
import math
import random
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, timedelta
from typing import Any

from django.db import connection, transaction
from django.utils import timezone

from masthead.network.models import Section, Site
from masthead.newsroom.models import Article, ArticleStatus, Story
from masthead.newsroom.services.text import article_slug
from masthead.reader.search.postgres import config_for
from masthead.reader.search.query import fold, stem, words_of
from masthead.reader.search.sqlite import scope_token

PROVIDER = "BENCH"
WORDS = {
    "en": "city council harbour river bridge market budget school hospital train station museum "
    "festival minister parliament election vote summit trade energy grid wind solar farm "
    "farmers water flood storm winter summer football match league coach players season "
    "stadium record science study researchers university climate ocean satellite launch "
    "software data privacy court judge ruling company shares profits workers strike talks "
    "agreement plan report village mayor tourists museum gallery concert theatre film",
    "fr": "ville conseil port fleuve pont marché budget école hôpital gare musée festival "
    "ministre parlement élection vote sommet commerce énergie réseau vent solaire ferme "
    "agriculteurs eau crue tempête hiver été football match championnat entraîneur joueurs "
    "saison stade record science étude chercheurs université climat océan satellite "
    "lancement logiciel données tribunal juge décision entreprise actions bénéfices grève",
    "de": "Stadt Rat Hafen Fluss Brücke Markt Haushalt Schule Krankenhaus Bahnhof Museum "
    "Festival Ministerin Bundestag Wahl Abstimmung Gipfel Handel Energie Netz Wind Solar "
    "Bauern Wasser Hochwasser Sturm Winter Sommer Fußball Spiel Liga Trainer Spieler Saison "
    "Stadion Rekord Wissenschaft Studie Forscher Universität Klima Meer Satellit Start "
    "Software Daten Gericht Richter Urteil Unternehmen Aktien Gewinne Streik Gespräche",
    "it": "città consiglio porto fiume ponte mercato bilancio scuola ospedale stazione museo "
    "festival ministro parlamento elezioni voto vertice commercio energia rete vento solare "
    "agricoltori acqua alluvione tempesta inverno estate calcio partita campionato allenatore "
    "giocatori stagione stadio record scienza studio ricercatori università clima mare "
    "satellite lancio software dati tribunale giudice sentenza azienda azioni utili sciopero",
}


@dataclass
class PopulateResult:
    articles: int
    seconds: float

    @property
    def rate(self) -> float:
        return self.articles / self.seconds if self.seconds else 0.0


@dataclass(frozen=True)
class _Block:
    text: str  # as the search index keeps it
    json: str  # as the article body stores it
    stems: str  # as SQLite's full-text table indexes it
    sid: int  # its number among the pooled sentences


class _Pool:
    """Sentences made once per language and reused: generating text word by word for a
    million articles would cost more than inserting them. Stems are computed with them."""

    def __init__(
        self, rng: random.Random, language: str, ids: Iterator[int], size: int = 400
    ) -> None:
        words = WORDS.get(language, WORDS["en"]).split()

        def sentence(length: int) -> str:
            text = " ".join(rng.choice(words) for _ in range(length))
            return text[0].upper() + text[1:]

        self.headlines = [sentence(rng.randint(6, 11)) for _ in range(size)]
        self.paragraphs = [". ".join(sentence(14) for _ in range(3)) + "." for _ in range(size)]
        self.intertitles = [sentence(3) for _ in range(size // 4)]
        stems: dict[str, str] = {}  # per word: the vocabulary is small, the text is not

        def stem_of(word: str) -> str:
            if word not in stems:
                stems[word] = stem(word, language)
            return stems[word]

        self.stems = {
            text: " ".join(stem_of(word) for word in words_of(text))
            for text in [*self.headlines, *self.paragraphs, *self.intertitles]
        }
        self.slugs = {text: article_slug(text) for text in self.headlines}

        # A number per sentence: on PostgreSQL, its tsvector is kept on the server under it.
        self.ids = {text: next(ids) for text in self.stems}

        def block(kind: str, text: str) -> _Block:
            html = json.dumps(text, ensure_ascii=False)
            json_block = f'{{"type": "{kind}", "html": {html}}}'
            return _Block(text, json_block, self.stems[text], self.ids[text])

        self.paragraph_blocks = [block("paragraph", t) for t in self.paragraphs]
        self.intertitle_blocks = [block("intertitle", t) for t in self.intertitles]
        count = len(self.paragraphs)
        self.steps = [n for n in range(1, count) if math.gcd(n, count) == 1]
        if connection.vendor == "postgresql":
            # PostgreSQL's own parse of each pooled sentence, made once and kept on the server;
            # an article's document is then their concatenation (which shifts positions as a
            # real parse would), and only the sentences' numbers travel with the rows.
            texts = list(self.stems)
            with connection.cursor() as cursor:
                cursor.execute(
                    "INSERT INTO bench_sentence (id, v) SELECT i, to_tsvector(%s::regconfig, f) "
                    "FROM unnest(%s::int[], %s::text[]) AS u(i, f)",
                    [config_for(language), [self.ids[t] for t in texts], [fold(t) for t in texts]],
                )

    def body(self, rand: Callable[[], float]) -> list[_Block]:
        """Four to eight different paragraphs, an intertitle after the third: a start and a
        stride through the pool (prime to its size, so no paragraph comes twice)."""
        count = len(self.paragraph_blocks)
        first = int(rand() * count)
        step = self.steps[int(rand() * len(self.steps))]
        blocks = [
            self.paragraph_blocks[(first + i * step) % count] for i in range(4 + int(rand() * 5))
        ]
        intertitle = self.intertitle_blocks[int(rand() * len(self.intertitle_blocks))]
        blocks.insert(3, intertitle)
        return blocks


def populate(
    *,
    articles: int,
    batch: int = 5000,
    seed: int = 1,
    days: int = 365,
    progress: Callable[[int], None] | None = None,
) -> PopulateResult:
    """Add `articles` published articles (one story per article, on one site and language)."""
    rng = random.Random(seed)  # noqa: S311 (reproducible test data, not secrets)
    targets = [
        (site, section)
        for site in Site.objects.all()
        for section in Section.objects.filter(site=site).order_by("position")
    ]
    if not targets:
        raise ValueError("the network has no sections: load a network file first")
    postgres = connection.vendor == "postgresql"
    if postgres:
        with connection.cursor() as cursor:
            cursor.execute(
                "CREATE TEMP TABLE IF NOT EXISTS bench_sentence "
                "(id integer PRIMARY KEY, v tsvector)"
            )
            cursor.execute("TRUNCATE bench_sentence")
    ids = itertools.count(1)
    languages = sorted({section.language for _, section in targets})
    pools = {lang: _Pool(rng, lang, ids) for lang in languages}
    # Everything an article needs from its site and section, looked up once.
    places = [
        (
            site.pk,
            section.pk,
            section.language,
            scope_token(site.pk, section.language),
            pools[section.language],
            [f"{s}--{site.code}" for s in site.signatures] or [f"X.Desk--{site.code}"],
        )
        for site, section in targets
    ]
    now = timezone.now()
    sqlite = connection.vendor == "sqlite"
    naive_now = timezone.make_naive(now, UTC)
    if sqlite and not connection.in_atomic_block:
        with connection.cursor() as cursor:
            # A bulk load of measuring data: no fsync, a big page cache. A process crash loses
            # nothing committed; a power cut during the run could damage the file, which is
            # why this is a benchmark tool and not an import path.
            cursor.execute("PRAGMA synchronous = OFF")
            cursor.execute("PRAGMA cache_size = -262144")
    start = time.perf_counter()
    done = 0
    next_story = (Story.objects.order_by("-id").values_list("id", flat=True).first() or 0) + 1
    next_article = (Article.objects.order_by("-id").values_list("id", flat=True).first() or 0) + 1
    # rng.random() scaled, not rng.choice(): the archive is made of millions of random picks,
    # and choice()'s exact integers cost more than the rest of an article.
    rand = rng.random
    span = days * 86400
    published = ArticleStatus.PUBLISHED.value
    # A big load goes faster with the secondary indexes built once at the end.
    with _indexes_deferred(enabled=articles >= DEFER_INDEXES_FROM):
        while done < articles:
            size = min(batch, articles - done)
            stories, rows, entries, fts = [], [], [], []
            docs: list[tuple[int | None, ...]] = []
            for offset in range(size):
                story_id, article_id = next_story + done + offset, next_article + done + offset
                site_pk, section_pk, language, scope, pool, signatures = places[
                    int(rand() * len(places))
                ]
                ago = timedelta(seconds=int(rand() * span))
                # SQLite keeps UTC text (what Django's adapter would make); psycopg takes the
                # aware time as it is.
                when: Any = str(naive_now - ago) if sqlite else now - ago
                headline = pool.headlines[int(rand() * len(pool.headlines))]
                blocks = pool.body(rand)
                stories.append(
                    (
                        story_id,
                        PROVIDER,
                        f"bench:{story_id}",
                        1,
                        when,
                        when,
                        URGENCY[int(rand() * len(URGENCY))],
                        "[]",
                        "usable",
                        "",
                        when,
                        when,
                    )
                )
                rows.append(
                    (
                        article_id,
                        story_id,
                        site_pk,
                        language,
                        section_pk,
                        pool.slugs[headline],
                        headline,
                        "[" + ", ".join([b.json for b in blocks]) + "]",
                        signatures[int(rand() * len(signatures))],
                        PROVIDER,
                        published,
                        False,
                        when,
                        when,
                    )
                )
                text = "\n".join([b.text for b in blocks])
                entries.append((article_id, site_pk, language, when, headline, text, ""))
                fts.append(
                    (article_id, scope, pool.stems[headline], " ".join([b.stems for b in blocks]))
                )
                if postgres:
                    parts = [b.sid for b in blocks]
                    docs.append((pool.ids[headline], *parts, *[None] * (BODY_SLOTS - len(parts))))
            with transaction.atomic(), connection.cursor() as cursor:
                if connection.vendor == "postgresql":
                    _load_postgres(
                        cursor, stories, rows, [e + d for e, d in zip(entries, docs, strict=True)]
                    )
                else:
                    cursor.executemany(STORY_SQL, stories)
                    cursor.executemany(ARTICLE_SQL, rows)
                    cursor.executemany(ENTRY_SQL, entries)
                    cursor.executemany(FTS_SQL, fts)
            done += size
            if progress:
                progress(done)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            for table in ("newsroom_story", "newsroom_article"):
                cursor.execute(
                    f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "  # noqa: S608
                    f"(SELECT max(id) FROM {table}))"
                )
    return PopulateResult(done, time.perf_counter() - start)


URGENCY = (2, 3, 3, 4, 4, 4)
STORY_SQL = (
    "INSERT INTO newsroom_story (id, provider, guid, version, version_created, first_created, "
    "urgency, subjects, status, ednote, created_at, updated_at) "
    "VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s)"
)
ARTICLE_SQL = (
    "INSERT INTO newsroom_article (id, story_id, site_id, language, section_id, slug, headline, "
    "body, signature, source_agency, status, pinned, published_at, modified_at) "
    "VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s)"
)
ENTRY_SQL = (
    "INSERT INTO reader_searchentry (article_id, site_id, language, published_at, headline, "
    "body, captions) VALUES (%s, %s, %s, %s, %s, %s, %s)"
)


FTS_SQL = (
    "INSERT INTO reader_search_fts (rowid, scope, headline, body, captions) "
    "VALUES (%s, %s, %s, %s, '')"
)
BODY_SLOTS = 9  # at most 8 paragraphs and an intertitle
STORY_COLUMNS = (
    "id, provider, guid, version, version_created, first_created, urgency, subjects, status, "
    "ednote, created_at, updated_at"
)
ARTICLE_COLUMNS = (
    "id, story_id, site_id, language, section_id, slug, headline, body, signature, "
    "source_agency, status, pinned, published_at, modified_at"
)
SLOTS = ", ".join(f"d{i} integer" for i in range(BODY_SLOTS))
DOCUMENT = " || ".join(f"coalesce(s{i}.v, ''::tsvector)" for i in range(BODY_SLOTS))
SENTENCES = " ".join(
    f"LEFT JOIN bench_sentence s{i} ON s{i}.id = e.d{i}" for i in range(BODY_SLOTS)
)


def _load_postgres(
    cursor: Any,
    stories: list[tuple[Any, ...]],
    rows: list[tuple[Any, ...]],
    entries: list[tuple[Any, ...]],
) -> None:
    """COPY, the fastest way into PostgreSQL; the search document is put together from the
    pooled sentences' tsvectors, kept on the server, in one set-based statement."""
    cursor.execute("SET LOCAL synchronous_commit = off")  # measuring data: a crash may lose it
    raw = cursor.cursor  # psycopg's own cursor, for COPY
    with raw.copy(f"COPY newsroom_story ({STORY_COLUMNS}) FROM STDIN") as copy:
        for row in stories:
            copy.write_row(row)
    with raw.copy(f"COPY newsroom_article ({ARTICLE_COLUMNS}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row(row)
    cursor.execute(
        "CREATE TEMP TABLE IF NOT EXISTS bench_entry (article_id bigint, site_id bigint, "
        f"language text, published_at timestamptz, headline text, body text, h integer, {SLOTS})"
        " ON COMMIT DELETE ROWS"
    )
    cursor.execute("TRUNCATE bench_entry")  # inside an outer transaction, rows would linger
    with raw.copy("COPY bench_entry FROM STDIN") as copy:
        for row in entries:
            copy.write_row(row[:6] + row[7:])
    cursor.execute(
        "INSERT INTO reader_searchentry (article_id, site_id, language, published_at, headline, "  # noqa: S608 (constants only)
        "body, captions, document) SELECT e.article_id, e.site_id, e.language, e.published_at, "
        f"e.headline, e.body, '', setweight(h.v, 'A') || setweight({DOCUMENT}, 'B') "
        f"FROM bench_entry e JOIN bench_sentence h ON h.id = e.h {SENTENCES}"
    )


DEFER_INDEXES_FROM = 50_000
DEFERRED_TABLES = ("newsroom_article", "newsroom_story", "reader_searchentry")


@contextmanager
def _indexes_deferred(*, enabled: bool) -> Iterator[None]:
    """Drop the tables' secondary indexes, then create them again from their own definitions.
    Primary keys and the indexes behind constraints stay."""
    if not enabled or connection.in_atomic_block:
        yield
        return
    tables = list(DEFERRED_TABLES)
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute(
                "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL "
                "AND sql NOT LIKE 'CREATE UNIQUE%%' AND tbl_name IN (%s, %s, %s)",
                tables,
            )
        else:
            cursor.execute(
                "SELECT i.indexname, i.indexdef FROM pg_indexes i "
                "WHERE i.tablename IN (%s, %s, %s) AND i.indexdef NOT LIKE 'CREATE UNIQUE%%' "
                "AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conname = i.indexname)",
                tables,
            )
        indexes = cursor.fetchall()
        for name, _ in indexes:
            cursor.execute(f'DROP INDEX IF EXISTS "{name}"')
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            for _, definition in indexes:
                cursor.execute(definition)
