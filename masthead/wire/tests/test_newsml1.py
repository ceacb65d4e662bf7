import shutil
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from masthead.core.errors import WireError
from masthead.demo.pictures import demo_picture
from masthead.newsroom.items import ParsedItem
from masthead.newsroom.models import Article, ArticleStatus
from masthead.wire.parsers import parser_for
from masthead.wire.parsers.newsml import NewsMLParser
from masthead.wire.parsers.newsml1 import NewsML1Parser
from masthead.wire.parsers.nitf import NitfParser
from masthead.wire.tests.test_fuzz import mutated

FIXTURES = Path(__file__).parent / "fixtures" / "newsml1"
OTHER = Path(__file__).parent / "fixtures"
PARSER = NewsML1Parser()


def _parse(data: bytes, name: str = "test.xml") -> list:
    return list(PARSER.parse(data, source=name))


def _one(name: str, data: bytes | None = None) -> ParsedItem:
    data = (FIXTURES / name).read_bytes() if data is None else data
    assert parser_for(data).name == "newsml1"
    (item,) = _parse(data, name)
    assert isinstance(item, ParsedItem), item
    return item


def _replaced(name: str, *pairs: tuple[str, str]) -> bytes:
    text = (FIXTURES / name).read_text()
    for old, new in pairs:
        assert old in text, old
        text = text.replace(old, new)
    return text.encode()


def test_afp_style_item_with_nitf() -> None:
    item = _one("depot-nitf.xml")
    # The revision at the end of the PublicIdentifier is not part of the story's identity.
    assert item.guid == "urn:newsml:ansp.example:20261130:TX-VAL-TRAM01"
    assert (item.version, item.provider, item.language, item.urgency) == (1, "ANSP", "fr", 3)
    assert item.headline == (
        "Valbrenne construira un dépôt de tramways sur l'ancienne gare de triage"
    )
    assert (item.byline, item.located, item.slugline) == (
        "Odile FERRAND",
        "Valbrenne, 30 nov 2026 (ANSP)",
        "Valbrenne-transport-tram",
    )
    assert [b.type for b in item.body] == [
        "paragraph",
        "paragraph",
        "intertitle",
        "paragraph",
        "paragraph",
        "paragraph",
    ]
    assert item.body[2].html == "Un terrain déjà relié au réseau"
    assert "<em>antibruit</em>" in item.body[-1].html
    assert item.subjects == ("subj:04000000", "subj:04015000", "subj:04015003")
    assert item.keywords == ("tramway", "urbanisme")
    assert item.first_created == datetime(2026, 11, 30, 13, 29, tzinfo=UTC)
    assert (item.status, item.embargo, item.ednote) == ("usable", None, "Premier envoi.")
    assert item.format == "newsml1" and item.raw.startswith("<NewsItem")


def test_xhtml_body_is_sanitised() -> None:
    item = _one("harbour-xhtml.xml")
    assert (item.provider, item.language, item.urgency, item.located) == (
        "ANW",
        "en-gb",
        2,
        "ORLIS",
    )
    assert [b.type for b in item.body] == [
        "paragraph",
        "intertitle",
        "paragraph",
        "intertitle",
        "quote",
        "paragraph",
    ]
    assert "<strong>port board</strong>" in item.body[0].html
    assert item.body[4].html == "We simply had fewer storms than usual"
    assert all("alert" not in b.html and "onclick" not in b.html for b in item.body)
    assert all("ignored" not in b.html for b in item.body)  # the <head> is not text
    assert item.subjects == ("medtop:04000000", "medtop:20000573")


def test_revision_2_updates_the_same_story() -> None:
    first, second = _one("depot-nitf.xml"), _one("depot-v2.xml")
    assert first.guid == second.guid and (first.version, second.version) == (1, 2)
    assert second.headline.startswith("Valbrenne confirme")
    assert "quarante-deux" in second.body[0].html
    assert second.version_created - first.version_created == timedelta(minutes=106)
    assert second.first_created == first.first_created
    assert "Rectify" in second.ednote  # a correction: an ordinary higher revision


