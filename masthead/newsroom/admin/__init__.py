"""The newsroom desk in Django's admin: one module per thing an editor works on."""

from masthead.newsroom.admin import (
    articles,
    audit,
    memberships,
    network,
    pictures,
    stories,
    users,
)

__all__ = ["articles", "audit", "memberships", "network", "pictures", "stories", "users"]
