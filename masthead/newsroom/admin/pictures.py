from __future__ import annotations

from django.contrib import admin
from django.utils.html import format_html

from masthead.newsroom.models import (
    Picture,
)


@admin.register(Picture)
class PictureAdmin(admin.ModelAdmin):
    list_display = ["thumbnail", "caption", "credit", "width", "height", "size"]
    search_fields = ["caption", "credit", "guid"]

    @admin.display(description="picture")
    def thumbnail(self, obj: Picture) -> str:
        if not obj.file:
            return ""
        return format_html(
            '<img src="{}" alt="" style="max-width:120px;height:auto">', obj.file.url
        )
