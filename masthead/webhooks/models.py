"""Subscriptions from the network file's [[webhook]] tables, and what was sent to them."""

from __future__ import annotations

from django.db import models


class Event(models.TextChoices):
    PUBLISHED = "published", "published"
    UPDATED = "updated", "updated"
    KILLED = "killed", "killed"
    CORRECTED = "corrected", "corrected"


class Webhook(models.Model):
    """One [[webhook]] of the network file; the secret stays in the environment variable
    `secret_env` names, read when a delivery is signed."""

    name = models.CharField(max_length=64, unique=True)
    url = models.URLField(max_length=500)
    events = models.JSONField(default=list)
    sites = models.JSONField(default=list, blank=True, help_text="site codes; empty: all")
    secret_env = models.CharField(max_length=128)
    enabled = models.BooleanField(default=True)
    # A worker sending this webhook's queue holds it until then (compare and set), so two
    # workers never send one webhook's deliveries out of order.
    claimed_until = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return self.name


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", "pending"
    SENT = "sent", "sent"
    FAILED = "failed", "failed (gave up)"


class Delivery(models.Model):
    """One event for one webhook: the body as signed, and where its sending stands."""

    webhook = models.ForeignKey(Webhook, on_delete=models.CASCADE, related_name="deliveries")
    message_id = models.CharField(max_length=40, unique=True)
    event = models.CharField(max_length=16, choices=Event.choices)
    site = models.ForeignKey("network.Site", on_delete=models.CASCADE, related_name="+")
    article_id = models.BigIntegerField(db_index=True)
    # The change this event is for (events.py, `_dedupe_key`): two listeners that read the
    # same change (two workers, or the listener called twice) write one delivery, not two.
    dedupe = models.CharField(max_length=128)
    body = models.TextField()
    created_at = models.DateTimeField()
    status = models.CharField(
        max_length=8, choices=DeliveryStatus.choices, default=DeliveryStatus.PENDING
    )
    attempts = models.PositiveSmallIntegerField(default=0)
    next_try_at = models.DateTimeField(null=True, blank=True)
    last_code = models.PositiveSmallIntegerField(null=True, blank=True)
    last_error = models.CharField(max_length=300, blank=True)
    last_attempt_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name_plural = "deliveries"
        ordering = ["-id"]
        indexes = [
            # The worker's queue: a webhook's pending deliveries, oldest first.
            models.Index(fields=["webhook", "status", "id"], name="delivery_queue"),
        ]
        constraints = [
            models.UniqueConstraint(fields=["webhook", "dedupe"], name="delivery_once"),
        ]

    def __str__(self) -> str:
        return f"{self.message_id} {self.event} -> {self.webhook_id}"


class Attempt(models.Model):
    """One try at sending a delivery: the receiver's status code, or the error."""

    delivery = models.ForeignKey(Delivery, on_delete=models.CASCADE, related_name="tries")
    at = models.DateTimeField()
    code = models.PositiveSmallIntegerField(null=True, blank=True)
    error = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M:%S} {self.code or self.error}"


class ArticleSeen(models.Model):
    """What the webhooks last saw of an article, to tell a change's event: published once,
    then updated, corrected or killed."""

    article_id = models.BigIntegerField(primary_key=True)
    status = models.CharField(max_length=16)
    updated_at = models.DateTimeField(null=True, blank=True)
    correction_id = models.BigIntegerField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.article_id} {self.status}"
