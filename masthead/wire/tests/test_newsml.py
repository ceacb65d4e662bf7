from pathlib import Path

import pytest

from masthead.core.errors import WireError
from masthead.core.xml import parse_xml
from masthead.newsroom.models import Article, ArticleStatus
from masthead.wire.parsers import parser_for
from masthead.wire.parsers.newsml import NewsMLParser
from masthead.wire.pipeline import ingest_paths

FIXTURES = Path(__file__).parent / "fixtures" / "newsml"
PARSER = NewsMLParser()


def _items(name: str) -> list:
    data = (FIXTURES / name).read_bytes()
    assert parser_for(data).name == "newsml"
    return list(PARSER.parse(data, source=name))


def test_text_item_with_inline_nitf() -> None:
    (item,) = _items("ferry-text.xml")
    assert item.guid == "urn:newsml:meridianwire.example:20261122:ostend-ferry"
    assert (item.version, item.provider, item.language, item.urgency) == (1, "MWA", "en", 3)
    assert item.headline.startswith("Ferry link between Ostend")
    assert [b.type for b in item.body] == [
        "paragraph",
        "paragraph",
        "intertitle",
        "paragraph",
        "quote",
    ]
    assert (item.located, item.byline, item.slugline) == (
        "Ostend",
        "Staff reporter",
        "ostend-ferry",
    )
    assert item.subjects == ("medtop:04000000",) and item.keywords == ("ferries",)
    assert item.first_created.isoformat() == "2026-11-22T08:00:00+00:00"


def test_news_message_ties_the_picture_to_its_story() -> None:
    items = _items("ferry-message.xml")
    assert [i.guid.rsplit(":", 1)[1] for i in items] == ["ostend-ferry", "ghent-bikes"]
    ferry, bikes = items
    (picture,) = ferry.pictures
    assert picture.best_rendition().href == "ferry.jpg"  # the largest of two renditions
    assert picture.caption == "A ferry moored at the quay in Ostend in June 2024."
    assert picture.alt.startswith("A white ferry")
    assert picture.credit == "Lena HOLM - MWA/File"  # two years older than the story
    assert bikes.pictures == ()


def test_kill_and_embargo() -> None:
    (killed,) = _items("ferry-kill.xml")
    assert (killed.status, killed.version) == ("canceled", 3)
    assert killed.ednote.startswith("Withdrawn")
    (held,) = _items("ferry-embargo.xml")
    assert held.embargo is not None and held.embargo.year == 2099


def test_xhtml_body_is_sanitised() -> None:
    (item,) = _items("hafen-xhtml.xml")
    assert item.language == "de" and item.provider == "Meridian Wire"
    assert [b.type for b in item.body] == ["paragraph", "intertitle", "paragraph"]
    assert "<strong>Landstrom</strong>" in item.body[0].html
    assert all("alert" not in b.html for b in item.body)


def test_versions_and_kill_through_the_pipeline(network, tmp_path: Path) -> None:
    for name in ("ferry-text.xml", "ferry-message.xml", "ferry-kill.xml"):
        (tmp_path / name).write_bytes((FIXTURES / name).read_bytes())
    (tmp_path / "ferry.jpg").write_bytes(
        __import__("masthead.demo.pictures", fromlist=["demo_picture"]).demo_picture("ferry")
    )
    actions = [o.action for o in ingest_paths([tmp_path / "ferry-text.xml"])]
    actions += [o.action for o in ingest_paths([tmp_path / "ferry-message.xml"])]
    assert actions == ["created", "updated", "created"]
    ferry = Article.objects.get(story__guid__endswith="ostend-ferry", site__code="JdT")
    assert ferry.picture is not None and ferry.picture.credit == "Lena HOLM - MWA/File"
    assert [o.action for o in ingest_paths([tmp_path / "ferry-kill.xml"])] == ["killed"]
    ferry.refresh_from_db()
    assert ferry.status == ArticleStatus.KILLED


def test_a_broken_item_in_a_message_fails_alone(network, tmp_path: Path) -> None:
    message = (FIXTURES / "ferry-message.xml").read_text()
    broken = message.replace(
        "<headline>Ghent adds 2,000 bicycle parking places at its main station</headline>", ""
    )
    (tmp_path / "m.xml").write_text(broken)
    outcomes = list(ingest_paths([tmp_path / "m.xml"]))
    assert [o.action for o in outcomes] == ["created", "created"]
    # No headline: one is taken from the item's other fields, and the wire log says which.
    assert "no headline: taken from the" in outcomes[1].note


def _shared(shared_dir: Path, name: str) -> bytes:
    return (shared_dir / "fixtures" / "newsml-g2" / name).read_bytes()


@pytest.mark.parametrize(
    "name",
    ["LISTING_2_NewsML-G2_Text_Document.xml", "LISTING_22_Sports_story_in_NewsML-G2NITF.xml"],
)
def test_iptc_text_listings(shared_dir: Path, name: str) -> None:
    data = _shared(shared_dir, name)
    (item,) = PARSER.parse(data, source=name)
    assert item.guid and item.version > 1 and item.headline and item.body
    assert item.language.startswith("en")


def test_iptc_photo_listing(shared_dir: Path) -> None:
    root = parse_xml(_shared(shared_dir, "LISTING_3_Photo_in_NewsML-G2.xml"))
    picture = PARSER.picture(root)
    assert picture.caption and picture.credit and picture.renditions
    with pytest.raises(WireError, match="pictures alone are not published"):
        PARSER.parse(_shared(shared_dir, "LISTING_3_Photo_in_NewsML-G2.xml"), source="x")


def test_iptc_package_and_message_listings(shared_dir: Path) -> None:
    with pytest.raises(WireError, match="package without the items it refers to"):
        PARSER.parse(_shared(shared_dir, "LISTING_6_Simple_NewsML-G2_Package.xml"), source="x")
    results = PARSER.parse(
        _shared(shared_dir, "LISTING_24_News_Message_conveying_a_complete_News_Package.xml"),
        source="x",
    )
    # The sample's items are placeholders with no text at all: each fails alone, by name.
    assert [str(r) for r in results] == [f"item N{i}: no body text" for i in range(1, 5)]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"<newsItem xmlns='http://iptc.org/std/nar/2006-10-01/'><itemMeta>", "not well-formed"),
        (b"<newsItem xmlns='http://iptc.org/std/nar/2006-10-01/' guid='g'/>", "no body text"),
        (b"<other/>", "expected a NewsML-G2"),
    ],
)
def test_bad_newsml(data: bytes, message: str) -> None:
    try:
        results = PARSER.parse(data, source="bad.xml")
    except WireError as exc:
        assert message in str(exc)
    else:
        assert any(message in str(r) for r in results if isinstance(r, WireError))
