"""RSS and Atom parser: our fixtures, sanitising, versions from update times, broken feeds."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from masthead.core.errors import WireError
from masthead.newsroom.items import ParsedItem
from masthead.wire.parsers import parser_for
from masthead.wire.parsers.feed import FeedParser

FIXTURES = Path(__file__).parent / "fixtures" / "feed"
PARSER = FeedParser()


def _parse(name: str) -> list[ParsedItem | WireError]:
    data = (FIXTURES / name).read_bytes()
    assert parser_for(data).name == "feed"
    return list(PARSER.parse(data, source=name))


def _items(data: bytes) -> list[ParsedItem | WireError]:
    return list(PARSER.parse(data, source="inline"))


def _rss(items: str, channel: str = "") -> bytes:
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/">'
        f"<channel><title>Valley Courier</title><link>https://valley.example/</link>{channel}"
        f"{items}</channel></rss>"
    ).encode()


def _atom_entry(updated: str, published: str = "") -> bytes:
    times = f"<updated>{updated}</updated>"
    if published:
        times += f"<published>{published}</published>"
    return (
        '<feed xmlns="http://www.w3.org/2005/Atom"><title>Valley Courier</title>'
        f"<entry><id>urn:x:mill</id><title>Mill reopens</title>{times}"
        "<content type='html'>&lt;p&gt;The mill reopens.&lt;/p&gt;</content></entry></feed>"
    ).encode()


def test_rss_with_full_text_picture_and_categories() -> None:
    bridges, market, untitled = _parse("city-press.rss")
    assert isinstance(bridges, ParsedItem) and isinstance(market, ParsedItem)
    assert bridges.guid == "ghent-press-2026-311"
    assert (bridges.provider, bridges.language, bridges.version) == (
        "Ghent City Press Office",
        "en",
        1,
    )
    assert bridges.headline == "City opens three new cycle bridges over the Leie"
    # content:encoded is preferred to the short description.
    assert [b.type for b in bridges.body] == ["paragraph", "intertitle", "paragraph"]
    assert bridges.body[1].html == "Shorter trips"
    assert bridges.subjects == ("medtop:11000000",) and bridges.keywords == ("cycling",)
    assert bridges.first_created == bridges.version_created == datetime(2026, 11, 23, 8, tzinfo=UTC)
    assert bridges.byline == "Press office" and bridges.format == "feed"
    (picture,) = bridges.pictures
    assert picture.renditions[0].href == "https://press.ghent.example/img/bridges-1200.jpg"
    assert (picture.renditions[0].width, picture.renditions[0].height) == (1200, 675)
    assert picture.caption == "One of the new bridges over the Leie in Ghent."
    assert picture.credit == "Ines MAERTENS"
    # Without full text, the description is the body.
    assert market.body[0].html.startswith("The Christmas market moves this year.")
    assert isinstance(untitled, WireError)
    assert str(untitled) == "entry 3 (ghent-press-2026-313): no title"


def test_atom_xhtml_content_and_an_update_after_publication() -> None:
    terminal, berths = _parse("harbour.atom")
    assert isinstance(terminal, ParsedItem) and isinstance(berths, ParsedItem)
    assert terminal.language == "fr" and terminal.byline == "Service communication"
    assert terminal.provider == "Port de Liège - actualités"
    assert terminal.first_created == datetime(2026, 11, 23, 8, tzinfo=UTC)
    assert terminal.version_created == datetime(2026, 11, 24, 11, tzinfo=UTC)
    assert terminal.version == int(terminal.version_created.timestamp())
    assert "<strong>cent mille</strong>" in terminal.body[0].html
    # A relative link points to the publisher's site, not to ours.
    assert 'href="https://port-liege.example/plan-rail"' in terminal.body[1].html


def test_atom_entry_with_only_an_update_time_text_summary_and_iptc_scheme() -> None:
    berths = _parse("harbour.atom")[1]
    assert isinstance(berths, ParsedItem)
    assert berths.language == "nl"  # the entry's xml:lang="nl-BE" wins over the feed's
    assert berths.headline == "Nieuwe ligplaatsen voor binnenschepen"
    assert (
        berths.first_created == berths.version_created == datetime(2026, 11, 22, 15, 30, tzinfo=UTC)
    )
    assert berths.version == int(berths.version_created.timestamp())
    # type="text": blank lines are paragraphs, markup characters are text.
    assert [b.html for b in berths.body] == [
        "Vanaf maandag liggen er twaalf ligplaatsen klaar.",
        "Schippers betalen minder dan 5 &lt; 10 euro per nacht &amp; krijgen stroom.",
    ]
    assert berths.subjects == ("medtop:11000000",)
    assert berths.keywords == ("binnenvaart", "Waterwegen")
    assert berths.byline == ""  # an address alone is no byline


def test_later_updates_are_newer_versions_and_a_reread_is_the_same() -> None:
    published = "2026-11-20T08:00:00Z"
    (plain,) = _items(_atom_entry(updated=published, published=published))
    (first,) = _items(_atom_entry(updated="2026-11-21T09:00:00Z", published=published))
    (again,) = _items(_atom_entry(updated="2026-11-21T09:00:00Z", published=published))
    (second,) = _items(_atom_entry(updated="2026-11-21T09:00:01Z", published=published))
    assert isinstance(plain, ParsedItem) and plain.version == 1
    assert isinstance(first, ParsedItem) and isinstance(second, ParsedItem)
    assert isinstance(again, ParsedItem) and again.version == first.version
    assert 1 < first.version < second.version
    assert first.first_created == second.first_created == datetime(2026, 11, 20, 8, tzinfo=UTC)
    (early,) = _items(_atom_entry(updated="2026-11-19T08:00:00Z", published=published))
    assert isinstance(early, ParsedItem) and early.version == 1  # not an update
    (future,) = _items(_atom_entry(updated="2040-01-01T00:00:00Z", published=published))
    assert isinstance(future, ParsedItem) and future.version == 2208988800  # past 2038: fits


def test_hostile_markup_comes_out_harmless() -> None:
    (item,) = _parse("hostile.rss")
    assert isinstance(item, ParsedItem)
    assert item.headline == "Ferry timetable changes for winter"
    assert item.provider == "Lakeside Gazette"
    assert item.language == "en" and item.byline == "Mara Velde"
    assert item.keywords == ("transport",)
    body = " ".join(b.html for b in item.body)
    for bad in (
        "<script",
        "document.cookie",
        "onclick",
        "onmouseover",
        "onerror",
        "style",
        "javascript:",
        "data:",
        "<iframe",
        "<img",
        "<object",
        "display: none",
        "target=",
    ):
        assert bad not in body, bad
    assert [b.type for b in item.body] == [
        "paragraph",
        "paragraph",
        "paragraph",
        "intertitle",
        "paragraph",
    ]
    assert item.body[0].html == "The last ferry now leaves at <strong>21:40</strong>."
    assert '<a href="https://lakeside.example/ferry" rel="noopener nofollow">' in body
    assert item.body[3].html == "Night crossings"
    # Only the http(s) picture is kept; caption and credit are plain text.
    (picture,) = item.pictures
    assert [r.href for r in picture.renditions] == ["https://lakeside.example/img/ferry.jpg"]
    assert picture.caption == "The ferry Lakeside II at the north pier."
    assert picture.credit == "Tom REES"


def test_entry_without_a_date_takes_the_feeds_time_or_fails_alone() -> None:
    undated = (
        "<item><guid>v-1</guid><title>Bridge closed</title><description>Shut.</description></item>"
    )
    dated = (
        "<item><guid>v-2</guid><title>Bridge open</title><description>Open.</description>"
        "<pubDate>Thu, 26 Nov 2026 10:00:00 +0000</pubDate></item>"
    )
    (item,) = _items(
        _rss(undated, channel="<lastBuildDate>Thu, 26 Nov 2026 12:00:00 GMT</lastBuildDate>")
    )
    assert isinstance(item, ParsedItem) and item.version == 1
    assert item.first_created == datetime(2026, 11, 26, 12, tzinfo=UTC)
    missing, good = _items(_rss(undated + dated))
    assert str(missing) == "entry 1 (v-1): no publication date, in the entry or the feed"
    assert isinstance(good, ParsedItem) and good.guid == "v-2"


def test_broken_entries_fail_alone_and_name_themselves() -> None:
    entries = (
        "<item><title>No identity</title><description>x</description></item>"
        "<item><guid>v-3</guid><title>Empty</title><pubDate>Thu, 26 Nov 2026 10:00:00 GMT</pubDate></item>"
        "<item><link>/2026/lock</link><title>Lock repaired</title>"
        "<dc:date>2026-11-26T10:00:00Z</dc:date><description>The lock works.</description></item>"
    )
    no_id, no_text, by_link = _items(_rss(entries))
    assert str(no_id) == "entry 1 ('No identity'): no id and no link"
    assert str(no_text) == "entry 2 (v-3): no text"
    # Known by its link, made absolute against the feed's.
    assert isinstance(by_link, ParsedItem) and by_link.guid == "https://valley.example/2026/lock"


def test_relative_picture_addresses_and_thumbnails_only_as_a_last_resort() -> None:
    media = 'xmlns:media="http://search.yahoo.com/mrss/"'
    item = (
        f"<item {media}><guid>v-4</guid><title>Weir</title><link>https://valley.example/weir</link>"
        "<pubDate>Thu, 26 Nov 2026 10:00:00 GMT</pubDate><description>Weir.</description>"
        '<media:thumbnail url="https://valley.example/t.jpg" width="150" height="150"/>'
        '<enclosure url="/img/weir.jpg" type="image/jpeg" length="1000"/>'
        '<enclosure url="/audio/weir.mp3" type="audio/mpeg" length="1000"/>'
        "<media:title>The weir at dawn</media:title></item>"
    )
    (parsed,) = _items(_rss(item))
    assert isinstance(parsed, ParsedItem)
    (picture,) = parsed.pictures
    assert [r.href for r in picture.renditions] == ["https://valley.example/img/weir.jpg"]
    assert picture.guid == "https://valley.example/img/weir.jpg"
    assert picture.caption == "The weir at dawn"  # media:title when there is no description
    (thumbnail_only,) = _items(_rss(item.replace("<enclosure", "<ignored")))
    assert isinstance(thumbnail_only, ParsedItem)
    assert thumbnail_only.pictures[0].renditions[0].href == "https://valley.example/t.jpg"


@pytest.mark.parametrize(
    ("channel", "item", "expected"),
    [
        ("<language>de-AT</language>", "", "de"),
        ("<language>FR_be</language>", "", "fr"),
        ("<language>deutsch</language>", "", ""),  # not a code: the pipeline settles it
        ("<language>de</language>", "<dc:language>it</dc:language>", "it"),
    ],
)
def test_language_is_a_two_letter_code(channel: str, item: str, expected: str) -> None:
    entry = (
        f"<item><guid>v-5</guid><title>Lido</title><description>Lido.</description>{item}"
        "<pubDate>Thu, 26 Nov 2026 10:00:00 GMT</pubDate></item>"
    )
    (parsed,) = _items(_rss(entry, channel=channel))
    assert isinstance(parsed, ParsedItem) and parsed.language == expected


def test_provider_falls_back_to_the_host_of_the_feeds_link() -> None:
    data = _rss(
        "<item><guid>v-6</guid><title>Quay</title><description>Quay.</description>"
        "<pubDate>Thu, 26 Nov 2026 10:00:00 GMT</pubDate></item>"
    ).replace(b"<title>Valley Courier</title>", b"<title></title>")
    (parsed,) = _items(data)
    assert isinstance(parsed, ParsedItem) and parsed.provider == "valley.example"


def test_undeclared_html_entities_are_tolerated_in_a_sound_document() -> None:
    entry = (
        "<item><guid>v-7</guid><title>Caf&eacute;&nbsp;terraces</title>"
        "<pubDate>Thu, 26 Nov 2026 10:00:00 GMT</pubDate>"
        "<description>Open until 22:00&nbsp;h.</description></item>"
    )
    (parsed,) = _items(_rss(entry))
    assert isinstance(parsed, ParsedItem) and parsed.headline == "Café terraces"
    cut = _rss(entry)[:-30]
    with pytest.raises(WireError, match="not well-formed feed at line 2"):
        _items(cut)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ((FIXTURES / "broken.rss").read_bytes(), "not well-formed feed at line 2"),
        (_rss(""), "the feed has no entries"),
        (
            _rss("<item><guid>a</guid><title>A</title><description>x</b></item>"),
            "not well-formed feed at line 2: mismatched tag",
        ),
        (b"\x00\x01 not a feed", "not a readable feed"),
        (
            b'<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY w "wide">]><rss version="2.0">'
            b"<channel><title>&w;</title></channel></rss>",
            "declares entities",
        ),
    ],
)
def test_bad_feeds_fail_whole_with_one_line(data: bytes, message: str) -> None:
    with pytest.raises(WireError, match=message) as caught:
        PARSER.parse(data, source="bad")
    assert "\n" not in str(caught.value)


def test_the_bytes_are_never_taken_for_a_file_name(tmp_path: Path) -> None:
    local = tmp_path / "local.rss"
    local.write_bytes((FIXTURES / "city-press.rss").read_bytes())
    with pytest.raises(WireError):
        PARSER.parse(str(local).encode(), source="path")


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (b'<?xml version="1.0"?>\n<rss version="2.0"><channel/></rss>', True),
        (b"\xef\xbb\xbf  <!-- generated -->\n<rss version='0.92'>", True),
        (
            b'<?xml version="1.0"?><!DOCTYPE rss PUBLIC "-//Netscape Communications//DTD RSS 0.91//EN"'
            b' "http://my.netscape.com/publish/formats/rss-0.91.dtd"><rss version="0.91">',
            True,
        ),
        (b'<?xml-stylesheet href="f.xsl"?><feed xmlns="http://www.w3.org/2005/Atom">', True),
        (b'<a:feed xmlns:a="http://www.w3.org/2005/Atom">', True),
        (
            b'<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"'
            b' xmlns="http://purl.org/rss/1.0/">',
            True,
        ),
        (b"<feed><item/></feed>", False),  # not Atom
        (b'<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">', False),
        (b"<rsstest/>", False),
        (b'{"uri": "x", "headline": "<rss>"}', False),
        (b"<html><body><rss></rss></body></html>", False),
        (b"<newsMessage xmlns='http://iptc.org/std/nar/2006-10-01/'>", False),
    ],
)
def test_sniff(data: bytes, expected: bool) -> None:
    assert PARSER.sniff(data) is expected


def test_feed_through_the_pipeline(network, tmp_path: Path) -> None:
    from masthead.newsroom.models import Article
    from masthead.wire.pipeline import ingest_paths

    target = tmp_path / "city.rss"
    target.write_bytes((FIXTURES / "city-press.rss").read_bytes())
    outcomes = list(ingest_paths([target]))
    assert [o.action for o in outcomes] == ["created", "created", "failed"]
    assert outcomes[2].error == "entry 3 (ghent-press-2026-313): no title"
    assert [o.action for o in ingest_paths([target])] == ["unchanged", "unchanged", "failed"]
    article = Article.objects.get(story__guid="ghent-press-2026-312", site__code="JdT")
    assert "steal" not in str(article.body) and "alert" not in str(article.body)


def _actions(path: Path) -> list[str]:
    from masthead.wire.pipeline import ingest_paths

    return [o.action for o in ingest_paths([path])]


def test_an_atom_update_replaces_the_story(network, tmp_path: Path) -> None:
    from masthead.newsroom.models import Article

    original = (FIXTURES / "harbour.atom").read_bytes()
    target = tmp_path / "port.atom"
    target.write_bytes(original)
    assert _actions(target) == ["created", "unrouted"]  # no site publishes in Dutch
    target.write_bytes(
        original.replace(
            b"<updated>2026-11-24T11:00:00Z</updated>", b"<updated>2026-11-25T07:00:00Z</updated>"
        ).replace(b"inaugure", "a inauguré".encode())
    )
    assert _actions(target) == ["updated", "unchanged"]
    target.write_bytes(original)  # the older copy again
    assert _actions(target) == ["stale", "unchanged"]
    article = Article.objects.get(story__guid="urn:uuid:port-liege-terminal", site__code="JdT")
    assert article.headline == "Le port de Liège a inauguré un terminal à conteneurs"
