"""The reader's dates in each language's CLDR forms (dates.py), in the site's time zone, with
nothing of one page's language left for the next."""

# The Cyrillic and dotless letters below are the languages' own, not look-alikes.
# ruff: noqa: RUF001, RUF003

from __future__ import annotations

import json
import re
from datetime import UTC, date, datetime

import pytest
from django.utils import translation

from masthead.network.services import network_apply
from masthead.network.spec import parse_network
from masthead.newsroom.models import Article
from masthead.reader.dates import date_text, locale_of
from masthead.reader.jinja import when

MOMENT = datetime(2026, 11, 30, 14, 29, tzinfo=UTC)  # 15:29 in Brussels
BRUSSELS = "Europe/Brussels"
NNBSP = "\u202f"  # CLDR's narrow no-break space (before PM, before the Russian "г.")


@pytest.mark.parametrize(
    ("lang", "teaser", "dateline", "day", "day_only"),
    [
        ("fr", "30 nov. 2026, 15:29", "30 novembre 2026, 15:29", "lundi 30 novembre 2026",
         "30 novembre 2026"),
        ("de", "30.11.2026, 15:29", "30. November 2026, 15:29", "Montag, 30. November 2026",
         "30. November 2026"),
        ("en", "30 Nov 2026, 15:29", "30 November 2026, 15:29", "Monday, 30 November 2026",
         "30 November 2026"),
        ("en-us", f"Nov 30, 2026, 3:29{NNBSP}PM", f"November 30, 2026, 3:29{NNBSP}PM",
         "Monday, November 30, 2026", "November 30, 2026"),
        ("ko", "2026. 11. 30. 15:29", "2026년 11월 30일 15:29", "2026년 11월 30일 월요일",
         "2026년 11월 30일"),
        ("ja", "2026/11/30 15:29", "2026年11月30日 15:29", "2026年11月30日月曜日", "2026年11月30日"),
        ("zh-hans", "2026年11月30日 15:29", "2026年11月30日 15:29", "2026年11月30日星期一",
         "2026年11月30日"),
        ("ar", "30\u200f/11\u200f/2026، 3:29 م", "30 نوفمبر 2026، 3:29 م",
         "الاثنين، 30 نوفمبر 2026", "30 نوفمبر 2026"),
        ("ru", f"30 нояб. 2026{NNBSP}г., 15:29", f"30 ноября 2026{NNBSP}г., 15:29",
         f"понедельник, 30 ноября 2026{NNBSP}г.", f"30 ноября 2026{NNBSP}г."),
        ("tr", "30 Kas 2026 15:29", "30 Kasım 2026 15:29", "30 Kasım 2026 Pazartesi",
         "30 Kasım 2026"),
        ("pt-br", "30 de nov. de 2026 15:29", "30 de novembro de 2026 15:29",
         "segunda-feira, 30 de novembro de 2026", "30 de novembro de 2026"),
    ],
)  # fmt: skip
def test_each_kind_in_each_language(
    lang: str, teaser: str, dateline: str, day: str, day_only: str
) -> None:
    with translation.override(lang):
        assert when(MOMENT, "teaser", BRUSSELS) == teaser
        assert when(MOMENT, "dateline", BRUSSELS) == dateline
        assert when(date(2026, 11, 30), "day") == day
        assert when(MOMENT, "date", BRUSSELS) == day_only


def test_month_names_as_each_language_writes_them_mid_sentence() -> None:
    # CLDR gives the case and the grammatical form: no lowering or declining here.
    assert date_text(date(2026, 11, 30), "date", "fr") == "30 novembre 2026"
    assert date_text(date(2026, 11, 30), "date", "it") == "30 novembre 2026"
    assert date_text(date(2026, 11, 30), "day", "es") == "lunes, 30 de noviembre de 2026"
    assert date_text(date(2026, 11, 30), "date", "de") == "30. November 2026"
    assert date_text(date(2026, 11, 30), "date", "pl") == "30 listopada 2026"  # genitive
    assert date_text(date(2026, 11, 30), "date", "ru").startswith("30 ноября 2026")  # genitive


def test_arabic_dates_keep_western_digits() -> None:
    for kind in ("teaser", "dateline", "date"):
        text = date_text(datetime(2026, 11, 30, 15, 29), kind, "ar")  # type: ignore[arg-type]
        assert "2026" in text and "30" in text, kind
        assert not re.search("[\u0660-\u0669\u06f0-\u06f9]", text), kind  # no Arabic-Indic


