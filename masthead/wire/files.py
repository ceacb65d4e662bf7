"""Wire files on disk: which files a path holds, and reading one within the size limit."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings

from masthead.core.errors import WireError
from masthead.core.http import size_text

IGNORED_SUFFIXES = {".jpg", ".jpeg", ".png", ".webp", ".gif", ".reason", ".tmp", ".part"}


@dataclass(frozen=True)
class WireFile:
    path: Path  # where to read it
    name: str  # how outcomes and the wire log name it
    base: Path | None  # where pictures named by a relative path are


def wire_files(paths: Iterable[Path]) -> Iterator[Path]:
    """The files to ingest: the paths given, folders expanded (sorted, pictures skipped)."""
    for path in paths:
        if path.is_dir():
            for child in sorted(p for p in path.rglob("*") if p.is_file()):
                if child.suffix.lower() not in IGNORED_SUFFIXES and not child.name.startswith("."):
                    yield child
        else:
            yield path


def read_wire_file(path: Path) -> bytes:
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise WireError(f"cannot read: {exc.strerror}") from None
    limit = settings.MASTHEAD_WIRE_MAX_BYTES
    if size > limit:
        raise WireError(f"file is {size_text(size)}, over the {size_text(limit)} limit")
    if size == 0:
        raise WireError("empty file")
    try:
        return path.read_bytes()
    except OSError as exc:
        raise WireError(f"cannot read: {exc.strerror}") from None
