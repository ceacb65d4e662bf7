"""Pictures for the demo stories, drawn here (nothing downloaded): abstract compositions
whose colours and shapes follow from the story's id, so each story keeps its own picture."""

from __future__ import annotations

import hashlib
import io
import random

from PIL import Image, ImageDraw, ImageFilter

PALETTES = [
    ((18, 52, 86), (240, 160, 75)),
    ((40, 70, 40), (220, 220, 170)),
    ((90, 20, 40), (250, 200, 200)),
    ((30, 30, 60), (120, 200, 230)),
    ((70, 50, 30), (230, 210, 160)),
    ((10, 80, 90), (250, 240, 220)),
]


def demo_picture(key: str, *, width: int = 1200, height: int = 675) -> bytes:
    rng = random.Random(int(hashlib.sha256(key.encode()).hexdigest(), 16))  # noqa: S311 (art, not crypto)
    dark, light = rng.choice(PALETTES)
    image = Image.new("RGB", (width, height), dark)
    draw = ImageDraw.Draw(image)
    for y in range(height):  # vertical gradient, dark to light
        t = y / height
        draw.line(
            [(0, y), (width, y)],
            fill=tuple(int(d + (li - d) * t * 0.6) for d, li in zip(dark, light, strict=True)),
        )
    for _ in range(rng.randint(5, 9)):
        x, y = rng.randint(-100, width), rng.randint(-100, height)
        size = rng.randint(80, 380)
        colour = tuple(
            min(255, c + rng.randint(-40, 40)) for c in (light if rng.random() < 0.5 else dark)
        )
        if rng.random() < 0.5:
            draw.ellipse([x, y, x + size, y + size], fill=colour)
        else:
            draw.rectangle([x, y, x + size * 1.6, y + size // 2], fill=colour)
    image = image.filter(ImageFilter.GaussianBlur(radius=2))
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=78, optimize=True, progressive=True)
    return buffer.getvalue()
