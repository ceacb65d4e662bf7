"""Read-only queries behind the reader pages."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.db.models import QuerySet

from masthead.network.models import Section, Site
from masthead.newsroom.models import Article, ArticleStatus


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


def home_sections(
    *, site: Site, language: str, per_section: int
) -> list[tuple[Section, list[Article]]]:
    """Each section of the site in this language with its latest articles (empty ones left out)."""
    out = []
    for section in Section.objects.filter(site=site, language=language).order_by("position"):
        articles = list(section_articles(section=section)[:per_section])
        if articles:
            out.append((section, articles))
    return out


def top_articles(*, site: Site, language: str, count: int) -> list[Article]:
    """Pinned first, then the most urgent of the latest, then the latest."""
    latest = list(
        published_articles(site=site, language=language).select_related("story")[: count * 4]
    )
    latest.sort(
        key=lambda a: (
            not a.pinned,
            a.story.urgency > 2,
            -(a.published_at.timestamp() if a.published_at else 0),
        )
    )
    return latest[:count]


def day_articles(*, site: Site, language: str, day: date) -> QuerySet[Article]:
    """Articles published on `day` as the site's readers count days (its time zone)."""
    zone = ZoneInfo(site.timezone)
    start = datetime.combine(day, time.min, tzinfo=zone)
    end = datetime.combine(day + timedelta(days=1), time.min, tzinfo=zone)
    return published_articles(site=site, language=language).filter(
        published_at__gte=start, published_at__lt=end
    )
