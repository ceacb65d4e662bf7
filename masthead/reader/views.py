"""Public pages: the network list, and per site the home, section fronts and articles."""

from __future__ import annotations

import logging
from datetime import date, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.paginator import EmptyPage, PageNotAnInteger, Paginator
from django.db import DatabaseError
from django.http import (
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponsePermanentRedirect,
    JsonResponse,
)
from django.shortcuts import redirect, render
from django.utils import timezone, translation
from django.utils.encoding import uri_to_iri

from masthead.core.memo import remember
from masthead.delivery.caching import cache_public, section_tag, site_tag, story_tag
from masthead.markets.ticker import Ticker, ticker_for_site
from masthead.network.models import Section, Site
from masthead.newsroom.models import Article, ArticleStatus
from masthead.reader import metadata, selectors
from masthead.reader.network_page import network_page
from masthead.search.services import search_articles

log = logging.getLogger(__name__)


# Stories of the article's section shown beside it.
RELATED_COUNT = 4


def _site(request: HttpRequest) -> Site:
    site = getattr(request, "site", None)
    if site is None:
        raise Http404("No site answers on this host name.")
    return site


def _language(site: Site, lang: str) -> str:
    if lang not in site.languages:
        raise Http404(f"{site.name} has no pages in {lang!r}.")
    translation.activate(lang)
    return lang


def _context(request: HttpRequest, site: Site, lang: str, **extra: object) -> dict[str, object]:
    return {
        "site": site,
        "lang": lang,
        "sections": remember(
            ("sections", site.pk, lang),
            30,
            lambda: list(Section.objects.filter(site=site, language=lang).order_by("position")),
        ),
        "ticker": _ticker(site),
        "other_languages": [code for code in site.languages if code != lang],
        # Read for every page, not remembered: a strip must show from its first purge to its end.
        "breaking": selectors.breaking_article(site=site, language=lang),
        **extra,
    }


def _public(
    response: HttpResponse, context: dict[str, object], *, tags: list[str], **options: Any
) -> HttpResponse:
    """cache_public, for a page rendered from `context`: a page showing a breaking-news strip
    is also tagged with the strip's story (an edit or a kill of it purges the page), and no
    cache may keep it past the strip's end."""
    breaking = context.get("breaking")
    if isinstance(breaking, Article):
        tags = [*tags, story_tag(breaking.story_id)]
        options["expires"] = breaking.story.breaking_until
    return cache_public(response, tags=tags, **options)


def _ticker(site: Site) -> Ticker | None:
    # A page never fails because of quotes: without them it shows no ticker.
    try:
        # Quotes change once a minute; the page cache and browsers hold pages longer anyway.
        return remember(("ticker", site.pk), 15, lambda: ticker_for_site(site))
    except DatabaseError:
        log.exception("ticker for %s could not be read", site.code)
        return None


def ticker_json(request: HttpRequest) -> HttpResponse:
    """The site's ticker for the browser to refresh every minute; any HTTP cache may hold it."""
    site = _site(request)
    ticker = _ticker(site)
    if ticker is None:
        raise Http404("This site shows no ticker.")
    response = JsonResponse(ticker.as_json())
    return cache_public(response, tags=[site_tag(site.code), "quotes"], shared_max_age=60)


def root(request: HttpRequest) -> HttpResponse:
    site = getattr(request, "site", None)
    if site is None:
        return network_index(request)
    return redirect(f"/{site.default_language}/")


def language_root(request: HttpRequest, lang: str) -> HttpResponse:
    """`/<lang>/`: the site's home in that language; on a host no site answers on, the
    network page in it."""
    if getattr(request, "site", None) is None:
        return network_index(request, lang=lang)
    return home(request, lang)


def network_index(request: HttpRequest, lang: str = "") -> HttpResponse:
    """The network's sites, each in its face with its latest headlines (network_page.py), at
    `/` in the network's default language and at `/<lang>/` in the others."""
    if lang == settings.LANGUAGE_CODE:
        # One address per language: the default's is `/` (a plain 404 here, as before).
        raise Http404("The network page in the default language is at /.")
    return network_page(request, language=lang)


def home(request: HttpRequest, lang: str) -> HttpResponse:
    site = _site(request)
    lang = _language(site, lang)
    # A lead story and up to three beside it, then each section's latest; a story shown
    # higher is not shown again lower down.
    top = selectors.top_articles(site=site, language=lang, count=4)
    context = _context(
        request,
        site,
        lang,
        lead=top[0] if top else None,
        secondary=top[1:],
        section_blocks=selectors.home_sections(
            site=site, language=lang, per_section=5, shown=frozenset(a.pk for a in top)
        ),
    )
    return _public(
        render(request, "reader/home.html", context),
        context,
        tags=[site_tag(site.code), f"front-{site.code}-{lang}"],
    )


def section_front(request: HttpRequest, lang: str, section: str) -> HttpResponse:
    site = _site(request)
    lang = _language(site, lang)
    found = Section.objects.filter(site=site, language=lang, name__iexact=section).first()
    if found is None:
        raise Http404(f"No section {section!r}.")
    if found.name != section:
        return HttpResponsePermanentRedirect(f"/{lang}/{found.name}/")
    page = selectors.slice_page(
        selectors.teasers(selectors.section_articles(section=found)),
        number=request.GET.get("page", "1"),
        size=settings.MASTHEAD_PAGE_SIZE,
    )
    if page is None:
        raise Http404("No such page.")
    context = _context(request, site, lang, section=found, page=page)
    response = render(request, "reader/section.html", context)
    return _public(response, context, tags=[site_tag(site.code), section_tag(found.pk)])


