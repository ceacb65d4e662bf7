"""A story's picture, made ready before the item's transaction: downloaded (a remote
rendition) or read from beside the wire file, checked, and turned into renditions; inside the
transaction only its row is saved."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from django.conf import settings

from masthead.core.errors import MastheadError, WireError
from masthead.newsroom.items import ParsedItem, ParsedPicture
from masthead.newsroom.models import Picture
from masthead.newsroom.services.picture import picture_prepare
from masthead.wire.sources.http import picture_fetch


@dataclass
class PreparedPicture:
    """A story's picture as ingest has it before its transaction: one already stored, or a
    new one with its files written and not yet saved; `file` is the picture file read from
    beside the wire file (a drop folder moves it along)."""

    picture: Picture | None = None
    file: Path | None = None
    new: bool = False  # made here, to be saved in the transaction (not one already stored)


def picture_for_item(
    item: ParsedItem, *, base: Path | None, remote: bytes | None
) -> PreparedPicture:
    if not item.pictures:
        return PreparedPicture()
    parsed = item.pictures[0]
    rendition = parsed.best_rendition()
    if rendition is None:
        return PreparedPicture()
    href = rendition.href
    if _is_remote(href):
        guid = parsed.guid or href[:500]
        existing = Picture.objects.filter(guid=guid).first()
        if existing is not None or remote is None:
            return PreparedPicture(existing)
        return PreparedPicture(_picture(parsed, remote, name=_url_name(href), guid=guid), new=True)
    if base is None:
        raise WireError(f"picture {href}: relative path with no folder to read it from")
    target = (base / href).resolve()
    if not target.is_relative_to(base.resolve()):
        raise WireError(f"picture {href}: path leaves the wire file's folder")
    try:
        data = target.read_bytes()
    except OSError:
        raise WireError(f"picture {href}: not found beside the wire file") from None
    existing = Picture.objects.filter(guid=parsed.guid).first() if parsed.guid else None
    if existing is not None:
        return PreparedPicture(existing, target)
    return PreparedPicture(
        _picture(parsed, data, name=target.name, guid=parsed.guid), target, new=True
    )


def _picture(parsed: ParsedPicture, data: bytes, *, name: str, guid: str) -> Picture:
    return picture_prepare(
        data=data,
        name=name,
        guid=guid,
        caption=parsed.caption,
        credit=parsed.credit,
        alt=parsed.alt,
    )


def picture_saved(prepared: PreparedPicture) -> Picture | None:
    """The prepared picture in the database (inside the item's transaction): the one another
    worker stored meanwhile under the same guid, else this one."""
    picture = prepared.picture
    if picture is None or not prepared.new:
        return picture
    # A retry after a rolled-back attempt: the row saved then is gone, whatever its pk says.
    picture.pk = None
    picture._state.adding = True
    if picture.guid:
        existing = Picture.objects.filter(guid=picture.guid).first()
        if existing is not None:
            return existing
    picture.save()
    return picture


def _is_remote(href: str) -> bool:
    return "://" in href or href.startswith("//")


def _url_name(url: str) -> str:
    return (url.split("?", 1)[0].rstrip("/").rsplit("/", 1)[-1] or "picture.jpg")[:100]


def picture_download(item: ParsedItem) -> tuple[bytes | None, str]:
    """The bytes of the item's remote picture, when it has one not yet stored."""
    if not item.pictures or not settings.MASTHEAD_WIRE_FETCH_PICTURES:
        return None, ""
    parsed = item.pictures[0]
    rendition = parsed.best_rendition()
    if rendition is None or not _is_remote(rendition.href):
        return None, ""
    url = "https:" + rendition.href if rendition.href.startswith("//") else rendition.href
    if Picture.objects.filter(guid=parsed.guid or url[:500]).exists():
        return None, ""
    try:
        data = picture_fetch(
            url=url,
            timeout=settings.MASTHEAD_WIRE_FETCH_TIMEOUT,
            max_bytes=settings.MASTHEAD_WIRE_PICTURE_MAX_BYTES,
            public_only=not settings.MASTHEAD_WIRE_FETCH_PRIVATE,
        )
    except MastheadError as exc:  # FetchError, or WireError for what came back
        return None, str(exc)  # the story goes out without its picture, and says why
    return data, ""
