"""Push ingest: POST /api/v1/wire with an `ingest` token, answered as `masthead ingest --json`;
what is refused (size, format, token, site, a cookie alone) stores nothing."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from django.contrib.auth.models import User
from django.test import Client

from masthead.api.models import ApiToken, Scope
from masthead.api.tests.conftest import HOST
from masthead.api.tokens import api_token_create
from masthead.conftest import FIXTURES
from masthead.network.models import Site
from masthead.newsroom.models import Article, AuditEntry, Story
from masthead.wire.models import WireItem


def _token(site: Site, *scopes: str) -> str:
    return api_token_create(site=site, name="agency", scopes=list(scopes), created_by="t")[1]


@pytest.fixture
def push(client: Client, django_capture_on_commit_callbacks):  # type: ignore[no-untyped-def]
    def post(body: bytes | dict, *, token: str | None, host: str = HOST, **extra: str):  # type: ignore[no-untyped-def]
        headers = {"HTTP_HOST": host, **extra}
        if token is not None:
            headers["HTTP_AUTHORIZATION"] = f"Bearer {token}"
        with django_capture_on_commit_callbacks(execute=True):
            if isinstance(body, dict):  # multipart
                return client.post("/api/v1/wire", body, **headers)
            return client.post(
                "/api/v1/wire", body, content_type="application/octet-stream", **headers
            )

    return post


def _nothing_stored() -> None:
    assert not Story.objects.exists() and not Article.objects.exists()
    assert not WireItem.objects.exists()


@pytest.mark.parametrize(
    "fixture",
    [
        "ninjs/harbour-talks.json",
        "newsml/ferry-text.xml",
        "newsml1/marche-two-items.xml",
        "nitf/ecluses-namur.xml",
        "text/tram-depot.txt",
    ],
)
def test_every_format_is_answered_as_ingest_json_and_twice_is_unchanged(
    push, network, fixture: str
) -> None:
    token = _token(network["JdT"], Scope.INGEST)
    data = (FIXTURES / fixture).read_bytes()
    first = push(data, token=token, HTTP_CONTENT_DISPOSITION=f'attachment; filename="{fixture}"')
    assert first.status_code == 200, first.content
    outcomes = first.json()
    assert outcomes and {o["action"] for o in outcomes} <= {"created", "unrouted", "embargoed"}
    assert set(outcomes[0]) == {"file", "guid", "version", "action", "article_ids", "urls", "error"}
    assert outcomes[0]["file"] == fixture
    again = push(data, token=token)
    assert {o["action"] for o in again.json()} == {"unchanged"}
    entry = AuditEntry.objects.filter(actor="token agency", action="api push").first()
    assert entry is not None and entry.site_id == network["JdT"].pk


def test_the_answer_is_what_ingest_json_prints(push, network, tmp_path: Path) -> None:
    from io import StringIO

    from django.core.management import call_command

    token = _token(network["JdT"], Scope.INGEST)
    source = (FIXTURES / "ninjs/harbour-talks.json").read_text()
    pushed = push(source.encode(), token=token, HTTP_CONTENT_DISPOSITION="filename=a.json").json()
    path = tmp_path / "a.json"
    path.write_text(source.replace("harbour-talks", "harbour-other"))
    out = StringIO()
    call_command("ingest", str(path), "--json", stdout=out)
    printed = json.loads(out.getvalue().splitlines()[0])
    assert set(printed) == set(pushed[0])
    assert [type(printed[k]) for k in sorted(printed)] == [
        type(pushed[0][k]) for k in sorted(printed)
    ]


def test_multipart_carries_the_pictures(push, network, wire_dir: Path) -> None:
    token = _token(network["JdT"], Scope.INGEST)
    with (
        (wire_dir / "harbour-talks.json").open("rb") as wire,
        (wire_dir / "harbour-talks.jpg").open("rb") as picture,
    ):
        answer = push({"file": wire, "picture": picture}, token=token)
    assert answer.status_code == 200, answer.content
    assert answer.json()[0]["action"] == "created"
    assert answer.json()[0]["file"] == "harbour-talks.json"
    assert Article.objects.get(site__code="JdT").picture is not None


def test_a_malformed_file_is_422_with_its_outcome_and_nothing_kept(push, network) -> None:
    token = _token(network["JdT"], Scope.INGEST)
    for body in [b"<newsMessage><broken", b"\x00\x01 not news", b"{}", b" "]:
        answer = push(body, token=token)
        assert answer.status_code == 422, (body, answer.content)
        [outcome] = answer.json()
        assert outcome["action"] == "failed" and outcome["error"]
    assert push(b"", token=token).status_code in (411, 422)  # no body: no Content-Length
    _nothing_stored()


def test_over_the_size_limit_is_413_and_nothing_kept(push, network, settings) -> None:
    settings.MASTHEAD_WIRE_MAX_BYTES = 1000
    token = _token(network["JdT"], Scope.INGEST)
    answer = push(b" " * 1001, token=token)
    assert answer.status_code == 413 and "limit" in answer.json()["detail"]
    _nothing_stored()


@pytest.mark.parametrize(
    ("how", "status"),
    [
        ("none", 401),
        ("unknown", 401),
        ("revoked", 401),
        ("other site", 403),
        ("read only", 403),
    ],
)
def test_a_wrong_token_is_refused_and_nothing_kept(push, network, how, status) -> None:
    data = (FIXTURES / "ninjs/harbour-talks.json").read_bytes()
    token: str | None = _token(network["JdT"], Scope.INGEST)
    if how == "none":
        token = None
    elif how == "unknown":
        token = "mh_00000000_" + "x" * 43
    elif how == "revoked":
        ApiToken.objects.update(revoked_at="2026-01-01T00:00:00Z")
    elif how == "other site":
        token = _token(network["ZdT"], Scope.INGEST)
    elif how == "read only":
        token = _token(network["JdT"], Scope.READ, Scope.READ_PRIVATE)
    answer = push(data, token=token)
    assert answer.status_code == status
    assert answer.json()["detail"] and "\n" not in answer.json()["detail"]
    _nothing_stored()
    assert not AuditEntry.objects.filter(actor__startswith="token").exists()


def test_a_logged_in_session_alone_cannot_push_and_csrf_does_not_block_a_token(
    network,
) -> None:
    data = (FIXTURES / "ninjs/harbour-talks.json").read_bytes()
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(User.objects.create_superuser("root", "r@example.org", "pw-tests-only"))
    refused = browser.post("/api/v1/wire", data, content_type="application/json", HTTP_HOST=HOST)
    assert refused.status_code == 401
    _nothing_stored()
    token = _token(network["JdT"], Scope.INGEST)
    machine = Client(enforce_csrf_checks=True)
    answer = machine.post(
        "/api/v1/wire",
        data,
        content_type="application/json",
        HTTP_HOST=HOST,
        HTTP_AUTHORIZATION=f"Bearer {token}",
    )
    assert answer.status_code == 200, answer.content


def test_other_paths_still_refuse_post(client, network) -> None:
    token = _token(network["JdT"], Scope.INGEST)
    for path in ["/api/v1/articles", "/", "/api/v1/wire/x"]:
        answer = client.post(
            path,
            b"x",
            content_type="text/plain",
            HTTP_HOST=HOST,
            HTTP_AUTHORIZATION=f"Bearer {token}",
        )
        assert answer.status_code in (404, 405), path


def test_a_push_lands_on_its_tokens_site_only(push, network) -> None:
    # English copy is routed to both test sites when it comes by file; pushed with JdT's
    # token, it is JdT's alone.
    token = _token(network["JdT"], Scope.INGEST)
    data = (FIXTURES / "ninjs/harbour-talks.json").read_bytes()
    outcomes = push(data, token=token).json()
    assert outcomes[0]["action"] == "created"
    assert set(Article.objects.values_list("site__code", flat=True)) == {"JdT"}


def test_a_push_may_not_change_a_story_other_sites_carry(
    push, network, wire_dir: Path, ingest
) -> None:
    # ZdT's English route takes stories that speak of Berlin.
    source = json.loads((wire_dir / "harbour-talks.json").read_text())
    source["headline"] += " in Berlin"
    (wire_dir / "harbour-talks.json").write_text(json.dumps(source))
    dropped = ingest([wire_dir / "harbour-talks.json"])
    assert dropped[0].action == "created"
    carried = dict(Article.objects.values_list("site__code", "headline"))
    assert set(carried) == {"JdT", "ZdT"}
    token = _token(network["JdT"], Scope.INGEST)
    newer = {**source, "version": str(int(source["version"]) + 1), "headline": "Taken over"}
    killed = {**newer, "pubstatus": "canceled"}
    for body in (newer, killed):
        answer = push(json.dumps(body).encode(), token=token)
        assert answer.status_code == 422, answer.content
        (outcome,) = answer.json()
        assert outcome["action"] == "failed"
        assert "also on ZdT" in outcome["error"] and "JdT" in outcome["error"]
    assert dict(Article.objects.values_list("site__code", "headline")) == carried
    assert set(Article.objects.values_list("status", flat=True)) == {"published"}
