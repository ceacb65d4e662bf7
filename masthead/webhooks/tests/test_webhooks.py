"""Webhooks end to end against a local receiver that knows only the secret."""

from __future__ import annotations

import time
from datetime import timedelta
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.utils import timezone

from masthead.conftest import TEST_NETWORK
from masthead.core.errors import NetworkFileError
from masthead.network.models import Site
from masthead.network.services import network_apply
from masthead.network.spec import parse_network
from masthead.newsroom.models import Article, Role, SiteMembership
from masthead.newsroom.services.article import article_correct
from masthead.newsroom.services.story import story_kill
from masthead.webhooks.models import Attempt, Delivery, DeliveryStatus, Webhook
from masthead.webhooks.services import MAX_ATTEMPTS, deliveries_send
from masthead.webhooks.signing import sign, signed_headers, verify
from masthead.webhooks.tests.conftest import SECRET, Receiver, new_version, webhook_table


def test_signature_verifies_with_the_secret_only() -> None:
    body = b'{"type":"article.published"}'
    now = int(time.time())
    headers = signed_headers(secret=SECRET, message_id="msg_1", timestamp=now, body=body)
    assert headers["webhook-signature"].startswith("v1,")
    assert verify(secret=SECRET, headers=headers, body=body, now=now)
    assert not verify(secret=SECRET, headers=headers, body=body + b" ", now=now)  # tampered
    assert not verify(secret="whsec_b3RoZXI=", headers=headers, body=body, now=now)
    assert not verify(secret=SECRET, headers=headers, body=body, now=now + 600)  # replayed late
    # The spec's rule for the key: whsec_ + base64 is the decoded bytes; a plain secret its text.
    assert sign(secret="whsec_c2VjcmV0", message_id="a", timestamp=1, body=b"x") == sign(
        secret="secret", message_id="a", timestamp=1, body=b"x"
    )


