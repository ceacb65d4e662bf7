from __future__ import annotations

from django.contrib import admin
from django.db.models import QuerySet
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
