"""The network: sites, their domains and sections, and the routing of wire stories."""

from __future__ import annotations

from django.db import models

from masthead.core.memo import remember


class Site(models.Model):
    code = models.CharField(
        max_length=16, unique=True, help_text="Used in signatures: P.Claes--JdB"
    )
    name = models.CharField(max_length=200)
    languages = models.JSONField(default=list)
    default_language = models.CharField(max_length=12)
    signatures = models.JSONField(default=list, help_text="House signatures, Initial.Surname")
    timezone = models.CharField(max_length=64, default="UTC")
    ticker = models.JSONField(null=True, blank=True, help_text="label, kind, symbols")
    position = models.PositiveIntegerField(default=0)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["position", "code"]

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"

    @property
    def primary_domain(self) -> str:
        # Kept for seconds (core/memo.py, cleared when the network changes): the desk's article
        # list links each of its hundred rows to its site.
        return remember(("site-primary-domain", self.pk), 30, self._primary_domain)

    def _primary_domain(self) -> str:
        first = self.domains.order_by("position").first()
        return first.domain if first else ""


class SiteDomain(models.Model):
    site = models.ForeignKey(Site, on_delete=models.CASCADE, related_name="domains")
    domain = models.CharField(max_length=253, unique=True)
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["position"]

    def __str__(self) -> str:
        return self.domain


class Section(models.Model):
    site = models.ForeignKey(Site, on_delete=models.CASCADE, related_name="sections")
    language = models.CharField(max_length=12)
    name = models.CharField(max_length=100, help_text="As shown, and as in the URL")
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["site", "language", "position"]
        constraints = [
            models.UniqueConstraint(fields=["site", "language", "name"], name="section_unique_name")
        ]

    def __str__(self) -> str:
        return f"{self.site.code}/{self.language}/{self.name}"


class Route(models.Model):
    """Which wire stories go to which site section. The first matching route per site wins."""

    site = models.ForeignKey(Site, on_delete=models.CASCADE, related_name="routes")
    section = models.ForeignKey(Section, on_delete=models.CASCADE, related_name="routes")
    language = models.CharField(max_length=12)
    subjects = models.JSONField(default=list, blank=True)
    keywords = models.JSONField(default=list, blank=True)
    providers = models.JSONField(default=list, blank=True)
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["position"]

    def __str__(self) -> str:
        return f"{self.language} {self.subjects or self.keywords or '*'} -> {self.section}"
