"""`masthead search rebuild`: index every published article again."""

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from masthead.search.services import search_rebuild


class Command(BaseCommand):
    help = "Rebuild the search index (after a restore, or moving between databases)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("action", choices=["rebuild"])

    def handle(self, *args: Any, **options: Any) -> None:
        count = search_rebuild()
        self.stdout.write(f"search: {count} published article(s) indexed")
