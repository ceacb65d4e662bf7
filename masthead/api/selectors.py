"""What the API reads: the reader's published-article queries, a page at a time by key.

Only published articles are public, as on the pages (reader.selectors): drafts, withheld and
embargoed copy answer 404, a killed article 410, and lists carry neither.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime

from django.db.models import Q, QuerySet

from masthead.network.models import Section, Site
from masthead.newsroom.models import Article, ArticleStatus, Correction
from masthead.reader import selectors

HIDDEN = (ArticleStatus.DRAFT, ArticleStatus.WITHHELD, ArticleStatus.EMBARGOED)


@dataclass(frozen=True)
class ArticleSlice:
    articles: list[Article]
    alternates: dict[int, list[Article]]  # story id -> its other published languages here
    has_next: bool
    corrections: dict[int, list[Correction]] = field(default_factory=dict)  # by article id


def articles_page(
    *,
    site: Site,
    language: str,
    section: Section | None,
    since: datetime | None,
    updated_since: datetime | None,
    after: tuple[datetime, int] | None,
    limit: int,
    private: bool = False,
) -> ArticleSlice:
    """Newest first by (published_at, story_id); `after` is the key the previous page ended
    on. One indexed range read (article_front or article_section_front), limit + 1 rows to
    know whether a next page exists: no OFFSET, no COUNT. `private` (a `read-private` token's
    list): drafts, withheld and embargoed articles too, in the same order; one never given a
    publication time is not listed (it has no place in it), only asked for by id."""
    if private:
        found = Article.objects.filter(
            site=site, status__in=(ArticleStatus.PUBLISHED, *HIDDEN)
        ).order_by("-published_at", "-story_id")
        found = (
            found.filter(section=section)
            if section is not None
            else found.filter(language=language)
        )
    else:
        found = (
            selectors.section_articles(section=section)
            if section is not None
            else selectors.published_articles(site=site, language=language)
        )
    found = found.filter(published_at__isnull=False)
    if since is not None:
        found = found.filter(published_at__gte=since)
    if updated_since is not None:
        # An article whose text never changed was last "updated" when it was published.
        found = found.filter(
            Q(updated_at__gte=updated_since)
            | Q(updated_at__isnull=True, published_at__gte=updated_since)
        )
    if after is not None:
        published_at, story_id = after
        found = found.filter(
            Q(published_at__lt=published_at) | Q(published_at=published_at, story_id__lt=story_id)
        )
    rows = list(_listed(found)[: limit + 1])
    articles = rows[:limit]
    return ArticleSlice(
        articles,
        alternates_of(site=site, articles=articles),
        len(rows) > limit,
        corrections_of(articles),
    )


def article_versions(*, site: Site, story_id: int) -> list[Article]:
    """The story's articles on this site in every language, whatever their status: the one
    asked for and the languages it links to, in one query (as the article page reads them)."""
    versions = list(_for_items(Article.objects.filter(site=site, story_id=story_id)))
    for version in versions:
        version.site = site
    return versions


def alternates_of(*, site: Site, articles: list[Article]) -> dict[int, list[Article]]:
    """For each article, the story's other published languages on this site: one query for a
    whole page, only the few columns a link needs."""
    if not articles:
        return {}
    rows = (
        Article.objects.filter(
            site=site,
            story_id__in=[a.story_id for a in articles],
            status=ArticleStatus.PUBLISHED,
        )
        .select_related("section")
        .only("story_id", "language", "slug", "headline", "section__name")
        .order_by("language")
    )
    languages = {a.story_id: a.language for a in articles}
    out: dict[int, list[Article]] = defaultdict(list)
    for row in rows:
        if row.language != languages[row.story_id]:
            out[row.story_id].append(row)
    return dict(out)


def corrections_of(articles: list[Article]) -> dict[int, list[Correction]]:
    """The corrections of a page of articles, by article id, in one query (most have none);
    cheaper than prefetch_related, which builds a related manager for every article."""
    found: dict[int, list[Correction]] = {}
    if articles:
        for correction in Correction.objects.filter(article__in=articles).only(
            "article_id", "at", "note"
        ):
            found.setdefault(correction.article_id, []).append(correction)
    return found


def _listed(articles: QuerySet[Article]) -> QuerySet[Article]:
    """A list's items: the columns a partial ninjs item prints, nothing more (the body and the
    desk's own columns stay in the database; a list is a third cheaper to read)."""
    return articles.select_related("section", "picture", "story").only(
        *LISTED_FIELDS, "section__name", "story__urgency", "story__subjects", "picture"
    )


# What article_ninjs(full=False) reads of an article row.
LISTED_FIELDS = (
    "site_id",
    "story_id",
    "section_id",
    "language",
    "status",
    "slug",
    "headline",
    "standfirst",
    "summary",
    "signature",
    "source_agency",
    "published_at",
    "updated_at",
    "embargo_until",
)


def _for_items(articles: QuerySet[Article]) -> QuerySet[Article]:
    # The story (urgency, subjects) joined; corrections in one more query for the page.
    return articles.select_related("section", "picture", "story").prefetch_related("corrections")
