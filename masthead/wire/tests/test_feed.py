from pathlib import Path

import pytest

from masthead.core.errors import WireError
from masthead.wire.parsers import parser_for
from masthead.wire.parsers.feed import FeedParser

FIXTURES = Path(__file__).parent / "fixtures" / "feed"
PARSER = FeedParser()


def _parse(name: str) -> list:
    data = (FIXTURES / name).read_bytes()
    assert parser_for(data).name == "feed"
    return list(PARSER.parse(data, source=name))


def test_rss_with_full_text_picture_and_categories() -> None:
    bridges, market, untitled = _parse("city-press.rss")
    assert bridges.guid == "ghent-press-2026-311"
    assert (bridges.provider, bridges.language, bridges.version) == (
        "Ghent City Press Office",
        "en",
        1,
    )
    assert [b.type for b in bridges.body] == ["paragraph", "intertitle", "paragraph"]
    assert bridges.subjects == ("medtop:11000000",) and bridges.keywords == ("cycling",)
    assert bridges.first_created.isoformat() == "2026-11-23T08:00:00+00:00"
    (picture,) = bridges.pictures
    assert picture.renditions[0].href == "https://press.ghent.example/img/bridges-1200.jpg"
    assert picture.caption == "One of the new bridges over the Leie in Ghent."
    assert picture.credit == "Ines MAERTENS"
    assert isinstance(untitled, WireError) and "no title" in str(untitled)
    html = market.body[0].html
    assert "onclick" not in html and "javascript" not in html and "alert(2)" not in html


def test_atom_update_is_a_newer_version() -> None:
    (entry,) = _parse("harbour.atom")
    assert entry.language == "fr" and entry.byline == "Service communication"
    assert entry.version == int(entry.version_created.timestamp()) > 1
    assert entry.first_created < entry.version_created
    assert "<strong>cent mille</strong>" in entry.body[0].html


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ((FIXTURES / "broken.rss").read_bytes(), "not well-formed feed at line 2"),
        (
            b'<?xml version="1.0"?><rss version="2.0"><channel><title>x</title></channel></rss>',
            "no entries",
        ),
    ],
)
def test_bad_feeds(data: bytes, message: str) -> None:
    with pytest.raises(WireError, match=message):
        PARSER.parse(data, source="bad")


def test_feed_through_the_pipeline(network, tmp_path: Path) -> None:
    from masthead.wire.pipeline import ingest_paths

    target = tmp_path / "city.rss"
    target.write_bytes((FIXTURES / "city-press.rss").read_bytes())
    outcomes = list(ingest_paths([target]))
    assert [o.action for o in outcomes] == ["created", "created", "failed"]
    assert [o.action for o in ingest_paths([target])] == ["unchanged", "unchanged", "failed"]
