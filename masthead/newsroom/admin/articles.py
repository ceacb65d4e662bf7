from __future__ import annotations

from functools import partial
from typing import Any

from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Prefetch, QuerySet
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import ngettext

from masthead.core.html import plain_text
from masthead.core.paging import EstimatedCountPaginator
from masthead.network.models import Section
from masthead.newsroom.admin.breaking import BreakingActions
from masthead.newsroom.admin.common import (
    RequestPagesAdmin,
    UserSectionsFilter,
    UserSitesFilter,
    admin_request,
    article_page_url,
    view_on_site_url,
)
from masthead.newsroom.admin.paging import SiteLanguagesFieldListFilter
from masthead.newsroom.admin.writing import write_view
from masthead.newsroom.bodyfield import BodyField
from masthead.newsroom.models import (
    Article,
    ArticleStatus,
    Revision,
    Role,
    Story,
    StoryStatus,
)
from masthead.newsroom.selectors import (
    articles_for_user,
    user_may_act,
    user_may_kill,
)
from masthead.newsroom.services.article import (
    ArticleEditError,
    article_agency_diff,
    article_correct,
    article_edit,
    article_pin,
    article_restore_revision,
    article_schedule_refusal,
    article_status_refusal,
    article_take_agency,
    revision_diff,
)
from masthead.newsroom.services.story import story_kill


class RevisionInline(admin.TabularInline):
    model = Revision
    extra = 0
    can_delete = False
    fields = readonly_fields = (
        "number",
        "created_at",
        "source",
        "status",
        "headline",
        "note",
        "compare",
    )

    @admin.display(description="")
    def compare(self, obj: Revision) -> str:
        url = reverse("admin:newsroom_article_revision", args=[obj.article_id, obj.number])
        return format_html('<a href="{}">compare, restore</a>', url)

    def has_add_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


class ArticleForm(forms.ModelForm):
    # The revision the form was opened on: what the editor saw, to tell their changes from a
    # wire version that came while the form was open.
    based_on = forms.IntegerField(required=False, widget=forms.HiddenInput)
    body = BodyField()
    add_correction = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Shown on the article as “Correction, (date): …”, in its structured data, "
        "and the article is marked updated.",
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk is not None and not self.is_bound:
            self.initial["based_on"] = (
                self.instance.revisions.order_by("-number").values_list("number", flat=True).first()
            )
        section = self.fields.get("section")
        if self.instance.pk is not None and isinstance(section, forms.ModelChoiceField):
            # An article moves between its own site's sections in its own language: another
            # site's section is neither offered nor taken when posted by hand.
            section.queryset = Section.objects.filter(
                site_id=self.instance.site_id, language=self.instance.language
            ).select_related("site")

    class Meta:
        model = Article
        fields = [
            "section",
            "slug",
            "headline",
            "standfirst",
            "body",
            "picture",
            "signature",
            "source_agency",
            "status",
            "pinned",
            "published_at",
            "updated_at",
            "publish_at",
            "unpublish_at",
        ]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        refusal = article_schedule_refusal(
            publish_at=cleaned.get("publish_at"), unpublish_at=cleaned.get("unpublish_at")
        )
        if refusal:
            raise forms.ValidationError(refusal)
        publish_at = cleaned.get("publish_at")
        if (
            publish_at
            and publish_at > timezone.now()
            and cleaned.get("status") == ArticleStatus.PUBLISHED
            and self.instance.published_at is None
        ):
            raise forms.ValidationError(
                "publish_at: set the status to Draft to publish it at that time"
            )
        return cleaned

    def clean_standfirst(self) -> str:
        # Plain text, as the headline is: readers see no markup spelled out, feeds no control
        # character.
        text = str(self.cleaned_data.get("standfirst") or "")
        return plain_text(text, limit=len(text))

    def clean_status(self) -> str:
        status = str(self.cleaned_data.get("status"))
        if self.instance.pk is not None:
            # The instance still holds the stored status here (the form sets it after clean).
            refusal = article_status_refusal(old=self.instance.status, new=status)
            if refusal:
                raise forms.ValidationError(refusal)
        return status


