"""Applying wire items to stories and their articles: create, update, kill, withhold, embargo.

`story_apply_wire` is the single entry point for wire copy. It is idempotent and order-proof:
the highest version wins, the same version twice is a no-op, and a kill is final, so any order
of deliveries ends in the same state.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from masthead.core.errors import MastheadError, WireError
from masthead.network.models import Section
from masthead.network.routing import Target, route_story
from masthead.newsroom.events import article_changed, breaking_changed
from masthead.newsroom.items import ParsedItem
from masthead.newsroom.models import (
    KILLED_BY_AGENCY,
    Article,
    ArticleStatus,
    Picture,
    Revision,
    Story,
    StoryStatus,
)
from masthead.newsroom.selectors import stories_on_other_sites
from masthead.newsroom.services.audit import audit_record
from masthead.newsroom.services.breaking import (
    story_breaking_from_wire,
    story_breaking_up,
    story_breaking_withdraw,
)
from masthead.newsroom.services.text import article_slug, body_summary, signature_pick

# An article counts as updated when a later version came out at least this long after the first.
UPDATED_AFTER = timedelta(minutes=1)
NO_ROUTE = "no route matched: stored, not published"
UNROUTED = "unrouted"


class StoryPlaceError(MastheadError):
    """An item cannot be placed where an editor asked; the message says why."""


@dataclass
class ApplyResult:
    action: str
    story: Story | None = None
    articles: list[Article] = field(default_factory=list)
    note: str = ""


def _article_status(item: ParsedItem, now: datetime) -> str:
    if item.status == "canceled":
        return ArticleStatus.KILLED
    if item.status == "withheld":
        return ArticleStatus.WITHHELD
    if item.embargo and item.embargo > now:
        return ArticleStatus.EMBARGOED
    return ArticleStatus.PUBLISHED


def _action_for(status: str, *, created: bool, routed: bool = True) -> str:
    if not routed:
        return UNROUTED
    actions: dict[str, str] = {
        ArticleStatus.KILLED: "killed",
        ArticleStatus.WITHHELD: "withheld",
        ArticleStatus.EMBARGOED: "embargoed",
    }
    return actions.get(status, "created" if created else "updated")


@transaction.atomic
def story_apply_wire(*, item: ParsedItem, picture: Picture | None = None) -> ApplyResult:
    """Create or update the story and its articles from one wire item."""
    now = timezone.now()
    story = Story.objects.select_for_update().filter(provider=item.provider, guid=item.guid).first()
    if story is not None and item.only_site:
        _check_only_site(story, item.only_site)
    known: int | None = None  # the version of the item's language the story holds
    legacy: set[str] | None = None
    if story is not None:
        if story.status == StoryStatus.CANCELED:
            # A kill is final; what comes after it changes nothing.
            action = "unchanged" if item.status == "canceled" else "stale"
            return ApplyResult(action, story, list(story.articles.all()), note="story was killed")
        if item.status == "canceled":
            return story_kill(story=story, source=f"wire {item.provider} v{item.version}")
        # A story from before language versions were kept: the languages of its articles
        # (one query, for such stories only).
        legacy = None if story.language_versions else _article_languages(story)
        known = _language_version(story, item.language, legacy=legacy)
        if known is not None and item.version < known:
            return ApplyResult(
                "stale",
                story,
                list(story.articles.all()),
                note=f"version {item.version} is older than {known}",
            )
        if _holds(story, item, known):
            return ApplyResult("unchanged", story, list(story.articles.order_by("pk")))

    if not item.language:
        raise WireError(f"item {item.guid}: no language, so no route can take it")

    # The first news of the story, or of one of its language versions.
    created = story is None or known is None
    if story is None:
        story = Story(provider=item.provider, guid=item.guid)
    _fill_story(story, item, legacy=legacy)
    story.save()

    if item.status == "canceled":  # first news of this story is its kill
        return ApplyResult("killed", story, [], note="killed before any version was published")

    status = _article_status(item, now)
    articles = _apply_articles(story, item, picture, status, now)
    story_breaking_from_wire(
        story=story, urgency=item.urgency, status=status, updated=item.version_created, now=now
    )
    routed = any(_same_language(a.language, item.language) for a in articles)
    note = "" if routed else NO_ROUTE
    return ApplyResult(_action_for(status, created=created, routed=routed), story, articles, note)


def stories_unchanged(*, items: list[ParsedItem]) -> list[ApplyResult | None]:
    """For each item, its result when it changes nothing (its story holds this version of its
    language, with the status that language last came with), else None: the item must be
    applied; the same judgment as story_apply_wire's. One read for all and no lock, so a file
    or feed sent again costs two queries instead of a transaction an item.
    What needs the story service's care (a killed story, a push for a story other sites
    carry) is left to it."""
    keys = {(item.provider, item.guid) for item in items}
    stories = {
        (story.provider, story.guid): story
        for story in Story.objects.filter(guid__in={guid for _, guid in keys})
        if (story.provider, story.guid) in keys
    }
    articles: dict[int, list[Article]] = {story.pk: [] for story in stories.values()}
    carried = Article.objects.filter(story__in=list(stories.values())).order_by("pk")
    for article in carried.select_related("section", "site"):
        articles[article.story_id].append(article)
    # Stories from before language versions were kept hold the languages of their articles.
    legacy = {
        story.pk: {_primary(a.language) for a in articles[story.pk]}
        for story in stories.values()
        if not story.language_versions
    }
    results: list[ApplyResult | None] = []
    for item in items:
        story = stories.get((item.provider, item.guid))
        same = (
            story is not None
            and all(a.site.code == item.only_site for a in articles[story.pk] if item.only_site)
            and story.status != StoryStatus.CANCELED
            and _holds(
                story,
                item,
                _language_version(story, item.language, legacy=legacy.get(story.pk)),
            )
        )
        results.append(
            ApplyResult("unchanged", story, articles[story.pk]) if same and story else None
        )
    return results


def _language_version(story: Story, language: str, *, legacy: set[str] | None = None) -> int | None:
    """The version of this language version of the story we hold, or None if it is new.
    Stories from before language versions were kept hold their one version in each language
    they have an article in (`legacy`: those primary languages, read here if not given); any
    other language is new to them."""
    if not story.language_versions:
        if legacy is None:
            legacy = _article_languages(story)
        return story.version if _primary(language) in legacy else None
    version = story.language_versions.get(_primary(language))
    return int(version) if version is not None else None


def _holds(story: Story, item: ParsedItem, known: int | None) -> bool:
    """Whether the story already holds this item: its language at this version (`known`, from
    _language_version), with the status that language last came with. The one rule by which
    both story_apply_wire and stories_unchanged tell `unchanged`."""
    return (
        known is not None
        and item.version == known
        and item.status == _language_status(story, item.language)
    )


def _language_status(story: Story, language: str) -> str:
    """The status this language version of the story last came with. Stories from before
    statuses were kept per language have the story's (the last item's, whatever its language)."""
    status = (story.language_status or {}).get(_primary(language))
    return str(status) if status is not None else story.status


def _article_languages(story: Story) -> set[str]:
    """The primary languages the story has articles in."""
    return {
        _primary(language)
        for language in story.articles.values_list("language", flat=True).distinct()
    }


def _primary(language: str) -> str:
    """Versions are counted per language, not per region: `en-US` and `en` copy of one guid
    meet on the same English articles, so the highest version must win across both."""
    return language.split("-", 1)[0]


def _same_language(article_language: str, item_language: str) -> bool:
    return article_language.split("-", 1)[0] == item_language.split("-", 1)[0]


def _fill_story(story: Story, item: ParsedItem, *, legacy: set[str] | None = None) -> None:
    """The story as this item says; `legacy`, for a story from before language versions were
    kept, the primary languages of its articles if the caller has read them already."""
    versions = dict(story.language_versions or {})
    if not versions and story.pk is not None:
        # A story from before language versions were kept: its one version becomes its first.
        if legacy is None:
            legacy = _article_languages(story)
        versions = {language: story.version for language in legacy}
    statuses = dict(story.language_status or {})
    if not statuses and story.pk is not None:
        # A story from before statuses were kept per language: the status it has stands for
        # the languages it holds (as it did), so another language's item does not change it.
        statuses = dict.fromkeys(versions, story.status)
    versions[_primary(item.language)] = item.version
    statuses[_primary(item.language)] = item.status
    story.language_versions = versions
    story.language_status = statuses
    story.version = max(versions.values())
    story.version_created = item.version_created
    story.first_created = item.first_created
    story.urgency = item.urgency
    story.subjects = list(item.subjects)
    story.status = item.status
    story.embargo_until = item.embargo
    story.ednote = item.ednote


def stories_create_from_wire(*, items: list[ParsedItem]) -> list[ApplyResult]:
    """New stories for many wire items at once, with their articles and first revisions: a
    few bulk inserts instead of a dozen queries per item. For items that are each the first
    news of a story (the caller checked that none is known yet): usable, with a language, no
    picture. All or nothing, in the caller's transaction: if one row fails (another worker
    created the same story a moment before ...), the caller applies them one by one."""
    now = timezone.now()
    stories = []
    for item in items:
        story = Story(provider=item.provider, guid=item.guid)
        _fill_story(story, item)
        stories.append(story)
    Story.objects.bulk_create(stories)
    per_item: list[tuple[str, list[Article]]] = []
    for story, item in zip(stories, items, strict=True):
        status = _article_status(item, now)
        body = [b.as_dict() for b in item.body]
        articles = []
        for target in _targets(item):
            article = _new_article(story, item, target)
            _fill_article(article, item, body, None, status, now)
            articles.append(article)
        per_item.append((status, articles))
    created = Article.objects.bulk_create([a for _, articles in per_item for a in articles])
    Revision.objects.bulk_create(
        _revision(article, number=1, source=_wire_source(item))
        for item, (_, articles) in zip(items, per_item, strict=True)
        for article in articles
    )
    article_changed(article_ids=[a.pk for a in created])
    for story, item, (status, _) in zip(stories, items, per_item, strict=True):
        story_breaking_from_wire(
            story=story, urgency=item.urgency, status=status, updated=item.version_created, now=now
        )
    return [
        ApplyResult(
            _action_for(status, created=True, routed=bool(articles)),
            story,
            articles,
            "" if articles else NO_ROUTE,
        )
        for story, (status, articles) in zip(stories, per_item, strict=True)
    ]


def _apply_articles(
    story: Story, item: ParsedItem, picture: Picture | None, status: str, now: datetime
) -> list[Article]:
    body = [b.as_dict() for b in item.body]
    existing = {
        (a.site_id, a.language): a for a in story.articles.select_related("site", "section")
    }
    targets = _targets(item)
    source = _wire_source(item)
    articles = []
    for target in targets:
        article = existing.pop((target.site.pk, target.language), None)
        if article is None:
            article = _new_article(story, item, target)
        _fill_article(article, item, body, picture, status, now)
        article.save()
        revision_record(article=article, source=source)
        articles.append(article)
    # Articles no route takes any more stay where they are (an editor may have placed them).
    for article in existing.values():
        # Another language version of the story is another item's business.
        same = _same_language(article.language, item.language)
        if same and "section" in (article.edited_fields or []):
            # Placed (story_place) or moved by an editor: it follows the agency's versions as
            # a routed article does, in the section the editor chose.
            _fill_article(article, item, body, picture, status, now)
            article.save()
            revision_record(article=article, source=source)
        elif same and status != ArticleStatus.PUBLISHED:
            _set_status(
                article, status, first_created=item.first_created, embargo=item.embargo, now=now
            )
            article.save()
            revision_record(article=article, source=source)
        articles.append(article)
    return articles


@transaction.atomic
def story_place(
    *, item: ParsedItem, section: Section, editor: str, picture: Picture | None = None
) -> Article:
    """Publish, in the section an editor chose, a wire item no route took (its story is
    stored without an article on that site). The article is made as a route would have made
    it, but "section" counts as the editor's, so later versions update it where it is. The
    caller checked the editor's right on the section (an editor's seat on its site and
    language). StoryPlaceError, saying why, when it cannot be placed."""
    story = Story.objects.select_for_update().filter(provider=item.provider, guid=item.guid).first()
    if story is None:
        raise StoryPlaceError(f"item {item.guid}: no story of {item.provider} holds it")
    if story.status == StoryStatus.CANCELED or item.status == "canceled":
        by = f" by {story.killed_by}" if story.killed_by else ""
        raise StoryPlaceError(f"story {story.pk} was killed{by}: a kill is final, not placed")
    if not item.language or not _same_language(section.language, item.language):
        raise StoryPlaceError(
            f"the item is in {item.language or 'no language'}, the section {section} in "
            f"{section.language}: place it in a section of its language"
        )
    known = _language_version(story, item.language)
    if known is not None and item.version < known:
        raise StoryPlaceError(
            f"version {item.version} is older than the story's version {known} in "
            f"{_primary(item.language)}: place the newest"
        )
    for other in story.articles.filter(site_id=section.site_id):
        if _same_language(other.language, section.language):
            raise StoryPlaceError(
                f"story {story.pk} is already on {section.site.code} in {other.language} "
                f"(article {other.pk})"
            )
    now = timezone.now()
    status = _article_status(item, now)
    article = _new_article(story, item, Target(site=section.site, section=section))
    _fill_article(article, item, [b.as_dict() for b in item.body], picture, status, now)
    article.edited_fields = ["section"]
    article.save()
    place = f"{section.site.code}/{section.language}/{section.name}"
    revision_record(article=article, source=f"editor {editor}", note=f"placed in {place}")
    audit_record(
        actor=editor,
        action="place",
        article=article,
        detail=f"{item.provider} v{item.version} placed in {place} ({article.status})",
    )
    if status == ArticleStatus.PUBLISHED and story_breaking_up(story=story, now=now):
        # The story's strip is up: every page of this site must show it now, not only the
        # pages the new article's own purge reaches.
        breaking_changed(site_codes=[section.site.code])
    return article


def _targets(item: ParsedItem) -> list[Target]:
    targets = route_story(
        language=item.language,
        subjects=item.subjects,
        text=item.text_for_routing(),
        provider=item.provider,
    )
    if item.only_site:
        return [t for t in targets if t.site.code == item.only_site]
    return targets


def _check_only_site(story: Story, site_code: str) -> None:
    """An item that may touch one site only (a push with its token) must not change, update
    or kill a story other sites carry: that is their copy, not the pusher's."""
    key = (story.provider, story.guid)
    others = stories_on_other_sites(keys={key}, site_code=site_code).get(key)
    if others:
        raise WireError(other_sites_error(story.guid, others, site_code))


