"""The body's form field: a textarea of paragraphs, intertitles and quotes with a live
preview beside it (static/newsroom/body.js), read into blocks and cleaned like wire copy."""

from __future__ import annotations

from typing import Any

from django import forms

from masthead.newsroom.services.article import ArticleEditError, article_body_clean
from masthead.newsroom.services.bodytext import body_from_text, body_to_text

# A long read is some 60,000 characters; far beyond that is a paste gone wrong, and cleaning
# it would hold the request for seconds.
MAX_BODY_CHARS = 300_000

HELP = (
    "Blank lines part paragraphs. A line written “- Like this -” is an intertitle; a "
    "paragraph starting with “>” is a quote. <em>, <strong> and <a href=…> work inside "
    "a paragraph; everything else is cleaned away, as in agency copy."
)


class BodyTextarea(forms.Textarea):
    template_name = "newsroom/widgets/body.html"

    class Media:
        js = ["newsroom/body.js"]
        css = {"all": ["newsroom/body.css"]}

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__({"rows": 18, "class": "mh-body", "spellcheck": "true", **(attrs or {})})

    def format_value(self, value: Any) -> str | None:
        if isinstance(value, list):
            return body_to_text(value)
        return super().format_value(value)


class BodyField(forms.Field):
    widget = BodyTextarea

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("help_text", HELP)
        super().__init__(**kwargs)

    def to_python(self, value: Any) -> list[dict[str, str]]:
        if isinstance(value, list):
            return value
        if len(str(value or "")) > MAX_BODY_CHARS:
            raise forms.ValidationError(
                f"body: at most {MAX_BODY_CHARS:,} characters ({len(str(value)):,} given)"
            )
        try:
            return article_body_clean(body_from_text(str(value or "")))
        except ArticleEditError as exc:
            raise forms.ValidationError(str(exc)) from None

    def has_changed(self, initial: Any, data: Any) -> bool:
        # Compared as blocks: the same text written with other line breaks is no change.
        try:
            return self.to_python(data) != (initial or [])
        except forms.ValidationError:
            return True
