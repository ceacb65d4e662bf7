"""Server time of each page type on a large archive, cold (no page cache), in process.

    .venv/bin/python bench/latency.py --articles 100000            # SQLite, throwaway data dir
    DATABASE_URL=postgres://... .venv/bin/python bench/latency.py --articles 1000000
    DATABASE_URL=postgres://... .venv/bin/python bench/latency.py --articles 1000000 --api

Builds the archive with `masthead bench populate` (skipped when the database already holds that
many articles), then times REQUESTS requests per page type through Django's handler (no
network, no page cache) on different articles, and prints p50/p95 in milliseconds, with this
process's CPU time per request (p50): on a machine shared with other work, the wall-clock
figures wait for the cores, the CPU column much less. `--api` times the content API's
answers instead of the pages: the article list (first page, a section, `updated_since`, a
page further on by its cursor) and one article.
"""

from __future__ import annotations

import argparse
import os
import random
import resource
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(Path(__file__).resolve().parent))
from machine import loop_ms  # noqa: E402

REQUESTS = 300


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--articles", type=int, default=100_000)
    parser.add_argument("--requests", type=int, default=REQUESTS)
    parser.add_argument("--api", action="store_true", help="the content API, not the pages")
    args = parser.parse_args()
    os.environ.setdefault("MASTHEAD_DATA_DIR", tempfile.mkdtemp(prefix="masthead-latency-"))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "masthead.settings")
    os.environ.setdefault("SECRET_KEY", "bench-only-" + "x" * 50)
    os.environ["MASTHEAD_HTTPS"] = "0"
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client

    from masthead.markets.services import quotes_refresh
    from masthead.network.models import Section
    from masthead.newsroom.models import Article

    call_command("migrate", verbosity=0)
    call_command("network", "load", str(ROOT / "masthead" / "demo" / "network.toml"), verbosity=0)
    have = Article.objects.count()
    if have < args.articles:
        call_command("bench", "populate", "--articles", str(args.articles - have), verbosity=0)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    quotes_refresh()
    rng = random.Random(7)  # noqa: S311
    ids = list(
        Article.objects.filter(site__code="CdB", language="en")
        .order_by("?")
        .values_list("pk", flat=True)[: args.requests]
    )
    articles = list(Article.objects.filter(pk__in=ids).select_related("section"))
    sections = list(Section.objects.filter(site__code="CdB", language="en"))
    words = ["council", "harbour", "budget", "energy", "football", "climate", "satellite"]
    pages = {
        "article": lambda i: articles[i % len(articles)].get_absolute_url(),
        "section front": lambda i: f"/en/{sections[i % len(sections)].name}/?page={1 + i % 5}",
        "home": lambda i: "/en/",
        "search": lambda i: f"/en/search?q={rng.choice(words)}+{rng.choice(words)}",
        # On a host no site answers on: every site's latest headlines.
        "network page": lambda i: "/",
    }
    if args.api:
        pages = api_requests(articles, sections, Client())
    client = Client()
    print(
        f"{Article.objects.count():,} articles on {connection.vendor}; "
        f"{args.requests} requests per page type, in process, page cache off\n"
    )
    print("| page | p50 ms | p95 ms | p50 CPU ms |")
    print("|---|---|---|---|")
    for name, path_for in pages.items():
        times = []
        cpu = []
        host = "127.0.0.1" if name == "network page" else "bruxelles.localhost"
        client.get(path_for(0), HTTP_HOST=host)
        for i in range(args.requests):
            path = path_for(i)
            start, start_cpu = time.perf_counter(), time.process_time()
            response = client.get(path, HTTP_HOST=host)
            times.append((time.perf_counter() - start) * 1000)
            cpu.append((time.process_time() - start_cpu) * 1000)
            assert response.status_code == 200, (path, response.status_code)
        cuts = statistics.quantiles(times, n=20)
        print(
            f"| {name} | {statistics.median(times):.1f} | {cuts[18]:.1f} "
            f"| {statistics.median(cpu):.1f} |"
        )
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"\npeak resident memory of this process: {rss:.0f} MB")
    print(f"machine: {loop_ms():.0f} ms for the reference loop (bench/machine.py)")


def api_requests(articles: list, sections: list, client: object) -> dict:  # type: ignore[type-arg]
    """What an app or a partner site asks the API most: the newest articles, a section's, what
    changed since its last poll, the next page by cursor, and one article whole."""
    from datetime import timedelta

    from django.utils import timezone

    first = client.get("/api/v1/articles?language=en&limit=50", HTTP_HOST="bruxelles.localhost")  # type: ignore[attr-defined]
    deeper = first.json()["next_cursor"]
    for _ in range(20):  # twenty pages of 50 in: a client catching up on a thousand articles
        deeper = client.get(  # type: ignore[attr-defined]
            f"/api/v1/articles?language=en&limit=50&cursor={deeper}",
            HTTP_HOST="bruxelles.localhost",
        ).json()["next_cursor"]
    since = (timezone.now() - timedelta(hours=6)).strftime("%Y-%m-%dT%H:%M:%SZ")
    return {
        "api list": lambda i: "/api/v1/articles?language=en",
        "api list, section": lambda i: (
            f"/api/v1/articles?language=en&section={sections[i % len(sections)].name}"
        ),
        "api list, updated_since": lambda i: f"/api/v1/articles?language=en&updated_since={since}",
        "api list, page 21 by cursor": lambda i: f"/api/v1/articles?language=en&cursor={deeper}",
        "api article": lambda i: f"/api/v1/articles/en/{articles[i % len(articles)].story_id}",
    }


if __name__ == "__main__":
    main()
