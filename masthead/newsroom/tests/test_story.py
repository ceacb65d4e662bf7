"""story_apply_wire: signatures, revisions, and order-proof final state."""

import itertools
from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from masthead.core.html import Block
from masthead.newsroom.items import ParsedItem
from masthead.newsroom.models import Article, ArticleStatus, Story
from masthead.newsroom.services.story import story_apply_wire, story_release_embargoes
from masthead.newsroom.services.text import article_slug, block_text, body_text, signature_pick

T0 = datetime(2026, 11, 20, 8, 0, tzinfo=UTC)


def item(version: int = 1, status: str = "usable", guid: str = "urn:x:1", **kw) -> ParsedItem:
    base = ParsedItem(
        guid=guid,
        version=version,
        version_created=T0 + timedelta(minutes=10 * version),
        first_created=T0,
        provider="MWA",
        language="en",
        headline=f"Headline version {version}",
        body=(Block("paragraph", f"Body {version}"),),
        status=status,  # type: ignore[arg-type]
    )
    return replace(base, **kw)


def test_slug_and_signature():
    assert (
        article_slug("Straße nach Köln: Ärger über Baustelle")
        == "strasse-nach-koln-arger-uber-baustelle"
    )
    assert article_slug("!!!") == "article"
    assert len(article_slug("word " * 100)) <= 80
    picks = {
        signature_pick(signatures=["P.Claes", "M.Dubois"], code="JdT", key=f"k{i}")
        for i in range(50)
    }
    assert picks == {"P.Claes--JdT", "M.Dubois--JdT"}
    assert signature_pick(signatures=["A.B", "C.D"], code="X", key="k") == signature_pick(
        signatures=["A.B", "C.D"], code="X", key="k"
    )


@pytest.mark.django_db
def test_signature_stays_on_update_and_updated_time_shows(network):
    first = story_apply_wire(item=item(1))
    signature = first.articles[0].signature
    second = story_apply_wire(item=item(2))
    article = second.articles[0]
    assert second.action == "updated"
    assert article.signature == signature
    assert article.published_at == T0
    assert article.updated_at == T0 + timedelta(minutes=20)
    assert article.revisions.count() == 2


@pytest.mark.django_db
def test_embargo_release(network):
    result = story_apply_wire(item=item(1, embargo=datetime(2099, 1, 1, tzinfo=UTC)))
    assert result.action == "embargoed"
    assert story_release_embargoes(now=datetime(2098, 1, 1, tzinfo=UTC)) == []
    released = story_release_embargoes(now=datetime(2099, 1, 1, 0, 5, tzinfo=UTC))
    assert [a.status for a in released] == [ArticleStatus.PUBLISHED]
    assert released[0].published_at == datetime(2099, 1, 1, tzinfo=UTC)


def _state() -> list[tuple]:
    return sorted(
        Article.objects.values_list(
            "site__code", "headline", "status", "signature", "published_at", "section__name"
        )
    ) + list(Story.objects.values_list("version", "status"))


DELIVERIES = [item(1), item(2), item(3), item(2), item(4, status="canceled")]


@pytest.mark.django_db
def test_any_delivery_order_without_kill_ends_in_the_same_state(network):
    reference = None
    for order in itertools.permutations([item(1), item(2), item(3)]):
        Story.objects.all().delete()
        for delivery in order:
            story_apply_wire(item=delivery)
        state = _state()
        reference = reference or state
        assert state == reference
        assert (
            Article.objects.filter(headline="Headline version 3").count() == 1
        )  # ZdT wants "berlin"


@settings(
    max_examples=40, suppress_health_check=[HealthCheck.function_scoped_fixture], deadline=None
)
@given(order=st.permutations(DELIVERIES), with_kill=st.booleans())
@pytest.mark.django_db
def test_property_versions_duplicates_and_a_kill(network, order, with_kill):
    Story.objects.all().delete()
    deliveries = [d for d in order if with_kill or d.status != "canceled"]
    for delivery in deliveries:
        story_apply_wire(item=delivery)
    story = Story.objects.get()
    if with_kill:
        assert story.status == "canceled"
        statuses = list(Article.objects.values_list("status", flat=True))
        if deliveries[0].status == "canceled":
            assert statuses == []  # killed before any version was published: nothing to show
        else:
            # Published first, then killed: every article is there, and every one killed.
            assert statuses and set(statuses) == {ArticleStatus.KILLED}
    else:
        assert story.version == 3
        assert set(Article.objects.values_list("headline", "status")) == {
            ("Headline version 3", "published")
        }


def test_block_text_is_what_a_reader_sees() -> None:
    assert block_text("Tom &amp; Jerry") == "Tom & Jerry"
    assert block_text('<a href="https://x.test/?a=1&amp;b=2">Link</a> &lt;b&gt;') == "Link <b>"
    assert block_text("<em>one</em> <strong>two</strong><br>three") == "one two three"
    assert block_text("Ghent<br/>Bruges") == "Ghent Bruges"
    assert block_text("") == ""
    body = [{"type": "paragraph", "html": "First."}, {"type": "intertitle", "html": "<b>Mid</b>"}]
    assert body_text(body) == "First.\nMid"
    assert body_text([{"type": "quote"}]) == ""


@pytest.mark.django_db
def test_an_item_for_one_site_is_routed_there_and_leaves_other_sites_stories_alone(network):
    from masthead.core.errors import WireError

    # English copy about Berlin is routed to both test sites; given one site, it goes there.
    own = story_apply_wire(item=item(1, guid="urn:x:own", headline="Berlin", only_site="ZdT"))
    assert {a.site.code for a in own.articles} == {"ZdT"}
    shared = story_apply_wire(item=item(1, guid="urn:x:shared", headline="Berlin"))
    assert {a.site.code for a in shared.articles} == {"JdT", "ZdT"}
    for change in (item(2, headline="Berlin"), item(2, status="canceled")):
        with pytest.raises(WireError, match="also on JdT; a push for ZdT"):
            story_apply_wire(item=replace(change, guid="urn:x:shared", only_site="ZdT"))
    assert set(
        Article.objects.filter(story__guid="urn:x:shared").values_list("headline", flat=True)
    ) == {"Berlin"}
    assert story_apply_wire(item=item(2, guid="urn:x:own", only_site="ZdT")).action == "updated"
