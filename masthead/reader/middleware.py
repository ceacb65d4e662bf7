"""Choose the site from the request's host name, and the language and time zone every request
starts from.

Django's translation and time zone are per thread, and granian serves many requests on one
thread: a language a German page switched on would otherwise stay for the next request on that
thread (the admin in German, the unknown-host 404 in Italian). Every request starts from a known
language and zone here, and both are put back when it ends.
"""

from __future__ import annotations

from collections.abc import Callable
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils import timezone, translation

from masthead.core.memo import remember
from masthead.network.events import forget_if_network_changed
from masthead.network.models import Site

SITE_SECONDS = 30


def site_for_host(host: str) -> Site | None:
    domain = (host.rsplit(":", 1)[0] if not host.endswith("]") else host).lower().rstrip(".")
    return remember(
        ("site", domain),
        SITE_SECONDS,
        lambda: Site.objects.filter(domains__domain=domain).first(),
    )


def newsroom_timezone() -> ZoneInfo:
    """The zone the admin shows and reads times in: MASTHEAD_NEWSROOM_TIMEZONE, else the
    first site's, else UTC."""
    name = settings.MASTHEAD_NEWSROOM_TIMEZONE or remember(
        ("newsroom-zone",),
        SITE_SECONDS,
        lambda: (
            Site.objects.order_by("position", "code").values_list("timezone", flat=True).first()
        ),
    )
    try:
        return ZoneInfo(name or "UTC")
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("UTC")


class SiteMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        forget_if_network_changed()
        site = site_for_host(request.get_host())
        request.site = site  # type: ignore[assignment]
        if site is not None and not _is_admin(request):
            # Reader pages: the site's own language (views switch to the page's) and zone.
            translation.activate(site.default_language)
            timezone.activate(ZoneInfo(site.timezone))
        else:
            # The admin and the network list: the user's language (browser or cookie) among
            # those the project offers, and the newsroom's zone.
            translation.activate(translation.get_language_from_request(request))
            timezone.activate(newsroom_timezone())
        try:
            return self.get_response(request)
        finally:
            translation.deactivate()
            timezone.deactivate()


def _is_admin(request: HttpRequest) -> bool:
    return request.path_info.startswith("/admin/")
