"""The desk's "Send again now": audited, and only for the deliveries of one's own sites."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.contrib.auth import get_user_model
from django.test import Client
from django.utils import timezone

from masthead.network.models import Site
from masthead.newsroom.models import AuditEntry, Role, SiteMembership
from masthead.webhooks.models import Delivery, DeliveryStatus, Webhook
from masthead.webhooks.services import deliveries_send_again

URL = "/admin/webhooks/delivery/"


def _failed(site: str, count: int = 1) -> list[Delivery]:
    now = timezone.now() - timedelta(days=1)
    rows = []
    for k in range(count):
        rows.append(
            Delivery.objects.create(
                webhook=Webhook.objects.get(name="crm"),
                message_id=f"msg_{site}{k}",
                dedupe=f"{site}{k}",
                event="published",
                site=Site.objects.get(code=site),
                article_id=1000 + k,
                body="{}",
                created_at=now,
                status=DeliveryStatus.FAILED,
                attempts=6,
            )
        )
    return rows


def _member(name: str, site: str, role: str) -> Any:
    user = get_user_model().objects.create_user(name, password="pw", is_staff=True)
    SiteMembership.objects.create(user=user, site=Site.objects.get(code=site), role=role)
    return user


def _send_again(user: Any, deliveries: list[Delivery]) -> Any:
    client = Client()
    client.force_login(user)
    return client.post(
        URL, {"action": "send_again", "_selected_action": [d.pk for d in deliveries]}
    )


def _statuses(deliveries: list[Delivery]) -> set[str]:
    return set(
        Delivery.objects.filter(pk__in=[d.pk for d in deliveries]).values_list("status", flat=True)
    )


def test_send_again_is_audited_per_site(hooked) -> None:  # type: ignore[no-untyped-def]
    jdt, zdt = _failed("JdT", 2), _failed("ZdT")
    boss = get_user_model().objects.create_superuser("boss", "b@example.org", "pw")
    assert _send_again(boss, jdt + zdt).status_code == 302
    assert _statuses(jdt + zdt) == {DeliveryStatus.SENT}  # the test queue runs tasks at once
    rows = AuditEntry.objects.order_by("site__code")
    assert [(r.actor, r.action, r.site.code if r.site else None) for r in rows] == [
        ("boss", "webhook send again", "JdT"),
        ("boss", "webhook send again", "ZdT"),
    ]
    assert rows[0].detail == (
        f"2 deliveries: #{jdt[0].pk} crm published article 1000,"
        f" #{jdt[1].pk} crm published article 1001"
    )
    assert rows[1].detail == f"1 delivery: #{zdt[0].pk} crm published article 1000"


def test_send_again_of_many_names_what_fits(hooked) -> None:  # type: ignore[no-untyped-def]
    many = _failed("JdT", 40)
    assert deliveries_send_again(deliveries=Delivery.objects.all(), actor="ed") == 40
    detail = AuditEntry.objects.get().detail
    assert len(detail) <= 300
    assert detail.startswith(f"40 deliveries: #{many[0].pk} crm published article 1000, ")
    assert detail.endswith(" more")


def test_an_admin_of_another_site_sends_nothing_again(hooked) -> None:  # type: ignore[no-untyped-def]
    zdt = _failed("ZdT")
    jdt_admin = _member("jdt", "JdT", Role.ADMIN)
    answer = _send_again(jdt_admin, zdt)  # a crafted POST: ZdT's ids from JdT's admin
    assert answer.status_code == 302
    assert _statuses(zdt) == {DeliveryStatus.FAILED}
    assert not AuditEntry.objects.exists()


def test_without_an_admin_seat_the_action_is_refused(hooked) -> None:  # type: ignore[no-untyped-def]
    jdt = _failed("JdT")
    editor = _member("ed", "JdT", Role.EDITOR)
    assert _send_again(editor, jdt).status_code == 403
    assert _statuses(jdt) == {DeliveryStatus.FAILED}
    assert not AuditEntry.objects.exists()
