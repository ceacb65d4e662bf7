"""The wire log: a WireItem for every item received, with its payload and what became of it."""

from __future__ import annotations

from masthead.newsroom.items import ParsedItem
from masthead.newsroom.services.story import ApplyResult
from masthead.wire.models import WireAction, WireItem
from masthead.wire.outcomes import Outcome


def wireitem_build(
    item: ParsedItem, result: ApplyResult, outcome: Outcome, *, source: str
) -> WireItem:
    return WireItem(
        source=source[:200],
        filename=outcome.file[:500],
        format=item.format,
        provider=item.provider,
        guid=item.guid,
        version=item.version,
        action=result.action,
        note=outcome.note[:300],
        story=result.story,
        article_ids=outcome.article_ids,
        payload=item.raw,
    )


def wireitem_failed(
    file: str, source: str, error: str, *, payload: bytes, item: ParsedItem | None = None
) -> Outcome:
    WireItem.objects.create(
        source=source[:200],
        filename=file[:500],
        format=item.format[:32] if item else "",
        provider=item.provider[:64] if item else "",
        guid=item.guid[:500] if item else "",
        version=item.version if item else None,
        action=WireAction.FAILED,
        error=error,
        payload=payload.decode("utf-8", "replace")[:5_000_000],
    )
    return Outcome(
        file=file,
        action=WireAction.FAILED,
        guid=item.guid if item else "",
        version=item.version if item else None,
        error=error,
    )
