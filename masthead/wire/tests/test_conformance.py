"""Conformance means published: every text item among the standards bodies' samples in
../shared/fixtures comes out as an article on the demo network, with its text on the page.
A sample that is not a text item is listed with the reason, and the test checks that reason."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from lxml import html as lxml_html

from masthead.conftest import SHARED
from masthead.network.services import network_apply
from masthead.network.spec import read_network_file
from masthead.newsroom.models import Article, ArticleStatus

DEMO_NETWORK = Path(__file__).resolve().parents[2] / "demo" / "network.toml"
SAMPLES = SHARED / "fixtures"

# Samples that carry no text story, and the one line ingest gives each.
NOT_TEXT = {
    "newsml-g2/LISTING_1_A_NewsML-G2_News_Item.xml": "no body text",  # its inlineXML is empty
    "newsml-g2/LISTING_3_Photo_in_NewsML-G2.xml": "pictures alone are not published",
    "newsml-g2/LISTING_26_Embedded_photo_metadata_fields_mapped_to_NewsML-G2.xml": (
        "pictures alone are not published"
    ),
    "newsml-g2/LISTING_6_Simple_NewsML-G2_Package.xml": "a package without the items",
    # Placeholder items with neither headline nor text.
    "newsml-g2/LISTING_24_News_Message_conveying_a_complete_News_Package.xml": "no body text",
    # Fragments of a document (a bare <contentSet>, a bare <contentMeta>) shown in the guide.
    "newsml-g2/LISTING_25_An_NITF_marked-up_article_conveyed_in_inlineXML.xml": "unknown format",
    "newsml-g2/LISTING_28_Illustrating_Located_Subject_and_Dateline.xml": "unknown format",
    "ninjs/2.2/006_photo_only.json": "picture items are not published",
    "ninjs/3.1/006_photo_only.json": "picture items are not published",
    "ninjs/3.1/008_event.json": "event items are not published",
}


def _samples() -> list[str]:
    if not SAMPLES.is_dir():
        return []
    found = sorted(SAMPLES.glob("newsml-g2/*.xml")) + sorted(SAMPLES.glob("ninjs/*/*.json"))
    return [str(p.relative_to(SAMPLES)) for p in found]


def _words(path: Path) -> list[str]:
    """A few words of the sample's text that the page must show."""
    if path.suffix == ".json":
        doc = json.loads(path.read_text())
        text = doc.get("body_text") or doc.get("headline") or ""
        if not text and doc.get("bodies"):
            text = doc["bodies"][0]["value"]
        if not text and doc.get("headlines"):
            text = doc["headlines"][0]["value"]
        text = lxml_html.fromstring(f"<div>{text}</div>").text_content()
    else:
        return []  # checked against the parsed headline below
    return text.split()[:5]


@pytest.fixture
def demo_network(db: None) -> None:
    if not SAMPLES.is_dir():
        pytest.skip(f"../shared is absent ({SAMPLES}); conformance tests need it")
    network_apply(spec=read_network_file(DEMO_NETWORK))


@pytest.mark.parametrize("name", _samples() or ["(no samples)"])
def test_every_text_sample_is_published_with_its_text(
    name: str, demo_network, client, ingest
) -> None:
    path = SAMPLES / name
    outcomes = ingest([path])
    if name in NOT_TEXT:
        assert all(o.action == "failed" for o in outcomes), outcomes
        assert all(NOT_TEXT[name] in o.error for o in outcomes), outcomes
        return
    assert outcomes and all(o.action == "created" and o.article_ids for o in outcomes), outcomes
    for outcome in outcomes:
        for article in Article.objects.filter(pk__in=outcome.article_ids).select_related(
            "site", "section"
        ):
            assert article.status == ArticleStatus.PUBLISHED
            host = article.site.primary_domain
            page = client.get(article.get_absolute_url(), HTTP_HOST=host)
            assert page.status_code == 200, (name, article.get_absolute_url())
            seen = " ".join(
                lxml_html.fromstring(page.content).find_class("story")[0].text_content().split()
            )
            assert article.headline in seen
            for block in article.body[:2]:
                text = " ".join(
                    lxml_html.fromstring(f"<div>{block['html']}</div>").text_content().split()
                )
                assert text[:60] in seen, (name, text[:60])
            for word in _words(path):
                assert word in seen or word in article.headline, (name, word)
