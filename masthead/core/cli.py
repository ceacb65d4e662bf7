"""The `masthead` command: Django's management entry point with Masthead's settings."""

import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "masthead.settings")
    from django.core.management import execute_from_command_line
    from django.db import DatabaseError

    try:
        execute_from_command_line(sys.argv)
    except DatabaseError as exc:
        # A database that is down or not set up is the operator's to fix: one line saying
        # what, not a traceback (`masthead migrate` creates the tables).
        first = (str(exc).strip().splitlines() or [type(exc).__name__])[0]
        hint = " (run `masthead migrate` first)" if _missing_table(first) else ""
        sys.stderr.write(f"masthead: database error: {first}{hint}\n")
        raise SystemExit(1) from None


def _missing_table(message: str) -> bool:
    return "no such table" in message or ("relation" in message and "does not exist" in message)


if __name__ == "__main__":
    main()
