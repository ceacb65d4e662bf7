"""A throwaway demo network served by granian, for the scripts in bench/ (screenshots,
Lighthouse): builds it in a temporary data dir, serves it, and removes it afterwards."""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = ROOT / ".venv" / "bin"


@dataclass
class DemoServer:
    port: int
    data: Path
    env: dict[str, str]

    def masthead(self, *args: str) -> str:
        result = subprocess.run(
            [str(BIN / "masthead"), *args], env=self.env, check=True, capture_output=True, text=True
        )
        return result.stdout

    def article_path(self, site: str = "CdB", language: str = "en") -> str:
        code = (
            "from masthead.newsroom.models import Article;"
            f"a = Article.objects.filter(site__code='{site}', language='{language}').first();"
            "print(a.get_absolute_url())"
        )
        return self.masthead("shell", "-c", code).strip().splitlines()[-1]

    def section_path(self, site: str = "CdB", language: str = "en") -> str:
        """The site's first section front in this language (as its navigation lists them)."""
        code = (
            "from masthead.network.models import Section;"
            f"s = Section.objects.filter(site__code='{site}', language='{language}')"
            ".order_by('position').first();"
            "print(f'/{s.language}/{s.name}/')"
        )
        return self.masthead("shell", "-c", code).strip().splitlines()[-1]


@contextmanager
def demo_server(port: int, workers: int = 2) -> Iterator[DemoServer]:
    data = Path(tempfile.mkdtemp(prefix="masthead-demo-"))
    env = {
        **os.environ,
        "MASTHEAD_DATA_DIR": str(data),
        "MASTHEAD_HTTPS": "0",
        "DJANGO_SETTINGS_MODULE": "masthead.settings",
    }
    env.pop("DATABASE_URL", None)
    server = DemoServer(port, data, env)
    server.masthead("migrate", "-v0")
    server.masthead("demo")
    server.masthead("collectstatic", "--noinput", "-v0")
    mounts = []
    for route, folder in (("/static", data / "static"), ("/media", data / "media")):
        mounts += ["--static-path-route", route, "--static-path-mount", str(folder)]
    process = subprocess.Popen(
        [
            str(BIN / "granian"),
            "--interface",
            "wsgi",
            "--port",
            str(port),
            "--workers",
            str(workers),
            *mounts,
            "masthead.wsgi:application",
        ],
        env=env,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=1)
                break
            except OSError:
                time.sleep(0.2)
        yield server
    finally:
        process.terminate()
        process.wait(timeout=10)
        shutil.rmtree(data, ignore_errors=True)