def test_24_hour_clock_where_newspapers_print_it() -> None:
    moment = datetime(2026, 11, 30, 15, 29)
    assert date_text(moment, "dateline", "ko").endswith(" 15:29")  # not CLDR's "PM 3:29"
    assert date_text(moment, "dateline", "el").endswith(" 15:29")
    assert date_text(moment, "dateline", "en-us").endswith(f"3:29{NNBSP}PM")
    assert date_text(moment, "dateline", "en").endswith(", 15:29")


@pytest.mark.parametrize("lang", ["xx", "", "not a language", "en-us-x-private", "i-klingon"])
def test_a_language_cldr_lacks_gets_english_never_an_error(lang: str) -> None:
    assert date_text(MOMENT, "dateline", lang) == "30 November 2026, 14:29"
    assert date_text(date(2026, 11, 30), "day", lang) == "Monday, 30 November 2026"


def test_a_region_cldr_lacks_gets_its_language() -> None:
    assert locale_of("fr-xx") == locale_of("fr")
    assert date_text(MOMENT, "dateline", "fr-xx") == "30 novembre 2026, 14:29"
    assert str(locale_of("zh-hans")) == "zh_Hans" and str(locale_of("pt-br")) == "pt_BR"


def test_a_calendar_day_given_a_kind_with_a_time_prints_the_day() -> None:
    assert date_text(date(2026, 11, 30), "teaser", "de") == "30.11.2026"
    assert date_text(date(2026, 11, 30), "dateline", "ja") == "2026年11月30日"


def test_dates_follow_the_sites_time_zone() -> None:
    late = datetime(2026, 11, 30, 23, 30, tzinfo=UTC)
    with translation.override("ko"):
        assert when(late, "dateline", "Asia/Seoul") == "2026년 12월 1일 08:30"
        assert when(late, "date", "Asia/Seoul") == "2026년 12월 1일"
        assert when(late, "dateline", "UTC") == "2026년 11월 30일 23:30"
    with translation.override("en-us"):
        assert when(late, "dateline", "America/New_York") == f"November 30, 2026, 6:30{NNBSP}PM"
    with translation.override("fr"):
        assert when(late, "teaser", BRUSSELS) == "1 déc. 2026, 00:30"
        assert when(None, "teaser", BRUSSELS) == ""


def test_remembered_dates_are_kept_per_language() -> None:
    # The same moment, kind and zone in two languages: each gets its own, in either order.
    for _ in range(2):
        for lang, expected in [("ko", "2026년 11월 30일 15:29"), ("fr", "30 novembre 2026, 15:29")]:
            with translation.override(lang):
                assert when(MOMENT, "dateline", BRUSSELS) == expected


KO_FR_NETWORK = (
    '[[site]]\ncode = "Duo"\nname = "Duo Post"\ndomains = ["duo.localhost"]\n'
    'languages = ["ko", "fr"]\ntimezone = "Europe/Brussels"\nsignatures = ["A.B"]\n'
    + "".join(f'[[site.section]]\nlanguage = "{lang}"\nname = "News"\n' for lang in ["ko", "fr"])
    + "".join(
        f'[[route]]\nsite = "Duo"\nlanguage = "{lang}"\nsection = "News"\n' for lang in ["ko", "fr"]
    )
)


def test_a_korean_page_then_a_french_one_each_get_their_own_dates(
    client, db, wire_dir, ingest
) -> None:
    network_apply(spec=parse_network(KO_FR_NETWORK, source="duo.toml"))
    doc = json.loads((wire_dir / "harbour-talks.json").read_text())
    paths = []
    for lang in ["ko", "fr"]:
        doc.update(uri=f"urn:test:duo-{lang}", language=lang)
        path = wire_dir / f"duo-{lang}.json"
        path.write_text(json.dumps(doc))
        paths.append(path)
    ingest(paths)
    Article.objects.update(published_at=MOMENT, updated_at=None)
    articles = {a.language: a for a in Article.objects.all()}
    korean, french = "2026년 11월 30일 15:29", "30 novembre 2026, 15:29"
    for _ in range(2):  # and back again, on the same thread
        ko = client.get(articles["ko"].get_absolute_url(), HTTP_HOST="duo.localhost")
        fr = client.get(articles["fr"].get_absolute_url(), HTTP_HOST="duo.localhost")
        assert ko.status_code == fr.status_code == 200
        ko_page, fr_page = ko.content.decode(), fr.content.decode()
        assert f">{korean}</time>" in ko_page and "novembre" not in ko_page
        assert f">{french}</time>" in fr_page and "년" not in fr_page
