"""Ingest end to end: actions per item, bad files failing alone, the wire log, the command."""

import json
from pathlib import Path

import pytest
from django.core.management import call_command

from masthead.newsroom.models import Article, ArticleStatus, Story
from masthead.wire.models import WireItem
from masthead.wire.pipeline import ingest_paths

FIXTURES = Path(__file__).parent / "fixtures"

pytestmark = pytest.mark.django_db


def _write(folder: Path, name: str, **changes: object) -> Path:
    doc = json.loads((folder / "harbour-talks.json").read_text())
    doc.update(changes)
    path = folder / name
    path.write_text(json.dumps(doc))
    return path


def _actions(paths: list[Path]) -> list[str]:
    return [o.action for o in ingest_paths(paths)]


def test_created_then_unchanged_then_updated_then_stale(network, wire_dir: Path):
    first = wire_dir / "harbour-talks.json"
    assert _actions([first]) == ["created"]
    assert _actions([first]) == ["unchanged"]
    newer = _write(
        wire_dir,
        "v3.json",
        version="3",
        headline="Port cities set date for emissions talks",
        versioncreated="2026-11-20T12:00:00Z",
    )
    assert _actions([newer]) == ["updated"]
    older = _write(wire_dir, "v1.json", version="1", headline="Old headline")
    assert _actions([older]) == ["stale"]
    article = Article.objects.get()
    assert article.headline == "Port cities set date for emissions talks"
    assert list(article.revisions.values_list("number", flat=True)) == [2, 1]
    assert article.picture is not None and article.picture.credit.endswith("MWA/File")


def test_versions_numbered_by_timestamp_are_kept_whole(network, wire_dir: Path):
    # yyyymmddHHMMSS versions are past 32 bits: stored whole, and compared as numbers.
    first = _write(wire_dir, "t1.json", version="20261124091700")
    second = _write(wire_dir, "t2.json", version="20261124103000", headline="Later wording")
    assert _actions([second, first]) == ["created", "stale"]
    assert Story.objects.get().version == 20261124103000
    assert WireItem.objects.filter(version=20261124091700).count() == 1
    assert Article.objects.get().headline == "Later wording"


def test_routing_sends_story_to_matching_sites_only(network, wire_dir: Path):
    berlin = _write(
        wire_dir, "berlin.json", uri="urn:x:berlin", body_html="<p>Talks in Berlin.</p>"
    )
    (outcome,) = ingest_paths([berlin])
    sites = set(
        Article.objects.filter(story__guid="urn:x:berlin").values_list(
            "site__code", "section__name"
        )
    )
    assert sites == {("JdT", "Politics"), ("ZdT", "World")}
    assert len(outcome.urls) == 2
    business = _write(wire_dir, "biz.json", uri="urn:x:biz", subject=[{"code": "medtop:04005000"}])
    ingest_paths_list = list(ingest_paths([business]))
    assert ingest_paths_list[0].action == "created"
    assert Article.objects.get(story__guid="urn:x:biz").section.name == "Business"


def test_kill_withhold_and_embargo(network, wire_dir: Path):
    ingest_paths_list = list(ingest_paths([wire_dir / "harbour-talks.json"]))
    assert ingest_paths_list[0].action == "created"
    withheld = _write(wire_dir, "w.json", version="3", pubstatus="withheld")
    assert _actions([withheld]) == ["withheld"]
    assert Article.objects.get().status == ArticleStatus.WITHHELD
    kill = _write(wire_dir, "k.json", version="4", pubstatus="canceled")
    assert _actions([kill]) == ["killed"]
    assert Article.objects.get().status == ArticleStatus.KILLED
    again = _write(wire_dir, "v5.json", version="5")
    assert _actions([again]) == ["stale"]  # a kill is final

    embargoed = _write(wire_dir, "e.json", uri="urn:x:embargo", embargoed="2099-01-01T00:00:00Z")
    assert _actions([embargoed]) == ["embargoed"]
    article = Article.objects.get(story__guid="urn:x:embargo")
    assert article.status == ArticleStatus.EMBARGOED and article.published_at is None


def test_bad_files_fail_alone_and_the_batch_goes_on(network, wire_dir: Path, settings):
    (wire_dir / "empty.json").write_bytes(b"")
    (wire_dir / "junk.bin").write_bytes(bytes(range(256)) * 10)
    (wire_dir / "broken.json").write_bytes(b'{"uri": "x", "headline": ')
    (wire_dir / "nohead.json").write_bytes(b'{"uri": "x", "body_html": "<p> </p>"}')
    settings.MASTHEAD_WIRE_MAX_BYTES = 10_000
    (wire_dir / "huge.json").write_bytes(
        b'{"uri": "h", "headline": "h", "body_text": "' + b"a" * 20_000 + b'"}'
    )
    outcomes = {Path(o.file).name: o for o in ingest_paths([wire_dir])}
    assert outcomes["harbour-talks.json"].action == "created"
    assert outcomes["empty.json"].error == "empty file"
    assert outcomes["junk.bin"].error.startswith("unknown format")
    assert outcomes["broken.json"].error.startswith("invalid JSON at line 1")
    assert outcomes["nohead.json"].error == "item x: no headline and no text to take one from"
    assert outcomes["huge.json"].error == "file is 19.6 KB, over the 9.8 KB limit"
    assert all("\n" not in o.error for o in outcomes.values())
    assert WireItem.objects.filter(action="failed").count() == 5
    assert Story.objects.count() == 1


