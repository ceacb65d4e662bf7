"""A WSGI app that answers every request with the same bytes: the ceiling for any Python app
under the same granian, which bench/throughput.py measures beside the page cache's hit path.

BARE_APP_FILE names the file whose bytes it answers (the article page as Masthead served it);
BARE_APP_HEADERS, if set, the headers to send with them instead of three.
"""

from __future__ import annotations

import json
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
if os.environ.get("BARE_APP_HEADERS"):
    # The headers Masthead's hit sends with the page (a JSON list of pairs), so that the two
    # differ by the Python of the hit path alone.
    HEADERS = [(str(k), str(v)) for k, v in json.loads(os.environ["BARE_APP_HEADERS"])]


def application(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
    start_response("200 OK", HEADERS)
    return [BODY]
