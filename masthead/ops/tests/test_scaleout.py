"""Scale-out for real: two web processes and two workers on PostgreSQL and Redis.

Everything runs as it does in production, each in its own process started with the commands
the README gives: `masthead migrate`, `masthead network load`, two `granian` web servers (as on
two machines) and two `masthead worker`s sharing one drop folder, on a database and a Redis of
their own. The test then checks what the README promises for such a set-up: every file is
taken once, no story is created twice, and a change made by either worker reaches the pages
served by both web processes.
"""

from __future__ import annotations

import http.client
import json
import os
import signal
import socket
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from masthead.conftest import TEST_NETWORK

pytestmark = pytest.mark.servers

PG = "postgres://postgres@127.0.0.1:5432/"
REDIS = "redis://127.0.0.1:6379/13"
GUID = "urn:masthead-test:scale:{}"
STORIES = 30
DUPLICATES = 10


def _services_or_skip() -> None:
    import psycopg
    import redis

    try:
        psycopg.connect(PG + "postgres", connect_timeout=3).close()
        redis.Redis.from_url(REDIS, socket_connect_timeout=3).ping()
    except (psycopg.Error, redis.RedisError) as exc:
        pytest.skip(f"needs PostgreSQL and Redis on 127.0.0.1: {exc}")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@dataclass
class Cluster:
    root: Path
    database: str
    env: dict[str, str]
    ports: list[int] = field(default_factory=list)
    processes: list[subprocess.Popen[bytes]] = field(default_factory=list)
    logs: list[Path] = field(default_factory=list)

    @property
    def drop(self) -> Path:
        return self.root / "drop"

    def run(self, *args: str) -> None:
        subprocess.run(args, env=self.env, check=True, capture_output=True, timeout=120)

    def start(self, name: str, *args: str) -> None:
        log = self.root / f"{name}.log"
        self.logs.append(log)
        with log.open("wb") as out:
            self.processes.append(
                subprocess.Popen(args, env=self.env, stdout=out, stderr=subprocess.STDOUT)
            )

    def log_text(self) -> str:
        return "\n".join(
            f"--- {p.name}\n{p.read_text(errors='replace')[-3000:]}" for p in self.logs
        )

    def sql(self, query: str, *params: object) -> list[tuple[object, ...]]:
        import psycopg

        with psycopg.connect(PG + self.database) as conn:
            return list(conn.execute(query, params).fetchall())

    def get(self, port: int, path: str) -> tuple[int, dict[str, str], str]:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        try:
            conn.request("GET", path, headers={"Host": "test.localhost"})
            response = conn.getresponse()
            body = response.read().decode()
            return response.status, {k.lower(): v for k, v in response.getheaders()}, body
        finally:
            conn.close()


