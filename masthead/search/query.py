"""Reading what a reader typed: words, "phrases" and prefix* terms, with limits."""

from __future__ import annotations

import re
import threading
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import snowballstemmer

MAX_QUERY_CHARS = 200
MAX_TERMS = 12
_TOKEN = re.compile(r'"([^"]*)"|(\S+)')
_WORD = re.compile(r"\w+", re.UNICODE)
# Snowball names for the languages Masthead sites use; others are searched without stemming.
STEMMERS = {
    "ar": "arabic",
    "ca": "catalan",
    "cs": "czech",
    "da": "danish",
    "de": "german",
    "el": "greek",
    "en": "english",
    "es": "spanish",
    "fi": "finnish",
    "fr": "french",
    "hu": "hungarian",
    "id": "indonesian",
    "it": "italian",
    "nl": "dutch",
    "no": "norwegian",
    "pl": "polish",
    "pt": "portuguese",
    "ro": "romanian",
    "ru": "russian",
    "sv": "swedish",
    "tr": "turkish",
}


@dataclass(frozen=True)
class Term:
    words: tuple[str, ...]  # normalised words; several for a phrase
    prefix: bool = False  # the last word is a prefix


@dataclass(frozen=True)
class ParsedQuery:
    text: str
    terms: tuple[Term, ...]

    @property
    def empty(self) -> bool:
        return not self.terms


def fold(word: str) -> str:
    """Lower case without diacritics, so "Liège" finds "liege" and back."""
    decomposed = unicodedata.normalize("NFKD", word.lower())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


# A Snowball stemmer keeps the word it is working on in its own fields: one shared by two
# threads mixes their words (wrong stems, or an IndexError half-way). Each thread has its own.
_local = threading.local()


def _stemmer(language: str) -> Any:
    stemmers: dict[str, Any] | None = getattr(_local, "stemmers", None)
    if stemmers is None:
        stemmers = _local.stemmers = {}
    try:
        return stemmers[language]
    except KeyError:
        name = STEMMERS.get(language.split("-")[0])
        stemmer = stemmers[language] = snowballstemmer.stemmer(name) if name else None
        return stemmer


# The words of news copy repeat; Snowball is pure Python. Each stem the cache keeps was made by
# one thread's own stemmer, so no stem computed alongside another thread's is ever wrong.
@lru_cache(maxsize=200_000)
def stem(word: str, language: str) -> str:
    folded = fold(word)
    stemmer = _stemmer(language)
    return str(stemmer.stemWord(folded)) if stemmer else folded


def stems_of(text: str, language: str) -> str:
    """The text as the index holds it: one stem per word, space separated."""
    return " ".join(stem(word, language) for word in _WORD.findall(text))


def words_of(text: str) -> list[str]:
    return _WORD.findall(text)


def parse_query(raw: str) -> ParsedQuery:
    """Terms of a query. Anything that is not a word is ignored, so no input is an error; NUL
    bytes are dropped (PostgreSQL refuses them in a string, and a page has no use for them)."""
    text = " ".join(raw.replace("\x00", "").split())[:MAX_QUERY_CHARS]
    terms: list[Term] = []
    for phrase, token in _TOKEN.findall(text):
        if phrase:
            words = tuple(fold(w) for w in _WORD.findall(phrase))
            if words:
                terms.append(Term(words[:8]))
        elif token:
            prefix = token.endswith("*")
            words = tuple(fold(w) for w in _WORD.findall(token))
            if not words:
                continue
            if len(words) > 1:  # "e-mail", "l'euro": a phrase of its parts
                terms.append(Term(words[:8], prefix=prefix))
            else:
                terms.append(Term(words, prefix=prefix and len(words[0]) >= 2))
        if len(terms) >= MAX_TERMS:
            break
    return ParsedQuery(text=text, terms=tuple(terms))
