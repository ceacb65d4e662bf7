"""Server time of the desk's big lists (articles, wire log) on a large archive, in process.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/mh_desk_bench \\
        .venv/bin/python bench/desk.py --articles 1000000 [--requests 50] [--queries]

Builds the archive with `masthead bench populate` (skipped when the database already holds that
many articles), fills the wire log with one received item per article when it holds fewer rows
than articles (SQL, derived from the articles: a few percent failed, unrouted or updated, four
sources and formats), then logs in through Django's test client as a superuser and as a member
of staff who works on two of the network's sites (editor; one of the two in one language only),
and times each list URL: REQUESTS requests after two unmeasured ones, p50 and p95 of the server
time in milliseconds, and the median CPU time of this process per request (the Python side,
which other processes on the machine do not lengthen; the rest is the database and waiting).
`--queries` also prints, for one request of each URL, the number of SQL queries, their total
time and the slowest one (django's CaptureQueriesContext). `--per-page N` overrides the lists'
list_per_page in this process, to compare.
"""

from __future__ import annotations

import argparse
import datetime
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(Path(__file__).resolve().parent))
from machine import loop_ms  # noqa: E402

REQUESTS = 50
CPU: dict[str, float] = {}  # the last URL's median CPU time of this process (Python's share)
HOST = "127.0.0.1"

WIRE_LOG_SQL = """
INSERT INTO wire_wireitem (received_at, source, filename, format, provider, guid, version,
    headline, language, sites, action, error, note, story_id, article_ids, payload)
SELECT a.published_at,
    CASE a.id % 4 WHEN 0 THEN 'mwa-drop' WHEN 1 THEN 'afp-feed' WHEN 2 THEN 'reuters-drop'
        ELSE 'command' END,
    'item-' || a.id || '.xml',
    CASE a.id % 4 WHEN 0 THEN 'ninjs' WHEN 1 THEN 'newsml-g2' WHEN 2 THEN 'newsml1'
        ELSE 'nitf' END,
    s.provider, s.guid, 1, a.headline, a.language, site.code,
    CASE WHEN a.id % 100 = 0 THEN 'failed' WHEN a.id % 100 = 1 THEN 'unrouted'
        WHEN a.id % 10 = 2 THEN 'updated' ELSE 'created' END,
    CASE WHEN a.id % 100 = 0 THEN 'newsml-g2: no headline, no body' ELSE '' END,
    '', a.story_id, {article_ids},
    '<newsItem guid="' || s.guid || '"><headline>' || a.headline || '</headline></newsItem>'
FROM newsroom_article a
JOIN newsroom_story s ON s.id = a.story_id
JOIN network_site site ON site.id = a.site_id
WHERE NOT EXISTS (SELECT 1 FROM wire_wireitem w WHERE w.story_id = a.story_id)
ORDER BY a.id
"""


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--articles", type=int, default=1_000_000)
    parser.add_argument("--requests", type=int, default=REQUESTS)
    parser.add_argument("--queries", action="store_true", help="also show each URL's queries")
    parser.add_argument("--only", default="", help="run only URLs containing this text")
    parser.add_argument(
        "--per-page", type=int, default=0, help="rows a page instead of the admin's list_per_page"
    )
    args = parser.parse_args()
    os.environ.setdefault("MASTHEAD_DATA_DIR", tempfile.mkdtemp(prefix="masthead-desk-"))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "masthead.settings")
    os.environ.setdefault("SECRET_KEY", "bench-only-" + "x" * 50)
    os.environ["MASTHEAD_HTTPS"] = "0"
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client

    from masthead.network.models import Site
    from masthead.newsroom.models import Article, Role, SiteMembership
    from masthead.wire.models import WireItem

    call_command("migrate", verbosity=0)
    call_command("network", "load", str(ROOT / "masthead" / "demo" / "network.toml"), verbosity=0)
    have = Article.objects.count()
    if have < args.articles:
        call_command("bench", "populate", "--articles", str(args.articles - have), verbosity=0)
    wire_fill()
    if connection.vendor == "postgresql":
        # As autovacuum leaves a table some time after a load: statistics, hint bits and the
        # visibility map (index-only scans) set.
        with connection.cursor() as cursor:
            cursor.execute("SET statement_timeout = 0")
            cursor.execute("VACUUM (ANALYZE) newsroom_article, newsroom_story, wire_wireitem")
            cursor.execute("ANALYZE")
            cursor.execute("RESET statement_timeout")

    if args.per_page:
        from django.contrib import admin

        for model in (Article, WireItem):
            admin.site._registry[model].list_per_page = args.per_page
    users = get_user_model().objects
    superuser = users.filter(username="desk-super").first() or users.create_superuser(
        "desk-super", "super@example.org", "x"
    )
    editor = users.filter(username="desk-editor").first() or users.create_user(
        "desk-editor", "editor@example.org", "x", is_staff=True
    )
    sites = list(Site.objects.order_by("code"))
    mine = sites[:2]
    for index, site in enumerate(mine):
        SiteMembership.objects.update_or_create(
            user=editor,
            site=site,
            defaults={"role": Role.EDITOR, "languages": [] if index == 0 else site.languages[:1]},
        )
    newest = Article.objects.order_by("-published_at").values_list("published_at", flat=True)[0]
    month = newest - datetime.timedelta(days=60)
    urls = {
        "article": [
            "/admin/newsroom/article/",
            f"/admin/newsroom/article/?site__id__exact={mine[0].pk}",
            "/admin/newsroom/article/?status__exact=published",
            "/admin/newsroom/article/?status__exact=draft",
            "/admin/newsroom/article/?language__exact=fr",
            "/admin/newsroom/article/?q=council",
            f"/admin/newsroom/article/?published_at__year={month.year}"
            f"&published_at__month={month.month}",
            "/admin/newsroom/article/?p=20",
        ],
        "wire": [
            "/admin/wire/wireitem/",
            "/admin/wire/wireitem/?action__exact=failed",
            "/admin/wire/wireitem/?source=afp-feed",
            "/admin/wire/wireitem/?q=council",
            f"/admin/wire/wireitem/?received_at__year={month.year}"
            f"&received_at__month={month.month}",
        ],
    }
    print(
        f"{Article.objects.count():,} articles, {WireItem.objects.count():,} wire items on "
        f"{connection.vendor}; {args.requests} requests per URL after 2 unmeasured, in process, "
        f"{args.per_page or 'list_per_page'} rows a page; "
        f"staff: editor on {', '.join(s.code for s in mine)} of {len(sites)} sites; "
        f"{datetime.datetime.now():%Y-%m-%d %H:%M}\n"
    )
    header = "| user | URL | p50 ms | p95 ms | p50 CPU ms |"
    if args.queries:
        header += " queries | SQL ms | slowest query |"
    print(header)
    print("|---" * (header.count("|") - 1) + "|")
    for label, user in (("superuser", superuser), ("staff", editor)):
        client = Client(HTTP_HOST=HOST)
        client.force_login(user)
        for url in [u for group in urls.values() for u in group]:
            if args.only and args.only not in url:
                continue
            line = f"| {label} | `{url.removeprefix('/admin')}` | "
            times = measure(lambda c=client, u=url: c.get(u), args.requests, url)
            cuts = statistics.quantiles(times, n=20) if len(times) > 1 else times * 19
            line += f"{statistics.median(times):.1f} | {cuts[18]:.1f} | {CPU[url]:.1f} |"
            if args.queries:
                line += queries_of(lambda c=client, u=url: c.get(u))
            print(line, flush=True)
    print(f"\nmachine: {loop_ms():.0f} ms for the reference loop (bench/machine.py)")


