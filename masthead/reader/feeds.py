"""RSS 2.0 and Atom feeds per site and language, and per section, with the text (its first
MASTHEAD_FEED_BODY_CHARS characters: one article of 19 MB made 47 MB of feeds).

Built on Django's syndication framework; the site comes from the host name like every reader
page, and links are absolute on that host.
"""

from __future__ import annotations

import copy
import mimetypes
from contextvars import ContextVar
from datetime import datetime
from typing import Any

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.http import Http404, HttpRequest, HttpResponse
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.feedgenerator import Atom1Feed, Enclosure, Rss201rev2Feed, SyndicationFeed

from masthead.delivery.caching import cache_public, section_tag, site_tag
from masthead.network.models import Section, Site
from masthead.newsroom.models import Article
from masthead.reader import selectors
from masthead.reader.blocks import blocks_head

FEED_SIZE = 50


Scope = tuple[Site, str, Section | None]
# One feed object answers every request, on every thread: what a request found (its site,
# language and section, and the request itself for absolute links) is kept per request here,
# never on the object, where a request on another thread would read it.
_current: ContextVar[tuple[HttpRequest, Scope] | None] = ContextVar("feed_request", default=None)


class ArticleFeed(Feed):
    feed_type: type[SyndicationFeed] = Rss201rev2Feed

    @property
    def _scope(self) -> Scope:
        current = _current.get()
        assert current is not None, "read before get_object() found the feed"
        return current[1]

    @property
    def _request(self) -> HttpRequest:
        current = _current.get()
        assert current is not None, "read before get_object() found the feed"
        return current[0]

    def __call__(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        token = _current.set(None)
        try:
            response = super().__call__(request, *args, **kwargs)
            site, lang, section = self._scope
        finally:
            _current.reset(token)
        tags = [site_tag(site.code), f"feed-{site.code}-{lang}"]
        if section is not None:
            tags.append(section_tag(section.pk))
        return cache_public(response, tags=tags)

    def get_object(self, request: HttpRequest, lang: str, section: str | None = None) -> Any:
        site: Site | None = getattr(request, "site", None)
        if site is None or lang not in site.languages:
            raise Http404("No feed here.")
        translation.activate(lang)
        found = None
        if section is not None:
            found = Section.objects.filter(site=site, language=lang, name=section).first()
            if found is None:
                raise Http404(f"No section {section!r}.")
        scope: Scope = (site, lang, found)
        _current.set((request, scope))
        return scope

    def title(self, obj: Any) -> str:
        site, _, section = obj
        return f"{site.name} - {section.name}" if section else site.name

    def link(self, obj: Any) -> str:
        _, lang, section = obj
        return f"/{lang}/{section.name}/" if section else f"/{lang}/"

    def description(self, obj: Any) -> str:
        site, _, section = obj
        return section.name if section else site.name

    def feed_url(self, obj: Any) -> str:
        return self._request.path

    def items(self, obj: Any) -> list[Article]:
        site, lang, section = obj
        articles = (
            selectors.section_articles(section=section)
            if section is not None
            else selectors.published_articles(site=site, language=lang)
        )
        return list(articles[:FEED_SIZE])

    def item_title(self, item: Article) -> str:
        return item.headline

    def item_description(self, item: Article) -> str:
        # The text as the article page shows it (blocks already sanitised at ingest), up to
        # MASTHEAD_FEED_BODY_CHARS characters.
        shown = copy.copy(item)
        shown.body = blocks_head(item.body or [], settings.MASTHEAD_FEED_BODY_CHARS)
        return render_to_string("reader/feed_item.html", {"article": shown})

    def item_link(self, item: Article) -> str:
        return item.get_absolute_url()

    def item_guid(self, item: Article) -> str:
        return self._request.build_absolute_uri(item.get_absolute_url())

    def item_pubdate(self, item: Article) -> datetime | None:
        return item.published_at

    def item_updateddate(self, item: Article) -> datetime | None:
        return item.updated_at or item.published_at

    def item_author_name(self, item: Article) -> str:
        return item.signature

    def item_categories(self, item: Article) -> list[str]:
        return [item.section.name]

    def item_enclosures(self, item: Article) -> list[Enclosure]:
        picture = item.picture
        if picture is None:
            return []
        # The original file: its size is known, as RSS wants the enclosure's length.
        url = self._request.build_absolute_uri(picture.file.url)
        kind = mimetypes.guess_type(picture.file.name)[0] or "image/jpeg"
        return [Enclosure(url, str(picture.size), kind)]


class AtomArticleFeed(ArticleFeed):
    feed_type = Atom1Feed

    def subtitle(self, obj: Any) -> str:
        return self.description(obj)


def rss_feed(request: HttpRequest, lang: str, section: str | None = None) -> HttpResponse:
    # A new feed object per request: it keeps the request and site on itself.
    return ArticleFeed()(request, lang=lang, section=section)


def atom_feed(request: HttpRequest, lang: str, section: str | None = None) -> HttpResponse:
    return AtomArticleFeed()(request, lang=lang, section=section)
