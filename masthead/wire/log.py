"""The wire log: a WireItem for every item received, with its payload and what became of it."""

from __future__ import annotations

from masthead.core.memo import remember
from masthead.network.models import Site
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
        headline=item.headline[:300],
        language=item.language[:12],
        sites=site_codes([a.site_id for a in result.articles]),
        action=result.action,
        note=outcome.note[:300],
        story=result.story,
        article_ids=outcome.article_ids,
        payload=item.raw.replace("\x00", "\ufffd"),  # PostgreSQL keeps no NUL in text
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
        # Text as far as it is text: PostgreSQL keeps no NUL in a text column, and a binary
        # file's bytes are kept only as a reader would see them.
        payload=payload.decode("utf-8", "replace").replace("\x00", "\ufffd")[:5_000_000],
    )
    return Outcome(
        file=file,
        action=WireAction.FAILED,
        guid=item.guid if item else "",
        version=item.version if item else None,
        error=error,
    )


def site_codes(site_ids: list[int]) -> str:
    """ "CdB GdR": the codes of these sites, from a table kept for a few seconds (an item's
    articles do not always come with their site loaded)."""
    if not site_ids:
        return ""
    codes = remember(("site-codes",), 30, lambda: dict(Site.objects.values_list("pk", "code")))
    return " ".join(sorted({codes.get(pk, str(pk)) for pk in site_ids}))[:200]
