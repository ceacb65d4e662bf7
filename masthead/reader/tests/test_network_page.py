"""The network page in the visitor's language: `/` in the network's default, `/<lang>/` in each
language the reader has a catalogue for, on a host no site answers on."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.utils import translation

from masthead.delivery.tests.test_pagecache import app, call

__all__ = ["app"]  # the page cache in front of Django, as the page cache's tests make it
from masthead.reader.network_page import network_languages

HOST = "127.0.0.1:8000"


def _page(client: Any, path: str, **headers: str) -> str:
    response = client.get(path, HTTP_HOST=HOST, **headers)
    assert response.status_code == 200, (path, response.status_code)
    return response.content.decode()


def test_every_shipped_catalogue_is_offered_the_default_first() -> None:
    languages = network_languages()
    assert languages[0] == "en"
    assert {"fr", "de", "ar", "ko", "zh-hans"} <= set(languages)


def test_the_french_page_is_in_french_with_french_dates(client, many) -> None:
    html = _page(client, "/fr/")
    assert '<html lang="fr">' in html
    assert "<h1>Le réseau</h1>" in html
    assert "<title>Le réseau - 2 sites</title>" in html
    assert "Aller au contenu" in html
    assert "2 sites en 3 langues, une seule rédaction :" in html
    assert 'aria-label="Éditions"' in html
    assert "Administration de la rédaction" in html
    assert "The network" not in html and "Newsroom admin" not in html
    # The headlines' times in the page's language, in CLDR's teaser form, in the site's zone.
    times = re.findall(r'<time lang="fr" datetime="[^"]+"><bdi>([^<]+)</bdi></time>', html)
    assert times and all(re.fullmatch(r"\d{1,2} nov\. 2026, \d\d:\d\d", t) for t in times), times


def test_the_default_page_is_english_whatever_the_browser_asks(client, many) -> None:
    html = _page(client, "/", HTTP_ACCEPT_LANGUAGE="fr")
    assert '<html lang="en">' in html and "<h1>The network</h1>" in html
    assert "2 sites in 3 languages, one newsroom:" in html
    assert re.search(r'<time lang="en" datetime="[^"]+"><bdi>\d{1,2} Nov 2026, \d\d:\d\d<', html)


def test_the_arabic_page_runs_right_to_left_its_latin_sites_left_to_right(client, many) -> None:
    html = _page(client, "/ar/")
    assert '<html lang="ar" dir="rtl">' in html
    assert "<h1>الشبكة</h1>" in html
    assert "موقعان بـ3 لغات" in html  # the counts' own forms: two sites, in three languages
    assert 'class="net-site net-JdT face-serif" dir="ltr"' in html


def test_a_left_to_right_page_marks_no_direction(client, many) -> None:
    html = _page(client, "/de/")
    assert '<html lang="de">' in html and "Das Netzwerk" in html
    assert ' dir="' not in html


def test_the_switcher_lists_every_language_at_its_own_address(client, network) -> None:
    html = _page(client, "/ko/")
    assert '<link rel="alternate" hreflang="en" href="/">' in html
    assert '<link rel="alternate" hreflang="fr" href="/fr/">' in html
    switcher = re.search(r'<nav aria-label="([^"]+)"><ul class="net-languages">(.*?)</ul>', html)
    assert switcher is not None
    assert switcher.group(1) == "언어"
    links = re.findall(r'<a href="([^"]+)" hreflang="([^"]+)"', switcher.group(2))
    assert links == [(("/" if c == "en" else f"/{c}/"), c) for c in network_languages()]
    assert 'hreflang="ko" lang="ko" aria-current="page">한국어</a>' in switcher.group(2)
    assert "사이트 2개" in html and "No stories yet." not in html


@pytest.mark.parametrize("path", ["/xx/", "/en-zz/", "/zh/", "/fr-fr/"])
def test_a_language_without_a_catalogue_is_not_found(client, network, path: str) -> None:
    assert client.get(path, HTTP_HOST=HOST).status_code == 404


def test_the_default_language_has_one_address(client, network) -> None:
    assert client.get("/en/", HTTP_HOST=HOST).status_code == 404
    assert "<h1>The network</h1>" in _page(client, "/")


def test_a_site_host_still_answers_its_home_at_its_language(client, network) -> None:
    html = client.get("/fr/", HTTP_HOST="test.localhost").content.decode()
    assert '<html lang="fr">' in html and "net-sites" not in html
    assert client.get("/ko/", HTTP_HOST="test.localhost").status_code == 404


def test_no_language_is_left_for_the_next_request(client, many) -> None:
    for _ in range(2):
        korean = _page(client, "/ko/")
        assert '<html lang="ko">' in korean and "<h1>네트워크</h1>" in korean
        english = _page(client, "/")
        assert '<html lang="en">' in english and "<h1>The network</h1>" in english
        assert "네트워크" not in english and "개" not in english
    assert translation.get_language() in (None, "en", "en-us")
    # A site's page after it speaks its own language, not the network page's last one.
    _page(client, "/ar/")
    home = client.get("/en/", HTTP_HOST="test.localhost").content.decode()
    assert '<html lang="en">' in home and "Skip to content" in home


def test_the_page_with_no_site_is_translated_too(client, db) -> None:
    html = _page(client, "/fr/")
    assert "Aucun site n\u2019est encore déclaré." in html
    assert "masthead network load FILE" in html


@pytest.mark.django_db(transaction=True)
def test_the_page_cache_keeps_one_copy_per_language(app, network_tx) -> None:
    status, headers, french = call(app, "/fr/", host="127.0.0.1")
    assert status.startswith("200") and "s-maxage" in headers["Cache-Control"]
    assert "Vary" not in headers or "Accept-Language" not in headers["Vary"]
    _, _, english = call(app, "/", host="127.0.0.1", accept_language="fr")
    assert app.recorder.calls == 2
    # Asked again, in any browser language, each address answers its own copy from the cache.
    for path, body, lang in [("/fr/", french, "fr"), ("/", english, "en")]:
        status, headers, again = call(app, path, host="127.0.0.1", accept_language="de")
        assert again == body and f'<html lang="{lang}">'.encode() in again
        assert headers.get("X-Cache", "").startswith("HIT"), headers
    assert app.recorder.calls == 2
    assert "Le réseau".encode() in french and b"The network" in english
