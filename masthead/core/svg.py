"""SVG pictures an operator supplies (a site's logo, its favicon), made safe to serve.

An SVG is a document that can run scripts, load other files and restyle itself. A logo is
none of that: shapes, text, gradients. So an SVG is read with every dangerous parser feature
off and rebuilt from an allow-list: what a drawing needs is kept; what only an attack or an
editor's bookkeeping needs is either refused, with one line saying what (a script, an event
handler, a link out, a style sheet), or dropped when it is harmless noise (Inkscape's and
Illustrator's metadata, comments, unknown attributes).
"""

from __future__ import annotations

import re

from lxml import etree

SVG_NS = "http://www.w3.org/2000/svg"
XLINK_NS = "http://www.w3.org/1999/xlink"
MAX_BYTES = 64 * 1024

ELEMENTS = {
    "svg", "g", "defs", "symbol", "use", "title", "desc",
    "path", "rect", "circle", "ellipse", "line", "polyline", "polygon",
    "text", "tspan", "textPath",
    "linearGradient", "radialGradient", "stop", "clipPath", "mask", "pattern",
}  # fmt: skip
# Refused by name: each can run code, load something, or change a link's target.
HOSTILE = {
    "script", "foreignObject", "iframe", "embed", "object", "image", "feImage", "a",
    "style", "set", "animate", "animateMotion", "animateTransform", "handler", "listener",
}  # fmt: skip
ATTRIBUTES = {
    "id", "class", "viewBox", "preserveAspectRatio", "version", "width", "height",
    "x", "y", "x1", "y1", "x2", "y2", "cx", "cy", "r", "rx", "ry", "fx", "fy", "d", "points",
    "transform", "fill", "fill-opacity", "fill-rule", "stroke", "stroke-width",
    "stroke-linecap", "stroke-linejoin", "stroke-opacity", "stroke-dasharray",
    "stroke-dashoffset", "stroke-miterlimit", "opacity", "clip-path", "clip-rule", "mask",
    "paint-order", "vector-effect", "font-family", "font-size", "font-weight", "font-style",
    "font-stretch", "font-variant", "letter-spacing", "word-spacing", "text-anchor",
    "dominant-baseline", "alignment-baseline", "textLength", "lengthAdjust", "dx", "dy",
    "rotate", "offset", "stop-color", "stop-opacity", "gradientUnits", "gradientTransform",
    "spreadMethod", "clipPathUnits", "maskUnits", "maskContentUnits", "patternUnits",
    "patternContentUnits", "patternTransform", "href", "role", "aria-label", "aria-hidden",
    "focusable",
}  # fmt: skip
_TEXT = {"text", "tspan", "textPath", "title", "desc"}
_URL = re.compile(r"url\(\s*(['\"]?)\s*([^)'\"]*)", re.IGNORECASE)
_NUMBER = r"[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?"
_VIEWBOX = re.compile(rf"^\s*({_NUMBER})[\s,]+({_NUMBER})[\s,]+({_NUMBER})[\s,]+({_NUMBER})\s*$")


class UnsafeSVG(ValueError):
    """The file is no SVG, or holds something a logo may not (one line saying what)."""


def svg_clean(data: bytes) -> str:
    """The SVG as safe markup (its root an <svg> with a viewBox), or UnsafeSVG."""
    if len(data) > MAX_BYTES:
        raise UnsafeSVG(f"is larger than {MAX_BYTES // 1024} KB")
    if re.search(rb"<!(DOCTYPE|ENTITY)", data, re.IGNORECASE):
        raise UnsafeSVG("declares a DOCTYPE or entities (not allowed in an SVG logo)")
    parser = etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        huge_tree=False,
        remove_comments=True,
        remove_pis=True,
    )
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError as exc:
        raise UnsafeSVG(f"is not well-formed XML: {exc.msg}") from None
    if etree.QName(root).localname != "svg" or etree.QName(root).namespace != SVG_NS:
        raise UnsafeSVG(f"is not an SVG (its root is <{etree.QName(root).localname}>)")
    if svg_size(root.get("viewBox", "")) is None:
        raise UnsafeSVG('needs a viewBox="0 0 WIDTH HEIGHT" with a positive width and height')
    clean = _copy(root)
    return etree.tostring(clean, encoding="unicode")


def svg_size(viewbox: str) -> tuple[float, float] | None:
    """(width, height) of a viewBox, None when it is not one with a positive size."""
    match = _VIEWBOX.match(viewbox or "")
    if not match:
        return None
    width, height = float(match.group(3)), float(match.group(4))
    return (width, height) if width > 0 and height > 0 else None


def _copy(element: etree._Element) -> etree._Element:
    name = etree.QName(element).localname
    out = etree.Element(f"{{{SVG_NS}}}{name}", nsmap={None: SVG_NS} if name == "svg" else None)
    for key, value in element.attrib.items():
        qname = etree.QName(key)
        local, namespace = qname.localname, qname.namespace
        if local.lower().startswith("on"):
            raise UnsafeSVG(f"<{name}> has an event handler ({local}): scripts are not allowed")
        if local == "style":
            raise UnsafeSVG(f"<{name}> has a style attribute: write fill=, stroke= ... instead")
        if namespace not in (None, XLINK_NS) or local not in ATTRIBUTES:
            continue  # an editor's bookkeeping (inkscape:label, data-name): harmless, dropped
        if local == "href" and not value.strip().startswith("#"):
            raise UnsafeSVG(f"<{name}> links to {value[:60]!r}: only #references are allowed")
        for _quote, target in _URL.findall(value):
            if not target.strip().startswith("#"):
                raise UnsafeSVG(f"<{name}> {local} refers to {target[:60]!r}: only url(#id)")
        if re.search(r"javascript:|data:", value, re.IGNORECASE):
            raise UnsafeSVG(f"<{name}> {local} holds a javascript: or data: address")
        out.set(local, value)  # xlink:href is written href, as SVG 2 and every browser read it
    if element.text and element.text.strip() and name in _TEXT:
        out.text = element.text
    for child in element:
        if not isinstance(child.tag, str):
            continue  # comments and processing instructions were removed by the parser
        child_name = etree.QName(child).localname
        if child_name in HOSTILE:
            raise UnsafeSVG(f"contains <{child_name}>, which is not allowed in an SVG logo")
        if etree.QName(child).namespace != SVG_NS or child_name not in ELEMENTS:
            continue  # <metadata>, <sodipodi:namedview> ...: dropped
        copied = _copy(child)
        copied.tail = child.tail if child.tail and child.tail.strip() else None
        out.append(copied)
    return out
