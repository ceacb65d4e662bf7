"""Stemming from several threads at once (granian's web threads, search and indexing together)
gives the stems one thread alone gives, and the stem cache never keeps a wrong one."""

from __future__ import annotations

import re
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
import snowballstemmer

from masthead.search import query
from masthead.search.query import STEMMERS, fold, stem, stems_of

DEMO = Path(__file__).resolve().parents[2] / "demo" / "wire"
LANGUAGES = ("en", "fr", "de", "it")
THREADS = 8
ROUNDS = 6


def _words(language: str) -> list[str]:
    """The demo copy's distinct words in that language: real inflected news vocabulary."""
    words: dict[str, None] = {}
    for path in sorted((DEMO / language).rglob("*")):
        if path.is_file() and path.suffix in {".txt", ".json", ".xml"}:
            for word in re.findall(r"\w+", path.read_text(encoding="utf-8", errors="replace")):
                if len(word) > 3 and not word.isdigit():
                    words[word] = None
    return list(words)[:1500]


@pytest.fixture(scope="module")
def corpus() -> dict[str, list[str]]:
    found = {language: _words(language) for language in LANGUAGES}
    assert all(len(words) > 200 for words in found.values()), {k: len(v) for k, v in found.items()}
    return found


@pytest.fixture
def _switch_often() -> Iterator[None]:
    # Threads swapped every few microseconds, so a shared stemmer is caught mid-word.
    before = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)
    yield
    sys.setswitchinterval(before)
    stem.cache_clear()


def _alone(words: list[str], language: str) -> list[str]:
    # A stemmer of its own, no cache: what one thread alone computes.
    own = snowballstemmer.stemmer(STEMMERS[language])
    return [own.stemWord(fold(word)) for word in words]


@pytest.mark.usefixtures("_switch_often")
def test_threads_stemming_together_get_the_single_threaded_stems(corpus) -> None:
    expected = {language: _alone(words, language) for language, words in corpus.items()}
    wrong: list[tuple[str, str, str, str]] = []
    errors: list[BaseException] = []
    barrier = threading.Barrier(THREADS)

    def work(offset: int) -> None:
        try:
            barrier.wait()
            # Each thread takes the languages in another order: several languages at once.
            for language in LANGUAGES[offset % 4 :] + LANGUAGES[: offset % 4]:
                words = corpus[language]
                got = [stem(word, language) for word in words]
                wrong.extend(
                    (language, w, g, e)
                    for w, g, e in zip(words, got, expected[language], strict=True)
                    if g != e
                )
        except BaseException as exc:  # an IndexError inside Snowball, reported below
            errors.append(exc)

    for _ in range(ROUNDS):
        stem.cache_clear()  # every round computes again, concurrently
        threads = [threading.Thread(target=work, args=(n,)) for n in range(THREADS)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert not errors, repr(errors[:3])
        assert not wrong, wrong[:5]
        # Nothing wrong was left in the cache either: read back from it, alone.
        for language, words in corpus.items():
            assert [stem(word, language) for word in words] == expected[language]


@pytest.mark.usefixtures("_switch_often")
def test_whole_texts_stemmed_in_threads_match(corpus) -> None:
    texts = {language: " ".join(words) for language, words in corpus.items()}
    expected = {language: " ".join(_alone(words, language)) for language, words in corpus.items()}
    results: list[tuple[str, str]] = []

    def work(language: str) -> None:
        for _ in range(3):
            stem.cache_clear()
            results.append((language, stems_of(texts[language], language)))

    threads = [threading.Thread(target=work, args=(LANGUAGES[n % 4],)) for n in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(results) == THREADS * 3
    assert all(got == expected[language] for language, got in results)


def test_each_thread_has_its_own_stemmer() -> None:
    seen: list[object] = []

    def work() -> None:
        seen.append(query._stemmer("fr"))

    threads = [threading.Thread(target=work) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert seen[0] is not seen[1]
    assert query._stemmer("fr") is query._stemmer("fr")  # kept within a thread
    assert query._stemmer("xx") is None
