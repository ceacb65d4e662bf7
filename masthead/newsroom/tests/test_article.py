import pytest

from masthead.newsroom.models import Article
from masthead.newsroom.services.article import (
    ArticleEditError,
    article_body_clean,
    article_edit,
    article_pin,
)


def test_body_clean_sanitises_and_drops_empty_blocks() -> None:
    body = article_body_clean(
        [
            {"type": "paragraph", "html": "Hello <script>alert(1)</script><em>there</em>"},
            {"type": "intertitle", "html": "  "},
            {"type": "quote", "html": '<a href="javascript:x()">quoted</a>'},
        ]
    )
    assert body == [
        {"type": "paragraph", "html": "Hello <em>there</em>"},
        {"type": "quote", "html": '<a rel="noopener nofollow">quoted</a>'},
    ]


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("text", "body: expected a list of blocks"),
        ([{"type": "table", "html": "x"}], "body block 1: expected"),
        ([{"type": "paragraph", "html": ""}], "at least one non-empty block"),
    ],
)
def test_body_clean_rejects_bad_bodies(body, message) -> None:
    with pytest.raises(ArticleEditError, match=message):
        article_body_clean(body)


def test_edit_keeps_a_revision_and_marks_the_update(published: Article) -> None:
    before = published.revisions.count()
    published.headline = "Port cities <b>agree</b> on shore power"
    article_edit(article=published, editor="lena", note="headline fixed")
    published.refresh_from_db()
    assert published.headline == "Port cities agree on shore power"
    assert published.updated_at is not None
    revision = published.revisions.order_by("-number").first()
    assert revision is not None and published.revisions.count() == before + 1
    assert (revision.source, revision.note, revision.headline) == (
        "editor lena",
        "headline fixed",
        published.headline,
    )


def test_edit_refuses_an_empty_headline_and_writes_nothing(published: Article) -> None:
    published.headline = "<i></i>"
    before = published.revisions.count()
    with pytest.raises(ArticleEditError, match="headline"):
        article_edit(article=published, editor="lena")
    published.refresh_from_db()
    assert published.headline and published.revisions.count() == before


def test_pin_is_recorded(published: Article) -> None:
    article_pin(article=published, pinned=True, editor="lena")
    published.refresh_from_db()
    assert published.pinned
    assert published.revisions.order_by("-number").first().note == "pinned"


def test_article_url_is_the_readers_url(published: Article) -> None:
    from django.urls import reverse

    published.section.name = "Économie & co"
    expected = reverse(
        "reader:article",
        kwargs={
            "lang": published.language,
            "section": published.section.name,
            "story_id": published.story_id,
            "slug": published.slug,
        },
    )
    assert published.get_absolute_url() == expected