def other_sites_error(guid: str, others: list[str], site_code: str) -> str:
    return (
        f"item {guid}: the story is also on {', '.join(others)}; "
        f"a push for {site_code} may change only stories of its own"
    )


def _wire_source(item: ParsedItem) -> str:
    return f"wire {item.provider} v{item.version}"


def _new_article(story: Story, item: ParsedItem, target: Target) -> Article:
    return Article(
        story=story,
        site=target.site,
        language=target.language,
        section=target.section,  # kept on updates, so URLs stay put
        slug=article_slug(item.headline),
        signature=signature_pick(
            signatures=target.site.signatures,
            code=target.site.code,
            key=f"{story.provider}:{story.guid}",
        ),
    )


def _fill_article(
    article: Article,
    item: ParsedItem,
    body: list[dict[str, str]],
    picture: Picture | None,
    status: str,
    now: datetime,
) -> None:
    """The article as this wire version says it (its place on the site is left as it is),
    but for what an editor changed on this site: that stays as the editor made it, and the
    agency's new text waits beside it for the desk (agency_headline, agency_body)."""
    updated_at = (
        item.version_created if item.version_created - item.first_created >= UPDATED_AFTER else None
    )
    if updated_at and updated_at > now:
        updated_at = now
    edited = set(article.edited_fields or [])
    if "headline" not in edited:
        article.headline = item.headline
    if "body" not in edited:
        article.body = body
    if "standfirst" not in edited:
        article.standfirst = item.description
    article.summary = body_summary(article.body)
    if edited & {"headline", "body"}:
        differs = ("headline" in edited and item.headline != article.headline) or (
            "body" in edited and body != article.body
        )
        article.agency_headline = item.headline if differs else ""
        article.agency_body = body if differs else []
        article.agency_updated = differs
    if picture is not None and "picture" not in edited:
        article.picture = picture
    article.source_agency = item.provider
    if "status" in edited and status == ArticleStatus.PUBLISHED:
        # The editor's choice of what shows on this site stands against a plain update; the
        # agency holding its copy back (withheld, embargoed) still applies, and a kill always;
        # once the agency lets it go again, the editor's choice comes back.
        status = article.editor_status or article.status
    _set_status(article, status, first_created=item.first_created, embargo=item.embargo, now=now)
    article.updated_at = updated_at if article.published_at else None


