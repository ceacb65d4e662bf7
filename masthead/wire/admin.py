from django.contrib import admin, messages
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import HttpRequest
from django.utils import timezone
from django.utils.html import format_html

from masthead.core.errors import WireError
from masthead.core.paging import EstimatedCountPaginator, RecentValuesFieldListFilter
from masthead.newsroom.models import Article
from masthead.newsroom.selectors import user_scope
from masthead.wire.admin_place import PlaceInSection
from masthead.wire.health import SourceHealth, health_of, sources_with_health
from masthead.wire.models import Source, WireAction, WireItem
from masthead.wire.retry import wireitem_retry
from masthead.wire.services import source_poll

# The home page names the sources gone silent (templates/admin/wire_index.html).
admin.site.index_template = "admin/wire_index.html"

ATTENTION: dict[str, str] = {WireAction.FAILED: "#b00020", WireAction.UNROUTED: "#8a4b00"}


@admin.register(WireItem)
class WireItemAdmin(PlaceInSection):
    """The wire log: read-only, searchable, failed items with their error; an unrouted item
    can be placed in a section (admin_place.py)."""

    list_display = [
        "received_at",
        "outcome",
        "headline",
        "provider",
        "source",
        "language",
        "sites",
        "version",
        "error_short",
    ]
    # Choices from the newest items, not a DISTINCT over the whole log (core/paging.py).
    list_filter = [
        "action",
        ("provider", RecentValuesFieldListFilter),
        ("source", RecentValuesFieldListFilter),
        ("language", RecentValuesFieldListFilter),
        ("format", RecentValuesFieldListFilter),
    ]
    search_fields = ["headline", "guid", "filename", "error", "sites"]
    # The wire log grows by hundreds of rows a day: the list does not count them all.
    show_full_result_count = False
    paginator = EstimatedCountPaginator
    # Rendering a row is most of a page's time (about 1 ms each on the bench machine): 50
    # keep the page within 150 ms at a million rows (docs/performance.md, Desk).
    list_per_page = 50
    date_hierarchy = "received_at"
    readonly_fields = [f.name for f in WireItem._meta.fields]
    actions = ["retry", "place"]

    def get_queryset(self, request: HttpRequest) -> QuerySet[WireItem]:
        queryset = super().get_queryset(request)
        scope = user_scope(user=request.user)
        if scope is None:
            return queryset
        # The items of stories with an article the user sees, and the network's shared inbox
        # (failed and unrouted items belong to no site yet). Exists per row, not a DISTINCT
        # over a join: the log has millions of rows and the list reads the newest hundred.
        return queryset.filter(
            Q(action__in=[WireAction.FAILED, WireAction.UNROUTED])
            | Exists(Article.objects.filter(scope, story_id=OuterRef("story_id")))
        )

    def has_retry_permission(self, request: HttpRequest) -> bool:
        return request.user.has_perm("wire.retry_wireitem")

    @admin.action(description="Try the failed file again", permissions=["retry"])
    def retry(self, request: HttpRequest, queryset: QuerySet[WireItem]) -> None:
        for item in queryset:
            try:
                result = wireitem_retry(item=item, actor=request.user.get_username())
            except WireError as exc:
                self.message_user(request, str(exc), messages.WARNING)
                continue
            if result.requeued is not None:
                self.message_user(
                    request, f"{item.filename}: back in its drop folder, taken on the next round"
                )
            for outcome in result.outcomes or []:
                level = messages.ERROR if outcome.action == WireAction.FAILED else messages.INFO
                self.message_user(request, outcome.line(), level)

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

    list_display = [
        "name",
        "kind",
        "enabled",
        "last_item",
        "items_24h",
        "failed_24h",
        "polled_at",
        "last_error",
    ]
    list_filter = ["kind", "enabled"]
    readonly_fields = ["etag", "last_modified", "polled_at", "last_error"]
    actions = ["poll_now"]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Source]:
        # Each row's health comes with it from the database (wire/health.py).
        return sources_with_health(now=timezone.now())

    def _of(self, obj: Source) -> SourceHealth:
        return health_of(obj, now=timezone.now())

    @admin.display(description="last item")
    def last_item(self, obj: Source) -> str:
        health = self._of(obj)
        when = (
            f"{timezone.localtime(health.last_item_at):%Y-%m-%d %H:%M}"
            if health.last_item_at
            else "never"
        )
        if health.silent_for is not None:
            hours = f"{health.silent_for.total_seconds() / 3600:.1f}"
            return format_html(
                '<strong style="color:#b00020">{} (silent for {} h)</strong>', when, hours
            )
        return when

    @admin.display(description="items, 24 h")
    def items_24h(self, obj: Source) -> int:
        return self._of(obj).items_24h

    @admin.display(description="failed, 24 h")
    def failed_24h(self, obj: Source) -> int:
        return self._of(obj).failed_24h

    @admin.action(description="Poll now", permissions=["change"])
    def poll_now(self, request: HttpRequest, queryset: QuerySet[Source]) -> None:
        for source in queryset:
            if not source.enabled:
                # Disabled in the network file on purpose: polling it here would undo that.
                self.message_user(request, f"{source.name}: disabled, not polled", messages.WARNING)
                continue
            result = source_poll(source=source, actor=request.user.get_username())
            level = messages.ERROR if result.error or result.failed else messages.INFO
            summary = result.error or f"{len(result.outcomes)} item(s), {result.failed} failed"
            self.message_user(request, f"{source.name}: {summary}", level)
