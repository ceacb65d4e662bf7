"""ninjs parser: our fixtures, the IPTC examples in ../shared, and broken input."""

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from masthead.conftest import FIXTURES
from masthead.core.errors import WireError
from masthead.newsroom.items import ParsedItem
from masthead.wire.parsers.ninjs import NinjsParser, picture_credit

PARSER = NinjsParser()
HARBOUR = (FIXTURES / "ninjs" / "harbour-talks.json").read_bytes()


def test_parses_story_with_intertitles_quote_and_file_picture():
    (item,) = PARSER.parse(HARBOUR, source="h.json")
    assert item.guid == "urn:newsml:meridianwire.example:20261120:harbour-talks"
    assert item.version == 2 and item.provider == "MWA" and item.language == "en"
    assert item.headline == "Port cities agree to hold joint talks on shipping emissions"
    assert item.first_created == datetime(2026, 11, 20, 8, 5, tzinfo=UTC)
    assert [b.type for b in item.body].count("intertitle") == 2
    assert [b.type for b in item.body].count("quote") == 1
    (picture,) = item.pictures
    assert picture.credit == "Lena HOLM, Marc DUPREZ - MWA/File"
    assert picture.alt.startswith("A large container ship")
    assert picture.best_rendition().href == "harbour-talks.jpg"
    assert item.subjects == ("medtop:11000000",)


def test_fresh_picture_has_no_file_mark():
    created = datetime(2026, 11, 20, tzinfo=UTC)
    assert (
        picture_credit(byline="A B", agency="MWA", picture_created=created, story_created=created)
        == "A B - MWA"
    )


def test_sniff():
    assert PARSER.sniff(HARBOUR)
    assert not PARSER.sniff(b"<?xml version='1.0'?><newsItem/>")


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"{not json", "invalid JSON at line 1"),
        (b"[1, 2]", "no ninjs item in the document"),
        (b'{"uri": "x"}', "item x: no headline and no text"),
        (b'{"headline": "x"}', "missing 'uri'"),
        (
            b'{"uri": "x", "headline": "h", "body_text": "b", "version": "two"}',
            "version: 'two' is not a whole number",
        ),
        (b'{"uri": "x", "headline": "h", "pubstatus": "maybe"}', "unknown pubstatus"),
        (b"\xff\xfe{}", "not UTF-8"),
    ],
)
def test_bad_documents_fail_with_one_line(data: bytes, message: str):
    with pytest.raises(WireError, match=message):
        PARSER.parse(data, source="x.json")


@pytest.mark.parametrize("version", ["2.2", "3.1"])
def test_iptc_examples_parse_cleanly(shared_dir: Path, version: str):
    folder = shared_dir / "fixtures" / "ninjs" / version
    parsed = 0
    for path in sorted(folder.glob("*.json")):
        doc = json.loads(path.read_text())
        try:
            items = PARSER.parse(path.read_bytes(), source=str(path))
        except WireError as exc:
            # Only items without a story of their own may be refused (pictures, events).
            assert "items are not published" in str(exc), f"{path.name}: {exc}"
            continue
        (item,) = items
        assert item.guid == doc["uri"]
        assert item.headline
        parsed += 1
    assert parsed >= 3


