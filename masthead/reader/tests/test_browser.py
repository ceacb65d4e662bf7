"""The reader pages in a real browser (Playwright driving Debian's Chromium).

Skipped, with the reason, where Chromium or Playwright is missing. axe-core (from the npm
registry, installed by `make install` under .venv/npm) is injected to check accessibility.
"""

from __future__ import annotations

import json
import os
import re
import shutil
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

import pytest
from django.utils import timezone

from masthead.conftest import TEST_NETWORK
from masthead.markets.models import Instrument, Quote
from masthead.network.models import Site
from masthead.network.services import network_apply
from masthead.network.spec import parse_network
from masthead.newsroom.models import Article

pytestmark = pytest.mark.browser

CHROMIUM = os.environ.get("MASTHEAD_CHROMIUM", "/usr/bin/chromium")
AXE = Path(__file__).resolve().parents[3] / ".venv" / "npm" / "node_modules" / "axe-core"
AXE = AXE / "axe.min.js"

playwright_api = pytest.importorskip("playwright.sync_api", reason="Playwright is not installed")
if not Path(CHROMIUM).exists():
    pytest.skip(f"no Chromium at {CHROMIUM} (apt install chromium)", allow_module_level=True)

# Playwright's sync API keeps an event loop in this thread; the test's own ORM calls are safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    with playwright_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        yield browser
        browser.close()


@pytest.fixture
def site(transactional_db, live_server, wire_dir, ingest, quotes) -> dict[str, object]:
    network_apply(spec=parse_network(TEST_NETWORK, source="test-network.toml"))
    source = (wire_dir / "harbour-talks.json").read_text()
    for i in range(6):
        (wire_dir / f"more-{i}.json").write_text(
            source.replace("harbour-talks", f"more-{i}").replace(
                "Port cities agree", f"Story {i}: port cities agree"
            )
        )
        shutil.copy(wire_dir / "harbour-talks.jpg", wire_dir / f"more-{i}.jpg")
    ingest([wire_dir])
    port = live_server.url.rsplit(":", 1)[1]
    article = Article.objects.filter(story__guid__endswith="harbour-talks").get(site__code="JdT")
    return {"base": f"http://test.localhost:{port}", "article": article}


@pytest.fixture
def page(browser, site) -> Iterator[object]:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.console_errors = errors
    yield page
    context.close()


def _axe(page) -> list[dict[str, object]]:
    if not AXE.exists():
        pytest.skip(f"axe-core is not installed ({AXE}); run make install with npm available")
    # Through DevTools, not an inline <script>: the page's Content-Security-Policy allows none.
    page.evaluate(AXE.read_text())
    result = page.evaluate(
        "async () => (await axe.run(document, {resultTypes: ['violations']})).violations"
    )
    return [v for v in result if v["impact"] in ("serious", "critical")]


def test_text_size_control_changes_the_size_and_is_remembered(page, site) -> None:
    page.goto(site["base"] + site["article"].get_absolute_url())
    body = page.locator(".story-body p").first
    before = body.evaluate("e => parseFloat(getComputedStyle(e).fontSize)")
    page.get_by_role("button", name="Larger text").click()
    page.get_by_role("button", name="Larger text").click()
    after = body.evaluate("e => parseFloat(getComputedStyle(e).fontSize)")
    assert after > before
    assert "Text size" in page.locator(".text-size output").inner_text()
    page.reload()
    again = page.locator(".story-body p").first
    assert again.evaluate("e => parseFloat(getComputedStyle(e).fontSize)") == after
    assert page.console_errors == []


def test_search_finds_a_story_by_a_word_of_its_body(page, site) -> None:
    page.goto(site["base"] + "/en/")
    page.get_by_role("searchbox").first.fill("substations")
    page.keyboard.press("Enter")
    page.wait_for_url("**/en/search?q=substations")
    assert page.locator(".results .result").count() == 7
    assert page.locator(".results mark").first.inner_text().lower().startswith("substation")
    assert page.console_errors == []


def test_keyboard_reaches_the_content_first(page, site) -> None:
    page.goto(site["base"] + site["article"].get_absolute_url())
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.textContent")
    assert focused == "Skip to content"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.closest('main') !== null")