def test_story_events_arrive_signed_and_in_order(
    hooked, receiver: Receiver, wire_dir: Path, ingest, settings, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    settings.MASTHEAD_WEBHOOKS_SEND_AT_ONCE = True  # as in production: sent right after commit
    assert ingest([wire_dir / "harbour-talks.json"])[0].action == "created"
    assert ingest([new_version(wire_dir, 3, "Port cities set date for talks")])[0].action == (
        "updated"
    )
    article = Article.objects.get(site__code="JdT")
    with django_capture_on_commit_callbacks(execute=True):
        article_correct(article=article, note="The talks are in Antwerp.", editor="ed")
    with django_capture_on_commit_callbacks(execute=True):
        story_kill(story=article.story, source="editor ed", reason="Legal advice")
    assert receiver.types() == [
        "article.published",
        "article.updated",
        "article.corrected",
        "article.killed",
    ]
    assert all(r["valid"] for r in receiver.got)
    published, updated, corrected, killed = (r["json"] for r in receiver.accepted)
    assert published["data"]["site"] == "JdT" and published["data"]["language"] == "en"
    assert published["data"]["url"].startswith("http://test.localhost/en/Politics/")
    assert updated["data"]["headline"] == "Port cities set date for talks"
    assert corrected["data"]["correction"] == "The talks are in Antwerp."
    assert killed["data"]["reason"] == "Legal advice"
    ids = [r["headers"]["webhook-id"] for r in receiver.accepted]
    assert len(set(ids)) == 4 and ids[0] == published["data"]["id"]
    assert set(Delivery.objects.values_list("status", flat=True)) == {DeliveryStatus.SENT}


def test_retries_after_500_with_backoff_keeping_order(
    hooked, receiver: Receiver, wire_dir: Path, ingest
) -> None:  # type: ignore[no-untyped-def]
    receiver.fail_first = 2
    ingest([wire_dir / "harbour-talks.json"])
    ingest([new_version(wire_dir, 3, "Port cities set date for talks")])
    t0 = timezone.now()
    assert deliveries_send(now=t0) == 0
    first = Delivery.objects.order_by("id").first()
    assert first is not None and first.last_code == 500 and first.attempts == 1
    assert first.next_try_at == t0 + timedelta(minutes=1)
    assert deliveries_send(now=t0 + timedelta(seconds=30)) == 0  # not yet: nothing sent
    assert len(receiver.got) == 1
    assert deliveries_send(now=t0 + timedelta(seconds=61)) == 0  # second 500
    first.refresh_from_db()
    assert first.next_try_at == t0 + timedelta(seconds=61) + timedelta(minutes=5)
    assert deliveries_send(now=t0 + timedelta(minutes=7)) == 2
    assert receiver.types() == ["article.published", "article.updated"]
    # The same id on every try of one delivery, so the receiver can drop duplicates.
    assert len({r["headers"]["webhook-id"] for r in receiver.got[:3]}) == 1
    assert list(Attempt.objects.filter(delivery=first).values_list("code", flat=True)) == [
        500,
        500,
        200,
    ]


def test_gives_up_after_the_last_backoff(
    hooked, receiver: Receiver, wire_dir: Path, ingest
) -> None:  # type: ignore[no-untyped-def]
    receiver.fail_first = 1000
    ingest([wire_dir / "harbour-talks.json"])
    now = timezone.now()
    for _ in range(MAX_ATTEMPTS + 2):
        deliveries_send(now=now)
        now += timedelta(hours=7)
    delivery = Delivery.objects.get()
    assert delivery.status == DeliveryStatus.FAILED
    assert delivery.attempts == MAX_ATTEMPTS == len(receiver.got) == 6
    assert delivery.next_try_at is None


def test_ingest_succeeds_when_the_receiver_is_down(
    db, hook_env, settings, wire_dir: Path, ingest
) -> None:  # type: ignore[no-untyped-def]
    settings.MASTHEAD_WEBHOOKS_SEND_AT_ONCE = True
    network_apply(
        spec=parse_network(
            TEST_NETWORK + webhook_table("http://127.0.0.1:9/down"), source="test-network.toml"
        )
    )
    assert ingest([wire_dir / "harbour-talks.json"])[0].action == "created"
    delivery = Delivery.objects.get()
    assert delivery.status == DeliveryStatus.PENDING and delivery.attempts == 1
    assert delivery.last_code is None and "127.0.0.1:9" in delivery.last_error


def test_only_chosen_events_and_sites(
    db, hook_env, receiver: Receiver, wire_dir: Path, ingest
) -> None:  # type: ignore[no-untyped-def]
    network_apply(
        spec=parse_network(
            TEST_NETWORK
            + webhook_table(receiver.url, events='["killed"]', extra='sites = ["ZdT"]'),
            source="n.toml",
        )
    )
    ingest([wire_dir / "harbour-talks.json"])  # JdT only, and not a kill
    assert not Delivery.objects.exists()


def test_removed_from_the_file_disables_it(hooked, wire_dir: Path, ingest) -> None:  # type: ignore[no-untyped-def]
    network_apply(spec=parse_network(TEST_NETWORK, source="n.toml"))
    assert not Webhook.objects.get(name="crm").enabled
    ingest([wire_dir / "harbour-talks.json"])
    assert not Delivery.objects.exists()


@pytest.mark.parametrize(
    ("table", "line"),
    [
        (
            webhook_table("https://hooks.example/in").replace("MH_TEST_HOOK_SECRET", "MH_NOPE"),
            "n.toml: webhook[0] (crm).secret_env: the environment variable MH_NOPE is not set",
        ),
        (
            webhook_table("https://hooks.example/in", events='["published", "deleted"]'),
            "n.toml: webhook[0] (crm).events: unknown event 'deleted' (known: published, "
            "updated, killed, corrected)",
        ),
        (
            webhook_table("https://hooks.example/in", extra='sites = ["XdT"]'),
            "n.toml: webhook[0] (crm).sites: unknown site 'XdT' (declared: JdT, ZdT)",
        ),
        (
            webhook_table("ftp://hooks.example/in"),
            "n.toml: webhook[0] (crm).url: must start with http:// or https://",
        ),
        (
            webhook_table("http://10.0.0.7/in"),
            "n.toml: webhook[0] (crm).url: 10.0.0.7 is a private or local address;"
            " MASTHEAD_WIRE_FETCH_PRIVATE allows it",
        ),
        (
            webhook_table("https://hooks.example/in", extra='secret = "x"'),
            "n.toml: webhook[0] (crm).secret: unknown key (expected one of: events, name, "
            "secret_env, sites, url)",
        ),
    ],
)
def test_network_file_errors(table: str, line: str, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("MH_TEST_HOOK_SECRET", SECRET)
    with pytest.raises(NetworkFileError) as caught:
        parse_network(TEST_NETWORK + table, source="n.toml")
    assert str(caught.value) == line


def test_delivery_log_for_site_admins(hooked, receiver: Receiver, wire_dir: Path, ingest) -> None:  # type: ignore[no-untyped-def]
    receiver.fail_first = 1
    ingest([wire_dir / "harbour-talks.json"])
    deliveries_send()
    delivery = Delivery.objects.get()
    users = get_user_model().objects
    boss = users.create_superuser("boss", "b@example.org", "pw")
    jdt = users.create_user("jdt", password="pw", is_staff=True)
    SiteMembership.objects.create(user=jdt, site=Site.objects.get(code="JdT"), role=Role.ADMIN)
    zdt = users.create_user("zdt", password="pw", is_staff=True)
    SiteMembership.objects.create(user=zdt, site=Site.objects.get(code="ZdT"), role=Role.ADMIN)
    editor = users.create_user("ed", password="pw", is_staff=True)
    SiteMembership.objects.create(user=editor, site=Site.objects.get(code="JdT"), role=Role.EDITOR)
    url = "/admin/webhooks/delivery/"
    client = Client()
    for user, sees in ((boss, True), (jdt, True), (zdt, False)):
        client.force_login(user)
        page = client.get(url)
        assert page.status_code == 200
        assert (delivery.message_id in page.content.decode()) is sees, user
        assert (b"500" in page.content) is sees
    client.force_login(editor)
    assert client.get(url).status_code == 403
    client.force_login(jdt)
    page = client.get(f"{url}{delivery.pk}/change/")
    assert page.status_code == 200 and b"Save" not in page.content
    answer = client.post(url, {"action": "send_again", "_selected_action": [delivery.pk]})
    assert answer.status_code == 302
    deliveries_send()  # the worker's round (the test settings send nothing at once)
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.SENT and delivery.last_code == 200
