"""The `masthead` command speaks in one line when the database is not there to use."""

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

DEMO = Path(__file__).resolve().parents[2] / "masthead" / "demo" / "wire" / "en"


def test_a_database_not_set_up_is_one_line_not_a_traceback(tmp_path: Path) -> None:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "masthead.settings",
        "MASTHEAD_DATA_DIR": str(tmp_path),
        "DATABASE_URL": f"sqlite:///{tmp_path / 'empty.sqlite3'}",
    }
    done = subprocess.run(
        [sys.executable, "-m", "masthead.core.cli", "ingest", str(DEMO)],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 1
    assert done.stderr.strip().splitlines() == [
        "masthead: database error: no such table: wire_wireitem (run `masthead migrate` first)"
    ]
    # The connection still set the file up: write-ahead log, 16 KB pages (settings.py).
    with sqlite3.connect(tmp_path / "empty.sqlite3") as db:
        assert db.execute("PRAGMA journal_mode").fetchone() == ("wal",)
        assert db.execute("PRAGMA page_size").fetchone() == (16384,)
