"""The newsroom desk in Django's admin: one module per thing an editor works on."""

from masthead.newsroom.admin import articles, audit, memberships, pictures, stories, users

__all__ = ["articles", "audit", "memberships", "pictures", "stories", "users"]
