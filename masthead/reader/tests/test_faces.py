"""A site's face on its pages (accent, wordmark, logo, favicon) and the network page at /."""

import io
import re
from pathlib import Path

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from PIL import Image

from masthead.conftest import TEST_NETWORK
from masthead.core.memo import forget_all
from masthead.network import face
from masthead.network.models import Site
from masthead.network.services import network_apply
from masthead.network.spec import parse_network
from masthead.reader.security import style_hash

LOGO = (
    b'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 300 50">'
    b'<rect width="300" height="50" fill="#0f6b5c"/></svg>'
)
SIGNATURES = 'signatures = ["K.Brandt"]\n'


@pytest.fixture
def faces(tmp_path: Path, network) -> dict[str, Site]:
    """The test network with faces: JdT blue in a slab, ZdT green with a logo."""
    (tmp_path / "logo.svg").write_bytes(LOGO)
    text = TEST_NETWORK.replace(
        'signatures = ["P.Claes", "M.Dubois"]\n',
        'signatures = ["P.Claes", "M.Dubois"]\n[site.face]\naccent = "#14428a"\nfont = "slab"\n'
        'wordmark = "Le Journal de Test"\n',
        1,
    ).replace(
        SIGNATURES,
        SIGNATURES + '[site.face]\naccent = "#0f6b5c"\nfont = "didone"\nlogo = "logo.svg"\n',
        1,
    )
    network_apply(spec=parse_network(text, source="net.toml", base=tmp_path))
    forget_all()
    return {site.code: site for site in Site.objects.all()}


def _style_blocks(html: str) -> list[str]:
    return re.findall(r"<style>(.*?)</style>", html, re.S)


def test_a_page_carries_its_accent_font_and_wordmark_allowed_by_its_policy(client, faces):
    response = client.get("/en/", HTTP_HOST="test.localhost")
    html = response.content.decode()
    blocks = _style_blocks(html)
    assert blocks == [faces["JdT"].face_css]
    assert "--face-accent:#14428a" in blocks[0]
    # Allowed by hash, as the reader's own inline blocks: no 'unsafe-inline', no style="".
    assert style_hash(blocks[0]) in response["Content-Security-Policy"]
    assert "unsafe-inline" not in response["Content-Security-Policy"]
    assert ' style="' not in html
    assert '<header class="masthead face-slab">' in html
    assert '<span class="wordmark">Le Journal de Test</span>' in html
    assert f'<link rel="icon" href="{faces["JdT"].favicon_url}" type="image/svg+xml">' in html


def test_a_logo_is_the_wordmark_with_its_size_in_the_markup(client, faces):
    html = client.get("/de/", HTTP_HOST="zeitung.localhost").content.decode()
    assert (
        f'<img class="logo" src="{faces["ZdT"].logo_url}" width="288" height="48" '
        'alt="Zeitung der Tests">'
    ) in html
    logo = client.get("/logo.svg", HTTP_HOST="zeitung.localhost")
    assert logo.status_code == 200 and logo["Content-Type"] == "image/svg+xml"
    assert logo["Content-Security-Policy"].startswith("default-src 'none'")
    assert logo.content.decode() == faces["ZdT"].logo
    assert client.get("/logo.svg", HTTP_HOST="test.localhost").status_code == 404


def test_the_favicon_is_made_from_the_code_on_the_accent(client, faces):
    response = client.get("/favicon.svg", HTTP_HOST="test.localhost")
    assert response.status_code == 200 and response["Content-Type"] == "image/svg+xml"
    svg = response.content.decode()
    assert 'fill="#14428a"' in svg and ">JdT</text>" in svg
    assert "site-JdT" in response["Surrogate-Key"]
    # Without a site (the network page's host), the house's icon.
    assert client.get("/favicon.ico").status_code == 302


def test_a_png_favicon_is_served_at_its_own_address_and_at_favicon_ico(client, faces):
    png = b"\x89PNG\r\n\x1a\n" + b"0" * 20
    Site.objects.filter(code="JdT").update(favicon=png, favicon_type="image/png")
    forget_all()
    site = Site.objects.get(code="JdT")
    assert site.favicon_url.startswith("/favicon.png?v=")
    html = client.get("/en/", HTTP_HOST="test.localhost").content.decode()
    assert f'<link rel="icon" href="{site.favicon_url}" type="image/png">' in html
    for path in ("/favicon.png", "/favicon.ico"):
        response = client.get(path, HTTP_HOST="test.localhost")
        assert response.content == png and response["Content-Type"] == "image/png", path


