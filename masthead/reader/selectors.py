"""Read-only queries behind the reader pages."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.db.models import QuerySet
from django.utils import timezone

from masthead.network.models import Section, Site
from masthead.newsroom.models import Article, ArticleStatus, Story


def published_articles(*, site: Site, language: str) -> QuerySet[Article]:
    return (
        Article.objects.filter(site=site, language=language, status=ArticleStatus.PUBLISHED)
        .select_related("section", "picture")
        .order_by("-published_at", "-story_id")
    )


def section_articles(*, section: Section) -> QuerySet[Article]:
    return (
        Article.objects.filter(section=section, status=ArticleStatus.PUBLISHED)
        .select_related("section", "picture")
        .order_by("-published_at", "-story_id")
    )


def teasers(articles: QuerySet[Article]) -> QuerySet[Article]:
    """For lists (fronts, archive, "latest"): a teaser shows the headline, time and picture, so
    the body, most of an article row, is left in the database (feeds keep it: they carry the
    full text)."""
    return articles.defer("body")


def home_sections(
    *, site: Site, language: str, per_section: int, shown: frozenset[int] = frozenset()
) -> list[tuple[Section, list[Article]]]:
    """Each section of the site in this language with its latest articles, leaving out the
    stories `shown` higher on the page (no story twice on one page); empty ones left out."""
    out = []
    for section in Section.objects.filter(site=site, language=language).order_by("position"):
        found = teasers(section_articles(section=section))[: per_section + len(shown)]
        articles = [a for a in found if a.pk not in shown][:per_section]
        if articles:
            out.append((section, articles))
    return out


def top_articles(*, site: Site, language: str, count: int) -> list[Article]:
    """Pinned first, then the most urgent of the latest, then the latest."""
    latest = list(
        teasers(published_articles(site=site, language=language).select_related("story"))[
            : count * 4
        ]
    )
    latest.sort(
        key=lambda a: (
            not a.pinned,
            a.story.urgency > 2,
            -(a.published_at.timestamp() if a.published_at else 0),
        )
    )
    return latest[:count]


def live_breaking_stories(*, now: datetime | None = None) -> list[int]:
    """The stories whose breaking-news strip is up: usually none, a few at most. Read on the
    index of Story.breaking_live: Django writes `breaking_live=True` as a bare `WHERE
    breaking_live`, which SQLite cannot look up in an index (it walked every story), hence
    `__in=[True]`."""
    return list(
        Story.objects.filter(
            breaking_live__in=[True], breaking_until__gt=now or timezone.now()
        ).values_list("pk", flat=True)
    )


def breaking_article(*, site: Site, language: str, now: datetime | None = None) -> Article | None:
    """The article of this site and language whose story's breaking-news strip is up, the
    most recently raised or updated if several. One query on the few live stories (none on
    most pages), and a second by their ids when there are some. One query joining articles
    to stories was planned the wrong way round on SQLite: it read every published article of
    the site and language (160-330 ms a page at 100,000 articles). Its time is checked here
    rather than trusted to the worker, so a strip is gone at its end even before the worker
    has purged its pages."""
    now = now or timezone.now()
    live = live_breaking_stories(now=now)
    if not live:
        return None
    return (
        Article.objects.filter(
            site=site,
            language=language,
            status=ArticleStatus.PUBLISHED,
            story_id__in=live,
        )
        .select_related("section", "story")
        .only(
            "story_id",
            "language",
            "slug",
            "headline",
            "section__name",
            "story__breaking_until",
        )
        .order_by("-story__breaking_until", "-story_id")
        .first()
    )


def day_articles(*, site: Site, language: str, day: date) -> QuerySet[Article]:
    """Articles published on `day` as the site's readers count days (its time zone)."""
    zone = ZoneInfo(site.timezone)
    start = datetime.combine(day, time.min, tzinfo=zone)
    end = datetime.combine(day + timedelta(days=1), time.min, tzinfo=zone)
    return teasers(published_articles(site=site, language=language)).filter(
        published_at__gte=start, published_at__lt=end
    )


@dataclass
class SlicePage:
    """One page of a front without counting the whole section: COUNT(*) over a section of a
    million-article archive costs more than the page itself. Older pages than MAX_PAGES are
    reached through the date archive."""

    object_list: list[Article]
    number: int
    has_next: bool
    size: int = 20

    MAX_PAGES = 500

    @property
    def start_index(self) -> int:
        """The 1-based position of the page's first story in the section ("21" on page 2)."""
        return (self.number - 1) * self.size + 1 if self.object_list else 0

    @property
    def end_index(self) -> int:
        return self.start_index + len(self.object_list) - 1 if self.object_list else 0

    @property
    def has_previous(self) -> bool:
        return self.number > 1

    @property
    def has_other_pages(self) -> bool:
        return self.has_previous or self.has_next

    @property
    def previous_page_number(self) -> int:
        return self.number - 1

    @property
    def next_page_number(self) -> int:
        return self.number + 1


MAX_PAGE_DIGITS = 6


def page_number(raw: str) -> int | None:
    """A `?page=` value as a number, or None: ASCII digits only, and few of them (int() refuses
    5,000 digits, and "²" passes isdigit() but not int())."""
    if not raw.isascii() or not raw.isdigit() or len(raw) > MAX_PAGE_DIGITS:
        return None
    return int(raw)


def slice_page(articles: QuerySet[Article], *, number: str, size: int) -> SlicePage | None:
    """The page, or None when the number is not a page that exists."""
    page = page_number(number)
    if page is None or not 1 <= page <= SlicePage.MAX_PAGES:
        return None
    rows = list(articles[(page - 1) * size : page * size + 1])
    if page > 1 and not rows:
        return None
    has_next = len(rows) > size and page < SlicePage.MAX_PAGES
    return SlicePage(rows[:size], page, has_next, size)