def _set_status(
    article: Article,
    status: str,
    *,
    first_created: datetime,
    embargo: datetime | None,
    now: datetime,
) -> None:
    article.status = status
    article.embargo_until = embargo if status == ArticleStatus.EMBARGOED else None
    if status == ArticleStatus.PUBLISHED and article.published_at is None:
        # Publication time is the agency's, never in the future;
        # a lifted embargo publishes at its time.
        article.published_at = min(max(first_created, embargo or first_created), now)


def revision_record(*, article: Article, source: str, note: str = "") -> Revision:
    """Keep the article as it now is; every change passes here, so listeners hear of it."""
    article_changed(article_ids=[article.pk])
    last = article.revisions.order_by("-number").values_list("number", flat=True).first() or 0
    revision = _revision(article, number=last + 1, source=source, note=note)
    revision.save()
    return revision


def _revision(article: Article, *, number: int, source: str, note: str = "") -> Revision:
    return Revision(
        article=article,
        number=number,
        source=source[:200],
        headline=article.headline,
        body=article.body,
        status=article.status,
        note=note[:300],
    )


@transaction.atomic
def story_kill(
    *, story: Story, source: str, by: str | None = None, reason: str = ""
) -> ApplyResult:
    """Unpublish every article of the story for good; their URLs then answer 410.

    `by` is who withdrew it, kept on the story: "agency" or an editor's username; left out,
    it is read from `source`: "editor <name>" is that editor, anything else (the wire) the agency.
    """
    story.status = StoryStatus.CANCELED
    story.killed_by = (by if by is not None else _killed_by(source))[:150]
    story.killed_at = timezone.now()
    story.kill_reason = " ".join(reason.split())[:500]
    story.save(update_fields=["status", "killed_by", "killed_at", "kill_reason", "updated_at"])
    articles = list(story.articles.all())
    for article in articles:
        article.status = ArticleStatus.KILLED
        article.save(update_fields=["status", "modified_at"])
        revision_record(article=article, source=source, note="killed")
    story_breaking_withdraw(story=story)
    if story.killed_by != KILLED_BY_AGENCY:  # the agency's kills are in the wire log
        audit_record(
            actor=story.killed_by,
            action="kill",
            story=story,
            detail="; ".join(
                filter(None, [f"{len(articles)} article(s) withdrawn", story.kill_reason])
            ),
        )
    return ApplyResult("killed", story, articles)


