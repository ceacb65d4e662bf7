"""Korean, Japanese and Chinese: words found inside longer runs (bigrams), on both databases."""

import html
import json
import re
from pathlib import Path
from unicodedata import combining, normalize

import pytest
import snowballstemmer
from hypothesis import given
from hypothesis import strategies as st

from masthead.conftest import TEST_NETWORK
from masthead.network.models import Site
from masthead.network.services import network_apply
from masthead.network.spec import parse_network
from masthead.search.query import MAX_CACHED_WORD, Term, bigrams, parse_query, stem, stems_of

ASIA = """
[[site]]
code = "ATS"
name = "아시아 테스트"
domains = ["asia.localhost"]
languages = ["ko", "ja", "zh-hans"]
timezone = "Asia/Seoul"
signatures = ["J.Kim"]

[[site.section]]
language = "ko"
name = "사회"
[[site.section]]
language = "ja"
name = "社会"
[[site.section]]
language = "zh-hans"
name = "社会"

[[route]]
site = "ATS"
language = "ko"
section = "사회"
[[route]]
site = "ATS"
language = "ja"
section = "社会"
[[route]]
site = "ATS"
language = "zh-hans"
section = "社会"
"""


@pytest.fixture
def asia(db: None) -> Site:
    network_apply(spec=parse_network(TEST_NETWORK + ASIA, source="test-network.toml"))
    return Site.objects.get(code="ATS")


def _found(client, q: str, lang: str = "ko") -> list[str]:
    response = client.get(f"/{lang}/search", {"q": q}, HTTP_HOST="asia.localhost")
    assert response.status_code == 200
    found = re.findall(r'<li class="result"><a href="[^"]*">([^<]*)</a>', response.content.decode())
    return [html.unescape(headline) for headline in found]


@pytest.fixture
def stories(asia, wire_dir: Path, ingest):  # type: ignore[no-untyped-def]
    def run(language: str, *pairs: tuple[str, str]) -> None:
        paths = []
        for n, (headline, body) in enumerate(pairs):
            doc = json.loads((wire_dir / "harbour-talks.json").read_text())
            doc.pop("associations")
            doc.update(
                uri=f"urn:test:{language}:{n}",
                language=language,
                headline=headline,
                body_html=f"<p>{body}</p>",
                located="",
            )
            paths.append(wire_dir / f"{language}-{n}.json")
            paths[-1].write_text(json.dumps(doc, ensure_ascii=False))
        outcomes = ingest(paths)
        assert all(o.action == "created" for o in outcomes), [o.error for o in outcomes]

    return run


KOREAN = [
    ("서울에서 열린 회의", "대통령은 오늘 서울에서 기자회견을 열었다."),
    ("항구 소식", "서부 지역의 울산 항구가 새 규칙에 합의했다."),  # 서 and 울, never 서울
    ("날씨", "서울은 맑다."),
]


def test_korean_words_inside_longer_runs(client, stories) -> None:
    stories("ko", *KOREAN)
    assert _found(client, "서울") == ["서울에서 열린 회의", "날씨"]  # headline first
    assert _found(client, "대통령") == ["서울에서 열린 회의"]
    assert _found(client, "서울에서") == ["서울에서 열린 회의"]
    assert _found(client, "울산") == ["항구 소식"]
    assert _found(client, "부산") == []


def test_korean_words_of_a_query_are_all_needed(client, stories) -> None:
    stories("ko", *KOREAN)
    assert _found(client, "서울 회의") == ["서울에서 열린 회의"]
    assert _found(client, "회의 항구") == []
    assert _found(client, '"서울에서 열린"') == ["서울에서 열린 회의"]
    assert _found(client, '"서울에서 회의"') == []  # a phrase stays a phrase


def test_one_syllable_in_common_is_no_match(client, stories) -> None:
    stories("ko", *KOREAN)
    # 서울 is the bigram phrase, not 서 and 울 anywhere: the Ulsan story has both syllables.
    assert "항구 소식" not in _found(client, "서울")
    assert _found(client, "대통") == ["서울에서 열린 회의"]
    assert _found(client, "통령대") == []


def test_one_character_is_a_prefix_of_the_bigrams(client, stories) -> None:
    stories("ko", *KOREAN)
    assert _found(client, "맑") == ["날씨"]
    assert set(_found(client, "울")) == {"서울에서 열린 회의", "항구 소식", "날씨"}


def test_headline_ranks_above_body(client, stories) -> None:
    stories(
        "ko",
        ("국회 예산안 통과", "여야가 합의했다."),
        ("오늘의 날씨", "국회의사당 앞은 맑다."),  # newer, the word in the body only
    )
    assert _found(client, "국회") == ["국회 예산안 통과", "오늘의 날씨"]


def test_latin_and_hangul_together(client, stories) -> None:
    stories("ko", ("Samsung전자 주가 상승", "Samsung Electronics 주가가 Seoul에서 올랐다."))
    for q in ["samsung", "전자", "Samsung전자", "electronics", "주가", "seoul", "Seoul에서"]:
        assert _found(client, q) == ["Samsung전자 주가 상승"], q
    assert _found(client, "Samsung주가") == []