def _wait(what: str, ready: Callable[[], bool], cluster: Cluster, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if ready():
                return
        except OSError:
            pass  # a web process still starting
        time.sleep(0.1)
    pytest.fail(f"timed out waiting for {what}\n{cluster.log_text()}")


@pytest.fixture
def cluster(tmp_path: Path) -> Iterator[Cluster]:
    _services_or_skip()
    import psycopg
    import redis

    database = f"masthead_scaleout_{os.getpid()}"
    with psycopg.connect(PG + "postgres", autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {database} WITH (FORCE)")
        conn.execute(f"CREATE DATABASE {database}")
    redis.Redis.from_url(REDIS).flushdb()
    network = tmp_path / "network.toml"
    drop = tmp_path / "drop"
    network.write_text(
        TEST_NETWORK + f'\n[[source]]\nname = "agency"\nkind = "folder"\npath = "{drop}"\n'
    )
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "masthead.settings",
        "DATABASE_URL": PG + database,
        "REDIS_URL": REDIS,
        "MASTHEAD_DATA_DIR": str(tmp_path / "data"),
        "MASTHEAD_NETWORK": str(network),
        "MASTHEAD_HTTPS": "0",
        "MASTHEAD_WIRE_POLL_SECONDS": "0.2",
        "MASTHEAD_WIRE_FETCH_PICTURES": "0",
        "MASTHEAD_LOG_LEVEL": "WARNING",
        "SECRET_KEY": "scale-out-test",
    }
    found = Cluster(root=tmp_path, database=database, env=env)
    bin_dir = Path(sys.executable).parent
    try:
        found.run(str(bin_dir / "masthead"), "migrate", "--verbosity", "0")
        found.run(str(bin_dir / "masthead"), "network", "load", str(network))
        (drop / "incoming").mkdir(parents=True)
        for name in ("web-a", "web-b"):
            port = _free_port()
            found.ports.append(port)
            found.start(
                name,
                str(bin_dir / "granian"),
                "--interface",
                "wsgi",
                "--port",
                str(port),
                "--workers",
                "1",
                "--no-ws",
                "masthead.wsgi:application",
            )
        for name in ("worker-a", "worker-b"):
            found.start(name, str(bin_dir / "masthead"), "worker", "--workers", "1")
        for port in found.ports:
            _wait(f"web process on {port}", lambda p=port: found.get(p, "/en/")[0] == 200, found)
        yield found
    finally:
        for process in found.processes:
            process.send_signal(signal.SIGTERM)
        for process in found.processes:
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()
        with psycopg.connect(PG + "postgres", autocommit=True) as conn:
            conn.execute(f"DROP DATABASE IF EXISTS {database} WITH (FORCE)")
        redis.Redis.from_url(REDIS).flushdb()


def _item(n: int, *, version: int = 1, headline: str = "", status: str = "usable") -> str:
    minute = f"{version:02d}"
    return json.dumps(
        {
            "uri": GUID.format(n),
            "version": str(version),
            "type": "text",
            "versioncreated": f"2026-11-25T08:{minute}:00Z",
            "firstcreated": "2026-11-25T08:00:00Z",
            "pubstatus": status,
            "language": "en",
            "copyrightholder": "MWA",
            "headline": headline or f"Berlin council hears harbour plan number {n}",
            "body_html": f"<p>Plan {n} goes before the Berlin council in the spring.</p>",
        }
    )


def _drop(cluster: Cluster, files: dict[str, str]) -> None:
    """Write each file beside the folder, then move it in whole (as an agency's upload
    would land), already old enough for the workers to take at once."""
    staging = cluster.root / "staging"
    staging.mkdir(exist_ok=True)
    past = time.time() - 10
    for name, text in files.items():
        path = staging / name
        path.write_text(text)
        os.utime(path, (past, past))
        path.rename(cluster.drop / "incoming" / name)


def _settled(cluster: Cluster, expected: int) -> Callable[[], bool]:
    def done() -> bool:
        moved = list((cluster.drop / "processed").rglob("*.json"))
        return len(moved) == expected and not any((cluster.drop / "incoming").iterdir())

    return done


def _article_paths(cluster: Cluster, n: int) -> dict[str, str]:
    rows = cluster.sql(
        "SELECT site.code, a.language, sec.name, st.id, a.slug FROM newsroom_article a"
        " JOIN newsroom_story st ON st.id = a.story_id"
        " JOIN network_section sec ON sec.id = a.section_id"
        " JOIN network_site site ON site.id = a.site_id WHERE st.guid = %s",
        GUID.format(n),
    )
    return {
        str(code): f"/{lang}/{sec}/{story}-{slug}.html" for code, lang, sec, story, slug in rows
    }


def test_two_workers_and_two_web_processes(cluster: Cluster) -> None:
    web_a, web_b = cluster.ports
    files = {f"story-{n:02d}.json": _item(n) for n in range(STORIES)}
    # Late duplicates: the same version again, under another name, in the same batch.
    files |= {f"again-{n:02d}.json": _item(n) for n in range(DUPLICATES)}
    _drop(cluster, files)
    _wait("the first batch", _settled(cluster, len(files)), cluster)

    assert not list((cluster.drop / "failed").glob("*")), cluster.log_text()
    assert cluster.sql(
        "SELECT count(*) FROM newsroom_story WHERE guid LIKE %s", GUID.format("%")
    ) == [(STORIES,)]
    actions = Counter(a for (a,) in cluster.sql("SELECT action FROM wire_wireitem"))
    assert actions == {"created": STORIES, "unchanged": DUPLICATES}
    # Each story on both sites that route it, once each.
    per_story = cluster.sql(
        "SELECT story_id, count(*), count(DISTINCT site_id) FROM newsroom_article GROUP BY story_id"
    )
    assert len(per_story) == STORIES and {(c, d) for _, c, d in per_story} == {(2, 2)}

    # The newest two stories lead the front: one will be updated, the other killed.
    updated, killed = STORIES - 1, STORIES - 2
    first = _article_paths(cluster, updated)["JdT"]
    status, headers, body = cluster.get(web_a, first)
    assert status == 200 and f"harbour plan number {updated}" in body
    assert headers["x-cache"] == "MISS"
    # The other web process finds the page kept by the first one in the shared Redis.
    status, headers, body = cluster.get(web_b, first)
    assert status == 200 and headers["x-cache"] == "HIT"
    for port in cluster.ports:
        status, _, front = cluster.get(port, "/en/")
        assert f"harbour plan number {killed}<" in front
    gone = _article_paths(cluster, killed)["JdT"]
    assert cluster.get(web_b, gone)[0] == 200

    # A newer version of one story (delivered three times) and a kill of another.
    update = _item(updated, version=2, headline="Berlin council approves harbour plan")
    _drop(
        cluster,
        {
            "update-a.json": update,
            "update-b.json": update,
            "update-c.json": update,
            "kill.json": _item(killed, version=2, status="canceled"),
        },
    )
    _wait("the second batch", _settled(cluster, len(files) + 4), cluster)
    actions = Counter(a for (a,) in cluster.sql("SELECT action FROM wire_wireitem"))
    assert actions == {"created": STORIES, "unchanged": DUPLICATES + 2, "updated": 1, "killed": 1}
    assert cluster.sql(
        "SELECT count(*) FROM newsroom_revision r JOIN newsroom_article a ON a.id = r.article_id"
        " JOIN newsroom_story s ON s.id = a.story_id WHERE s.guid = %s",
        GUID.format(updated),
    ) == [(4,)]  # two revisions on each of its two articles, no more

    # Both web processes show the change at once: the purge reached the pages they share.
    for port in cluster.ports:
        status, _, body = cluster.get(port, first)
        assert status == 200 and "Berlin council approves harbour plan" in body
        assert f"harbour plan number {updated}" not in body
        assert cluster.get(port, gone)[0] == 410
        status, _, front = cluster.get(port, "/en/")
        assert "Berlin council approves harbour plan" in front
        assert f"harbour plan number {killed}<" not in front