@transaction.atomic
def story_release_embargoes(*, now: datetime | None = None) -> list[Article]:
    """Publish the embargoed articles whose time has come (run by the worker every minute)."""
    now = now or timezone.now()
    # Each article's own time (language versions of one story may lift at different times);
    # articles embargoed before it was kept per article go by their story's.
    due = list(
        Article.objects.select_for_update()
        .filter(status=ArticleStatus.EMBARGOED)
        .filter(
            Q(embargo_until__lte=now) | Q(embargo_until__isnull=True, story__embargo_until__lte=now)
        )
        .select_related("story")
    )
    for article in due:
        lifted = article.embargo_until or article.story.embargo_until
        _set_status(
            article,
            ArticleStatus.PUBLISHED,
            first_created=article.story.first_created,
            embargo=lifted,
            now=now,
        )
        article.save()
        revision_record(article=article, source="embargo lifted")
    for story in {a.story_id: a.story for a in due}.values():  # an urgent story breaks now
        story_breaking_from_wire(
            story=story, urgency=story.urgency, status=ArticleStatus.PUBLISHED, updated=now, now=now
        )
    return due


def _killed_by(source: str) -> str:
    if source.startswith("editor "):
        return source.removeprefix("editor ").strip() or source
    return KILLED_BY_AGENCY
