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
