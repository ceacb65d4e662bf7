"""What became of each item: the outcome `ingest --json`, the worker's log and the drop folder
read, with the pages the item is on."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from masthead.newsroom.items import ParsedItem
from masthead.newsroom.services.story import ApplyResult
from masthead.wire.models import WireAction


@dataclass
class Outcome:
    file: str
    action: str
    guid: str = ""
    version: int | None = None
    article_ids: list[int] = field(default_factory=list)
    urls: list[str] = field(default_factory=list)
    error: str = ""
    note: str = ""
    # Picture files read from beside the wire file, so a drop folder can move them with it.
    pictures: list[Path] = field(default_factory=list)

    def as_dict(self) -> dict[str, object]:
        return {
            "file": self.file,
            "guid": self.guid,
            "version": self.version,
            "action": self.action,
            "article_ids": self.article_ids,
            "urls": self.urls,
            "error": self.error or None,
        }

    def line(self) -> str:
        if self.action == WireAction.FAILED:
            return f"{self.file}: failed: {self.error}"
        text = f"{self.file}: {self.action} {self.guid} v{self.version}"
        if self.urls:
            text += " -> " + " ".join(self.urls)
        if self.note:
            text += f" ({self.note})"
        return text


def outcome_for(
    item: ParsedItem, result: ApplyResult, *, file: str, domains: dict[int, str]
) -> Outcome:
    return Outcome(
        file=file,
        action=result.action,
        guid=item.guid,
        version=item.version,
        article_ids=[a.pk for a in result.articles],
        urls=[f"//{domains.get(a.site_id, '')}{a.get_absolute_url()}" for a in result.articles],
        note="; ".join(filter(None, [result.note, *item_notes(item)])),
    )


def item_notes(item: ParsedItem) -> list[str]:
    """What the wire log says of how the item was read: where its language came from when the
    file did not say it, and what the parser passed over."""
    notes = list(item.notes)
    if item.language_from and item.language_from != "file":
        notes.insert(0, f"language {item.language} ({item.language_from})")
    return notes
