"""A site's face on its pages (accent, wordmark, logo, favicon) and the network page at /."""

import re
from pathlib import Path

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from masthead.conftest import TEST_NETWORK
from masthead.core.memo import forget_all
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
    ico = client.get("/favicon.ico", HTTP_HOST="test.localhost")
    assert ico.status_code == 302 and ico["Location"] == faces["JdT"].favicon_url
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


def test_the_network_page_asks_as_many_queries_for_three_sites_as_for_two(client, faces, many):
    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get("/", HTTP_HOST="127.0.0.1").status_code == 200
        return len(queries.captured_queries)

    count()  # the first request also looks up the host (remembered for seconds)
    two = count()
    network_apply(
        spec=parse_network(
            TEST_NETWORK
            + '\n[[site]]\ncode = "XdT"\nname = "Third"\ndomains = ["third.localhost"]\n'
            'languages = ["en"]\nsignatures = ["A.Bee"]\n[[site.section]]\nlanguage = "en"\n'
            'name = "News"\n',
            source="net.toml",
        )
    )
    count()
    assert count() == two == 3  # the sites, their domains, every site's headlines


def test_the_network_page_with_no_site_says_how_to_load_one(client, db):
    html = client.get("/").content.decode()
    assert "masthead network load FILE" in html