def measure(get: Callable[[], Any], requests: int, url: str) -> list[float]:
    for _ in range(2):
        response = get()
        check(response, url)
    times, cpu = [], []
    for _ in range(requests):
        start, start_cpu = time.perf_counter(), time.process_time()
        response = get()
        times.append((time.perf_counter() - start) * 1000)
        cpu.append((time.process_time() - start_cpu) * 1000)
        check(response, url)
    CPU[url] = statistics.median(cpu)
    return times


def check(response: Any, url: str) -> None:
    if response.status_code != 200:
        raise SystemExit(f"{url}: {response.status_code}")


def queries_of(get: Callable[[], Any]) -> str:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        get()
    timed = [(float(q["time"]) * 1000, q["sql"]) for q in captured.captured_queries]
    slowest = max(timed, default=(0.0, ""))
    sql = " ".join(slowest[1].split())[:90].replace("|", "/")
    return f" {len(timed)} | {sum(t for t, _ in timed):.1f} | {slowest[0]:.1f} ms `{sql}` |"


def wire_fill() -> None:
    """One wire log row per article whose story has none yet, in one statement."""
    from django.db import connection, transaction

    from masthead.newsroom.models import Article
    from masthead.wire.models import WireItem

    if WireItem.objects.count() >= Article.objects.count():
        return
    ids = (
        "('[' || a.id || ']')::jsonb" if connection.vendor == "postgresql" else "'[' || a.id || ']'"
    )
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET LOCAL statement_timeout = 0")  # the product's is 15 s
        cursor.execute(WIRE_LOG_SQL.format(article_ids=ids))


if __name__ == "__main__":
    main()