@settings(max_examples=150, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(st.data())
def test_fuzzed_documents_fail_cleanly(data: st.DataObject):
    raw = bytearray(HARBOUR)
    for _ in range(data.draw(st.integers(1, 8))):
        pos = data.draw(st.integers(0, len(raw) - 1))
        op = data.draw(st.sampled_from(["flip", "cut", "dup"]))
        if op == "flip":
            raw[pos] = data.draw(st.integers(0, 255))
        elif op == "cut":
            del raw[pos : pos + data.draw(st.integers(1, 50))]
        else:
            raw[pos:pos] = raw[pos : pos + data.draw(st.integers(1, 50))]
    try:
        items = PARSER.parse(bytes(raw), source="fuzz.json")
    except WireError as exc:
        # Refused with one line that says what is wrong, never a crash or a blank message.
        assert str(exc) and "\n" not in str(exc) and len(str(exc)) < 500
        return
    for item in items:
        if isinstance(item, WireError):
            assert str(item) and "\n" not in str(item)
            continue
        assert item.guid and item.headline and item.body
        assert "<" not in item.headline


@pytest.mark.parametrize(
    ("field", "value", "line"),
    [
        (
            "embargoed",
            "9999-12-31T23:59:59+14:00",
            "embargoed: '9999-12-31T23:59:59+14:00' is out of range",
        ),
        ("embargoed", "next tuesday", "embargoed: 'next tuesday' is not an ISO 8601 date-time"),
    ],
)
def test_an_embargo_that_cannot_be_read_fails_the_item_naming_it(field, value, line) -> None:
    doc = {"uri": "u", "headline": "h", "body_text": "b", field: value}
    with pytest.raises(WireError) as info:
        PARSER.parse(json.dumps(doc).encode(), source="x")
    assert str(info.value).startswith(line)


def test_a_bad_optional_time_is_passed_over_with_a_note() -> None:
    doc = {"uri": "u", "headline": "h", "body_text": "b", "firstcreated": "yesterday"}
    (item,) = PARSER.parse(json.dumps(doc).encode(), source="x")
    assert isinstance(item, ParsedItem)
    assert item.notes == ("firstcreated: 'yesterday' is not an ISO 8601 date-time: ignored",)


def test_far_future_embargo_through_the_pipeline_is_one_line(network, tmp_path) -> None:
    from masthead.wire.pipeline import ingest_paths

    path = tmp_path / "far.json"
    path.write_text(
        json.dumps(
            {
                "uri": "u",
                "headline": "h",
                "body_text": "b",
                "language": "en",
                "embargoed": "9999-12-31T23:59:59+14:00",
            }
        )
    )
    (outcome,) = ingest_paths([path])
    assert outcome.action == "failed" and "OverflowError" not in outcome.error
    assert outcome.error.startswith("embargoed: ")


@pytest.mark.parametrize(
    "document",
    [
        {"item": {"guid": "g-1", "headline": "Wrapped once", "body_text": "Text."}},
        {"data": {"item": {"guid": "g-1", "headline": "Wrapped once", "body_text": "Text."}}},
        [{"guid": "g-1", "headline": "Wrapped once", "body_text": "Text."}],
        {"data": [{"id": "g-1", "headline": "Wrapped once", "body_text": "Text."}]},
    ],
)
def test_ninjs_as_written_in_the_wild(document) -> None:
    (item,) = PARSER.parse(json.dumps(document).encode(), source="x")
    assert isinstance(item, ParsedItem)
    assert item.guid == "g-1" and item.headline == "Wrapped once"
    assert [b.html for b in item.body] == ["Text."]


def test_an_envelope_of_several_items_fails_them_one_by_one() -> None:
    document = {"items": [{"guid": "a", "headline": "A", "body_text": "a"}, {"headline": "no id"}]}
    first, second = PARSER.parse(json.dumps(document).encode(), source="x")
    assert isinstance(first, ParsedItem) and isinstance(second, WireError)
    assert str(second).startswith("item 1: missing 'uri' or 'guid'")


def test_no_headline_takes_the_slugline_then_the_first_sentence() -> None:
    doc = {"uri": "u", "slugline": "Tram depot", "body_text": "The depot reopens. More later."}
    (item,) = PARSER.parse(json.dumps(doc).encode(), source="x")
    assert item.headline == "Tram depot" and "slugline" in item.notes[0]
    del doc["slugline"]
    (item,) = PARSER.parse(json.dumps(doc).encode(), source="x")
    assert item.headline == "The depot reopens." and "first sentence" in item.notes[0]