def test_bad_picture_does_not_hold_back_the_story(network, wire_dir: Path):
    (wire_dir / "harbour-talks.jpg").write_bytes(b"not an image")
    (outcome,) = ingest_paths([wire_dir / "harbour-talks.json"])
    assert outcome.action == "created"
    assert "not a readable image" in outcome.note
    assert Article.objects.get().picture is None


def test_picture_path_cannot_leave_the_folder(network, wire_dir: Path):
    doc = json.loads((wire_dir / "harbour-talks.json").read_text())
    doc["associations"]["featureimage"]["renditions"]["original"]["href"] = "../../etc/passwd"
    (wire_dir / "harbour-talks.json").write_text(json.dumps(doc))
    (outcome,) = ingest_paths([wire_dir / "harbour-talks.json"])
    assert "leaves the wire file's folder" in outcome.note


def test_wire_log_keeps_payload_and_outcome(network, wire_dir: Path):
    list(ingest_paths([wire_dir / "harbour-talks.json"]))
    log = WireItem.objects.get()
    assert log.action == "created" and log.format == "ninjs" and log.story is not None
    assert '"harbour-talks.jpg"' in log.payload


def test_ingest_command_json_and_exit_status(network, wire_dir: Path, capsys):
    (wire_dir / "empty.json").write_bytes(b"")
    with pytest.raises(SystemExit) as exit_info:
        call_command("ingest", str(wire_dir), "--json")
    assert exit_info.value.code == 1
    lines = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    by_file = {Path(line["file"]).name: line for line in lines}
    assert by_file["empty.json"] == {
        "file": str(wire_dir / "empty.json"),
        "guid": "",
        "version": None,
        "action": "failed",
        "article_ids": [],
        "urls": [],
        "error": "empty file",
    }
    ok = by_file["harbour-talks.json"]
    assert ok["action"] == "created" and ok["error"] is None
    assert ok["urls"][0].startswith("//test.localhost/en/Politics/")
    call_command("ingest", str(wire_dir / "harbour-talks.json"), "--json")
    assert json.loads(capsys.readouterr().out)["action"] == "unchanged"


def _plain(folder: Path, name: str, **changes: object) -> Path:
    """An item without a picture: the kind new stories are created from in bulk."""
    doc = json.loads((FIXTURES / "ninjs" / "harbour-talks.json").read_text())
    doc.pop("associations", None)
    doc.update(changes)
    path = folder / name
    path.write_text(json.dumps(doc))
    return path


@pytest.fixture
def bulk_calls(monkeypatch) -> list[list[str]]:
    from masthead.wire import pipeline

    calls: list[list[str]] = []
    real = pipeline.stories_create_from_wire

    def spy(*, items):  # type: ignore[no-untyped-def]
        calls.append([item.guid for item in items])
        return real(items=items)

    monkeypatch.setattr(pipeline, "stories_create_from_wire", spy)
    return calls


def test_a_batch_ends_as_one_item_at_a_time_would(network, wire_dir, tmp_path, bulk_calls):
    batch = tmp_path / "batch"
    batch.mkdir()
    _plain(batch, "01.json", uri="urn:x:a")
    _plain(batch, "02.json", uri="urn:x:b", body_html="<p>Talks in Berlin.</p>")
    _plain(batch, "03.json", uri="urn:x:a")  # the same version again
    _plain(batch, "04.json", uri="urn:x:c", version="2", headline="Second wording")
    _plain(batch, "05.json", uri="urn:x:c", version="1", headline="First wording")  # late
    _plain(batch, "06.json", uri="urn:x:b", version="2", pubstatus="canceled")
    _plain(batch, "07.json", uri="urn:x:d", language="nl")  # no route takes Dutch
    _plain(batch, "08.json", uri="urn:x:e", headline="", slugline="", body_html="")
    outcomes = list(ingest_paths([batch]))
    assert [o.action for o in outcomes] == [
        "created",
        "created",
        "unchanged",
        "created",
        "stale",
        "killed",
        "unrouted",
        "failed",
    ]
    # The first news of each new story went in together; the rest one by one after it.
    assert bulk_calls == [["urn:x:a", "urn:x:b", "urn:x:c", "urn:x:d"]]
    assert "no route matched" in outcomes[6].note and "headline" in outcomes[7].error
    assert Story.objects.count() == 4
    a = Article.objects.get(story__guid="urn:x:a")
    assert a.status == ArticleStatus.PUBLISHED and a.section.name == "Politics"
    assert list(a.revisions.values_list("number", "source")) == [(1, "wire MWA v2")]
    killed = Article.objects.filter(story__guid="urn:x:b")
    assert {k.site.code for k in killed} == {"JdT", "ZdT"}
    assert {k.status for k in killed} == {ArticleStatus.KILLED}
    assert all(k.revisions.count() == 2 for k in killed)
    assert Article.objects.get(story__guid="urn:x:c").headline == "Second wording"
    assert not Article.objects.filter(story__guid="urn:x:d").exists()
    assert WireItem.objects.count() == 8
    assert outcomes[0].urls == [f"//test.localhost{a.get_absolute_url()}"]


