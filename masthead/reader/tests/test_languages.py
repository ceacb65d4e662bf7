"""Every language the network ships a catalogue for: complete, with its plural forms, and its
pages' chrome and dates in that language."""

from __future__ import annotations

import gettext
import json
import re
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from django.utils import translation
from django.utils.translation import to_locale
from jinja2.ext import babel_extract
from markupsafe import escape

from masthead.network.services import network_apply
from masthead.network.spec import parse_network
from masthead.newsroom.models import Article
from masthead.reader.jinja import when

MASTHEAD = Path(__file__).resolve().parents[2]
LOCALE = MASTHEAD / "locale"
TEMPLATES = MASTHEAD / "reader" / "jinja2"

# The languages the reader's interface is translated into (English is the source).
SHIPPED = [
    "fr", "de", "it", "es", "pt", "nl", "cs", "pl", "ru", "ar", "tr", "ko", "ja", "zh-hans",
]  # fmt: skip
# Plural forms a catalogue must declare: nplurals, then (count, form) pairs it must choose.
PLURALS: dict[str, tuple[int, list[tuple[int, int]]]] = {
    "cs": (3, [(1, 0), (2, 1), (4, 1), (5, 2), (0, 2)]),
    "pl": (3, [(1, 0), (3, 1), (5, 2), (12, 2), (22, 1), (25, 2)]),
    "ru": (3, [(1, 0), (21, 0), (11, 2), (3, 1), (14, 2), (5, 2)]),
    "ar": (6, [(0, 0), (1, 1), (2, 2), (3, 3), (10, 3), (11, 4), (99, 4), (100, 5), (102, 5)]),
    "ko": (1, [(1, 0), (5, 0)]),
    "ja": (1, [(1, 0), (5, 0)]),
    "zh-hans": (1, [(1, 0), (5, 0)]),
    "es": (2, [(1, 0), (2, 1)]),
    "tr": (2, [(1, 0), (2, 1)]),
}


def template_messages() -> set[str | tuple[str, str]]:
    """Every message the reader's templates mark for translation, as Jinja2 reads them."""
    found: set[str | tuple[str, str]] = set()
    for path in sorted(TEMPLATES.rglob("*.html")):
        with path.open("rb") as handle:
            for _, _, message, _ in babel_extract(handle, ("_", "gettext", "ngettext"), [], {}):
                if isinstance(message, str):
                    found.add(message)
                elif message:
                    singular, plural = message[0], message[1]
                    assert singular and plural
                    found.add((singular, plural))
    return found


def catalogue(lang: str) -> gettext.GNUTranslations:
    with (LOCALE / to_locale(lang) / "LC_MESSAGES" / "django.mo").open("rb") as handle:
        return gettext.GNUTranslations(handle)


def test_the_template_set_is_read() -> None:
    messages = template_messages()
    assert "Skip to content" in messages and "Top stories" in messages
    assert ("%(n)s story found for “%(q)s”", "%(n)s stories found for “%(q)s”") in messages


def test_every_catalogue_on_disk_is_shipped() -> None:
    on_disk = {path.name for path in LOCALE.iterdir() if path.is_dir()}
    assert on_disk == {to_locale(lang) for lang in SHIPPED}


@pytest.mark.parametrize("lang", SHIPPED)
def test_catalogue_translates_every_message_of_the_templates(lang: str) -> None:
    po = (LOCALE / to_locale(lang) / "LC_MESSAGES" / "django.po").read_text()
    # A fuzzy entry is left out of the compiled catalogue: none but the header may be one.
    entries_text = po.split("\n\n", 1)[1]
    assert not re.search(r"^#,.*\bfuzzy\b", entries_text, re.M), f"{lang}: fuzzy entries"
    compiled = catalogue(lang)
    nplurals = int(re.search(r"nplurals=(\d+)", po).group(1))  # type: ignore[union-attr]
    entries = compiled._catalog  # type: ignore[attr-defined]
    missing = []
    for message in template_messages():
        if isinstance(message, str):
            if not entries.get(message, "").strip():
                missing.append(message)
        elif not all(entries.get((message[0], i), "").strip() for i in range(nplurals)):
            missing.append(message[0])
    assert not missing, f"{lang}: no translation for {sorted(missing)}"


@pytest.mark.parametrize("lang", sorted(PLURALS))
def test_plural_forms_follow_the_language(lang: str) -> None:
    expected, choices = PLURALS[lang]
    po = (LOCALE / to_locale(lang) / "LC_MESSAGES" / "django.po").read_text()
    assert f"nplurals={expected};" in po
    compiled = catalogue(lang)
    singular, plural = "%(n)s story found for “%(q)s”", "%(n)s stories found for “%(q)s”"
    forms = [compiled._catalog[(singular, i)] for i in range(expected)]  # type: ignore[attr-defined]
    for count, form in choices:
        assert compiled.ngettext(singular, plural, count) == forms[form], (lang, count)


def test_russian_and_arabic_counts_read_as_written() -> None:
    singular, plural = "%(n)s story found for “%(q)s”", "%(n)s stories found for “%(q)s”"
    with translation.override("ru"):
        said = {
            n: translation.ngettext(singular, plural, n) % {"n": n, "q": "x"} for n in (1, 3, 7)
        }
    assert said == {
        1: "Найдена 1 новость по запросу «x»",
        3: "Найдено 3 новости по запросу «x»",
        7: "Найдено 7 новостей по запросу «x»",
    }
    with translation.override("ar"):
        assert translation.ngettext(singular, plural, 2) % {"n": 2, "q": "x"} == (
            "عُثر على خبرين عن «x»"
        )


