"""The wire's part of the network file: its `[[source]]` tables.

The network app reads and applies the file but knows nothing of the wire (it sits below it);
it calls these through settings.MASTHEAD_NETWORK_CHECKS and MASTHEAD_NETWORK_APPLIERS, inside
the same validation and the same transaction, so a file is still applied all or nothing.
"""

from __future__ import annotations

from masthead.core.errors import NetworkFileError
from masthead.network.services import NetworkChanges
from masthead.network.spec import NetworkSpec
from masthead.wire.models import Source
from masthead.wire.parsers import parsers


def sources_check(*, spec: NetworkSpec, source: str) -> None:
    """NetworkFileError, naming the file and key, for a source whose format is unknown."""
    known = parsers()
    for k, declared in enumerate(spec.sources):
        if declared.format and declared.format not in known:
            raise NetworkFileError(
                f"{source}: source[{k}].format: unknown format {declared.format!r} "
                f"(known: {', '.join(sorted(known))})"
            )


def sources_apply(*, spec: NetworkSpec, changes: NetworkChanges | None = None) -> int:
    """Sources are few and the file is the truth: the ones it names are set as written, and
    the ones it no longer names are disabled (not deleted, so their fetch state is kept).
    What changed is noted on `changes` for the audit log."""
    before = {source.name: _declared(source) for source in Source.objects.all()}
    for declared in spec.sources:
        Source.objects.update_or_create(
            name=declared.name,
            defaults={
                "kind": declared.kind,
                "location": declared.location,
                "format": declared.format,
                "language": declared.language,
                "interval": declared.every,
                "idle_alert": declared.idle_alert,
                "enabled": True,
            },
        )
    Source.objects.exclude(name__in=[s.name for s in spec.sources]).update(enabled=False)
    if changes is not None:
        after = {source.name: _declared(source) for source in Source.objects.all()}
        added = sorted(n for n in after if n not in before)
        changed = sorted(n for n in after if n in before and after[n] != before[n])
        disabled = sorted(n for n in changed if before[n][-1] and not after[n][-1])
        changed = [n for n in changed if n not in disabled]
        note = " ".join(
            part
            for part in (
                _named("+", added),
                _named("changed ", changed),
                _named("disabled ", disabled),
            )
            if part
        )
        if note:
            changes.notes.append(f"sources {note}")
    return len(spec.sources)


def _declared(source: Source) -> tuple[object, ...]:
    # What the file sets (not the fetch state); enabled last.
    return (
        source.kind,
        source.location,
        source.format,
        source.language,
        source.interval,
        source.idle_alert,
        source.enabled,
    )


def _named(sign: str, names: list[str]) -> str:
    if not names:
        return ""
    shown = ", ".join(names[:3]) + (", ..." if len(names) > 3 else "")
    return f"{sign}{len(names)} ({shown})"
