"""Screenshots of the demo network for the README: home and an article page of two sites, at
desktop and mobile widths. Needs Chromium (apt install chromium) and the project's .venv.

    .venv/bin/python docs/screenshots.py

Builds a throwaway demo under /tmp, serves it with granian, and writes docs/screenshots/*.png.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
import time
import urllib.request
from pathlib import Path

from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "docs" / "screenshots"
PORT = 8311
SITES = [("bruxelles.localhost", "en"), ("berlin.localhost", "de")]
SIZES = {"desktop": (1280, 900), "mobile": (390, 844)}


def main() -> None:
    data = Path(tempfile.mkdtemp(prefix="masthead-shots-"))
    env = {
        **os.environ,
        "MASTHEAD_DATA_DIR": str(data),
        "MASTHEAD_HTTPS": "0",
        "MASTHEAD_SERVE_MEDIA": "1",
        "DJANGO_SETTINGS_MODULE": "masthead.settings",
    }
    env.pop("DATABASE_URL", None)
    masthead = str(ROOT / ".venv" / "bin" / "masthead")
    subprocess.run([masthead, "migrate", "-v0"], env=env, check=True)
    subprocess.run([masthead, "demo"], env=env, check=True, capture_output=True)
    collect = [masthead, "collectstatic", "--noinput", "-v0"]
    subprocess.run(collect, env=env, check=True)
    server = subprocess.Popen(
        [
            str(ROOT / ".venv" / "bin" / "granian"),
            "--interface",
            "wsgi",
            "--port",
            str(PORT),
            "--workers",
            "1",
            "--static-path-route",
            "/static",
            "--static-path-mount",
            str(data / "static"),
            "masthead.wsgi:application",
        ],
        env=env,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{PORT}/", timeout=1)
                break
            except OSError:
                time.sleep(0.2)
        OUT.mkdir(parents=True, exist_ok=True)
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=["--no-sandbox"])
            for host, lang in SITES:
                base = f"http://{host}:{PORT}/{lang}/"
                for size, (width, height) in SIZES.items():
                    page = browser.new_page(viewport={"width": width, "height": height})
                    page.goto(base)
                    page.wait_for_load_state("networkidle")
                    name = host.split(".")[0]
                    page.screenshot(path=str(OUT / f"{name}-home-{size}.png"))
                    page.locator("main a[href$='.html']").first.click()
                    page.wait_for_load_state("networkidle")
                    page.screenshot(path=str(OUT / f"{name}-article-{size}.png"))
                    page.close()
            browser.close()
    finally:
        server.terminate()
        server.wait(timeout=10)
        shutil.rmtree(data, ignore_errors=True)
    print("\n".join(sorted(str(p.relative_to(ROOT)) for p in OUT.glob("*.png"))))


if __name__ == "__main__":
    main()