def _png(response) -> Image.Image:  # type: ignore[no-untyped-def]
    assert response.status_code == 200 and response["Content-Type"] == "image/png"
    image = Image.open(io.BytesIO(response.content))
    image.load()
    assert image.format == "PNG"
    return image


def _colours(image: Image.Image) -> set[tuple[int, ...]]:
    """The image's opaque colours."""
    counted = image.convert("RGBA").getcolors(maxcolors=image.width * image.height) or []
    return {pixel[:3] for _, pixel in counted if isinstance(pixel, tuple) and pixel[3] == 255}


@pytest.mark.parametrize(
    ("path", "size"),
    [("/favicon.png", 48), ("/favicon.ico", 48), ("/apple-touch-icon.png", 180)],
)
def test_png_icons_are_drawn_from_the_code_on_the_accent(client, faces, path: str, size: int):
    response = client.get(path, HTTP_HOST="test.localhost")
    image = _png(response)
    assert image.size == (size, size)
    colours = _colours(image)
    assert (0x14, 0x42, 0x8A) in colours and (255, 255, 255) in colours  # accent, letters
    # Cached like the SVG: by any cache, purged with the site, sandboxed if opened on its own.
    svg = client.get("/favicon.svg", HTTP_HOST="test.localhost")
    assert response["Cache-Control"] == svg["Cache-Control"] and "public" in svg["Cache-Control"]
    assert response["Surrogate-Key"] == svg["Surrogate-Key"] == "site-JdT"
    assert response["Content-Security-Policy"] == svg["Content-Security-Policy"]
    assert response["Last-Modified"] == svg["Last-Modified"]
    head = client.head(path, HTTP_HOST="test.localhost")
    assert head.status_code == 200 and head["Content-Type"] == "image/png"
    assert head.content == b""


def test_the_home_screen_icon_fills_its_square_the_tab_icon_rounds_its_corners(client, faces):
    touch = _png(client.get("/apple-touch-icon.png", HTTP_HOST="test.localhost"))
    assert touch.mode == "RGB"  # iOS paints transparent corners black
    assert touch.getpixel((0, 0)) == (0x14, 0x42, 0x8A)
    tab = _png(client.get("/favicon.png", HTTP_HOST="test.localhost")).convert("RGBA")
    corner = tab.getpixel((0, 0))
    assert isinstance(corner, tuple) and corner[3] == 0  # transparent, as the SVG's rx
    assert tab.getpixel((24, 2)) == (0x14, 0x42, 0x8A, 255)


def test_each_site_gets_its_own_png_icons(client, faces):
    for path in ("/favicon.png", "/apple-touch-icon.png"):
        jdt = client.get(path, HTTP_HOST="test.localhost").content
        zdt = client.get(path, HTTP_HOST="zeitung.localhost").content
        assert jdt != zdt, path
        assert (0x0F, 0x6B, 0x5C) in _colours(Image.open(io.BytesIO(zdt)))
        assert (0x0F, 0x6B, 0x5C) not in _colours(Image.open(io.BytesIO(jdt)))


def test_png_icons_are_drawn_once_per_site(client, faces, monkeypatch):
    face.generated_favicon_png.cache_clear()
    client.get("/apple-touch-icon.png", HTTP_HOST="test.localhost")
    drawn = face.generated_favicon_png.cache_info().misses
    monkeypatch.setattr(
        "PIL.ImageDraw.Draw", lambda *a, **k: pytest.fail("an icon was drawn again")
    )
    for _ in range(3):
        assert client.get("/apple-touch-icon.png", HTTP_HOST="test.localhost").status_code == 200
    assert face.generated_favicon_png.cache_info().misses == drawn == 1


def test_pages_link_the_png_icons_beside_the_svg_and_no_icon_is_inline(client, faces):
    html = client.get("/en/", HTTP_HOST="test.localhost").content.decode()
    version = faces["JdT"].favicon_url.partition("?")[2]
    png = f'<link rel="icon" href="/favicon.png?{version}" type="image/png" sizes="48x48">'
    svg = f'<link rel="icon" href="{faces["JdT"].favicon_url}" type="image/svg+xml">'
    assert png in html and svg in html
    assert html.index(png) < html.index(svg)  # a browser that reads SVG icons takes the SVG
    assert f'<link rel="apple-touch-icon" href="/apple-touch-icon.png?{version}">' in html
    assert "data:image" not in html


