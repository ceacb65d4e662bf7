"""Every article the API gives is a valid ninjs 2.2 item: checked against the IPTC's own
schema, read from ../shared (never copied here)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from jsonschema import Draft202012Validator

from masthead.network.models import Section
from masthead.newsroom.models import Article
from masthead.newsroom.services.article import article_correct


@pytest.fixture
def ninjs(shared_dir: Path) -> Draft202012Validator:
    schema = json.loads((shared_dir / "fixtures/ninjs/ninjs-schema_2.2.json").read_text())
    # The format checker too: uri and date-time values are checked, not only their types.
    return Draft202012Validator(schema, format_checker=Draft202012Validator.FORMAT_CHECKER)


def _valid(validator: Draft202012Validator, item: dict) -> None:
    errors = [
        f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in validator.iter_errors(item)
    ]
    assert not errors, errors


def test_the_schema_refuses_what_it_should(ninjs) -> None:
    # The check is real: a property of our own, or a null, would not pass.
    assert list(ninjs.iter_errors({"uri": "http://x.example/1", "section": "Politics"}))
    assert list(ninjs.iter_errors({"uri": "http://x.example/1", "by": None}))


def test_list_article_and_search_items_are_ninjs_2_2(
    ninjs, api, published, django_capture_on_commit_callbacks
) -> None:
    Article.objects.create(
        story=published.story,
        site=published.site,
        language="fr",
        section=Section.objects.get(site__code="JdT", language="fr"),
        slug="les-ports",
        headline="Les ports",
        signature="P.Claes--JdT",
        source_agency="MWA",
        published_at=published.published_at,
    )
    with django_capture_on_commit_callbacks(execute=True):
        article_correct(article=published, note="The talks are in Antwerp.", editor="lena")
    whole = api(f"/api/v1/articles/en/{published.story_id}").json()
    assert whole["associations"] and whole["descriptions"] and whole["bodies"]
    _valid(ninjs, whole)
    for item in api("/api/v1/articles").json()["items"]:
        _valid(ninjs, item)
    for hit in api("/api/v1/search?q=port").json()["items"]:
        _valid(ninjs, hit["article"])
    _valid(ninjs, api(f"/api/v1/articles/fr/{published.story_id}").json())


def test_an_article_without_picture_summary_or_subjects_is_ninjs_too(ninjs, api, published) -> None:
    published.story.subjects = ["weird code with spaces", "medtop:not/a/number"]
    published.story.save()
    Article.objects.filter(pk=published.pk).update(
        picture=None, standfirst="", summary="", signature="", source_agency=""
    )
    item = api(f"/api/v1/articles/en/{published.story_id}").json()
    assert "associations" not in item and "by" not in item
    assert {"literal": "weird code with spaces"} in item["subjects"]
    _valid(ninjs, item)
