"""Every request starts from a known language and time zone, whatever its thread served before;
dates are written as the page's readers expect them."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime

import pytest
from django.contrib.auth.models import User
from django.utils import timezone, translation

from masthead.newsroom.models import Article
from masthead.reader.jinja import when

# French months as CLDR abbreviates them in a teaser ("30 nov. 2026, 15:29").
MOIS = [
    "janv.", "févr.", "mars", "avr.", "mai", "juin", "juil.", "août", "sept.", "oct.", "nov.", "déc.",
]  # fmt: skip


def _story(wire_dir, uri: str, language: str, headline: str):  # type: ignore[no-untyped-def]
    doc = json.loads((wire_dir / "harbour-talks.json").read_text())
    doc.update(uri=uri, language=language, headline=headline)
    path = wire_dir / f"{uri.rsplit(':', 1)[-1]}.json"
    path.write_text(json.dumps(doc))
    return path


@pytest.fixture
def three_languages(network, wire_dir, ingest) -> dict[str, Article]:  # type: ignore[no-untyped-def]
    paths = [
        _story(wire_dir, "urn:test:loc-en", "en", "Harbour towns talk about fumes"),
        _story(wire_dir, "urn:test:loc-fr", "fr", "Les ports parlent des fumées"),
        _story(wire_dir, "urn:test:loc-de", "de", "Hafenstädte beraten über Abgase"),
    ]
    ingest(paths)
    return {a.language: a for a in Article.objects.select_related("section")}


def test_pages_in_a_row_each_in_its_own_language_then_the_admin_in_english(
    client, three_languages, admin_client
) -> None:
    # The test client serves every request on this one thread, as a granian thread would.
    pages = [
        ("zeitung.localhost", "/de/", "de", "Zum Inhalt springen"),
        ("test.localhost", "/en/", "en", "Skip to content"),
        ("test.localhost", "/fr/", "fr", "Aller au contenu"),
        ("zeitung.localhost", three_languages["de"].get_absolute_url(), "de", "Schriftgröße:"),
        ("test.localhost", three_languages["en"].get_absolute_url(), "en", "Text size:"),
        ("test.localhost", three_languages["fr"].get_absolute_url(), "fr", "Taille du texte"),
    ]
    for host, path, lang, label in pages * 2:
        page = client.get(path, HTTP_HOST=host).content.decode()
        assert f'<html lang="{lang}">' in page, (host, path)
        assert label in page, (host, path)
    # Nothing of the last page's language is left on the thread ...
    assert translation.get_language() in (None, "en", "en-us")
    # ... and the admin, the unknown host and the network list speak the default language.
    client.get("/de/", HTTP_HOST="zeitung.localhost")
    admin = admin_client.get("/admin/", HTTP_HOST="127.0.0.1").content.decode()
    assert "Site administration" in admin and "Website-Verwaltung" not in admin
    client.get("/de/", HTTP_HOST="zeitung.localhost")
    missing = client.get("/nothing/", HTTP_HOST="unknown.localhost")
    assert missing.status_code == 404
    text = missing.content.decode()
    assert '<html lang="en' in text and "Page not found" in text


def test_the_admin_follows_the_users_browser_language(admin_client, network) -> None:
    page = admin_client.get("/admin/", HTTP_ACCEPT_LANGUAGE="de").content.decode()
    assert "Website-Verwaltung" in page
    assert "Site administration" in admin_client.get("/admin/").content.decode()


def test_unknown_host_404_says_its_language_in_html_lang(client, network) -> None:
    client.get("/it/", HTTP_HOST="test.localhost")  # whatever ran before on this thread
    page = client.get("/x/", HTTP_HOST="nowhere.localhost", HTTP_ACCEPT_LANGUAGE="fr")
    text = page.content.decode()
    assert '<html lang="fr">' in text and "Page introuvable" in text


@pytest.mark.parametrize(
    ("lang", "kind", "expected"),
    [
        ("en", "teaser", "30 Nov 2026, 15:29"),
        ("en", "dateline", "30 November 2026, 15:29"),
        ("en-us", "teaser", "Nov 30, 2026, 3:29\u202fPM"),  # CLDR: a narrow no-break space
        ("fr", "teaser", "30 nov. 2026, 15:29"),
        ("fr", "dateline", "30 novembre 2026, 15:29"),
        ("de", "teaser", "30.11.2026, 15:29"),
        ("de", "dateline", "30. November 2026, 15:29"),
        ("it", "dateline", "30 novembre 2026 15:29"),
        ("xx", "teaser", "30 Nov 2026, 15:29"),  # a language CLDR lacks: English
    ],
)
def test_dates_per_language_in_the_sites_zone(lang: str, kind: str, expected: str) -> None:
    moment = datetime(2026, 11, 30, 14, 29, tzinfo=UTC)  # 15:29 in Brussels
    with translation.override(lang):
        assert when(moment, kind, "Europe/Brussels") == expected  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        ("en", "Monday, 30 November 2026"),
        ("fr", "lundi 30 novembre 2026"),
        ("de", "Montag, 30. November 2026"),
        ("it", "lunedì 30 novembre 2026"),
    ],
)
def test_archive_heading_per_language(lang: str, expected: str) -> None:
    with translation.override(lang):
        assert when(date(2026, 11, 30), "day") == expected


def test_regional_tag_gets_its_regions_forms_else_its_languages() -> None:
    moment = datetime(2026, 11, 30, 14, 29, tzinfo=UTC)
    with translation.override("fr-ca"):
        assert when(moment, "teaser", "America/Montreal") == "30 nov. 2026, 09 h 29"
    with translation.override("fr-xx"):  # a region CLDR does not know
        assert when(moment, "teaser", "Europe/Brussels") == "30 nov. 2026, 15:29"


def test_front_article_and_archive_use_one_style(client, three_languages) -> None:
    article = three_languages["fr"]
    local = timezone.localtime(
        article.published_at, timezone=__import__("zoneinfo").ZoneInfo("Europe/Brussels")
    )
    teaser = f"{local.day} {MOIS[local.month - 1]} {local:%Y, %H:%M}"
    front = client.get("/fr/", HTTP_HOST="test.localhost").content.decode()
    assert teaser in front
    page = client.get(article.get_absolute_url(), HTTP_HOST="test.localhost").content.decode()
    assert f"{local.day} " in page and f"{local:%Y, %H:%M}</time>" in page
    archive = client.get(f"/fr/archive/{local:%Y/%m/%d}/", HTTP_HOST="test.localhost")
    assert f"{local.year}" in archive.content.decode() and "a.m." not in archive.content.decode()


def test_admin_shows_times_in_the_newsroom_zone(admin_client, three_languages) -> None:
    article = three_languages["en"]
    Article.objects.filter(pk=article.pk).update(
        published_at=datetime(2026, 11, 30, 14, 29, tzinfo=UTC)
    )
    page = admin_client.get(f"/admin/newsroom/article/{article.pk}/change/").content.decode()
    assert 'value="15:29:00"' in page  # Brussels, the first site's zone, not UTC


def test_admin_newsroom_zone_from_setting(admin_client, three_languages, settings) -> None:
    settings.MASTHEAD_NEWSROOM_TIMEZONE = "America/New_York"
    article = three_languages["en"]
    Article.objects.filter(pk=article.pk).update(
        published_at=datetime(2026, 11, 30, 14, 29, tzinfo=UTC)
    )
    page = admin_client.get(f"/admin/newsroom/article/{article.pk}/change/").content.decode()
    assert 'value="09:29:00"' in page


@pytest.fixture
def admin_client(client, db):  # type: ignore[no-untyped-def]
    user = User.objects.create_superuser("chief", "chief@example.org", "pw-for-tests-only")
    client.force_login(user)
    return client
