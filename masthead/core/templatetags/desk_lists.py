"""The admin list's date bar without a DISTINCT over the list (core/paging.py)."""

from __future__ import annotations

from typing import Any

from django import template

from masthead.core.paging import date_bar

register = template.Library()


@register.inclusion_tag("admin/date_hierarchy.html")
def cheap_date_hierarchy(cl: Any) -> dict[str, Any]:
    return date_bar(cl)
