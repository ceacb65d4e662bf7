"""The wire log: every item received, its raw payload and what became of it."""

from django.db import models
from django.utils import timezone


class WireAction(models.TextChoices):
    CREATED = "created"
    UPDATED = "updated"
    UNCHANGED = "unchanged"
    STALE = "stale"
    KILLED = "killed"
    WITHHELD = "withheld"
    EMBARGOED = "embargoed"
    FAILED = "failed"
    # Stored, but no route takes it: nothing is published until a route or an editor does.
    UNROUTED = "unrouted"


class WireItem(models.Model):
    received_at = models.DateTimeField(auto_now_add=True, db_index=True)
    source = models.CharField(max_length=200, help_text="command, drop folder or feed")
    filename = models.CharField(max_length=500)
    format = models.CharField(max_length=32, blank=True)
    provider = models.CharField(max_length=64, blank=True)
    guid = models.CharField(max_length=500, blank=True, db_index=True)
    version = models.PositiveBigIntegerField(null=True, blank=True)
    headline = models.CharField(max_length=300, blank=True, db_default="")
    language = models.CharField(max_length=12, blank=True, db_default="")
    # The sites that carry it after this item (their codes), for the desk's list and filter.
    sites = models.CharField(max_length=200, blank=True, db_default="")
    action = models.CharField(max_length=16, choices=WireAction.choices)
    error = models.TextField(blank=True)
    note = models.CharField(max_length=300, blank=True)
    story = models.ForeignKey("newsroom.Story", null=True, blank=True, on_delete=models.SET_NULL)
    article_ids = models.JSONField(default=list, blank=True)
    payload = models.TextField(blank=True)

    class Meta:
        ordering = ["-received_at", "-id"]
        permissions = [
            ("retry_wireitem", "Can try a failed wire file again"),
            ("place_wireitem", "Can place an item no route took in a section"),
        ]
        indexes = [
            # Each source's latest item and its day, for source health (wire/health.py).
            models.Index(fields=["source", "-received_at"], name="wireitem_source_time"),
            # The desk's wire log filtered by action (failed, unrouted), newest first: a few
            # percent of a million rows, read and counted off this index.
            models.Index(fields=["action", "-received_at"], name="wireitem_action_time"),
        ]

    def __str__(self) -> str:
        return f"{self.filename} {self.guid} {self.action}"


class SourceKind(models.TextChoices):
    FOLDER = "folder", "Drop folder"
    FEED = "feed", "HTTP feed"


class Source(models.Model):
    """Where wire copy comes from on its own: a drop folder, or a URL pulled on a schedule.

    Declared in the network file (`[[source]]`); the worker polls the enabled ones. The
    fetch state (ETag, Last-Modified) is kept here so a restart does not refetch everything.
    """

    name = models.SlugField(max_length=64, unique=True)
    kind = models.CharField(max_length=16, choices=SourceKind.choices)
    location = models.CharField(max_length=1000, help_text="folder path or http(s) URL")
    format = models.CharField(max_length=32, blank=True, help_text="empty: detected per file")
    language = models.CharField(
        max_length=12, blank=True, help_text="of items that do not say theirs; empty: detected"
    )
    idle_alert = models.PositiveIntegerField(
        null=True, blank=True, help_text="seconds without an item before it is flagged"
    )
    interval = models.PositiveIntegerField(default=300, help_text="seconds between feed pulls")
    enabled = models.BooleanField(default=True)
    etag = models.CharField(max_length=500, blank=True)
    last_modified = models.CharField(max_length=100, blank=True)
    polled_at = models.DateTimeField(null=True, blank=True)
    # Declared when: a source that never delivered is silent since then.
    created_at = models.DateTimeField(default=timezone.now)
    last_error = models.TextField(blank=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return f"{self.name} ({self.kind})"
