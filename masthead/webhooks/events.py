"""Article changes become webhook deliveries.

`webhooks_article_changed` is listed in settings.MASTHEAD_ARTICLE_LISTENERS: the newsroom
calls it with the changed articles' ids after commit. It only writes rows (one read of the
articles for the whole batch, then a bulk insert) and asks the worker to send them: ingest
never waits on a receiver.

What happened to an article is told from what the webhooks last saw of it (`ArticleSeen`):
- published now, not before: `published`;
- published before and now, with a newer Correction row: `corrected`;
- published before and now, with another `updated_at`: `updated`;
- killed now, not before, and once published: `killed`.
Other changes (withheld, draft, embargoed, an edit that did not move `updated_at`) send nothing.

Two listeners can read one change (two ingest workers after two commits close together, or
the listener called twice): both may find `ArticleSeen` as it was before and tell the same
event. Each delivery carries a key of the change (`_dedupe_key`), unique per webhook, and the
insert skips a key already there: one delivery per webhook and change, whoever wrote it first.
"""

from __future__ import annotations

import json
import uuid
from datetime import datetime
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import OuterRef, Subquery
from django.utils import timezone

from masthead.newsroom.models import Article, ArticleStatus, Correction
from masthead.webhooks.models import ArticleSeen, Delivery, Event, Webhook


def article_event(
    *,
    status: str,
    published_at: datetime | None,
    updated_at: datetime | None,
    correction_id: int | None,
    seen: ArticleSeen | None,
) -> str | None:
    """The event a change of an article is, from its state now and the state last seen."""
    if status == ArticleStatus.KILLED:
        if published_at is None or (seen is not None and seen.status == ArticleStatus.KILLED):
            return None
        return Event.KILLED
    if status != ArticleStatus.PUBLISHED:
        return None
    # Never seen: new, or changed for the first time since a webhook was declared (a wire
    # article's updated_at is its version's time, so it cannot tell the two apart).
    if seen is None or seen.status != ArticleStatus.PUBLISHED:
        return Event.PUBLISHED
    if correction_id is not None and correction_id != seen.correction_id:
        return Event.CORRECTED
    if updated_at != seen.updated_at:
        return Event.UPDATED
    return None


def webhooks_article_changed(*, article_ids: list[int], now: datetime | None = None) -> int:
    """Queue a delivery per (webhook, event) for these articles; the number queued (not
    counting the ones another listener had queued already for the same change)."""
    hooks = list(Webhook.objects.filter(enabled=True))
    if not hooks or not article_ids:
        return 0
    now = now or timezone.now()
    last_correction = Correction.objects.filter(article=OuterRef("pk")).order_by("-at", "-id")
    seen = ArticleSeen.objects.filter(article_id=OuterRef("pk"))
    articles = (
        Article.objects.filter(pk__in=set(article_ids))
        .select_related("site", "section", "story")
        .annotate(
            correction_id=Subquery(last_correction.values("id")[:1]),
            correction_note=Subquery(last_correction.values("note")[:1]),
            seen_status=Subquery(seen.values("status")[:1]),
            seen_updated_at=Subquery(seen.values("updated_at")[:1]),
            seen_correction_id=Subquery(seen.values("correction_id")[:1]),
        )
        .order_by("pk")
    )
    deliveries: list[Delivery] = []
    states: list[ArticleSeen] = []
    for article in articles:
        a: Any = article
        before = (
            ArticleSeen(
                article_id=a.pk,
                status=a.seen_status,
                updated_at=a.seen_updated_at,
                correction_id=a.seen_correction_id,
            )
            if a.seen_status is not None
            else None
        )
        event = article_event(
            status=a.status,
            published_at=a.published_at,
            updated_at=a.updated_at,
            correction_id=a.correction_id,
            seen=before,
        )
        states.append(
            ArticleSeen(
                article_id=a.pk,
                status=a.status,
                updated_at=a.updated_at,
                correction_id=a.correction_id,
            )
        )
        if event is None:
            continue
        dedupe = _dedupe_key(article=a, event=event, seen=before)
        for hook in hooks:
            if event not in hook.events or (hook.sites and a.site.code not in hook.sites):
                continue
            message_id = f"msg_{uuid.uuid4().hex}"
            deliveries.append(
                Delivery(
                    webhook=hook,
                    message_id=message_id,
                    event=event,
                    site=a.site,
                    article_id=a.pk,
                    dedupe=dedupe,
                    body=_payload(article=a, event=event, message_id=message_id, now=now),
                    created_at=now,
                    next_try_at=now,
                )
            )
    with transaction.atomic():
        ArticleSeen.objects.bulk_create(
            states,
            update_conflicts=True,
            unique_fields=["article_id"],
            update_fields=["status", "updated_at", "correction_id"],
        )
        # A (webhook, dedupe) already there is another listener's delivery of this change.
        Delivery.objects.bulk_create(deliveries, ignore_conflicts=True)
        # The skipped rows leave no pk; the message ids, new for each row, tell which went in.
        queued = (
            Delivery.objects.filter(message_id__in=[d.message_id for d in deliveries]).count()
            if deliveries
            else 0
        )
    if queued and settings.MASTHEAD_WEBHOOKS_SEND_AT_ONCE:
        from masthead.webhooks.tasks import send_webhooks_now

        send_webhooks_now()
    return queued


def _dedupe_key(*, article: Any, event: str, seen: ArticleSeen | None) -> str:
    """The change an event is for: the article's state now and the status it was last seen
    in. Two listeners reading one change make the same key; a later change makes another (a
    new `updated_at` or correction, or, for an article published again unchanged after it
    was taken off, the status it comes back from)."""
    updated = article.updated_at.isoformat() if article.updated_at else "-"
    correction = article.correction_id if article.correction_id is not None else "-"
    before = seen.status if seen is not None else "-"
    return f"{article.pk}:{event}:{updated}:{correction}:{before}"[:128]


def _payload(*, article: Any, event: str, message_id: str, now: datetime) -> str:
    """The body, as sent and signed: `type`, `timestamp` and `data`, as Standard Webhooks
    suggests."""
    domain = article.site.primary_domain
    scheme = "https" if settings.HTTPS else "http"
    data: dict[str, Any] = {
        "id": message_id,
        "article_id": article.pk,
        "story_id": article.story_id,
        "site": article.site.code,
        "language": article.language,
        "url": f"{scheme}://{domain}{article.get_absolute_url()}" if domain else "",
        "headline": article.headline,
        "published_at": article.published_at.isoformat() if article.published_at else None,
        "updated_at": article.updated_at.isoformat() if article.updated_at else None,
    }
    if event == Event.KILLED:
        data["reason"] = article.story.kill_reason
    if event == Event.CORRECTED:
        data["correction"] = article.correction_note or ""
    body = {"type": f"article.{event}", "timestamp": now.isoformat(), "data": data}
    return json.dumps(body, ensure_ascii=False, separators=(",", ":"))
