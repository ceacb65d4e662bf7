"""The newsroom's input: one normalised item, the shape every wire parser returns and every
story service takes (the newsroom owns it; the wire, above it, fills it)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime
from typing import Literal

from masthead.core.html import Block

ItemStatus = Literal["usable", "withheld", "canceled"]


@dataclass(frozen=True)
class Rendition:
    href: str
    width: int | None = None
    height: int | None = None
    mimetype: str = ""


@dataclass(frozen=True)
class ParsedPicture:
    guid: str
    caption: str = ""
    credit: str = ""
    alt: str = ""
    renditions: tuple[Rendition, ...] = ()
    version_created: datetime | None = None

    def best_rendition(self) -> Rendition | None:
        """The largest rendition, which the picture pipeline scales down from."""
        if not self.renditions:
            return None
        return max(self.renditions, key=lambda r: (r.width or 0) * (r.height or 0))


@dataclass(frozen=True)
class ParsedItem:
    guid: str
    version: int
    version_created: datetime
    first_created: datetime
    provider: str
    language: str
    headline: str
    body: tuple[Block, ...]
    slugline: str = ""
    # The agency's summary of the story (ninjs description, NewsML's contentMeta description):
    # the articles' standfirst unless an editor wrote one.
    description: str = ""
    byline: str = ""
    located: str = ""
    pictures: tuple[ParsedPicture, ...] = ()
    subjects: tuple[str, ...] = ()
    keywords: tuple[str, ...] = ()
    urgency: int = 4
    status: ItemStatus = "usable"
    embargo: datetime | None = None
    ednote: str = ""
    format: str = ""
    raw: str = field(default="", repr=False)
    # Where the language came from: "file" (or "" for an item the file gave it to), "source",
    # "detected" or "default" (wire/language.py).
    language_from: str = ""
    # What the parser passed over or guessed, for the wire log ("release date ignored: ...").
    notes: tuple[str, ...] = ()
    # Pushed with one site's ingest token: the only site that may carry the story (its routes
    # only), and a story other sites carry is not that token's to change. Empty: the network's
    # routes decide, as for drop folders and feeds.
    only_site: str = ""

    def text_for_routing(self) -> str:
        return " ".join([self.headline, self.slugline, *(b.html for b in self.body)]).lower()

    def text_for_detection(self, limit: int = 2000) -> str:
        """Headline and the start of the body as plain words (inline markup dropped), to tell
        the language: a few paragraphs tell it as well as the whole story."""
        parts, size = [self.headline], len(self.headline)
        for block in self.body:
            if size >= limit:
                break
            parts.append(block.html)
            size += len(block.html)
        return _TAG.sub(" ", " ".join(parts))


_TAG = re.compile(r"<[^>]*>|&[#a-zA-Z0-9]+;")
