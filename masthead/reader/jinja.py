"""The reader's template engine: Jinja2, with the few Django helpers its pages use.

Reader pages are rendered on every cache miss, and Django's template language was half of a
cold article render (about 1.3 ms of 2.5); Jinja2 compiles templates to Python functions and
renders the same page in a fraction of that. The admin keeps Django's templates.

What the templates get besides Jinja2's own: `_()` and `ngettext()` from Django's catalogue
(the active language), `static()`, `text_direction()` (a language's writing direction),
`face_style()` (a site's face as a <style> block: faces.py), and the
filters `date` (Django's formats, in a site's time
zone when given one), `when` (a kind of date as the page's language writes it, in CLDR's
forms: dates.py) and `blocks` (article body blocks to HTML).
"""

from __future__ import annotations

import datetime as dt
from datetime import datetime
from functools import cache, lru_cache
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.template.defaultfilters import date as django_date
from django.templatetags.static import static
from django.utils import timezone
from django.utils.translation import get_language, gettext, ngettext
from jinja2 import ChainableUndefined, Environment

from masthead.reader.blocks import blocks_html
from masthead.reader.dates import DateKind, date_text
from masthead.reader.faces import face_style


@cache
def _zone(name: str) -> ZoneInfo:
    return ZoneInfo(name)


def date(value: datetime | dt.date | None, fmt: str, zone: str = "") -> str:
    """Django's `date` filter (format names like DATETIME_FORMAT follow the active language);
    an aware time is shown in `zone` when given, else in the current time zone."""
    if value is None:
        return ""
    if isinstance(value, datetime) and timezone.is_aware(value):
        value = timezone.localtime(value, _zone(zone) if zone else None)
        if fmt == "c":
            return value.isoformat()  # what Django's "c" gives, without its formatter
    return str(django_date(value, fmt))


def when(value: datetime | dt.date | None, kind: DateKind, zone: str = "") -> str:
    """A date as readers of the active language expect this kind of date (see dates.py)."""
    language = get_language() or "en"
    if not zone and isinstance(value, datetime) and timezone.is_aware(value):
        return _when(value, kind, zone, language)  # shown in the current time zone
    return _remembered_when(value, kind, zone, language)


def _when(value: datetime | dt.date | None, kind: DateKind, zone: str, language: str) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime) and timezone.is_aware(value):
        value = timezone.localtime(value, _zone(zone) if zone else None)
    return date_text(value, kind, language)


# Formatting a date with its CLDR pattern takes some 7 microseconds, and an article page prints
# a dozen (its latest news and its section's, the same on every article of the site):
# remembered by time, kind, zone and language, which is all the text then depends on.
_remembered_when = lru_cache(maxsize=8192)(_when)


def text_direction(language: object) -> str:
    """A language's writing direction: "rtl" for Arabic, Hebrew, Persian, Urdu ... (Django's
    LANGUAGES_BIDI; a regional tag by its language), else "ltr"."""
    base = str(language or "").lower().split("-", 1)[0]
    return "rtl" if base in settings.LANGUAGES_BIDI else "ltr"


def environment(**options: Any) -> Environment:
    # Pages without a site (the error page on an unknown host) print nothing for `site.name`,
    # as Django's templates did, instead of failing.
    options["undefined"] = ChainableUndefined
    env = Environment(extensions=["jinja2.ext.i18n"], **options)  # noqa: S701 (Django sets autoescape)
    env.install_gettext_callables(gettext, ngettext, newstyle=False)  # type: ignore[attr-defined]
    # A static file's address is fixed while the process runs (the manifest is read at start):
    # worked out once per file, not for each of a page's stylesheet, script and icons.
    env.globals["static"] = lru_cache(maxsize=256)(static)
    env.globals["text_direction"] = text_direction
    env.globals["face_style"] = face_style
    env.filters["date"] = date
    env.filters["when"] = when
    env.filters["blocks"] = blocks_html
    return env