def archive_today(request: HttpRequest, lang: str) -> HttpResponse:
    site = _site(request)
    lang = _language(site, lang)
    today = timezone.localtime(timezone.now(), ZoneInfo(site.timezone)).date()
    return redirect(f"/{lang}/archive/{today:%Y/%m/%d}/")


def archive_day(request: HttpRequest, lang: str, year: str, month: str, day: str) -> HttpResponse:
    site = _site(request)
    lang = _language(site, lang)
    try:
        when = date(int(year), int(month), int(day))
    except ValueError:
        raise Http404("No such date.") from None
    today = timezone.localtime(timezone.now(), ZoneInfo(site.timezone)).date()
    if when > today:
        raise Http404("That day has not come yet.")
    paginator = Paginator(
        selectors.day_articles(site=site, language=lang, day=when), settings.MASTHEAD_PAGE_SIZE
    )
    try:
        page = paginator.page(selectors.page_number(request.GET.get("page", "1")) or 0)
    except (PageNotAnInteger, EmptyPage):
        raise Http404("No such page.") from None
    context = _context(
        request,
        site,
        lang,
        day=when,
        page=page,
        previous_day=when - timedelta(days=1),
        next_day=when + timedelta(days=1) if when < today else None,
    )
    return _public(
        render(request, "reader/archive.html", context),
        context,
        tags=[site_tag(site.code), f"archive-{site.code}-{lang}"],
    )


def search(request: HttpRequest, lang: str) -> HttpResponse:
    site = _site(request)
    lang = _language(site, lang)
    text = request.GET.get("q", "")
    number = selectors.page_number(request.GET.get("page", "1")) or 1
    results = search_articles(
        site=site, language=lang, text=text, page=number, page_size=settings.MASTHEAD_PAGE_SIZE
    )
    context = _context(request, site, lang, q=results.query.text, results=results)
    response = render(request, "reader/search.html", context)
    response["X-Robots-Tag"] = "noindex"  # result pages are not content of their own
    return _public(response, context, tags=[site_tag(site.code)], shared_max_age=60)


def article(
    request: HttpRequest, lang: str, section: str, story_id: str, slug: str
) -> HttpResponse:
    site = _site(request)
    lang = _language(site, lang)
    # The story's articles on this site in every language, in one query: the page's own and
    # the other languages it links to (hreflang).
    versions = list(
        Article.objects.select_related("section", "picture")
        .prefetch_related("corrections")  # shown on the page and in its JSON-LD
        .filter(site=site, story_id=int(story_id))
    )
    for version in versions:
        version.site = site  # known already: joining it again cost more than the row
    found = next((a for a in versions if a.language == lang), None)
    if found is None or found.status in (
        ArticleStatus.WITHHELD,
        ArticleStatus.EMBARGOED,
        ArticleStatus.DRAFT,
    ):
        raise Http404("No such article.")
    if found.status == ArticleStatus.KILLED:
        context = _context(request, site, lang, article=found)
        return _public(
            render(request, "reader/gone.html", context, status=410),
            context,
            tags=[site_tag(site.code), story_tag(found.story_id)],
        )
    canonical = found.get_absolute_url()
    # The URL is percent-encoded (a Korean slug, a section named in Arabic); the path Django
    # hands over is decoded. A path in another normal form (NFD Hangul from a Mac), or any
    # other spelling, goes to the canonical one.
    if request.path != uri_to_iri(canonical):
        return HttpResponsePermanentRedirect(canonical)
    newest = remember(
        ("latest", site.pk, lang),
        15,
        lambda: list(
            selectors.teasers(selectors.published_articles(site=site, language=lang))[
                : settings.MASTHEAD_LATEST_COUNT + 1
            ]
        ),
    )
    latest = [a for a in newest if a.pk != found.pk][: settings.MASTHEAD_LATEST_COUNT]
    # The section's latest, for "More in <section>": shared by every article of the section
    # for a few seconds, like "latest"; neither repeats the page's story nor each other.
    in_section = remember(
        ("section-latest", found.section_id),
        15,
        lambda: list(
            selectors.teasers(selectors.section_articles(section=found.section))[
                : RELATED_COUNT + settings.MASTHEAD_LATEST_COUNT + 1
            ]
        ),
    )
    listed = {a.pk for a in latest} | {found.pk}
    related = [a for a in in_section if a.pk not in listed][:RELATED_COUNT]
    body = found.body or []
    context = _context(
        request,
        site,
        lang,
        article=found,
        first_block=body[0] if body else None,
        rest_blocks=body[1:],
        latest=latest,
        related=related,
        alternates=[
            a for a in versions if a.pk != found.pk and a.status == ArticleStatus.PUBLISHED
        ],
        description=metadata.article_description(found),
        json_ld=metadata.article_json_ld(request, found),
        corrections=found.corrections.all(),
    )
    # Tagged with its story only: the "Latest news" list beside it follows within the
    # shared max-age rather than purging every article page at each new story.
    return _public(
        render(request, "reader/article.html", context),
        context,
        tags=[site_tag(site.code), story_tag(found.story_id)],
        last_modified=found.updated_at or found.published_at,
    )


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    site = getattr(request, "site", None)
    if site is None:
        context = {"status": 404, "lang": translation.get_language()}
        return render(request, "reader/error.html", context, status=404)
    lang = request.path.strip("/").split("/", 1)[0]
    if lang not in site.languages:
        lang = site.default_language
    translation.activate(lang)
    context = _context(request, site, lang, status=404)
    return render(request, "reader/error.html", context, status=404)


def server_error(request: HttpRequest) -> HttpResponse:
    # Keep this page free of database queries: the database may be why we are here.
    return render(request, "reader/error_500.html", status=500)
