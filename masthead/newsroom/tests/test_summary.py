"""Summaries: the agency's description becomes the standfirst, and every article keeps its
first sentences for lists, cut at a sentence; an editor's standfirst survives the wire."""

from __future__ import annotations

import json
from pathlib import Path

from masthead.newsroom.models import Article
from masthead.newsroom.services.article import article_edit
from masthead.newsroom.services.text import body_summary


def _para(text: str) -> list[dict[str, str]]:
    return [{"type": "intertitle", "html": "Ignored"}, {"type": "paragraph", "html": text}]


def test_a_short_first_paragraph_is_the_summary_whole() -> None:
    assert (
        body_summary(_para("Dues rise by <em>four</em> percent.")) == "Dues rise by four percent."
    )


def test_a_long_one_is_cut_at_a_sentence() -> None:
    first = "The council voted on Monday to raise harbour dues by four percent from January."
    second = "The board said the quays needed mending after two hard winters."
    third = "Shipowners said they would appeal to the regional court, which could take months."
    summary = body_summary(_para(f"{first} {second} {third}"), limit=160)
    assert summary == f"{first} {second}"


def test_one_endless_sentence_is_cut_at_a_word() -> None:
    summary = body_summary(_para("word " * 100), limit=50)
    assert summary.endswith("…") and len(summary) <= 50 and "wor…" not in summary


def test_no_paragraph_no_summary() -> None:
    assert body_summary([{"type": "quote", "html": "Only a quote."}]) == ""
    assert body_summary("not blocks") == ""


def _ninjs(folder: Path, version: int, description: str) -> Path:
    path = folder / f"v{version}.json"
    path.write_text(
        json.dumps(
            {
                "uri": "urn:test:summary",
                "version": str(version),
                "language": "en",
                "versioncreated": f"2026-11-30T0{version}:00:00Z",
                "headline": "Harbour dues rise",
                "description_text": description,
                "body_html": "<p>The board met on Monday. It raised the dues.</p>",
            }
        )
    )
    return path


def test_the_agencys_description_is_the_standfirst_until_an_editor_writes_one(
    network, tmp_path, ingest
) -> None:
    ingest([_ninjs(tmp_path, 1, "Ships pay four percent more from January.")])
    article = Article.objects.get(site__code="JdT")
    assert article.standfirst == "Ships pay four percent more from January."
    assert article.summary == "The board met on Monday. It raised the dues."
    article.standfirst = "The desk's own summary."
    article_edit(article=article, editor="lena")
    ingest([_ninjs(tmp_path, 2, "A newer agency summary.")])
    article.refresh_from_db()
    assert article.standfirst == "The desk's own summary."
    other = (
        Article.objects.get(site__code="ZdT")
        if Article.objects.filter(site__code="ZdT").exists()
        else None
    )
    if other is not None:  # an article nobody edited follows the agency
        assert other.standfirst == "A newer agency summary."


def test_a_description_that_repeats_the_headline_is_no_standfirst(
    network, tmp_path, ingest
) -> None:
    ingest([_ninjs(tmp_path, 1, "Harbour dues rise")])
    assert Article.objects.get(site__code="JdT").standfirst == ""