@pytest.mark.parametrize(
    "path",
    ["/en/", "/en/Politics/", "ARTICLE", "/en/search?q=harbour", "/en/no-such-page/x.html"],
)
def test_no_serious_accessibility_violations(page, site, path: str) -> None:
    url = site["article"].get_absolute_url() if path == "ARTICLE" else path
    page.goto(site["base"] + url)
    violations = _axe(page)
    assert violations == [], json.dumps(
        [(v["id"], v["help"], [n["target"] for n in v["nodes"]][:3]) for v in violations],
        indent=1,
    )
    expected_errors = 1 if "no-such-page" in path else 0  # the browser logs the 404 itself
    assert len(page.console_errors) == expected_errors, page.console_errors


def test_pictures_do_not_shift_the_layout(page, site) -> None:
    page.goto(site["base"] + site["article"].get_absolute_url())
    page.wait_for_load_state("networkidle")
    shift = page.evaluate(
        """() => new Promise(resolve => {
            let total = 0;
            new PerformanceObserver(list => {
                for (const entry of list.getEntries()) total += entry.value;
            }).observe({type: 'layout-shift', buffered: true});
            setTimeout(() => resolve(total), 300);
        })"""
    )
    assert shift < 0.01


def test_ticker_refreshes_without_moving_the_article(browser, site) -> None:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.clock.install()
    fresh = {
        "label": "NYSE - LSE",
        "kind": "stocks",
        "as_of": "2026-11-24T16:05:00+00:00",
        "closed": False,
        "stale_since": None,
        "lines": [
            {
                "symbol": "BP",
                "change": "-1.25%",
                "price": "29.39",
                "currency": "$",
                "direction": "down",
                "state": "delayed",
            },
        ],
    }
    page.route("**/ticker.json", lambda route: route.fulfill(json=fresh))
    page.goto(site["base"] + site["article"].get_absolute_url())
    before = page.locator("h1").bounding_box()
    page.clock.fast_forward(61_000)
    # Not wait_for_function("..."): it evaluates a string, which the page's CSP forbids.
    playwright_api.expect(page.locator("li[data-symbol=BP] .px")).to_have_text(
        re.compile(r"^29\.39")
    )
    assert page.locator("li[data-symbol=BP] .chg").inner_text().endswith("-1.25%")
    assert "q-down" in page.locator("li[data-symbol=BP]").get_attribute("class")
    assert page.locator("h1").bounding_box() == before
    context.close()


# The demo network's stock ticker: nine symbols, more than one line holds at 1366 px.
DEMO_TICKER = {
    "BP": ("29.76", "29.63"),
    "GSK": ("37.15", "37.64"),
    "VOD": ("9.41", "9.38"),
    "AZN": ("68.52", "67.90"),
    "RIO": ("62.61", "63.02"),
    "RELX": ("54.40", "54.40"),
    "BTI": ("42.03", "41.20"),
    "NGG": ("70.75", "71.94"),
    "RBGPF": ("64.5", None),
}
# An item is visible when it lies inside the viewport and is what the browser shows at its
# centre (not cut off by its container, not covered).
ITEM_SHOWN = """e => {
    const r = e.getBoundingClientRect();
    const hit = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
    return r.width > 0 && r.height > 0 && r.left >= 0 && r.top >= 0
        && r.right <= innerWidth && r.bottom <= innerHeight && e.contains(hit);
}"""


@pytest.fixture
def long_ticker(site) -> dict[str, object]:
    from masthead.core import memo

    Site.objects.filter(code="JdT").update(
        ticker={"label": "NYSE - LSE", "kind": "stocks", "symbols": list(DEMO_TICKER)}
    )
    now = timezone.now()
    for symbol, (last, previous) in DEMO_TICKER.items():
        instrument, _ = Instrument.objects.get_or_create(
            symbol=symbol, kind="stock", defaults={"currency": "USD", "exchange": "NYSE"}
        )
        Quote.objects.create(
            instrument=instrument,
            last=Decimal(last),
            previous_close=Decimal(previous) if previous else None,
            as_of=now,
            source="test",
        )
    memo.forget_all()
    return site


def test_every_ticker_symbol_shows_on_a_laptop_screen(browser, long_ticker) -> None:
    context = browser.new_context(viewport={"width": 1366, "height": 768})
    page = context.new_page()
    page.goto(long_ticker["base"] + "/en/")
    items = page.locator(".ticker li")
    assert items.count() == len(DEMO_TICKER)
    for item in [*items.all(), page.locator(".ticker-note")]:
        assert item.is_visible()
        box = item.bounding_box()
        assert box is not None
        assert box["x"] >= 0 and box["x"] + box["width"] <= 1366, (item.inner_text(), box)
        assert box["y"] >= 0 and box["y"] + box["height"] <= 768, (item.inner_text(), box)
        assert item.evaluate(ITEM_SHOWN), item.inner_text()
    # Nothing hidden behind a sideways scroll, in the ticker or the page.
    assert page.evaluate(
        "(() => { const t = document.querySelector('.ticker');"
        " return t.scrollWidth <= t.clientWidth"
        " && document.documentElement.scrollWidth <= innerWidth; })()"
    )
    violations = _axe(page)
    assert violations == [], [(v["id"], v["help"]) for v in violations]
    context.close()


