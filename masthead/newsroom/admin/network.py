"""The network's sites, sections and routes in the desk.

They are the network module's models, but who may see and change them is the desk's rule
(selectors.py), so their admin lives here: everyone sees the sites they hold a seat on; a
site's admins change its name, domains and sections; sites are added or removed, and routes
changed, by the network file (or a superuser).
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.db.models import Model, QuerySet
from django.http import HttpRequest

from masthead.network.events import network_changed
from masthead.network.models import Route, Section, Site, SiteDomain
from masthead.newsroom.admin.common import UserSitesFilter
from masthead.newsroom.models import Role
from masthead.newsroom.selectors import user_site_ids


def _site_of(obj: Model) -> Site:
    return obj if isinstance(obj, Site) else obj.site  # type: ignore[attr-defined]


class NetworkChangeAdmin(admin.ModelAdmin):
    """Edits reach every web process and the page cache once committed (network/events.py),
    as a loaded network file does; each is limited to the sites the user administers."""

    def get_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        queryset = super().get_queryset(request)
        sites = user_site_ids(user=request.user)
        if sites is None:
            return queryset
        field = "pk" if self.model is Site else "site_id"
        return queryset.filter(**{f"{field}__in": sites})

    def _administers(self, request: HttpRequest, obj: Model | None) -> bool:
        sites = user_site_ids(user=request.user, role=Role.ADMIN)
        return sites is None or obj is None or _site_of(obj).pk in sites

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return super().has_change_permission(request, obj) and self._administers(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return super().has_delete_permission(request, obj) and self._administers(request, obj)

    def formfield_for_foreignkey(
        self, db_field: Any, request: HttpRequest, **kwargs: Any
    ) -> forms.ModelChoiceField | None:
        if db_field.name == "site":
            sites = user_site_ids(user=request.user, role=Role.ADMIN)
            queryset = Site.objects.order_by("code")
            kwargs["queryset"] = queryset if sites is None else queryset.filter(pk__in=sites)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        super().save_model(request, obj, form, change)
        network_changed(site_codes=[_site_of(obj).code])

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        super().save_related(request, form, formsets, change)
        network_changed(site_codes=[_site_of(form.instance).code])

    def delete_model(self, request: HttpRequest, obj: Any) -> None:
        code = _site_of(obj).code
        super().delete_model(request, obj)
        network_changed(site_codes=[code])

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> None:
        codes = [_site_of(obj).code for obj in queryset]
        super().delete_queryset(request, queryset)
        network_changed(site_codes=codes)


class SiteDomainInline(admin.TabularInline):
    model = SiteDomain
    extra = 0


class SectionInline(admin.TabularInline):
    model = Section
    extra = 0
    fields = ["language", "name", "position"]


@admin.register(Site)
class SiteAdmin(NetworkChangeAdmin):
    list_display = ["code", "name", "default_language", "languages", "timezone"]
    search_fields = ["code", "name", "domains__domain"]
    inlines = [SiteDomainInline, SectionInline]
    # The face is the network file's: checked there (contrast, safe SVG), not typed in here.
    readonly_fields = ["accent", "wordmark", "font"]
    exclude = ["logo", "favicon", "favicon_type"]


@admin.register(Section)
class SectionAdmin(NetworkChangeAdmin):
    list_display = ["name", "site", "language", "position"]
    list_filter = [UserSitesFilter, "language"]
    search_fields = ["name"]
    list_select_related = ["site"]


@admin.register(Route)
class RouteAdmin(NetworkChangeAdmin):
    list_display = ["position", "site", "language", "section", "subjects", "keywords", "providers"]
    list_filter = [UserSitesFilter, "language"]
    list_select_related = ["site", "section"]

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False
