"""The worker's drop-folder watcher: a dropped file is live within seconds."""

import shutil
import threading
import time

import pytest

from masthead.conftest import TEST_NETWORK
from masthead.network.services import network_apply
from masthead.network.spec import parse_network
from masthead.newsroom.models import Article
from masthead.ops.management.commands.worker import watch_folders

SOURCE = '\n[[source]]\nname = "drop"\nkind = "folder"\npath = "{path}"\n'


@pytest.mark.django_db(transaction=True)
def test_dropped_file_is_published_within_seconds(wire_dir, tmp_path, monkeypatch) -> None:
    monkeypatch.setattr("masthead.wire.sources.folder.SETTLE", 0.0)
    root = tmp_path / "drop"
    network_apply(spec=parse_network(TEST_NETWORK + SOURCE.format(path=root), source="n.toml"))
    (root / "incoming").mkdir(parents=True)
    stop = threading.Event()
    watcher = threading.Thread(target=watch_folders, args=(stop, 0.05), daemon=True)
    watcher.start()
    try:
        shutil.copy(wire_dir / "harbour-talks.jpg", root / "incoming")
        shutil.copy(wire_dir / "harbour-talks.json", root / "incoming")
        deadline = time.monotonic() + 5
        while time.monotonic() < deadline and not Article.objects.exists():
            time.sleep(0.05)
        assert Article.objects.filter(status="published").count() == 1
    finally:
        stop.set()
        watcher.join(timeout=5)
    assert not watcher.is_alive()


@pytest.mark.django_db(transaction=True)
def test_two_watchers_on_one_folder_take_each_file_once(wire_dir, tmp_path, monkeypatch) -> None:
    from django.db import connection

    from masthead.newsroom.models import Story
    from masthead.wire.models import WireItem
    from masthead.wire.sources.folder import folder_poll

    monkeypatch.setattr("masthead.wire.sources.folder.SETTLE", 0.0)
    network_apply(spec=parse_network(TEST_NETWORK, source="n.toml"))
    incoming = tmp_path / "drop" / "incoming"
    incoming.mkdir(parents=True)
    source = (wire_dir / "harbour-talks.json").read_text()
    for i in range(24):
        (incoming / f"s{i}.json").write_text(source.replace("harbour-talks", f"story-{i}"))
        shutil.copy(wire_dir / "harbour-talks.jpg", incoming / f"story-{i}.jpg")
    errors: list[BaseException] = []

    def run() -> None:
        try:
            folder_poll(root=tmp_path / "drop", source="drop", limit=100)
        except BaseException as exc:  # surfaced to the test below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == []
    assert Story.objects.count() == 24
    assert WireItem.objects.count() == 24
    assert set(WireItem.objects.values_list("action", flat=True)) == {"created"}
    assert list(incoming.iterdir()) == []