@admin.register(Article)
class ArticleAdmin(BreakingActions, RequestPagesAdmin):
    form = ArticleForm
    actions = [
        "pin",
        "unpin",
        "take_agency",
        "take_agency_headline",
        "kill_story",
        "flag_breaking",
        "end_breaking",
    ]
    list_display = [
        "headline",
        "agency_flag",
        "story_id",
        "site",
        "language",
        "section",
        "status",
        "published_at",
        "preview",
    ]
    list_filter = [
        "agency_updated",
        UserSitesFilter,
        ("language", SiteLanguagesFieldListFilter),
        UserSectionsFilter,
        "status",
        "pinned",
    ]
    search_fields = ["headline", "story__guid", "=story__id"]
    date_hierarchy = "published_at"
    list_select_related = ["site", "section__site"]
    # A million articles: no exact count of the list, nor of the whole table (core/paging.py).
    paginator = EstimatedCountPaginator
    show_full_result_count = False
    # Rendering a row is most of a page's time (about 1 ms each on the bench machine): 50
    # keep the page within 150 ms at a million rows (docs/performance.md, Desk).
    list_per_page = 50
    raw_id_fields = ["story", "picture"]
    readonly_fields = [
        "agency_update",
        "corrections_made",
        "edited_fields",
        "story",
        "site",
        "language",
        "modified_at",
        "preview",
    ]
    inlines = [RevisionInline]

    def view_on_site(self, obj: Article) -> str | None:  # type: ignore[override]
        return view_on_site_url(obj)

    def get_urls(self) -> list[Any]:
        view = self.admin_site.admin_view(self.revision_view)
        write = self.admin_site.admin_view(partial(write_view, self))
        return [
            path("write/", write, name="newsroom_article_write"),
            path(
                "<int:article_id>/revisions/<int:number>/",
                view,
                name="newsroom_article_revision",
            ),
            *super().get_urls(),
        ]

    def add_view(
        self, request: HttpRequest, form_url: str = "", extra_context: dict[str, Any] | None = None
    ) -> HttpResponse:
        # An article is born with its story: "Add" is writing one (admin/writing.py).
        return HttpResponseRedirect(reverse("admin:newsroom_article_write"))

    def revision_view(self, request: HttpRequest, article_id: int, number: int) -> HttpResponse:
        """An earlier revision against the article as it is, and a button to restore it."""
        article = self.get_queryset(request).filter(pk=article_id).first()  # their sites only
        if article is None or not self.has_view_permission(request, article):
            raise Http404("No such article.")
        may_restore = self.has_change_permission(request, article)
        change_url = reverse("admin:newsroom_article_change", args=[article.pk])
        if request.method == "POST":
            if not may_restore:
                raise PermissionDenied
            try:
                article_restore_revision(
                    article=article, number=number, editor=request.user.get_username()
                )
            except ArticleEditError as exc:
                self.message_user(request, str(exc), messages.ERROR)
            else:
                self.message_user(request, f"Revision {number} restored.", messages.SUCCESS)
            return HttpResponseRedirect(change_url)
        try:
            against_text = request.GET.get("with", "")
            against = int(against_text) if against_text.isdigit() else None
            diff = revision_diff(article=article, number=number, against=against)
        except ArticleEditError as exc:
            raise Http404(str(exc)) from None
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": f"Revision {number} of “{article.headline}”",
            "article": article,
            "number": number,
            "headline_diff": mark_safe(diff["headline"]),  # escaped word by word in word_diff
            "body_diff": mark_safe(diff["body"]),
            "may_restore": may_restore,
            "against": against,
            "numbers": list(
                article.revisions.order_by("-number").values_list("number", flat=True)[:200]
            ),
            "change_url": change_url,
        }
        return TemplateResponse(request, "admin/newsroom/article/revision.html", context)

    def get_search_results(
        self, request: HttpRequest, queryset: QuerySet[Article], search_term: str
    ) -> tuple[QuerySet[Article], bool]:
        """A number is a story's id and a term with a colon a guid, both found on an index
        (Django's search would cast every id to text to compare)."""
        term = search_term.strip()
        if not term:
            return queryset, False
        if term.isdigit():
            return queryset.filter(story_id=int(term)), False
        if ":" in term and " " not in term:
            return queryset.filter(story__guid=term), False
        # Words go through Django's own search (headline or guid): measured on a million rows,
        # its plan walks the date index and stops at a page of matches (0.3 s), where a filter
        # on the headline alone was estimated rare and read the whole table (2.6 s).
        return super().get_search_results(request, queryset, term)

    def get_queryset(self, request: HttpRequest) -> QuerySet[Article]:
        # Each member of staff sees, and so can act on, the articles of their own sites.
        return articles_for_user(user=request.user, queryset=super().get_queryset(request))

    def save_model(self, request: HttpRequest, obj: Article, form: Any, change: bool) -> None:
        # The form shows times to the second: a time the editor left alone keeps its own value.
        for name in ("published_at", "updated_at"):
            if change and name not in form.changed_data:
                setattr(obj, name, form.initial.get(name))
        if change:
            self._keep_what_the_editor_left(obj, form)
        # Through the service, so an admin edit is cleaned and kept as a revision like any other.
        article_edit(article=obj, editor=request.user.get_username(), note="edited in admin")
        note = form.cleaned_data.get("add_correction", "").strip()
        if note:
            article_correct(article=obj, note=note, editor=request.user.get_username())

    @staticmethod
    def _keep_what_the_editor_left(obj: Article, form: Any) -> None:
        """What the editor did not touch is what is stored now, not what the form showed when
        it was opened: a wire version that came meanwhile is neither undone nor counted as the
        editor's change. A value equal to the one in the revision the form was opened on is
        one the editor left alone."""
        stored = Article.objects.get(pk=obj.pk)
        seen = None
        based_on = form.cleaned_data.get("based_on")
        if based_on:
            seen = obj.revisions.filter(number=based_on).first()
        attnames = {"section": "section_id", "picture": "picture_id"}
        for name in ("headline", "body", "status", "section", "picture", "slug", "signature"):
            attname = attnames.get(name, name)
            untouched = name not in form.changed_data or (
                seen is not None
                and name in ("headline", "body", "status")
                and getattr(obj, name) == getattr(seen, name)
            )
            if untouched:
                setattr(obj, attname, getattr(stored, attname))

    def has_kill_permission(self, request: HttpRequest) -> bool:
        return request.user.has_perm(f"{Story._meta.app_label}.kill_story")

    def has_change_permission(self, request: HttpRequest, obj: Article | None = None) -> bool:
        # The model permission says the user edits articles somewhere; the object must also be
        # on a site and in a language they work on (the list shows no other, but a URL can).
        if not super().has_change_permission(request, obj):
            return False
        return obj is None or user_may_act(user=request.user, article=obj)

    def has_view_permission(self, request: HttpRequest, obj: Article | None = None) -> bool:
        if not super().has_view_permission(request, obj):
            return False
        return obj is None or user_may_act(user=request.user, article=obj, role=Role.VIEWER)

    def editable(
        self, request: HttpRequest, queryset: QuerySet[Article], what: str
    ) -> QuerySet[Article]:
        """The selected articles the user may change: an editor on one site may be a viewer
        on another, and the model permission alone does not tell which."""
        allowed = articles_for_user(user=request.user, queryset=queryset, role=Role.EDITOR)
        skipped = queryset.count() - allowed.count()
        if skipped:
            self.message_user(
                request,
                f"{skipped} selected article(s) not {what}: you do not edit on their site "
                "or language.",
                messages.WARNING,
            )
        return allowed

    @admin.display(description="agency", boolean=False)
    def agency_flag(self, obj: Article) -> str:
        return "updated since your edit" if obj.agency_updated else ""

    @admin.display(description="corrections")
    def corrections_made(self, obj: Article) -> str:
        """Those made known so far; a new one is added with “Add correction”, below."""
        if not obj.pk:
            return "—"
        rows = [
            format_html("<li>{} ({}): {}</li>", f"{c.at:%Y-%m-%d %H:%M}", c.editor, c.note)
            for c in obj.corrections.all()
        ]
        return format_html("<ul>{}</ul>", mark_safe("".join(rows))) if rows else "—"

    @admin.display(description="agency updated since your edit")
    def agency_update(self, obj: Article) -> str:
        """The agency's newest text against what the article shows, word by word."""
        if not obj.pk or not obj.agency_updated:
            return "—"
        diff = article_agency_diff(article=obj)
        parts = [format_html("<p><strong>Headline</strong>: {}</p>", mark_safe(diff["headline"]))]
        if diff["body"]:
            parts.append(format_html("<p><strong>Text</strong>: {}</p>", mark_safe(diff["body"])))
        parts.append(
            format_html(
                "<p>{}</p>",
                "Struck out: only in what readers see now; underlined: only in the agency's "
                "version. Take it with the list's action “Take the agency's version”.",
            )
        )
        return format_html("{}", mark_safe("".join(parts)))

    @admin.action(
        description="Take the agency's version (headline and text)", permissions=["change"]
    )
    def take_agency(self, request: HttpRequest, queryset: QuerySet[Article]) -> None:
        self._take(request, queryset, headline_only=False)

    @admin.action(description="Take the agency's headline only", permissions=["change"])
    def take_agency_headline(self, request: HttpRequest, queryset: QuerySet[Article]) -> None:
        self._take(request, queryset, headline_only=True)

    def _take(
        self, request: HttpRequest, queryset: QuerySet[Article], *, headline_only: bool
    ) -> None:
        if len(queryset) > 1 and not request.user.has_perm("newsroom.take_agency_in_bulk"):
            # One at a time is an editor's call; many at once a chief's.
            self.message_user(
                request,
                "Not taken: taking the agency's version of several articles at once is for "
                "chief editors. Select one article, or ask a chief.",
                messages.ERROR,
            )
            return
        taken, skipped = 0, 0
        for article in self.editable(request, queryset, "changed"):
            try:
                article_take_agency(
                    article=article, editor=request.user.get_username(), headline_only=headline_only
                )
                taken += 1
            except ArticleEditError:
                skipped += 1
        self.message_user(
            request,
            f"{taken} article(s) now show the agency's "
            f"{'headline' if headline_only else 'version'}"
            + (f"; {skipped} had no agency version waiting" if skipped else ""),
            messages.SUCCESS if taken else messages.WARNING,
        )

    @admin.action(description="Pin to the top of the home page", permissions=["change"])
    def pin(self, request: HttpRequest, queryset: QuerySet[Article]) -> None:
        for article in self.editable(request, queryset, "pinned"):
            article_pin(article=article, pinned=True, editor=request.user.get_username())

    @admin.action(description="Unpin", permissions=["change"])
    def unpin(self, request: HttpRequest, queryset: QuerySet[Article]) -> None:
        for article in self.editable(request, queryset, "unpinned"):
            article_pin(article=article, pinned=False, editor=request.user.get_username())

    @admin.action(
        description="Kill the story on every site (its pages answer 410)", permissions=["kill"]
    )
    def kill_story(
        self, request: HttpRequest, queryset: QuerySet[Article]
    ) -> TemplateResponse | None:
        """First a page naming what comes off where; only its confirmation kills."""
        story_ids = set(queryset.values_list("story_id", flat=True))
        if not user_may_kill(user=request.user, story_ids=story_ids):
            self.message_user(
                request,
                "Not killed: a kill takes the story off every site and language it is on, and "
                "you are not chief editor on all of them. Ask a chief of those sites.",
                messages.ERROR,
            )
            return None
        reason = request.POST.get("reason", "").strip()
        if request.POST.get("post") != "yes" or not reason:
            # Asked first, with a reason: readers see it on the 410 page, the audit log keeps it.
            return self._kill_confirmation(request, queryset, story_ids)
        username = request.user.get_username()
        articles = 0
        with transaction.atomic():
            stories = list(
                Story.objects.select_for_update()
                .filter(pk__in=story_ids)
                .exclude(status=StoryStatus.CANCELED)
                .order_by("pk")
            )
            for story in stories:
                result = story_kill(
                    story=story, source=f"editor {username}", by=username, reason=reason
                )
                articles += len(result.articles)
        if not stories:
            self.message_user(request, "Nothing killed: already killed.", messages.WARNING)
            return None
        message = ngettext(
            "Killed %(stories)d story", "Killed %(stories)d stories", len(stories)
        ) % {"stories": len(stories)} + ngettext(
            " on %(articles)d article", " on %(articles)d articles", articles
        ) % {"articles": articles}
        already = len(story_ids) - len(stories)
        if already:
            message += f"; {already} already killed, left as they were"
        self.message_user(request, message + ".", messages.WARNING)
        return None

    def _kill_confirmation(
        self, request: HttpRequest, queryset: QuerySet[Article], story_ids: set[int]
    ) -> TemplateResponse | None:
        stories = list(
            Story.objects.filter(pk__in=story_ids)
            .order_by("pk")
            .prefetch_related(
                Prefetch(
                    "articles",
                    queryset=Article.objects.select_related("site").order_by(
                        "site__code", "language"
                    ),
                )
            )
        )
        to_kill = [s for s in stories if s.status != StoryStatus.CANCELED]
        if not to_kill:
            self.message_user(request, "Nothing to kill: already killed.", messages.WARNING)
            return None
        opts = self.model._meta
        context = {
            **self.admin_site.each_context(request),
            "title": ngettext("Kill this story?", "Kill these %(count)d stories?", len(to_kill))
            % {"count": len(to_kill)},
            "opts": opts,
            "app_label": opts.app_label,
            "stories": to_kill,
            "already_killed": [s for s in stories if s.status == StoryStatus.CANCELED],
            "article_count": sum(len(s.articles.all()) for s in to_kill),
            "queryset": queryset,
            "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
            "media": self.media,
        }
        request.current_app = self.admin_site.name
        return TemplateResponse(
            request, "admin/newsroom/article/kill_story_confirmation.html", context
        )

    @admin.display(description="page")
    def preview(self, obj: Article) -> str:
        url = article_page_url(obj, admin_request.get())
        if not url:
            return ""
        return format_html('<a href="{}" target="_blank" rel="noopener">view</a>', url)
