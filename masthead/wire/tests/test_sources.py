"""Drop folders and sources: files claimed once, moved after commit, failures explained."""

import os
import re
import shutil
import time
from pathlib import Path

import pytest

from masthead.conftest import TEST_NETWORK
from masthead.network.services import network_apply
from masthead.network.spec import parse_network
from masthead.newsroom.models import Article, Story
from masthead.wire.models import Source, WireItem
from masthead.wire.services import source_claim, source_poll, sources_due
from masthead.wire.sources.folder import folder_poll


def _drop(root: Path, wire_dir: Path, *names: str, age: float = 5) -> None:
    incoming = root / "incoming"
    incoming.mkdir(parents=True, exist_ok=True)
    for name in names:
        shutil.copy(wire_dir / name, incoming / name)
        past = time.time() - age
        os.utime(incoming / name, (past, past))


def test_dropped_story_goes_live_and_moves_with_its_picture(network, wire_dir, tmp_path):
    root = tmp_path / "drop"
    _drop(root, wire_dir, "harbour-talks.jpg", "harbour-talks.json")
    result = folder_poll(root=root, source="mwa")
    assert [o.action for o in result.outcomes] == ["created"]
    assert Article.objects.filter(status="published").count() == 1
    assert list((root / "incoming").iterdir()) == []
    assert list((root / "work").iterdir()) == []
    (day,) = (root / "processed").iterdir()
    assert sorted(p.name for p in day.iterdir()) == ["harbour-talks.jpg", "harbour-talks.json"]
    log = WireItem.objects.get()
    assert (log.source, log.filename) == ("mwa", str(root / "incoming" / "harbour-talks.json"))


def test_failed_file_goes_to_failed_with_its_reason(network, wire_dir, tmp_path):
    root = tmp_path / "drop"
    (wire_dir / "broken.json").write_text('{"uri": "x", "headline": ')
    _drop(root, wire_dir, "broken.json", "harbour-talks.json", "harbour-talks.jpg")
    result = folder_poll(root=root, source="mwa")
    assert sorted(o.action for o in result.outcomes) == ["created", "failed"]
    assert result.failed_files == ["broken.json"]
    reason = (root / "failed" / "broken.json.reason").read_text()
    assert reason.count("\n") == 1 and "broken.json: failed: invalid JSON at line 1" in reason
    assert (root / "failed" / "broken.json").exists()


def test_file_still_being_written_is_left_alone(network, wire_dir, tmp_path):
    root = tmp_path / "drop"
    _drop(root, wire_dir, "harbour-talks.json", age=0)
    (root / "incoming" / "next.json.part").write_text("{")
    assert folder_poll(root=root, source="mwa").taken == 0
    assert Story.objects.count() == 0


def test_a_file_claimed_by_another_worker_is_not_taken_twice(network, wire_dir, tmp_path):
    root = tmp_path / "drop"
    _drop(root, wire_dir, "harbour-talks.json")
    folder_poll(root=root, source="mwa")  # creates the subfolders
    # Another worker holds a claim taken just now: this one must not touch it.
    (root / "work" / f"other.json.999.{int(time.time())}").write_text("{}")
    assert folder_poll(root=root, source="mwa").taken == 0
    assert Story.objects.count() == 1
    assert [p.name.split(".")[0] for p in (root / "work").iterdir()] == ["other"]


def test_a_stalled_claim_is_retried(network, wire_dir, tmp_path):
    root = tmp_path / "drop"
    (root / "work").mkdir(parents=True)
    shutil.copy(wire_dir / "harbour-talks.json", root / "work" / "harbour-talks.json.4242.1000")
    (root / "incoming").mkdir()
    shutil.copy(wire_dir / "harbour-talks.jpg", root / "incoming" / "harbour-talks.jpg")
    os.utime(root / "work" / "harbour-talks.json.4242.1000", (1000, 1000))
    result = folder_poll(root=root, source="mwa")
    assert [o.action for o in result.outcomes] == ["created"]
    assert list((root / "work").iterdir()) == []


