"""`masthead worker`: the background worker (embargo release, and later ingest and quotes)."""

from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser


def _huey() -> dict[str, Any]:
    huey: dict[str, Any] = settings.HUEY
    return huey


class Command(BaseCommand):
    help = (
        "Run the background worker (huey consumer: SQLite queue, or Redis when REDIS_URL is set)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--workers", type=int, default=_huey()["consumer"]["workers"])

    def handle(self, *args: Any, **options: Any) -> None:
        self.stdout.write(f"worker: {_huey()['huey_class']} with {options['workers']} thread(s)")
        call_command("run_huey", workers=options["workers"], worker_type="thread")
