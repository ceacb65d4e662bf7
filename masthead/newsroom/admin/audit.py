from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import HttpRequest

from masthead.newsroom.admin.common import UserSitesFilter
from masthead.newsroom.models import Article, AuditEntry, Role
from masthead.newsroom.selectors import user_scope, user_site_ids


class AboutFilter(admin.SimpleListFilter):
    """The network's rows (loads of the network file, sources failing or silent: no article,
    story or site) apart from the desk's."""

    title = "about"
    parameter_name = "about"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, str]]:
        return [("network", "the network and its sources"), ("sites", "sites, stories, articles")]

    def queryset(
        self, request: HttpRequest, queryset: QuerySet[AuditEntry]
    ) -> QuerySet[AuditEntry]:
        network = Q(article__isnull=True, story__isnull=True, site__isnull=True)
        if self.value() == "network":
            return queryset.filter(network)
        if self.value() == "sites":
            return queryset.exclude(network)
        return queryset


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    """Who did what: append-only, searchable. Each member of staff sees their own sites'
    entries; the network's (loads of the network file, sources failing or silent) are for
    those who run the network: site admins and superusers."""

    list_display = ["at", "actor", "action", "site", "story_id", "article_id", "detail"]
    list_filter = ["action", AboutFilter, UserSitesFilter]
    search_fields = ["actor", "detail", "=story__id", "=article__id"]
    date_hierarchy = "at"
    list_select_related = ["site"]
    show_full_result_count = False

    def get_queryset(self, request: HttpRequest) -> QuerySet[AuditEntry]:
        queryset = super().get_queryset(request)
        scope = user_scope(user=request.user, prefix="article__")
        if scope is None:
            return queryset
        sites = user_site_ids(user=request.user) or set()
        # An entry about an article follows the article's site and language; one about a
        # story, the story's articles; one about a site, the site; one about the whole
        # network, the admin role.
        story_scope = user_scope(user=request.user) or Q(pk__in=[])
        mine = (
            scope
            | Q(
                Exists(Article.objects.filter(story_scope, story_id=OuterRef("story_id"))),
                article__isnull=True,
                story__isnull=False,
            )
            | Q(article__isnull=True, story__isnull=True, site_id__in=sites)
        )
        if user_site_ids(user=request.user, role=Role.ADMIN):
            mine |= Q(article__isnull=True, story__isnull=True, site__isnull=True)
        return queryset.filter(mine)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False
