"""Reading what a reader typed: words, "phrases" and prefix* terms, with limits; and the text
to tokens rule both backends index with.

Korean writes particles onto nouns (서울에서 = Seoul + in), Japanese and Chinese no spaces at
all, so a run of Hangul, kana or Han characters is indexed as its overlapping character bigrams
(서울에서 -> 서울 울에 에서, as Lucene's CJK analyzer does) and a query run becomes the phrase
of its bigrams: 서울 finds 서울에서, and 대통령 needs 대통 next to 통령, not two loose
syllables. Every other script keeps its Snowball stems.
"""

from __future__ import annotations

import re
import threading
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING, Any

import snowballstemmer

if TYPE_CHECKING:
    from functools import _CacheInfo

MAX_QUERY_CHARS = 200
MAX_TERMS = 12
_TOKEN = re.compile(r'"([^"]*)"|(\S+)')
_WORD = re.compile(r"\w+", re.UNICODE)
# Hangul (syllables, jamo, compatibility jamo), kana (with half-width katakana), Han ideographs
# (unified, extensions, compatibility) and 々〆〇: letters all, so \w+ words hold the runs whole.
_CJK_CHARS = (
    "\u1100-\u11ff\u3005-\u3007\u3041-\u3096\u309d-\u309f\u30a1-\u30fa"
    "\u30fc-\u30ff\u3131-\u318e\u31f0-\u31ff\u3400-\u4dbf\u4e00-\u9fff\ua960-\ua97f"
    "\uac00-\ud7a3\ud7b0-\ud7ff\uf900-\ufaff\uff66-\uff9f\U00020000-\U0003134f"
)
_CJK = re.compile(f"[{_CJK_CHARS}]")
_CJK_RUN = re.compile(f"[{_CJK_CHARS}]+")
# A text with CJK in it: its CJK runs, and the rest of its \w+ words.
_PIECE = re.compile(f"([{_CJK_CHARS}]+)|(?:(?![{_CJK_CHARS}])\\w)+")
# A query's run of more characters is cut into phrases of this many bigrams, ANDed.
MAX_PHRASE_WORDS = 8
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


def bigrams(run: str) -> list[str]:
    """A CJK run as its overlapping bigrams, composed (NFKC: Hangul syllables whole, half-width
    katakana full width, voiced kana kept voiced); one character stays itself."""
    run = unicodedata.normalize("NFKC", run)
    return [run[i : i + 2] for i in range(len(run) - 1)] or [run]


def pieces_of(text: str) -> list[tuple[str, bool]]:
    """The words and CJK runs of a text, each with whether it is a CJK run: "Samsung전자 주가"
    -> [("Samsung", False), ("전자", True), ("주가", True)]."""
    if not _CJK.search(text):
        return [(word, False) for word in _WORD.findall(text)]
    return [(m.group(), m.group(1) is not None) for m in _PIECE.finditer(text)]


def fold(word: str) -> str:
    """Lower case without diacritics, so "Liège" finds "liege" and back."""
    if word.isascii():  # nothing to decompose (a flag CPython keeps: no scan)
        return word.lower()
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


# Longer words, and every CJK run, are stemmed without the cache (see `stem`).
MAX_CACHED_WORD = 64


def _snowball(word: str, language: str) -> str:
    """A word without CJK as the index holds it: its Snowball stem, folded."""
    folded = fold(word)
    stemmer = _stemmer(language)
    return str(stemmer.stemWord(folded)) if stemmer else folded


# The words of news copy repeat; Snowball is pure Python. Each stem the cache keeps was made by
# one thread's own stemmer, so no stem computed alongside another thread's is ever wrong.
_snowball_cached = lru_cache(maxsize=200_000)(_snowball)


def _stem_plain(word: str, language: str) -> str:
    """`stem` of a word known to hold no CJK."""
    if len(word) > MAX_CACHED_WORD:
        return _snowball(word, language)
    return _snowball_cached(word, language)


def _stem_pieces(pieces: list[tuple[str, bool]], language: str) -> str:
    return " ".join(
        " ".join(bigrams(piece)) if cjk else _stem_plain(piece, language) for piece, cjk in pieces
    )


