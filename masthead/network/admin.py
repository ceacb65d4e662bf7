from django.contrib import admin

from masthead.network.models import Route, Section, Site, SiteDomain


class SiteDomainInline(admin.TabularInline):
    model = SiteDomain
    extra = 0


class SectionInline(admin.TabularInline):
    model = Section
    extra = 0
    fields = ["language", "name", "position"]


@admin.register(Site)
class SiteAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "default_language", "languages", "timezone"]
    search_fields = ["code", "name", "domains__domain"]
    inlines = [SiteDomainInline, SectionInline]


@admin.register(Section)
class SectionAdmin(admin.ModelAdmin):
    list_display = ["name", "site", "language", "position"]
    list_filter = ["site", "language"]
    search_fields = ["name"]


@admin.register(Route)
class RouteAdmin(admin.ModelAdmin):
    list_display = ["position", "site", "language", "section", "subjects", "keywords", "providers"]
    list_filter = ["site", "language"]