def test_canceled_kills_and_withheld_holds() -> None:
    kill = _one("depot-kill.xml")
    assert (kill.status, kill.version, kill.body) == ("canceled", 3, ())
    assert kill.guid == "urn:newsml:ansp.example:20261130:TX-VAL-TRAM01"
    assert kill.ednote.startswith("Dépêche retirée")
    held = _one("pont-withheld.xml")
    # No PublicIdentifier: the guid is made of ProviderId, DateId and NewsItemId.
    assert held.guid == "urn:newsml:ansp.example:20261201:TX-VAL-PONT01"
    assert (held.status, held.provider, held.urgency) == ("withheld", "ANSP", 5)
    assert len(held.body) == 3 and held.body[1].html.startswith("Des fissures")


def test_kill_instruction_and_embargo() -> None:
    killed = _one(
        "depot-nitf.xml",
        _replaced(
            "depot-nitf.xml",
            ('<NewsItemType FormalName="News"/>', '<Instruction FormalName="Kill"/>'),
        ),
    )
    assert killed.status == "canceled"
    embargoed = _one(
        "pont-withheld.xml",
        _replaced(
            "pont-withheld.xml",
            (
                '<Status FormalName="Withheld"/>',
                '<Status FormalName="Withheld"/><StatusWillChange><FutureStatus'
                ' FormalName="Usable"/><DateAndTime>20991231T080000+0100</DateAndTime>'
                "</StatusWillChange>",
            ),
        ),
    )
    assert embargoed.status == "usable"
    assert embargoed.embargo == datetime(2099, 12, 31, 7, 0, tzinfo=UTC)


def test_photo_component_beside_the_text() -> None:
    item = _one("remise-photo.xml")
    assert item.headline.startswith("Les premières rames") and len(item.body) == 2
    assert item.subjects == ("subj:04000000",) and item.located == "Valbrenne"
    (picture,) = item.pictures
    assert picture.guid == "ansp-photo-7731"
    assert [r.href for r in picture.renditions] == ["remise-photo-small.jpg", "remise-photo.jpg"]
    best = picture.best_rendition()
    assert best is not None and (best.href, best.width, best.height) == (
        "remise-photo.jpg",
        1600,
        900,
    )
    assert picture.caption.startswith("Une rame d'essai entre dans le dépôt")
    assert picture.credit == "Marc LEBLOND - ANSP"


def test_headline_falls_back_to_nitf_hl1() -> None:
    item = _one("atelier-hl1.xml")
    assert item.headline == "L'atelier de maintenance recrutera trente techniciens"
    assert item.byline == "Rédaction de Valbrenne"  # from the NITF too
    assert item.language == "fr"  # the NITF's xml:lang
    assert item.provider == "ANSP" and item.guid == "urn:newsml:ANSP:20261203:TX-VAL-ATEL01"


def test_headline_falls_back_to_slugline_then_first_sentence() -> None:
    no_hl1 = (
        "<hedline><hl1>L'atelier de maintenance recrutera trente techniciens</hl1></hedline>",
        "",
    )
    assert _one("atelier-hl1.xml", _replaced("atelier-hl1.xml", no_hl1)).headline == (
        "Valbrenne-atelier"
    )
    bare = _replaced("atelier-hl1.xml", no_hl1, ("<SlugLine>Valbrenne-atelier</SlugLine>", ""))
    assert _one("atelier-hl1.xml", bare).headline == (
        "Le futur atelier de maintenance des tramways de Valbrenne recrutera trente "
        "techniciens d'ici 2029."
    )


def test_broken_date_does_not_fail_the_item() -> None:
    item = _one("horaires-bad-date.xml")
    assert item.version_created == item.first_created == datetime(2026, 12, 4, 7, 15, tzinfo=UTC)
    assert item.urgency == 4  # "urgent" is no urgency
    both = _replaced(
        "horaires-bad-date.xml", ("<FirstCreated>20261204T071500Z", "<FirstCreated>yesterday")
    )
    item = _one("horaires-bad-date.xml", both)
    assert abs(item.version_created - datetime.now(UTC)) < timedelta(minutes=1)
    assert item.first_created == item.version_created


