"""`masthead demo`: the demo network and its stories, loaded through the wire pipeline."""

from io import StringIO

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


def _network() -> None:
    sites = list(Site.objects.prefetch_related("sections"))
    assert len(sites) >= 3
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


def test_demo_again_changes_nothing(demo: str) -> None:
    stories = Story.objects.count()
    out = StringIO()
    call_command("demo", stdout=out)
    assert f"stories: {stories} unchanged" in out.getvalue()
    assert Story.objects.count() == stories
    out = StringIO()
    call_command("demo", "--if-empty", stdout=out)
    assert "already holds stories" in out.getvalue()
