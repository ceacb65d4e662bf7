"""Sending the queued deliveries: per webhook in order, oldest first, with backoff."""

from __future__ import annotations

import logging
import os
import time
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from masthead.core.errors import FetchError
from masthead.core.http import http_post
from masthead.network.models import Site
from masthead.newsroom.services.audit import audit_record
from masthead.webhooks.models import Attempt, Delivery, DeliveryStatus, Webhook
from masthead.webhooks.signing import signed_headers

log = logging.getLogger(__name__)

# Wait after the 1st, 2nd ... failed try; after the last of these the next failure gives up.
BACKOFF = [
    timedelta(minutes=1),
    timedelta(minutes=5),
    timedelta(minutes=30),
    timedelta(hours=2),
    timedelta(hours=6),
]
MAX_ATTEMPTS = len(BACKOFF) + 1
TIMEOUT = 5.0  # seconds for a receiver to answer
CLAIM = timedelta(minutes=5)  # a worker holds a webhook's queue at most this long


def delivery_attempt(*, delivery: Delivery, webhook: Webhook, now: datetime) -> bool:
    """Send once, record the try; True when the receiver answered 2xx."""
    body = delivery.body.encode("utf-8")
    code: int | None = None
    error = ""
    secret = os.environ.get(webhook.secret_env, "")
    if not secret:
        error = f"the environment variable {webhook.secret_env} is not set"
    else:
        headers = signed_headers(
            secret=secret,
            message_id=delivery.message_id,
            timestamp=int(time.time()),  # when this try is made, whatever `now` says
            body=body,
        )
        try:
            code = http_post(webhook.url, body=body, headers=headers, timeout=TIMEOUT)
        except FetchError as exc:
            error = str(exc)[:300]
    ok = code is not None and 200 <= code < 300
    if code is not None and not ok:
        error = f"HTTP {code}"
    Attempt.objects.create(delivery=delivery, at=now, code=code, error=error)
    delivery.attempts += 1
    delivery.last_code = code
    delivery.last_error = error
    delivery.last_attempt_at = now
    if ok:
        delivery.status = DeliveryStatus.SENT
        delivery.next_try_at = None
    elif delivery.attempts >= MAX_ATTEMPTS:
        delivery.status = DeliveryStatus.FAILED
        delivery.next_try_at = None
        log.warning("webhook %s: gave up on %s: %s", webhook.name, delivery.message_id, error)
    else:
        delivery.next_try_at = now + BACKOFF[delivery.attempts - 1]
    delivery.save(
        update_fields=[
            "attempts",
            "last_code",
            "last_error",
            "last_attempt_at",
            "status",
            "next_try_at",
        ]
    )
    return ok


def webhook_claim(*, webhook: Webhook, now: datetime) -> bool:
    """Hold this webhook's queue (compare and set), so its deliveries leave in order even
    with several workers."""
    return bool(
        Webhook.objects.filter(pk=webhook.pk)
        .filter(Q(claimed_until__isnull=True) | Q(claimed_until__lt=now))
        .update(claimed_until=now + CLAIM)
    )


def webhook_send_queue(*, webhook: Webhook, now: datetime, limit: int = 100) -> int:
    """Send this webhook's pending deliveries oldest first; stop at the first that fails or
    waits for its next try (the ones after it wait too: a receiver sees a story's events in
    the order they happened). The number sent."""
    sent = 0
    for _ in range(limit):
        delivery = (
            Delivery.objects.filter(webhook=webhook, status=DeliveryStatus.PENDING)
            .order_by("id")
            .first()
        )
        if delivery is None or (delivery.next_try_at and delivery.next_try_at > now):
            break
        if not delivery_attempt(delivery=delivery, webhook=webhook, now=now):
            break
        sent += 1
    return sent


def deliveries_send(*, now: datetime | None = None, limit: int = 100) -> int:
    """One round of the worker: every enabled webhook with something due."""
    now = now or timezone.now()
    due = (
        Delivery.objects.filter(status=DeliveryStatus.PENDING, webhook__enabled=True)
        .filter(Q(next_try_at__isnull=True) | Q(next_try_at__lte=now))
        .values("webhook_id")
    )
    sent = 0
    for webhook in Webhook.objects.filter(enabled=True, pk__in=due):
        if not webhook_claim(webhook=webhook, now=now):
            continue
        try:
            sent += webhook_send_queue(webhook=webhook, now=now, limit=limit)
        finally:
            Webhook.objects.filter(pk=webhook.pk).update(claimed_until=None)
    return sent