def test_japanese(client, stories) -> None:
    stories(
        "ja",
        ("東京都で新しい条例", "東京都で新しい条例が成立した。"),
        ("京都の祭り", "ｶﾞｲﾄﾞ付きの祇園祭が始まった。"),  # half-width katakana
    )
    assert _found(client, "東京", "ja") == ["東京都で新しい条例"]
    assert _found(client, "条例", "ja") == ["東京都で新しい条例"]
    assert set(_found(client, "京都", "ja")) == {"京都の祭り", "東京都で新しい条例"}
    assert _found(client, "ガイド", "ja") == ["京都の祭り"]
    assert _found(client, "ガイト", "ja") == []  # voiced and plain kana stay apart
    assert _found(client, "大阪", "ja") == []


def test_chinese(client, stories) -> None:
    stories(
        "zh-hans",
        ("北京市政府发布新规定", "北京市政府今天发布了新的交通规定。"),
        ("南京的天气", "南京今天下雨。"),
    )
    assert _found(client, "北京", "zh-hans") == ["北京市政府发布新规定"]
    assert _found(client, "政府", "zh-hans") == ["北京市政府发布新规定"]
    assert _found(client, "交通规定", "zh-hans") == ["北京市政府发布新规定"]
    assert _found(client, "南京", "zh-hans") == ["南京的天气"]
    assert _found(client, "东京", "zh-hans") == []


def test_the_snippet_marks_the_word_holding_the_run(client, stories) -> None:
    stories("ko", *KOREAN)
    page = client.get("/ko/search", {"q": "대통령"}, HTTP_HOST="asia.localhost")
    assert "<mark>대통령은</mark>" in page.content.decode()


def test_queries_become_bigram_phrases() -> None:
    assert parse_query("대통령").terms == (Term(("대통", "통령")),)
    assert parse_query("서").terms == (Term(("서",), prefix=True),)
    assert parse_query("Samsung전자").terms == (Term(("samsung", "전자")),)
    # A run longer than a phrase holds: phrases of eight bigrams, overlapping by a character.
    terms = parse_query("中华人民共和国国务院总理").terms
    assert [len(t.words) for t in terms] == [8, 3]
    assert terms[0].words[-1][1] == terms[1].words[0][0]
    assert parse_query("東京 " * 20).terms == (Term(("東京",)),) * 12
    # Hangul is kept composed (folding would take the syllables apart into jamo).
    assert stems_of("서울에서", "ko") == "서울 울에 에서"


# Latin, Greek, Cyrillic, Arabic ... (below U+3000), less the Hangul jamo at U+1100.
NOT_CJK = st.characters(blacklist_categories=["Cs"], max_codepoint=0x2FFF).filter(
    lambda c: not "\u1100" <= c <= "\u11ff"
)
FRENCH = snowballstemmer.stemmer("french")


@given(st.text(NOT_CJK, max_size=80))
def test_text_without_cjk_is_indexed_as_before(text: str) -> None:
    # The rule before bigrams: each \w+ word folded (NFKD, no combining marks), then stemmed.
    words = re.findall(r"\w+", text)
    folded = ["".join(c for c in normalize("NFKD", w.lower()) if not combining(c)) for w in words]
    assert stems_of(text, "fr") == " ".join(FRENCH.stemWord(w) for w in folded)


MIXED = st.sampled_from(
    list("ab éÉ,.-'1") + list("中华人民共和国서울에서かなカナｶﾞ々〆ー゛") + ["İ", "ß"]
)


@given(st.text(MIXED, max_size=120))
def test_a_text_is_indexed_as_its_words_are(text: str) -> None:
    # stems_of takes the text's pieces in one pass; the same as each \w+ word's stem in turn.
    assert stems_of(text, "fr") == " ".join(stem(w, "fr") for w in re.findall(r"\w+", text))


def test_long_unique_runs_are_not_kept_in_the_stem_cache() -> None:
    # A Chinese or Japanese "word" runs to the next punctuation: thousands of characters that
    # never come again. Cached, 300 such runs of 20,000 characters held 48 MB.
    han = [chr(c) for c in range(0x4E00, 0x4E00 + 1500)]
    stem.cache_clear()
    stems_of("Le port de Liège", "fr")
    before = stem.cache_info().currsize
    for k in range(200):
        run = "".join(han[(k * 7 + i * i) % len(han)] for i in range(2000))
        assert stems_of(f"{run}。Port {run[:5]}", "fr") == " ".join(
            [*bigrams(run), "port", *bigrams(run[:5])]
        )
        assert stem(run, "fr") == " ".join(bigrams(run))
        assert stem(f"x{run}", "fr") == " ".join(["x", *bigrams(run)])
    long_latin = "a" * (MAX_CACHED_WORD + 1)
    assert stems_of(long_latin, "xx") == stem(long_latin, "xx") == long_latin
    assert stem.cache_info().currsize == before + 2  # "Port" and "x" only