# One site speaking every shipped language but French, German and Italian (tested elsewhere).
NEW = ["es", "pt", "nl", "cs", "pl", "ru", "ar", "tr", "ko", "ja", "zh-hans"]
BABEL_NETWORK = (
    '[[site]]\ncode = "Bab"\nname = "Babel Post"\ndomains = ["babel.localhost"]\n'
    f'languages = {json.dumps(NEW)}\ntimezone = "Europe/Brussels"\nsignatures = ["A.B"]\n'
    + "".join(f'[[site.section]]\nlanguage = "{lang}"\nname = "News"\n' for lang in NEW)
    + "".join(f'[[route]]\nsite = "Bab"\nlanguage = "{lang}"\nsection = "News"\n' for lang in NEW)
)
# What a reader of each language sees first: the skip link, then the dateline's month.
SKIP_AND_MONTH = {
    "es": ("Ir al contenido", "de noviembre de 2026"),
    "pt": ("Saltar para o conteúdo", "de novembro de 2026"),
    "nl": ("Naar de inhoud", "november 2026"),
    "cs": ("Přeskočit na obsah", "listopadu 2026"),
    "pl": ("Przejdź do treści", "listopada 2026"),
    "ru": ("Перейти к содержанию", "ноября 2026"),
    "ar": ("انتقل إلى المحتوى", "نوفمبر 2026"),
    "tr": ("İçeriğe geç", "Kasım 2026"),  # noqa: RUF001 (dotless i)
    "ko": ("본문 바로가기", "2026년 11월"),
    "ja": ("本文へスキップ", "2026年11月"),
    "zh-hans": ("跳到正文", "2026年11月"),
}
CHROME = ["Skip to content", "Sections", "Agency copy republished under licence", "Archive"]


@pytest.fixture
def babel(db, wire_dir, ingest) -> dict[str, Article]:  # type: ignore[no-untyped-def]
    network_apply(spec=parse_network(BABEL_NETWORK, source="babel.toml"))
    doc = json.loads((wire_dir / "harbour-talks.json").read_text())
    paths = []
    for lang in NEW:
        doc.update(uri=f"urn:test:babel-{lang}", language=lang)
        path = wire_dir / f"babel-{lang}.json"
        path.write_text(json.dumps(doc))
        paths.append(path)
    assert {o.action for o in ingest(paths)} == {"created"}
    return {a.language: a for a in Article.objects.select_related("section")}


def test_each_language_gets_its_own_chrome_on_home_and_article(client, babel) -> None:
    for lang in NEW:
        skip, month = SKIP_AND_MONTH[lang]
        home = client.get(f"/{lang}/", HTTP_HOST="babel.localhost").content.decode()
        page = client.get(babel[lang].get_absolute_url(), HTTP_HOST="babel.localhost")
        assert page.status_code == 200, lang
        article = page.content.decode()
        assert f'lang="{lang}"' in home and f'lang="{lang}"' in article
        assert skip in home and skip in article, lang
        with translation.override(lang):
            words = {english: translation.gettext(english) for english in [*CHROME, "Text size:"]}
        for english, translated in words.items():
            assert translated != english, (lang, english)
            if english != "Text size:":
                assert str(escape(translated)) in home, (lang, english)
            assert english not in article, (lang, english)
        assert str(escape(words["Text size:"])) in article, lang
        assert month in article, lang  # the dateline, in the language's own form


@pytest.mark.parametrize(
    ("lang", "kind", "expected"),
    [
        ("es", "dateline", "30 de noviembre de 2026, 15:29"),
        ("pt", "day", "segunda-feira, 30 de novembro de 2026"),
        ("nl", "teaser", "30 nov 2026, 15:29"),
        ("cs", "dateline", "30. listopadu 2026 15:29"),
        ("pl", "day", "poniedziałek, 30 listopada 2026"),
        ("ru", "dateline", "30 ноября 2026\u202fг., 15:29"),  # noqa: RUF001 (год)
        ("ru", "date", "30 ноября 2026\u202fг."),  # noqa: RUF001
        ("tr", "day", "30 Kasım 2026 Pazartesi"),  # noqa: RUF001
        # Western digits, CLDR's 12-hour clock and its Arabic comma (dates.py).
        ("ar", "dateline", "30 نوفمبر 2026، 3:29 م"),
        ("ar", "teaser", "30\u200f/11\u200f/2026، 3:29 م"),  # right-to-left marks, from CLDR
        ("ko", "teaser", "2026. 11. 30. 15:29"),
        ("ko", "dateline", "2026년 11월 30일 15:29"),
        ("ko", "day", "2026년 11월 30일 월요일"),
        ("ko", "date", "2026년 11월 30일"),
        ("ja", "dateline", "2026年11月30日 15:29"),
        ("ja", "day", "2026年11月30日月曜日"),
        ("zh-hans", "dateline", "2026年11月30日 15:29"),
        ("zh-hans", "day", "2026年11月30日星期一"),
        ("el", "dateline", "30 Νοεμβρίου 2026 - 15:29"),
    ],
)
def test_dates_in_each_language(lang: str, kind: str, expected: str) -> None:
    moment = datetime(2026, 11, 30, 14, 29, tzinfo=UTC)  # 15:29 in Brussels
    value = date(2026, 11, 30) if kind in ("day", "date") else moment
    with translation.override(lang):
        assert when(value, kind, "Europe/Brussels") == expected  # type: ignore[arg-type]
