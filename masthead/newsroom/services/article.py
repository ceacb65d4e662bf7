"""Editor actions on one article: edit, pin, unpin. Each keeps a revision."""

from __future__ import annotations

from typing import Any, get_args

from django.db import transaction
from django.utils import timezone

from masthead.core.errors import MastheadError
from masthead.newsroom.models import Article, ArticleStatus
from masthead.newsroom.services.story import revision_record
from masthead.wire.items import BlockType
from masthead.wire.sanitize import clean_inline, plain_text

BLOCK_TYPES = set(get_args(BlockType))


class ArticleEditError(MastheadError):
    pass


def article_body_clean(body: Any) -> list[dict[str, str]]:
    """An editor's body, checked block by block and sanitised like agency copy."""
    if not isinstance(body, list):
        raise ArticleEditError("body: expected a list of blocks")
    blocks = []
    for index, block in enumerate(body, start=1):
        if not isinstance(block, dict) or block.get("type") not in BLOCK_TYPES:
            raise ArticleEditError(
                f'body block {index}: expected {{"type": one of {sorted(BLOCK_TYPES)}, '
                '"html": "..."}'
            )
        html = clean_inline(str(block.get("html", "")))
        if html:
            blocks.append({"type": block["type"], "html": html})
    if not blocks:
        raise ArticleEditError("body: an article needs at least one non-empty block")
    return blocks


@transaction.atomic
def article_edit(*, article: Article, editor: str, note: str = "") -> Article:
    """Save an editor's change to headline, body, section or status, with a revision.

    The caller sets the new values on `article`; this cleans them, stamps the change and keeps
    the revision, so an edit from the admin, the API or a command is recorded the same way.
    """
    article.headline = plain_text(article.headline, limit=300)
    if not article.headline:
        raise ArticleEditError("headline: must not be empty")
    article.body = article_body_clean(article.body)
    now = timezone.now()
    if article.status == ArticleStatus.PUBLISHED:
        if article.published_at is None:
            article.published_at = now
        else:
            article.updated_at = now
    article.save()
    revision_record(article=article, source=f"editor {editor}"[:200], note=note)
    return article


@transaction.atomic
def article_pin(*, article: Article, pinned: bool, editor: str) -> Article:
    article.pinned = pinned
    article.save(update_fields=["pinned", "modified_at"])
    revision_record(
        article=article, source=f"editor {editor}", note="pinned" if pinned else "unpinned"
    )
    return article
