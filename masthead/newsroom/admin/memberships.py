from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest

from masthead.network.models import Site
from masthead.newsroom.admin.common import UserSitesFilter
from masthead.newsroom.admin.users import manageable_users
from masthead.newsroom.models import Role, SiteMembership
from masthead.newsroom.selectors import user_site_ids


class MembershipForm(forms.ModelForm):
    languages = forms.CharField(
        required=False,
        help_text="The site's languages this member works in, comma-separated (fr, nl); "
        "empty: all of them.",
    )

    class Meta:
        model = SiteMembership
        fields = ["user", "site", "role", "languages"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk is not None and not self.is_bound:
            self.initial["languages"] = ", ".join(self.instance.languages or [])

    def clean_languages(self) -> list[str]:
        text = str(self.cleaned_data.get("languages") or "")
        return [part.strip().lower() for part in text.split(",") if part.strip()]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        site, languages = cleaned.get("site"), cleaned.get("languages") or []
        if site is not None:
            offered = {lang.split("-", 1)[0] for lang in site.languages}
            unknown = [lang for lang in languages if lang not in offered]
            if unknown:
                raise forms.ValidationError(
                    f"languages: {', '.join(unknown)} not published by {site.code} "
                    f"(it publishes {', '.join(sorted(offered))})"
                )
        return cleaned


@admin.register(SiteMembership)
class SiteMembershipAdmin(admin.ModelAdmin):
    """Who works on which site, in which languages, with which role. A site's admins manage
    its members; they see and grant seats on the sites they administer only."""

    form = MembershipForm
    list_display = ["user", "site", "role", "language_list"]
    list_filter = [UserSitesFilter, "role"]
    search_fields = ["user__username", "site__code", "site__name"]
    autocomplete_fields = ["user"]
    list_select_related = ["user", "site"]

    @admin.display(description="languages")
    def language_list(self, obj: SiteMembership) -> str:
        return ", ".join(obj.languages or []) or "all"

    def _admin_sites(self, request: HttpRequest) -> set[int] | None:
        return user_site_ids(user=request.user, role=Role.ADMIN)

    def get_queryset(self, request: HttpRequest) -> QuerySet[SiteMembership]:
        queryset = super().get_queryset(request)
        sites = self._admin_sites(request)
        return queryset if sites is None else queryset.filter(site_id__in=sites)

    def formfield_for_foreignkey(
        self, db_field: Any, request: HttpRequest, **kwargs: Any
    ) -> forms.ModelChoiceField | None:
        if db_field.name == "site":
            sites = self._admin_sites(request)
            queryset = Site.objects.order_by("code")
            kwargs["queryset"] = queryset if sites is None else queryset.filter(pk__in=sites)
        if db_field.name == "user":
            # The autocomplete offers the admin's own staff; a user posted by hand is held to
            # the same: seating another site's member would bring their account within reach.
            sites = self._admin_sites(request)
            if sites is not None:
                kwargs["queryset"] = manageable_users(sites)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def _may_touch(self, request: HttpRequest, obj: SiteMembership | None) -> bool:
        sites = self._admin_sites(request)
        if obj is None or sites is None:
            return True
        # A superuser's seat is not a site admin's to change.
        return obj.site_id in sites and not obj.user.is_superuser

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return super().has_change_permission(request, obj) and self._may_touch(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return super().has_delete_permission(request, obj) and self._may_touch(request, obj)
