"""`masthead network load FILE`: apply a network file, all or nothing."""

import getpass
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from masthead.core.errors import NetworkFileError
from masthead.network.services import network_load
from masthead.network.spec import read_network_file


class Command(BaseCommand):
    help = "Load (apply) or check the network file: sites, domains, sections, tickers, routes."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        load = sub.add_parser("load", help="apply a network file (idempotent, all or nothing)")
        load.add_argument("file", type=Path)
        check = sub.add_parser("check", help="validate a network file without applying it")
        check.add_argument("file", type=Path)

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["file"]
        try:
            if options["action"] == "check":
                spec = read_network_file(path)
                self.stdout.write(
                    f"{path}: valid, {len(spec.sites)} site(s), {len(spec.routes)} route(s)"
                )
                return
            changes = network_load(path=path, actor=_who())
        except NetworkFileError as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(f"{path}: {changes.summary()}")


def _who() -> str:
    """Who ran the command, for the audit log: the OS user, else "command"."""
    try:
        return f"command ({getpass.getuser()})"
    except (KeyError, OSError):  # no user name in the environment or the password database
        return "command"
