"""Breaking news: a strip on every page of the sites carrying a story, for a while.

An urgent agency version (urgency 1 or 2, published) or an editor's flag raises it until
settings.MASTHEAD_BREAKING_MINUTES after the story's last urgent update (the flag: after the
flag); each later urgent version keeps it up longer. It comes down when that time has come
(the worker, every minute: `stories_breaking_expire`), when a chief ends it
(`story_breaking_end`), or with the story when the story is killed. Once an editor ended it,
the agency's later versions do not raise it again; an editor's flag still does.

The strip is the story's, not one article's: it shows on every site and language the story
is published on, each linking to its own article (reader/selectors.py). Going up or coming
down, the pages of those sites are purged once the change commits (the listeners in
settings.MASTHEAD_BREAKING_LISTENERS); between the two, a page showing the strip is kept by
any cache no longer than the strip's end (reader/views.py), so a worker that is late or down
does not keep it on screen.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from masthead.newsroom.events import breaking_changed
from masthead.newsroom.models import KILLED_BY_AGENCY, Article, ArticleStatus, Story, StoryStatus
from masthead.newsroom.services.audit import audit_record

# `by` for what the wire does; anything else is an editor's username.
AGENCY = KILLED_BY_AGENCY
# IPTC urgency runs from 1 (flash) to 9; 1 and 2 are the agencies' flashes and alerts.
MOST_URGENT = 2

_FIELDS = ("status", "breaking_until", "breaking_live", "breaking_ended_by")


def breaking_duration() -> timedelta:
    return timedelta(minutes=settings.MASTHEAD_BREAKING_MINUTES)


def story_breaking_up(*, story: Story, now: datetime | None = None) -> bool:
    """Whether the story's strip shows now (readers see it until its time, whatever the
    worker has done yet)."""
    now = now or timezone.now()
    return bool(story.breaking_live and story.breaking_until and story.breaking_until > now)


@transaction.atomic
def story_breaking_start(
    *, story: Story, by: str, now: datetime | None = None, updated: datetime | None = None
) -> bool:
    """Raise the story's strip, or keep it up longer: until `updated` (the story's last
    urgent update; by default now) plus MASTHEAD_BREAKING_MINUTES, never sooner than it
    already ends. `by` is the editor's username, or AGENCY for a wire version, which does
    nothing once an editor has ended the strip. True when the strip's end moved."""
    now = now or timezone.now()
    _refresh(story)
    editor = by != AGENCY
    if story.status == StoryStatus.CANCELED or (not editor and story.breaking_ended_by):
        return False
    # A version time ahead of our clock (the agency's is not ours) counts as now.
    until = min(updated or now, now) + breaking_duration()
    was_up = story_breaking_up(story=story, now=now)
    if was_up and story.breaking_until is not None:
        until = max(until, story.breaking_until)
    if until <= now or (was_up and until == story.breaking_until):
        return False  # a version older than the strip's time, or nothing new
    _save(story, breaking_until=until, breaking_live=True, breaking_ended_by="")
    if editor:
        audit_record(
            actor=by,
            action="flag breaking",
            story=story,
            detail=f"breaking news until {until:%Y-%m-%d %H:%M} UTC",
        )
    if not was_up:
        # Every page of its sites must now show it; once up, pages showing it carry the
        # story's surrogate key and follow its changes with the story's own purges.
        breaking_changed(site_codes=_site_codes([story.pk]))
    return True


@transaction.atomic
def story_breaking_end(*, story: Story, by: str, now: datetime | None = None) -> bool:
    """An editor takes the strip down before its time, for good against the agency's later
    versions (an editor's flag raises it again). The caller checked the editor's right
    (selectors.user_may_end_breaking). False when no strip was up."""
    now = now or timezone.now()
    _refresh(story)
    if not story.breaking_live:
        return False
    until = min(story.breaking_until or now, now)
    _save(story, breaking_until=until, breaking_live=False, breaking_ended_by=by[:150])
    audit_record(actor=by, action="end breaking", story=story, detail="breaking news ended early")
    breaking_changed(site_codes=_site_codes([story.pk]))
    return True


@transaction.atomic
def story_breaking_withdraw(*, story: Story, now: datetime | None = None) -> bool:
    """The strip comes down with a killed story (the kill itself is audited)."""
    now = now or timezone.now()
    _refresh(story)
    if not story.breaking_live:
        return False
    _save(story, breaking_until=min(story.breaking_until or now, now), breaking_live=False)
    breaking_changed(site_codes=_site_codes([story.pk]))
    return True


def story_breaking_from_wire(
    *, story: Story, urgency: int, status: str, updated: datetime, now: datetime | None = None
) -> bool:
    """What a wire version does to the strip: a published one of urgency 1 or 2 raises or
    extends it; a kill takes it down; anything else leaves it as it is (a less urgent update
    neither extends nor ends it, and a withheld or embargoed one shows on no page anyway)."""
    if status == ArticleStatus.KILLED:
        return story_breaking_withdraw(story=story, now=now)
    if not 1 <= urgency <= MOST_URGENT or status != ArticleStatus.PUBLISHED:
        return False
    return story_breaking_start(story=story, by=AGENCY, now=now, updated=updated)


def stories_breaking_expire(*, now: datetime | None = None) -> list[int]:
    """Take down the strips whose time has come (the worker, every minute) and purge their
    sites' pages; the ids of their stories."""
    now = now or timezone.now()
    with transaction.atomic():
        due = list(
            Story.objects.select_for_update()
            .filter(breaking_live__in=[True])  # on the index, SQLite too (reader.selectors)
            .filter(Q(breaking_until__lte=now) | Q(breaking_until__isnull=True))
            .values_list("pk", flat=True)
        )
        if due:
            Story.objects.filter(pk__in=due).update(breaking_live=False)
            breaking_changed(site_codes=_site_codes(due))
    return due


def _refresh(story: Story) -> None:
    """The story's breaking fields as stored, its row locked until the caller commits (a
    wire version and an editor's action on one story wait for each other)."""
    row = Story.objects.select_for_update().filter(pk=story.pk).values(*_FIELDS).first()
    for name, value in (row or {}).items():
        setattr(story, name, value)


def _save(story: Story, **values: object) -> None:
    # An UPDATE of these fields alone: the caller may hold a story with other changes of its own.
    Story.objects.filter(pk=story.pk).update(**values)
    for name, value in values.items():
        setattr(story, name, value)


def _site_codes(story_ids: list[int]) -> list[str]:
    return list(
        Article.objects.filter(story_id__in=story_ids)
        .values_list("site__code", flat=True)
        .distinct()
    )
