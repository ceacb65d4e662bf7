"""The network: sites, their domains and sections, and the routing of wire stories."""

from __future__ import annotations

import re

from django.db import models

from masthead.core.memo import remember
from masthead.core.svg import svg_size
from masthead.network import face


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
    # The site's face ([site.face] in the network file, checked there: network/face.py).
    accent = models.CharField(max_length=7, blank=True, help_text="#rrggbb; blank: the house's")
    wordmark = models.CharField(max_length=200, blank=True, help_text="Blank: the site's name")
    font = models.CharField(max_length=16, blank=True, help_text="The wordmark's font stack")
    logo = models.TextField(blank=True, help_text="Sanitised SVG shown as the wordmark")
    favicon = models.BinaryField(blank=True, default=b"", help_text="Sanitised SVG or PNG")
    favicon_type = models.CharField(max_length=20, blank=True)

    class Meta:
        ordering = ["position", "code"]

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"

    @property
    def face_accent(self) -> str:
        return self.accent or face.HOUSE_ACCENT

    @property
    def face_wordmark(self) -> str:
        return self.wordmark or self.name

    @property
    def face_font(self) -> str:
        return self.font if self.font in face.FONTS else "serif"

    @property
    def face_css(self) -> str:
        """The rule of the page's face <style> block ("" for the house's look)."""
        # Only a checked colour reaches a page (the network file checks it; this, a row
        # written some other way).
        return face.face_css(accent=self.accent) if face.HEX_RE.match(self.accent) else ""

    @property
    def logo_size(self) -> tuple[int, int]:
        """The logo's width and height at 48 pixels high, from its viewBox (for <img>)."""
        match = re.search(r'viewBox="([^"]*)"', self.logo[:2000])
        size = svg_size(match.group(1)) if match else None
        return (round(48 * size[0] / size[1]), 48) if size else (48, 48)

    def favicon_file(self) -> tuple[bytes, str]:
        """(content, media type): the file's favicon, or one made from the code."""
        if self.favicon and self.favicon_type:
            return bytes(self.favicon), self.favicon_type
        svg = face.generated_favicon(code=self.code, accent=self.face_accent)
        return svg.encode("utf-8"), "image/svg+xml"

    @property
    def favicon_url(self) -> str:
        data, kind = self.favicon_file()
        name = "favicon.png" if kind == "image/png" else "favicon.svg"
        return f"/{name}?v={face.version(data)}"

    @property
    def logo_url(self) -> str:
        return f"/logo.svg?v={face.version(self.logo)}" if self.logo else ""

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
