"""`masthead demo`: the demo network and its stories, loaded through the wire pipeline."""

import re
from io import StringIO
from urllib.parse import unquote

import pytest
from django.core.management import call_command
from django.test import Client

from masthead.demo.loader import DEMO_WIRE
from masthead.network.models import Site
from masthead.newsroom.models import Article, ArticleStatus, Story
from masthead.wire.models import WireItem


@pytest.fixture
def demo(db: None, settings, tmp_path) -> str:
    settings.DATA_DIR = tmp_path
    out = StringIO()
    call_command("demo", stdout=out)
    return out.getvalue()


def test_demo_network_stories_pictures_and_pages(demo: str) -> None:
    _network()
    _stories()
    _pictures()
    _pages()
    _korean_and_arabic_editions()


def _network() -> None:
    sites = list(Site.objects.prefetch_related("sections"))
    assert {site.code for site in sites} == {"CdB", "BDp", "GdR", "SDL", "AkD"}
    assert len({lang for site in sites for lang in site.languages}) >= 3
    assert {site.ticker["kind"] for site in sites if site.ticker} == {"stocks", "currencies"}
    for site in sites:
        for language in site.languages:
            assert site.sections.filter(language=language).count() >= 4, (site, language)
        assert len(site.signatures) >= 2


def _stories() -> None:
    assert Story.objects.count() >= 40
    assert Story.objects.count() == len(list(DEMO_WIRE.rglob("*.json")))
    assert WireItem.objects.filter(source="demo").count() == Story.objects.count()
    published = Article.objects.filter(status=ArticleStatus.PUBLISHED)
    for site in Site.objects.all():
        for language in site.languages:
            assert published.filter(site=site, language=language).exists(), (site, language)
    assert published.values("section").distinct().count() >= 12
    assert any(b["type"] == "intertitle" for a in published for b in a.body)


def _pictures() -> None:
    for article in Article.objects.select_related("picture"):
        picture = article.picture
        assert picture is not None, article
        assert picture.caption and picture.credit and picture.alt, article
        assert picture.width == 1200 and picture.file.size > 1000
    assert Article.objects.filter(picture__credit__endswith="/File").exists()


def _pages() -> None:
    client = Client()
    for site in Site.objects.prefetch_related("domains"):
        home = client.get(f"/{site.default_language}/", HTTP_HOST=site.primary_domain)
        assert home.status_code == 200
        article = Article.objects.filter(site=site).first()
        assert article is not None
        page = client.get(article.get_absolute_url(), HTTP_HOST=site.primary_domain)
        assert page.status_code == 200
        assert article.signature in page.content.decode()


# A word of each edition's stories, as a reader would search it, and the script's letters.
KOREAN = ("ko", "seoul.localhost", "반도체", re.compile(r"[\uac00-\ud7a3]"))
ARABIC = ("ar", "dubai.localhost", "مطار", re.compile(r"[\u0600-\u06ff]"))


def _korean_and_arabic_editions() -> None:
    """The Seoul and Dubai editions, tried as their readers would: sections named in their
    script, stories at addresses in it, dates in the language, search, the currency panel;
    the Arabic pages right to left."""
    client = Client()
    # The index follows commits, and a test's transaction never commits: index it as after one.
    call_command("search", "rebuild", stdout=StringIO())
    for language, host, word, script in (KOREAN, ARABIC):
        site = Site.objects.get(domains__domain=host)
        assert site.languages == [language] and site.ticker["kind"] == "currencies"
        assert all(script.search(s.name) for s in site.sections.all()), site
        published = Article.objects.filter(site=site, status=ArticleStatus.PUBLISHED)
        assert published.count() >= 8
        assert published.values("section").distinct().count() >= 4
        assert published.filter(picture__isnull=False).count() >= 4
        article = published.select_related("section").first()
        assert article is not None and script.search(article.slug), article.slug
        url = article.get_absolute_url()
        assert url.isascii() and script.search(unquote(url)), url  # /ko/경제/12-....html
        page = client.get(url, HTTP_HOST=host)
        assert page.status_code == 200, url
        text = page.content.decode()
        assert article.headline in text and article.signature.endswith(f"--{site.code}")
        assert article.signature in text
        assert client.get(unquote(url), HTTP_HOST=host).status_code == 200
        home = client.get(f"/{language}/", HTTP_HOST=host).content.decode()
        if language == "ar":
            assert '<html lang="ar" dir="rtl">' in home and '<html lang="ar" dir="rtl">' in text
            # CLDR's Arabic dateline: day, month name, year, the Arabic comma, a 12-hour time
            # marked ص or م, Western digits.
            dateline = r"\d{1,2} [\u0621-\u064a]+ \d{4}، \d{1,2}:\d\d\s[\u0635\u0645]"
            assert re.search(dateline, text), "Arabic date"
        else:
            assert '<html lang="ko">' in text and "dir=" not in text.split(">", 2)[1]
            assert re.search(r"\d{4}년 \d{1,2}월 \d{1,2}일", text), "Korean date"
        assert 'class="ticker"' in home and site.ticker["symbols"][0] in home
        found = client.get(f"/{language}/search", {"q": word}, HTTP_HOST=host).content.decode()
        hits = published.filter(headline__contains=word)
        assert hits.exists(), word
        for hit in hits:
            assert hit.get_absolute_url() in found, (word, hit.headline)


def test_demo_again_changes_nothing(demo: str) -> None:
    stories = Story.objects.count()
    out = StringIO()
    call_command("demo", stdout=out)
    assert f"stories: {stories} unchanged" in out.getvalue()
    assert Story.objects.count() == stories
    out = StringIO()
    call_command("demo", "--if-empty", stdout=out)
    assert "already holds stories" in out.getvalue()


def test_a_file_dropped_into_the_demo_drop_folder_is_published(demo: str, tmp_path) -> None:
    import json
    import os

    from masthead.wire.models import Source
    from masthead.wire.services import source_poll

    incoming = tmp_path / "wire" / "drop" / "incoming"
    assert f"drop folder: put agency files into {incoming}" in demo
    assert incoming.is_dir()  # ready before the worker first looks
    doc = {
        "uri": "urn:test:dropped",
        "language": "en",
        "headline": "Night trams return to the city centre",
        "body_html": "<p>The night service runs again from Friday, every twenty minutes.</p>",
        "subject": [{"code": "medtop:11000000"}],
    }
    path = incoming / "dropped.json"
    path.write_text(json.dumps(doc))
    os.utime(path, (0, 0))  # long settled
    result = source_poll(source=Source.objects.get(name="drop"))
    (outcome,) = result.outcomes
    assert outcome.action == "created" and outcome.article_ids, outcome
    page = Client().get(outcome.urls[0].split("localhost", 1)[1], HTTP_HOST="bruxelles.localhost")
    assert "Night trams return to the city centre" in page.content.decode()


def test_demo_if_empty_still_applies_the_network(demo: str) -> None:
    out = StringIO()
    call_command("demo", if_empty=True, stdout=out)
    assert "left as they are" in out.getvalue() and "drop folder:" in out.getvalue()
    assert Story.objects.count() == len(list(DEMO_WIRE.rglob("*.json")))
