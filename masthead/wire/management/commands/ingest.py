"""`masthead ingest PATH... [--format F] [--language L] [--json]`: ingest wire files or
folders now."""

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from masthead.core.errors import WireError
from masthead.wire.language import language_tag
from masthead.wire.models import WireAction
from masthead.wire.parsers import parsers
from masthead.wire.pipeline import ingest_paths


class Command(BaseCommand):
    help = "Ingest wire files or folders. Exit status 1 when any item failed."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("paths", nargs="+", type=Path)
        parser.add_argument(
            "--format", choices=sorted(parsers()), help="skip detection, force a format"
        )
        parser.add_argument(
            "--language",
            default="",
            help="language of items that do not say theirs (else detected)",
        )
        parser.add_argument("--json", action="store_true", help="one JSON object per item and line")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            language = language_tag(options["language"], field="--language")
        except WireError as exc:
            raise CommandError(str(exc)) from None
        failed = 0
        outcomes = ingest_paths(
            options["paths"], format=options["format"], source="command", language=language
        )
        for outcome in outcomes:
            failed += outcome.action == WireAction.FAILED
            if options["json"]:
                self.stdout.write(json.dumps(outcome.as_dict(), ensure_ascii=False))
            elif outcome.action == WireAction.FAILED:
                self.stderr.write(outcome.line())
            else:
                self.stdout.write(outcome.line())
        if failed:
            raise SystemExit(1)