def test_text_item_with_a_photo_item() -> None:
    items = _parse((FIXTURES / "marche-two-items.xml").read_bytes())
    (item,) = items  # the photo-only NewsItem is not a story
    assert item.guid.endswith("TX-VAL-MARCHE01") and len(item.body) == 2
    (picture,) = item.pictures  # referred to by AssociatedWith
    assert picture.guid == "urn:newsml:ansp.example:20261205:PH-VAL-MARCHE01"
    assert picture.caption == "Chalets sur le quai des Brasseurs"
    assert picture.credit == "Lucie VERNET - ANSP"
    assert picture.renditions[0].href == "marche.jpg"
    with pytest.raises(WireError, match="no text item"):
        _parse((FIXTURES / "photo-only.xml").read_bytes())


def test_broken_xml_is_one_line() -> None:
    data = b'<?xml version="1.0"?>\n<NewsML Version="1.2">\n<NewsItem><Identification>\n</NewsML>'
    assert parser_for(data).name == "newsml1"
    with pytest.raises(WireError, match="not well-formed XML at line") as caught:
        _parse(data)
    assert "\n" not in str(caught.value)


def test_entity_declarations_are_refused() -> None:
    data = (
        b'<?xml version="1.0"?>\n<!DOCTYPE NewsML [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>\n'
        b'<NewsML Version="1.2"><NewsItem><NewsComponent><NewsLines>'
        b"<HeadLine>&xxe;</HeadLine></NewsLines></NewsComponent></NewsItem></NewsML>"
    )
    assert parser_for(data).name == "newsml1"  # not mistaken for plain text
    with pytest.raises(WireError, match="entities in a DTD: refused"):
        _parse(data)


def test_sniffers_do_not_overlap() -> None:
    for path in FIXTURES.glob("*.xml"):
        data = path.read_bytes()
        assert PARSER.sniff(data), path.name
        assert not NewsMLParser().sniff(data) and not NitfParser().sniff(data), path.name
    for path in [*(OTHER / "newsml").glob("*.xml"), *(OTHER / "nitf").glob("*.xml")]:
        assert not PARSER.sniff(path.read_bytes()), path.name


MINIMAL = """<NewsML Version="1.2"><NewsItem>
<Identification><NewsIdentifier><ProviderId>ansp.example</ProviderId><DateId>20261207</DateId>
<NewsItemId>{id}</NewsItemId><RevisionId>{rev}</RevisionId></NewsIdentifier></Identification>
<NewsManagement><Status FormalName="{status}"/></NewsManagement>
<NewsComponent>{lines}<ContentItem>{content}</ContentItem></NewsComponent></NewsItem></NewsML>"""


def _minimal(
    *,
    id: str = "TX-1",
    rev: str = "1",
    status: str = "Usable",
    lines: str = "<NewsLines><HeadLine>Tram</HeadLine></NewsLines>",
    content: str = '<MediaType FormalName="Text"/><DataContent>Text.</DataContent>',
) -> bytes:
    return MINIMAL.format(id=id, rev=rev, status=status, lines=lines, content=content).encode()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"<other/>", "expected a NewsML 1 document"),
        (b'<NewsML Version="1.2"><NewsEnvelope/></NewsML>', "without any NewsItem"),
        (_minimal(id=""), "without PublicIdentifier or NewsItemId"),
        (_minimal(rev="two"), "TX-1: RevisionId: 'two' is not a whole number"),
        (_minimal(status="Draft"), "TX-1: unknown Status 'Draft'"),
        (_minimal(lines="", content='<MediaType FormalName="Text"/>'), "TX-1: no headline"),
        (_minimal(content='<MediaType FormalName="Text"/>'), "TX-1: no body text"),
        (
            _minimal(content='<MediaType FormalName="Video"/>'),
            "TX-1: video items are not published",
        ),
    ],
)
def test_bad_newsml1(data: bytes, message: str) -> None:
    try:
        results = _parse(data)
    except WireError as exc:
        assert message in str(exc)
    else:
        assert [str(r) for r in results if isinstance(r, WireError)] == [
            next(str(r) for r in results if message in str(r))
        ]


