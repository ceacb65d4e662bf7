from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.html import format_html

from masthead.wire.models import Source, WireAction, WireItem
from masthead.wire.services import source_poll

ATTENTION: dict[str, str] = {WireAction.FAILED: "#b00020", WireAction.UNROUTED: "#8a4b00"}


@admin.register(WireItem)
class WireItemAdmin(admin.ModelAdmin):
    """The wire log: read-only, searchable, failed items with their error."""

    list_display = [
        "received_at",
        "outcome",
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

    @admin.display(description="error or note")
    def error_short(self, obj: WireItem) -> str:
        return (obj.error or obj.note)[:120]

    @admin.display(description="action", ordering="action")
    def outcome(self, obj: WireItem) -> str:
        # Failed and unrouted items need a person: they stand out in the list.
        colour = ATTENTION.get(obj.action)
        if colour is None:
            return obj.action
        return format_html('<strong style="color:{}">{}</strong>', colour, obj.action.upper())

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


@admin.register(Source)
class SourceAdmin(admin.ModelAdmin):
    """Sources come from the network file; here an editor sees their state and can poll now."""

    list_display = ["name", "kind", "location", "format", "enabled", "polled_at", "last_error"]
    list_filter = ["kind", "enabled"]
    readonly_fields = ["etag", "last_modified", "polled_at", "last_error"]
    actions = ["poll_now"]

    @admin.action(description="Poll now", permissions=["change"])
    def poll_now(self, request: HttpRequest, queryset: QuerySet[Source]) -> None:
        for source in queryset:
            if not source.enabled:
                # Disabled in the network file on purpose: polling it here would undo that.
                self.message_user(request, f"{source.name}: disabled, not polled", messages.WARNING)
                continue
            result = source_poll(source=source)
            level = messages.ERROR if result.error or result.failed else messages.INFO
            summary = result.error or f"{len(result.outcomes)} item(s), {result.failed} failed"
            self.message_user(request, f"{source.name}: {summary}", level)
