"""The search backend contract, and what both backends share: entries, snippets, results.

An entry keeps no copy of the article's text: each backend indexes it in its own form (stems
in SQLite's FTS5 table, a tsvector on PostgreSQL), and snippets are cut from the article itself,
which a result page loads anyway.
"""

from __future__ import annotations

import html
import unicodedata
from dataclasses import dataclass

from masthead.newsroom.models import Article
from masthead.newsroom.services.text import body_text
from masthead.search.models import SearchEntry
from masthead.search.query import ParsedQuery, fold, pieces_of, stem, words_of

SNIPPET_WORDS = 30
# Ranking looks at the newest matches only: a word found in half the archive is ranked among
# its latest 2,000 articles, which is what a news reader wants and keeps every query fast.
CANDIDATES = 2000


@dataclass(frozen=True)
class IndexedText:
    """An entry to store, with the text its backend indexes (and does not keep as text)."""

    entry: SearchEntry
    headline: str
    body: str
    captions: str


@dataclass(frozen=True)
class Hit:
    article_id: int
    rank: float


class SearchBackend:
    """Stores entries and answers queries for one database engine."""

    def store_many(self, items: list[IndexedText]) -> None:
        """Save new entries (their articles have none now) and make them findable."""
        raise NotImplementedError

    def search(
        self, *, site_id: int, language: str, query: ParsedQuery, offset: int, limit: int
    ) -> tuple[list[Hit], int]:
        """The hits of one page, best first, and the total number of hits."""
        raise NotImplementedError


def rank_page(
    candidates: list[tuple[int, float]], *, offset: int, limit: int
) -> tuple[list[Hit], int]:
    """Order (article id, rank) pairs, newest first among equals, and cut one page. The total
    is capped at CANDIDATES (pages say "2,000 or more")."""
    total = min(len(candidates), CANDIDATES)
    ranked = sorted(candidates[:CANDIDATES], key=lambda c: (-c[1], -c[0]))
    return [Hit(pk, rank) for pk, rank in ranked[offset : offset + limit]], total


def entry_for(article: Article) -> IndexedText:
    captions = ""
    if article.picture_id and article.picture:
        captions = f"{article.picture.caption}\n{article.picture.credit}"
    assert article.published_at is not None  # only published articles are indexed
    entry = SearchEntry(
        article=article,
        site_id=article.site_id,
        language=article.language,
        published_at=article.published_at,
    )
    return IndexedText(entry, html.unescape(article.headline), body_text(article.body), captions)


def snippet_for(article: Article, query: ParsedQuery) -> str:
    """The snippet of a search result, from the article as it is now."""
    text = body_text(article.body) or html.unescape(article.headline)
    return snippet(text, query, article.language)


def best_window(flags: list[bool], size: int) -> int:
    """Where the first stretch of `size` flags with the most set ones starts (a sliding count:
    a search page makes twenty snippets of articles of hundreds of words)."""
    count = best_count = sum(flags[:size])
    best = 0
    for start in range(1, len(flags) - size + 1):
        count += flags[start + size - 1] - flags[start - 1]
        if count > best_count:
            best, best_count = start, count
    return best


def snippet(text: str, query: ParsedQuery, language: str) -> str:
    """Escaped HTML: the stretch of `text` with the most query words, those words in <mark>."""
    words = text.split()
    if not words:
        return ""
    stems = {stem(w, language) for term in query.terms for w in term.words}
    prefixes = tuple(term.words[-1] for term in query.terms if term.prefix)
    # A CJK run of the query is marked in the space-separated word that holds it (서울에서).
    runs = [unicodedata.normalize("NFKC", p) for p, cjk in pieces_of(query.text) if cjk]

    def matches_word(p: str) -> bool:
        return stem(p, language) in stems or bool(prefixes and fold(p).startswith(prefixes))

    def matches(word: str) -> bool:
        if not runs:
            return any(matches_word(p) for p in words_of(word))
        return any(
            any(run in unicodedata.normalize("NFKC", p) for run in runs) if cjk else matches_word(p)
            for p, cjk in pieces_of(word)
        )

    # Each different word looked at once: an article says "the" and "harbour" many times.
    hits = {word for word in set(words) if matches(word)}
    flags = [word in hits for word in words]
    best = best_window(flags, SNIPPET_WORDS)
    window = range(best, min(len(words), best + SNIPPET_WORDS))
    out = [
        f"<mark>{html.escape(words[i])}</mark>" if flags[i] else html.escape(words[i])
        for i in window
    ]
    lead = "… " if best > 0 else ""
    tail = " …" if best + SNIPPET_WORDS < len(words) else ""
    return lead + " ".join(out) + tail
