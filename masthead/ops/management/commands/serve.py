"""`masthead serve`: prepare the database and run the web server and the worker together.

This is what `make run` calls. It migrates, collects static files, loads the network file
named by MASTHEAD_NETWORK (or the demo network and its stories when the database holds no
story yet), then starts granian and the worker as child processes and stops both on Ctrl-C.

Stopping leaves nothing behind, whatever the load. Each child starts in a session (so a process
group) of its own, and everything it starts stays in that group: granian's workers, processes
they fork. On Ctrl-C, SIGTERM or SIGHUP, each group gets SIGTERM, then SIGKILL after
--stop-seconds (MASTHEAD_STOP_SECONDS, 10) if anything in it is still running; a second Ctrl-C
kills at once. Killing only the child itself, as before, left granian's workers orphaned and
still listening when granian did not stop in time. Their own groups also keep a terminal's
Ctrl-C from reaching the children half-way through their start: only `serve` decides.

Should `serve` itself die without a chance to stop them (SIGKILL, OOM killer), each child is
started through a few lines of Python that ask Linux for SIGTERM when its parent dies
(prctl PR_SET_PDEATHSIG), then exec the real command; the request survives exec. It is not done
in a preexec_fn, which is unsafe once threads exist; the exec wrapper runs in a fresh process.
granian passes the SIGTERM on to its workers, and is told to kill a worker that does not stop
(--workers-kill-timeout). Elsewhere than Linux the wrapper is left out.
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser

from masthead.network.models import Site

# Run by the child before it becomes the real command: SIGTERM to it when `serve` dies
# (PR_SET_PDEATHSIG is 1), and no start at all if `serve` died already.
_ORPHAN_GUARD = """\
import ctypes, os, signal, sys
ctypes.CDLL(None).prctl(1, signal.SIGTERM, 0, 0, 0)
if os.getppid() != int(sys.argv[1]):
    sys.exit(1)
