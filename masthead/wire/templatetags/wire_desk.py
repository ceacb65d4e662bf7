"""What the desk's home page says of the wire: the sources silent for longer than their
idle_alert, for staff who may see sources."""

from __future__ import annotations

from typing import Any

from django import template

from masthead.wire.health import SourceHealth, sources_health

register = template.Library()


@register.simple_tag(takes_context=True)
def silent_sources(context: Any) -> list[SourceHealth]:
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.has_perm("wire.view_source"):
        return []
    return [health for health in sources_health() if health.silent]
