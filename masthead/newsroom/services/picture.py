"""Storing pictures received with wire stories."""

from __future__ import annotations

import hashlib
import io
from pathlib import PurePosixPath

from django.core.files.base import ContentFile
from PIL import Image, UnidentifiedImageError

from masthead.core.errors import WireError
from masthead.newsroom.models import Picture

MAX_PICTURE_BYTES = 20 * 1024 * 1024
MAX_PIXELS = 60_000_000
_FORMATS = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp", "GIF": "gif"}


def picture_create(
    *, data: bytes, name: str, guid: str, caption: str, credit: str, alt: str
) -> Picture:
    """Check the bytes are a real, sane image and store them. Raises WireError otherwise."""
    if not data:
        raise WireError(f"picture {name}: empty file")
    if len(data) > MAX_PICTURE_BYTES:
        raise WireError(f"picture {name}: larger than {MAX_PICTURE_BYTES // (1024 * 1024)} MB")
    try:
        with Image.open(io.BytesIO(data)) as image:
            if image.width * image.height > MAX_PIXELS:
                raise WireError(f"picture {name}: {image.width}x{image.height} pixels is too large")
            kind = image.format or ""
            width, height = image.size
            image.verify()
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        raise WireError(f"picture {name}: not a readable image") from None
    if kind not in _FORMATS:
        raise WireError(f"picture {name}: unsupported image format {kind or 'unknown'}")
    digest = hashlib.sha256(data).hexdigest()[:16]
    stem = PurePosixPath(name).stem[:40] or "picture"
    picture = Picture(
        guid=guid,
        caption=caption,
        credit=credit,
        alt=alt,
        size=len(data),
        width=width,
        height=height,
    )
    picture.file.save(f"{stem}-{digest}.{_FORMATS[kind]}", ContentFile(data), save=False)
    picture.save()
    return picture
