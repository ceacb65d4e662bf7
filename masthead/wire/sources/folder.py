"""Drop folders: agencies (or their relay) put files in `incoming/`; the worker takes them.

    FOLDER/incoming/    files arrive here (write as .tmp or .part, then rename, to be safe)
    FOLDER/work/        a file being ingested, renamed to claim it
    FOLDER/processed/   done; the day's subfolder, with the pictures the story used
    FOLDER/failed/      an item failed: the file, and NAME.reason saying why

A file is claimed by renaming it into `work/`: a rename is atomic, so when two workers watch the
same folder exactly one of them gets each file. It is moved on only after its items are
committed; a worker that dies mid-file leaves it in `work/`, and it goes back to `incoming/`
(ingest is idempotent, so a second pass is harmless): after DEAD_CLAIM_GRACE seconds when the
claim names a process of this machine that no longer runs, else after CLAIM_TIMEOUT (a claim
from another machine sharing the folder cannot be checked from here).
"""

from __future__ import annotations

import logging
import os
import socket
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.utils import timezone

from masthead.newsroom.events import article_events_batched
from masthead.wire.files import IGNORED_SUFFIXES, WireFile
from masthead.wire.models import WireAction
from masthead.wire.outcomes import Outcome
from masthead.wire.pipeline import BATCH_FILES, ingest_batch

log = logging.getLogger(__name__)
CLAIM_TIMEOUT = 600  # seconds a claimed file may stay in work/ before another worker retries it
DEAD_CLAIM_GRACE = 5  # seconds before the claim of a process found dead on this machine is undone
_HOST = socket.gethostname().replace(".", "_").replace("~", "_")[:60] or "host"
SETTLE = 1.0  # seconds a file must be left alone before it is taken (a copy may be running)
SUBFOLDERS = ("incoming", "work", "processed", "failed")


@dataclass
class FolderResult:
    taken: int = 0
    outcomes: list[Outcome] = field(default_factory=list)
    failed_files: list[str] = field(default_factory=list)


def folder_root(location: str) -> Path:
    """A source's folder: absolute as written, or relative to MASTHEAD_DATA_DIR."""
    path = Path(location).expanduser()
    return path if path.is_absolute() else Path(settings.DATA_DIR) / path


def folder_prepare(root: Path) -> None:
    for name in SUBFOLDERS:
        (root / name).mkdir(parents=True, exist_ok=True)


def folder_poll(
    *, root: Path, source: str, format: str | None = None, language: str = "", limit: int = 500
) -> FolderResult:
    """Ingest what waits in `incoming/`, oldest first, at most `limit` files."""
    folder_prepare(root)
    _recover_stale_claims(root)
    result = FolderResult()
    incoming = root / "incoming"
    now = time.time()
    candidates = []
    for entry in os.scandir(incoming):
        if not entry.is_file() or entry.name.startswith("."):
            continue
        if Path(entry.name).suffix.lower() in IGNORED_SUFFIXES:
            continue  # pictures wait for their story; partial uploads for their rename
        try:
            stat = entry.stat()
        except FileNotFoundError:
            continue  # taken by another worker since the listing
        if now - stat.st_mtime < SETTLE:
            continue
        candidates.append((stat.st_mtime, entry.name))
    names = [name for _, name in sorted(candidates)[:limit]]
    for start in range(0, len(names), BATCH_FILES):
        claimed = [
            (name, path)
            for name in names[start : start + BATCH_FILES]
            if (path := _claim(root, name)) is not None
        ]
        result.taken += len(claimed)
        files = [WireFile(path, str(incoming / name), incoming) for name, path in claimed]
        # Search index and page caches hear of the batch's changes together.
        with article_events_batched():
            per_file = ingest_batch(files, format=format, source=source, language=language)
        # Moved once the batch is committed and told to the caches: a file in processed/ is
        # live on every page that shows it.
        for (name, path), outcomes in zip(claimed, per_file, strict=True):
            result.outcomes.extend(outcomes)
            _file_away(root, name, path, outcomes, result)
    return result


def _claim(root: Path, name: str) -> Path | None:
    """Take the file for this worker (None: another took it first)."""
    # The claim time is in the name: a rename keeps the file's own (maybe old) mtime. So is the
    # claimer (machine~process~thread), so a claim left by a dead process is undone soon.
    owner = f"{_HOST}~{os.getpid()}~{threading.get_ident()}"
    claimed = root / "work" / f"{name}.{owner}.{int(time.time())}"
    try:
        os.rename(root / "incoming" / name, claimed)
    except FileNotFoundError:
        return None
    return claimed


def _file_away(
    root: Path, name: str, claimed: Path, outcomes: list[Outcome], result: FolderResult
) -> None:
    """To failed/ with the reason beside it, or to processed/ with its pictures."""
    failed = [o for o in outcomes if o.action == WireAction.FAILED]
    if failed:
        result.failed_files.append(name)
        _move(claimed, root / "failed", name)
        reason = "\n".join(o.line() for o in failed) + "\n"
        (root / "failed" / f"{name}.reason").write_text(reason, encoding="utf-8")
        return
    day = root / "processed" / timezone.now().strftime("%Y-%m-%d")
    _move(claimed, day, name)
    for outcome in outcomes:
        for picture in outcome.pictures:
            if picture.exists() and picture.parent == root / "incoming":
                _move(picture, day, picture.name)


def _move(path: Path, folder: Path, name: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / name
    if target.exists():  # the same name delivered again: keep both
        stem, suffix = os.path.splitext(name)
        target = folder / f"{stem}.{time.strftime('%H%M%S')}-{os.getpid()}{suffix}"
    os.replace(path, target)
    return target


def _claimer_is_dead(owner: str) -> bool:
    """True when the claim names a process of this machine that no longer runs."""
    host, _, rest = owner.partition("~")
    pid = rest.partition("~")[0]
    if host != _HOST or not pid.isdigit():
        return False
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return True
    except PermissionError:
        return False  # alive, under another user
    return False


def _recover_stale_claims(root: Path) -> None:
    now = time.time()
    for entry in os.scandir(root / "work"):
        parts = entry.name.rsplit(".", 2)  # NAME.OWNER.CLAIMED_AT
        if not entry.is_file() or len(parts) != 3 or not parts[2].isdigit():
            continue
        age = now - int(parts[2])
        if age < CLAIM_TIMEOUT and not (age >= DEAD_CLAIM_GRACE and _claimer_is_dead(parts[1])):
            continue
        try:
            os.rename(entry.path, root / "incoming" / parts[0])
        except FileNotFoundError:
            continue  # another worker recovered it
        log.warning("%s: %s went back to incoming/ after a stalled claim", root, parts[0])
