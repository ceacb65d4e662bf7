from typing import Any

from django.contrib import admin
from django.db.models import Model, QuerySet
from django.http import HttpRequest

from masthead.network.events import network_changed
from masthead.network.models import Route, Section, Site, SiteDomain


def _code(obj: Model) -> str:
    site = obj if isinstance(obj, Site) else obj.site  # type: ignore[attr-defined]
    return str(site.code)


class NetworkChangeAdmin(admin.ModelAdmin):
    """Edits to the network reach every web process and the page cache once committed
    (network/events.py), as a loaded network file does."""

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        super().save_model(request, obj, form, change)
        network_changed(site_codes=[_code(obj)])

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        super().save_related(request, form, formsets, change)
        network_changed(site_codes=[_code(form.instance)])

    def delete_model(self, request: HttpRequest, obj: Any) -> None:
        code = _code(obj)
        super().delete_model(request, obj)
        network_changed(site_codes=[code])

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> None:
        codes = [_code(obj) for obj in queryset]
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


@admin.register(Section)
class SectionAdmin(NetworkChangeAdmin):
    list_display = ["name", "site", "language", "position"]
    list_filter = ["site", "language"]
    search_fields = ["name"]


@admin.register(Route)
class RouteAdmin(NetworkChangeAdmin):
    list_display = ["position", "site", "language", "section", "subjects", "keywords", "providers"]
    list_filter = ["site", "language"]
