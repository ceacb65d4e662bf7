"""The breaking-news strip on readers' pages: on every page of the sites carrying the story,
in the page's language and linking to that site's article; gone when it ends, is ended or the
story is killed; and no cache keeps it past its end."""

from __future__ import annotations

import json
import re
from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone

from masthead.newsroom.models import Article, Story
from masthead.newsroom.services.breaking import (
    stories_breaking_expire,
    story_breaking_end,
    story_breaking_start,
)

STRIP = re.compile(
    r'<div class="breaking" role="region" aria-label="([^"]+)">.*?<a href="([^"]+)"', re.S
)


def _item(folder: Path, name: str, **fields: object) -> Path:
    doc: dict[str, object] = {
        "uri": f"urn:test:{name}",
        "language": "en",
        "version": "1",
        "versioncreated": timezone.now().isoformat(),
        "urgency": 1,
        "headline": "Berlin tram depot on fire",
        "body_html": "<p>Fire crews were called to the depot on Monday.</p>",
        **fields,
    }
    path = folder / f"{name}-{fields.get('version', '1')}.json"
    path.write_text(json.dumps(doc))
    return path


def _strip(client, host: str, path: str) -> tuple[str, str] | None:  # type: ignore[no-untyped-def]
    response = client.get(path, HTTP_HOST=host)
    assert response.status_code == 200, (host, path)
    found = STRIP.search(response.content.decode())
    return (found.group(1), found.group(2)) if found else None


@pytest.fixture
def breaking(network, tmp_path, ingest) -> dict[str, Article]:  # type: ignore[no-untyped-def]
    """An urgent story on JdT/en and ZdT/en ("Berlin" routes it to both), and a calm one."""
    ingest(
        [
            _item(tmp_path, "fire"),
            _item(tmp_path, "calm", urgency=4, headline="Harbour dues go up in Antwerp"),
        ]
    )
    return {
        "jdt": Article.objects.get(story__guid="urn:test:fire", site__code="JdT"),
        "zdt": Article.objects.get(story__guid="urn:test:fire", site__code="ZdT"),
        "calm": Article.objects.get(story__guid="urn:test:calm"),
    }


def _pages(article: Article) -> list[str]:
    today = timezone.localtime(article.published_at).date()
    return [
        f"/{article.language}/",
        f"/{article.language}/{article.section.name}/",
        f"/{article.language}/archive/{today:%Y/%m/%d}/",
        f"/{article.language}/search?q=depot",
    ]


def test_every_page_of_the_sites_carrying_it_shows_their_own_article(client, breaking) -> None:
    jdt, zdt, calm = breaking["jdt"], breaking["zdt"], breaking["calm"]
    for path in [*_pages(jdt), calm.get_absolute_url(), jdt.get_absolute_url()]:
        assert _strip(client, "test.localhost", path) == ("Breaking news", jdt.get_absolute_url())
    for path in [*_pages(zdt), zdt.get_absolute_url()]:
        assert _strip(client, "zeitung.localhost", path) == (
            "Breaking news",
            zdt.get_absolute_url(),
        )
    # Not in the sites' other languages, where the story has no article.
    assert _strip(client, "test.localhost", "/fr/") is None
    assert _strip(client, "zeitung.localhost", "/de/") is None


def test_not_on_a_site_that_does_not_carry_it(client, network, tmp_path, ingest) -> None:
    ingest([_item(tmp_path, "local", headline="Antwerp harbour crane collapses")])
    article = Article.objects.get(story__guid="urn:test:local")
    assert article.site.code == "JdT"
    assert _strip(client, "test.localhost", "/en/") == ("Breaking news", article.get_absolute_url())
    assert _strip(client, "zeitung.localhost", "/en/") is None


def test_the_newest_strip_shows_when_two_are_up(client, breaking, tmp_path, ingest) -> None:
    ingest([_item(tmp_path, "later", headline="Antwerp harbour crane collapses")])
    later = Article.objects.get(story__guid="urn:test:later")
    assert _strip(client, "test.localhost", "/en/") == ("Breaking news", later.get_absolute_url())
    assert _strip(client, "zeitung.localhost", "/en/")[1] == breaking["zdt"].get_absolute_url()


