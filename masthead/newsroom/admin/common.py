from __future__ import annotations

from collections.abc import Callable
from contextvars import ContextVar
from functools import partial
from typing import Any

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.http.request import split_domain_port
from django.template.response import TemplateResponse

from masthead.network.models import Section, Site
from masthead.newsroom.models import Article
from masthead.newsroom.selectors import user_site_ids

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


class _IdFilter(admin.SimpleListFilter):
    """A filter on one foreign key by id; a value that is no id matches nothing."""

    field = ""

    def queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> QuerySet[Any]:
        value = self.value()
        if value is None:
            return queryset
        if not str(value).isdigit():
            return queryset.none()
        return queryset.filter(**{self.field: int(value)})


class UserSitesFilter(_IdFilter):
    """A site filter offering only the sites the user works on: the choices of a list are
    part of what it shows, and another site's name is not the user's business."""

    title = "site"
    parameter_name = "site__id__exact"
    field = "site_id"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, str]]:
        sites = Site.objects.order_by("code")
        allowed = user_site_ids(user=request.user)
        if allowed is not None:
            sites = sites.filter(pk__in=allowed)
        return [(str(site.pk), f"{site.code} — {site.name}") for site in sites]


class UserSectionsFilter(_IdFilter):
    """The sections of the user's sites, read from the small sections table (not from the
    articles, which may be millions)."""

    title = "section"
    parameter_name = "section__id__exact"
    field = "section_id"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, str]]:
        sections = Section.objects.select_related("site").order_by(
            "site__code", "language", "position"
        )
        allowed = user_site_ids(user=request.user)
        if allowed is not None:
            sections = sections.filter(site_id__in=allowed)
        return [(str(s.pk), f"{s.site.code}/{s.language} {s.name}") for s in sections]
