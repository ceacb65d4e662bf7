"""Who may see and act on what in the newsroom: the sites a member of staff works on."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from masthead.newsroom.models import Article, SiteMembership, Story


def user_site_ids(*, user: Any) -> set[int] | None:
    """The ids of the sites this user works on; None for a superuser (every site)."""
    if getattr(user, "is_superuser", False):
        return None
    if not getattr(user, "is_authenticated", False):
        return set()
    return set(SiteMembership.objects.filter(user=user).values_list("site_id", flat=True))


def articles_for_user(*, user: Any, queryset: QuerySet[Article]) -> QuerySet[Article]:
    sites = user_site_ids(user=user)
    return queryset if sites is None else queryset.filter(site_id__in=sites)


def stories_for_user(*, user: Any, queryset: QuerySet[Story]) -> QuerySet[Story]:
    sites = user_site_ids(user=user)
    return queryset if sites is None else queryset.filter(articles__site_id__in=sites).distinct()


def user_may_kill(*, user: Any, story_ids: set[int]) -> bool:
    """A kill takes a story off every site, so it needs the user on every site it is on."""
    sites = user_site_ids(user=user)
    if sites is None:
        return True
    on = set(Article.objects.filter(story_id__in=story_ids).values_list("site_id", flat=True))
    return on <= sites
