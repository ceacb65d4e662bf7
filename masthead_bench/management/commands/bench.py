"""`masthead bench populate --articles N`: a synthetic archive for performance measurements."""

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from masthead_bench.populate import populate


class Command(BaseCommand):
    help = "Tools for measuring Masthead. populate: add N synthetic published articles."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("action", choices=["populate"])
        parser.add_argument("--articles", type=int, required=True)
        parser.add_argument("--batch", type=int, default=5000)
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument(
            "--jobs",
            type=int,
            default=0,
            help="PostgreSQL: connections loading side by side (default: one per core)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if not 1 <= options["articles"] <= 50_000_000:
            raise CommandError("--articles: give a number from 1 to 50,000,000")
        if not 0 <= options["seed"] < 2**31:
            raise CommandError("--seed: give a number from 0 to 2,147,483,647")
        if not 1 <= options["batch"] <= 100_000:
            raise CommandError("--batch: give a number from 1 to 100,000")
        if not 0 <= options["jobs"] <= 8:
            raise CommandError("--jobs: give a number from 0 (one per core) to 8")
        step = max(options["batch"], options["articles"] // 20)

        def progress(done: int) -> None:
            if done % step < options["batch"] or done == options["articles"]:
                self.stdout.write(f"  {done:,} articles")

        try:
            result = populate(
                articles=options["articles"],
                batch=options["batch"],
                seed=options["seed"],
                jobs=options["jobs"],
                progress=progress,
            )
        except ValueError as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(
            f"populate: {result.articles:,} articles in {result.seconds:.1f} s "
            f"({result.rate:,.0f} articles/s)"
        )
