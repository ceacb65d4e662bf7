from __future__ import annotations

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest

from masthead.newsroom.models import (
    AuditEntry,
)
from masthead.newsroom.selectors import (
    user_site_ids,
)


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    """Who did what: read-only, searchable; each member of staff sees their own sites'."""

    list_display = ["at", "actor", "action", "site", "story_id", "article_id", "detail"]
    list_filter = ["action", "site"]
    search_fields = ["actor", "detail", "=story__id", "=article__id"]
    date_hierarchy = "at"
    list_select_related = ["site"]

    def get_queryset(self, request: HttpRequest) -> QuerySet[AuditEntry]:
        sites = user_site_ids(user=request.user)
        queryset = super().get_queryset(request)
        return queryset if sites is None else queryset.filter(site_id__in=sites)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False
