"""A site's face in the network file: accent (with its contrast checked), wordmark, font, logo
and favicon files read and made safe, or refused with one line naming file, site and key."""

from pathlib import Path

import pytest

from masthead.conftest import TEST_NETWORK
from masthead.core.errors import NetworkFileError
from masthead.core.svg import UnsafeSVG, svg_clean
from masthead.demo.loader import DEMO_NETWORK
from masthead.network.face import contrast_ratio, dark_twin, face_css, generated_favicon
from masthead.network.models import Site
from masthead.network.services import network_apply
from masthead.network.spec import FaceSpec, parse_network, read_network_file

LOGO = b'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 200 40"><rect width="200" height="40" fill="#123456"/></svg>'
SITE_LINE = 'signatures = ["P.Claes", "M.Dubois"]\n'


def _with_face(face: str) -> str:
    assert SITE_LINE in TEST_NETWORK
    return TEST_NETWORK.replace(SITE_LINE, SITE_LINE + "\n[site.face]\n" + face + "\n", 1)


def _parse(face: str, folder: Path | None = None):
    return parse_network(_with_face(face), source="net.toml", base=folder or Path("."))


def test_contrast_ratio_follows_wcag():
    assert contrast_ratio("#000000", "#ffffff") == pytest.approx(21)
    assert contrast_ratio("#777777", "#777777") == pytest.approx(1)
    assert contrast_ratio("#767676", "#ffffff") == pytest.approx(4.54, abs=0.01)


def test_a_site_without_a_face_has_the_house_one():
    spec = parse_network(TEST_NETWORK, source="net.toml")
    assert spec.sites[0].face == FaceSpec()


def test_a_good_face_is_read(tmp_path):
    (tmp_path / "logo.svg").write_bytes(LOGO)
    face = (
        _parse(
            'accent = "#14428A"\nwordmark = "Le Journal"\nfont = "didone"\nlogo = "logo.svg"',
            tmp_path,
        )
        .sites[0]
        .face
    )
    assert (face.accent, face.wordmark, face.font) == ("#14428a", "Le Journal", "didone")
    assert face.logo.startswith("<svg") and 'viewBox="0 0 200 40"' in face.logo
    assert face.favicon == b""


def test_an_accent_that_fails_contrast_is_refused_with_one_line():
    with pytest.raises(NetworkFileError) as refused:
        _parse('accent = "#ffcc00"')
    assert str(refused.value) == (
        'net.toml: site[0] (JdT).face.accent: "#ffcc00": contrast 1.5:1 against white, '
        "needs 4.5:1 (choose a darker colour)"
    )


def test_a_contrast_just_under_the_line_is_never_shown_as_passing():
    # #777777 is 4.48:1: rounded it would read "4.5:1, needs 4.5:1".
    with pytest.raises(NetworkFileError, match=r"contrast 4\.4:1 against white"):
        _parse('accent = "#777777"')
    assert _parse('accent = "#767676"').sites[0].face.accent == "#767676"  # 4.54:1


@pytest.mark.parametrize("colour", ["#fc0", "blue", "#gggggg", "14428a", "#14428a80", "rgb(0,0,0)"])
def test_a_malformed_colour_is_refused(colour):
    with pytest.raises(NetworkFileError, match=r"face\.accent: .* is not a colour written #rrggbb"):
        _parse(f'accent = "{colour}"')


def test_unknown_font_and_key_are_refused():
    with pytest.raises(NetworkFileError, match=r"face\.font: must be one of serif, sans, slab"):
        _parse('font = "Comic Sans"')
    with pytest.raises(NetworkFileError, match=r"face\.colour: unknown key"):
        _parse('colour = "#000000"')


def test_a_missing_logo_file_is_refused(tmp_path):
    with pytest.raises(NetworkFileError) as refused:
        _parse('logo = "faces/none.svg"', tmp_path)
    assert str(refused.value).startswith(
        "net.toml: site[0] (JdT).face.logo: faces/none.svg: cannot read"
    )


def test_files_are_read_beside_the_network_file(tmp_path):
    (tmp_path / "faces").mkdir()
    (tmp_path / "faces" / "logo.svg").write_bytes(LOGO)
    (tmp_path / "net.toml").write_text(_with_face('logo = "faces/logo.svg"'))
    assert read_network_file(tmp_path / "net.toml").sites[0].face.logo


HOSTILE = {
    "script": b'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 1 1"><script>alert(1)</script></svg>',
    "handler": b'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 1 1" onload="alert(1)"/>',
    "external use": b'<svg xmlns="http://www.w3.org/2000/svg" xmlns:x="http://www.w3.org/1999/xlink" viewBox="0 0 1 1"><use x:href="https://evil.example/a.svg#x"/></svg>',
    "javascript link": b'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 1 1"><a href="javascript:alert(1)"><rect width="1" height="1"/></a></svg>',
    "foreign object": b'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 1 1"><foreignObject><div xmlns="http://www.w3.org/1999/xhtml">x</div></foreignObject></svg>',
    "external fill": b'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 1 1"><rect fill="url(https://evil.example/p)" width="1" height="1"/></svg>',
    "style sheet": b'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 1 1"><style>@import url(https://evil.example/x.css);</style></svg>',
    "style attribute": b'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 1 1"><rect style="fill:url(https://e.example/)"/></svg>',
    "entity": b'<!DOCTYPE svg [<!ENTITY x SYSTEM "file:///etc/passwd">]><svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 1 1"><text>&x;</text></svg>',
    "animation": b'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 1 1"><set attributeName="href" to="javascript:alert(1)"/></svg>',
    "external image": b'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 1 1"><image href="https://evil.example/t.png"/></svg>',
    "not svg": b'<html xmlns="http://www.w3.org/1999/xhtml"><body onload="x()"/></html>',
    "no viewBox": b'<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"/>',
    "broken": b'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 1 1"><rect></svg>',
}