def test_every_ticker_symbol_can_be_reached_on_a_phone(browser, long_ticker) -> None:
    context = browser.new_context(viewport={"width": 390, "height": 844}, has_touch=True)
    page = context.new_page()
    page.goto(long_ticker["base"] + "/en/")
    strip = page.locator(".ticker ul")
    # One strip that scrolls sideways, snapping to a symbol, with a cue that there is more;
    # the page itself does not scroll sideways.
    style = strip.evaluate(
        "e => { const s = getComputedStyle(e); return {snap: s.scrollSnapType,"
        " overflow: s.overflowX, mask: s.maskImage || s.webkitMaskImage,"
        " more: e.scrollWidth > e.clientWidth}; }"
    )
    assert style["overflow"] == "auto" and style["snap"].startswith("x") and style["more"], style
    assert style["mask"] != "none", style
    assert page.evaluate("document.documentElement.scrollWidth <= innerWidth")
    assert page.locator(".ticker li").first.evaluate(ITEM_SHOWN)
    assert page.locator(".ticker-note").evaluate(ITEM_SHOWN)
    for item in page.locator(".ticker li").all():
        item.scroll_into_view_if_needed()
        assert item.evaluate(ITEM_SHOWN), item.inner_text()
    # The keyboard reaches it too: the strip takes focus and scrolls with the arrow keys.
    strip.evaluate("e => { e.scrollLeft = 0; }")
    strip.focus()
    assert page.evaluate("document.activeElement.matches('.ticker ul')")
    page.keyboard.press("ArrowRight")
    for _ in range(20):  # polled from here: wait_for_function("...") is refused by the CSP
        if page.evaluate("() => document.querySelector('.ticker ul').scrollLeft > 0"):
            break
        page.wait_for_timeout(100)
    else:
        raise AssertionError("the ticker did not scroll")
    violations = _axe(page)
    assert violations == [], [(v["id"], v["help"]) for v in violations]
    context.close()


@pytest.fixture
def gulf(transactional_db, live_server, wire_dir, ingest) -> dict[str, object]:
    from masthead.reader.tests.test_rtl import ARABIC_HEADLINE, RTL_NETWORK, rtl_story

    network_apply(spec=parse_network(RTL_NETWORK, source="rtl.toml"))
    ingest(
        [
            rtl_story(wire_dir, "ar", ARABIC_HEADLINE),
            rtl_story(wire_dir, "en", "Gulf ports agree to talks"),
        ]
    )
    port = live_server.url.rsplit(":", 1)[1]
    articles = {a.language: a for a in Article.objects.select_related("section")}
    return {"base": f"http://dubai.localhost:{port}", "articles": articles}


# Where the headline's first line of text sits in its box, and the box in the page.
HEADLINE_BOXES = """() => {
  const h1 = document.querySelector('.story h1');
  const range = document.createRange();
  range.selectNodeContents(h1);
  const line = range.getClientRects()[0], box = h1.getBoundingClientRect();
  const main = document.querySelector('main').getBoundingClientRect();
  return {line: [line.left, line.right], box: [box.left, box.right], main: [main.left, main.right],
          width: innerWidth};
}"""


def test_an_arabic_headline_starts_at_the_right(browser, gulf) -> None:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    found = {}
    for lang, article in gulf["articles"].items():  # type: ignore[attr-defined]
        page.goto(gulf["base"] + article.get_absolute_url())
        found[lang] = page.evaluate(HEADLINE_BOXES)
    context.close()
    arabic, english = found["ar"], found["en"]
    # Arabic: the measure hangs from the right of the page, the text starts at its right edge
    # and a short headline leaves its room on the left.
    assert arabic["box"][1] > arabic["width"] / 2 and arabic["box"][0] > arabic["main"][0] + 100
    assert abs(arabic["line"][1] - arabic["box"][1]) < 2, arabic
    assert arabic["line"][0] > arabic["box"][0] + 50, arabic
    # English on the same site: the mirror image.
    assert abs(english["line"][0] - english["box"][0]) < 2, english
    assert english["box"][0] < english["width"] / 2, english
