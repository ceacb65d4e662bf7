"""`masthead serve`: prepare the database and run the web server and the worker together.

This is what `make run` calls. It migrates, collects static files, loads the network file
named by MASTHEAD_NETWORK (or the demo network and its stories when the database holds no
story yet), then starts granian and the worker as child processes and stops both on Ctrl-C.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser

from masthead.network.models import Site


class Command(BaseCommand):
    help = "Migrate, load the network (or the demo), then run the web server and the worker."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--port", type=int, default=settings.PORT)
        parser.add_argument("--host", default=os.environ.get("MASTHEAD_HOST", "127.0.0.1"))
        parser.add_argument(
            "--web-workers", type=int, default=int(os.environ.get("WEB_CONCURRENCY", "2"))
        )
        parser.add_argument(
            "--web-threads",
            type=int,
            default=int(os.environ.get("MASTHEAD_WEB_THREADS", "4")),
            help="request threads per web process",
        )
        parser.add_argument("--no-demo", action="store_true", help="never load the demo content")

    def handle(self, *args: Any, **options: Any) -> None:
        call_command("migrate", interactive=False, verbosity=0)
        call_command("collectstatic", interactive=False, verbosity=0)
        if settings.MASTHEAD_NETWORK:
            call_command("network", "load", settings.MASTHEAD_NETWORK)
        elif not options["no_demo"]:
            call_command("demo", if_empty=True)

        Path(settings.MEDIA_ROOT).mkdir(parents=True, exist_ok=True)
        port = options["port"]
        bin_dir = Path(sys.executable).parent
        web = [
            str(bin_dir / "granian"),
            "--interface",
            "wsgi",
            "--host",
            options["host"],
            "--port",
            str(port),
            "--workers",
            str(options["web_workers"]),
            # Pages are rendered in Python under the GIL: a few threads per process keep the
            # cores busy; granian's default (hundreds) made requests wait on each other (p99
            # 1.2 s against 0.1 s under load) and could open as many database connections.
            "--blocking-threads",
            str(options["web_threads"]),
            "--no-ws",
            "--static-path-route",
            settings.STATIC_URL.rstrip("/"),
            "--static-path-mount",
            str(settings.STATIC_ROOT),
            "--static-path-route",
            settings.MEDIA_URL.rstrip("/"),
            "--static-path-mount",
            str(settings.MEDIA_ROOT),
            "masthead.wsgi:application",
        ]
        worker = [str(bin_dir / "masthead"), "worker"]
        children = [subprocess.Popen(web), subprocess.Popen(worker)]

        self.stdout.write("\nMasthead is running. Open:")
        self.stdout.write(f"  http://127.0.0.1:{port}/              the network's sites")
        for site in Site.objects.prefetch_related("domains"):
            self.stdout.write(
                f"  http://{site.primary_domain}:{port}/{site.default_language}/   {site.name}"
            )
        self.stdout.write(
            f"  http://127.0.0.1:{port}/admin/        the newsroom admin (masthead createsuperuser)"
        )
        self.stdout.write("Press Ctrl-C to stop.\n")

        stopping = False

        def stop(signum: int, frame: object) -> None:
            nonlocal stopping
            stopping = True

        signal.signal(signal.SIGINT, stop)
        signal.signal(signal.SIGTERM, stop)
        try:
            while not stopping and all(child.poll() is None for child in children):
                time.sleep(0.5)
        finally:
            for child in children:
                if child.poll() is None:
                    # SIGTERM: a terminal Ctrl-C already sent SIGINT to the whole group, and a
                    # second SIGINT can leave granian waiting; both stop cleanly on SIGTERM.
                    child.send_signal(signal.SIGTERM)
            deadline = time.monotonic() + 10
            for child in children:
                try:
                    child.wait(timeout=max(0.1, deadline - time.monotonic()))
                except subprocess.TimeoutExpired:
                    child.kill()
            self.stdout.write("Masthead stopped.")
        failed = [
            c for c in children if c.returncode not in (0, -signal.SIGINT, -signal.SIGTERM, None)
        ]
        if failed and not stopping:
            raise SystemExit(1)
