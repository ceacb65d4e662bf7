from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.html import format_html

from masthead.newsroom.models import Article, Picture, Revision, Story


class RevisionInline(admin.TabularInline):
    model = Revision
    extra = 0
    can_delete = False
    fields = readonly_fields = ("number", "created_at", "source", "status", "headline", "note")

    def has_add_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


@admin.register(Article)
class ArticleAdmin(admin.ModelAdmin):
    list_display = [
        "headline",
        "story_id",
        "site",
        "language",
        "section",
        "status",
        "published_at",
        "preview",
    ]
    list_filter = ["site", "language", "section", "status", "pinned"]
    search_fields = ["headline", "story__guid", "=story__id"]
    date_hierarchy = "published_at"
    list_select_related = ["site", "section"]
    raw_id_fields = ["story", "picture"]
    readonly_fields = ["story", "site", "language", "modified_at", "preview"]
    inlines = [RevisionInline]

    @admin.display(description="page")
    def preview(self, obj: Article) -> str:
        domain = obj.site.primary_domain
        return format_html(
            '<a href="//{}{}" target="_blank" rel="noopener">view</a>',
            domain,
            obj.get_absolute_url(),
        )


class ArticleInline(admin.TabularInline):
    model = Article
    extra = 0
    fields = readonly_fields = ("site", "language", "section", "headline", "status", "published_at")
    show_change_link = True

    def has_add_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


@admin.register(Story)
class StoryAdmin(admin.ModelAdmin):
    list_display = ["id", "provider", "guid", "version", "status", "urgency", "version_created"]
    list_filter = ["status", "provider", "urgency"]
    search_fields = ["guid", "=id", "articles__headline"]
    inlines = [ArticleInline]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Story]:
        return super().get_queryset(request).distinct()


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
