"""Push ingest over HTTP: ninjs files POSTed to /api/v1/wire with an `ingest` token, from a
thread pool, against the bench demo server (granian, SQLite in a throwaway data dir, the
demo network; bench/demo_server.py). New stories each, without pictures, at urgency 4
(routine, not breaking news); then the same files again (every item `unchanged`).

    .venv/bin/python bench/push.py [--files 400] [--items-per-file 1 20] [--threads 8]

Items per second counts the items the answers report (each file's items, `created` or
`unrouted` the first time, `unchanged` the second). Prints a Markdown table; figures go to
docs/performance.md with the machine and the date.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
import urllib.request
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(Path(__file__).resolve().parent))
from demo_server import demo_server  # noqa: E402

FIXTURE = ROOT / "masthead" / "wire" / "tests" / "fixtures" / "ninjs" / "harbour-talks.json"
HOST = "bruxelles.localhost"  # the demo's CdB


def files(count: int, per_file: int, tag: str) -> list[bytes]:
    item = json.loads(FIXTURE.read_text())
    item.pop("associations", None)  # no picture: the bulk path for new stories
    # Routine copy: the fixture's urgency 2 would make every item a breaking-news strip.
    item["urgency"] = 4
    out = []
    for f in range(count):
        items = []
        for i in range(per_file):
            one = dict(item, uri=f"urn:bench:{tag}:{f}:{i}")
            one["headline"] = f"Bench {tag} {f}.{i}: " + item["headline"]
            items.append(one)
        out.append(json.dumps({"items": items} if per_file > 1 else items[0]).encode())
    return out


def post(port: int, token: str, body: bytes) -> Counter[str]:
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}/api/v1/wire",
        data=body,
        method="POST",
        headers={
            "Host": HOST,
            "Authorization": f"Bearer {token}",
            "Content-Type": "application/json",
        },
    )
    with urllib.request.urlopen(request, timeout=120) as answer:  # noqa: S310 (http, ours)
        return Counter(o["action"] for o in json.load(answer))


def run(port: int, token: str, bodies: list[bytes], threads: int) -> tuple[float, Counter[str]]:
    start = time.perf_counter()
    with ThreadPoolExecutor(threads) as pool:
        counts = sum(pool.map(lambda b: post(port, token, b), bodies), Counter())
    return time.perf_counter() - start, counts


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--files", type=int, default=400)
    parser.add_argument("--items-per-file", type=int, nargs="+", default=[1, 20])
    parser.add_argument("--threads", type=int, default=8)
    parser.add_argument("--workers", type=int, default=2, help="granian worker processes")
    parser.add_argument("--port", type=int, default=8765)
    args = parser.parse_args()
    with demo_server(args.port, workers=args.workers) as server:
        code = (
            "from masthead.api.tokens import api_token_create;"
            "from masthead.network.models import Site;"
            "print(api_token_create(site=Site.objects.get(code='CdB'), name='bench',"
            " scopes=['ingest'], created_by='bench')[1])"
        )
        token = server.masthead("shell", "-c", code).strip().splitlines()[-1]
        print(f"{args.files} files, {args.threads} threads, {args.workers} server workers\n")
        print("| items/file | pass | items | seconds | items/s | files/s | outcomes |")
        print("|---:|---|---:|---:|---:|---:|---|")
        for per_file in args.items_per_file:
            bodies = files(args.files, per_file, f"n{per_file}")
            for label in ("new", "again"):
                seconds, counts = run(args.port, token, bodies, args.threads)
                items = sum(counts.values())
                outcome = ", ".join(f"{k} {v}" for k, v in sorted(counts.items()))
                print(
                    f"| {per_file} | {label} | {items} | {seconds:.2f} | {items / seconds:.0f} "
                    f"| {len(bodies) / seconds:.0f} | {outcome} |"
                )


if __name__ == "__main__":
    main()
