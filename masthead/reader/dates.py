"""Dates as a reader of the page's language expects them, one format per kind of date.

Django's per-language formats mix styles on one page (`11/30/2026 2:29 p.m.` on a front,
`Nov. 27, 2026, 5:38 a.m.` on its articles) and follow American usage for every English
site. Here each language gets the forms its newspapers print, per kind:

- `teaser`: compact, beside a headline on fronts, lists and search results;
- `dateline`: in full, under an article's headline;
- `day`: a calendar day, as the archive's heading;
- `date`: a calendar day without its weekday, as a correction's.

Month and weekday names come from Django's catalogues for the active language; a regional
tag (`en-us`) is looked up before its language (`en`), and a language not listed gets
unambiguous ISO-like forms. Backslashes escape letters Django would read as format codes.
"""

from __future__ import annotations

from typing import Literal

DateKind = Literal["teaser", "dateline", "day", "date"]

FORMATS: dict[str, dict[DateKind, str]] = {
    "en": {"teaser": "j M Y, H:i", "dateline": "j F Y, H:i", "day": "l j F Y", "date": "j F Y"},
    "en-us": {"teaser": "M j, Y, g:i A", "dateline": "F j, Y, g:i A", "day": "l, F j, Y"},
    "fr": {"teaser": "d/m/Y H\\hi", "dateline": "j F Y à H\\hi", "day": "l j F Y"},
    "de": {"teaser": "d.m.Y, H:i", "dateline": "j. F Y, H:i \\U\\h\\r", "day": "l, j. F Y"},
    "it": {"teaser": "d/m/Y H:i", "dateline": "j F Y, H:i", "day": "l j F Y"},
    "es": {
        "teaser": "d/m/Y H:i",
        "dateline": "j \\d\\e F \\d\\e Y, H:i",
        "day": "l, j \\d\\e F \\d\\e Y",
    },
    "pt": {
        "teaser": "d/m/Y H:i",
        "dateline": "j \\d\\e F \\d\\e Y, H:i",
        "day": "l, j \\d\\e F \\d\\e Y",
    },
    "nl": {"teaser": "d-m-Y H:i", "dateline": "j F Y, H:i", "day": "l j F Y"},
    # Slavic languages and Greek write the month in the genitive after a day ("30 listopada"):
    # Django's `E`, its alternative month name.
    "cs": {"teaser": "j. n. Y H:i", "dateline": "j. E Y, H:i", "day": "l j. E Y"},
    "pl": {"teaser": "d.m.Y, H:i", "dateline": "j E Y, H:i", "day": "l, j E Y"},
    "ru": {"teaser": "d.m.Y, H:i", "dateline": "j E Y, H:i", "day": "l, j E Y"},
    "uk": {"teaser": "d.m.Y, H:i", "dateline": "j E Y, H:i", "day": "l, j E Y"},
    "el": {"teaser": "d/m/Y H:i", "dateline": "j E Y, H:i", "day": "l j E Y"},
    "tr": {"teaser": "d.m.Y H:i", "dateline": "j F Y, H:i", "day": "j F Y l", "date": "j F Y"},
    # Arabic pages keep Western digits, as the large Arabic news sites print them; the comma
    # is the Arabic one.
    "ar": {"teaser": "d/m/Y H:i", "dateline": "j F Y، H:i", "day": "l j F Y"},
    # Year, month, day with their characters; the weekday last (ja: in brackets).
    "ko": {
        "teaser": "Y.m.d H:i",
        "dateline": "Y년 n월 j일 H:i",
        "day": "Y년 n월 j일 l",
        "date": "Y년 n월 j일",
    },
    "ja": {
        "teaser": "Y/m/d H:i",
        "dateline": "Y年n月j日 H:i",
        "day": "Y年n月j日（D）",  # noqa: RUF001 (Japanese brackets)
        "date": "Y年n月j日",
    },
    "zh": {
        "teaser": "Y-m-d H:i",
        "dateline": "Y年n月j日 H:i",
        "day": "Y年n月j日 l",
        "date": "Y年n月j日",
    },
}
# Languages whose newspapers write month and weekday names in lower case, where Django's
# catalogue capitalises them ("Lunedì 30 Novembre"); their formats hold nothing else to lower.
LOWER_CASE_NAMES = {"fr", "it", "es", "pt", "nl", "cs", "pl", "ru", "uk"}
FALLBACK: dict[DateKind, str] = {"teaser": "Y-m-d H:i", "dateline": "j F Y, H:i", "day": "l j F Y"}


def date_format(language: str, kind: DateKind) -> str:
    """The Django date format for this kind of date in this language (or regional tag)."""
    tag = language.lower()
    formats = FORMATS.get(tag) or FORMATS.get(tag.split("-", 1)[0]) or FALLBACK
    if kind == "date" and kind not in formats:
        # A calendar day without its weekday: the day's form with the weekday left out.
        return formats["day"].replace("l, ", "").replace("l ", "")
    return formats[kind]


def lower_case_names(language: str) -> bool:
    return language.lower().split("-", 1)[0] in LOWER_CASE_NAMES
