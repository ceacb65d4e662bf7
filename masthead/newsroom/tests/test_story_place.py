"""story_place: an item no route took, published by hand in the section an editor chose; it
follows the agency's later versions there, and is refused, saying why, when it cannot be."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest
from django.utils import timezone

from masthead.core.html import Block
from masthead.network.models import Section
from masthead.network.services import network_apply
from masthead.network.spec import parse_network
from masthead.newsroom.items import ParsedItem
from masthead.newsroom.models import Article, ArticleStatus, AuditEntry, Revision, Story
from masthead.newsroom.services.story import (
    StoryPlaceError,
    story_apply_wire,
    story_kill,
    story_place,
)

# Only English copy about parliament has a route; everything else comes in unrouted.
PLACE_NETWORK = """
[[site]]
code = "JdT"
name = "Journal de Test"
domains = ["test.localhost"]
languages = ["en", "fr"]
signatures = ["P.Claes"]
[[site.section]]
language = "en"
name = "Politics"
[[site.section]]
language = "en"
name = "Business"
[[site.section]]
language = "fr"
name = "Politique"

[[site]]
code = "ZdT"
name = "Zeitung der Tests"
domains = ["zeitung.localhost"]
languages = ["de", "en"]
signatures = ["K.Brandt"]
[[site.section]]
language = "de"
name = "Politik"
[[site.section]]
language = "en"
name = "World"

[[route]]
site = "JdT"
language = "en"
section = "Politics"
keywords = ["parliament"]
[[route]]
site = "ZdT"
language = "de"
section = "Politik"
"""

T0 = datetime(2026, 11, 20, 8, 0, tzinfo=UTC)


@pytest.fixture
def places(db: None) -> dict[str, Section]:
    network_apply(spec=parse_network(PLACE_NETWORK, source="place.toml"))
    return {
        f"{s.site.code}/{s.name}": s for s in Section.objects.select_related("site").order_by("pk")
    }


def _item(version: int = 1, **kw: object) -> ParsedItem:
    base = ParsedItem(
        guid="urn:test:place",
        version=version,
        version_created=T0 + timedelta(minutes=10 * version),
        first_created=T0,
        provider="MWA",
        language="en",
        headline=f"Harbour cranes replaced, version {version}",
        body=(Block("paragraph", f"The port replaces its cranes ({version})."),),
    )
    return replace(base, **kw)  # type: ignore[arg-type]


def test_an_unrouted_item_is_placed_where_the_editor_says(
    places: dict[str, Section], django_capture_on_commit_callbacks
) -> None:
    assert story_apply_wire(item=_item()).action == "unrouted"
    with django_capture_on_commit_callbacks() as callbacks:
        article = story_place(item=_item(), section=places["JdT/Business"], editor="ann")
    assert callbacks, "the new article is told to the listeners (search, page caches)"
    assert (article.site.code, article.language, article.section.name) == ("JdT", "en", "Business")
    assert article.status == ArticleStatus.PUBLISHED and article.published_at == T0
    assert article.edited_fields == ["section"]
    assert article.signature == "P.Claes--JdT"
    revision = Revision.objects.get(article=article)
    assert revision.source == "editor ann" and "JdT/en/Business" in revision.note
    entry = AuditEntry.objects.get(action="place")
    assert (entry.actor, entry.article, entry.site) == ("ann", article, article.site)
    assert "JdT/en/Business" in entry.detail


def test_a_regional_item_takes_the_sections_language(places: dict[str, Section]) -> None:
    story_apply_wire(item=_item(language="en-us"))
    article = story_place(item=_item(language="en-us"), section=places["ZdT/World"], editor="ann")
    assert article.language == "en"


def test_later_versions_update_the_placed_article_where_it_is(places: dict[str, Section]) -> None:
    story_apply_wire(item=_item(1))
    placed = story_place(item=_item(1), section=places["JdT/Business"], editor="ann")
    result = story_apply_wire(item=_item(2))
    assert result.action == "updated"
    placed.refresh_from_db()
    assert placed.headline == "Harbour cranes replaced, version 2"
    assert placed.section.name == "Business"
    # A version that now has a route goes there too, and the placed article stays put.
    story_apply_wire(item=_item(3, headline="Parliament votes on the harbour cranes"))
    assert set(Article.objects.values_list("site__code", "section__name")) == {("JdT", "Business")}
    placed.refresh_from_db()
    assert placed.headline.startswith("Parliament votes")


def test_a_killed_story_is_not_placed(places: dict[str, Section]) -> None:
    result = story_apply_wire(item=_item())
    assert result.story is not None
    story_kill(story=result.story, source="editor chief", by="chief", reason="legal")
    with pytest.raises(StoryPlaceError, match=r"was killed by chief"):
        story_place(item=_item(), section=places["JdT/Business"], editor="ann")
    assert not Article.objects.exists()


def test_another_language_is_refused(places: dict[str, Section]) -> None:
    story_apply_wire(item=_item())
    with pytest.raises(StoryPlaceError, match=r"the item is in en, the section JdT/fr/Politique"):
        story_place(item=_item(), section=places["JdT/Politique"], editor="ann")


def test_a_story_already_on_the_site_in_that_language_is_refused(
    places: dict[str, Section],
) -> None:
    story_apply_wire(item=_item())
    first = story_place(item=_item(), section=places["JdT/Business"], editor="ann")
    with pytest.raises(StoryPlaceError, match=rf"already on JdT in en \(article {first.pk}\)"):
        story_place(item=_item(), section=places["JdT/Politics"], editor="bob")
    # Another site is another matter.
    assert story_place(item=_item(), section=places["ZdT/World"], editor="bob").site.code == "ZdT"


def test_an_older_version_than_the_storys_is_refused(places: dict[str, Section]) -> None:
    story_apply_wire(item=_item(1))
    story_apply_wire(item=_item(2))
    with pytest.raises(StoryPlaceError, match=r"version 1 is older than the story's version 2"):
        story_place(item=_item(1), section=places["JdT/Business"], editor="ann")


def test_an_unknown_story_is_refused(places: dict[str, Section]) -> None:
    with pytest.raises(StoryPlaceError, match=r"no story of MWA holds it"):
        story_place(item=_item(), section=places["JdT/Business"], editor="ann")


def test_an_embargoed_item_waits_for_its_time(places: dict[str, Section]) -> None:
    later = timezone.now() + timedelta(hours=2)
    story_apply_wire(item=_item(embargo=later))
    article = story_place(item=_item(embargo=later), section=places["JdT/Business"], editor="ann")
    assert article.status == ArticleStatus.EMBARGOED and article.embargo_until == later


def test_placing_a_breaking_story_purges_the_whole_site(
    places: dict[str, Section], django_capture_on_commit_callbacks, settings
) -> None:
    told: list[list[str]] = []
    settings.MASTHEAD_BREAKING_LISTENERS = [f"{__name__}.{_breaking.__name__}"]
    _breaking.told = told  # type: ignore[attr-defined]
    now = timezone.now()
    urgent = _item(urgency=1, version_created=now, first_created=now)
    story_apply_wire(item=urgent)
    assert Story.objects.get().breaking_live
    with django_capture_on_commit_callbacks(execute=True):
        story_place(item=urgent, section=places["ZdT/World"], editor="ann")
    assert ["ZdT"] in told


def _breaking(*, site_codes: list[str]) -> None:
    _breaking.told.append(site_codes)  # type: ignore[attr-defined]
