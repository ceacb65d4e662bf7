"""API tokens: a site's key to its private copy and to push ingest.

Only a digest of the secret is kept (SHA-256: the secret is 32 random bytes, so no slow
password hash is needed to resist guessing); `prefix`, a few characters of the token that
are no secret, finds the row without reading the digest first. The token is shown once, when
it is made (tokens.py).
"""

from __future__ import annotations

from django.db import models


class Scope(models.TextChoices):
    READ = "read", "read: public content"
    READ_PRIVATE = "read-private", "read-private: drafts, embargoed and withheld copy too"
    INGEST = "ingest", "ingest: push wire files (POST /api/v1/wire)"


class ApiToken(models.Model):
    site = models.ForeignKey("network.Site", on_delete=models.CASCADE, related_name="+")
    name = models.CharField(max_length=100, help_text="Who or what uses it: 'CMS export'.")
    scopes = models.JSONField(default=list)
    prefix = models.CharField(max_length=16, unique=True, editable=False)
    digest = models.CharField(max_length=64, editable=False)  # SHA-256 of the token, hex
    created_by = models.CharField(max_length=150, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True, editable=False)
    revoked_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        verbose_name = "API token"
        ordering = ["site", "name"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    def allows(self, scope: str) -> bool:
        # Reading private copy includes reading public copy.
        return scope in self.scopes or (scope == Scope.READ and Scope.READ_PRIVATE in self.scopes)
