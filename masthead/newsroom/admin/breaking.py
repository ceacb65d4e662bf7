"""Breaking news from the article list: an editor raises a story's strip, a chief ends it."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import timezone

from masthead.newsroom.models import Article, Role, Story
from masthead.newsroom.selectors import articles_for_user, user_may_end_breaking
from masthead.newsroom.services.breaking import story_breaking_end, story_breaking_start


class BreakingFilter(admin.SimpleListFilter):
    """Articles whose story's strip is up now, or was ended early by an editor: read through
    the indexed `breaking_live` of the few live stories, and only when chosen."""

    title = "breaking news"
    parameter_name = "breaking"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, str]]:
        return [("up", "strip up now"), ("ended", "ended by an editor")]

    def queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> QuerySet[Any]:
        if self.value() == "up":
            return queryset.filter(
                story__breaking_live__in=[True], story__breaking_until__gt=timezone.now()
            )
        if self.value() == "ended":
            return queryset.exclude(story__breaking_ended_by="")
        return queryset


class BreakingActions(admin.ModelAdmin):
    """The article list's breaking-news actions (mixed into ArticleAdmin). The strip is the
    story's: it shows on every site and language the story is published on."""

    def get_list_filter(self, request: HttpRequest) -> Any:
        return [*super().get_list_filter(request), BreakingFilter]

    def has_end_breaking_permission(self, request: HttpRequest) -> bool:
        return request.user.has_perm(f"{Story._meta.app_label}.end_breaking")

    @admin.action(
        description="Flag as breaking news (a strip on every page)", permissions=["change"]
    )
    def flag_breaking(self, request: HttpRequest, queryset: QuerySet[Article]) -> None:
        # An editor's own sites only: another site's article in the selection is left out.
        allowed = articles_for_user(user=request.user, queryset=queryset, role=Role.EDITOR)
        story_ids = set(allowed.values_list("story_id", flat=True))
        if not story_ids:
            self.message_user(
                request,
                "Nothing flagged: none of the selected articles is on a site and language you "
                "edit.",
                messages.ERROR,
            )
            return
        skipped = len(set(queryset.values_list("story_id", flat=True)) - story_ids)
        username = request.user.get_username()
        raised = sum(
            story_breaking_start(story=story, by=username)
            for story in Story.objects.filter(pk__in=story_ids).order_by("pk")
        )
        message = (
            f"Breaking news on {raised} story(ies), for "
            f"{settings.MASTHEAD_BREAKING_MINUTES} minutes from now"
            if raised
            else "Nothing changed: already breaking news for longer, or killed"
        )
        if skipped:
            message += f"; {skipped} not flagged: you do not edit on their site or language"
        self.message_user(request, message + ".", messages.SUCCESS if raised else messages.WARNING)

    @admin.action(description="End breaking news (on every site)", permissions=["end_breaking"])
    def end_breaking(self, request: HttpRequest, queryset: QuerySet[Article]) -> None:
        story_ids = set(queryset.values_list("story_id", flat=True))
        if not story_ids or not user_may_end_breaking(user=request.user, story_ids=story_ids):
            self.message_user(
                request,
                "Not ended: the strip shows on every site and language carrying the story, and "
                "you are not chief editor on all of them. Ask a chief of those sites.",
                messages.ERROR,
            )
            return
        username = request.user.get_username()
        ended = sum(
            story_breaking_end(story=story, by=username)
            for story in Story.objects.filter(pk__in=story_ids).order_by("pk")
        )
        if not ended:
            self.message_user(request, "Nothing ended: no strip was up.", messages.WARNING)
            return
        self.message_user(
            request,
            f"Breaking news ended on {ended} story(ies); the agency's later versions will not "
            "raise it again.",
            messages.SUCCESS,
        )
