"""Which cached pages an article change touches, purged after the change commits."""

from __future__ import annotations

from django.conf import settings

from masthead.delivery.caching import section_tag, site_tag, story_tag
from masthead.delivery.pagecache import page_cache
from masthead.delivery.tasks import purge_front_caches
from masthead.network.models import Site
from masthead.newsroom.models import Article


def tags_for_articles(article_ids: list[int]) -> set[str]:
    """The story's own pages, the section fronts and homes that list it, its archive day,
    and the feeds and sitemaps of its site and language."""
    tags: set[str] = set()
    rows = Article.objects.filter(pk__in=article_ids).values_list(
        "story_id", "section_id", "site_id", "language"
    )
    codes = dict(Site.objects.values_list("pk", "code"))
    for story_id, section_id, site_id, language in rows:
        code = codes.get(site_id, "")
        tags |= {
            story_tag(story_id),
            section_tag(section_id),
            f"front-{code}-{language}",
            f"archive-{code}-{language}",
            f"feed-{code}-{language}",
            f"sitemap-{code}",
        }
    return tags


def pages_invalidate(*, article_ids: list[int]) -> int:
    """Article listener (settings.MASTHEAD_ARTICLE_LISTENERS): purge what the change touches."""
    return page_cache().purge(sorted(tags_for_articles(article_ids)))


def pages_invalidate_sites(*, site_codes: list[str]) -> int:
    """Network listener: a site's name, sections or domains changed; every page of it shows
    them. Caches in front are told too."""
    tags = [site_tag(code) for code in site_codes]
    if tags and settings.MASTHEAD_FRONT_CACHES:
        purge_front_caches(tags)
    return page_cache().purge(tags) if tags else 0


def front_caches_purge(*, article_ids: list[int]) -> None:
    """Article listener: tell the caches in front, from the worker (never slowing an edit)."""
    if not settings.MASTHEAD_FRONT_CACHES:
        return
    tags = sorted(tags_for_articles(article_ids))
    if tags:
        purge_front_caches(tags)
