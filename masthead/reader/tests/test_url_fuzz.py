"""No URL a reader can type makes a reader page fail: 404 or 400 for what is not there or not
valid, never 500. The known crafted ones first, then every reader URL pattern fuzzed.

Run on SQLite and on PostgreSQL (DATABASE_URL=postgres://...): they refuse different things
(a LIKE pattern too complex on one, a NUL byte in a string on the other).
"""

from __future__ import annotations

from urllib.parse import quote, urlencode

import pytest
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from masthead.newsroom.models import Article

HOST = "test.localhost"
FUZZ = settings(
    max_examples=100,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


def _get(client: Client, path: str, **params: str) -> int:
    url = quote(path, safe="/%") + (f"?{urlencode(params)}" if params else "")
    return client.get(url, HTTP_HOST=HOST).status_code


@pytest.mark.parametrize(
    ("path", "params"),
    [
        ("/en/" + "P" * 50_001 + "/", {}),
        ("/en/" + "%" * 50_001 + "/", {}),
        ("/en/" + "P" * 101 + "/", {}),
        ("/en/" + "P" * 50_001 + "/feed/rss.xml", {}),
        ("/en/" + "P" * 50_001 + "/1-x.html", {}),
        ("/en/Politics/", {"page": "9" * 5_000}),
        ("/en/Politics/", {"page": "²"}),
        ("/en/Politics/", {"page": "-1"}),
        ("/en/Politics/", {"page": "1\x00"}),
        ("/en/archive/2026/01/01/", {"page": "9" * 5_000}),
        ("/en/search", {"q": "harbour", "page": "9" * 5_000}),
        ("/en/search", {"q": "harbour", "page": "9" * 30}),
        ("/en/search", {"q": "harbour", "page": "-5"}),
        ("/en/archive/0001/01/01/", {}),
        ("/en/archive/1899/12/31/", {}),
        ("/en/archive/0000/00/00/", {}),
        ("/en/archive/9999/12/31/", {}),
        ("/sitemap-articles-0001-01.xml", {}),
        ("/sitemap-articles-0000-01.xml", {}),
        ("/sitemap-articles-9999-12.xml", {}),
        ("/en/Pol\x00itics/", {}),
        ("/en/Pol\x00itics/feed/atom.xml", {}),
        ("/en/Pol\x00itics/1-x.html", {}),
        ("/en/Politics/1-x\x00.html", {}),
        ("/en/search", {"q": "harb\x00our"}),
        ("/en/search", {"q": "\x00"}),
        ("/en/search", {"q": "harbour " * 12_800}),  # 100 KB
        ("/en/search", {"q": '"' + "a " * 50_000 + '"'}),
    ],
)
def test_crafted_urls_are_refused_not_failed(client, published, path: str, params) -> None:
    assert _get(client, path, **params) in (200, 301, 302, 400, 404, 410)


def test_crafted_urls_get_the_answers_they_should(client, published) -> None:
    assert _get(client, "/en/" + "P" * 101 + "/") == 404
    assert _get(client, "/en/Pol\x00itics/") == 404
    assert _get(client, "/en/archive/0001/01/01/") == 404
    assert _get(client, "/en/archive/1899/12/31/") == 404
    assert _get(client, "/en/archive/1900/01/01/") == 200
    assert _get(client, "/en/Politics/", page="9" * 5_000) == 404
    assert _get(client, "/en/Politics/", page="1") == 200
    # Search answers a page whatever was typed: NUL bytes are dropped, pages beyond are empty.
    assert _get(client, "/en/search", q="harb\x00our") == 200
    assert _get(client, "/en/search", q="harbour", page="9" * 5_000) == 200
    page = client.get("/en/search?q=harb%00our", HTTP_HOST=HOST).content.decode()
    assert "\x00" not in page


# What a fuzzer types: any text (NUL and other controls included, no lone surrogates), short,
# around the 100-character section limit, or very long; and numbers as digit runs of any length.
_chars = st.characters(blacklist_categories=("Cs",))
TEXT = st.one_of(
    st.text(_chars, max_size=20),
    st.text(_chars, min_size=95, max_size=110),
    st.builds(lambda c, n: c * n, _chars, st.integers(0, 60_000)),
    st.sampled_from(["Politics", "politics", "Business", "%", "_", "..", "%00", "\x00"]),
)
DIGITS = st.one_of(
    st.integers(0, 10**6).map(str),
    st.integers(1, 6000).map(lambda n: "9" * n),
    st.text("0123456789", max_size=8),
    st.text(_chars, max_size=8),
)
LANG = st.sampled_from(["en", "fr", "de", "xx", "en-gb", "zzz"])


@pytest.fixture
def fuzz_client(published) -> Client:
    assert Article.objects.exists()
    return Client(raise_request_exception=True)


def _ok(client: Client, path: str, **params: str) -> None:
    status = _get(client, path, **params)
    assert status < 500, (path[:120], {k: v[:60] for k, v in params.items()}, status)


@FUZZ
@given(page=DIGITS)
def test_fuzz_fixed_pages(fuzz_client, page: str) -> None:
    for path in ("/", "/robots.txt", "/ticker.json", "/sitemap.xml"):
        _ok(fuzz_client, path, page=page)
    for path in ("/sitemap-sections.xml", "/sitemap-news.xml"):
        _ok(fuzz_client, path, page=page)


@FUZZ
@given(year=st.text("0123456789", min_size=4, max_size=4), month=DIGITS)
def test_fuzz_sitemap_month(fuzz_client, year: str, month: str) -> None:
    _ok(fuzz_client, f"/sitemap-articles-{year}-{month[:2].rjust(2, '0')}.xml")


@FUZZ
@given(lang=LANG, kind=st.sampled_from(["rss", "atom"]), page=DIGITS)
def test_fuzz_feeds(fuzz_client, lang: str, kind: str, page: str) -> None:
    _ok(fuzz_client, f"/{lang}/feed/{kind}.xml", page=page)


@FUZZ
@given(lang=LANG, section=TEXT, kind=st.sampled_from(["rss", "atom"]))
def test_fuzz_section_feeds(fuzz_client, lang: str, section: str, kind: str) -> None:
    _ok(fuzz_client, f"/{lang}/{section}/feed/{kind}.xml")


@FUZZ
@given(lang=LANG, page=DIGITS)
def test_fuzz_home_and_archive_today(fuzz_client, lang: str, page: str) -> None:
    _ok(fuzz_client, f"/{lang}/", page=page)
    _ok(fuzz_client, f"/{lang}/archive/", page=page)


@FUZZ
@given(lang=LANG, q=TEXT, page=DIGITS)
def test_fuzz_search(fuzz_client, lang: str, q: str, page: str) -> None:
    _ok(fuzz_client, f"/{lang}/search", q=q, page=page)


@FUZZ
@given(
    lang=LANG,
    year=st.text("0123456789", min_size=4, max_size=4),
    month=st.text("0123456789", min_size=2, max_size=2),
    day=st.text("0123456789", min_size=2, max_size=2),
    page=DIGITS,
)
def test_fuzz_archive_day(fuzz_client, lang: str, year: str, month: str, day: str, page) -> None:
    _ok(fuzz_client, f"/{lang}/archive/{year}/{month}/{day}/", page=page)


@FUZZ
@given(lang=LANG, section=TEXT, story=DIGITS, slug=TEXT)
def test_fuzz_article(fuzz_client, published, lang: str, section: str, story: str, slug) -> None:
    story = story if story.isascii() and story.isdigit() and len(story) <= 18 else "1"
    _ok(fuzz_client, f"/{lang}/{section}/{story}-{slug}.html")
    _ok(fuzz_client, f"/{lang}/{section}/{published.story_id}-{slug}.html")


@FUZZ
@given(lang=LANG, section=TEXT, page=DIGITS)
def test_fuzz_section_front(fuzz_client, lang: str, section: str, page: str) -> None:
    _ok(fuzz_client, f"/{lang}/{section}/", page=page)
