"""Hostile markup is judged by what a reader sees: nothing runs, and no markup shows as text.

XHTML bodies written in XML's short form (`<iframe src=".."/>`, `<textarea/>`) used to turn
the rest of the body into escaped markup printed on the page, and lose its paragraphs."""

from __future__ import annotations

from pathlib import Path

import pytest
from lxml import html as lxml_html

from masthead.newsroom.models import Article

HOSTILE_XHTML = """
<p>Exports grew by four percent in October.</p>
<iframe src="https://attacker.example/frame"/>
<p style="color:red" onclick="steal()">Imports fell for the second month.</p>
<script/>
<p>The trade gap narrowed<br/>to its smallest in a year.</p>
<textarea/>
<p>Economists expect a slower December.</p>
<title/>
<p>The figures will be revised in January.</p>
<img src="x" onerror="steal()"/>
<p><a href="javascript:steal()">A link that goes nowhere</a> and the end.</p>
"""
PARAGRAPHS = [
    "Exports grew by four percent in October.",
    "Imports fell for the second month.",
    "Economists expect a slower December.",
    "The figures will be revised in January.",
]


def _g2(body: str) -> str:
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<newsItem xmlns="http://iptc.org/std/nar/2006-10-01/" guid="urn:test:hostile-g2" version="1"
  standard="NewsML-G2" standardversion="2.35">
  <itemMeta><itemClass qcode="ninat:text"/><provider literal="MWA"/>
    <versionCreated>2026-11-30T07:00:00Z</versionCreated><pubStatus qcode="stat:usable"/></itemMeta>
  <contentMeta><language tag="en"/><headline>Trade gap narrows</headline></contentMeta>
  <contentSet><inlineXML contenttype="application/xhtml+xml">
    <html xmlns="http://www.w3.org/1999/xhtml"><head><title>t</title></head><body>{body}</body></html>
  </inlineXML></contentSet>
</newsItem>"""


def _newsml1(body: str) -> str:
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<NewsML Version="1.2"><NewsEnvelope><DateAndTime>20261130T070000Z</DateAndTime></NewsEnvelope>
<NewsItem><Identification><NewsIdentifier><ProviderId>MWA</ProviderId><DateId>20261130</DateId>
<NewsItemId>hostile-1</NewsItemId><RevisionId PreviousRevision="0" Update="N">1</RevisionId>
<PublicIdentifier>urn:newsml:mwa:20261130:hostile-1:1N</PublicIdentifier></NewsIdentifier></Identification>
<NewsManagement><NewsItemType FormalName="News"/><FirstCreated>20261130T070000Z</FirstCreated>
<ThisRevisionCreated>20261130T070000Z</ThisRevisionCreated><Status FormalName="Usable"/></NewsManagement>
<NewsComponent><NewsLines><HeadLine>Trade gap narrows</HeadLine></NewsLines>
<DescriptiveMetadata><Language FormalName="en"/></DescriptiveMetadata>
<ContentItem><MediaType FormalName="Text"/><Format FormalName="XHTML"/>
<DataContent><html xmlns="http://www.w3.org/1999/xhtml"><body>{body}</body></html></DataContent>
</ContentItem></NewsComponent></NewsItem></NewsML>"""


@pytest.mark.parametrize("build", [_g2, _newsml1], ids=["newsml-g2", "newsml1"])
def test_short_form_xhtml_reads_as_the_paragraphs_it_holds(
    build, client, network, tmp_path: Path, ingest
) -> None:
    path = tmp_path / "hostile.xml"
    path.write_text(build(HOSTILE_XHTML))
    outcome = ingest([path])[0]
    assert outcome.action == "created", outcome
    article = Article.objects.get(pk=outcome.article_ids[0])
    page = client.get(article.get_absolute_url(), HTTP_HOST="test.localhost")
    assert page.status_code == 200
    tree = lxml_html.fromstring(page.content)
    story = tree.find_class("story")[0]
    seen = story.text_content()
    # What a reader sees: every paragraph, as text ...
    for paragraph in PARAGRAPHS:
        assert paragraph in seen, paragraph
    assert "The trade gap narrowed" in seen and "to its smallest in a year." in seen
    # ... and no markup printed as text, nothing that runs or frames.
    for shown in ("<p", "<iframe", "onclick", "style=", "&lt;", "steal()", "<textarea"):
        assert shown not in seen, shown
    for tag in ("iframe", "script", "textarea", "title"):
        assert not story.findall(f".//{tag}"), tag
    assert not any("onerror" in element.attrib for element in story.iter())
    assert not any(a.get("href", "").startswith("javascript") for a in story.iter("a"))
    assert all("onclick" not in p.attrib and "style" not in p.attrib for p in story.iter("p"))