@pytest.mark.parametrize("kind", sorted(HOSTILE))
def test_a_hostile_svg_logo_is_refused_with_one_line(tmp_path, kind):
    (tmp_path / "logo.svg").write_bytes(HOSTILE[kind])
    with pytest.raises(NetworkFileError) as refused:
        _parse('logo = "logo.svg"', tmp_path)
    message = str(refused.value)
    assert message.startswith("net.toml: site[0] (JdT).face.logo: logo.svg: ")
    assert "\n" not in message


def test_an_svg_loses_an_editors_bookkeeping_and_keeps_its_drawing():
    source = b"""<?xml version="1.0"?>
<!-- made by hand -->
<svg xmlns="http://www.w3.org/2000/svg" xmlns:inkscape="http://www.inkscape.org/namespaces/inkscape"
     xmlns:xlink="http://www.w3.org/1999/xlink" viewBox="0 0 10 10" inkscape:version="1.3" data-name="x">
  <metadata><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"/></metadata>
  <defs><linearGradient id="g"><stop offset="0" stop-color="#000"/></linearGradient></defs>
  <rect width="10" height="10" fill="url(#g)" inkscape:label="back"/>
  <use xlink:href="#g"/>
  <text x="1" y="8" font-family="Georgia, serif">Ab<tspan>c</tspan></text>
</svg>"""
    clean = svg_clean(source)
    assert "inkscape" not in clean and "metadata" not in clean and "made by hand" not in clean
    assert "data-name" not in clean
    assert 'fill="url(#g)"' in clean and 'href="#g"' in clean
    assert ">Ab<tspan>c</tspan></text>" in clean
    with pytest.raises(UnsafeSVG):
        svg_clean(clean.replace("<rect", '<rect onclick="x()"').encode())


def test_a_png_favicon_is_kept_and_a_bad_one_refused(tmp_path):
    from io import BytesIO

    from PIL import Image

    buffer = BytesIO()
    Image.new("RGB", (32, 32), "#14428a").save(buffer, "PNG")
    (tmp_path / "icon.png").write_bytes(buffer.getvalue())
    face = _parse('favicon = "icon.png"', tmp_path).sites[0].face
    assert face.favicon_type == "image/png" and face.favicon == buffer.getvalue()
    (tmp_path / "bad.png").write_bytes(buffer.getvalue()[:40])
    with pytest.raises(NetworkFileError, match=r"face\.favicon: bad\.png: not a readable PNG"):
        _parse('favicon = "bad.png"', tmp_path)


def test_face_css_and_generated_favicon_print_only_checked_values():
    dark = dark_twin("#14428a")
    assert face_css(accent="#14428A") == f":root{{--face-accent:#14428a;--face-accent-dark:{dark}}}"
    assert contrast_ratio(dark_twin("#14428a"), "#121212") >= 4.5
    with pytest.raises(ValueError):
        face_css(accent="red;}body{display:none")
    icon = generated_favicon(code="CdB", accent="#14428a")
    assert 'fill="#14428a"' in icon and ">CdB</text>" in icon
    assert svg_clean(icon.encode()) is not None  # what we make passes our own check


@pytest.mark.django_db
def test_the_face_is_stored_on_the_site_and_a_reload_changes_nothing(tmp_path):
    (tmp_path / "logo.svg").write_bytes(LOGO)
    text = _with_face('accent = "#14428a"\nfont = "slab"\nlogo = "logo.svg"')
    first = network_apply(spec=parse_network(text, source="net.toml", base=tmp_path))
    site = Site.objects.get(code="JdT")
    assert (site.accent, site.font, site.face_wordmark) == ("#14428a", "slab", "Journal de Test")
    assert site.logo_size == (240, 48)
    assert site.favicon_file()[1] == "image/svg+xml"  # made from the code
    assert "JdT" in first.created
    again = network_apply(spec=parse_network(text, source="net.toml", base=tmp_path))
    assert "JdT" in again.unchanged
    changed = network_apply(
        spec=parse_network(text.replace("#14428a", "#0f6b5c"), source="net.toml", base=tmp_path)
    )
    assert "JdT" in changed.updated
    assert Site.objects.get(code="JdT").accent == "#0f6b5c"


def test_the_demo_sites_are_faces_of_one_house():
    spec = read_network_file(DEMO_NETWORK)
    faces = {site.code: site.face for site in spec.sites}
    assert len({f.accent for f in faces.values()}) == len(faces) == 5
    assert len({faces[code].font for code in ("CdB", "BDp", "GdR")}) == 3
    assert faces["GdR"].logo and faces["CdB"].favicon_type == "image/svg+xml"
    for face in faces.values():
        assert contrast_ratio(face.accent, "#ffffff") >= 4.5
