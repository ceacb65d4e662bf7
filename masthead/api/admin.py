"""API tokens in the desk: a site's admins make and revoke its tokens; superusers any site's.

The secret is shown once, in the message after the token is saved, and never again (only its
digest is kept). A token is not edited: revoke it and make another.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest

from masthead.api.models import ApiToken, Scope
from masthead.api.tokens import api_token_create, api_token_revoke
from masthead.network.models import Site
from masthead.newsroom.models import Role
from masthead.newsroom.selectors import user_site_ids


class ApiTokenForm(forms.ModelForm):
    scopes = forms.MultipleChoiceField(choices=Scope.choices, widget=forms.CheckboxSelectMultiple)

    class Meta:
        model = ApiToken
        fields = ["site", "name", "scopes"]


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    form = ApiTokenForm
    list_display = [
        "name",
        "site",
        "scope_list",
        "prefix",
        "created_by",
        "created_at",
        "last_used_at",
        "revoked_at",
    ]
    list_filter = ["site", "revoked_at"]
    list_select_related = ["site"]
    readonly_fields = ["prefix", "created_by", "created_at", "last_used_at", "revoked_at"]
    actions = ["revoke"]

    def _sites(self, request: HttpRequest) -> set[int] | None:
        return user_site_ids(user=request.user, role=Role.ADMIN)

    def _admin_of(self, request: HttpRequest, obj: ApiToken | None = None) -> bool:
        if not (request.user.is_active and request.user.is_staff):
            return False
        sites = self._sites(request)
        if sites is None:
            return True
        return bool(sites) if obj is None else obj.site_id in sites

    @admin.display(description="scopes")
    def scope_list(self, obj: ApiToken) -> str:
        return ", ".join(obj.scopes)

    def get_queryset(self, request: HttpRequest) -> QuerySet[ApiToken]:
        queryset = super().get_queryset(request)
        sites = self._sites(request)
        return queryset if sites is None else queryset.filter(site_id__in=sites)

    def formfield_for_foreignkey(
        self, db_field: Any, request: HttpRequest, **kwargs: Any
    ) -> forms.ModelChoiceField | None:
        if db_field.name == "site":
            sites = self._sites(request)
            queryset = Site.objects.order_by("code")
            kwargs["queryset"] = queryset if sites is None else queryset.filter(pk__in=sites)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        if obj is not None:  # a saved token is not edited: revoke it and make another
            return ["site", "name", "scopes", *self.readonly_fields]
        return []

    def has_module_permission(self, request: HttpRequest) -> bool:
        return self._admin_of(request)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._admin_of(request, obj)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return self._admin_of(request)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        # The change page shows the token read-only; the list's revoke action needs this.
        return self._admin_of(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # revoked, not deleted: the audit log names it

    def save_model(self, request: HttpRequest, obj: ApiToken, form: Any, change: bool) -> None:
        if change:
            return
        row, secret = api_token_create(
            site=form.cleaned_data["site"],
            name=form.cleaned_data["name"],
            scopes=list(form.cleaned_data["scopes"]),
            created_by=request.user.get_username(),
        )
        obj.pk, obj.prefix = row.pk, row.prefix
        messages.warning(
            request,
            f"The token, shown this once (copy it now; only its digest is kept): {secret}",
        )

    @admin.action(description="Revoke the selected tokens")
    def revoke(self, request: HttpRequest, queryset: QuerySet[ApiToken]) -> None:
        count = 0
        for token in queryset.select_related("site").filter(revoked_at__isnull=True):
            api_token_revoke(token=token, actor=request.user.get_username())
            count += 1
        messages.success(request, f"{count} token(s) revoked.")
