from django.contrib import admin
from django.http import HttpRequest

from masthead.wire.models import WireItem


@admin.register(WireItem)
class WireItemAdmin(admin.ModelAdmin):
    """The wire log: read-only, searchable, failed items with their error."""

    list_display = [
        "received_at",
        "action",
        "filename",
        "provider",
        "guid",
        "version",
        "error_short",
    ]
    list_filter = ["action", "format", "provider", "source"]
    search_fields = ["guid", "filename", "error"]
    date_hierarchy = "received_at"
    readonly_fields = [f.name for f in WireItem._meta.fields]

    @admin.display(description="error")
    def error_short(self, obj: WireItem) -> str:
        return obj.error[:120]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False
