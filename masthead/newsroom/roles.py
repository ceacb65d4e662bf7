"""What each role may do, as Django permissions: the desk's checks stay `has_perm` ones, and
which sites a permission reaches is the selectors' business (newsroom/selectors.py).

A member of staff's role is the highest they hold on any site; what they may touch on a given
site is then narrowed to the sites (and languages) where they hold a role high enough.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.backends import BaseBackend

from masthead.newsroom.models import Role

RANK: dict[str, int] = {Role.VIEWER: 1, Role.EDITOR: 2, Role.CHIEF: 3, Role.ADMIN: 4}

_VIEWER = frozenset(
    {
        "newsroom.view_story",
        "newsroom.view_article",
        "newsroom.view_revision",
        "newsroom.view_picture",
        "newsroom.view_auditentry",
        "newsroom.view_correction",
        "wire.view_wireitem",
        "wire.view_source",
        "network.view_site",
        "network.view_section",
        "network.view_route",
        "markets.view_instrument",
        "markets.view_quote",
    }
)
_EDITOR = _VIEWER | {
    "newsroom.add_article",
    "newsroom.change_article",
    "newsroom.add_picture",
    "newsroom.change_picture",
    "wire.retry_wireitem",
    "wire.place_wireitem",
}
_CHIEF = _EDITOR | {
    "newsroom.kill_story",
    "newsroom.end_breaking",
    "newsroom.take_agency_in_bulk",
}
_ADMIN = _CHIEF | {
    "network.change_site",
    "network.add_section",
    "network.change_section",
    "network.delete_section",
    "network.view_sitedomain",
    "network.add_sitedomain",
    "network.change_sitedomain",
    "network.delete_sitedomain",
    "wire.change_source",
    "newsroom.view_sitemembership",
    "newsroom.add_sitemembership",
    "newsroom.change_sitemembership",
    "newsroom.delete_sitemembership",
    "auth.view_user",
    "auth.add_user",
    "auth.change_user",
}
PERMISSIONS: dict[str, frozenset[str]] = {
    Role.VIEWER: _VIEWER,
    Role.EDITOR: frozenset(_EDITOR),
    Role.CHIEF: frozenset(_CHIEF),
    Role.ADMIN: frozenset(_ADMIN),
}


def role_at_least(role: str, wanted: str) -> bool:
    return RANK.get(role, 0) >= RANK[wanted]


def highest_role(user: Any) -> str | None:
    """The user's highest role on any site, read once per request (kept on the user object,
    which lives as long as the request)."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return None
    if not hasattr(user, "_masthead_role"):
        roles = set(user.site_memberships.values_list("role", flat=True))
        user._masthead_role = max(roles, key=lambda r: RANK.get(r, 0), default=None)
    role: str | None = user._masthead_role
    return role


class RoleBackend(BaseBackend):
    """Grants a staff member the permissions of their role; a superuser has all anyway."""

    def get_all_permissions(self, user_obj: Any, obj: Any = None) -> set[str]:
        role = highest_role(user_obj)
        if role is None or not getattr(user_obj, "is_staff", False):
            return set()
        return set(PERMISSIONS.get(role, ()))

    def has_perm(self, user_obj: Any, perm: str, obj: Any = None) -> bool:
        return perm in self.get_all_permissions(user_obj, obj)

    def has_module_perms(self, user_obj: Any, app_label: str) -> bool:
        return any(p.startswith(f"{app_label}.") for p in self.get_all_permissions(user_obj))
