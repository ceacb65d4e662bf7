"""When is a wire item "unchanged"? When its story holds its version of its language with the
status that language last came with. A story has one `status` (the last item's, whatever its
language), so comparing with it lost a withhold or a release of one language after another
language came; and a story from before language versions were kept took any new language at
its version for one it held. Both paths must agree: the bulk pre-check (stories_unchanged, used
by the pipeline for an item whose story exists) and story_apply_wire, one item at a time."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from django.db import connection
from django.test.utils import CaptureQueriesContext

from masthead.newsroom.items import ParsedItem
from masthead.newsroom.models import Article, ArticleStatus, Story
from masthead.newsroom.services.story import stories_unchanged, story_apply_wire
from masthead.newsroom.tests.test_language_versions import _fr, _item
from masthead.newsroom.tests.test_story import item


def _statuses() -> dict[str, str]:
    return {a.language: a.status for a in Article.objects.filter(site__code="JdT")}


def _french(version: int = 1, status: str = "usable") -> ParsedItem:
    return replace(item(version, status), language="fr", headline=f"Titre version {version}")


def _unchanged(one: ParsedItem) -> bool:
    return stories_unchanged(items=[one])[0] is not None


# Bulk path: files through the pipeline (a guid once in a batch, its story known).


def test_a_language_released_after_another_language_came_is_published(
    network, tmp_path: Path, ingest
) -> None:
    assert ingest([_item(tmp_path, "en2w", version="2", pubstatus="withheld")])[0].action == (
        "withheld"
    )
    assert ingest([_fr(tmp_path, "fr1")])[0].action == "created"
    # The agency releases the English at the same version: not the story's last status
    # (the French's), but the English's changed.
    assert ingest([_item(tmp_path, "en2", version="2")])[0].action == "updated"
    assert _statuses() == {"en": ArticleStatus.PUBLISHED, "fr": ArticleStatus.PUBLISHED}
    assert Story.objects.get().language_status == {"en": "usable", "fr": "usable"}
    # And now both are what they were sent as.
    again = ingest([_item(tmp_path, "en2b", version="2"), _fr(tmp_path, "fr1b")])
    assert [o.action for o in again] == ["unchanged", "unchanged"]


def test_a_language_withheld_after_another_language_came_is_withheld(
    network, tmp_path: Path, ingest
) -> None:
    ingest([_item(tmp_path, "en2", version="2")])
    assert ingest([_fr(tmp_path, "fr1w", pubstatus="withheld")])[0].action == "withheld"
    result = ingest([_item(tmp_path, "en2w", version="2", pubstatus="withheld")])[0]
    assert result.action == "withheld"
    assert _statuses() == {"en": ArticleStatus.WITHHELD, "fr": ArticleStatus.WITHHELD}


def test_the_bulk_check_compares_with_the_items_own_language(network) -> None:
    story_apply_wire(item=item(2, "withheld"))
    story_apply_wire(item=_french(1))
    assert Story.objects.get().status == "usable"  # the French's, the last to come
    assert not _unchanged(item(2))
    assert _unchanged(item(2, "withheld"))
    assert _unchanged(_french(1))
    assert not _unchanged(_french(1, "withheld"))


def test_the_one_by_one_path_compares_with_the_items_own_language(network) -> None:
    story_apply_wire(item=item(2, "withheld"))
    story_apply_wire(item=_french(1))
    assert story_apply_wire(item=item(2)).action == "updated"
    assert _statuses()["en"] == ArticleStatus.PUBLISHED
    story_apply_wire(item=_french(2, "withheld"))
    assert story_apply_wire(item=item(2, "withheld")).action == "withheld"
    assert _statuses() == {"en": ArticleStatus.WITHHELD, "fr": ArticleStatus.WITHHELD}


def test_a_story_from_before_statuses_per_language_goes_by_its_status(
    network, tmp_path: Path, ingest
) -> None:
    ingest([_item(tmp_path, "en1w", pubstatus="withheld")])
    Story.objects.update(language_status={})  # as a story from before they were kept
    assert ingest([_item(tmp_path, "en1wb", pubstatus="withheld")])[0].action == "unchanged"
    # A new language keeps what the story's status said of the languages it held.
    ingest([_fr(tmp_path, "fr1")])
    assert Story.objects.get().language_status == {"en": "withheld", "fr": "usable"}
    assert ingest([_item(tmp_path, "en1", version="1")])[0].action == "updated"
    assert _statuses() == {"en": ArticleStatus.PUBLISHED, "fr": ArticleStatus.PUBLISHED}


# Stories from before language versions were kept (language_versions empty).


def _legacy() -> Story:
    story = Story.objects.get()
    Story.objects.filter(pk=story.pk).update(language_versions={}, language_status={})
    story.refresh_from_db()
    return story


def test_a_new_language_of_a_story_from_before_language_versions_is_published(
    network, tmp_path: Path, ingest
) -> None:
    ingest([_item(tmp_path, "en1")])
    _legacy()
    # Its English still counts as held at its version...
    assert ingest([_item(tmp_path, "en1b")])[0].action == "unchanged"
    # ... the French, at the same version number, is new.
    assert ingest([_fr(tmp_path, "fr1")])[0].action == "created"
    assert _statuses() == {"en": ArticleStatus.PUBLISHED, "fr": ArticleStatus.PUBLISHED}
    story = Story.objects.get()
    assert story.language_versions == {"en": 1, "fr": 1}
    assert story.language_status == {"en": "usable", "fr": "usable"}


def test_the_bulk_check_knows_only_the_languages_of_a_legacy_storys_articles(network) -> None:
    story_apply_wire(item=item(1))
    _legacy()
    assert _unchanged(item(1))
    assert _unchanged(replace(item(1), language="en-GB"))  # the same English articles
    assert not _unchanged(_french(1))
    assert not _unchanged(item(2))


def test_the_one_by_one_path_knows_only_the_languages_of_a_legacy_storys_articles(
    network,
) -> None:
    story_apply_wire(item=item(2))
    _legacy()
    assert story_apply_wire(item=item(2)).action == "unchanged"
    assert story_apply_wire(item=item(1)).action == "stale"
    _legacy()
    assert story_apply_wire(item=_french(2)).action == "created"
    assert _statuses() == {"en": ArticleStatus.PUBLISHED, "fr": ArticleStatus.PUBLISHED}
    assert Story.objects.get().language_versions == {"en": 2, "fr": 2}
    # Older French after that is stale, by the French's own version.
    assert story_apply_wire(item=_french(1)).action == "stale"


def test_a_legacy_storys_article_languages_are_read_once(network) -> None:
    story_apply_wire(item=item(1))
    _legacy()
    with CaptureQueriesContext(connection) as queries:
        story_apply_wire(item=_french(1))
    reads = [q["sql"] for q in queries if "DISTINCT" in q["sql"].upper()]
    assert len(reads) == 1, reads
    # A story with its language versions reads none.
    with CaptureQueriesContext(connection) as queries:
        assert story_apply_wire(item=_french(1)).action == "unchanged"
    assert not [q["sql"] for q in queries if "DISTINCT" in q["sql"].upper()]
