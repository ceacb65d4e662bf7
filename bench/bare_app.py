"""A WSGI app that answers every request with the same bytes: the ceiling for any Python app
under the same granian, which bench/throughput.py measures beside the page cache's hit path.

BARE_APP_FILE names the file whose bytes it answers (the article page as Masthead served it).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

BODY = Path(os.environ["BARE_APP_FILE"]).read_bytes()
HEADERS = [
    ("Content-Type", "text/html; charset=utf-8"),
    ("Content-Length", str(len(BODY))),
    ("Cache-Control", "max-age=60, s-maxage=300"),
]


def application(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
    start_response("200 OK", HEADERS)
    return [BODY]
