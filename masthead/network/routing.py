"""Deciding which site sections get a wire story, from the network file's routes."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from masthead.core.memo import remember
from masthead.network.events import forget_if_network_changed
from masthead.network.models import Route, Section, Site, SiteDomain


@dataclass(frozen=True)
class Target:
    site: Site
    section: Section

    @property
    def language(self) -> str:
        """The site's language the story is published in (the route's: `en` for an `en-us`
        item when the site publishes in English)."""
        return self.section.language


def route_matches(
    route: Route, *, language: str, subjects: Iterable[str], text: str, provider: str
) -> bool:
    if route.language != language:
        return False
    if route.providers and provider not in route.providers:
        return False
    if route.subjects and not any(
        subject_matches(w, code) for code in subjects for w in route.subjects
    ):
        return False
    return not (route.keywords and not any(k in text for k in route.keywords))


def subject_matches(wanted: str, code: str) -> bool:
    """A subject matches itself, and a top-level media topic matches its older narrower codes.

    In IPTC media topics, codes below 20000000 carry their top level in the first two
    digits (medtop:04001000 is under medtop:04000000); newer 2xxxxxxx codes carry none.
    """
    if wanted == code:
        return True
    prefix = "medtop:"
    if not (wanted.startswith(prefix) and code.startswith(prefix)):
        return False
    top, narrow = wanted[len(prefix) :], code[len(prefix) :]
    return (
        len(top) == 8
        and top.endswith("000000")
        and not top.startswith("2")
        and not narrow.startswith("2")
        and narrow[:2] == top[:2]
    )


@dataclass(frozen=True)
class RoutingTable:
    """The network's routes by language (in file order, sites and sections loaded) and each
    site's primary domain: what ingest reads for every item, read once for many."""

    routes: dict[str, list[Route]]
    domains: dict[int, str]


ROUTING_SECONDS = 5.0  # a network file loaded by another process reaches the worker this fast


def _routing_table() -> RoutingTable:
    routes: dict[str, list[Route]] = {}
    for route in Route.objects.select_related("site", "section").order_by("position"):
        routes.setdefault(route.language, []).append(route)
    domains: dict[int, str] = {}
    for site_id, domain in SiteDomain.objects.order_by("-position").values_list(
        "site_id", "domain"
    ):
        domains[site_id] = domain  # the lowest position is written last
    return RoutingTable(routes, domains)


def routing_table() -> RoutingTable:
    # Kept for a few seconds per process; a change to the network clears it in every process.
    forget_if_network_changed()
    return remember(("routing-table",), ROUTING_SECONDS, _routing_table)


def route_languages(language: str, known: Iterable[str]) -> list[str]:
    """The route languages that take an item in `language` (a BCP 47 tag), best first: the
    tag itself (a site that declared `en-gb` gets `en-GB` copy first), its language (`en`),
    then the language's other regions (`en-us` copy for a site that publishes in `en-gb`)."""
    tag = language.lower()
    base = tag.split("-", 1)[0]
    ordered = [tag] if tag != base else []
    ordered.append(base)
    ordered += sorted(k for k in known if k.split("-", 1)[0] == base and k not in ordered)
    return ordered


def route_story(
    *, language: str, subjects: Iterable[str], text: str, provider: str
) -> list[Target]:
    """One target per site at most: the first matching route of that site, in file order,
    trying the item's own tag before its language (route_languages)."""
    subjects = list(subjects)
    table = routing_table().routes
    targets: dict[int, Target] = {}
    for route_language in route_languages(language, table):
        for route in table.get(route_language, []):
            if route.site_id in targets:
                continue
            if route_matches(
                route, language=route_language, subjects=subjects, text=text, provider=provider
            ):
                targets[route.site_id] = Target(route.site, route.section)
    return list(targets.values())
