import html
from pathlib import Path

import pytest

from masthead.core.errors import WireError
from masthead.wire.parsers import parser_for
from masthead.wire.parsers.page import PageTextParser
from masthead.wire.pipeline import ingest_paths

FIXTURES = Path(__file__).parent / "fixtures" / "page"
PARSER = PageTextParser()


def test_page_chrome_is_dropped() -> None:
    data = (FIXTURES / "library-night.txt").read_bytes()
    assert parser_for(data).name == "page"
    (item,) = PARSER.parse(data, source="library-night.txt")
    assert item.headline == "Libraries in Liège to stay open until midnight on Fridays"
    texts = [b.html for b in item.body]
    assert texts[0].startswith("Three public libraries in Liège")
    assert not any("Text size" in t or "RBGPF" in t or "--CdB" in t for t in texts)
    assert item.headline not in texts
    assert [b.type for b in item.body].count("intertitle") == 1
    assert item.pictures[0].credit == "Marc DUPREZ, Ana RUIZ - MWA/File"
    assert item.provider == "MWA"
    assert item.guid.startswith("page:")
    again = PARSER.parse(data, source="elsewhere/copy.txt")[0]
    assert again.guid == item.guid  # the same page imported twice is one story


def test_the_reference_page_imports_clean(shared_dir: Path) -> None:
    data = (shared_dir / "reference" / "article-page.txt").read_bytes()
    lines = [line.strip() for line in data.decode().splitlines() if line.strip()]
    (item,) = parser_for(data).parse(data, source="article-page.txt")
    assert item.format == "page"
    assert lines[0].endswith(" - " + item.headline)
    # The story is what follows the repeated headline, less the control label and signature.
    story = lines[len(lines) - lines[::-1].index(item.headline) :]
    assert story[-1].count("--") == 1
    expected = [line for line in story[:-1] if line != "Text size:"]
    got = [html.unescape(b.html) for b in item.body]
    assert got == [line.strip("- ").strip() if line.startswith("- ") else line for line in expected]
    assert [b.type for b in item.body].count("intertitle") == sum(
        line.startswith("- ") for line in expected
    )
    ticker = [line for line in lines[1:20] if line.endswith(" $")]
    assert ticker and not any(t in text for t in ticker for text in got)
    assert item.pictures[0].credit.endswith("/File")
    assert item.provider == item.pictures[0].credit.rsplit(" - ", 1)[1].split("/")[0]


def test_page_ingests_as_an_article(network, tmp_path: Path) -> None:
    target = tmp_path / "library-night.txt"
    target.write_bytes((FIXTURES / "library-night.txt").read_bytes())
    (outcome,) = ingest_paths([target])
    assert outcome.action == "created", outcome.error
    assert "picture library-night.jpg: not found" in outcome.note
    (again,) = ingest_paths([target])
    assert again.action == "unchanged"


@pytest.mark.parametrize(
    "text",
    [
        "A title - With a headline\n\nBut the headline never comes back.\n",
        "Site - Headline\n\nHeadline\nHeadline / Photo: A B - MWA\n\n",
    ],
)
def test_not_a_page(text: str) -> None:
    with pytest.raises(WireError):
        PARSER.parse(text.encode(), source="x.txt")