os.execv(sys.argv[2], sys.argv[2:])
"""
_LINUX = sys.platform.startswith("linux")


class Command(BaseCommand):
    help = "Migrate, load the network (or the demo), then run the web server and the worker."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--port", type=int, default=settings.PORT)
        parser.add_argument("--host", default=os.environ.get("MASTHEAD_HOST", "127.0.0.1"))
        parser.add_argument(
            "--web-workers", type=int, default=int(os.environ.get("WEB_CONCURRENCY", "2"))
        )
        parser.add_argument(
            "--web-threads",
            type=int,
            default=int(os.environ.get("MASTHEAD_WEB_THREADS", "4")),
            help="request threads per web process",
        )
        parser.add_argument("--no-demo", action="store_true", help="never load the demo content")
        parser.add_argument(
            "--stop-seconds",
            type=float,
            default=float(os.environ.get("MASTHEAD_STOP_SECONDS", "10")),
            help="on Ctrl-C, how long the web server and the worker may take before being killed",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        call_command("migrate", interactive=False, verbosity=0)
        call_command("collectstatic", interactive=False, verbosity=0)
        if settings.MASTHEAD_NETWORK:
            call_command("network", "load", settings.MASTHEAD_NETWORK)
        elif not options["no_demo"]:
            call_command("demo", if_empty=True)

        Path(settings.MEDIA_ROOT).mkdir(parents=True, exist_ok=True)
        port = options["port"]
        bin_dir = Path(sys.executable).parent
        web = [
            str(bin_dir / "granian"),
            "--interface",
            "wsgi",
            "--host",
            options["host"],
            "--port",
            str(port),
            "--workers",
            str(options["web_workers"]),
            # Pages are rendered in Python under the GIL: a few threads per process keep the
            # cores busy; granian's default (hundreds) made requests wait on each other (p99
            # 1.2 s against 0.1 s under load) and could open as many database connections.
            "--blocking-threads",
            str(options["web_threads"]),
            "--no-ws",
            "--static-path-route",
            settings.STATIC_URL.rstrip("/"),
            "--static-path-mount",
            str(settings.STATIC_ROOT),
            "--static-path-route",
            settings.MEDIA_URL.rstrip("/"),
            "--static-path-mount",
            str(settings.MEDIA_ROOT),
            "masthead.wsgi:application",
        ]
        worker = [str(bin_dir / "masthead"), "worker"]
        grace = options["stop_seconds"]
        # granian's own wait for a worker that does not stop: shorter than ours, so it usually
        # tidies up itself before the whole group is killed.
        web[-1:-1] = ["--workers-kill-timeout", str(max(1, int(grace / 2)))]

        signals: list[int] = []

        def stop(signum: int, frame: object) -> None:
            signals.append(signum)

        # Before the children start: a Ctrl-C at any moment from here on stops what has started.
        for signum in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
            signal.signal(signum, stop)
        children: list[subprocess.Popen[bytes]] = []
        try:
            for command in (web, worker):
                if not signals:
                    children.append(_spawn(command))
            if not signals:
                self._welcome(port)
            while not signals and all(child.poll() is None for child in children):
                time.sleep(0.2)
        finally:
            _stop_groups(children, grace=grace, signals=signals)
            self.stdout.write("Masthead stopped.")
        failed = [
            c for c in children if c.returncode not in (0, -signal.SIGINT, -signal.SIGTERM, None)
        ]
        if failed and not signals:
            raise SystemExit(1)

    def _welcome(self, port: int) -> None:
        self.stdout.write("\nMasthead is running. Open:")
        self.stdout.write(f"  http://127.0.0.1:{port}/              the network's sites")
        for site in Site.objects.prefetch_related("domains"):
            self.stdout.write(
                f"  http://{site.primary_domain}:{port}/{site.default_language}/   {site.name}"
            )
        self.stdout.write(
            f"  http://127.0.0.1:{port}/admin/        the newsroom admin (masthead createsuperuser)"
        )
        self.stdout.write("Press Ctrl-C to stop.\n")


def _spawn(command: Sequence[str]) -> subprocess.Popen[bytes]:
    """Start `command` in a session of its own, guarded against outliving this process."""
    if _LINUX:
        command = [sys.executable, "-c", _ORPHAN_GUARD, str(os.getpid()), *command]
    return subprocess.Popen(command, start_new_session=True)


def _group_running(pgid: int) -> bool:
    """Whether any process of the group is still running (zombies, which hold nothing, are
    not: an orphan's may wait long for a container's first process to reap it)."""
    if not _LINUX:
        try:
            os.killpg(pgid, 0)
        except ProcessLookupError:
            return False
        return True
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            with open(f"/proc/{entry.name}/stat", "rb") as stat:
                fields = stat.read().rsplit(b")", 1)[1].split()
        except OSError:
            continue  # gone meanwhile
        if int(fields[2]) == pgid and fields[0] != b"Z":
            return True
    return False


def _kill_group(pgid: int, signum: int) -> None:
    with contextlib.suppress(ProcessLookupError, PermissionError):  # the group is gone
        os.killpg(pgid, signum)


def _stop_groups(
    children: list[subprocess.Popen[bytes]], *, grace: float, signals: list[int]
) -> None:
    """SIGTERM to each child's whole group, SIGKILL to what is left after `grace` seconds (or
    at a second Ctrl-C), and return once nothing of them runs."""
    for child in children:
        _kill_group(child.pid, signal.SIGTERM)
    received = len(signals)
    deadline = time.monotonic() + grace
    while time.monotonic() < deadline and len(signals) <= received:
        for child in children:
            child.poll()  # reaps the group leaders that have exited
        if not any(_group_running(child.pid) for child in children):
            break
        time.sleep(0.1)
    for child in children:
        if _group_running(child.pid):
            _kill_group(child.pid, signal.SIGKILL)
    for child in children:
        # Only a process stuck in the kernel outlives SIGKILL: nothing more can be done.
        with contextlib.suppress(subprocess.TimeoutExpired):
            child.wait(timeout=5)
