from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from masthead.core.errors import WireError
from masthead.wire.parsers import parser_for
from masthead.wire.parsers.text import TextParser

FIXTURES = Path(__file__).parent / "fixtures" / "text"
PARSER = TextParser()


def _parse(text: str | bytes, source: str = "story.txt"):
    data = text.encode() if isinstance(text, str) else text
    items = PARSER.parse(data, source=source)
    assert len(items) == 1
    return items[0]


def test_agency_text_with_headers() -> None:
    data = (FIXTURES / "tram-depot.txt").read_bytes()
    assert parser_for(data).name == "text"
    item = _parse(data, "in/tram-depot.txt")
    assert item.guid == "urn:newsml:meridianwire.example:20261123:tram-depot"
    assert (item.version, item.language, item.provider) == (1, "en", "MWA")
    assert item.headline == "Ghent to build an electric tram depot on former rail yard"
    assert item.subjects == ("medtop:04000000",)
    assert item.keywords == ("transport", "Ghent")
    assert item.located == "Ghent"
    kinds = [b.type for b in item.body]
    assert kinds == ["paragraph", "paragraph", "intertitle", "paragraph", "paragraph", "paragraph"]
    assert item.body[2].html == "A cheaper route"
    assert item.body[0].html.startswith("GHENT (MWA) - The city of Ghent")
    assert all("--CdB" not in b.html for b in item.body)  # the sender's signature is dropped
    picture = item.pictures[0]
    assert picture.caption == "Workers clear the old rail yard in Ghent"
    assert picture.credit == "Ines MAERTENS - MWA/File"
    assert picture.renditions[0].href == "tram-depot.jpg"
    assert item.version_created.isoformat() == "2026-11-23T09:15:00+00:00"


def test_bare_text_gets_a_stable_identity_and_leaves_its_language_open() -> None:
    text = "Un titre\n\nPremier paragraphe.\n\nDeuxième paragraphe.\n"
    first, again = _parse(text), _parse(text)
    assert first.guid == again.guid and first.guid.startswith("text:")
    assert _parse(text.replace("Premier", "Autre")).guid != first.guid
    assert first.language == ""  # the pipeline settles it (test_language.py)
    assert first.provider == "text"
    assert first.pictures == ()
    assert [b.html for b in first.body] == ["Premier paragraphe.", "Deuxième paragraphe."]


def test_latin1_text_is_read() -> None:
    item = _parse("Fête à Liège\n\nLa fête a réuni des milliers de gens.\n".encode("cp1252"))
    assert item.headline == "Fête à Liège"


def test_markup_in_text_is_inert() -> None:
    item = _parse("<b>Bold</b> claim\n\nA <script>alert(1)</script> paragraph & more.\n")
    assert item.headline == "Bold claim"
    assert "<script>" not in item.body[0].html
    assert "&amp;" in item.body[0].html


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"\x00\x01\x02\x03binary\x00junk" * 50, "binary data"),
        (b"   \n\n  ", "no text"),
        (b"ID: x\nVersion: 2\n", "only header lines"),
        (b"ID: x\nnot a header\n\nHeadline\n\nBody.", "line 2: expected 'Key: value'"),
        (b"Version: two\n\nHeadline\n\nBody.", "Version: 'two' is not a whole number"),
        (b"Date: yesterday\n\nHeadline\n\nBody.", "Date: 'yesterday' is not an ISO 8601"),
        (b"Language: english!\n\nHeadline\n\nBody.", "Language: 'english!'"),
        (b"Status: maybe\n\nHeadline\n\nBody.", "Status: 'maybe'"),
        (b"Urgency: high\n\nHeadline\n\nBody.", "Urgency: 'high'"),
        (b"Only a headline\n", "no body text"),
    ],
)
def test_bad_text_fails_with_one_line(data: bytes, message: str) -> None:
    with pytest.raises(WireError, match=message) as info:
        PARSER.parse(data, source="bad.txt")
    assert "\n" not in str(info.value)


def test_kill_and_embargo_headers() -> None:
    killed = _parse("ID: a\nVersion: 3\nStatus: canceled\n\nHeadline\n\nWithdrawn.")
    assert (killed.status, killed.version) == ("canceled", 3)
    held = _parse("ID: b\nEmbargo: 2030-01-01T06:00:00+01:00\n\nHeadline\n\nLater.")
    assert held.embargo is not None and held.embargo.year == 2030


def test_text_is_not_sniffed_for_markup_or_json() -> None:
    assert not PARSER.sniff(b"<?xml version='1.0'?><nitf/>")
    assert not PARSER.sniff(b'{"uri": "x"}')
    assert PARSER.sniff(b"A headline\n\nA paragraph.")


@given(st.binary(max_size=2000))
def test_any_bytes_give_items_or_a_wire_error(data: bytes) -> None:
    try:
        items = PARSER.parse(data, source="fuzz.txt")
    except WireError as exc:
        assert str(exc) and "\n" not in str(exc)
    else:
        assert items[0].headline and items[0].body
