"""Ctrl-C on `masthead serve` leaves no process behind, whatever the load.

`masthead serve` is started as `make run` starts it, in a process group of its own (a
terminal's foreground group), and stopped as Ctrl-C stops it: SIGINT to that whole group, while
requests are being answered. Every process it started (granian's main process and its workers,
the worker) must then be gone within a bounded time, and the port free.

A loaded machine is stood for by one granian worker frozen with SIGSTOP: like a process that
does not get to its signal handler in time, it ignores the polite requests to stop. Before
`serve` killed whole process groups, such a worker outlived everything, orphaned and still
listening on the port.
"""

from __future__ import annotations

import http.client
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from masthead.conftest import TEST_NETWORK

STOP_WITHIN = 20.0  # seconds from Ctrl-C until every process is gone

pytestmark = [
    pytest.mark.servers,
    pytest.mark.skipif(
        not Path("/proc/self/stat").exists(), reason="reads processes from /proc (Linux)"
    ),
]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def _stat(pid: int) -> tuple[str, int, int] | None:
    """(state, parent pid, start time) of a process, or None when there is none."""
    try:
        raw = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    fields = raw[raw.rindex(")") + 2 :].split()
    return fields[0], int(fields[1]), int(fields[19])


def _descendants(root: int) -> dict[int, int]:
    """Every live process under `root`: pid -> start time (a reused pid is another process)."""
    children: dict[int, list[int]] = {}
    started: dict[int, int] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit() and (stat := _stat(int(entry.name))) is not None:
            children.setdefault(stat[1], []).append(int(entry.name))
            started[int(entry.name)] = stat[2]
    found: dict[int, int] = {}
    todo = [root]
    while todo:
        for child in children.get(todo.pop(), []):
            if child in started:
                found[child] = started[child]
                todo.append(child)
    return found


def _alive(pid: int, started: int) -> bool:
    stat = _stat(pid)
    return stat is not None and stat[0] != "Z" and stat[2] == started


def _command(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_text().replace("\0", " ").strip()
    except OSError:
        return ""


def _port_free(port: int) -> bool:
    with socket.socket() as sock:
        # TIME_WAIT leftovers of the load do not count; a listening socket does.
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind(("127.0.0.1", port))
        except OSError:
            return False
        return True


def _get(port: int, path: str = "/en/") -> int:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
    try:
        conn.request("GET", path, headers={"Host": "test.localhost"})
        response = conn.getresponse()
        response.read()
        return response.status
    finally:
        conn.close()


@pytest.fixture
def env(tmp_path: Path) -> dict[str, str]:
    network = tmp_path / "network.toml"
    network.write_text(TEST_NETWORK)
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL", "PORT")}
    env.update(
        DJANGO_SETTINGS_MODULE="masthead.settings",
        MASTHEAD_DATA_DIR=str(tmp_path / "data"),
        MASTHEAD_NETWORK=str(network),
        MASTHEAD_HTTPS="0",
        MASTHEAD_LOG_LEVEL="WARNING",
        MASTHEAD_WIRE_FETCH_PICTURES="0",
        SECRET_KEY="shutdown-test",
        WEB_CONCURRENCY="2",
    )
    return env


@pytest.fixture
def recorded() -> Iterator[dict[int, int]]:
    """The processes the test saw; whatever is left of them is killed afterwards."""
    seen: dict[int, int] = {}
    yield seen
    for pid, started in seen.items():
        if _alive(pid, started):
            os.kill(pid, signal.SIGKILL)


def test_ctrl_c_under_load_stops_every_process(
    env: dict[str, str], tmp_path: Path, recorded: dict[int, int]
) -> None:
    port = _free_port()
    masthead = str(Path(sys.executable).parent / "masthead")
    log = tmp_path / "serve.log"
    with log.open("wb") as out:
        serve = subprocess.Popen(
            [masthead, "serve", "--no-demo", "--port", str(port)],
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own group, as a terminal's foreground job
        )
    try:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            assert serve.poll() is None, log.read_text()
            try:
                _get(port)  # any answer: what the page says is for other tests
                break
            except OSError:
                time.sleep(0.2)
        else:
            pytest.fail(f"serve did not answer\n{log.read_text()}")

        stop = threading.Event()
        answered: list[int] = []

        def load() -> None:
            while not stop.is_set():
                try:
                    answered.append(_get(port))
                except OSError:
                    time.sleep(0.05)

        clients = [threading.Thread(target=load, daemon=True) for _ in range(4)]
        for client in clients:
            client.start()
        time.sleep(1.0)
        recorded.update(_descendants(serve.pid))
        recorded[serve.pid] = _stat(serve.pid)[2]  # type: ignore[index]
        granian = [p for p in recorded if "granian" in _command(p)]
        workers = [p for p in granian if _stat(p)[1] in granian]  # type: ignore[index]
        assert len(workers) == 2, (recorded, granian)
        assert answered

        os.kill(workers[0], signal.SIGSTOP)
        os.killpg(serve.pid, signal.SIGINT)  # Ctrl-C
        stopped_at = time.monotonic()
        while time.monotonic() < stopped_at + STOP_WITHIN:
            if serve.poll() is not None and not any(_alive(*p) for p in recorded.items()):
                break
            time.sleep(0.1)
        stop.set()
        left = [_command(p) for p, started in recorded.items() if _alive(p, started)]
        assert not left, f"still running {STOP_WITHIN} s after Ctrl-C: {left}\n{log.read_text()}"
        assert _port_free(port)
    finally:
        if serve.poll() is None:
            serve.kill()
        serve.wait(timeout=10)
