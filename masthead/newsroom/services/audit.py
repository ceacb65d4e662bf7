"""The newsroom's audit log: one entry per change a person or the schedule makes."""

from __future__ import annotations

from masthead.network.models import Site
from masthead.network.services import NetworkChanges
from masthead.newsroom.models import Article, AuditEntry, Story


def audit_record(
    *,
    actor: str,
    action: str,
    article: Article | None = None,
    story: Story | None = None,
    detail: str = "",
    site: Site | None = None,
) -> AuditEntry:
    """Write one entry, in the caller's transaction (a rolled-back change leaves none).
    `site`: for an entry about a site but no article (an API token's use)."""
    return AuditEntry.objects.create(
        actor=actor[:150],
        action=action[:40],
        article=article,
        story=story if story is not None else (article.story if article is not None else None),
        site_id=article.site_id if article is not None else (site.pk if site else None),
        detail=detail[:300],
    )


def network_load_record(*, changes: NetworkChanges, actor: str, source: str = "") -> AuditEntry:
    """One row for a load of the network file, with what it changed; a network row (no
    article, story or site), for site admins and superusers. Called by the network app
    through settings.MASTHEAD_NETWORK_RECORDERS, in the load's transaction."""
    summary = changes.changed_summary()
    return audit_record(
        actor=actor or "command",
        action="network load",
        detail=f"{source}: {summary}" if source else summary,
    )
