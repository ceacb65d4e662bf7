"""Choose the site from the request's host name."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from masthead.network.models import Site
from masthead.reader.memo import remember

SITE_SECONDS = 30


def site_for_host(host: str) -> Site | None:
    domain = (host.rsplit(":", 1)[0] if not host.endswith("]") else host).lower().rstrip(".")
    return remember(
        ("site", domain),
        SITE_SECONDS,
        lambda: Site.objects.filter(domains__domain=domain).first(),
    )


class SiteMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request.site = site_for_host(request.get_host())  # type: ignore[assignment]
        return self.get_response(request)
