"""One delivery per webhook and article change, however many listeners read the change."""

from __future__ import annotations

from pathlib import Path

from masthead.newsroom.models import Article
from masthead.webhooks import tasks
from masthead.webhooks.events import webhooks_article_changed
from masthead.webhooks.models import ArticleSeen, Delivery, Webhook
from masthead.webhooks.tests.conftest import Receiver, new_version


def _events() -> list[str]:
    return list(Delivery.objects.order_by("id").values_list("event", flat=True))


def test_the_listener_called_twice_queues_once(hooked, wire_dir: Path, ingest) -> None:  # type: ignore[no-untyped-def]
    ingest([wire_dir / "harbour-talks.json"])
    article = Article.objects.get(site__code="JdT")
    assert webhooks_article_changed(article_ids=[article.pk]) == 0
    assert webhooks_article_changed(article_ids=[article.pk, article.pk]) == 0
    assert _events() == ["published"]


def test_two_listeners_reading_the_same_stale_state_queue_once(
    hooked, wire_dir: Path, ingest, settings, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    settings.MASTHEAD_WEBHOOKS_SEND_AT_ONCE = True
    sends: list[int] = []
    monkeypatch.setattr(tasks, "send_webhooks_now", lambda: sends.append(1))
    ingest([wire_dir / "harbour-talks.json"])  # the first listener: `published`, a send asked
    assert _events() == ["published"] and len(sends) == 1
    article = Article.objects.get(site__code="JdT")
    # The second one read ArticleSeen before the first wrote it: the article is new to it too.
    ArticleSeen.objects.all().delete()
    assert webhooks_article_changed(article_ids=[article.pk]) == 0
    assert _events() == ["published"] and len(sends) == 1  # nothing new, no send asked

    # A real second change is still told, once, however many listeners read it.
    ingest([new_version(wire_dir, 3, "Port cities set date for talks")])
    assert _events() == ["published", "updated"] and len(sends) == 2
    seen = ArticleSeen.objects.get(article_id=article.pk)
    ArticleSeen.objects.filter(pk=seen.pk).update(updated_at=article.updated_at)  # stale again
    assert webhooks_article_changed(article_ids=[article.pk]) == 0
    assert _events() == ["published", "updated"] and len(sends) == 2


def test_each_webhook_gets_its_own_delivery_of_a_change(
    hooked, receiver: Receiver, wire_dir: Path, ingest
) -> None:  # type: ignore[no-untyped-def]
    crm = Webhook.objects.get(name="crm")
    Webhook.objects.create(
        name="app", url=receiver.url, events=crm.events, secret_env=crm.secret_env
    )
    ingest([wire_dir / "harbour-talks.json"])
    ArticleSeen.objects.all().delete()
    article = Article.objects.get(site__code="JdT")
    assert webhooks_article_changed(article_ids=[article.pk]) == 0
    rows = Delivery.objects.values_list("webhook__name", "event").order_by("webhook__name")
    assert list(rows) == [("app", "published"), ("crm", "published")]


def test_published_again_after_being_taken_off(hooked, wire_dir: Path, ingest) -> None:  # type: ignore[no-untyped-def]
    ingest([wire_dir / "harbour-talks.json"])
    article = Article.objects.get(site__code="JdT")
    Article.objects.filter(pk=article.pk).update(status="draft")
    assert webhooks_article_changed(article_ids=[article.pk]) == 0  # no event for a draft
    Article.objects.filter(pk=article.pk).update(status="published")
    assert webhooks_article_changed(article_ids=[article.pk]) == 1  # the same text, back on
    assert _events() == ["published", "published"]
