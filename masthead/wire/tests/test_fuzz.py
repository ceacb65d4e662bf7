"""Every parser, fed mutated copies of valid files: items or one clean WireError, nothing else."""

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from masthead.core.errors import WireError
from masthead.newsroom.items import ParsedItem
from masthead.wire.parsers.feed import FeedParser
from masthead.wire.parsers.newsml import NewsMLParser
from masthead.wire.parsers.ninjs import NinjsParser
from masthead.wire.parsers.nitf import NitfParser
from masthead.wire.parsers.page import PageTextParser
from masthead.wire.parsers.text import TextParser

FIXTURES = Path(__file__).parent / "fixtures"
CASES = [
    (NewsMLParser(), "newsml/ferry-message.xml"),
    (NitfParser(), "nitf/ecluses-namur.xml"),
    (FeedParser(), "feed/city-press.rss"),
    (NinjsParser(), "ninjs/harbour-talks.json"),
    (PageTextParser(), "page/library-night.txt"),
    (TextParser(), "text/tram-depot.txt"),
]


@st.composite
def mutated(draw: st.DrawFn, data: bytes) -> bytes:
    out = bytearray(data)
    for _ in range(draw(st.integers(1, 4))):
        if not out:
            break
        at = draw(st.integers(0, len(out) - 1))
        kind = draw(st.sampled_from(["delete", "insert", "flip", "truncate"]))
        if kind == "delete":
            del out[at : at + draw(st.integers(1, 40))]
        elif kind == "insert":
            out[at:at] = draw(
                st.sampled_from(
                    [
                        b"<",
                        b">",
                        b"&",
                        b'"',
                        b"\x00",
                        b"\xff\xfe",
                        b"]]>",
                        b"<!ENTITY x 'y'>",
                        b"{",
                        b"\n\n",
                    ]
                )
            )
        elif kind == "flip":
            out[at] = draw(st.integers(0, 255))
        else:
            del out[at:]
    return bytes(out)


@pytest.mark.parametrize(("parser", "name"), CASES, ids=[name for _, name in CASES])
@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(data=st.data())
def test_mutations_fail_cleanly(parser, name: str, data: st.DataObject) -> None:
    original = (FIXTURES / name).read_bytes()
    sample = data.draw(mutated(original))
    try:
        results = parser.parse(sample, source=name)
    except WireError as exc:
        assert str(exc) and "\n" not in str(exc)
        return
    for result in results:
        if isinstance(result, WireError):
            assert str(result) and "\n" not in str(result)
        else:
            assert isinstance(result, ParsedItem) and result.guid and result.headline
