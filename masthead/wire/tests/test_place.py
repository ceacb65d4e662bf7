"""Placing an unrouted item from the wire log: read again from the log's copy in each format
whose copy is a document (ninjs, NewsML-G2, NITF, NewsML 1, agency and page text), refused in
one line for a feed entry; on the desk, only in a section the user edits, by the action's page
and by a hand-made POST alike. The wire log shows each user the items of their sites and the
network's shared inbox (failed and unrouted)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse

from masthead.conftest import FIXTURES
from masthead.network.models import Section, Site
from masthead.network.services import network_apply
from masthead.network.spec import parse_network
from masthead.newsroom.models import Article, AuditEntry, Role, SiteMembership
from masthead.newsroom.services.story import StoryPlaceError, story_kill
from masthead.newsroom.tests.test_story_place import PLACE_NETWORK
from masthead.wire.models import WireAction, WireItem
from masthead.wire.place import wireitem_place, wireitem_read_again

CHANGELIST = reverse("admin:wire_wireitem_changelist")


@pytest.fixture
def places(db: None) -> dict[str, Section]:
    """Only English copy about parliament has a route (to JdT): the rest comes in unrouted."""
    network_apply(spec=parse_network(PLACE_NETWORK, source="place.toml"))
    return {
        f"{s.site.code}/{s.name}": s for s in Section.objects.select_related("site").order_by("pk")
    }


def _unrouted(ingest, path: Path, guid: str = "", **options: object) -> WireItem:  # type: ignore[no-untyped-def]
    outcomes = ingest([path], **options)
    assert all(o.action == WireAction.UNROUTED for o in outcomes), [o.line() for o in outcomes]
    items = WireItem.objects.filter(action=WireAction.UNROUTED)
    return items.get(guid=guid) if guid else items.get()


def _member(name: str, seats: dict[str, str], languages: list[str] | None = None) -> Client:
    user = User.objects.create_user(name, f"{name}@example.invalid", "pw", is_staff=True)
    for code, role in seats.items():
        SiteMembership.objects.create(
            user=user, site=Site.objects.get(code=code), role=role, languages=languages or []
        )
    client = Client()
    client.force_login(user)
    return client


def _place(client: Client, item: WireItem, section: Section | None = None):  # type: ignore[no-untyped-def]
    data: dict[str, object] = {"action": "place", "_selected_action": [item.pk]}
    if section is not None:
        data |= {"post": "yes", "section": section.pk}
    return client.post(CHANGELIST, data, follow=True)


# -- each format read again -------------------------------------------------------------


@pytest.mark.parametrize(
    ("sample", "guid", "section", "headline"),
    [
        # ninjs (IPTC's example, without a language: the log's, given at ingest, is used)
        ("ninjs/3.1/004_simple_text_article.json", "", "JdT/Business", "Captain of wrecked"),
        # NewsML-G2 (IPTC's text item, en-US, published in English)
        ("newsml-g2/LISTING_2_NewsML-G2_Text_Document.xml", "", "ZdT/World", "Fed to halt QE"),
    ],
)
def test_the_standards_samples_are_placed(
    places: dict[str, Section], shared_dir: Path, ingest, sample, guid, section, headline
) -> None:
    item = _unrouted(ingest, shared_dir / "fixtures" / sample, language="en")
    article = wireitem_place(item=item, section=places[section], actor="ann")
    assert article.headline.startswith(headline)
    assert article.section == places[section] and article.status == "published"
    item.refresh_from_db()
    assert item.article_ids == [article.pk] and item.sites == places[section].site.code
    assert f"placed by ann in {places[section]}" in item.note


@pytest.mark.parametrize(
    ("sample", "guid", "section", "headline"),
    [
        # NewsML-G2 news message: the item is its own newsItem element
        (
            "newsml/ferry-message.xml",
            "urn:newsml:meridianwire.example:20261122:ghent-bikes",
            "JdT/Business",
            "Ghent adds 2,000 bicycle",
        ),
        ("nitf/ecluses-namur.xml", "", "JdT/Politique", "Les écluses de la Meuse"),
        # NewsML 1: the NewsItem read inside a <NewsML> again
        (
            "newsml1/marche-two-items.xml",
            "",
            "JdT/Politique",
            "Le marché de Noël de Valbrenne",
        ),
        ("text/tram-depot.txt", "", "ZdT/World", "Ghent to build an electric tram depot"),
        ("page/library-night.txt", "", "JdT/Business", "Libraries in Liège"),
    ],
)
def test_our_samples_are_placed(
    places: dict[str, Section], ingest, sample, guid, section, headline
) -> None:
    item = _unrouted(ingest, FIXTURES / sample, guid=guid, language="en")
    again = wireitem_read_again(item)
    assert (again.guid, again.version, again.language) == (item.guid, item.version, item.language)
    article = wireitem_place(item=item, section=places[section], actor="ann")
    assert article.headline.startswith(headline) and article.body
    assert article.section == places[section]


def test_the_logged_language_is_kept(places: dict[str, Section], tmp_path: Path, ingest) -> None:
    path = tmp_path / "no-language.json"
    path.write_text(
        json.dumps(
            {
                "uri": "urn:test:nolang",
                "versioncreated": "2026-11-30T09:00:00Z",
                "headline": "Les bateaux reviennent au port",
                "body_html": "<p>Les bateaux de pêche reviennent au port de Liège ce matin.</p>",
            }
        )
    )
    item = _unrouted(ingest, path, language="fr")  # the source's language
    assert wireitem_read_again(item).language == "fr"
    with pytest.raises(StoryPlaceError, match="the item is in fr"):
        wireitem_place(item=item, section=places["JdT/Business"], actor="ann")
    assert wireitem_place(item=item, section=places["JdT/Politique"], actor="ann").language == "fr"


def test_a_feed_entry_is_refused_in_one_line(places: dict[str, Section], ingest) -> None:
    outcomes = ingest([FIXTURES / "feed" / "harbour.atom"])
    item = WireItem.objects.filter(action=WireAction.UNROUTED, language="fr").first()
    assert item is not None, [o.line() for o in outcomes]
    with pytest.raises(Exception, match=r"cannot be read again \(a feed entry is kept as") as exc:
        wireitem_place(item=item, section=places["JdT/Politique"], actor="ann")
    assert "\n" not in str(exc.value)
    assert not Article.objects.exists()


def test_only_an_unrouted_item_is_placed(places: dict[str, Section], tmp_path: Path, ingest):  # type: ignore[no-untyped-def]
    path = tmp_path / "routed.json"
    path.write_text(
        json.dumps(
            {
                "uri": "urn:test:routed",
                "language": "en",
                "headline": "Parliament votes the budget",
                "body_html": "<p>The parliament voted.</p>",
            }
        )
    )
    ingest([path])
    item = WireItem.objects.get()
    with pytest.raises(
        Exception, match=r"only an item no route took is placed by hand \(created\)"
    ):
        wireitem_place(item=item, section=places["JdT/Business"], actor="ann")


# -- on the desk ------------------------------------------------------------------------


@pytest.fixture
def unrouted(places: dict[str, Section], tmp_path: Path, ingest) -> WireItem:  # type: ignore[no-untyped-def]
    path = tmp_path / "cranes.json"
    path.write_text(
        json.dumps(
            {
                "uri": "urn:test:cranes",
                "language": "en",
                "versioncreated": "2026-11-30T09:00:00Z",
                "headline": "Harbour cranes replaced",
                "body_html": "<p>The port replaces its cranes.</p>",
            }
        )
    )
    return _unrouted(ingest, path)


def test_an_editor_places_from_the_action_page(
    places: dict[str, Section], unrouted: WireItem
) -> None:
    editor = _member("ed", {"JdT": Role.EDITOR, "ZdT": Role.VIEWER})
    page = _place(editor, unrouted).content.decode()
    # The sections of the sites where they edit, in the item's language: not ZdT's (viewer
    # there), not JdT's French one.
    assert "Place in a section" in page and "Harbour cranes replaced" in page
    for name in ("Politics", "Business"):
        assert f'value="{places["JdT/" + name].pk}"' in page
    assert f'value="{places["ZdT/World"].pk}"' not in page
    assert f'value="{places["JdT/Politique"].pk}"' not in page
    answer = _place(editor, unrouted, places["JdT/Business"]).content.decode()
    article = Article.objects.get()
    assert article.section == places["JdT/Business"]
    assert reverse("admin:newsroom_article_change", args=[article.pk]) in answer
    assert f"http://test.localhost{article.get_absolute_url()}" in answer
    assert AuditEntry.objects.get(action="place").actor == "ed"


def test_an_editor_of_another_site_cannot_place_here_even_by_hand(
    places: dict[str, Section], unrouted: WireItem
) -> None:
    stranger = _member("zed", {"ZdT": Role.EDITOR})
    answer = _place(stranger, unrouted, places["JdT/Business"]).content.decode()
    assert "Not placed: that section is not one you edit" in answer
    assert not Article.objects.exists()
    # Their own site's section in the item's language is theirs to choose.
    _place(stranger, unrouted, places["ZdT/World"])
    assert Article.objects.get().site.code == "ZdT"


def test_a_seat_in_other_languages_does_not_place(
    places: dict[str, Section], unrouted: WireItem
) -> None:
    french = _member("fr-ed", {"JdT": Role.EDITOR}, languages=["fr"])
    answer = _place(french, unrouted).content.decode()
    assert "you are editor on no site publishing in en" in answer
    _place(french, unrouted, places["JdT/Business"])
    assert not Article.objects.exists()


def test_a_viewer_cannot_place(places: dict[str, Section], unrouted: WireItem) -> None:
    viewer = _member("vi", {"JdT": Role.VIEWER})
    assert "Place in a section" not in viewer.get(CHANGELIST).content.decode()
    _place(viewer, unrouted, places["JdT/Business"])
    assert not Article.objects.exists()


def test_a_killed_story_cannot_be_placed_from_the_desk(
    places: dict[str, Section], unrouted: WireItem
) -> None:
    assert unrouted.story is not None
    story_kill(story=unrouted.story, source="editor chief", by="chief", reason="legal")
    editor = _member("ed", {"JdT": Role.EDITOR})
    answer = _place(editor, unrouted, places["JdT/Business"]).content.decode()
    assert f"Not placed: story {unrouted.story.pk} was killed by chief" in answer
    assert not Article.objects.exists()


def test_the_wire_log_shows_a_users_sites_and_the_shared_inbox(
    places: dict[str, Section], tmp_path: Path, ingest
) -> None:
    docs = {
        "jdt": ("en", "Parliament votes the harbour budget"),
        "zdt": ("de", "Bundestag stimmt über den Hafen ab"),
        "lost": ("en", "Harbour cranes replaced"),
    }
    for name, (language, headline) in docs.items():
        (tmp_path / f"{name}.json").write_text(
            json.dumps(
                {
                    "uri": f"urn:test:{name}",
                    "language": language,
                    "headline": headline,
                    "body_html": f"<p>{headline}.</p>",
                }
            )
        )
    (tmp_path / "broken.json").write_text("{not json")
    ingest(sorted(tmp_path.glob("*.json")))
    assert set(WireItem.objects.values_list("action", flat=True)) == {
        "created",
        "unrouted",
        "failed",
    }
    page = _member("ed", {"JdT": Role.VIEWER}).get(CHANGELIST).content.decode()
    assert "Parliament votes" in page and "Harbour cranes" in page and "FAILED" in page
    assert "Bundestag" not in page
    other = _member("de", {"ZdT": Role.EDITOR}).get(CHANGELIST).content.decode()
    assert "Bundestag" in other and "Parliament votes" not in other and "FAILED" in other
    boss = User.objects.create_superuser("boss", "b@example.invalid", "pw")
    client = Client()
    client.force_login(boss)
    everything = client.get(CHANGELIST).content.decode()
    assert "Bundestag" in everything and "Parliament votes" in everything
