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
from masthead.network import face
from masthead.network.models import Site

# A file served from a site must not run anything even when opened on its own.
FILE_CSP = "default-src 'none'; style-src 'unsafe-inline'; sandbox"
# The PNG favicon's side (a multiple of 48, as search engines ask; sharp at 1.5x for a 32px
# tab icon) and the home-screen icon's (iOS's largest, 180, which Android also reads).
PNG_ICON_SIZE = 48
TOUCH_ICON_SIZE = 180


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


def _png_icon(site: Site, size: int, *, rounded: bool = True) -> bytes:
    """The site's own PNG favicon, or one drawn from its code on its accent (network/face.py,
    made once per process for each code, accent and size)."""
    data, kind = site.favicon_file()
    if kind == "image/png":
        return data
    return face.generated_favicon_png(
        code=site.code, accent=site.face_accent, size=size, rounded=rounded
    )


def favicon_png(request: HttpRequest) -> HttpResponse:
    """A PNG favicon for browsers without SVG icons (the reader's pages link it beside the
    SVG, with its size): the site's own PNG, or one drawn like the generated SVG."""
    site = _site(request)
    if site is None:
        raise Http404("No site answers on this host name.")
    return _file(request, site, _png_icon(site, PNG_ICON_SIZE), "image/png")


def favicon_ico(request: HttpRequest) -> HttpResponse:
    """Browsers and crawlers ask for /favicon.ico on their own: answered with the PNG
    favicon (every browser reads a PNG there, whatever the name says)."""
    site = _site(request)
    if site is None:
        return HttpResponseRedirect(static("masthead/favicon.svg"))
    return _file(request, site, _png_icon(site, PNG_ICON_SIZE), "image/png")


def apple_touch_icon(request: HttpRequest) -> HttpResponse:
    """The icon iOS and Android put on a home screen (asked for by this name even when the
    page does not link it): square to its corners, which the system rounds itself."""
    site = _site(request)
    if site is None:
        raise Http404("No site answers on this host name.")
    return _file(request, site, _png_icon(site, TOUCH_ICON_SIZE, rounded=False), "image/png")


def logo_svg(request: HttpRequest) -> HttpResponse:
    site = _site(request)
    if site is None or not site.logo:
        raise Http404("This site has no logo.")
    return _file(request, site, site.logo.encode("utf-8"), "image/svg+xml")
