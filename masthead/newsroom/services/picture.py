"""Storing pictures received with wire stories."""

from __future__ import annotations

import hashlib
import io
from pathlib import PurePosixPath

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from PIL import Image, ImageOps, UnidentifiedImageError

from masthead.core.errors import WireError
from masthead.newsroom.models import Picture

MAX_PICTURE_BYTES = 20 * 1024 * 1024
_FORMATS = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp", "GIF": "gif"}
_LANCZOS = Image.Resampling.LANCZOS


def picture_create(
    *, data: bytes, name: str, guid: str, caption: str, credit: str, alt: str
) -> Picture:
    """Check the bytes are a real, sane image and store them. Raises WireError otherwise."""
    picture = picture_prepare(
        data=data, name=name, guid=guid, caption=caption, credit=credit, alt=alt
    )
    picture.save()
    return picture


def picture_prepare(
    *, data: bytes, name: str, guid: str, caption: str, credit: str, alt: str
) -> Picture:
    """The picture with its file and renditions written, not yet saved to the database:
    decoding and encoding take tenths of a second, which ingest spends before its transaction
    rather than while holding the database (SQLite's one writer). Raises WireError."""
    if not data:
        raise WireError(f"picture {name}: empty file")
    if len(data) > MAX_PICTURE_BYTES:
        raise WireError(f"picture {name}: larger than {MAX_PICTURE_BYTES // (1024 * 1024)} MB")
    limit = settings.MASTHEAD_PICTURE_MAX_PIXELS
    try:
        # Image.open reads the header only: the size is known before any pixel is decoded.
        with Image.open(io.BytesIO(data)) as image:
            kind = image.format or ""
            width, height = image.size
            if width * height <= limit:
                image.verify()
    except Image.DecompressionBombError:  # over twice Pillow's own limit (179 million)
        raise WireError(
            f"picture {name}: over the limit of {limit / 1e6:g} million pixels"
        ) from None
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
        raise WireError(f"picture {name}: not a readable image") from None
    if width * height > limit:
        # A few kilobytes of PNG can promise 59 million pixels, which the renditions would decode
        # (787 MB, 7.8 s: docs/reliability.md). Refused from the header; the story goes out
        # without it, as with any picture that fails.
        raise WireError(
            f"picture {name}: {width} x {height} pixels ({width * height / 1e6:.1f} million), "
            f"over the limit of {limit / 1e6:g} million"
        )
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
    picture.renditions = picture_renditions(data=data, name=f"{stem}-{digest}")
    return picture


def picture_renditions(*, data: bytes, name: str) -> list[dict[str, object]]:
    """Scaled copies in WebP and JPEG at the widths of MASTHEAD_RENDITION_WIDTHS that are
    smaller than the original (the original itself is never enlarged)."""
    out: list[dict[str, object]] = []
    with Image.open(io.BytesIO(data)) as source:
        image = ImageOps.exif_transpose(source)
        image = image.convert("RGB") if image.mode not in ("RGB",) else image
        widths = sorted({w for w in settings.MASTHEAD_RENDITION_WIDTHS if w < image.width})
        widths.append(image.width)  # the full width too, re-encoded small
        for width in widths:
            height = max(1, round(image.height * width / image.width))
            scaled = image if width == image.width else image.resize((width, height), _LANCZOS)
            entry: dict[str, object] = {"width": width, "height": height}
            for kind, fmt, options in (
                ("webp", "WEBP", {"quality": 78, "method": 4}),
                ("jpeg", "JPEG", {"quality": 80, "optimize": True, "progressive": True}),
            ):
                buffer = io.BytesIO()
                scaled.save(buffer, fmt, **options)
                path = f"pictures/r/{name}-{width}.{'jpg' if kind == 'jpeg' else kind}"
                if default_storage.exists(path):
                    default_storage.delete(path)
                entry[kind] = default_storage.save(path, ContentFile(buffer.getvalue()))
            out.append(entry)
    return out
