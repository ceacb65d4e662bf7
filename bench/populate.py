"""How fast `masthead bench populate` builds an archive, onto an empty database.

    .venv/bin/python bench/populate.py --articles 100000            # SQLite, throwaway data dir
    DATABASE_URL=postgres://.../empty_db .venv/bin/python bench/populate.py --articles 100000

Prints the rate, the size of the SQLite file, and the machine's reference-loop figure.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(Path(__file__).resolve().parent))
from machine import loop_ms  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--articles", type=int, default=100_000)
    parser.add_argument("--jobs", type=int, default=0)
    args = parser.parse_args()
    data_dir = Path(tempfile.mkdtemp(prefix="masthead-populate-"))
    os.environ["MASTHEAD_DATA_DIR"] = str(data_dir)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "masthead.settings")
    os.environ.setdefault("SECRET_KEY", "bench-only-" + "x" * 50)
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from masthead.newsroom.models import Article
    from masthead_bench.populate import populate

    call_command("migrate", verbosity=0)
    call_command("network", "load", str(ROOT / "masthead" / "demo" / "network.toml"), verbosity=0)
    if Article.objects.exists():
        sys.exit("bench/populate.py: give it an empty database (DATABASE_URL)")
    result = populate(articles=args.articles, jobs=args.jobs)
    print(
        f"{connection.vendor}: {result.articles:,} articles in {result.seconds:.1f} s "
        f"({result.rate:,.0f} articles/s)"
    )
    database = data_dir / "masthead.sqlite3"
    if connection.vendor == "sqlite" and database.exists():
        print(f"database file: {database.stat().st_size / 2**20:,.0f} MB")
    print(f"machine: {loop_ms():.0f} ms for the reference loop (bench/machine.py)")
    shutil.rmtree(data_dir, ignore_errors=True)


if __name__ == "__main__":
    main()
