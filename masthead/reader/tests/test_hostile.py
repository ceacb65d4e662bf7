"""Hostile markup in agency copy never reaches a page, whatever field it hides in."""

import json
import re
from pathlib import Path

import pytest

from masthead.newsroom.models import Article

PAYLOADS = [
    "<script>alert('x')</script>",
    '<img src=x onerror="alert(1)">',
    '<a href="javascript:alert(1)">link</a>',
    '<iframe src="https://evil.example/"></iframe>',
    '<svg onload="alert(1)"><circle/></svg>',
    '<p style="background:url(javascript:alert(1))">styled</p>',
    '<a href="data:text/html;base64,PHNjcmlwdD4=">data</a>',
    "<object data=x></object><embed src=x>",
    '"><script>alert(2)</script>',
]
EVIL = re.compile(
    r"onerror=|onload=|javascript:|<iframe|<svg|<object|<embed|data:text", re.IGNORECASE
)
SCRIPT = re.compile(r"<script([^>]*)>(.*?)</script>", re.S | re.IGNORECASE)


def _own_script(attributes: str, text: str) -> bool:
    """The page's own scripts: its stylesheet-free JS file, the text-size snippet, JSON-LD."""
    return (
        'src="/static/' in attributes
        or "application/ld+json" in attributes
        or (not attributes.strip() and "masthead-text-size" in text)
    )


@pytest.mark.parametrize("payload", PAYLOADS)
def test_no_payload_survives_to_any_page(
    client, network, wire_dir: Path, ingest, payload: str
) -> None:
    doc = json.loads((wire_dir / "harbour-talks.json").read_text())
    doc["headline"] = f"Harbour talks {payload} resume"
    doc["body_html"] = f"<p>First {payload} paragraph.</p><h2>Part {payload}</h2><p>{payload}</p>"
    picture = doc["associations"]["featureimage"]
    picture["description_text"] = f"Caption {payload}"
    picture["body_text"] = f"Alt {payload}"
    picture["byline"] = f"Lena HOLM {payload}"
    (wire_dir / "evil.json").write_text(json.dumps(doc))
    (outcome,) = ingest([wire_dir / "evil.json"])
    assert outcome.action in ("created", "updated"), outcome.error
    article = Article.objects.get(site__code="JdT")
    for path in (article.get_absolute_url(), "/en/", "/en/Politics/", "/en/search?q=harbour"):
        page = client.get(path, HTTP_HOST="test.localhost").content.decode()
        for attributes, text in SCRIPT.findall(page):
            assert _own_script(attributes, text), (path, attributes, text[:80])
            assert "alert" not in text, path
        found = [m.group(0) for m in EVIL.finditer(page)]
        assert found == [], (path, found)
