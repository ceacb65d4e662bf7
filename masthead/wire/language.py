"""The language of a wire item: as the file says it, else as its source is declared, else as
its text reads, else the default.

Agencies write BCP 47 tags (`en-US`, `fr-BE`, `pt_BR`); the network routes by the languages
its sites publish in, so a tag is kept as written (lower case) and routing matches it to a
site's regional language first and to its primary language after (network/routing.py).

Detection uses py3langid, whose model ships inside the package (nothing is downloaded), and
only chooses among the languages the network publishes in: a text is never sent to a
language no site has. A short text or an unsure guess falls back to the default.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Callable
from dataclasses import replace
from functools import cache
from typing import Any

from django.conf import settings

from masthead.core.errors import WireError
from masthead.newsroom.items import ParsedItem

TAG_RE = re.compile(r"^[a-z]{2,3}(?:-[a-z0-9]{1,8})*$")
MAX_TAG = 12  # Article.language
DETECT_MIN_CHARS = 40  # below this, a guess is a coin toss
DETECT_MIN_PROBABILITY = 0.9
DETECT_CHARS = 2000  # the start of a story tells its language as well as the whole


def language_tag(value: str, *, field: str = "language") -> str:
    """`value` as a lower-case BCP 47 tag, or WireError naming the field."""
    tag = value.strip().replace("_", "-").lower()
    if not tag:
        return ""
    if len(tag) > MAX_TAG or not TAG_RE.match(tag):
        raise WireError(f"{field}: {value[:40]!r} is not a language tag such as en or fr-BE")
    return tag


def primary(tag: str) -> str:
    """`en` for `en-us`."""
    return tag.split("-", 1)[0]


def item_language(
    item: ParsedItem,
    *,
    source_language: str = "",
    known: Callable[[], frozenset[str]] = frozenset,
) -> ParsedItem:
    """The item with its language settled and `language_from` saying where it came from.
    `known` gives the languages the network publishes in (detection picks among them); it is
    asked only for an item that needs detecting, not for every item of the ingest loop."""
    if item.language:
        tag = language_tag(item.language)
        if tag == item.language and not item.language_from:
            return item  # the usual case: said by the file, already a tag ("" reads as file)
        return replace(item, language=tag, language_from="file")
    if source_language:
        return replace(item, language=source_language, language_from="source")
    detected = detect_language(item.text_for_detection(), known())
    if detected:
        return replace(item, language=detected, language_from="detected")
    return replace(item, language=settings.MASTHEAD_WIRE_DEFAULT_LANGUAGE, language_from="default")


def detect_language(text: str, known: frozenset[str]) -> str:
    """The language among `known` (primary tags) that `text` is written in, or ""."""
    text = text[:DETECT_CHARS]
    if len(text.strip()) < DETECT_MIN_CHARS:
        return ""
    with _lock:  # loading is done once per set of languages; classifying only reads the model
        identifier = _identifier(tuple(sorted({primary(k) for k in known})))
    if identifier is None:
        # One language in the network (or none the model knows): nothing to choose between,
        # the default rules.
        return ""
    language, probability = identifier.classify(text)
    return str(language) if float(probability) >= DETECT_MIN_PROBABILITY else ""


_lock = threading.Lock()


@cache
def _identifier(languages: tuple[str, ...]) -> Any:
    """A model that only tells these languages apart, or None when fewer than two of them
    are in it. The columns of the other languages are dropped (about 30 MB of the 90 MB the
    whole model takes in memory); a network that adds a language loads it again (0.5 s)."""
    # Imported here: most items say their language, and a process that never detects never
    # loads the model.
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    identifier = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
    candidates = [code for code in languages if code in identifier.nb_classes]
    if len(candidates) < 2:
        return None
    identifier.set_languages(candidates)
    identifier._full_model = None
    return identifier
