"""Dates as a reader of the page's language expects them, one CLDR form per kind of date.

The forms come from the Unicode CLDR, through Babel, for every language CLDR knows, instead of
formats written here by hand (a language without them got `2026-11-24 08:10`). Per kind:

- `teaser`: compact, beside a headline on fronts, lists and search results: the locale's
  medium date and short time (`30 nov. 2026, 15:29`, `2026/11/30 15:29`);
- `dateline`: in full, under an article's headline: long date and short time
  (`30 novembre 2026, 15:29`, `2026年11月30日 15:29`);
- `day`: a calendar day with its weekday, as the archive's heading: the full date
  (`lundi 30 novembre 2026`, `2026년 11월 30일 월요일`);
- `date`: a calendar day without its weekday, as a correction's: the long date.

Date and time are joined by the locale's own CLDR pattern for that length (`{1}, {0}`,
`{1} {0}`, Arabic `{1}، {0}`), combined as patterns before formatting, never by gluing strings.
CLDR already writes month and weekday names in the case each language prints them mid-sentence
(French, Italian, Spanish ... in lower case) and in the genitive after a day where grammar wants it
(`30 ноября`, `30 listopada`).

Choices made here, on top of CLDR:

- Bare `en` is English as written outside the United States (`en_GB`: day, month, year and the
  24-hour clock): Django's `en` is the network's international English, and `en-us` names the US
  (CLDR's own `en` is American).
- Korean and Greek newspapers print the 24-hour clock where CLDR's everyday short time is
  12-hour (`PM 3:29`, with Latin letters, in Korean): those two take CLDR's 24-hour `Hm` form.
  Every other language keeps its CLDR short time (12-hour in American English and Arabic, as
  their news sites print it).
- Arabic keeps Western digits (`30 نوفمبر 2026`): the large Arabic news sites print them, Babel
  2.18's data for `ar` names `latn` as its default numbering system, and Babel's date patterns
  print Western digits in any case, so every Arabic date on the network is written alike.
- A regional tag CLDR lacks (`fr-xx`) is read as its language; a language CLDR lacks (`xx`),
  or a malformed tag, as English, like the rest of such a page, which Django then shows in
  English too. Never an error.

Locales and their combined patterns are built once per language and kind and kept.
"""

from __future__ import annotations

import datetime as dt
from functools import cache
from typing import Literal

from babel import Locale, UnknownLocaleError
from babel.dates import DateTimePattern, parse_pattern

DateKind = Literal["teaser", "dateline", "day", "date"]

# The CLDR length of the date for each kind, and whether the time follows it.
KINDS: dict[DateKind, tuple[str, bool]] = {
    "teaser": ("medium", True),
    "dateline": ("long", True),
    "day": ("full", False),
    "date": ("long", False),
}
# Django's bare English is the network's international English (see above).
LOCALES = {"en": "en_GB"}
FALLBACK = "en_GB"
# Languages whose newspapers print the 24-hour clock where CLDR's short time is 12-hour.
TWENTY_FOUR_HOUR = {"ko", "el"}


@cache
def locale_of(language: str) -> Locale:
    """The CLDR locale for a Django language code (`fr`, `en-us`, `zh-hans`, `pt-br`): the tag
    itself, else its language, else English."""
    tag = language.strip().lower()
    base = tag.split("-", 1)[0]
    for candidate in (LOCALES.get(tag, tag), LOCALES.get(base, base)):
        try:
            return Locale.parse(candidate, sep="-" if "-" in candidate else "_")
        except (UnknownLocaleError, ValueError, TypeError):
            continue
    return Locale.parse(FALLBACK)


@cache
def pattern(language: str, kind: DateKind, with_time: bool) -> DateTimePattern:
    """The CLDR pattern for this kind of date in this language; `with_time` False leaves the
    time out (a kind with a time given a calendar day)."""
    locale = locale_of(language)
    length, timed = KINDS[kind]
    date_pattern = locale.date_formats[length].pattern
    if not (timed and with_time):
        return parse_pattern(date_pattern)
    if locale.language in TWENTY_FOUR_HOUR and "Hm" in locale.datetime_skeletons:
        time_pattern = locale.datetime_skeletons["Hm"].pattern
    else:
        time_pattern = locale.time_formats["short"].pattern
    glue = str(locale.datetime_formats.get(length) or "{1} {0}")
    return parse_pattern(glue.replace("{1}", date_pattern).replace("{0}", time_pattern))


def date_text(value: dt.date, kind: DateKind, language: str) -> str:
    """`value` written as this kind of date in this language. A datetime is written as given:
    the caller puts it in the site's time zone first."""
    with_time = isinstance(value, dt.datetime)
    return str(pattern(language, kind, with_time).apply(value, locale_of(language)))
