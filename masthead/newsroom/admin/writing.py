"""The desk's "Write a story" page: an original story, its picture, and where it goes."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.contrib import messages
from django.contrib.admin.widgets import AdminSplitDateTime
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone

from masthead.core.errors import MastheadError
from masthead.network.models import Section
from masthead.network.routing import route_story
from masthead.newsroom.bodyfield import BodyField
from masthead.newsroom.models import Article, Picture, Role
from masthead.newsroom.selectors import user_scope
from masthead.newsroom.services.picture import picture_create
from masthead.newsroom.services.writing import Draft, local_provider, story_write

WHEN_CHOICES = [("now", "Publish now"), ("at", "Publish at"), ("draft", "Keep as a draft")]


def _editable_sections(user: Any) -> list[Section]:
    """The sections of the sites and languages where the user holds an editor's seat."""
    sections = Section.objects.select_related("site").order_by("site__code", "language", "position")
    scope = user_scope(user=user, role=Role.EDITOR)
    if scope is not None:
        # Section and Article share the (site_id, language) names the scope is written in.
        sections = sections.filter(scope)
    return list(sections)


class SectionChoice(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.site.code} · {obj.language} · {obj.name}"


class WriteForm(forms.Form):
    headline = forms.CharField(max_length=300)
    standfirst = forms.CharField(
        required=False,
        max_length=600,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="The summary under the headline, on fronts and in links shared elsewhere.",
    )
    body = BodyField()
    language = forms.ChoiceField()
    sections = SectionChoice(
        queryset=Section.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Where it goes. None chosen: the network's routes decide, among your sites.",
    )
    picture = forms.ImageField(required=False)
    caption = forms.CharField(required=False, max_length=1000)
    credit = forms.CharField(required=False, max_length=300)
    alt = forms.CharField(
        required=False,
        max_length=500,
        help_text="What the picture shows, for readers who cannot see it.",
    )
    when = forms.ChoiceField(choices=WHEN_CHOICES, initial="now", widget=forms.RadioSelect)
    publish_at = forms.SplitDateTimeField(
        required=False,
        widget=AdminSplitDateTime,
        help_text="In the newsroom's time zone.",
    )

    def __init__(self, *args: Any, sections: list[Section], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = cast(forms.ModelMultipleChoiceField, self.fields["sections"])
        field.queryset = Section.objects.filter(pk__in=[s.pk for s in sections]).select_related(
            "site"
        )
        languages = sorted({s.language for s in sections})
        cast(forms.ChoiceField, self.fields["language"]).choices = [
            (lang, lang) for lang in languages
        ]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if cleaned.get("when") == "at" and not cleaned.get("publish_at"):
            self.add_error("publish_at", "Give the time to publish at.")
        if cleaned.get("picture") and not cleaned.get("credit"):
            self.add_error("credit", "A picture needs its credit (who took it, which agency).")
        return cleaned


def write_view(admin: Any, request: HttpRequest) -> HttpResponse:
    """GET: the empty form. POST: the story written, or the form with what to mend."""
    if not request.user.has_perm("newsroom.add_article"):
        raise PermissionDenied
    sections = _editable_sections(request.user)
    if not sections:
        raise PermissionDenied  # an editor's seat on no site: nowhere to publish
    form = WriteForm(request.POST or None, request.FILES or None, sections=sections)
    if request.method == "POST" and form.is_valid():
        story = _write(request, form, sections)
        if story is not None:
            return HttpResponseRedirect(_changelist_for(story))
    context = {
        **admin.admin_site.each_context(request),
        "opts": Article._meta,
        "title": "Write a story",
        "form": form,
        "media": admin.media + form.media,
        "provider": local_provider(),
        "timezone": timezone.get_current_timezone_name(),
    }
    return TemplateResponse(request, "admin/newsroom/article/write.html", context)


def _write(request: HttpRequest, form: WriteForm, allowed: list[Section]) -> Any:
    data = form.cleaned_data
    chosen = list(data["sections"])
    if not chosen:
        chosen = _routed(data, allowed)
        if not chosen:
            form.add_error(
                "sections",
                f"No route of yours takes a {data['language']} story: choose sections.",
            )
            return None
    picture = None
    if data.get("picture"):
        upload = data["picture"]
        try:
            # Checked and turned into renditions as wire pictures are, before the story's
            # transaction; a story that then fails leaves an unused picture, never a half story.
            picture = picture_create(
                data=upload.read(),
                name=upload.name,
                guid="",
                caption=data["caption"],
                credit=data["credit"],
                alt=data["alt"],
            )
        except MastheadError as exc:
            form.add_error("picture", str(exc))
            return None
    when = data["when"]
    draft = Draft(
        headline=data["headline"],
        body=data["body"],
        language=data["language"],
        standfirst=data["standfirst"],
        publish_at=data["publish_at"] if when == "at" else None,
        hold=when == "draft",
    )
    try:
        story = story_write(
            draft=draft, sections=chosen, editor=request.user.get_username(), picture=picture
        )
    except MastheadError as exc:
        if picture is not None:
            _forget(picture)
        form.add_error(None, str(exc))
        return None
    messages.success(request, f"“{draft.headline}” written: {_where(story)}.")
    return story


def _routed(data: dict[str, Any], allowed: list[Section]) -> list[Section]:
    """The sections the network's routes give a story of this language and text, among those
    the user may publish in."""
    targets = route_story(
        language=data["language"],
        subjects=(),
        text=f"{data['headline']} {' '.join(b['html'] for b in data['body'])}".lower(),
        provider=local_provider(),
    )
    ok = {s.pk for s in allowed}
    return [t.section for t in targets if t.section.pk in ok]


def _where(story: Any) -> str:
    articles = story.articles.select_related("site", "section").order_by("site__code")
    return ", ".join(f"{a.site.code}/{a.section.name} ({a.get_status_display()})" for a in articles)


def _changelist_for(story: Any) -> str:
    return reverse("admin:newsroom_article_changelist") + f"?q={story.pk}"


def _forget(picture: Picture) -> None:
    picture.delete()


__all__ = ["WriteForm", "write_view"]
