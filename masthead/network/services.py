"""Applying a validated network file to the database."""

from __future__ import annotations

from collections import Counter
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
    # What this load changed besides the sites, for the audit log: "site/lang/name" of the
    # sections added and removed, the routes added and removed (a route is its whole rule),
    # and what the other apps' appliers report of their own parts ("sources +1 (mwa)").
    sections_added: list[str] = field(default_factory=list)
    sections_removed: list[str] = field(default_factory=list)
    routes_added: int = 0
    routes_removed: int = 0
    notes: list[str] = field(default_factory=list)

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

    def changed_summary(self) -> str:
        """What the load changed, in a line: "sites +1 (XdT) changed 1 (JdT); sections +1
        -1; routes +2 -1; sources +1 (mwa)"; "no change" when it changed nothing."""
        parts = []
        sites = _counted("+", self.created) + _counted(" changed ", self.updated)
        if sites:
            parts.append("sites " + sites.strip())
        sections = _counted("+", self.sections_added) + _counted(" -", self.sections_removed)
        if sections:
            parts.append("sections " + sections.strip())
        if self.routes_added or self.routes_removed:
            parts.append(f"routes +{self.routes_added} -{self.routes_removed}")
        parts.extend(self.notes)
        return "; ".join(parts) or "no change"


def _counted(sign: str, names: list[str]) -> str:
    if not names:
        return ""
    shown = ", ".join(names[:3]) + (", ..." if len(names) > 3 else "")
    return f"{sign}{len(names)} ({shown})"


def network_load(*, path: Path, actor: str = "command") -> NetworkChanges:
    """Validate then apply a network file. Raises NetworkFileError before writing anything.
    `actor` (who loaded it) and what changed go to the recorders (the audit log)."""
    return network_apply(spec=read_network_file(path), actor=actor, source=path.name)


@transaction.atomic
def network_apply(
    *, spec: NetworkSpec, actor: str | None = None, source: str = ""
) -> NetworkChanges:
    """Apply a validated network file. With an `actor`, the load is told to the functions in
    settings.MASTHEAD_NETWORK_RECORDERS in this transaction (the newsroom's audit log: a
    load that rolls back leaves no row)."""
    changes = NetworkChanges()
    file_codes = {s.code for s in spec.sites}
    sections_before = _sections(file_codes)
    routes_before = _routes(file_codes)
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
    sections_after = _sections(file_codes)
    changes.sections_added = sorted(sections_after - sections_before)
    changes.sections_removed = sorted(sections_before - sections_after)
    routes_after = _routes(file_codes)
    changes.routes_added = sum((routes_after - routes_before).values())
    changes.routes_removed = sum((routes_before - routes_after).values())
    # The parts of the file other apps own (the wire's sources), in this same transaction.
    changes.sources = sum(
        apply(spec=spec, changes=changes) for apply in hooks("MASTHEAD_NETWORK_APPLIERS")
    )
    if actor is not None:
        for record in hooks("MASTHEAD_NETWORK_RECORDERS"):
            record(changes=changes, actor=actor, source=source)
    memo.forget_all()  # this process sees the new network at once
    # ... and every other process at its next request, once this commits.
    network_changed(site_codes=[s.code for s in spec.sites] + changes.kept)
    return changes


def _sections(codes: set[str]) -> set[str]:
    return {
        f"{code}/{language}/{name}"
        for code, language, name in Section.objects.filter(site__code__in=codes).values_list(
            "site__code", "language", "name"
        )
    }


def _routes(codes: set[str]) -> Counter[tuple[object, ...]]:
    """The routes of these sites as rules (their order aside): a route whose rule is unchanged
    counts as neither added nor removed."""
    return Counter(
        (site, language, section, tuple(subjects), tuple(keywords), tuple(providers))
        for site, language, section, subjects, keywords, providers in Route.objects.filter(
            site__code__in=codes
        ).values_list(
            "site__code", "language", "section__name", "subjects", "keywords", "providers"
        )
    )


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
        "accent": spec.face.accent,
        "wordmark": spec.face.wordmark,
        "font": spec.face.font,
        "logo": spec.face.logo,
        "favicon": spec.face.favicon,
        "favicon_type": spec.face.favicon_type,
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
