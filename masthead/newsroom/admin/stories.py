from __future__ import annotations

from django.contrib import admin
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import HttpRequest

from masthead.newsroom.admin.common import (
    RequestPagesAdmin,
    view_on_site_url,
)
from masthead.newsroom.models import (
    Article,
    Story,
)
from masthead.newsroom.selectors import (
    articles_for_user,
    stories_for_user,
    user_scope,
)


class ArticleInline(admin.TabularInline):
    model = Article
    extra = 0
    fields = readonly_fields = ("site", "language", "section", "headline", "status", "published_at")
    show_change_link = True

    def has_add_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def view_on_site(self, obj: Article) -> str | None:  # type: ignore[override]
        return view_on_site_url(obj)

    def get_queryset(self, request: HttpRequest) -> QuerySet[Article]:
        return articles_for_user(user=request.user, queryset=super().get_queryset(request))


@admin.register(Story)
class StoryAdmin(RequestPagesAdmin):
    list_display = [
        "id",
        "provider",
        "guid",
        "version",
        "status",
        "killed_by",
        "urgency",
        "version_created",
    ]
    list_filter = ["status", "provider", "urgency"]
    search_fields = ["guid", "=id", "articles__headline"]
    # A story is killed by the article list's action, which withdraws every article with it,
    # and a kill is final: its status is not edited here.
    readonly_fields = ["status", "killed_by", "killed_at"]
    inlines = [ArticleInline]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Story]:
        return stories_for_user(user=request.user, queryset=super().get_queryset(request))

    def get_search_results(
        self, request: HttpRequest, queryset: QuerySet[Story], search_term: str
    ) -> tuple[QuerySet[Story], bool]:
        """A headline is looked for among the user's own articles of the story: a story found
        by its headline on another site would tell what that site wrote."""
        scope = user_scope(user=request.user)
        if scope is None or not search_term.strip():
            return super().get_search_results(request, queryset, search_term)
        term = search_term.strip()
        found = queryset.filter(
            Q(guid__icontains=term)
            | Exists(
                Article.objects.filter(scope, story_id=OuterRef("pk"), headline__icontains=term)
            )
        )
        if term.isdigit():
            found = found | queryset.filter(pk=int(term))
        return found, False
