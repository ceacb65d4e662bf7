"""Pages as files under the data dir: shared by every process of one machine.

    ROOT/p/ab/abcdef...   one page (a JSON line, then its bodies)
    ROOT/t/<tag>/abcdef   empty marker: page abcdef carries <tag>

A write goes to a temporary file renamed into place, so a reader sees a whole page or none.
A purge deletes the pages named under the tag, then the markers.

The store is bounded by bytes (`max_bytes`, MASTHEAD_PAGE_CACHE_MAX_MB). Each page file's
modification time is set to the moment it may be deleted (its expiry plus `stale_seconds`), so
one pass over the directory with stat() alone knows what every file is worth: a sweep deletes
the dead files, then, if the rest is over 7/8 of the budget, the ones that die soonest (expired
copies first) until 3/4 is left. Each process sweeps after it has written 1/16 of the budget (and
on its first write), holding a lock so that two processes never sweep at once; the store then
stays under the budget with two processes writing at once, each more adding at most 1/16.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import re
import shutil
import tempfile
import threading
import time
from collections.abc import Iterable
from pathlib import Path

from django.conf import settings

from masthead.delivery.pagecache.base import CachedPage, PageCache

_SAFE_TAG = re.compile(r"[^A-Za-z0-9_.-]")
SWEEP_AT = 7 / 8  # of the budget: a sweep evicts only above this ...
SWEEP_TO = 3 / 4  # ... and then down to this
SWEEP_EVERY = 1 / 16  # of the budget, written by one process between two sweeps


class FilePageCache(PageCache):
    def __init__(
        self,
        location: str = "",
        max_bytes: int | None = None,
        stale_seconds: float | None = None,
    ) -> None:
        self.root = Path(location) if location else Path(settings.DATA_DIR) / "pagecache"
        self._generation_file = str(self.root / "generation")
        self.max_bytes = (
            int(settings.MASTHEAD_PAGE_CACHE_MAX_MB * 1024 * 1024)
            if max_bytes is None
            else max_bytes
        )
        self.stale_seconds = (
            settings.MASTHEAD_PAGE_CACHE_STALE_SECONDS if stale_seconds is None else stale_seconds
        )
        self._lock = threading.Lock()
        self._written = self.max_bytes  # so that this process's first write sweeps

    def _page(self, key: str) -> Path:
        return self.root / "p" / key[:2] / key

    def _tag(self, tag: str) -> Path:
        return self.root / "t" / _SAFE_TAG.sub("_", tag)[:200]

    def _read(self, key: str) -> CachedPage | None:
        path = self._page(key)
        try:
            with open(path, "rb") as handle:
                data = handle.read()
            page = CachedPage.loads(data)
        except (OSError, ValueError):
            return None
        if not page.usable_stale(self.stale_seconds):
            self._drop(str(path), key)  # dead: nobody will ever be answered with it
            return None
        return page

    def get(self, key: str) -> CachedPage | None:
        page = self._read(key)
        return page if page is not None and page.fresh() else None

    def get_stale(self, key: str) -> CachedPage | None:
        return self._read(key)

    def set(self, key: str, page: CachedPage) -> None:
        path = self._page(key)
        self._mark(key, page.tags)  # first: a purge racing this write still finds the page
        path.parent.mkdir(parents=True, exist_ok=True)
        data = page.dumps()
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
        try:
            with os.fdopen(fd, "wb") as handle:
                handle.write(data)
            dies = page.expires_at + self.stale_seconds
            os.utime(tmp, (time.time(), dies))  # what a sweep reads, without opening it
            os.replace(tmp, path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
        # And again: a sweep that dropped the old copy of this page meanwhile took its markers.
        self._mark(key, page.tags)
        with self._lock:
            self._written += len(data)
            due = self._written >= self.max_bytes * SWEEP_EVERY
            if due:
                self._written = 0
        if due:
            self.sweep()

    def _mark(self, key: str, tags: Iterable[str]) -> None:
        for tag in tags:
            marker = self._tag(tag) / key
            try:
                marker.touch()
            except FileNotFoundError:
                marker.parent.mkdir(parents=True, exist_ok=True)
                marker.touch()

    def sweep(self) -> int:
        """Delete dead pages, then the soonest to die while over the budget; the number
        deleted. Returns 0 at once when another process is sweeping."""
        self.root.mkdir(parents=True, exist_ok=True)
        with open(self.root / "sweep.lock", "a+b") as lock:
            try:
                fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                return 0
            try:
                return self._sweep()
            finally:
                fcntl.flock(lock, fcntl.LOCK_UN)

    def _sweep(self) -> int:
        now = time.time()
        live: list[tuple[float, int, str, str]] = []  # (dies at, bytes, path, key)
        total = dropped = 0
        try:
            shards = list(os.scandir(self.root / "p"))
        except FileNotFoundError:
            return 0
        for shard in shards:
            try:
                entries = list(os.scandir(shard.path))
            except (FileNotFoundError, NotADirectoryError):
                continue
            for entry in entries:
                try:
                    stat = entry.stat(follow_symlinks=False)
                except FileNotFoundError:
                    continue
                if entry.name.startswith(".tmp-"):
                    if stat.st_ctime < now - 60:  # left by a process killed mid-write
                        Path(entry.path).unlink(missing_ok=True)
                    continue
                if stat.st_mtime <= now:
                    dropped += self._drop(entry.path, entry.name)
                    continue
                live.append((stat.st_mtime, stat.st_size, entry.path, entry.name))
                total += stat.st_size
        if total > self.max_bytes * SWEEP_AT:
            live.sort()
            for _, size, path, key in live:
                if total <= self.max_bytes * SWEEP_TO:
                    break
                dropped += self._drop(path, key)
                total -= size
        return dropped

    def _drop(self, path: str, key: str) -> int:
        """Delete one page file and its tag markers; 1 if it was there."""
        try:
            with open(path, "rb") as handle:
                tags = json.loads(handle.readline()).get("tags", [])
        except (OSError, ValueError, AttributeError):
            tags = []
        try:
            os.unlink(path)
        except FileNotFoundError:
            return 0
        for tag in tags:
            folder = self._tag(tag)
            (folder / key).unlink(missing_ok=True)
            with contextlib.suppress(OSError):
                folder.rmdir()  # only when that was its last page
        return 1

    def generation(self) -> str:
        try:
            # A string path: a hit asks this once, and pathlib's join cost more than the stat.
            return str(os.stat(self._generation_file).st_mtime_ns)
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
            self.local_purges += 1
        dropped = 0
        for tag in tags:
            folder = self._tag(tag)
            try:
                markers = list(os.scandir(folder))
            except FileNotFoundError:
                continue
            for marker in markers:
                # The marker first: a set() of this page finishing in between marks it again
                # after writing it, so no page is ever left that no purge can reach.
                Path(marker.path).unlink(missing_ok=True)
                try:
                    self._page(marker.name).unlink()
                    dropped += 1
                except FileNotFoundError:
                    pass
        if tags:
            # Again after: a process that reloaded a page between the first bump and its
            # deletion must not keep that copy.
            self._bump()
            self.local_purges += 1
        return dropped

    def clear(self) -> None:
        self.local_purges += 1
        shutil.rmtree(self.root, ignore_errors=True)
        self._bump()
        self.local_purges += 1
