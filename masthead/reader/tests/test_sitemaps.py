"""Sitemaps that validate against the sitemaps.org schemas, Google News, robots.txt."""

from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone
from lxml import etree

from masthead.newsroom.models import Article
from masthead.reader import sitemaps

NS = {"s": sitemaps.SITEMAP_NS, "n": sitemaps.NEWS_NS, "x": sitemaps.XHTML_NS}


def _get(client, path: str) -> etree._Element:
    response = client.get(path, HTTP_HOST="test.localhost")
    assert response.status_code == 200, path
    assert response["Content-Type"].startswith("application/xml")
    return etree.fromstring(response.content)


def _schema(shared_dir: Path, name: str) -> etree.XMLSchema:
    return etree.XMLSchema(etree.parse(str(shared_dir / "fixtures" / "sitemaps" / name)))


def _core(root: etree._Element) -> etree._Element:
    """The document without extension elements, for the strict sitemaps.org schema."""
    copy = etree.fromstring(etree.tostring(root))
    for node in copy.xpath("//n:news | //x:link", namespaces=NS):
        node.getparent().remove(node)
    etree.cleanup_namespaces(copy)
    return copy


def test_index_and_every_sitemap_validate(client, many, shared_dir: Path) -> None:
    Article.objects.filter(pk__in=Article.objects.order_by("pk")[:3].values("pk")).update(
        published_at=timezone.now()
    )
    index = _get(client, "/sitemap.xml")
    _schema(shared_dir, "siteindex.xsd").assertValid(index)
    locations = index.xpath("//s:loc/text()", namespaces=NS)
    assert "http://test.localhost/sitemap-news.xml" in locations
    urlset = _schema(shared_dir, "sitemap.xsd")
    month_urls = 0
    for location in locations:
        root = _get(client, location.removeprefix("http://test.localhost"))
        urlset.assertValid(_core(root))
        if "articles" in location:
            month_urls += len(root.xpath("//s:url", namespaces=NS))
    assert month_urls == Article.objects.filter(site__code="JdT", status="published").count()


def test_news_sitemap_window_cap_and_fields(client, many, monkeypatch) -> None:
    old = Article.objects.filter(site__code="JdT").order_by("pk")[:5]
    Article.objects.filter(pk__in=[a.pk for a in old]).update(
        published_at=timezone.now() - timedelta(days=3)
    )
    Article.objects.exclude(pk__in=[a.pk for a in old]).update(published_at=timezone.now())
    root = _get(client, "/sitemap-news.xml")
    entries = root.xpath("//s:url", namespaces=NS)
    assert len(entries) == 40  # the three-day-old ones are out
    for entry in entries:
        assert entry.xpath("n:news/n:publication/n:name/text()", namespaces=NS) == [
            "Journal de Test"
        ]
        assert entry.xpath("n:news/n:publication/n:language/text()", namespaces=NS) == ["en"]
        assert entry.xpath("n:news/n:publication_date/text()", namespaces=NS)
        assert entry.xpath("n:news/n:title/text()", namespaces=NS)
    monkeypatch.setattr(sitemaps, "NEWS_MAX", 7)
    assert len(_get(client, "/sitemap-news.xml").xpath("//s:url", namespaces=NS)) == 7


def test_hreflang_alternates_in_month_sitemap(client, published: Article) -> None:
    french = Article.objects.get(pk=published.pk)
    french.pk = None
    french.language = "fr"
    french.section = published.site.sections.get(language="fr")
    french.save()
    month = published.published_at.strftime("%Y-%m")
    root = _get(client, f"/sitemap-articles-{month}.xml")
    languages = root.xpath("//x:link/@hreflang", namespaces=NS)
    assert sorted(languages) == ["en", "en", "fr", "fr"]


def test_robots_points_to_the_sitemaps(client, network) -> None:
    response = client.get("/robots.txt", HTTP_HOST="test.localhost")
    text = response.content.decode()
    assert "Sitemap: http://test.localhost/sitemap.xml" in text
    assert "Disallow: /admin/" in text
    assert client.get("/robots.txt", HTTP_HOST="nowhere.localhost").status_code == 404


@pytest.mark.parametrize("path", ["/sitemap-articles-2001-01.xml", "/sitemap-articles-2026-13.xml"])
def test_empty_or_impossible_months_are_404(client, network, path: str) -> None:
    assert client.get(path, HTTP_HOST="test.localhost").status_code == 404


def test_news_sitemap_queries_are_fixed(client, many, django_assert_max_num_queries) -> None:
    Article.objects.update(published_at=timezone.now())
    with django_assert_max_num_queries(3):
        _get(client, "/sitemap-news.xml")


def test_no_news_is_404_and_left_out_of_the_index(client, many) -> None:
    assert client.get("/sitemap-news.xml", HTTP_HOST="test.localhost").status_code == 404
    index = etree.tostring(_get(client, "/sitemap.xml")).decode()
    assert "sitemap-news" not in index
