from typing import Any

from django import forms
from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.html import format_html

from masthead.newsroom.models import Article, Picture, Revision, Story
from masthead.newsroom.services.article import (
    ArticleEditError,
    article_body_clean,
    article_edit,
    article_pin,
)
from masthead.newsroom.services.story import story_kill


class RevisionInline(admin.TabularInline):
    model = Revision
    extra = 0
    can_delete = False
    fields = readonly_fields = ("number", "created_at", "source", "status", "headline", "note")

    def has_add_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


class ArticleForm(forms.ModelForm):
    class Meta:
        model = Article
        fields = [
            "section",
            "slug",
            "headline",
            "body",
            "picture",
            "signature",
            "source_agency",
            "status",
            "pinned",
            "published_at",
            "updated_at",
        ]

    def clean_body(self) -> list[dict[str, str]]:
        try:
            return article_body_clean(self.cleaned_data.get("body"))
        except ArticleEditError as exc:
            raise forms.ValidationError(str(exc)) from None


@admin.register(Article)
class ArticleAdmin(admin.ModelAdmin):
    form = ArticleForm
    actions = ["pin", "unpin", "kill_story"]
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

    def save_model(self, request: HttpRequest, obj: Article, form: Any, change: bool) -> None:
        # Through the service, so an admin edit is cleaned and kept as a revision like any other.
        article_edit(article=obj, editor=request.user.get_username(), note="edited in admin")

    @admin.action(description="Pin to the top of the home page")
    def pin(self, request: HttpRequest, queryset: QuerySet[Article]) -> None:
        for article in queryset:
            article_pin(article=article, pinned=True, editor=request.user.get_username())

    @admin.action(description="Unpin")
    def unpin(self, request: HttpRequest, queryset: QuerySet[Article]) -> None:
        for article in queryset:
            article_pin(article=article, pinned=False, editor=request.user.get_username())

    @admin.action(description="Kill the story on every site (its pages answer 410)")
    def kill_story(self, request: HttpRequest, queryset: QuerySet[Article]) -> None:
        stories = {article.story for article in queryset.select_related("story")}
        for story in stories:
            story_kill(story=story, source=f"editor {request.user.get_username()}")
        self.message_user(request, f"{len(stories)} story(ies) killed", messages.WARNING)

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
