"""`masthead worker`: the background worker.

Two loops in one process: the huey consumer (periodic tasks: feed pulls, embargo release,
the schedule, breaking-news expiry; SQLite queue, or Redis when REDIS_URL is set), and a
drop-folder watcher that looks at every folder source every MASTHEAD_WIRE_POLL_SECONDS, so a
dropped file is live within seconds.
Several workers may run against the same database and folders: each file and each feed round
is claimed by exactly one of them.
"""

from __future__ import annotations

import logging
import threading
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser
from django.db import close_old_connections, connection

from masthead.core.outage import OUTAGE_ERRORS, close_broken_connection, database_outage
from masthead.wire.models import SourceKind
from masthead.wire.services import source_poll, sources_due

log = logging.getLogger("masthead.worker")


def _huey() -> dict[str, Any]:
    huey: dict[str, Any] = settings.HUEY
    return huey


def watch_folders(stop: threading.Event, interval: float) -> None:
    try:
        while not stop.is_set():
            try:
                for source in sources_due(kind=SourceKind.FOLDER):
                    result = source_poll(source=source)
                    for outcome in result.outcomes:
                        log.info("%s: %s", source.name, outcome.line())
                database_outage.ok()
            except OUTAGE_ERRORS as exc:
                # Every round until the database is back: one line when it goes, one when it
                # comes back (a traceback per round was 13,000 lines in five minutes).
                database_outage.failed(exc)
                close_broken_connection()
            except Exception:  # the watcher must outlive a bad round
                log.exception("drop-folder round failed; retrying")
            finally:
                close_old_connections()
            stop.wait(interval)
    finally:
        connection.close()  # this thread's own connection, not left for the server to drop


class Command(BaseCommand):
    help = "Run the background worker: drop folders, feed pulls, embargo release."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--workers", type=int, default=_huey()["consumer"]["workers"])
        parser.add_argument(
            "--no-folders", action="store_true", help="do not watch drop folders in this process"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        self.stdout.write(f"worker: {_huey()['huey_class']} with {options['workers']} thread(s)")
        stop = threading.Event()
        if not options["no_folders"]:
            watcher = threading.Thread(
                target=watch_folders,
                args=(stop, settings.MASTHEAD_WIRE_POLL_SECONDS),
                name="drop-folders",
                daemon=True,
            )
            watcher.start()
        try:
            call_command("run_huey", workers=options["workers"], worker_type="thread")
        finally:
            stop.set()
