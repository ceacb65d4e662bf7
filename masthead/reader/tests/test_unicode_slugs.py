# ruff: noqa: RUF001 (headlines in Greek, Cyrillic and Turkish are the point here)
"""Headlines in Korean, Arabic, Greek and Cyrillic keep their script in the URL: the article
answers at its percent-encoded address, and so do its section, feeds, sitemaps and the page
cache."""

from __future__ import annotations

import json
import unicodedata
from io import BytesIO
from pathlib import Path
from typing import Any
from urllib.parse import quote, unquote_to_bytes

import pytest
from django.core.handlers.wsgi import WSGIHandler
from django.core.validators import validate_unicode_slug
from django.forms import modelform_factory

from masthead.delivery.pagecache import page_cache
from masthead.delivery.pagecache.wsgi import PageCacheApp
from masthead.network.services import network_apply
from masthead.network.spec import parse_network
from masthead.newsroom.models import Article
from masthead.newsroom.services.text import article_slug
from masthead.wire.pipeline import ingest_paths

# language: (section, headline, slug)
STORIES = {
    "ko": (
        "뉴스",
        "서울시, 11월부터 지하철 요금 인상 발표",
        "서울시-11월부터-지하철-요금-인상-발표",
    ),
    "ar": (
        "أخبار",
        "موانئ الخليج تتفق على محادثات بشأن الانبعاثات",
        "موانئ-الخليج-تتفق-على-محادثات-بشأن-الانبعاثات",
    ),
    "el": (
        "Ειδήσεις",
        "Η Αθήνα σε συναγερμό για τις πυρκαγιές",
        "η-αθηνα-σε-συναγερμο-για-τις-πυρκαγιες",
    ),
    "ru": (
        "Новости",
        "Порты договорились о переговорах по выбросам",
        "порты-договорились-о-переговорах-по-выбросам",
    ),
}
NETWORK = (
    '[[site]]\ncode = "Wld"\nname = "World Wire"\ndomains = ["world.localhost"]\n'
    f"languages = {json.dumps(list(STORIES))}\n"
    'timezone = "Asia/Seoul"\nsignatures = ["K.Min"]\n'
    + "".join(
        f'[[site.section]]\nlanguage = "{lang}"\nname = "{section}"\n'
        for lang, (section, _, _) in STORIES.items()
    )
    + "".join(
        f'[[route]]\nsite = "Wld"\nlanguage = "{lang}"\nsection = "{section}"\n'
        for lang, (section, _, _) in STORIES.items()
    )
)
HOST = "world.localhost"


@pytest.mark.parametrize(
    ("headline", "slug"),
    [
        *[(headline, slug) for _, headline, slug in STORIES.values()],
        # Capitals and small letters give one Greek slug; Arabic loses its vowel marks and
        # tatweel, keeps its words.
        ("Η ΑΘΗΝΑ ΣΕ ΣΥΝΑΓΕΡΜΟ", "η-αθηνα-σε-συναγερμο"),
        ("قرار مُهِمّ جـــدًا", "قرار-مهم-جدا"),
        ("東京都、新たな防災計画を発表", "東京都新たな防災計画を発表"),
        ("上海港口同意就排放问题举行会谈", "上海港口同意就排放问题举行会谈"),
        ("Новый рейс в Ёлкино", "новый-рейс-в-ёлкино"),
        # An ellipsis or a middle dot parts words as a space would in Korean and Japanese.
        ("서울에 올겨울 첫눈…출근길 빙판 주의", "서울에-올겨울-첫눈-출근길-빙판-주의"),
        ("자동차·선박 수출 호조", "자동차-선박-수출-호조"),
        ("ジョン・スミス氏が来日", "ジョン-スミス氏が来日"),
        # Latin as before: accents folded, punctuation dropped, in ASCII.
        (
            "Port cities agree to hold joint talks on shipping emissions",
            "port-cities-agree-to-hold-joint-talks-on-shipping-emissions",
        ),
        (
            "Liège's Straße: don't panic, U.S. “30,000” – ok",
            "lieges-strasse-dont-panic-us-30000-ok",
        ),
        ("İstanbul'da kasım ayında", "istanbulda-kasim-ayinda"),
        ("?!", "article"),
    ],
)
def test_slug_keeps_the_script_readers_read(headline: str, slug: str) -> None:
    assert article_slug(headline) == slug
    validate_unicode_slug(slug)  # what the admin's form accepts


def test_a_long_headline_is_cut_at_a_word() -> None:
    headline = "서울시 " + "지하철 요금 인상 " * 20
    slug = article_slug(headline)
    assert len(slug) <= 80 and slug.startswith("서울시-지하철") and not slug.endswith("-")
    assert headline.split()[slug.count("-")].startswith(slug.rsplit("-", 1)[1])
    assert len(article_slug("上海" * 60)) == 80  # no spaces: cut at the limit


def test_the_admin_form_takes_a_unicode_slug(network) -> None:
    form_class = modelform_factory(Article, fields=["slug"])
    form = form_class(data={"slug": STORIES["ko"][2]})
    assert form.is_valid(), form.errors


@pytest.fixture
def world(db, wire_dir, ingest) -> dict[str, Article]:  # type: ignore[no-untyped-def]
    return _world(wire_dir, ingest)


