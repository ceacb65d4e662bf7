"""Stories the newsroom writes itself.

An original story is kept as agency copy is: a Story under the house's own provider
(MASTHEAD_LOCAL_PROVIDER) with a guid of its own, and one article per chosen section, made by
the same code the wire's stories are made by. Fronts, search, feeds, sitemaps and the caches
therefore need no special case for it, and editing it later is editing any article.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import cast

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from masthead.core.html import Block, BlockType, plain_text
from masthead.network.models import Section
from masthead.network.routing import Target
from masthead.newsroom.items import ParsedItem
from masthead.newsroom.models import Article, ArticleStatus, Picture, Story
from masthead.newsroom.services.article import ArticleEditError, article_body_clean
from masthead.newsroom.services.audit import audit_record
from masthead.newsroom.services.story import (
    _fill_article,
    _fill_story,
    _new_article,
    revision_record,
)


@dataclass(frozen=True)
class Draft:
    """What the editor wrote. `body` is blocks as the body field reads them."""

    headline: str
    body: list[dict[str, str]]
    language: str
    standfirst: str = ""
    # None: publish now; in the future: a draft the worker publishes then.
    publish_at: datetime | None = None
    hold: bool = False  # kept as a draft, unscheduled


def local_provider() -> str:
    return str(getattr(settings, "MASTHEAD_LOCAL_PROVIDER", "local"))


def story_write(
    *, draft: Draft, sections: list[Section], editor: str, picture: Picture | None = None
) -> Story:
    """Create the story and its articles in `sections` (the caller checked the editor may
    publish there). ArticleEditError names what is wrong: nothing is written then."""
    # Plain text, as an edit's headline is (no markup spelled out, no control character).
    headline = plain_text(draft.headline, limit=len(draft.headline))
    if not headline:
        raise ArticleEditError("headline: a story needs one")
    if len(headline) > 300:
        raise ArticleEditError(f"headline: at most 300 characters ({len(headline)} given)")
    body = article_body_clean(draft.body)
    if not sections:
        raise ArticleEditError("sections: choose at least one section to publish in")
    language = draft.language.split("-", 1)[0]
    foreign = [s for s in sections if s.language.split("-", 1)[0] != language]
    if foreign:
        names = ", ".join(f"{s.site.code}/{s.language} {s.name}" for s in foreign)
        raise ArticleEditError(f"sections: {names} not in the story's language ({language})")
    now = timezone.now()
    if draft.publish_at is not None and draft.publish_at <= now:
        raise ArticleEditError("publish_at: the time has passed; publish now instead")
    item = ParsedItem(
        guid=f"urn:masthead:{uuid.uuid4()}",
        version=1,
        version_created=now,
        first_created=now,
        provider=local_provider(),
        language=draft.language,
        headline=headline,
        body=tuple(Block(cast(BlockType, b["type"]), b["html"]) for b in body),
        byline=editor,
        format="desk",
    )
    held = draft.hold or draft.publish_at is not None
    with transaction.atomic():
        story = Story(provider=item.provider, guid=item.guid)
        _fill_story(story, item)
        story.save()
        seen: set[tuple[int, str]] = set()
        for section in sections:
            key = (section.site_id, section.language)
            if key in seen:  # one article per site and language: the first section chosen
                continue
            seen.add(key)
            article = _new_article(story, item, Target(site=section.site, section=section))
            _fill_article(article, item, body, picture, ArticleStatus.PUBLISHED, now)
            article.standfirst = plain_text(draft.standfirst, limit=len(draft.standfirst))
            if held:
                article.status = ArticleStatus.DRAFT
                article.published_at = None
                article.publish_at = draft.publish_at
            article.save()
            revision_record(article=article, source=f"editor {editor}", note="written")
            audit_record(
                actor=editor,
                action="write",
                article=article,
                detail=_when(held, draft.publish_at) + f": {headline}"[:250],
            )
    return story


def _when(held: bool, publish_at: datetime | None) -> str:
    if publish_at is not None:
        return f"scheduled for {timezone.localtime(publish_at):%Y-%m-%d %H:%M}"
    return "kept as a draft" if held else "published"


def story_articles(*, story: Story) -> list[Article]:
    return list(story.articles.select_related("site", "section").order_by("site__code"))
