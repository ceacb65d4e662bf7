from __future__ import annotations

from django.contrib import admin

from masthead.newsroom.models import (
    SiteMembership,
)


@admin.register(SiteMembership)
class SiteMembershipAdmin(admin.ModelAdmin):
    """Who works on which site: what each member of staff sees and may act on."""

    list_display = ["user", "site"]
    list_filter = ["site"]
    search_fields = ["user__username", "site__code", "site__name"]
    autocomplete_fields = ["user"]
