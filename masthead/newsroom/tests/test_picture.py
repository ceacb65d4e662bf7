import io

import pytest
from django.core.files.storage import default_storage
from PIL import Image

from masthead.core.errors import WireError
from masthead.demo.pictures import demo_picture
from masthead.newsroom.services.picture import picture_create


def _create(data: bytes, **extra):
    fields = {"name": "p.jpg", "guid": "g", "caption": "c", "credit": "x", "alt": "a"} | extra
    return picture_create(data=data, **fields)


@pytest.mark.django_db
def test_renditions_are_made_once_at_ingest(settings) -> None:
    settings.MASTHEAD_RENDITION_WIDTHS = [320, 640, 4000]
    picture = _create(demo_picture("x"))
    assert [(r["width"], r["height"]) for r in picture.renditions] == [
        (320, 180),
        (640, 360),
        (1200, 675),
    ]
    for rendition in picture.renditions:
        for kind, fmt in (("webp", "WEBP"), ("jpeg", "JPEG")):
            with default_storage.open(rendition[kind]) as handle, Image.open(handle) as image:
                assert (image.format, image.width) == (fmt, rendition["width"])
    assert picture.webp_srcset.count("w,") == 2 and picture.webp_srcset.endswith(" 1200w")
    assert picture.fallback_url.endswith("-1200.jpg")


@pytest.mark.django_db
def test_png_with_transparency_gets_renditions() -> None:
    buffer = io.BytesIO()
    Image.new("RGBA", (800, 600), (10, 20, 30, 0)).save(buffer, "PNG")
    picture = _create(buffer.getvalue(), name="logo.png")
    assert picture.renditions and picture.renditions[0]["jpeg"].endswith(".jpg")


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "empty file"),
        (b"GIF89a not really", "not a readable image"),
        (b"\x89PNG\r\n\x1a\n" + b"\x00" * 100, "not a readable image"),
    ],
)
@pytest.mark.django_db
def test_bad_pictures_are_refused(data: bytes, message: str) -> None:
    with pytest.raises(WireError, match=message):
        _create(data)
