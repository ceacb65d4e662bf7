"""Lighthouse (from the npm registry) on the demo network's pages, mobile profile, in Debian's
Chromium: the performance score, LCP, TBT and CLS of the home, a section front and an article
of each demo site, and what an article page weighs without its picture.

    npm install --prefix /tmp/lh lighthouse        # once, outside the project
    .venv/bin/python bench/lighthouse.py --lighthouse /tmp/lh/node_modules/.bin/lighthouse

`--runs N` runs Lighthouse N times per page and keeps the run with the median score (the
blocking time moves with whatever else the machine is doing). The weight is read from
Lighthouse's own record of the page's requests (bytes on the wire, as the demo server sent
them), and again as gzip and brotli would send the same files (the page as the page cache
serves it; the stylesheet and script compressed here, as a front server or CDN would).
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import statistics
import subprocess
import urllib.request
from pathlib import Path

from demo_server import DemoServer, demo_server
from machine import loop_ms

PORT = 8321
# (host, site code, language) of each demo site.
SITES = [
    ("bruxelles.localhost", "CdB", "en"),
    ("berlin.localhost", "BDp", "de"),
    ("roma.localhost", "GdR", "it"),
]
KEYS = (
    "first-contentful-paint",
    "largest-contentful-paint",
    "total-blocking-time",
    "cumulative-layout-shift",
    "total-byte-weight",
)
# What counts in "the page without its picture": the document, its stylesheet and scripts.
WEIGHED = {"Document", "Stylesheet", "Script"}


def lighthouse(binary: str, url: str, out: Path) -> dict:
    subprocess.run(
        [
            binary,
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
    return json.loads(out.read_text())


def fetch(url: str, host: str, encoding: str = "identity") -> tuple[bytes, str]:
    request = urllib.request.Request(  # noqa: S310
        url, headers={"Host": host, "Accept-Encoding": encoding}
    )
    with urllib.request.urlopen(request) as response:  # noqa: S310
        return response.read(), response.headers.get("Content-Encoding", "")


def brotli_size(data: bytes) -> int | None:
    try:
        import brotli  # type: ignore[import-not-found]
    except ImportError:
        return None
    return len(brotli.compress(data, quality=11))


def weight(server: DemoServer, host: str, path: str, report: dict) -> dict[str, object]:
    """Bytes of the article page without pictures: on the wire as Lighthouse saw them, and
    compressed as served (the page) or as a front would (the stylesheet and script)."""
    items = report["audits"]["network-requests"]["details"]["items"]
    wire = {kind: 0 for kind in WEIGHED}
    urls = []
    for item in items:
        if item.get("resourceType") in WEIGHED:
            wire[item["resourceType"]] += item.get("transferSize", 0)
            urls.append((item["resourceType"], item["url"]))
    base = f"http://127.0.0.1:{server.port}"
    html_gzip, html_gzip_encoding = fetch(base + path, host, "gzip")
    html_br, html_br_encoding = fetch(base + path, host, "br")
    html, _ = fetch(base + path, host)
    files = {"Document": html}
    for kind, url in urls:
        if kind != "Document":
            body, _ = fetch(base + url.split(str(server.port), 1)[1], host)
            files[kind] = files.get(kind, b"") + body
    gzipped = {kind: len(gzip.compress(body, 9)) for kind, body in files.items()}
    gzipped["Document"] = len(html_gzip) if html_gzip_encoding == "gzip" else gzipped["Document"]
    brotlied: dict[str, int | None] = {kind: brotli_size(body) for kind, body in files.items()}
    brotlied["Document"] = len(html_br) if html_br_encoding == "br" else brotlied["Document"]
    return {
        "raw": {kind: len(body) for kind, body in files.items()},
        "wire": wire,
        "gzip": gzipped,
        "br": brotlied,
    }


def kb(n: float | None) -> str:
    return "?" if n is None else f"{n / 1024:.1f}"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--lighthouse", default="lighthouse")
    parser.add_argument("--runs", type=int, default=1)
    args = parser.parse_args()
    rows = []
    weights = []
    with demo_server(PORT) as server:
        for host, code, lang in SITES:
            pages = {
                "home": f"/{lang}/",
                "section": server.section_path(code, lang),
                "article": server.article_path(code, lang),
            }
            for kind, path in pages.items():
                url = f"http://{host}:{PORT}{path}"
                reports = []
                for run in range(args.runs):
                    out = server.data / f"report-{code}-{kind}-{run}.json"
                    reports.append(lighthouse(args.lighthouse, url, out))
                scores = [r["categories"]["performance"]["score"] for r in reports]
                report = reports[scores.index(statistics.median_low(scores))]
                rows.append((host, kind, path, report, sorted(round(s * 100) for s in scores)))
                if kind == "article":
                    weights.append((host, path, weight(server, host, path, report)))
        version = rows[0][3]["lighthouseVersion"]
    print(f"Lighthouse {version}, mobile profile (simulated throttling), Chromium headless")
    print(f"machine: {loop_ms():.0f} ms for the reference loop (bench/machine.py)\n")
    print("| site | page | score | runs | FCP | LCP | TBT | CLS | bytes in all |")
    print("|---|---|---|---|---|---|---|---|---|")
    for host, kind, _path, report, scores in rows:
        audits = report["audits"]
        values = [audits[key]["displayValue"] for key in KEYS]
        score = round(report["categories"]["performance"]["score"] * 100)
        print(
            f"| {host.split('.')[0]} | {kind} | {score} | {'/'.join(map(str, scores))} | "
            + " | ".join(values)
            + " |"
        )
    print("\nArticle page without its picture, KB (HTML + CSS + JS):\n")
    print("| site | as sent by the demo server | gzip | brotli | uncompressed |")
    print("|---|---|---|---|---|")
    for host, _path, found in weights:
        cells = []
        for key in ("wire", "gzip", "br", "raw"):
            parts = found[key]
            if any(v is None for v in parts.values()):
                cells.append("?")
                continue
            detail = " + ".join(kb(parts.get(k, 0)) for k in ("Document", "Stylesheet", "Script"))
            cells.append(f"{kb(sum(parts.values()))} ({detail})")
        print(f"| {host.split('.')[0]} | " + " | ".join(cells) + " |")


if __name__ == "__main__":
    main()
