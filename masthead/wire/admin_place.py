"""The wire log's "Place in a section…" action: an item no route took is put on a site by hand.

As Django asks before deleting, a first page lists the sections the user may place it in
(those of the sites where they hold an editor's seat in the item's language) and the choice
is posted back with the action; the posted section is checked against that same list, so a
hand-made POST cannot reach another site's section.
"""

from __future__ import annotations

from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.db.models import QuerySet
from django.http import HttpRequest
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.html import format_html

from masthead.core.errors import MastheadError
from masthead.network.models import Section
from masthead.newsroom.admin.common import article_page_url
from masthead.newsroom.selectors import user_sections
from masthead.wire.models import WireAction, WireItem
from masthead.wire.place import wireitem_place


class PlaceInSection(admin.ModelAdmin):
    """Mixed into the wire log's admin (wire/admin.py)."""

    def has_place_permission(self, request: HttpRequest) -> bool:
        return request.user.has_perm("wire.place_wireitem")

    @admin.action(description="Place in a section…", permissions=["place"])
    def place(self, request: HttpRequest, queryset: QuerySet[WireItem]) -> TemplateResponse | None:
        items = list(queryset[:2])
        if len(items) != 1:
            self.message_user(request, "Choose one item to place.", messages.WARNING)
            return None
        item = items[0]
        if item.action != WireAction.UNROUTED:
            self.message_user(
                request,
                f"{item.filename}: only an item no route took is placed by hand.",
                messages.WARNING,
            )
            return None
        sections = list(user_sections(user=request.user, language=item.language))
        if not sections:
            self.message_user(
                request,
                f"Not placed: you are editor on no site publishing in {item.language or '?'}.",
                messages.ERROR,
            )
            return None
        chosen = request.POST.get("section", "")
        if request.POST.get("post") != "yes" or not chosen:
            return self._place_confirmation(request, item, sections)
        section = next((s for s in sections if str(s.pk) == chosen), None)
        if section is None:
            self.message_user(
                request, "Not placed: that section is not one you edit.", messages.ERROR
            )
            return None
        try:
            article = wireitem_place(item=item, section=section, actor=request.user.get_username())
        except MastheadError as exc:
            self.message_user(request, f"Not placed: {exc}", messages.ERROR)
            return None
        page = article_page_url(article, request)
        self.message_user(
            request,
            format_html(
                'Placed in {}: <a href="{}">article {}</a> in the desk; '
                'its page: <a href="{}">{}</a>',
                section,
                reverse("admin:newsroom_article_change", args=[article.pk]),
                article.pk,
                page,
                page,
            ),
        )
        return None

    def _place_confirmation(
        self, request: HttpRequest, item: WireItem, sections: list[Section]
    ) -> TemplateResponse:
        opts = self.model._meta
        context = {
            **self.admin_site.each_context(request),
            "title": "Place in a section",
            "opts": opts,
            "app_label": opts.app_label,
            "item": item,
            "sections": sections,
            "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
            "media": self.media,
        }
        request.current_app = self.admin_site.name
        return TemplateResponse(request, "admin/wire/wireitem/place_confirmation.html", context)
