"""A local receiver that knows only the secret, and a test network that subscribes it."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from masthead.conftest import TEST_NETWORK
from masthead.network.models import Site
from masthead.network.services import network_apply
from masthead.network.spec import parse_network
from masthead.webhooks.signing import verify

SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"  # the spec's example form: base64 after whsec_


@dataclass
class Receiver:
    url: str = ""
    fail_first: int = 0  # answer 500 to this many requests first
    answered: int = 0
    got: list[dict[str, Any]] = field(default_factory=list)  # every request, in order
    lock: threading.Lock = field(default_factory=threading.Lock)

    @property
    def accepted(self) -> list[dict[str, Any]]:
        return [r for r in self.got if r["status"] == 200]

    def types(self) -> list[str]:
        return [r["json"]["type"] for r in self.accepted]


def _handler(receiver: Receiver) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
            headers = {k.lower(): v for k, v in self.headers.items()}
            valid = verify(secret=SECRET, headers=headers, body=body, now=int(time.time()))
            with receiver.lock:
                receiver.answered += 1
                status = 500 if receiver.answered <= receiver.fail_first else 200
                if not valid:
                    status = 401
                receiver.got.append(
                    {
                        "headers": headers,
                        "body": body,
                        "json": json.loads(body),
                        "valid": valid,
                        "status": status,
                    }
                )
            self.send_response(status)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, *args: Any) -> None:
            pass

    return Handler


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    state = Receiver()
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(state))
    state.url = f"http://127.0.0.1:{server.server_address[1]}/hook"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield state
    server.shutdown()
    server.server_close()


def webhook_table(
    url: str, *, events: str = '["published", "updated", "killed", "corrected"]', extra: str = ""
) -> str:
    return f"""
[[webhook]]
name = "crm"
url = "{url}"
events = {events}
secret_env = "MH_TEST_HOOK_SECRET"
{extra}
"""


@pytest.fixture
def hook_env(monkeypatch, settings) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("MH_TEST_HOOK_SECRET", SECRET)
    settings.MASTHEAD_WIRE_FETCH_PRIVATE = True  # the receiver is on 127.0.0.1
    settings.MASTHEAD_WEBHOOKS_SEND_AT_ONCE = False


@pytest.fixture
def hooked(db, hook_env, receiver: Receiver) -> dict[str, Site]:  # type: ignore[no-untyped-def]
    network_apply(
        spec=parse_network(TEST_NETWORK + webhook_table(receiver.url), source="test-network.toml")
    )
    return {site.code: site for site in Site.objects.all()}


def new_version(wire_dir: Path, version: int, headline: str) -> Path:
    """Version `version` of the harbour-talks fixture, with another headline."""
    data = json.loads((wire_dir / "harbour-talks.json").read_text())
    data["version"] = str(version)
    data["versioncreated"] = f"2026-11-20T1{version}:00:00Z"
    data["headline"] = headline
    path = wire_dir / f"v{version}" / "harbour-talks.json"
    path.parent.mkdir()
    path.write_text(json.dumps(data))
    return path
