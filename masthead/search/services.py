"""Keeping the index in step with the newsroom, and answering a reader's query."""

from __future__ import annotations

import html
import re
from dataclasses import dataclass

from django.db import transaction

from masthead.network.models import Site
from masthead.newsroom.models import Article, ArticleStatus
from masthead.newsroom.services.text import body_text
from masthead.search.backend import search_backend
from masthead.search.base import entry_for, snippet
from masthead.search.models import SearchEntry
from masthead.search.query import ParsedQuery, parse_query

# A snippet is looked for in the first 100 KB of an article's text, and shows a word of at most
# 60 characters: one word of 19 MB made a search page of 20 MB, in 10 s.
SNIPPET_SCAN_CHARS = 100_000
_LONG_WORD = re.compile(r"(\S{60})\S+")


@dataclass(frozen=True)
class SearchResult:
    article: Article
    snippet: str  # escaped HTML with <mark> around the matched words


@dataclass(frozen=True)
class SearchPage:
    query: ParsedQuery
    results: list[SearchResult]
    total: int
    number: int
    page_size: int

    @property
    def num_pages(self) -> int:
        return max(1, -(-self.total // self.page_size))

    @property
    def has_next(self) -> bool:
        return self.number < self.num_pages

    @property
    def has_previous(self) -> bool:
        return self.number > 1


def search_index_articles(*, article_ids: list[int]) -> None:
    """Index the published ones, drop the rest. Called after the newsroom commits a change."""
    articles = list(Article.objects.filter(pk__in=article_ids).select_related("picture"))
    published = [a for a in articles if a.status == ArticleStatus.PUBLISHED and a.published_at]
    backend = search_backend()
    with transaction.atomic():
        # Every entry of these articles goes, and the published ones come back whole (on
        # SQLite the full-text rows go with their entries, by trigger).
        SearchEntry.objects.filter(article_id__in=article_ids).delete()
        if published:
            backend.store_many([entry_for(article) for article in published])


def search_rebuild() -> int:
    """Index every published article again (after a restore, or a change of backend)."""
    ids = list(Article.objects.filter(status=ArticleStatus.PUBLISHED).values_list("pk", flat=True))
    stale = list(SearchEntry.objects.exclude(article_id__in=ids).values_list("pk", flat=True))
    search_index_articles(article_ids=stale)
    for start in range(0, len(ids), 500):
        search_index_articles(article_ids=ids[start : start + 500])
    return len(ids)


def search_articles(
    *, site: Site, language: str, text: str, page: int, page_size: int
) -> SearchPage:
    query = parse_query(text)
    if query.empty or page < 1 or page > 1000:
        return SearchPage(query, [], 0, max(1, min(page, 1000)), page_size)
    hits, total = search_backend().search(
        site_id=site.pk,
        language=language,
        query=query,
        offset=(page - 1) * page_size,
        limit=page_size,
    )
    articles = Article.objects.select_related("section", "picture").in_bulk(
        [hit.article_id for hit in hits]
    )
    results = []
    for hit in hits:
        article = articles.get(hit.article_id)
        if article is None or article.status != ArticleStatus.PUBLISHED:
            continue
        text = body_text(article.body) or html.unescape(article.headline)
        results.append(SearchResult(article, snippet_of_text(text, query, article.language)))
    return SearchPage(query, results, total, page, page_size)


def snippet_of_text(text: str, query: ParsedQuery, language: str) -> str:
    return snippet(_LONG_WORD.sub(r"\1…", text[:SNIPPET_SCAN_CHARS]), query, language)
