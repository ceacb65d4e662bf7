"""The article list and one article: filters, the cursor, what is public."""

from __future__ import annotations

from datetime import timedelta, timezone

from django.db import connection
from django.test.utils import CaptureQueriesContext

from masthead.network.models import Section
from masthead.newsroom.models import Article, ArticleStatus, Story
from masthead.newsroom.services.article import article_correct


def _walk(api, url: str) -> list[dict]:
    items, pages = [], 0
    while url:
        answer = api(url)
        assert answer.status_code == 200, answer.content
        data = answer.json()
        items += data["items"]
        url = data.get("next", "").removeprefix("http://test.localhost")
        pages += 1
        assert pages < 50
    return items


def test_the_cursor_walks_every_published_article_once_newest_first(api, many) -> None:
    # Several stories published at the same moment: the story id breaks the tie.
    Article.objects.filter(site__code="JdT").update(
        published_at=Article.objects.first().published_at
    )
    items = _walk(api, "/api/v1/articles?limit=7")
    expected = list(
        Article.objects.filter(site__code="JdT", language="en", status=ArticleStatus.PUBLISHED)
        .order_by("-published_at", "-story_id")
        .values_list("story_id", flat=True)
    )
    assert [int(i["altids"][0]["value"]) for i in items] == expected
    assert len(expected) == 45


def test_a_page_reads_a_fixed_number_of_queries_whatever_its_size(api, many) -> None:
    api("/api/v1/articles?limit=1")  # the site by host name, remembered for seconds
    with CaptureQueriesContext(connection) as small:
        api("/api/v1/articles?limit=2")
    with CaptureQueriesContext(connection) as large:
        api("/api/v1/articles?limit=40")
    assert len(small) == len(large)
    sql = " ".join(q["sql"] for q in large.captured_queries).upper()
    assert " OFFSET " not in sql and "COUNT(" not in sql


def test_filters(api, many) -> None:
    Article.objects.update(updated_at=None)  # as published, never changed
    newest = Article.objects.filter(site__code="JdT").order_by("-published_at", "-story_id")
    pivot = newest[10]
    Article.objects.filter(pk__in=[a.pk for a in newest[:10]]).update(
        published_at=pivot.published_at + timedelta(hours=1)
    )
    since = (pivot.published_at + timedelta(minutes=30)).isoformat()
    answer = api("/api/v1/articles", data={"since": since, "limit": 100})
    assert len(answer.json()["items"]) == 10
    # In another offset, and with nanoseconds (cut to microseconds).
    there = (pivot.published_at + timedelta(minutes=30)).astimezone(timezone(timedelta(hours=-5)))
    since_there = there.strftime("%Y-%m-%dT%H:%M:%S.123456789-05:00")
    assert len(api("/api/v1/articles", data={"since": since_there}).json()["items"]) == 10

    edited = newest[20]
    edited.updated_at = pivot.published_at + timedelta(hours=2)
    edited.save(update_fields=["updated_at"])
    answer = api("/api/v1/articles", data={"updated_since": since, "limit": 100}).json()
    assert len(answer["items"]) == 11
    assert answer["items"][-1]["versioncreated"].startswith(
        edited.updated_at.strftime("%Y-%m-%dT%H:%M")
    )

    business = Section.objects.get(site__code="JdT", name="Business")
    Article.objects.filter(pk=edited.pk).update(section=business)
    answer = api("/api/v1/articles?section=business").json()  # as the pages: any case
    assert [i["altids"][0]["value"] for i in answer["items"]] == [str(edited.story_id)]
    assert api("/api/v1/articles?language=fr").json() == {"items": []}


def test_unknown_language_section_or_host_is_404(api, published) -> None:
    assert api("/api/v1/articles?language=de").status_code == 404
    assert api("/api/v1/articles?language=fr&section=Politics").status_code == 404
    answer = api("/api/v1/articles", host="nowhere.localhost")
    assert answer.status_code == 404
    assert answer.json() == {"detail": "No site answers on this host name."}


