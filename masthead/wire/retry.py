"""Trying a failed wire file again, once its cause is fixed (a parser, a route, a picture).

A file from a drop folder went to its `failed/` folder with its reason: it goes back to
`incoming/` as it was, byte for byte, and the worker takes it on its next round. Any other
failed file (given to `masthead ingest`, pulled from a feed) is ingested again now from the copy
the wire log kept of it.
"""

from __future__ import annotations

import tempfile
from dataclasses import dataclass
from pathlib import Path

from masthead.core.errors import WireError
from masthead.wire.models import WireAction, WireItem
from masthead.wire.outcomes import Outcome
from masthead.wire.pipeline import ingest_paths


@dataclass
class RetryResult:
    requeued: Path | None = None  # back in a drop folder's incoming/
    outcomes: list[Outcome] | None = None  # ingested again now


def wireitem_retry(*, item: WireItem, actor: str) -> RetryResult:
    """Try a failed item's file again. WireError when there is nothing to try."""
    if item.action != WireAction.FAILED:
        raise WireError(f"{item.filename}: only a failed item is tried again")
    incoming = Path(item.filename)
    failed = incoming.parent.parent / "failed" / incoming.name
    if incoming.parent.name == "incoming" and failed.is_file():
        failed.replace(incoming)
        failed.with_name(failed.name + ".reason").unlink(missing_ok=True)
        return RetryResult(requeued=incoming)
    if not item.payload:
        raise WireError(f"{item.filename}: the wire log kept no copy of it to try again")
    with tempfile.TemporaryDirectory(prefix="masthead-retry-") as folder:
        path = Path(folder) / (incoming.name or "retried")
        path.write_text(item.payload, encoding="utf-8")
        outcomes = list(ingest_paths([path], source=f"retry by {actor}"[:200]))
    return RetryResult(outcomes=outcomes)
