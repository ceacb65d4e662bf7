"""The delivery log in the desk: read-only, for the admins of each delivery's site."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest

from masthead.newsroom.models import Role
from masthead.newsroom.selectors import user_site_ids
from masthead.webhooks.models import Delivery
from masthead.webhooks.services import deliveries_send_again


def _admin_sites(request: HttpRequest) -> set[int] | None:
    user: Any = request.user
    if not user.is_active or not user.is_staff:
        return set()
    return user_site_ids(user=user, role=Role.ADMIN)


@admin.register(Delivery)
class DeliveryAdmin(admin.ModelAdmin):
    list_display = [
        "created_at",
        "webhook",
        "event",
        "site",
        "article_id",
        "status",
        "attempts",
        "last_code",
        "last_error",
        "next_try_at",
    ]
    list_filter = ["status", "event", "webhook", "site"]
    search_fields = ["message_id", "=article_id"]
    readonly_fields = [f.name for f in Delivery._meta.fields]
    list_select_related = ["webhook", "site"]
    show_full_result_count = False
    list_per_page = 50
    actions = ["send_again"]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Delivery]:
        queryset = super().get_queryset(request)
        sites = _admin_sites(request)
        return queryset if sites is None else queryset.filter(site_id__in=sites)

    def has_module_permission(self, request: HttpRequest) -> bool:
        sites = _admin_sites(request)
        return sites is None or bool(sites)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        sites = _admin_sites(request)
        if sites is None:
            return True
        return bool(sites) and (obj is None or obj.site_id in sites)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_send_again_permission(self, request: HttpRequest) -> bool:
        return self.has_module_permission(request)

    @admin.action(description="Send again now", permissions=["send_again"])
    def send_again(self, request: HttpRequest, queryset: QuerySet[Delivery]) -> None:
        count = deliveries_send_again(deliveries=queryset, actor=request.user.get_username())
        if count:
            from masthead.webhooks.tasks import send_webhooks_now

            send_webhooks_now()
        self.message_user(request, f"{count} deliver{'y' if count == 1 else 'ies'} queued again")