def test_one_article_carries_its_page_picture_signature_corrections_and_languages(
    api, published, django_capture_on_commit_callbacks
) -> None:
    politique = Section.objects.get(site__code="JdT", language="fr")
    french = Article.objects.create(
        story=published.story,
        site=published.site,
        language="fr",
        section=politique,
        slug="les-ports",
        headline="Les ports",
        signature="P.Claes--JdT",
        source_agency="MWA",
        published_at=published.published_at,
    )
    with django_capture_on_commit_callbacks(execute=True):
        article_correct(article=published, note="The talks are in Antwerp.", editor="lena")
    item = api(f"/api/v1/articles/en/{published.story_id}").json()
    assert item["uri"] == f"http://test.localhost/api/v1/articles/en/{published.story_id}"
    assert item["representationtype"] == "full"
    assert item["renditions"][0]["href"] == "http://test.localhost" + published.get_absolute_url()
    assert item["by"] == published.signature
    assert item["headlines"] == [{"role": "main", "value": published.headline}]
    assert item["bodies"][0]["contenttype"] == "text/html"
    assert '<h2 class="intertitle">Shore power first</h2>' in item["bodies"][0]["value"]
    corrections = [d for d in item["descriptions"] if d["role"] == "correction"]
    assert corrections[0]["value"].endswith(": The talks are in Antwerp.")
    picture, alternate = item["associations"]
    assert picture["name"] == "featureimage" and picture["type"] == "picture"
    assert {r["contenttype"] for r in picture["renditions"]} == {"image/jpeg", "image/webp"}
    assert all(r["href"].startswith("http://test.localhost/media/") for r in picture["renditions"])
    assert alternate["name"] == "alternate-fr" and alternate["language"] == "fr"
    assert alternate["renditions"][0]["href"].endswith(french.get_absolute_url())
    assert {
        "uri": "http://cv.iptc.org/newscodes/mediatopic/11000000",
        "literal": "medtop:11000000",
    } in item["subjects"]
    assert item["urgency"] == published.story.urgency
    # The list gives the same item without its body.
    listed = api("/api/v1/articles").json()["items"][0]
    assert listed["representationtype"] == "partial" and "bodies" not in listed
    assert listed["associations"] == item["associations"]


def test_drafts_withheld_and_embargoed_are_404_killed_is_410_and_listed_by_none(
    api, published
) -> None:
    url = f"/api/v1/articles/en/{published.story_id}"
    for status in (ArticleStatus.DRAFT, ArticleStatus.WITHHELD, ArticleStatus.EMBARGOED):
        Article.objects.filter(pk=published.pk).update(status=status)
        assert api(url).status_code == 404, status
        assert api("/api/v1/articles").json()["items"] == []
        assert api("/api/v1/search?q=port").json()["items"] == []
    Article.objects.filter(pk=published.pk).update(status=ArticleStatus.KILLED)
    answer = api(url)
    assert answer.status_code == 410
    assert answer.json() == {"detail": "This article was withdrawn."}
    assert "public" in answer["Cache-Control"]
    assert f"story-{published.story_id}" in answer["Surrogate-Key"]
    assert api("/api/v1/articles").json()["items"] == []
    assert api(f"/api/v1/articles/fr/{published.story_id}").status_code == 404
    assert api(f"/api/v1/articles/en/{Story.objects.count() + 10}").status_code == 404


def test_sections_site_search_and_ticker(api, published) -> None:
    sections = api("/api/v1/sections?language=en").json()
    assert [s["name"] for s in sections] == ["Politics", "Business"]
    assert sections[0]["url"] == "http://test.localhost/en/Politics/"
    assert api(sections[0]["articles"].removeprefix("http://test.localhost")).json()["items"]
    assert len(api("/api/v1/sections").json()) == 3
    assert api("/api/v1/site").json()["languages"] == ["en", "fr"]

    found = api("/api/v1/search?q=shore+power").json()
    assert found["total"] == 1 and found["page"] == 1 and "next_page" not in found
    assert "<mark>" in found["items"][0]["snippet"]
    assert found["items"][0]["article"]["uri"].endswith(f"/en/{published.story_id}")
    assert api("/api/v1/search?q=nothing-like-this").json()["items"] == []

    ticker, page = api("/api/v1/ticker").json(), api("/ticker.json").json()
    assert ticker.pop("as_of")[:23] == page.pop("as_of")[:23]  # milliseconds in JSON
    assert ticker == page
    assert api("/api/v1/ticker", host="zeitung.localhost").status_code == 404
