"""HTTP throughput of one article page: nginx serving the same bytes as a static file, Masthead
answering from its page cache, and Masthead rendering every request (page cache off).

Needs wrk and nginx (Debian: apt install wrk nginx-light) and the project's .venv. Run from the
project folder:

    .venv/bin/python bench/throughput.py [--articles 20000] [--duration 10] [--connections 64]
        [--rounds 5]

The bare apps and the hit are measured in turns, --rounds times, and each shows its median
round; the hit's ratio to the bare app is printed round by round. It builds a throwaway data
dir under /tmp, prints a Markdown table, and stops everything it started. Figures go to
docs/performance.md with the machine and the date.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import signal
import statistics
import subprocess
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = ROOT / ".venv" / "bin"
HOST = "bruxelles.localhost"


def run(cmd: list[str], env: dict[str, str]) -> str:
    return subprocess.run(cmd, env=env, check=True, capture_output=True, text=True).stdout


def wait_for(url: str, host: str, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            request = urllib.request.Request(url, headers={"Host": host})  # noqa: S310
            with urllib.request.urlopen(request, timeout=2) as response:  # noqa: S310
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.2)
    raise SystemExit(f"{url} did not answer within {timeout} s")


def wrk(url: str, host: str, duration: int, connections: int) -> dict[str, str]:
    command = ["wrk", "-t2", f"-c{connections}", f"-d{duration}s", "--latency"]
    out = subprocess.run(
        [*command, "-H", f"Host: {host}", url],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    rps = re.search(r"Requests/sec:\s+([\d.]+)", out)
    p50 = re.search(r"50%\s+([\d.]+\w+)", out)
    p99 = re.search(r"99%\s+([\d.]+\w+)", out)
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    return {
        "rps": f"{float(rps.group(1)):,.0f}" if rps else "?",
        "p50": p50.group(1) if p50 else "?",
        "p99": p99.group(1) if p99 else "?",
        "errors": errors.group(1) if errors else "0",
    }


def rps(result: dict[str, str]) -> float:
    return float(result["rps"].replace(",", ""))


def median_row(results: list[dict[str, str]]) -> dict[str, str]:
    """The round with the median requests/s (the lower middle one of an even count)."""
    ordered = sorted(results, key=rps)
    return ordered[(len(ordered) - 1) // 2]


def granian(
    env: dict[str, str], port: int, workers: int, app: str = "masthead.wsgi:application"
) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [
            str(BIN / "granian"),
            "--interface",
            "wsgi",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--workers",
            str(workers),
            "--blocking-threads",
            "4",  # as `masthead serve` runs it
            "--no-ws",
            "--log-level",
            "error",
            app,
        ],
        env=env,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--articles", type=int, default=20000)
    parser.add_argument("--duration", type=int, default=10)
    parser.add_argument("--connections", type=int, default=64)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument(
        "--rounds", type=int, default=5, help="turns of the bare apps and the hit, each measured"
    )
    args = parser.parse_args()
    if not shutil.which("wrk"):
        raise SystemExit("wrk is missing: apt install wrk")
    # nginx is a row of its own when installed (apt install nginx-light); the bare WSGI app
    # under the same granian is the ceiling the page cache is held to.
    has_nginx = bool(shutil.which("nginx") or Path("/usr/sbin/nginx").exists())

    data = Path(tempfile.mkdtemp(prefix="masthead-bench-"))
    env = {
        **os.environ,
        "MASTHEAD_DATA_DIR": str(data),
        "MASTHEAD_HTTPS": "0",
        "DJANGO_SETTINGS_MODULE": "masthead.settings",
        "SECRET_KEY": "bench-only-" + "x" * 50,
    }
    env.pop("DATABASE_URL", None)  # the embedded SQLite database of the throwaway data dir
    masthead = str(BIN / "masthead")
    run([masthead, "migrate", "-v0"], env)
    run([masthead, "network", "load", str(ROOT / "masthead" / "demo" / "network.toml")], env)
    run(
        [
            masthead,
            "shell",
            "-c",
            "from django.utils import timezone;"
            "from masthead.demo.loader import demo_quotes; demo_quotes(now=timezone.now())",
        ],
        env,
    )
    run([masthead, "bench", "populate", "--articles", str(args.articles)], env)
    url_path = (
        run(
            [
                masthead,
                "shell",
                "-c",
                "from masthead.newsroom.models import Article;"
                "a = Article.objects.filter(site__code='CdB', language='en').first();"
                "print(a.get_absolute_url())",
            ],
            env,
        )
        .strip()
        .splitlines()[-1]
    )
    rows = []
    processes: list[subprocess.Popen[bytes]] = []
    try:
        cached = granian({**env, "MASTHEAD_PAGE_CACHE": "1"}, 8301, args.workers)
        processes.append(cached)
        wait_for(f"http://127.0.0.1:8301{url_path}", HOST)
        request = urllib.request.Request(f"http://127.0.0.1:8301{url_path}", headers={"Host": HOST})
        with urllib.request.urlopen(request) as response:  # noqa: S310
            page = response.read()
            # What a hit sends besides the body, for a bare app that sends the same.
            hit_headers = [
                (k, v)
                for k, v in response.getheaders()
                if k.lower() not in ("date", "server", "transfer-encoding", "connection")
            ]
        static = data / "static-root"
        static.mkdir()
        (static / "article.html").write_bytes(page)
        for folder in (data, static):  # nginx workers run as www-data
            folder.chmod(0o755)
        (static / "article.html").chmod(0o644)
        conf = data / "nginx.conf"
        conf.write_text(
            f"worker_processes {args.workers}; daemon off; pid {data}/nginx.pid;"
            f"error_log {data}/nginx-error.log;"
            "events { worker_connections 4096; }"
            "http { access_log off; sendfile on; tcp_nopush on; keepalive_requests 100000;"
            f"  server {{ listen 127.0.0.1:8302; root {static}; }} }}"
        )
        if has_nginx:
            nginx = subprocess.Popen(["nginx", "-c", str(conf)], stderr=subprocess.DEVNULL)
            processes.append(nginx)
            time.sleep(1)
            rows.append(
                (
                    "nginx, static file",
                    wrk(
                        "http://127.0.0.1:8302/article.html", HOST, args.duration, args.connections
                    ),
                )
            )
        bare_rows = [
            ("bare WSGI app, same bytes, same granian", {}),
            (
                f"bare WSGI app, same bytes and the hit's {len(hit_headers)} headers",
                {"BARE_APP_HEADERS": json.dumps(hit_headers)},
            ),
        ]
        contenders = []
        for port, (label, extra) in enumerate(bare_rows, start=8304):
            bare = granian(
                {
                    **env,
                    "BARE_APP_FILE": str(static / "article.html"),
                    "PYTHONPATH": str(ROOT / "bench"),
                    **extra,
                },
                port,
                args.workers,
                app="bare_app:application",
            )
            processes.append(bare)
            wait_for(f"http://127.0.0.1:{port}/", HOST)
            contenders.append((label, f"http://127.0.0.1:{port}/"))
        contenders.append(("Masthead, page cache hit", f"http://127.0.0.1:8301{url_path}"))
        # The hit is held to the bare app: measured in turns, round after round, so that a
        # machine slowing down for a while (a shared VM does) weighs on both alike.
        measured: dict[str, list[dict[str, str]]] = {label: [] for label, _ in contenders}
        for _ in range(args.rounds):
            for label, url in contenders:
                measured[label].append(wrk(url, HOST, args.duration, args.connections))
        for label, _ in contenders:
            rows.append((label, median_row(measured[label])))
        bare_label, hit_label = contenders[0][0], contenders[-1][0]
        ratios = [
            rps(hit) / rps(bare)
            for hit, bare in zip(measured[hit_label], measured[bare_label], strict=True)
        ]
        # The content API's article list, answered from the same page cache (issue 16: "a
        # cached answer at page-cache speed").
        api_path = "/api/v1/articles?language=en"
        wait_for(f"http://127.0.0.1:8301{api_path}", HOST)
        rows.append(
            (
                "Masthead API article list, page cache hit",
                wrk(f"http://127.0.0.1:8301{api_path}", HOST, args.duration, args.connections),
            )
        )
        cold = granian({**env, "MASTHEAD_PAGE_CACHE": "0"}, 8303, args.workers)
        processes.append(cold)
        wait_for(f"http://127.0.0.1:8303{url_path}", HOST)
        rows.append(
            (
                "Masthead, rendered (no page cache)",
                wrk(f"http://127.0.0.1:8303{url_path}", HOST, args.duration, args.connections),
            )
        )
    finally:
        for process in processes:
            process.send_signal(signal.SIGTERM)
        for process in processes:
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
        shutil.rmtree(data, ignore_errors=True)
    print(
        f"article page, {len(page):,} bytes; {args.articles:,} synthetic articles + demo; "
        f"wrk -t2 -c{args.connections} -d{args.duration}s; {args.workers} server processes; "
        f"bare apps and hit: median of {args.rounds} rounds\n"
    )
    print(
        f"hit / bare app, round by round: {', '.join(f'{r:.2f}' for r in ratios)}; "
        f"median {statistics.median(ratios):.2f}\n"
    )
    print("| server | requests/s | p50 | p99 | non-2xx |")
    print("|---|---|---|---|---|")
    for name, result in rows:
        cells = [name, result["rps"], result["p50"], result["p99"], result["errors"]]
        print("| " + " | ".join(cells) + " |")


if __name__ == "__main__":
    main()
