"""The delivery log's cleanup: sent and given-up deliveries go after the days kept."""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta
from typing import Any

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from masthead.network.models import Site
from masthead.webhooks import tasks
from masthead.webhooks.models import Attempt, Delivery, DeliveryStatus, Webhook
from masthead.webhooks.services import deliveries_prune, deliveries_send_again


def _delivery(
    status: str, *, created: datetime, tried: datetime | None = None, article_id: int = 1
) -> Delivery:
    delivery = Delivery.objects.create(
        webhook=Webhook.objects.get(name="crm"),
        message_id=f"msg_{uuid.uuid4().hex}",
        dedupe=uuid.uuid4().hex,
        event="published",
        site=Site.objects.get(code="JdT"),
        article_id=article_id,
        body="{}",
        created_at=created,
        status=status,
        last_attempt_at=tried,
    )
    if tried is not None:
        Attempt.objects.create(delivery=delivery, at=tried, code=200)
    return delivery


def test_prune_deletes_old_sent_and_failed_with_their_tries(hooked) -> None:  # type: ignore[no-untyped-def]
    now = timezone.now()
    old, recent = now - timedelta(days=31), now - timedelta(days=29)
    gone = [
        _delivery(DeliveryStatus.SENT, created=old, tried=old),
        _delivery(DeliveryStatus.FAILED, created=old, tried=old),
        _delivery(DeliveryStatus.FAILED, created=old),  # never tried (no secret, say)
    ]
    kept = [
        _delivery(DeliveryStatus.PENDING, created=old, tried=old),  # still to send: never
        _delivery(DeliveryStatus.SENT, created=recent, tried=recent),
        _delivery(DeliveryStatus.SENT, created=old, tried=recent),  # sent again lately
    ]
    assert deliveries_prune(now=now, keep_days=30) == 3
    assert set(Delivery.objects.values_list("pk", flat=True)) == {d.pk for d in kept}
    assert not Attempt.objects.filter(delivery_id__in=[d.pk for d in gone]).exists()
    assert Attempt.objects.count() == 3
    assert deliveries_prune(now=now, keep_days=30) == 0


def test_prune_goes_a_chunk_at_a_time(hooked) -> None:  # type: ignore[no-untyped-def]
    now = timezone.now()
    for k in range(5):
        _delivery(DeliveryStatus.SENT, created=now - timedelta(days=40), article_id=k)
    with CaptureQueriesContext(connection) as queries:
        assert deliveries_prune(now=now, keep_days=30, chunk=2) == 5
    deletes = [q["sql"] for q in queries if q["sql"].startswith('DELETE FROM "webhooks_delivery"')]
    assert len(deletes) == 3  # 2, 2 and 1
    assert not Delivery.objects.exists()


def test_prune_reads_the_setting_and_zero_keeps_all(hooked, settings) -> None:  # type: ignore[no-untyped-def]
    now = timezone.now()
    _delivery(DeliveryStatus.SENT, created=now - timedelta(days=8), tried=now - timedelta(days=8))
    settings.MASTHEAD_WEBHOOKS_KEEP_DAYS = 0
    assert deliveries_prune(now=now) == 0
    settings.MASTHEAD_WEBHOOKS_KEEP_DAYS = 10
    assert tasks.prune_webhook_deliveries.call_local() == 0
    settings.MASTHEAD_WEBHOOKS_KEEP_DAYS = 7
    assert tasks.prune_webhook_deliveries.call_local() == 1
    assert not Delivery.objects.exists()


def test_prune_keeps_one_sent_again_between_its_select_and_delete(hooked) -> None:  # type: ignore[no-untyped-def]
    # "Send again now" committing after the prune has chosen a chunk and before it deletes
    # (on PostgreSQL the chunk's row locks make it wait instead; the status in the DELETE
    # statements is what keeps it here, where both run on one connection).
    now = timezone.now()
    old = now - timedelta(days=40)
    gone = _delivery(DeliveryStatus.SENT, created=old, tried=old, article_id=1)
    again = _delivery(DeliveryStatus.FAILED, created=old, tried=old, article_id=2)
    sent_again: list[int] = []

    def send_again_before_the_first_delete(execute, sql, params, many, context) -> Any:  # type: ignore[no-untyped-def]
        if sql.startswith("DELETE") and not sent_again:
            sent_again.append(
                deliveries_send_again(deliveries=Delivery.objects.filter(pk=again.pk), actor="ed")
            )
        return execute(sql, params, many, context)

    with connection.execute_wrapper(send_again_before_the_first_delete):
        assert deliveries_prune(now=now, keep_days=30) == 1
    assert sent_again == [1]
    assert list(Delivery.objects.values_list("pk", "status")) == [
        (again.pk, DeliveryStatus.PENDING)
    ]
    assert list(Attempt.objects.values_list("delivery_id", flat=True)) == [again.pk]
    assert not Attempt.objects.filter(delivery_id=gone.pk).exists()
