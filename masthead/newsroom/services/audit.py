"""The newsroom's audit log: one entry per change a person or the schedule makes."""

from __future__ import annotations

from masthead.newsroom.models import Article, AuditEntry, Story


def audit_record(
    *,
    actor: str,
    action: str,
    article: Article | None = None,
    story: Story | None = None,
    detail: str = "",
) -> AuditEntry:
    """Write one entry, in the caller's transaction (a rolled-back change leaves none)."""
    return AuditEntry.objects.create(
        actor=actor[:150],
        action=action[:40],
        article=article,
        story=story if story is not None else (article.story if article is not None else None),
        site_id=article.site_id if article is not None else None,
        detail=detail[:300],
    )