def test_a_failed_bulk_goes_one_by_one(network, wire_dir, tmp_path, monkeypatch, bulk_calls):
    from masthead.wire import pipeline

    (first,) = ingest_paths([_plain(wire_dir, "alone.json", uri="urn:x:a")])
    assert first.action == "created"
    # As if another worker created story a between the check and the insert.
    monkeypatch.setattr(pipeline, "_known_stories", lambda items: set())
    batch = tmp_path / "batch"
    batch.mkdir()
    _plain(batch, "01.json", uri="urn:x:a")
    _plain(batch, "02.json", uri="urn:x:f")
    outcomes = list(ingest_paths([batch]))
    assert bulk_calls == [["urn:x:a", "urn:x:f"]]  # tried, refused by the unique guid
    assert [o.action for o in outcomes] == ["unchanged", "created"]
    assert Story.objects.filter(guid="urn:x:a").count() == 1
    assert Article.objects.filter(story__guid="urn:x:f").count() == 1
    assert WireItem.objects.count() == 3  # nothing left of the rolled-back attempt


def test_oversize_fields_fare_the_same_on_every_database(network, tmp_path):
    # A headline longer than its column is cut at a word; an identifier too long is kept as
    # its start and a digest, the same at every delivery.
    long_guid = "urn:x:" + "g" * 600
    _plain(tmp_path, "01.json", uri="urn:x:long", headline="Harbour " * 60)
    _plain(tmp_path, "02.json", uri=long_guid)
    _plain(tmp_path, "03.json", uri=long_guid, version="3", headline="Later")
    _plain(tmp_path, "04.json", uri=long_guid + "h", headline="Another story")
    outcomes = list(ingest_paths([tmp_path]))
    assert [o.action for o in outcomes] == ["created", "created", "updated", "created"]
    headline = Article.objects.get(story__guid="urn:x:long").headline
    assert len(headline) <= 300 and headline.endswith("Harbour…")
    kept = Story.objects.filter(guid__startswith="urn:x:ggg")
    assert kept.count() == 2 and all(len(s.guid) <= 500 for s in kept)
    assert {a.headline for a in Article.objects.filter(story__in=kept)} == {
        "Later",
        "Another story",
    }


def test_cut_and_language() -> None:
    from datetime import UTC, datetime

    from masthead.core.errors import WireError
    from masthead.newsroom.items import ParsedItem
    from masthead.wire.limits import cut, fit_item

    now = datetime(2026, 11, 25, tzinfo=UTC)
    item = ParsedItem("g", 1, now, now, "P", "en-" + "x" * 20, "Headline", ())
    with pytest.raises(WireError, match="is not a language code"):
        fit_item(item)

    assert cut("short", 10) == "short"
    assert cut("one two three four", 12) == "one two…"
    assert cut("x" * 20, 10) == "x" * 9 + "…"


def test_a_batch_sent_again_is_told_unchanged_in_a_few_queries(
    network, wire_dir, tmp_path, django_assert_max_num_queries
):
    batch = tmp_path / "batch"
    batch.mkdir()
    for n in range(30):
        body = "<p>Talks in Berlin.</p>" if n % 2 else "<p>Talks.</p>"
        _plain(batch, f"{n:02}.json", uri=f"urn:x:{n}", body_html=body)
    first = list(ingest_paths([batch]))
    assert {o.action for o in first} == {"created"}
    logged = WireItem.objects.count()
    # One read of the stories, one of their articles, one insert of the wire log (and the
    # routing table, once): not a transaction an item.
    with django_assert_max_num_queries(8):
        again = list(ingest_paths([batch]))
    assert [o.action for o in again] == ["unchanged"] * 30
    assert [(o.guid, o.article_ids, o.urls) for o in again] == [
        (o.guid, o.article_ids, o.urls) for o in first
    ]
    assert WireItem.objects.count() == logged + 30
    assert set(WireItem.objects.order_by("-id")[:30].values_list("action", flat=True)) == {
        "unchanged"
    }
    # A newer version among them is still applied, and only it.
    _plain(
        batch,
        "05.json",
        uri="urn:x:5",
        version="3",
        headline="Newer wording",
        body_html="<p>Talks in Berlin.</p>",
    )
    third = list(ingest_paths([batch]))
    assert [o.action for o in third].count("updated") == 1
    assert Article.objects.filter(headline="Newer wording").count() == 2  # JdT and ZdT
