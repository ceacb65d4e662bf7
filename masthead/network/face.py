"""A site's face: its accent colour, wordmark, font stack, logo and favicon.

The values are checked when the network file is read (spec.py) and kept on the Site; the
reader's pages only ever print them from here, so what reaches a page's CSS is a validated
`#rrggbb` and one of the names in FONTS, never text from the file.
"""

from __future__ import annotations

import hashlib
import io
import re
from functools import lru_cache

# The wordmark's font stacks, by the name the network file uses. System fonts only: nothing is
# downloaded. The stacks themselves are in the reader's stylesheet (the .face-NAME classes).
FONTS = ("serif", "sans", "slab", "condensed", "didone")
HOUSE_ACCENT = "#0b4f8a"  # reader.css's --accent, for a site whose file gives none
WHITE = "#ffffff"
DARK_PAPER = "#121212"  # reader.css's --paper in the dark scheme
MIN_CONTRAST = 4.5  # WCAG 2 AA for body-size text
HEX_RE = re.compile(r"^#[0-9a-fA-F]{6}$")


def relative_luminance(colour: str) -> float:
    """WCAG 2's relative luminance of a `#rrggbb` colour."""
    channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast_ratio(first: str, second: str) -> float:
    """WCAG 2's contrast ratio of two `#rrggbb` colours, from 1 to 21."""
    a, b = sorted((relative_luminance(first), relative_luminance(second)), reverse=True)
    return (a + 0.05) / (b + 0.05)


# The functions below are asked on every page a site renders (its template, the security
# middleware's policy): pure functions of a site's few settings, each worked out once.
@lru_cache(maxsize=1024)
def face_css(*, accent: str, selector: str = ":root") -> str:
    """The one rule a page's <style> block carries for a face: the accent (--face-accent) and
    its lighter twin for dark pages (--face-accent-dark), which the stylesheet's --accent and
    --brand read."""
    if not HEX_RE.match(accent):
        raise ValueError(f"not a #rrggbb colour: {accent!r}")
    dark = dark_twin(accent)
    return f"{selector}{{--face-accent:{accent.lower()};--face-accent-dark:{dark}}}"


@lru_cache(maxsize=1024)
def dark_twin(accent: str) -> str:
    """The accent mixed with white until it reads on the dark scheme's paper (AA, 4.5:1):
    links and headings keep the site's hue at night instead of disappearing."""
    rgb = [int(accent[i : i + 2], 16) for i in (1, 3, 5)]
    for step in range(21):
        mixed = "#" + "".join(f"{round(c + (255 - c) * step / 20):02x}" for c in rgb)
        if contrast_ratio(mixed, DARK_PAPER) >= MIN_CONTRAST + 0.5:
            return mixed
    return "#ffffff"


@lru_cache(maxsize=1024)
def generated_favicon(*, code: str, accent: str) -> str:
    """An SVG favicon made from the site's code: its letters (up to three) in white on the
    accent, fitted to the square whatever the system's font (textLength)."""
    letters = _favicon_letters(code)
    colour = accent.lower() if HEX_RE.match(accent) else HOUSE_ACCENT
    size = {1: 40, 2: 30}.get(len(letters), 24)
    width = {1: 28, 2: 42}.get(len(letters), 52)
    return (
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 64 64">'
        f'<rect width="64" height="64" rx="12" fill="{colour}"/>'
        f'<text x="32" y="{32 + size * 0.36:.0f}" text-anchor="middle" fill="#fff" '
        f"font-family=\"system-ui, -apple-system, 'Segoe UI', Roboto, Arial, sans-serif\" "
        f'font-size="{size}" font-weight="700" textLength="{width}" '
        f'lengthAdjust="spacingAndGlyphs">{letters}</text></svg>'
    )


def _favicon_letters(code: str) -> str:
    return re.sub(r"[^A-Za-z0-9]", "", code)[:3] or "?"


# Drawn this many times larger, then scaled down: Pillow smooths text but not a shape's edges.
_OVERSAMPLE = 4


@lru_cache(maxsize=256)
def generated_favicon_png(*, code: str, accent: str, size: int, rounded: bool = True) -> bytes:
    """The generated favicon as a PNG `size` pixels square, for browsers without SVG icons
    and for home screens: the same letters, white on the accent, fitted to the same width.

    The font is Pillow's own (`ImageFont.load_default`, scalable since Pillow 10.1): no font
    file is looked for on the system, so every box draws the same icon. `rounded=False` fills
    the square to its corners, as a home-screen icon must (iOS rounds it, and paints
    transparent corners black). Kept once made: a request never redraws it."""
    from PIL import Image, ImageDraw, ImageFont

    letters = _favicon_letters(code)
    colour = accent.lower() if HEX_RE.match(accent) else HOUSE_ACCENT
    side = size * _OVERSAMPLE
    unit = side / 64  # the SVG's viewBox unit
    image = Image.new("RGBA", (side, side), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    if rounded:
        draw.rounded_rectangle((0, 0, side - 1, side - 1), radius=round(12 * unit), fill=colour)
    else:
        draw.rectangle((0, 0, side - 1, side - 1), fill=colour)
    # As in the SVG: a font size and a width per number of letters; the size is shrunk until
    # the letters fit that width (the SVG squeezes them instead, with textLength).
    font_size = {1: 40, 2: 30}.get(len(letters), 24) * unit * 1.1
    width = {1: 28, 2: 42}.get(len(letters), 52) * unit
    stroke = max(1, round(font_size / 28))  # Pillow's font has one weight: a thin outline bolds it
    font = ImageFont.load_default(size=font_size)
    left, top, right, bottom = draw.textbbox((0, 0), letters, font=font, stroke_width=stroke)
    if right - left > width:
        font_size *= width / (right - left)
        stroke = max(1, round(font_size / 28))
        font = ImageFont.load_default(size=font_size)
        left, top, right, bottom = draw.textbbox((0, 0), letters, font=font, stroke_width=stroke)
    origin = ((side - (right - left)) / 2 - left, (side - (bottom - top)) / 2 - top)
    draw.text(
        origin, letters, font=font, fill="#ffffff", stroke_width=stroke, stroke_fill="#ffffff"
    )
    image = image.resize((size, size), Image.Resampling.LANCZOS)
    if not rounded:
        image = image.convert("RGB")
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=True)
    return out.getvalue()


@lru_cache(maxsize=1024)
def version(data: str | bytes) -> str:
    """A short digest for a file's address (`/favicon.svg?v=...`): a changed icon is a new URL."""
    raw = data.encode("utf-8") if isinstance(data, str) else data
    return hashlib.blake2b(raw, digest_size=5).hexdigest()
