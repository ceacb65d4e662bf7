"""Sources failing and falling silent go to the audit log as network rows: one when a source
starts failing (or fails otherwise), not one per poll; one per silence longer than its
idle_alert, however often the worker looks, and again after it delivered and fell silent."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone

from masthead.newsroom.models import AuditEntry
from masthead.wire import tasks
from masthead.wire.alerts import FAILED, IDLE
from masthead.wire.models import Source, SourceKind, WireAction, WireItem
from masthead.wire.services import source_poll


def _rows(action: str) -> list[tuple[str, str]]:
    return list(
        AuditEntry.objects.filter(action=action).order_by("id").values_list("actor", "detail")
    )


@pytest.mark.django_db
def test_a_drop_folder_error_is_one_row_until_it_changes(tmp_path: Path) -> None:
    blocked = tmp_path / "not-a-folder"
    blocked.write_text("a file where the folder should be")
    source = Source.objects.create(name="mwa", kind=SourceKind.FOLDER, location=str(blocked))
    for _ in range(3):  # the worker polls a folder every two seconds
        assert source_poll(source=source).error
    ((actor, detail),) = _rows(FAILED)
    assert actor == "worker" and detail.startswith("source mwa: ")
    entry = AuditEntry.objects.get(action=FAILED)
    assert (entry.article, entry.story, entry.site) == (None, None, None)  # a network row
    # Another cause is another row; an editor's "poll now" is theirs.
    source.location = str(tmp_path / "elsewhere" / "x" / "..")
    (tmp_path / "elsewhere").write_text("")
    source_poll(source=source, actor="ann")
    assert [actor for actor, _ in _rows(FAILED)] == ["worker", "ann"]


@pytest.mark.django_db
def test_a_feed_error_is_recorded(settings) -> None:
    settings.MASTHEAD_WIRE_FETCH_PRIVATE = False
    source = Source.objects.create(
        name="city", kind=SourceKind.FEED, location="http://127.0.0.1:9/press.rss"
    )
    source_poll(source=source)
    source_poll(source=source)
    ((_, detail),) = _rows(FAILED)
    assert detail.startswith("source city: ") and source.last_error in detail


@pytest.fixture
def silent(db: None) -> Source:
    source = Source.objects.create(
        name="mwa", kind=SourceKind.FOLDER, location="wire/mwa", idle_alert=900
    )
    Source.objects.filter(pk=source.pk).update(created_at=timezone.now() - timedelta(days=2))
    _item(minutes_ago=40)
    return source


def _item(minutes_ago: int) -> None:
    item = WireItem.objects.create(source="mwa", filename="f", action=WireAction.CREATED)
    WireItem.objects.filter(pk=item.pk).update(
        received_at=timezone.now() - timedelta(minutes=minutes_ago)
    )


def test_one_idle_row_per_silence(silent: Source) -> None:
    tasks._warned.clear()
    for _ in range(3):  # a minute each
        tasks.warn_idle_sources.call_local()
    tasks._warned.clear()  # a restarted worker, or another one, remembers nothing
    tasks.warn_idle_sources.call_local()
    ((actor, detail),) = _rows(IDLE)
    assert actor == "worker"
    assert detail == "source mwa: no item for 40 min (alert after 15m)"
    # The row was written when the alert's time had come (25 minutes ago); since then it
    # delivered (20 minutes ago) and fell silent again: a new silence, a new row.
    AuditEntry.objects.filter(action=IDLE).update(at=timezone.now() - timedelta(minutes=25))
    _item(minutes_ago=20)
    tasks.warn_idle_sources.call_local()
    assert len(_rows(IDLE)) == 2
    # Delivering now: nothing more.
    _item(minutes_ago=0)
    tasks.warn_idle_sources.call_local()
    assert len(_rows(IDLE)) == 2