def test_the_home_screen_icon_of_a_png_favicon_site_is_its_own(client, faces):
    png = _drawn_png((64, 64), "#aa0000")
    Site.objects.filter(code="JdT").update(favicon=png, favicon_type="image/png")
    forget_all()
    for path in ("/favicon.png", "/favicon.ico", "/apple-touch-icon.png"):
        assert client.get(path, HTTP_HOST="test.localhost").content == png, path
    html = client.get("/en/", HTTP_HOST="test.localhost").content.decode()
    assert html.count('rel="icon"') == 1 and 'rel="apple-touch-icon"' in html


def test_no_home_screen_icon_without_a_site(client, db):
    assert client.get("/apple-touch-icon.png").status_code == 404
    assert client.get("/favicon.png").status_code == 404


def _drawn_png(size: tuple[int, int], colour: str) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, colour).save(out, format="PNG")
    return out.getvalue()


def test_a_site_without_a_face_keeps_the_house_look(client, network):
    response = client.get("/en/", HTTP_HOST="test.localhost")
    html = response.content.decode()
    assert _style_blocks(html) == []
    assert '<header class="masthead face-serif">' in html
    assert '<span class="wordmark">Journal de Test</span>' in html


def test_the_network_page_shows_each_site_in_its_face_with_its_headlines(client, faces, many):
    response = client.get("/", HTTP_HOST="127.0.0.1:8000")
    assert response.status_code == 200
    html = response.content.decode()
    blocks = _style_blocks(html)
    assert len(blocks) == 1
    assert ".net-JdT{--face-accent:#14428a" in blocks[0]
    assert ".net-ZdT{--face-accent:#0f6b5c" in blocks[0]
    assert style_hash(blocks[0]) in response["Content-Security-Policy"]
    assert 'class="net-site net-JdT face-slab"' in html
    assert 'class="net-site net-ZdT face-didone"' in html
    assert "Le Journal de Test" in html
    assert 'src="data:image/svg+xml;base64,' in html  # the logo, allowed by img-src data:
    assert 'href="http://test.localhost:8000/fr/" hreflang="fr" lang="fr">Français</a>' in html
    # Four latest headlines, linked on the site's own host.
    headlines = re.findall(
        r'<li><a href="http://test\.localhost:8000/en/Politics/\d+-[^"]+\.html">', html
    )
    assert len(headlines) == 4
    assert "front-JdT-en" in response["Surrogate-Key"]
    assert "s-maxage" in response["Cache-Control"]


def test_the_network_page_reads_each_sites_headlines_from_the_index(client, faces, many):
    """The sites, their domains, one short index read of headline ids per site, then the
    headlines in one query: never a query whose plan must scan the articles (an OR of
    `IN (... LIMIT n)` subqueries, which PostgreSQL cannot answer from an index)."""

    def queries() -> list[str]:
        with CaptureQueriesContext(connection) as captured:
            assert client.get("/", HTTP_HOST="127.0.0.1").status_code == 200
        return [q["sql"] for q in captured.captured_queries]

    queries()  # the first request also looks up the host (remembered for seconds)
    two = queries()
    network_apply(
        spec=parse_network(
            TEST_NETWORK
            + '\n[[site]]\ncode = "XdT"\nname = "Third"\ndomains = ["third.localhost"]\n'
            'languages = ["en"]\nsignatures = ["A.Bee"]\n[[site.section]]\nlanguage = "en"\n'
            'name = "News"\n',
            source="net.toml",
        )
    )
    queries()
    three = queries()
    assert (len(two), len(three)) == (2 + 2 + 1, 2 + 3 + 1)
    for sql in three:
        assert " OR " not in sql.upper(), sql
        assert "LIMIT" not in sql.upper() or sql.upper().count("SELECT") == 1, sql


def test_the_network_page_with_no_site_says_how_to_load_one(client, db):
    html = client.get("/").content.decode()
    assert "masthead network load FILE" in html
