"""Screenshots of the demo network for the README: home and an article page of two sites, at
desktop and mobile widths, into docs/screenshots/. Needs Chromium (apt install chromium).

    .venv/bin/python bench/screenshots.py
"""

from __future__ import annotations

from demo_server import ROOT, demo_server
from playwright.sync_api import sync_playwright

OUT = ROOT / "docs" / "screenshots"
PORT = 8311
SITES = [("bruxelles.localhost", "en"), ("berlin.localhost", "de")]
SIZES = {"desktop": (1280, 900), "mobile": (390, 844)}


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    with demo_server(PORT, workers=1), sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=["--no-sandbox"])
        for host, lang in SITES:
            for size, (width, height) in SIZES.items():
                page = browser.new_page(viewport={"width": width, "height": height})
                page.goto(f"http://{host}:{PORT}/{lang}/")
                page.wait_for_load_state("networkidle")
                name = host.split(".")[0]
                page.screenshot(path=str(OUT / f"{name}-home-{size}.png"))
                page.locator("main a[href$='.html']").first.click()
                page.wait_for_load_state("networkidle")
                page.screenshot(path=str(OUT / f"{name}-article-{size}.png"))
                page.close()
        browser.close()
    print("\n".join(sorted(str(p.relative_to(ROOT)) for p in OUT.glob("*.png"))))


if __name__ == "__main__":
    main()
