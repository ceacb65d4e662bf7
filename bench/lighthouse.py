"""Lighthouse (from the npm registry) on one article page of the demo, mobile profile, in Debian's
Chromium: the performance score and the page weight it saw.

    npm install --prefix /tmp/lh lighthouse        # once, outside the project
    .venv/bin/python bench/lighthouse.py --lighthouse /tmp/lh/node_modules/.bin/lighthouse
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess

from demo_server import demo_server

PORT = 8321


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--lighthouse", default="lighthouse")
    args = parser.parse_args()
    with demo_server(PORT) as server:
        url = f"http://bruxelles.localhost:{PORT}{server.article_path()}"
        out = server.data / "report.json"
        subprocess.run(
            [
                args.lighthouse,
                url,
                "--only-categories=performance",
                "--output=json",
                f"--output-path={out}",
                "--quiet",
                "--chrome-flags=--headless=new --no-sandbox",
            ],
            env={**os.environ, "CHROME_PATH": "/usr/bin/chromium"},
            check=True,
        )
        report = json.loads(out.read_text())
    audits = report["audits"]
    score = round(report["categories"]["performance"]["score"] * 100)
    print(f"Lighthouse {report['lighthouseVersion']}, mobile profile, {url}")
    print(f"| performance score | {score} |")
    for key in (
        "first-contentful-paint",
        "largest-contentful-paint",
        "total-blocking-time",
        "cumulative-layout-shift",
        "total-byte-weight",
    ):
        print(f"| {audits[key]['title']} | {audits[key]['displayValue']} |")


if __name__ == "__main__":
    main()