@transaction.atomic
def deliveries_send_again(
    *, deliveries: QuerySet[Delivery], actor: str, now: datetime | None = None
) -> int:
    """The desk's "Send again now": back in the queue, due at once (a failed one gets one
    more try, a sent one is sent again with its id, for the receiver to see it is the same).
    One audit entry per site, naming who and which deliveries."""
    now = now or timezone.now()
    # Locked until the update commits, in id order as the pruning locks them: one it is
    # deleting is waited for and then not found; one of these it waits for, then sees pending.
    chosen = sorted(
        Delivery.objects.filter(pk__in=deliveries.values("pk"))
        .select_related("webhook")
        .select_for_update(of=("self",))
        .order_by("id"),
        key=lambda d: (d.site_id, d.pk),
    )
    if not chosen:
        return 0
    by_site: dict[int, list[Delivery]] = {}
    for delivery in chosen:
        by_site.setdefault(delivery.site_id, []).append(delivery)
    sites = Site.objects.in_bulk(list(by_site))
    for site_id, some in by_site.items():
        audit_record(
            actor=actor,
            action="webhook send again",
            site=sites.get(site_id),
            detail=_deliveries_named(some),
        )
    return Delivery.objects.filter(pk__in=[d.pk for d in chosen]).update(
        status=DeliveryStatus.PENDING, next_try_at=now
    )


def _deliveries_named(deliveries: list[Delivery], limit: int = 300) -> str:
    """`3 deliveries: #12 crm published article 4411, ...`, cut to fit an audit entry's
    detail with the number left out said at the end."""
    count = len(deliveries)
    head = f"{count} deliver{'y' if count == 1 else 'ies'}: "
    names = [f"#{d.pk} {d.webhook.name} {d.event} article {d.article_id}" for d in deliveries]
    text = head + ", ".join(names)
    if len(text) <= limit:
        return text
    for shown in range(len(names) - 1, -1, -1):
        text = f"{head}{', '.join(names[:shown])} and {count - shown} more"
        if len(text) <= limit:
            return text
    return head[:limit]


def deliveries_prune(
    *, now: datetime | None = None, keep_days: int | None = None, chunk: int = 500
) -> int:
    """Delete the sent and given-up deliveries (and their tries) whose last try, or creation
    when never tried, is older than `keep_days` (settings.MASTHEAD_WEBHOOKS_KEEP_DAYS; 0
    keeps them all). Pending ones stay whatever their age. A chunk at a time, each its own
    short transaction, so a big log never holds a long lock. The number deleted."""
    now = now or timezone.now()
    if keep_days is None:
        keep_days = settings.MASTHEAD_WEBHOOKS_KEEP_DAYS
    if keep_days <= 0:
        return 0
    cutoff = now - timedelta(days=keep_days)
    done = [DeliveryStatus.SENT, DeliveryStatus.FAILED]
    old = Delivery.objects.filter(status__in=done).filter(
        Q(last_attempt_at__lt=cutoff) | Q(last_attempt_at__isnull=True, created_at__lt=cutoff)
    )
    deleted = 0
    while True:
        with transaction.atomic():
            # The chunk's rows locked (PostgreSQL; SQLite writes one at a time anyway), so a
            # "Send again now" of one of them waits for this chunk's commit, and one committed
            # first is no longer done, so not taken.
            ids = list(old.order_by("id").select_for_update().values_list("id", flat=True)[:chunk])
            if not ids:
                break
            # And the status in the DELETE statements themselves: QuerySet.delete() would select
            # the rows, then delete tries and deliveries by primary key only, taking one put
            # back in the queue in between with all its tries.
            still_done = old.filter(pk__in=ids)
            Attempt.objects.filter(delivery__in=still_done).delete()
            deleted += still_done._raw_delete(still_done.db)
        if len(ids) < chunk:
            break
    if deleted:
        log.info("webhooks: deleted %d deliveries older than %d days", deleted, keep_days)
    return deleted
