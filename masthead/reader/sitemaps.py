"""Sitemaps per site: an index, the section fronts, articles by month, and Google News.

Written with lxml rather than django.contrib.sitemaps: the month split, the news extension and
hreflang alternates are the whole point here, and each file is a few lines of XML.
"""

from __future__ import annotations

from datetime import timedelta

from django.db.models import Count, Max
from django.db.models.functions import TruncMonth
from django.http import Http404, HttpRequest, HttpResponse
from django.utils import timezone
from lxml import etree

from masthead.delivery.caching import cache_public, site_tag
from masthead.network.models import Section, Site
from masthead.newsroom.models import Article, ArticleStatus

SITEMAP_NS = "http://www.sitemaps.org/schemas/sitemap/0.9"
NEWS_NS = "http://www.google.com/schemas/sitemap-news/0.9"
XHTML_NS = "http://www.w3.org/1999/xhtml"
NEWS_DAYS = 2
NEWS_MAX = 1000  # Google News reads at most this many URLs per sitemap
MONTH_MAX = 50_000  # the protocol's limit per file


def _site(request: HttpRequest) -> Site:
    site = getattr(request, "site", None)
    if site is None:
        raise Http404("No site answers on this host name.")
    return site


def _published(site: Site):  # type: ignore[no-untyped-def]
    return Article.objects.filter(site=site, status=ArticleStatus.PUBLISHED)


def _xml(root: etree._Element, site: Site) -> HttpResponse:
    body = etree.tostring(root, xml_declaration=True, encoding="UTF-8")
    response = HttpResponse(body, content_type="application/xml; charset=utf-8")
    return cache_public(response, tags=[site_tag(site.code), f"sitemap-{site.code}"])


def _url(request: HttpRequest, path: str) -> str:
    return request.build_absolute_uri(path)


def sitemap_index(request: HttpRequest) -> HttpResponse:
    site = _site(request)
    root = etree.Element(f"{{{SITEMAP_NS}}}sitemapindex", nsmap={None: SITEMAP_NS})

    def entry(path: str, lastmod: str | None) -> None:
        node = etree.SubElement(root, f"{{{SITEMAP_NS}}}sitemap")
        etree.SubElement(node, f"{{{SITEMAP_NS}}}loc").text = _url(request, path)
        if lastmod:
            etree.SubElement(node, f"{{{SITEMAP_NS}}}lastmod").text = lastmod

    newest = _published(site).aggregate(newest=Max("published_at"))["newest"]
    entry("/sitemap-sections.xml", newest.isoformat() if newest else None)
    if newest and newest >= timezone.now() - timedelta(days=NEWS_DAYS):
        # An empty urlset is not a valid sitemap: the news one is listed only when it has news.
        entry("/sitemap-news.xml", newest.isoformat())
    months = (
        _published(site)
        .annotate(month=TruncMonth("published_at"))
        .values("month")
        .annotate(n=Count("id"), last=Max("modified_at"))
        .order_by("-month")
    )
    for month in months:
        entry(f"/sitemap-articles-{month['month']:%Y-%m}.xml", month["last"].isoformat())
    return _xml(root, site)


def sitemap_sections(request: HttpRequest) -> HttpResponse:
    site = _site(request)
    root = etree.Element(f"{{{SITEMAP_NS}}}urlset", nsmap={None: SITEMAP_NS})
    for language in site.languages:
        node = etree.SubElement(root, f"{{{SITEMAP_NS}}}url")
        etree.SubElement(node, f"{{{SITEMAP_NS}}}loc").text = _url(request, f"/{language}/")
        etree.SubElement(node, f"{{{SITEMAP_NS}}}changefreq").text = "always"
    for section in Section.objects.filter(site=site).order_by("language", "position"):
        node = etree.SubElement(root, f"{{{SITEMAP_NS}}}url")
        path = f"/{section.language}/{section.name}/"
        etree.SubElement(node, f"{{{SITEMAP_NS}}}loc").text = _url(request, path)
        etree.SubElement(node, f"{{{SITEMAP_NS}}}changefreq").text = "hourly"
    return _xml(root, site)