def _world(wire_dir: Path, ingest: Any) -> dict[str, Article]:
    network_apply(spec=parse_network(NETWORK, source="world.toml"))
    doc = json.loads((wire_dir / "harbour-talks.json").read_text())
    paths = []
    for lang, (_, headline, _) in STORIES.items():
        doc.update(uri=f"urn:test:script-{lang}", language=lang, headline=headline)
        path = wire_dir / f"script-{lang}.json"
        path.write_text(json.dumps(doc))
        (wire_dir / f"script-{lang}.jpg").write_bytes((wire_dir / "harbour-talks.jpg").read_bytes())
        paths.append(path)
    assert {o.action for o in ingest(paths)} == {"created"}
    return {
        a.language: a for a in Article.objects.filter(site__code="Wld").select_related("section")
    }


@pytest.mark.parametrize("lang", list(STORIES))
def test_article_answers_at_its_percent_encoded_url(client, world, lang: str) -> None:
    section, headline, slug = STORIES[lang]
    article = world[lang]
    assert article.slug == slug
    url = article.get_absolute_url()
    assert url == f"/{lang}/{quote(section)}/{article.story_id}-{quote(slug)}.html"
    assert url.isascii()
    page = client.get(url, HTTP_HOST=HOST)
    assert page.status_code == 200
    text = page.content.decode()
    assert headline in text
    assert f'<link rel="canonical" href="http://{HOST}{url}">' in text
    # Asked with the characters themselves, or lower-case escapes: the same page.
    spelled = f"/{lang}/{section}/{article.story_id}-{slug}.html"
    assert client.get(spelled, HTTP_HOST=HOST).status_code == 200
    assert client.get(
        url.lower().replace(f"/{lang}/", f"/{lang}/"), HTTP_HOST=HOST
    ).status_code in (
        200,
        404,
    )
    # A wrong or old slug goes to the canonical URL, percent-encoded.
    moved = client.get(f"/{lang}/{quote(section)}/{article.story_id}-old.html", HTTP_HOST=HOST)
    assert moved.status_code == 301 and moved["Location"] == url
    # The section front lists it, under its own non-Latin name.
    front = client.get(f"/{lang}/{quote(section)}/", HTTP_HOST=HOST)
    assert front.status_code == 200 and headline in front.content.decode()
    assert (
        url in front.content.decode() or f"{article.story_id}-{slug}.html" in front.content.decode()
    )


def test_a_korean_url_in_another_normal_form_goes_to_the_canonical_one(client, world) -> None:
    article = world["ko"]
    section, _, slug = STORIES["ko"]
    decomposed = unicodedata.normalize("NFD", slug)  # Hangul as jamo, as some Macs send it
    assert decomposed != slug
    page = client.get(
        f"/ko/{quote(section)}/{article.story_id}-{quote(decomposed)}.html", HTTP_HOST=HOST
    )
    assert page.status_code == 301 and page["Location"] == article.get_absolute_url()


def test_feeds_and_sitemaps_link_the_percent_encoded_urls(client, world) -> None:
    for lang, article in world.items():
        url = article.get_absolute_url()
        rss = client.get(f"/{lang}/feed/rss.xml", HTTP_HOST=HOST).content.decode()
        atom = client.get(f"/{lang}/feed/atom.xml", HTTP_HOST=HOST).content.decode()
        assert f"http://{HOST}{url}" in rss and f"http://{HOST}{url}" in atom, lang
    # The month's sitemap (the news sitemap holds the last two days only; these are older).
    published = world["ko"].published_at
    month = client.get(f"/sitemap-articles-{published:%Y}-{published:%m}.xml", HTTP_HOST=HOST)
    assert month.status_code == 200
    for article in world.values():
        assert f"http://{HOST}{article.get_absolute_url()}" in month.content.decode()


def _wsgi(app: Any, url: str) -> tuple[str, dict[str, str], bytes]:
    """A GET as a WSGI server hands it over: PATH_INFO percent-decoded, its bytes as Latin-1."""
    path = unquote_to_bytes(url).decode("latin-1")
    environ = {
        "REQUEST_METHOD": "GET",
        "PATH_INFO": path,
        "QUERY_STRING": "",
        "SERVER_NAME": HOST,
        "SERVER_PORT": "80",
        "HTTP_HOST": HOST,
        "wsgi.input": BytesIO(b""),
        "wsgi.url_scheme": "http",
        "wsgi.errors": BytesIO(),
    }
    seen: dict[str, Any] = {}

    def start_response(status: str, headers: list[tuple[str, str]], exc_info: Any = None) -> None:
        seen["status"], seen["headers"] = status, dict(headers)

    body = b"".join(app(environ, start_response))
    return seen["status"], seen["headers"], body


@pytest.fixture
def world_tx(transactional_db, wire_dir) -> dict[str, Article]:  # type: ignore[no-untyped-def]
    """The same network, its transactions committed: Django's handler closes the connection
    after each request, as it does in production."""
    return _world(wire_dir, lambda paths: list(ingest_paths(paths)))


def test_the_page_cache_keeps_and_answers_a_unicode_url(world_tx) -> None:
    world = world_tx
    page_cache().clear()
    calls = []
    django = WSGIHandler()

    def counted(environ: dict[str, Any], start_response: Any) -> Any:
        calls.append(environ["PATH_INFO"])
        return django(environ, start_response)

    app = PageCacheApp(counted)
    try:
        for lang, article in world.items():
            url = article.get_absolute_url()
            status, headers, body = _wsgi(app, url)
            assert status.startswith("200") and headers["X-Cache"] == "MISS", (lang, status)
            assert STORIES[lang][1] in body.decode()
            # Asked again, with lower-case escapes this time: the cached page, Django not run.
            status, headers, again = _wsgi(app, url.replace("%D", "%d").replace("%E", "%e"))
            assert status.startswith("200") and headers["X-Cache"] == "HIT", lang
            assert again == body
        assert len(calls) == len(world)
    finally:
        page_cache().clear()
