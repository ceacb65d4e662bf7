"""Applying a validated network file to the database."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from django.db import transaction

from masthead.core import memo
from masthead.core.hooks import hooks
from masthead.network.events import network_changed
from masthead.network.models import Route, Section, Site, SiteDomain
from masthead.network.spec import NetworkSpec, SiteSpec, read_network_file


@dataclass
class NetworkChanges:
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    kept: list[str] = field(default_factory=list)  # in the database, not in the file
    routes: int = 0
    sources: int = 0

    def summary(self) -> str:
        parts = [
            f"{len(self.created)} site(s) created",
            f"{len(self.updated)} updated",
            f"{len(self.unchanged)} unchanged",
            f"{self.routes} route(s)",
            f"{self.sources} source(s)",
        ]
        text = ", ".join(parts)
        if self.kept:
            text += f"; not in the file and left as they are: {', '.join(self.kept)}"
        return text


def network_load(*, path: Path) -> NetworkChanges:
    """Validate then apply a network file. Raises NetworkFileError before writing anything."""
    return network_apply(spec=read_network_file(path))


@transaction.atomic
def network_apply(*, spec: NetworkSpec) -> NetworkChanges:
    changes = NetworkChanges()
    file_codes = {s.code for s in spec.sites}
    # Domains move between sites on reload: clear the ones this file claims first so the
    # unique constraint never trips on a swap.
    for site_spec in spec.sites:
        SiteDomain.objects.filter(domain__in=site_spec.domains).exclude(
            site__code=site_spec.code
        ).delete()
    for position, site_spec in enumerate(spec.sites):
        outcome = _apply_site(site_spec, position)
        getattr(changes, outcome).append(site_spec.code)
    changes.kept = list(Site.objects.exclude(code__in=file_codes).values_list("code", flat=True))

    Route.objects.filter(site__code__in=file_codes).delete()
    sections = {
        (s.site.code, s.language, s.name): s
        for s in Section.objects.filter(site__code__in=file_codes).select_related("site")
    }
    Route.objects.bulk_create(
        Route(
            site=sections[(r.site, r.language, r.section)].site,
            section=sections[(r.site, r.language, r.section)],
            language=r.language,
            subjects=list(r.subjects),
            keywords=list(r.keywords),
            providers=list(r.providers),
            position=i,
        )
        for i, r in enumerate(spec.routes)
    )
    changes.routes = len(spec.routes)
    # The parts of the file other apps own (the wire's sources), in this same transaction.
    changes.sources = sum(apply(spec=spec) for apply in hooks("MASTHEAD_NETWORK_APPLIERS"))
    memo.forget_all()  # this process sees the new network at once
    # ... and every other process at its next request, once this commits.
    network_changed(site_codes=[s.code for s in spec.sites] + changes.kept)
    return changes


def _apply_site(spec: SiteSpec, position: int) -> str:
    values = {
        "name": spec.name,
        "languages": list(spec.languages),
        "default_language": spec.default_language,
        "signatures": list(spec.signatures),
        "timezone": spec.timezone,
        "ticker": (
            {
                "label": spec.ticker.label,
                "kind": spec.ticker.kind,
                "symbols": list(spec.ticker.symbols),
            }
            if spec.ticker
            else None
        ),
        "position": position,
    }
    site = Site.objects.filter(code=spec.code).first()
    if site is None:
        site = Site.objects.create(code=spec.code, **values)
        outcome = "created"
    else:
        before = {key: getattr(site, key) for key in values}
        before_sections = list(site.sections.values_list("language", "name", "position"))
        before_domains = list(site.domains.values_list("domain", flat=True))
        changed = before != values
        if changed:
            for key, value in values.items():
                setattr(site, key, value)
            site.save()
        outcome = "updated" if changed else "unchanged"

    for i, domain in enumerate(spec.domains):
        SiteDomain.objects.update_or_create(domain=domain, defaults={"site": site, "position": i})
    site.domains.exclude(domain__in=spec.domains).delete()

    wanted = {(s.language, s.name): i for i, s in enumerate(spec.sections)}
    for (language, name), i in wanted.items():
        Section.objects.update_or_create(
            site=site, language=language, name=name, defaults={"position": i}
        )
    # A section dropped from the file goes only if nothing was published in it.
    for section in site.sections.all():
        if (section.language, section.name) not in wanted and not section.articles.exists():
            section.delete()

    if outcome == "unchanged":
        after_sections = list(site.sections.values_list("language", "name", "position"))
        after_domains = list(site.domains.values_list("domain", flat=True))
        if after_sections != before_sections or after_domains != before_domains:
            outcome = "updated"
    return outcome