class _Stem:
    """`stem(word, language)`; `stem.cache_info()` and `stem.cache_clear()` are its cache's."""

    def __call__(self, word: str, language: str) -> str:
        """A \\w+ word as the SQLite index holds it: its Snowball stem, folded; a word with CJK
        in it gives its pieces, each CJK run as its bigrams, space separated ("Samsung전자" ->
        "samsung 전자"; a bigram stays itself).

        Only ordinary words are cached. A Chinese or Japanese "word" is a whole run of text up
        to the next punctuation, thousands of characters that hardly ever come again: cached,
        each would be kept with its bigrams (300 runs of 20,000 characters held 48 MB). Its
        bigrams cost less to make than to keep, so a word with CJK in it, or any word longer
        than MAX_CACHED_WORD, is made each time."""
        if _CJK.search(word):
            return _stem_pieces(pieces_of(word), language)
        return _stem_plain(word, language)

    def cache_info(self) -> _CacheInfo:
        return _snowball_cached.cache_info()

    def cache_clear(self) -> None:
        _snowball_cached.cache_clear()


stem = _Stem()


def stems_of(text: str, language: str) -> str:
    """The text as the SQLite index holds it: one stem per word, space separated (the same as
    `stem` of each \\w+ word in turn: a word's pieces are the text's pieces it holds)."""
    if not _CJK.search(text):
        return " ".join(_stem_plain(word, language) for word in _WORD.findall(text))
    return _stem_pieces(pieces_of(text), language)


def folded_text(text: str) -> str:
    """The text as PostgreSQL is given it (it stems words itself): folded, and each CJK run
    replaced by its bigrams, lexemes of their own at neighbouring positions."""
    if text.isascii() or not _CJK.search(text):
        return fold(text)
    out: list[str] = []
    end = 0
    for m in _CJK_RUN.finditer(text):
        out += [fold(text[end : m.start()]), " ", " ".join(bigrams(m.group())), " "]
        end = m.end()
    out.append(fold(text[end:]))
    return "".join(out)


def words_of(text: str) -> list[str]:
    return _WORD.findall(text)


def _terms_of(text: str, *, prefix: bool) -> list[Term]:
    """The terms of one token or "phrase": a phrase of its folded words ("e-mail", "l'euro"),
    with each CJK run as its bigrams; one longer than a phrase holds is cut into phrases, ANDed.
    A lone CJK character is a prefix: it may be the first half of a bigram in the index."""
    pieces = pieces_of(text)
    if not pieces:
        return []
    if not any(cjk for _, cjk in pieces):
        words = tuple(fold(w) for w, _ in pieces)
        if len(words) == 1:
            prefix = prefix and len(words[0]) >= 2  # one letter would match half the index
        return [Term(words[:MAX_PHRASE_WORDS], prefix=prefix)]
    tokens: list[str] = []
    for piece, cjk in pieces:
        tokens += bigrams(piece) if cjk else [fold(piece)]
    last, last_cjk = pieces[-1]
    prefix = (prefix and not last_cjk and len(last) >= 2) or (last_cjk and len(tokens[-1]) == 1)
    cuts = [
        tuple(tokens[i : i + MAX_PHRASE_WORDS]) for i in range(0, len(tokens), MAX_PHRASE_WORDS)
    ]
    return [Term(words) for words in cuts[:-1]] + [Term(cuts[-1], prefix=prefix)]


def parse_query(raw: str) -> ParsedQuery:
    """Terms of a query. Anything that is not a word is ignored, so no input is an error; NUL
    bytes are dropped (PostgreSQL refuses them in a string, and a page has no use for them)."""
    text = " ".join(raw.replace("\x00", "").split())[:MAX_QUERY_CHARS]
    terms: list[Term] = []
    for phrase, token in _TOKEN.findall(text):
        terms += _terms_of(phrase or token, prefix=not phrase and token.endswith("*"))
        if len(terms) >= MAX_TERMS:
            break
    return ParsedQuery(text=text, terms=tuple(terms[:MAX_TERMS]))
