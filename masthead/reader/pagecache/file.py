"""Pages as files under the data dir: shared by every process of one machine.

    ROOT/p/ab/abcdef...   one page (a JSON line, then its bodies)
    ROOT/t/<tag>/abcdef   empty marker: page abcdef carries <tag>

A write goes to a temporary file renamed into place, so a reader sees a whole page or none.
A purge deletes the pages named under the tag, then the markers.
"""

from __future__ import annotations

import os
import re
import shutil
import tempfile
import time
from collections.abc import Iterable
from pathlib import Path

from django.conf import settings

from masthead.reader.pagecache.base import CachedPage, PageCache

_SAFE_TAG = re.compile(r"[^A-Za-z0-9_.-]")


class FilePageCache(PageCache):
    def __init__(self, location: str = "") -> None:
        self.root = Path(location) if location else Path(settings.DATA_DIR) / "pagecache"

    def _page(self, key: str) -> Path:
        return self.root / "p" / key[:2] / key

    def _tag(self, tag: str) -> Path:
        return self.root / "t" / _SAFE_TAG.sub("_", tag)[:200]

    def get(self, key: str) -> CachedPage | None:
        try:
            with open(self._page(key), "rb") as handle:
                data = handle.read()
            page = CachedPage.loads(data)
        except (OSError, ValueError):
            return None
        return page if page.fresh() else None

    def set(self, key: str, page: CachedPage) -> None:
        path = self._page(key)
        path.parent.mkdir(parents=True, exist_ok=True)
        for tag in page.tags:  # markers first: a purge racing this write still finds the page
            folder = self._tag(tag)
            folder.mkdir(parents=True, exist_ok=True)
            (folder / key).touch()
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
        try:
            with os.fdopen(fd, "wb") as handle:
                handle.write(page.dumps())
            os.replace(tmp, path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise

    def generation(self) -> str:
        try:
            return str(os.stat(self.root / "generation").st_mtime_ns)
        except FileNotFoundError:
            return "0"

    def _bump(self) -> None:
        self.root.mkdir(parents=True, exist_ok=True)
        marker = self.root / "generation"
        marker.write_text(str(time.time_ns()))
        now = time.time_ns()
        os.utime(marker, ns=(now, now))

    def purge(self, tags: Iterable[str]) -> int:
        tags = list(tags)
        if tags:
            self._bump()  # before the deletes: no process may keep serving its copy
        dropped = 0
        for tag in tags:
            folder = self._tag(tag)
            try:
                markers = list(os.scandir(folder))
            except FileNotFoundError:
                continue
            for marker in markers:
                try:
                    self._page(marker.name).unlink()
                    dropped += 1
                except FileNotFoundError:
                    pass
                Path(marker.path).unlink(missing_ok=True)
        if tags:
            # Again after: a process that reloaded a page between the first bump and its
            # deletion must not keep that copy.
            self._bump()
        return dropped

    def clear(self) -> None:
        shutil.rmtree(self.root, ignore_errors=True)
        self._bump()
