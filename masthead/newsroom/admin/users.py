from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.models import User
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import HttpRequest

from masthead.newsroom.models import Role, SiteMembership
from masthead.newsroom.selectors import user_site_ids


def manageable_users(sites: set[int]) -> QuerySet[User]:
    """The accounts a site admin of `sites` manages: no superuser, and no seat on any other
    site (an account with no seat yet is a new hire's)."""
    elsewhere = SiteMembership.objects.filter(user_id=OuterRef("pk")).exclude(site_id__in=sites)
    return User.objects.filter(is_superuser=False).filter(~Q(Exists(elsewhere)))


class DeskUserAdmin(UserAdmin):
    """Site admins manage the staff of their sites: accounts with a seat on one of them, and
    new accounts with none yet. They never see or grant superuser status, groups or model
    permissions (what a member may do comes from their role), and cannot touch a superuser."""

    _SITE_ADMIN_FIELDSETS = (
        (None, {"fields": ("username", "password")}),
        ("Personal info", {"fields": ("first_name", "last_name", "email")}),
        ("Access", {"fields": ("is_active", "is_staff")}),
        ("Important dates", {"fields": ("last_login", "date_joined")}),
    )

    def _admin_sites(self, request: HttpRequest) -> set[int] | None:
        return user_site_ids(user=request.user, role=Role.ADMIN)

    def get_queryset(self, request: HttpRequest) -> QuerySet[User]:
        queryset = super().get_queryset(request)
        sites = self._admin_sites(request)
        if sites is None:
            return queryset
        seats = SiteMembership.objects.filter(user_id=OuterRef("pk"))
        return queryset.filter(is_superuser=False).filter(
            Q(Exists(seats.filter(site_id__in=sites))) | ~Q(Exists(seats))
        )

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        # A member who also holds a seat on a site the admin does not run is not theirs to
        # edit (nor to give a new password, nor to deactivate): that would reach the other seat.
        if not super().has_change_permission(request, obj):
            return False
        sites = self._admin_sites(request)
        if obj is None or sites is None:
            return True
        return manageable_users(sites).filter(pk=obj.pk).exists()

    def get_fieldsets(self, request: HttpRequest, obj: Any = None) -> Any:
        if obj is None or self._admin_sites(request) is None:
            return super().get_fieldsets(request, obj)
        return self._SITE_ADMIN_FIELDSETS

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        if self._admin_sites(request) is None:
            return super().get_readonly_fields(request, obj)
        return ("last_login", "date_joined")


admin.site.unregister(User)
admin.site.register(User, DeskUserAdmin)
