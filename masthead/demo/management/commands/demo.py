"""`masthead demo`: load the demo network and its stories through the wire pipeline."""

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from masthead.core.errors import MastheadError
from masthead.demo.loader import demo_drop_folder, demo_load, demo_network_load
from masthead.newsroom.models import Story
from masthead.wire.models import WireAction


class Command(BaseCommand):
    help = "Load the demo network (sites, sections, routes, a drop folder) and its stories."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="when stories already exist, apply the demo network only",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["if_empty"] and Story.objects.exists():
            # The network is applied again (it is idempotent), so a newer demo file's
            # sections and sources reach an older data folder; the stories are left alone.
            changes = demo_network_load()
            self.stdout.write(f"network: {changes.summary()}")
            self.stdout.write("demo: the database already holds stories; left as they are")
            self._drop_folder()
            return
        try:
            result = demo_load()
        except MastheadError as exc:
            raise CommandError(str(exc)) from None
        counts: dict[str, int] = {}
        for outcome in result.outcomes:
            counts[outcome.action] = counts.get(outcome.action, 0) + 1
            if outcome.action == WireAction.FAILED:
                self.stderr.write(outcome.line())
        self.stdout.write(f"network: {result.network.summary()}")
        self.stdout.write(
            "stories: " + ", ".join(f"{n} {action}" for action, n in sorted(counts.items()))
        )
        self._drop_folder()
        if counts.get(WireAction.FAILED):
            raise CommandError(f"{counts[WireAction.FAILED]} demo item(s) failed")

    def _drop_folder(self) -> None:
        incoming = demo_drop_folder() / "incoming"
        self.stdout.write(f"drop folder: put agency files into {incoming} to publish them")