SOURCES = """
[[source]]
name = "mwa-drop"
kind = "folder"
path = "wire/mwa"

[[source]]
name = "city-feed"
kind = "feed"
url = "https://news.example.org/feed.xml"
every = 120
"""


def test_sources_from_the_network_file(network, wire_dir, settings, tmp_path):
    settings.DATA_DIR = tmp_path
    network_apply(spec=parse_network(TEST_NETWORK + SOURCES, source="n.toml"))
    sources = {s.name: (s.kind, s.location, s.interval) for s in Source.objects.all()}
    assert sources == {
        "mwa-drop": ("folder", "wire/mwa", 300),
        "city-feed": ("feed", "https://news.example.org/feed.xml", 120),
    }
    drop = Source.objects.get(name="mwa-drop")
    _drop(tmp_path / "wire" / "mwa", wire_dir, "harbour-talks.json", "harbour-talks.jpg")
    result = source_poll(source=drop)
    assert [o.action for o in result.outcomes] == ["created"] and not result.error
    drop.refresh_from_db()
    assert drop.polled_at is not None and drop.last_error == ""
    # Dropped from the file: disabled, not deleted.
    network_apply(spec=parse_network(TEST_NETWORK, source="n.toml"))
    assert not Source.objects.filter(enabled=True).exists()
    assert Source.objects.count() == 2


def test_a_feed_round_is_claimed_by_one_worker(network, settings):
    network_apply(spec=parse_network(TEST_NETWORK + SOURCES, source="n.toml"))
    (mine,) = sources_due(kind="feed")
    (theirs,) = sources_due(kind="feed")
    assert source_claim(source=mine)
    assert not source_claim(source=theirs)
    assert sources_due(kind="feed") == []


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        ('[[source]]\nname = "a"\nkind = "ftp"\npath = "x"\n', "source[0].kind: must be one of"),
        ('[[source]]\nname = "a"\nkind = "feed"\nurl = "file:///etc/passwd"\n', "source[0].url"),
        ('[[source]]\nname = "A B"\nkind = "folder"\npath = "x"\n', "source[0].name"),
        ('[[source]]\nname = "a"\nkind = "folder"\npath = "x"\nformat = "pdf"\n', "format"),
        ('[[source]]\nname = "a"\nkind = "feed"\nurl = "http://x"\nevery = 1\n', "every"),
    ],
)
def test_bad_sources_are_refused(extra: str, message: str) -> None:
    from masthead.core.errors import NetworkFileError

    with pytest.raises(NetworkFileError, match=re.escape(message)):
        parse_network(TEST_NETWORK + extra, source="n.toml")


def test_a_claim_of_a_dead_process_is_retried_within_seconds(network, wire_dir, tmp_path):
    import subprocess

    from masthead.wire.sources import folder

    gone = subprocess.Popen(["true"])
    gone.wait()  # a pid that no longer runs
    root = tmp_path / "drop"
    (root / "work").mkdir(parents=True)
    (root / "incoming").mkdir()
    claimed_at = int(time.time()) - folder.DEAD_CLAIM_GRACE - 1
    name = f"harbour-talks.json.{folder._HOST}~{gone.pid}~1.{claimed_at}"
    shutil.copy(wire_dir / "harbour-talks.json", root / "work" / name)
    os.utime(root / "work" / name, (claimed_at, claimed_at))  # settled long ago
    shutil.copy(wire_dir / "harbour-talks.jpg", root / "incoming" / "harbour-talks.jpg")
    result = folder_poll(root=root, source="mwa")
    assert [o.action for o in result.outcomes] == ["created"]
    # A live claimer's file of the same age stays where it is.
    alive = f"other.json.{folder._HOST}~{os.getpid()}~1.{claimed_at}"
    (root / "work" / alive).write_text("{}")
    folder_poll(root=root, source="mwa")
    assert (root / "work" / alive).exists()
