"""Production settings, as an operator sets them, pass Django's deployment checks."""

import os
import secrets
import subprocess
import sys
from pathlib import Path


def _masthead(args: list[str], env: dict[str, str], tmp_path: Path) -> subprocess.CompletedProcess:
    base = {k: v for k, v in os.environ.items() if not k.startswith(("MASTHEAD_", "DJANGO_"))}
    base.pop("SECRET_KEY", None)
    return subprocess.run(
        [sys.executable, "-m", "masthead.core.cli", *args],
        env={**base, "MASTHEAD_DATA_DIR": str(tmp_path), **env},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_check_deploy_is_clean_with_production_settings(tmp_path: Path) -> None:
    result = _masthead(
        ["check", "--deploy", "--fail-level", "WARNING"],
        {"SECRET_KEY": secrets.token_urlsafe(50), "ALLOWED_HOSTS": "news.example.org"},
        tmp_path,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_generated_secret_key_is_kept_and_passes_the_checks(tmp_path: Path) -> None:
    first = _masthead(["check", "--deploy", "--fail-level", "WARNING"], {}, tmp_path)
    assert first.returncode == 0, first.stdout + first.stderr
    key = (tmp_path / "secret_key").read_text()
    _masthead(["check"], {}, tmp_path)
    assert (tmp_path / "secret_key").read_text() == key
    assert (tmp_path / "secret_key").stat().st_mode & 0o077 == 0


def test_debug_is_off_unless_asked(tmp_path: Path) -> None:
    code = "from django.conf import settings; print(settings.DEBUG)"
    off = _masthead(["shell", "-c", code], {}, tmp_path)
    on = _masthead(["shell", "-c", code], {"MASTHEAD_DEBUG": "1"}, tmp_path)
    assert (off.stdout.split()[-1], on.stdout.split()[-1]) == ("False", "True")


def test_every_model_change_has_its_migration(db: None) -> None:
    from io import StringIO

    from django.core.management import call_command

    out = StringIO()
    # Exits with an error (SystemExit) when a model changed without a migration.
    call_command("makemigrations", "--check", "--dry-run", stdout=out)
    assert "No changes detected" in out.getvalue()
