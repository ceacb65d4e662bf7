"""The webhooks' part of the network file: its `[[webhook]]` tables.

The network app keeps the tables as read (`NetworkSpec.tables`); these run through
settings.MASTHEAD_NETWORK_CHECKS and MASTHEAD_NETWORK_APPLIERS, inside the file's validation
and its transaction, so the file is still applied all or nothing.
"""

from __future__ import annotations

import ipaddress
import os
import re
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings

from masthead.core.errors import NetworkFileError
from masthead.core.http import is_public_address
from masthead.network.services import NetworkChanges
from masthead.network.spec import NetworkSpec
from masthead.webhooks.models import Event, Webhook

WEBHOOK_KEYS = {"name", "url", "events", "sites", "secret_env"}
NAME_RE = re.compile(r"^[a-z0-9][a-z0-9_-]{0,63}$")
ENV_RE = re.compile(r"^[A-Za-z_][A-Za-z0-9_]{0,127}$")
EVENTS = [e.value for e in Event]


@dataclass(frozen=True)
class WebhookSpec:
    name: str
    url: str
    events: tuple[str, ...]
    sites: tuple[str, ...]  # codes; () for every site
    secret_env: str


def webhooks_parse(*, spec: NetworkSpec, source: str) -> list[WebhookSpec]:
    """The file's [[webhook]] tables, checked; NetworkFileError names the file, the webhook
    and the key (`network.toml: webhook[0] (crm).secret_env: ...`)."""

    def fail(where: str, problem: str) -> NetworkFileError:
        return NetworkFileError(f"{source}: {where}: {problem}")

    raw = spec.tables.get("webhook", [])
    if not isinstance(raw, list):
        raise fail("webhook", "must be an array of tables ([[webhook]])")
    codes = {site.code.lower(): site.code for site in spec.sites}
    hooks: list[WebhookSpec] = []
    for k, item in enumerate(raw):
        at = f"webhook[{k}]"
        if not isinstance(item, dict):
            raise fail(at, "must be a table ([[webhook]])")
        name = item.get("name")
        if not isinstance(name, str) or not NAME_RE.match(name):
            raise fail(f"{at}.name", "must be lower-case letters, digits, - or _ (1-64)")
        at = f"webhook[{k}] ({name})"
        extra = sorted(set(item) - WEBHOOK_KEYS)
        if extra:
            raise fail(
                f"{at}.{extra[0]}",
                f"unknown key (expected one of: {', '.join(sorted(WEBHOOK_KEYS))})",
            )
        if any(h.name == name for h in hooks):
            raise fail(f"{at}.name", f"duplicate webhook name {name!r}")
        url = _url(item.get("url"), f"{at}.url", fail)
        events = _texts(item.get("events"), f"{at}.events", fail, required=True)
        for event in events:
            if event not in EVENTS:
                raise fail(f"{at}.events", f"unknown event {event!r} (known: {', '.join(EVENTS)})")
        sites = _texts(item.get("sites"), f"{at}.sites", fail, required=False)
        for code in sites:
            if code.lower() not in codes:
                raise fail(
                    f"{at}.sites", f"unknown site {code!r} (declared: {', '.join(codes.values())})"
                )
        env = item.get("secret_env")
        if not isinstance(env, str) or not ENV_RE.match(env):
            raise fail(f"{at}.secret_env", "must name an environment variable (letters, digits, _)")
        if not os.environ.get(env):
            raise fail(f"{at}.secret_env", f"the environment variable {env} is not set")
        hooks.append(
            WebhookSpec(
                name,
                url,
                tuple(dict.fromkeys(events)),
                tuple(codes[c.lower()] for c in sites),
                env,
            )
        )
    return hooks


def _texts(value: Any, where: str, fail: Any, *, required: bool) -> tuple[str, ...]:
    if value is None:
        if required:
            raise fail(where, "missing (a list of texts is required)")
        return ()
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise fail(where, "must be a list of non-empty texts")
    if required and not value:
        raise fail(where, "must not be empty")
    return tuple(v.strip() for v in value)


def _url(value: Any, where: str, fail: Any) -> str:
    if not isinstance(value, str) or not value.strip():
        raise fail(where, "missing (a text value is required)")
    url = value.strip()
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 (raises ValueError for a port that is not a number)
    except ValueError:
        raise fail(where, f"{url[:100]!r} is not a valid URL") from None
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        raise fail(where, "must start with http:// or https://")
    if len(url) > 500:
        raise fail(where, "is longer than 500 characters")
    # The outbound rule of core/http.py, said at load time for what can be seen without
    # resolving a name (a name is checked on the address connected to, at each send).
    if not settings.MASTHEAD_WIRE_FETCH_PRIVATE and _private_host(parts.hostname):
        raise fail(
            where,
            f"{parts.hostname} is a private or local address;"
            " MASTHEAD_WIRE_FETCH_PRIVATE allows it",
        )
    return url


def _private_host(host: str) -> bool:
    if host == "localhost" or host.endswith(".localhost"):
        return True
    try:
        ipaddress.ip_address(host.split("%", 1)[0])
    except ValueError:
        return False
    return not is_public_address(host)


def webhooks_check(*, spec: NetworkSpec, source: str) -> None:
    webhooks_parse(spec=spec, source=source)


def webhooks_apply(*, spec: NetworkSpec, changes: NetworkChanges | None = None) -> int:
    """The file is the truth: its webhooks are set as written; the ones it no longer names
    are disabled (their delivery log is kept, and nothing more is sent to them)."""
    declared = webhooks_parse(spec=spec, source="network file")
    before = {w.name: _state(w) for w in Webhook.objects.all()}
    for hook in declared:
        Webhook.objects.update_or_create(
            name=hook.name,
            defaults={
                "url": hook.url,
                "events": list(hook.events),
                "sites": list(hook.sites),
                "secret_env": hook.secret_env,
                "enabled": True,
            },
        )
    Webhook.objects.exclude(name__in=[h.name for h in declared]).update(enabled=False)
    if changes is not None:
        after = {w.name: _state(w) for w in Webhook.objects.all()}
        added = sorted(n for n in after if n not in before)
        changed = sorted(n for n in after if n in before and after[n] != before[n])
        if added or changed:
            parts = [f"+{len(added)} ({', '.join(added)})"] if added else []
            parts += [f"changed {len(changed)} ({', '.join(changed)})"] if changed else []
            changes.notes.append(f"webhooks {' '.join(parts)}"[:200])
    return len(declared)


def _state(hook: Webhook) -> tuple[object, ...]:
    return (hook.url, hook.events, hook.sites, hook.secret_env, hook.enabled)
