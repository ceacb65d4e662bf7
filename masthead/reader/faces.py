"""A site's face on its pages: the favicon and the logo as files, and the <style> block that
gives the page the site's accent.

The accent reaches a page as one rule in a <style> block in its <head>, `:root{--accent:#...}`,
rather than a style attribute: the reader's Content-Security-Policy allows no inline style it
has not hashed, so ReaderSecurityMiddleware adds the hash of the request's site's block.
Being in the <head>, the colour is there at first paint: nothing changes once the page shows.
"""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.templatetags.static import static
from markupsafe import Markup

from masthead.delivery.caching import cache_public, site_tag
from masthead.network.models import Site

# A file served from a site must not run anything even when opened on its own.
FILE_CSP = "default-src 'none'; style-src 'unsafe-inline'; sandbox"


def face_style(css: str) -> Markup:
    """The <style> block for a face's CSS (already validated: network/face.py)."""
    return Markup(f"<style>{css}</style>") if css else Markup("")  # noqa: S704 (checked CSS)


def _site(request: HttpRequest) -> Site | None:
    return getattr(request, "site", None)


def _file(request: HttpRequest, site: Site, data: bytes, kind: str) -> HttpResponse:
    response = HttpResponse(data, content_type=kind)
    response["Content-Security-Policy"] = FILE_CSP
    return cache_public(response, tags=[site_tag(site.code)], last_modified=site.updated_at)


def favicon_svg(request: HttpRequest) -> HttpResponse:
    """The site's favicon: the file's, or one made from the site's code on its accent."""
    site = _site(request)
    if site is None:
        return HttpResponseRedirect(static("masthead/favicon.svg"))
    data, kind = site.favicon_file()
    if kind != "image/svg+xml":
        return HttpResponseRedirect(site.favicon_url)
    return _file(request, site, data, kind)


def favicon_png(request: HttpRequest) -> HttpResponse:
    site = _site(request)
    if site is None:
        raise Http404("No site answers on this host name.")
    data, kind = site.favicon_file()
    if kind != "image/png":
        raise Http404("This site's favicon is an SVG: /favicon.svg.")
    return _file(request, site, data, kind)


def favicon_ico(request: HttpRequest) -> HttpResponse:
    """Browsers and crawlers ask for /favicon.ico on their own: a PNG favicon is answered as
    it is (every browser reads a PNG there), otherwise they are sent to the SVG."""
    site = _site(request)
    if site is None:
        return HttpResponseRedirect(static("masthead/favicon.svg"))
    data, kind = site.favicon_file()
    if kind == "image/png":
        return _file(request, site, data, kind)
    return HttpResponseRedirect(site.favicon_url)


def logo_svg(request: HttpRequest) -> HttpResponse:
    site = _site(request)
    if site is None or not site.logo:
        raise Http404("This site has no logo.")
    return _file(request, site, site.logo.encode("utf-8"), "image/svg+xml")
