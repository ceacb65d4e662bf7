"""Stories (one per wire story, network-wide id) and their articles (one per site and language)."""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from django.conf import settings
from django.core.files.storage import FileSystemStorage, default_storage
from django.db import models
from django.utils.encoding import iri_to_uri


class StoryStatus(models.TextChoices):
    USABLE = "usable", "Usable"
    WITHHELD = "withheld", "Withheld"
    CANCELED = "canceled", "Canceled (killed)"


# Story.killed_by when the wire withdrew the story; an editor's kill keeps their username.
KILLED_BY_AGENCY = "agency"


class Story(models.Model):
    """A wire story. Its id is the number in every article URL of the network."""

    provider = models.CharField(max_length=64)
    guid = models.CharField(max_length=500)
    version = models.PositiveBigIntegerField(default=1)
    # Some agencies send a story's language versions under one guid, each with its own
    # version numbers: {"en": 3, "fr": 1}. `version` is the highest of them.
    language_versions = models.JSONField(default=dict, blank=True)
    # The status each language version last came with: {"en": "withheld", "fr": "usable"}.
    # `status` is the last item's, whatever its language (a kill makes it canceled); an item
    # is unchanged only if its own language holds its version with its status. Empty on
    # stories from before it was kept: their `status` stands for every language.
    language_status = models.JSONField(default=dict, blank=True, db_default={})
    version_created = models.DateTimeField()
    first_created = models.DateTimeField()
    urgency = models.PositiveSmallIntegerField(default=4)
    subjects = models.JSONField(default=list, blank=True)
    status = models.CharField(
        max_length=16, choices=StoryStatus.choices, default=StoryStatus.USABLE
    )
    embargo_until = models.DateTimeField(null=True, blank=True)
    ednote = models.TextField(blank=True)
    killed_by = models.CharField(
        max_length=150,
        blank=True,
        default="",
        db_default="",  # rows inserted in bulk by SQL (populate) leave it out
        help_text=f'who withdrew it: "{KILLED_BY_AGENCY}" or the editor\'s username; '
        "blank when not killed",
    )
    killed_at = models.DateTimeField(null=True, blank=True)
    # Why the editors withdrew it: shown on its 410 page and kept in the audit log.
    kill_reason = models.CharField(max_length=500, blank=True, db_default="")
    # Breaking news: the sites carrying the story show a strip on every page until this time
    # (an urgent agency version, or an editor's flag, sets it). breaking_live says the strip is
    # up and its pages must be purged once more when it ends; breaking_ended_by is the editor
    # who ended it early, after which wire versions do not raise it again.
    breaking_until = models.DateTimeField(null=True, blank=True)
    breaking_live = models.BooleanField(default=False, db_default=False, db_index=True)
    breaking_ended_by = models.CharField(max_length=150, blank=True, db_default="")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name_plural = "stories"
        permissions = [
            ("kill_story", "Can kill a story on every site"),
            ("end_breaking", "Can end a story's breaking-news strip"),
        ]
        constraints = [
            models.UniqueConstraint(fields=["provider", "guid"], name="story_unique_provider_guid")
        ]

    def __str__(self) -> str:
        return f"{self.pk} {self.provider}:{self.guid} v{self.version}"


def media_url(name: str) -> str:
    """A stored file's address. A page lists a dozen pictures with four renditions each, and
    the file system storage's `url()` (a URL join and quoting per call) was a tenth of a
    front's render: its answers depend only on the name and MEDIA_URL, so they are kept.
    Other storages (signed, expiring addresses) are asked each time."""
    if isinstance(default_storage, FileSystemStorage):  # the lazy storage answers for its class
        return _filesystem_url(name, settings.MEDIA_URL)
    return str(default_storage.url(name))


@lru_cache(maxsize=65536)
def _filesystem_url(name: str, media_root_url: str) -> str:
    return str(default_storage.url(name))


