from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import Exists, OuterRef, QuerySet
from django.http import HttpRequest
from django.utils.html import format_html

from masthead.newsroom.models import Article, Picture, Role
from masthead.newsroom.selectors import user_scope


@admin.register(Picture)
class PictureAdmin(admin.ModelAdmin):
    """Pictures of the user's articles. A picture may illustrate a story on several sites:
    its caption and credit are changed only by someone who edits on every one of them."""

    list_display = ["thumbnail", "caption", "credit", "width", "height", "size"]
    search_fields = ["caption", "credit", "guid"]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Picture]:
        queryset = super().get_queryset(request)
        scope = user_scope(user=request.user)
        if scope is None:
            return queryset
        return queryset.filter(Exists(Article.objects.filter(scope, picture_id=OuterRef("pk"))))

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        if not super().has_change_permission(request, obj):
            return False
        scope = user_scope(user=request.user, role=Role.EDITOR)
        if obj is None or scope is None:
            return True
        return not Article.objects.filter(picture=obj).exclude(scope).exists()

    @admin.display(description="picture")
    def thumbnail(self, obj: Picture) -> str:
        if not obj.file:
            return ""
        return format_html(
            '<img src="{}" alt="" style="max-width:120px;height:auto">', obj.file.url
        )