def sitemap_month(request: HttpRequest, year: str, month: str) -> HttpResponse:
    site = _site(request)
    if not 1 <= int(month) <= 12:
        raise Http404("No such month.")
    articles = list(
        _published(site)
        .filter(published_at__year=int(year), published_at__month=int(month))
        .select_related("section")
        .order_by("published_at", "pk")[:MONTH_MAX]
    )
    if not articles:
        raise Http404("Nothing published that month.")
    siblings = _language_versions(site, [a.story_id for a in articles])
    root = etree.Element(f"{{{SITEMAP_NS}}}urlset", nsmap={None: SITEMAP_NS, "xhtml": XHTML_NS})
    for article in articles:
        node = etree.SubElement(root, f"{{{SITEMAP_NS}}}url")
        etree.SubElement(node, f"{{{SITEMAP_NS}}}loc").text = _url(
            request, article.get_absolute_url()
        )
        modified = article.updated_at or article.published_at
        if modified:
            etree.SubElement(node, f"{{{SITEMAP_NS}}}lastmod").text = modified.isoformat()
        versions = siblings.get(article.story_id, [])
        if len(versions) > 1:
            for language, path in versions:
                link = etree.SubElement(node, f"{{{XHTML_NS}}}link")
                link.set("rel", "alternate")
                link.set("hreflang", language)
                link.set("href", _url(request, path))
    return _xml(root, site)


def _language_versions(site: Site, story_ids: list[int]) -> dict[int, list[tuple[str, str]]]:
    versions: dict[int, list[tuple[str, str]]] = {}
    rows = (
        _published(site)
        .filter(story_id__in=story_ids)
        .select_related("section")
        .only("story_id", "language", "slug", "section__name")
    )
    for article in rows:
        versions.setdefault(article.story_id, []).append(
            (article.language, article.get_absolute_url())
        )
    return versions


def sitemap_news(request: HttpRequest) -> HttpResponse:
    site = _site(request)
    since = timezone.now() - timedelta(days=NEWS_DAYS)
    articles = (
        _published(site)
        .filter(published_at__gte=since)
        .select_related("section")
        .order_by("-published_at", "-pk")[:NEWS_MAX]
    )
    articles = list(articles)
    if not articles:
        raise Http404("No news in the last two days.")
    root = etree.Element(f"{{{SITEMAP_NS}}}urlset", nsmap={None: SITEMAP_NS, "news": NEWS_NS})
    for article in articles:
        node = etree.SubElement(root, f"{{{SITEMAP_NS}}}url")
        etree.SubElement(node, f"{{{SITEMAP_NS}}}loc").text = _url(
            request, article.get_absolute_url()
        )
        news = etree.SubElement(node, f"{{{NEWS_NS}}}news")
        publication = etree.SubElement(news, f"{{{NEWS_NS}}}publication")
        etree.SubElement(publication, f"{{{NEWS_NS}}}name").text = site.name
        etree.SubElement(publication, f"{{{NEWS_NS}}}language").text = article.language
        published = article.published_at.isoformat() if article.published_at else ""
        etree.SubElement(news, f"{{{NEWS_NS}}}publication_date").text = published
        etree.SubElement(news, f"{{{NEWS_NS}}}title").text = article.headline
    return _xml(root, site)


def robots(request: HttpRequest) -> HttpResponse:
    site = _site(request)
    lines = [
        "User-agent: *",
        "Allow: /",
        "Disallow: /admin/",
        "Disallow: /*/search",
        f"Sitemap: {_url(request, '/sitemap.xml')}",
        f"Sitemap: {_url(request, '/sitemap-news.xml')}",
    ]
    response = HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")
    return cache_public(response, tags=[site_tag(site.code), f"sitemap-{site.code}"])
