from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from masthead.core.errors import WireError
from masthead.newsroom.items import ParsedItem
from masthead.wire.parsers import parser_for
from masthead.wire.parsers.nitf import NitfParser, nitf_time

FIXTURES = Path(__file__).parent / "fixtures" / "nitf"
PARSER = NitfParser()


def test_latin1_nitf_with_intertitle_quote_and_picture() -> None:
    data = (FIXTURES / "ecluses-namur.xml").read_bytes()
    assert b"\xe9" in data  # really ISO-8859-1 on disk
    assert parser_for(data).name == "nitf"
    (item,) = PARSER.parse(data, source="ecluses-namur.xml")
    assert item.guid == "urn:newsml:meridianwire.example:20261123:ecluses-namur"
    assert (item.version, item.language, item.provider, item.urgency) == (2, "fr", "MWA", 3)
    assert item.headline == "Les écluses de la Meuse à Namur seront modernisées d'ici 2029"
    assert [b.type for b in item.body] == [
        "paragraph",
        "paragraph",
        "intertitle",
        "paragraph",
        "quote",
        "paragraph",
    ]
    assert "<em>modernisées</em>" in item.body[0].html
    assert item.body[2].html == "Une voie d'eau saturée"
    assert item.located == "Namur"
    assert item.subjects == ("subj:04000000",)
    assert item.keywords == ("navigation", "Meuse")
    assert item.ednote.startswith("Remplace la version 1")
    assert item.version_created.isoformat() == "2026-11-23T09:15:00+00:00"
    (picture,) = item.pictures
    assert picture.renditions[0].href == "ecluses-namur.jpg"
    assert picture.credit == "Hélène MARCHAL - MWA"
    assert picture.caption.startswith("Une péniche dans l'écluse")
    assert picture.alt == "Une péniche entre dans une écluse"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("20261123T091500Z", "2026-11-23T09:15:00+00:00"),
        ("20261123T0915+0100", "2026-11-23T09:15:00+01:00"),
        ("20261123", "2026-11-23T00:00:00+00:00"),
        ("2026-11-23T09:15:00Z", "2026-11-23T09:15:00+00:00"),
    ],
)
def test_nitf_times(value: str, expected: str) -> None:
    parsed = nitf_time(value, field="date.issue")
    assert parsed is not None and parsed.isoformat() == expected


BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE nitf [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">
<!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">]>
<nitf><body><body.head><hedline><hl1>&c;</hl1></hedline></body.head></body></nitf>"""
EXTERNAL = b"""<?xml version="1.0"?>
<!DOCTYPE nitf [<!ENTITY x SYSTEM "file:///etc/passwd">]>
<nitf><body><body.head><hedline><hl1>&x;</hl1></hedline></body.head></body></nitf>"""


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (BILLION_LAUGHS, "declares entities"),
        (EXTERNAL, "declares entities"),
        (b"<nitf><body><p>cut off", "not well-formed XML at line 1"),
        # Lying encodings are read right (test_encoding.py); a body is still needed.
        (
            '<?xml version="1.0" encoding="UTF-8"?><nitf><head><title>caf\xe9</title></head></nitf>'.encode(
                "latin-1"
            ),
            "no body text",
        ),
        (b"<nitf/>", "no headline"),
        (
            b"<nitf><head><title>Only a title</title></head><body><body.content/></body></nitf>",
            "no body text",
        ),
        (
            b"<nitf><head><docdata management-status='maybe'/><title>T</title></head></nitf>",
            "management-status",
        ),
    ],
)
def test_bad_nitf_fails_with_one_line(data: bytes, message: str) -> None:
    with pytest.raises(WireError, match=message) as info:
        PARSER.parse(data, source="bad.xml")
    assert "\n" not in str(info.value)


@given(st.binary(max_size=3000))
def test_any_bytes_give_items_or_a_wire_error(data: bytes) -> None:
    try:
        items = PARSER.parse(b"<nitf>" + data, source="fuzz.xml")
    except WireError as exc:
        assert str(exc) and "\n" not in str(exc)  # one line a user can read
        return
    # What parses is a whole item: an identity, a headline and text, all of it plain or clean.
    for item in items:
        assert isinstance(item, ParsedItem), item
        assert item.guid and item.headline and item.body
        assert "<" not in item.headline
        assert all(block.html.strip() for block in item.body)


def test_entities_are_refused_however_far_into_the_file() -> None:
    from masthead.wire.parsers import parser_for

    padding = b"<!-- " + b"x" * 100_000 + b" -->\n"
    dtd = b'<!DOCTYPE nitf [<!ENTITY boom "boom">]>\n'
    padded = (
        b'<?xml version="1.0"?>\n'
        + padding
        + dtd
        + b"<nitf><head><title>&boom;</title></head></nitf>"
    )
    with pytest.raises(WireError, match="declares entities"):
        parser_for(padded).parse(padded, source="x")
    late = b"<nitf><head><title>T</title></head>" + b" " * 70_000 + b'<!ENTITY x "y"></nitf>'
    with pytest.raises(WireError, match="declares entities"):
        PARSER.parse(late, source="x")