def test_plain_text_and_escaped_html_bodies() -> None:
    (plain,) = _parse(_minimal(content="<DataContent>One.\n\n- Part two -\n\nTwo.</DataContent>"))
    assert [b.type for b in plain.body] == ["paragraph", "intertitle", "paragraph"]
    assert plain.language == ""  # nothing says it: the pipeline settles it
    escaped = "<DataContent>&lt;p&gt;One &lt;b&gt;bold&lt;/b&gt;&lt;/p&gt;&lt;p&gt;Two&lt;/p&gt;"
    (html,) = _parse(_minimal(content=escaped + "</DataContent>"))
    assert [b.html for b in html.body] == ["One <b>bold</b>", "Two"]


@pytest.mark.parametrize("name", ["depot-nitf.xml", "remise-photo.xml", "marche-two-items.xml"])
@settings(
    max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(data=st.data())
def test_mutations_fail_cleanly(name: str, data: st.DataObject) -> None:
    sample = data.draw(mutated((FIXTURES / name).read_bytes()))
    try:
        results = PARSER.parse(sample, source=name)
    except WireError as exc:
        assert str(exc) and "\n" not in str(exc)
        return
    for result in results:
        if isinstance(result, WireError):
            assert str(result) and "\n" not in str(result)
        else:
            assert isinstance(result, ParsedItem) and result.guid and result.headline


def _copy(tmp_path: Path, *names: str) -> list[Path]:
    for name in names:
        shutil.copy(FIXTURES / name, tmp_path / name)
    return [tmp_path / name for name in names]


def test_publish_revise_and_kill_through_the_pipeline(network, tmp_path: Path, ingest) -> None:  # type: ignore[no-untyped-def]
    v1, v2, kill = _copy(tmp_path, "depot-nitf.xml", "depot-v2.xml", "depot-kill.xml")
    (created,) = ingest([v1])
    assert created.action == "created", created.error
    article = Article.objects.get(story__guid__endswith="TX-VAL-TRAM01")
    assert article.site == network["JdT"] and article.language == "fr"
    assert article.status == ArticleStatus.PUBLISHED and article.source_agency == "ANSP"
    assert article.headline.startswith("Valbrenne construira")
    assert "quarante tramways" in " ".join(block["html"] for block in article.body)

    (updated,) = ingest([v2])
    assert (updated.action, updated.version) == ("updated", 2), updated.error
    article.refresh_from_db()
    assert article.headline.startswith("Valbrenne confirme")
    assert "quarante-deux tramways" in article.body[0]["html"]

    (killed,) = ingest([kill])
    assert killed.action == "killed", killed.error
    article.refresh_from_db()
    assert article.status == ArticleStatus.KILLED


def test_photo_story_and_withheld_through_the_pipeline(network, tmp_path: Path, ingest) -> None:  # type: ignore[no-untyped-def]
    photo, marche, held = _copy(
        tmp_path, "remise-photo.xml", "marche-two-items.xml", "pont-withheld.xml"
    )
    (tmp_path / "remise-photo.jpg").write_bytes(demo_picture("remise-photo"))
    (tmp_path / "marche.jpg").write_bytes(demo_picture("marche"))
    outcomes = ingest([photo, marche, held])
    assert [o.action for o in outcomes] == ["created", "created", "withheld"], outcomes
    remise = Article.objects.get(story__guid__endswith="TX-VAL-TRAM02", site__code="JdT")
    assert remise.picture is not None and remise.picture.credit == "Marc LEBLOND - ANSP"
    assert remise.picture.caption.startswith("Une rame d'essai")
    stand = Article.objects.get(story__guid__endswith="TX-VAL-MARCHE01", site__code="JdT")
    assert stand.picture is not None and stand.picture.credit == "Lucie VERNET - ANSP"
    bridge = Article.objects.get(story__guid__endswith="TX-VAL-PONT01")
    assert bridge.status == ArticleStatus.WITHHELD
