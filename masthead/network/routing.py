"""Deciding which site sections get a wire story, from the network file's routes."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from masthead.network.models import Route, Section, Site


@dataclass(frozen=True)
class Target:
    site: Site
    section: Section


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


def route_story(
    *, language: str, subjects: Iterable[str], text: str, provider: str
) -> list[Target]:
    """One target per site at most: the first matching route of that site, in file order."""
    subjects = list(subjects)
    targets: dict[int, Target] = {}
    routes = Route.objects.filter(language=language).select_related("site", "section")
    for route in routes.order_by("position"):
        if route.site_id in targets:
            continue
        if route_matches(route, language=language, subjects=subjects, text=text, provider=provider):
            targets[route.site_id] = Target(route.site, route.section)
    return list(targets.values())