class Picture(models.Model):
    guid = models.CharField(max_length=500, blank=True)
    file = models.ImageField(upload_to="pictures/%Y/%m/")
    width = models.PositiveIntegerField(default=0)
    height = models.PositiveIntegerField(default=0)
    size = models.PositiveIntegerField(default=0, help_text="bytes")
    caption = models.TextField(blank=True)
    credit = models.CharField(max_length=300, blank=True)
    alt = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    # Made once when the picture is stored, never during a page request:
    # [{"width": 640, "height": 360, "webp": "pictures/r/...-640.webp", "jpeg": "...-640.jpg"}]
    renditions = models.JSONField(default=list, blank=True)

    def __str__(self) -> str:
        return self.caption[:60] or self.file.name

    def srcset(self, kind: str) -> str:
        """`URL 640w, URL 960w` for the renditions of one kind (webp or jpeg)."""
        return ", ".join(
            f"{media_url(r[kind])} {r['width']}w" for r in self.renditions if r.get(kind)
        )

    @property
    def webp_srcset(self) -> str:
        return self.srcset("webp")

    @property
    def jpeg_srcset(self) -> str:
        return self.srcset("jpeg")

    @property
    def fallback_url(self) -> str:
        """A mid-sized JPEG for browsers without srcset; the original when none was made."""
        jpegs = [r for r in self.renditions if r.get("jpeg")]
        if not jpegs:
            return str(self.file.url)
        best = min(jpegs, key=lambda r: abs(int(r["width"]) - 960))
        return media_url(best["jpeg"])


class ArticleStatus(models.TextChoices):
    PUBLISHED = "published", "Published"
    EMBARGOED = "embargoed", "Embargoed"
    WITHHELD = "withheld", "Withheld"
    KILLED = "killed", "Killed"
    DRAFT = "draft", "Draft"


class Article(models.Model):
    """A story as one site shows it in one language."""

    story = models.ForeignKey(Story, on_delete=models.CASCADE, related_name="articles")
    site = models.ForeignKey("network.Site", on_delete=models.CASCADE, related_name="articles")
    language = models.CharField(max_length=12)
    section = models.ForeignKey(
        "network.Section", on_delete=models.PROTECT, related_name="articles"
    )
    # Korean, Arabic, Greek, Cyrillic ... headlines keep their script (services.text.article_slug).
    slug = models.SlugField(max_length=120, allow_unicode=True)
    headline = models.CharField(max_length=300)
    # The summary fronts, feeds and meta tags show under the headline: the agency's abstract,
    # or what an editor wrote; empty, pages take the body's first sentences.
    standfirst = models.TextField(blank=True, db_default="")
    # What teasers show under the headline when there is no standfirst: the body's first
    # sentences, cut at a sentence, kept with the article so lists need not read the body.
    summary = models.CharField(max_length=300, blank=True, db_default="")
    # Structured blocks: [{"type": "paragraph" | "intertitle" | "quote", "html": "..."}]; the html
    # is sanitised inline markup only (em, strong, a), never block elements.
    body = models.JSONField(default=list)
    picture = models.ForeignKey(Picture, null=True, blank=True, on_delete=models.SET_NULL)
    signature = models.CharField(max_length=100, help_text="Initial.Surname--CODE")
    source_agency = models.CharField(max_length=64)
    status = models.CharField(
        max_length=16, choices=ArticleStatus.choices, default=ArticleStatus.PUBLISHED
    )
    pinned = models.BooleanField(default=False)
    published_at = models.DateTimeField(null=True, blank=True, db_index=True)
    updated_at = models.DateTimeField(
        null=True, blank=True, help_text="Last change of content after publication"
    )
    modified_at = models.DateTimeField(auto_now=True)
    # What an editor changed on this site ("headline", "body", "section", "picture",
    # "status"): a new wire version leaves those as the editor made them.
    edited_fields = models.JSONField(default=list, blank=True)
    # The agency's newest text where the article shows the editor's instead, for the desk to
    # compare and take; agency_updated says a version came since the editor's change.
    agency_headline = models.CharField(max_length=300, blank=True, db_default="")
    agency_body = models.JSONField(default=list, blank=True)
    agency_updated = models.BooleanField(default=False, db_default=False)
    # The visibility an editor chose on this site: it comes back after the agency has held
    # the story back (withheld) and lets it go again.
    editor_status = models.CharField(max_length=16, blank=True, db_default="")
    # When this article's embargo lifts: each language version of a story may have its own.
    embargo_until = models.DateTimeField(null=True, blank=True)
    # An editor's schedule: the worker publishes a draft at publish_at (its published time)
    # and takes a published article off at unpublish_at, within a minute of each.
    publish_at = models.DateTimeField(
        null=True, blank=True, help_text="publish then (the newsroom's time zone)"
    )
    unpublish_at = models.DateTimeField(
        null=True, blank=True, help_text="take it off then (the newsroom's time zone)"
    )

    class Meta:
        ordering = ["-published_at"]
        permissions = [("take_agency_in_bulk", "Can take the agency's version of many articles")]
        constraints = [
            models.UniqueConstraint(
                fields=["story", "site", "language"], name="article_unique_story_site_lang"
            )
        ]
        indexes = [
            models.Index(
                fields=["site", "language", "status", "-published_at"], name="article_front"
            ),
            models.Index(
                fields=["section", "status", "-published_at"], name="article_section_front"
            ),
            # The desk's list by status (drafts, withheld, killed), newest first: a few rows
            # among a million published ones, found without reading the others.
            models.Index(fields=["status", "-published_at"], name="article_status_time"),
        ]

    def __str__(self) -> str:
        return f"{self.story_id} {self.site.code}/{self.language}: {self.headline[:60]}"

    def get_absolute_url(self) -> str:
        # The reader's article URL (reader/urls.py), built directly: pages list dozens of
        # articles and reverse() was a visible part of rendering them. A test keeps the two equal.
        return iri_to_uri(f"/{self.language}/{self.section.name}/{self.story_id}-{self.slug}.html")

    @property
    def first_block(self) -> dict[str, Any] | None:
        return self.body[0] if self.body else None


