"""Ingest speed: NewsML-G2 items per second, parse only and end to end (parse, sanitise, store,
route, revision, wire log, search index, page-cache purge), on the database DATABASE_URL names
(SQLite in a throwaway data dir when unset; give PostgreSQL an empty database): first as new
stories, then each again as a newer version.

    .venv/bin/python bench/ingest.py [--items 2000] [--no-language]

With --no-language the items do not say their language, so each is detected from its text
(wire/language.py) among the network's languages.

Prints a Markdown table; figures go to docs/performance.md with the machine and the date.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(Path(__file__).resolve().parent))
from machine import loop_ms  # noqa: E402

FIXTURE = ROOT / "masthead" / "wire" / "tests" / "fixtures" / "newsml" / "ferry-text.xml"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--items", type=int, default=2000)
    parser.add_argument("--no-language", action="store_true", help="language detected per item")
    args = parser.parse_args()
    data_dir = Path(tempfile.mkdtemp(prefix="masthead-ingest-"))
    os.environ.setdefault("MASTHEAD_DATA_DIR", str(data_dir))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "masthead.settings")
    os.environ.setdefault("SECRET_KEY", "bench-only-" + "x" * 50)
    os.environ.setdefault("MASTHEAD_PAGE_CACHE", "1")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from masthead.wire.parsers.newsml import NewsMLParser
    from masthead.wire.pipeline import ingest_paths

    call_command("migrate", verbosity=0)
    call_command("network", "load", str(ROOT / "masthead" / "demo" / "network.toml"), verbosity=0)
    folder = data_dir / "items"
    folder.mkdir()
    template = FIXTURE.read_text()
    if args.no_language:
        template = re.sub(r"<language [^>]*/>", "", template).replace(' xml:lang="en"', "")
    for i in range(args.items):
        (folder / f"item-{i:06d}.xml").write_text(
            template.replace("ostend-ferry", f"ostend-ferry-{i}").replace(
                "Ferry link between", f"Ferry link {i} between"
            )
        )
    files = sorted(folder.iterdir())
    blobs = [path.read_bytes() for path in files]
    newsml = NewsMLParser()
    start = time.perf_counter()
    for blob in blobs:
        newsml.parse(blob, source="bench")
    parse_rate = len(blobs) / (time.perf_counter() - start)
    load_seconds = 0.0
    if args.no_language:
        # A worker loads the language model once, at its first item without a language;
        # timed apart so the rate is the one a running worker keeps.
        from masthead.network.routing import routing_table
        from masthead.wire.language import detect_language

        start = time.perf_counter()
        detect_language("warming up the model " * 5, frozenset(routing_table().routes))
        load_seconds = time.perf_counter() - start
    start = time.perf_counter()
    outcomes = list(ingest_paths([folder], source="bench"))
    ingest_rate = len(outcomes) / (time.perf_counter() - start)
    actions = {o.action for o in outcomes}
    detected = sum("(detected)" in o.note for o in outcomes)
    # The same stories again as version 2: updates go one item at a time (row lock, revision).
    for path in files:
        path.write_text(path.read_text().replace('version="1" standard=', 'version="2" standard='))
    start = time.perf_counter()
    updates = list(ingest_paths([folder], source="bench"))
    update_rate = len(updates) / (time.perf_counter() - start)
    actions |= {o.action for o in updates}
    print(
        f"{args.items:,} NewsML-G2 items (inline NITF, 5 blocks) on {connection.vendor}"
        f"{f', language detected for {detected:,}' if args.no_language else ''}; "
        f"outcomes: {', '.join(sorted(actions))}\n"
    )
    print("| step | items/s |")
    print("|---|---|")
    print(f"| parse only | {parse_rate:,.0f} |")
    print(f"| end to end, new stories | {ingest_rate:,.0f} |")
    print(f"| end to end, a new version of each | {update_rate:,.0f} |")
    if args.no_language:
        print(f"\nlanguage model loaded in {load_seconds:.2f} s (once per process, not counted)")
    print(f"\nmachine: {loop_ms():.0f} ms for the reference loop (bench/machine.py)")
    shutil.rmtree(data_dir, ignore_errors=True)


if __name__ == "__main__":
    main()
