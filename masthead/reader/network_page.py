"""The network page at `/` (on a host no site answers on): every site in its own face, its
languages and its latest headlines; the page an operator shows a visitor.

Its queries: the sites with their domains (two), each site's latest headline ids (one short
index read a site, `article_front`, the index the home pages use), then those headlines in one
query. The page is cached like the others and
tagged with each site's home, so a new story or a reload of the network file refreshes it.

It speaks every language the reader has a catalogue for, one address each: `/` in the network's
default language (LANGUAGE_CODE), `/fr/`, `/ar/` ... in the others. The language is in the path,
never taken from Accept-Language, so the page cache (keyed on host, path and query) keeps one
copy per language and serves each visitor the one they asked for.
"""

from __future__ import annotations

import base64
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from django.conf import settings
from django.conf.locale import LANG_INFO
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import translation

from masthead.delivery.caching import cache_public, site_tag
from masthead.network import face
from masthead.network.models import Site
from masthead.newsroom.models import Article, ArticleStatus
from masthead.reader.security import policy_with_styles

HEADLINES = 4


@dataclass
class SiteCard:
    site: Site
    home: str  # the site's home in its default language, absolute
    languages: list[tuple[str, str, str]]  # (code, name in the language, absolute home)
    headlines: list[tuple[Article, str]] = field(default_factory=list)  # (article, absolute URL)

    @property
    def css_class(self) -> str:
        return f"net-{self.site.code}"

    @property
    def logo_data(self) -> str:
        """The logo as a data: address: the page's policy loads images from itself only,
        and the logo's own address is on the site's host."""
        return _data_url(self.site.logo.encode("utf-8"), "image/svg+xml") if self.site.logo else ""

    @property
    def favicon_data(self) -> str:
        data, kind = self.site.favicon_file()
        return _data_url(data, kind)


def _data_url(data: bytes, kind: str) -> str:
    return f"data:{kind};base64,{base64.b64encode(data).decode('ascii')}"


def latest_headlines(sites: list[Site], count: int = HEADLINES) -> dict[int, list[Article]]:
    """Each site's latest published articles in its default language: the ids site by site,
    each a short read of the `article_front` index, then the rows in one query. (One query
    OR-ing a `pk IN (... LIMIT n)` per site read every article on PostgreSQL: its planner
    cannot search an index for ORs of subqueries, and scanned a million rows in 1.1 s.)"""
    ids: list[int] = []
    for site in sites:
        ids += (
            Article.objects.filter(
                site=site, language=site.default_language, status=ArticleStatus.PUBLISHED
            )
            .order_by("-published_at", "-story_id")
            .values_list("pk", flat=True)[:count]
        )
    found: dict[int, list[Article]] = {site.pk: [] for site in sites}
    if not ids:
        return found
    for article in (
        Article.objects.filter(pk__in=ids)
        .select_related("section")
        .only(
            "site_id", "section__name", "language", "story_id", "slug", "headline", "published_at"
        )
        .order_by("-published_at", "-story_id")
    ):
        found[article.site_id].append(article)
    return found


def _language_name(code: str) -> str:
    info = LANG_INFO.get(code, {})
    return str(info.get("name_local", code)).capitalize() if info else code


@cache
def network_languages() -> tuple[str, ...]:
    """The languages the page is offered in: the network's default, then every language the
    reader has a compiled catalogue for (LOCALE_PATHS), as Django names them (`zh-hans`)."""
    found = {
        translation.to_language(folder.name)
        for base in settings.LOCALE_PATHS
        for folder in Path(base).iterdir()
        if (folder / "LC_MESSAGES" / "django.mo").is_file()
    }
    default = settings.LANGUAGE_CODE
    return (default, *sorted(found - {default}))


def network_page_address(language: str) -> str:
    """The page's path in `language`: `/` in the default one, `/<language>/` otherwise."""
    return "/" if language == settings.LANGUAGE_CODE else f"/{language}/"


def network_page(request: HttpRequest, *, language: str = "") -> HttpResponse:
    """The page in `language` (the network's default when empty); 404 in a language the
    reader has no catalogue for. Rendered under translation.override: the thread's language
    is what it was before once the page is made."""
    language = language or settings.LANGUAGE_CODE
    if language not in network_languages():
        raise Http404(f"The network page is not offered in {language!r}.")
    with translation.override(language):
        return _network_page(request, language)


def _network_page(request: HttpRequest, language: str) -> HttpResponse:
    host = request.get_host()
    port = host.rsplit(":", 1)[1] if ":" in host and not host.endswith("]") else ""
    suffix = f":{port}" if port and port not in ("80", "443") else ""
    sites = list(Site.objects.prefetch_related("domains"))
    headlines = latest_headlines(sites)
    cards = []
    for site in sites:
        domains = list(site.domains.all())
        base = f"{request.scheme}://{domains[0].domain}{suffix}" if domains else ""
        cards.append(
            SiteCard(
                site=site,
                home=f"{base}/{site.default_language}/",
                languages=[
                    (code, _language_name(code), f"{base}/{code}/") for code in site.languages
                ],
                headlines=[(a, base + a.get_absolute_url()) for a in headlines[site.pk]],
            )
        )
    # One <style> block with each site's accent on its card; allowed by its hash.
    css = "".join(
        face.face_css(accent=card.site.accent, selector=f".{card.css_class}")
        for card in cards
        if face.HEX_RE.match(card.site.accent)
    )
    languages = sorted({code for site in sites for code in site.languages})
    response = render(
        request,
        "reader/network.html",
        {
            "cards": cards,
            "css": css,
            "language_count": len(languages),
            "lang": language,
            "page_languages": [
                (code, _language_name(code), network_page_address(code))
                for code in network_languages()
            ],
        },
    )
    if css:
        response["Content-Security-Policy"] = policy_with_styles(css)
    tags = ["network"]
    for site in sites:
        tags += [site_tag(site.code)] + [f"front-{site.code}-{code}" for code in site.languages]
    return cache_public(response, tags=tags)
