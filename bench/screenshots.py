"""Screenshots of the demo network for the README: the network page at `/`, and the home, a
section front and an article of each demo site, at desktop and phone widths, into
docs/screenshots/ (`<site>-<page>-<size>.png`, `network-<size>.png`). Needs Chromium (apt
install chromium) and a font with Hangul for the network page's Korean edition (apt install
fonts-noto-cjk; without it Chromium draws empty boxes).

    .venv/bin/python bench/screenshots.py

It also prints each page's layout shift as the browser saw it while loading (the sum of its
`layout-shift` entries without recent input, from a PerformanceObserver set up before the page's
first byte): 0 means nothing moved once shown.
"""

from __future__ import annotations

from demo_server import ROOT, demo_server
from playwright.sync_api import Page, sync_playwright

OUT = ROOT / "docs" / "screenshots"
PORT = 8311
SITES = [("bruxelles.localhost", "en"), ("berlin.localhost", "de"), ("roma.localhost", "it")]
SIZES = {"desktop": (1280, 900), "mobile": (390, 844)}

WATCH_SHIFTS = """
window.__shift = 0;
new PerformanceObserver((list) => {
  for (const entry of list.getEntries()) {
    if (!entry.hadRecentInput) window.__shift += entry.value;
  }
}).observe({type: "layout-shift", buffered: true});
"""


def shot(page: Page, url: str, name: str, shifts: list[tuple[str, float]]) -> None:
    page.goto(url)
    page.wait_for_load_state("networkidle")
    page.wait_for_timeout(300)  # a shift reported after the last request
    page.screenshot(path=str(OUT / f"{name}.png"))
    shifts.append((name, page.evaluate("window.__shift")))


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    shifts: list[tuple[str, float]] = []
    with demo_server(PORT, workers=1), sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=["--no-sandbox"])
        for size, (width, height) in SIZES.items():
            context = browser.new_context(viewport={"width": width, "height": height})
            context.add_init_script(WATCH_SHIFTS)
            page = context.new_page()
            shot(page, f"http://127.0.0.1:{PORT}/", f"network-{size}", shifts)
            for host, lang in SITES:
                name = host.split(".")[0]
                origin = f"http://{host}:{PORT}"
                shot(page, f"{origin}/{lang}/", f"{name}-home-{size}", shifts)
                article = page.locator("main a[href$='.html']").first.get_attribute("href")
                section = page.locator("header nav a").first.get_attribute("href")
                shot(page, f"{origin}{section}", f"{name}-section-{size}", shifts)
                shot(page, f"{origin}{article}", f"{name}-article-{size}", shifts)
            context.close()
        browser.close()
    print("| screenshot | layout shift while loading |")
    print("|---|---|")
    for name, value in shifts:
        print(f"| docs/screenshots/{name}.png | {value:.4f} |")


if __name__ == "__main__":
    main()