class Revision(models.Model):
    """Every change to an article, kept: who or what changed it, and the content after it."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="revisions")
    number = models.PositiveIntegerField()
    created_at = models.DateTimeField(auto_now_add=True)
    source = models.CharField(max_length=200, help_text="wire version, editor or command")
    headline = models.CharField(max_length=300)
    body = models.JSONField(default=list)
    status = models.CharField(max_length=16)
    note = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["article", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["article", "number"], name="revision_unique_number")
        ]

    def __str__(self) -> str:
        return f"{self.article_id} r{self.number}"


class Role(models.TextChoices):
    """What a member of staff may do on a site; each role may do all the one before may."""

    VIEWER = "viewer", "Viewer: reads the desk, changes nothing"
    EDITOR = "editor", "Editor: edit, write, schedule, correct, pin"
    CHIEF = "chief", "Chief: also kill, end breaking news, take agency versions in bulk"
    ADMIN = "admin", "Admin: also the network, its sources and its staff"


class SiteMembership(models.Model):
    """Which sites a member of staff works on, in which of their languages, with which role.
    The desk shows them those sites' articles and stories only, and lets them act on those
    only; a superuser works on every site as an admin."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="site_memberships"
    )
    site = models.ForeignKey("network.Site", on_delete=models.CASCADE, related_name="members")
    role = models.CharField(max_length=8, choices=Role.choices, default=Role.EDITOR)
    # The site's languages this member works in (["fr"]); empty: all of them.
    languages = models.JSONField(default=list, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "site"], name="membership_unique_user_site")
        ]

    def __str__(self) -> str:
        return f"{self.user} on {self.site_id} ({self.role})"


class AuditEntry(models.Model):
    """Who did what, when: one line for every change a person (or the schedule) makes in the
    newsroom. Wire changes are in the wire log; every change of content is also a revision."""

    at = models.DateTimeField(auto_now_add=True, db_index=True)
    actor = models.CharField(max_length=150, help_text="username, or 'schedule'")
    action = models.CharField(max_length=40)
    article = models.ForeignKey(
        Article, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    story = models.ForeignKey(
        Story, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    site = models.ForeignKey(
        "network.Site", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    detail = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name_plural = "audit log"

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor} {self.action}"


class Correction(models.Model):
    """A correction an editor made known: shown on the article with its date, carried in its
    structured data, and stamped as an update for feeds."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="corrections")
    note = models.TextField()
    at = models.DateTimeField()
    editor = models.CharField(max_length=150)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.article_id} {self.at:%Y-%m-%d}: {self.note[:60]}"
