from __future__ import annotations

from collections.abc import Callable
from contextvars import ContextVar
from functools import partial
from typing import Any

from django.contrib import admin
from django.http import HttpRequest, HttpResponse
from django.http.request import split_domain_port
from django.template.response import TemplateResponse

from masthead.newsroom.models import (
    Article,
)

# The request of the admin page being built and rendered: links to the reader's pages take
# its scheme and port, and the callables that make them (list columns, view_on_site) get none.
admin_request: ContextVar[HttpRequest | None] = ContextVar("admin_request", default=None)


def with_request(request: HttpRequest, view: Callable[[], HttpResponse]) -> HttpResponse:
    """Run an admin view and render its page while `request` is at hand."""
    token = admin_request.set(request)
    try:
        response = view()
        if isinstance(response, TemplateResponse):
            response.render()
        return response
    finally:
        admin_request.reset(token)


class RequestPagesAdmin(admin.ModelAdmin):
    """An admin whose list and form pages link to articles on their sites: rendered while
    the request is at hand, so links keep the admin's scheme and port."""

    def changelist_view(
        self, request: HttpRequest, extra_context: dict[str, Any] | None = None
    ) -> HttpResponse:
        return with_request(request, partial(super().changelist_view, request, extra_context))

    def changeform_view(
        self,
        request: HttpRequest,
        object_id: str | None = None,
        form_url: str = "",
        extra_context: dict[str, Any] | None = None,
    ) -> HttpResponse:
        return with_request(
            request, partial(super().changeform_view, request, object_id, form_url, extra_context)
        )


def article_page_url(article: Article, request: HttpRequest | None = None) -> str:
    """The article on its site's host, with the scheme and port the admin is served on
    (`http://bruxelles.localhost:8000/fr/...` beside an admin on 127.0.0.1:8000)."""
    domain = article.site.primary_domain
    if not domain:
        return ""
    path = article.get_absolute_url()
    if request is None:
        return f"//{domain}{path}"
    _, port = split_domain_port(request.get_host())
    if port and port != ("443" if request.is_secure() else "80"):
        domain = f"{domain}:{port}"
    return f"{request.scheme}://{domain}{path}"


def view_on_site_url(article: Article) -> str | None:
    return article_page_url(article, admin_request.get()) or None
