"""The demo sites' faces and the network page in Chromium: no serious axe finding, no
Content-Security-Policy complaint (the faces' <style> blocks are allowed by hash), the
accent applied, the wordmarks in three different stacks, and nothing moving as the page loads."""

from __future__ import annotations

import json

import pytest

from masthead.demo.loader import demo_load
from masthead.reader.tests.test_browser import _axe, browser  # noqa: F401 (fixture)

pytestmark = pytest.mark.browser

HOSTS = {"CdB": "bruxelles.localhost", "BDp": "berlin.localhost", "GdR": "roma.localhost"}
HOMES = {"CdB": "/en/", "BDp": "/de/", "GdR": "/it/"}


@pytest.fixture
def demo(transactional_db, live_server, settings, tmp_path) -> str:
    settings.DATA_DIR = tmp_path
    demo_load()
    return live_server.url.rsplit(":", 1)[1]


@pytest.fixture
def page(browser):  # noqa: F811
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.console_errors = errors
    yield page
    context.close()


def _clean(page) -> None:
    violations = _axe(page)
    assert violations == [], json.dumps(
        [(v["id"], v["help"], [n["target"] for n in v["nodes"]][:3]) for v in violations],
        indent=1,
    )
    assert page.console_errors == []


def test_three_sites_three_faces(page, demo) -> None:
    seen = {}
    for code, host in HOSTS.items():
        page.goto(f"http://{host}:{demo}{HOMES[code]}")
        band = page.locator(".masthead").evaluate("e => getComputedStyle(e).borderTopColor")
        wordmark = page.locator(".site-name")
        seen[code] = (band, wordmark.evaluate("e => getComputedStyle(e).fontFamily"))
        _clean(page)
    assert seen["CdB"][0] == "rgb(20, 66, 138)"
    assert seen["BDp"][0] == "rgb(176, 22, 30)"
    assert seen["GdR"][0] == "rgb(15, 107, 92)"
    assert len({family for _, family in seen.values()}) == 3
    # Roma's nameplate is an image with its size known before it loads.
    page.goto(f"http://roma.localhost:{demo}/it/")
    logo = page.locator(".site-name img")
    assert logo.evaluate("e => e.complete && e.naturalWidth > 0")
    assert logo.get_attribute("alt") == "Gazzetta di Roma"


def test_the_network_page_is_clean_and_still(page, demo) -> None:
    page.add_init_script(
        "window.__shift = 0; new PerformanceObserver(l => { for (const e of l.getEntries())"
        " if (!e.hadRecentInput) window.__shift += e.value }).observe({type: 'layout-shift',"
        " buffered: true});"
    )
    page.goto(f"http://127.0.0.1:{demo}/")
    assert page.locator(".net-site").count() == 5
    assert page.locator(".net-headlines li").count() >= 15
    # The Dubai card reads right to left, its headlines marked Arabic.
    assert page.locator(".net-AkD").get_attribute("dir") == "rtl"
    assert page.locator(".net-AkD .net-headlines").get_attribute("lang") == "ar"
    band = page.locator(".net-GdR").evaluate("e => getComputedStyle(e).borderTopColor")
    assert band == "rgb(15, 107, 92)"
    page.wait_for_load_state("networkidle")
    assert page.evaluate("window.__shift") < 0.01
    _clean(page)
    phone = page.context.browser.new_context(viewport={"width": 375, "height": 740})
    small = phone.new_page()
    small.goto(f"http://127.0.0.1:{demo}/")
    width = small.evaluate("document.documentElement.scrollWidth")
    assert width <= 375
    phone.close()


def test_the_korean_and_arabic_editions(page, demo) -> None:
    """Seoul and Dubai: clean pages, text in faces that hold Hangul and Arabic (reader.css,
    :lang), and the Arabic article laid out from the right, its figures left to right."""
    editions = [
        ("seoul.localhost", "/ko/", "Apple SD Gothic Neo"),
        ("dubai.localhost", "/ar/", "Noto Naskh Arabic"),
    ]
    for host, home, face in editions:
        page.goto(f"http://{host}:{demo}{home}")
        _clean(page)
        title = page.locator(".lead .card-title")
        assert face in title.evaluate("e => getComputedStyle(e).fontFamily")
        page.locator(".lead .card-title a").click()
        page.wait_for_load_state("networkidle")
        _clean(page)
        assert face in page.locator(".story-body").evaluate("e => getComputedStyle(e).fontFamily")
    assert page.evaluate("document.documentElement.dir") == "rtl"
    headline = page.locator("main h1").bounding_box()
    body = page.locator(".story-body").bounding_box()
    assert (
        headline and body and abs(headline["x"] + headline["width"] - body["x"] - body["width"]) < 2
    )
    assert headline["x"] + headline["width"] > 1280 / 2
    change = page.locator(".ticker .chg").first
    assert change.evaluate("e => getComputedStyle(e).direction") == "ltr"
