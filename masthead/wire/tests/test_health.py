"""Source health: last item, items and failures in 24 h, and a source silent for longer than
its idle_alert flagged in the admin and warned about once by the worker."""

from __future__ import annotations

import logging
from datetime import timedelta

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.utils import timezone

from masthead.conftest import TEST_NETWORK
from masthead.core.errors import NetworkFileError
from masthead.network.services import network_apply
from masthead.network.spec import parse_network
from masthead.wire import tasks
from masthead.wire.health import sources_health
from masthead.wire.models import Source, WireAction, WireItem

SOURCE = '\n[[source]]\nname = "mwa"\nkind = "folder"\npath = "wire/mwa"\nidle_alert = "{}"\n'


def test_idle_alert_is_a_duration() -> None:
    spec = parse_network(TEST_NETWORK + SOURCE.format("15m"), source="n.toml")
    assert spec.sources[0].idle_alert == 900
    with pytest.raises(NetworkFileError, match=r"source\[0\]\.idle_alert: must be a duration"):
        parse_network(TEST_NETWORK + SOURCE.format("soon"), source="n.toml")


@pytest.fixture
def source(network) -> Source:  # type: ignore[no-untyped-def]
    network_apply(spec=parse_network(TEST_NETWORK + SOURCE.format("15m"), source="n.toml"))
    return Source.objects.get(name="mwa")


def _log(action: str, minutes_ago: int) -> None:
    item = WireItem.objects.create(source="mwa", filename="f", action=action)
    WireItem.objects.filter(pk=item.pk).update(
        received_at=timezone.now() - timedelta(minutes=minutes_ago)
    )


def test_counts_and_silence(source: Source) -> None:
    _log(WireAction.CREATED, 30)
    _log(WireAction.FAILED, 20)
    _log(WireAction.CREATED, 60 * 30)  # older than a day
    (health,) = sources_health()
    assert (health.items_24h, health.failed_24h) == (2, 1)
    assert health.silent and health.silent_for >= timedelta(minutes=20)
    _log(WireAction.CREATED, 1)
    assert not sources_health()[0].silent


def test_the_worker_warns_once_then_says_it_is_back(source: Source, caplog) -> None:
    _log(WireAction.CREATED, 40)
    tasks._warned.clear()
    with caplog.at_level(logging.INFO, logger="masthead.wire.tasks"):
        for _ in range(5):
            tasks.warn_idle_sources.call_local()
        _log(WireAction.CREATED, 0)
        tasks.warn_idle_sources.call_local()
    lines = [r.getMessage() for r in caplog.records]
    assert lines == ["source mwa: no item for 40 min", "source mwa: delivering again"]


def test_the_admin_lists_health(source: Source) -> None:
    _log(WireAction.CREATED, 40)
    desk = Client()
    desk.force_login(User.objects.create_superuser("chief", "c@example.org", "pw-tests-only"))
    page = desk.get("/admin/wire/source/").content.decode()
    assert "silent for 0.7 h" in page and "items, 24 h" in page.lower()


def test_the_wire_log_lists_headline_language_and_sites(network, wire_dir, ingest) -> None:
    outcome = ingest([wire_dir / "harbour-talks.json"])[0]
    item = WireItem.objects.get(guid=outcome.guid)
    assert item.headline.startswith("Port cities agree")
    assert (item.language, item.sites) == ("en", "JdT")
    desk = Client()
    desk.force_login(User.objects.create_superuser("chief", "c@example.org", "pw-tests-only"))
    page = desk.get("/admin/wire/wireitem/?language=en").content.decode()
    assert "Port cities agree" in page and "JdT" in page


def test_the_admin_home_page_names_a_silent_source(source: Source) -> None:
    _log(WireAction.CREATED, 40)
    desk = Client()
    desk.force_login(User.objects.create_superuser("chief", "c@example.org", "pw-tests-only"))
    page = desk.get("/admin/").content.decode()
    assert "Sources gone silent" in page and "mwa: no item since" in page
    _log(WireAction.CREATED, 0)
    assert "Sources gone silent" not in desk.get("/admin/").content.decode()
