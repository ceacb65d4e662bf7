"""Lighthouse (from the npm registry) on one article page of the demo, mobile profile, in Debian's
Chromium: the performance score and the page weight it saw.

    npm install --prefix /tmp/lh lighthouse        # once, outside the project
    .venv/bin/python bench/lighthouse.py --lighthouse /tmp/lh/node_modules/.bin/lighthouse
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PORT = 8321


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--lighthouse", default="lighthouse")
    args = parser.parse_args()
    data = Path(tempfile.mkdtemp(prefix="masthead-lh-"))
    env = {
        **os.environ,
        "MASTHEAD_DATA_DIR": str(data),
        "MASTHEAD_HTTPS": "0",
        "DJANGO_SETTINGS_MODULE": "masthead.settings",
    }
    env.pop("DATABASE_URL", None)
    masthead = str(ROOT / ".venv" / "bin" / "masthead")
    subprocess.run([masthead, "migrate", "-v0"], env=env, check=True)
    subprocess.run([masthead, "demo"], env=env, check=True, capture_output=True)
    subprocess.run([masthead, "collectstatic", "--noinput", "-v0"], env=env, check=True)
    path = (
        subprocess.run(
            [
                masthead,
                "shell",
                "-c",
                "from masthead.newsroom.models import Article;"
                "a = Article.objects.filter(site__code='CdB', language='en').first();"
                "print(a.get_absolute_url())",
            ],
            env=env,
            check=True,
            capture_output=True,
            text=True,
        )
        .stdout.strip()
        .splitlines()[-1]
    )
    server = subprocess.Popen(
        [
            str(ROOT / ".venv" / "bin" / "granian"),
            "--interface",
            "wsgi",
            "--port",
            str(PORT),
            "--workers",
            "2",
            "--static-path-route",
            "/static",
            "--static-path-mount",
            str(data / "static"),
            "--static-path-route",
            "/media",
            "--static-path-mount",
            str(data / "media"),
            "masthead.wsgi:application",
        ],
        env=env,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://bruxelles.localhost:{PORT}{path}"
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{PORT}/", timeout=1)
                break
            except OSError:
                time.sleep(0.2)
        out = data / "report.json"
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
    finally:
        server.terminate()
        server.wait(timeout=10)
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
    shutil.rmtree(data, ignore_errors=True)


if __name__ == "__main__":
    main()
