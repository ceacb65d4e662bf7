"""Who may see and act on what in the newsroom: the sites (and their languages) a member of
staff works on, and the role they hold there. Every list, form and action of the desk reads
its rows through these, so what a user may touch is decided in one place."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Exists, OuterRef, Q, QuerySet

from masthead.network.models import Section
from masthead.newsroom.models import Article, Role, SiteMembership, Story
from masthead.newsroom.roles import role_at_least


@dataclass(frozen=True)
class Seat:
    """One membership: a site, the role held there, and its languages (empty: all)."""

    site_id: int
    role: str
    languages: tuple[str, ...]

    def covers(self, language: str) -> bool:
        return not self.languages or language.split("-", 1)[0] in self.languages


def user_seats(*, user: Any) -> list[Seat] | None:
    """The user's memberships, read once per request (kept on the user object, which lives as
    long as the request); None for a superuser, who works on every site as an admin."""
    if getattr(user, "is_superuser", False) and user.is_active:
        return None
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return []
    seats = getattr(user, "_masthead_seats", None)
    if seats is None:
        seats = [
            Seat(site_id, role, tuple(str(lang).split("-", 1)[0] for lang in languages or ()))
            for site_id, role, languages in SiteMembership.objects.filter(user=user).values_list(
                "site_id", "role", "languages"
            )
        ]
        user._masthead_seats = seats
    return list(seats)


def user_site_ids(*, user: Any, role: str = Role.VIEWER) -> set[int] | None:
    """The ids of the sites where this user holds at least `role`; None: every site."""
    seats = user_seats(user=user)
    if seats is None:
        return None
    return {s.site_id for s in seats if role_at_least(s.role, role)}


def user_scope(*, user: Any, role: str = Role.VIEWER, prefix: str = "") -> Q | None:
    """A filter for the articles this user holds at least `role` on (site and language);
    None: no limit. `prefix` leads to the article from another model ("articles__")."""
    seats = user_seats(user=user)
    if seats is None:
        return None
    scope = Q(pk__in=[])  # matches nothing: a user with no seat sees nothing
    for seat in seats:
        if not role_at_least(seat.role, role):
            continue
        here = Q(**{f"{prefix}site_id": seat.site_id})
        if seat.languages:
            here &= Q(**{f"{prefix}language__in": seat.languages})
        scope |= here
    return scope


def articles_for_user(
    *, user: Any, queryset: QuerySet[Article], role: str = Role.VIEWER
) -> QuerySet[Article]:
    """The articles the user holds at least `role` on: seeing needs a viewer's seat, acting
    an editor's (pass role=Role.EDITOR), killing a chief's."""
    scope = user_scope(user=user, role=role)
    return queryset if scope is None else queryset.filter(scope)


def stories_for_user(*, user: Any, queryset: QuerySet[Story]) -> QuerySet[Story]:
    """Stories with an article the user works on; Exists, so no DISTINCT over a big join."""
    scope = user_scope(user=user)
    if scope is None:
        return queryset
    return queryset.filter(Exists(Article.objects.filter(scope, story_id=OuterRef("pk"))))


def user_may_act(*, user: Any, article: Article, role: str = Role.EDITOR) -> bool:
    """Whether the user holds at least `role` (by default an editor's) on this article's site
    and language."""
    seats = user_seats(user=user)
    if seats is None:
        return True
    return any(
        s.site_id == article.site_id and s.covers(article.language) and role_at_least(s.role, role)
        for s in seats
    )


def user_sections(*, user: Any, language: str, role: str = Role.EDITOR) -> QuerySet[Section]:
    """The sections in `language` (its primary subtag) of the sites where the user holds at
    least `role` in that language: where they may put a story by hand."""
    primary = language.split("-", 1)[0]
    sections = Section.objects.filter(
        Q(language=primary) | Q(language__startswith=f"{primary}-")
    ).select_related("site")
    seats = user_seats(user=user)
    if seats is None:
        return sections
    site_ids = {s.site_id for s in seats if s.covers(primary) and role_at_least(s.role, role)}
    return sections.filter(site_id__in=site_ids)


def user_may_kill(*, user: Any, story_ids: set[int]) -> bool:
    """A kill takes a story off every site, so it needs the user to be chief (or more) on
    every site and language the story is on."""
    return _covers_all(user=user, story_ids=story_ids, role=Role.CHIEF)


def user_may_end_breaking(*, user: Any, story_ids: set[int]) -> bool:
    """Ending a breaking-news strip changes every site carrying the story: chief on each."""
    return _covers_all(user=user, story_ids=story_ids, role=Role.CHIEF)


def _covers_all(*, user: Any, story_ids: set[int], role: str) -> bool:
    scope = user_scope(user=user, role=role)
    if scope is None:
        return True
    if not getattr(user, "is_staff", False):
        return False
    return not Article.objects.filter(story_id__in=story_ids).exclude(scope).exists()


def stories_on_other_sites(
    *, keys: set[tuple[str, str]], site_code: str
) -> dict[tuple[str, str], list[str]]:
    """Of these stories (provider, guid), those other sites than `site_code` carry, with the
    codes of those sites: what a push with one site's token may not change."""
    found: dict[tuple[str, str], set[str]] = {}
    rows = (
        Article.objects.filter(story__guid__in={guid for _, guid in keys})
        .exclude(site__code=site_code)
        .values_list("story__provider", "story__guid", "site__code")
    )
    for provider, guid, code in rows:
        if (provider, guid) in keys:
            found.setdefault((provider, guid), set()).add(code)
    return {key: sorted(codes) for key, codes in found.items()}