def test_the_strip_is_in_the_pages_language(client, network, tmp_path, ingest) -> None:
    ingest([_item(tmp_path, "feu", language="fr", headline="Incendie au dépôt de trams")])
    label, href = _strip(client, "test.localhost", "/fr/")
    assert href == Article.objects.get(story__guid="urn:test:feu").get_absolute_url()
    assert label == "Dernière minute"  # "Breaking news" in the page's language
    assert _strip(client, "test.localhost", "/en/") is None


def test_gone_once_its_time_has_come(client, breaking) -> None:
    story = breaking["jdt"].story
    stories_breaking_expire(now=story.breaking_until)
    for path in _pages(breaking["jdt"]):
        assert _strip(client, "test.localhost", path) is None
    assert _strip(client, "zeitung.localhost", "/en/") is None


def test_gone_at_its_time_even_before_the_worker_runs(client, breaking) -> None:
    # The page asks for a strip whose time is still to come, whatever the worker has done.
    Story.objects.filter(pk=breaking["jdt"].story_id).update(
        breaking_until=timezone.now() - timedelta(seconds=1)
    )
    assert Story.objects.get(pk=breaking["jdt"].story_id).breaking_live
    assert _strip(client, "test.localhost", "/en/") is None


def test_an_editors_end_stays_after_a_new_urgent_version(
    client, breaking, tmp_path, ingest
) -> None:
    story_breaking_end(story=breaking["jdt"].story, by="chief")
    assert _strip(client, "test.localhost", "/en/") is None
    ingest([_item(tmp_path, "fire", version="2", headline="Berlin depot fire: two hurt")])
    assert _strip(client, "test.localhost", "/en/") is None
    assert _strip(client, "zeitung.localhost", "/en/") is None
    # An editor's flag brings it back.
    story_breaking_start(story=Story.objects.get(guid="urn:test:fire"), by="lena")
    assert _strip(client, "test.localhost", "/en/") is not None


def test_a_killed_storys_strip_is_gone(client, breaking, tmp_path, ingest) -> None:
    ingest([_item(tmp_path, "fire", version="2", pubstatus="canceled")])
    assert _strip(client, "test.localhost", "/en/") is None
    assert _strip(client, "zeitung.localhost", "/en/") is None


def test_an_article_taken_off_one_site_leaves_that_sites_strip(client, breaking) -> None:
    Article.objects.filter(pk=breaking["zdt"].pk).update(status="draft")
    assert _strip(client, "zeitung.localhost", "/en/") is None
    assert _strip(client, "test.localhost", "/en/") is not None


def test_no_cache_keeps_the_strip_past_its_end(client, breaking, settings) -> None:
    story = breaking["jdt"].story
    left = (story.breaking_until - timezone.now()).total_seconds()
    response = client.get("/en/", HTTP_HOST="test.localhost")
    # Tagged with the strip's story: a change or a kill of it purges every page showing it.
    assert f"story-{story.pk}" in response["Surrogate-Key"].split()
    control = response["Cache-Control"]
    assert f"max-age={settings.MASTHEAD_CACHE_BROWSER_SECONDS}" in control  # an hour left
    # Five seconds before its end, no cache may keep the page longer than that.
    Story.objects.filter(pk=story.pk).update(breaking_until=timezone.now() + timedelta(seconds=5))
    control = client.get("/en/Politics/", HTTP_HOST="test.localhost")["Cache-Control"]
    max_age = int(re.search(r"(?<!s-)max-age=(\d+)", control).group(1))
    s_maxage = int(re.search(r"s-maxage=(\d+)", control).group(1))
    assert 0 <= max_age <= 5 and 0 <= s_maxage <= 5, control
    assert "stale-while-revalidate=0" in control  # nor shown stale while asked again
    assert left > 5
    # A page without a strip keeps the usual lifetimes and keys.
    plain = client.get("/fr/", HTTP_HOST="test.localhost")
    assert f"s-maxage={settings.MASTHEAD_CACHE_SHARED_SECONDS}" in plain["Cache-Control"]
    assert f"story-{story.pk}" not in plain["Surrogate-Key"]
