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


def test_a_push_never_reaches_the_networks_wire(push, network, wire_dir: Path, ingest) -> None:
    # ZdT's English route takes stories that speak of Berlin.
    source = json.loads((wire_dir / "harbour-talks.json").read_text())
    source["headline"] += " in Berlin"
    (wire_dir / "harbour-talks.json").write_text(json.dumps(source))
    assert ingest([wire_dir / "harbour-talks.json"])[0].action == "created"
    carried = dict(Article.objects.values_list("site__code", "headline"))
    assert set(carried) == {"JdT", "ZdT"}
    token = _token(network["JdT"], Scope.INGEST)
    # The agency's own guid, at a higher version, then killed: JdT's own story each time.
    newer = {**source, "version": "9999", "headline": "Taken over"}
    for body, action in ((newer, "created"), ({**newer, "pubstatus": "canceled"}, "killed")):
        (outcome,) = push(json.dumps(body).encode(), token=token).json()
        assert outcome["action"] == action
        assert outcome["guid"] == f"push:JdT:{source['uri']}"
    wire = Article.objects.filter(story__guid=source["uri"])
    assert dict(wire.values_list("site__code", "headline")) == carried
    assert set(wire.values_list("status", flat=True)) == {"published"}
    # The agency's next version still reaches both sites.
    later = wire_dir / "later.json"
    later.write_text(json.dumps({**source, "version": "3", "headline": "Talks in Berlin set"}))
    assert ingest([later])[0].action == "updated"
    assert set(wire.values_list("headline", flat=True)) == {"Talks in Berlin set"}


def test_a_push_may_not_kill_a_story_stored_unrouted(push, network, wire_dir: Path, ingest):
    source = json.loads((wire_dir / "harbour-talks.json").read_text())
    (wire_dir / "es.json").write_text(json.dumps({**source, "language": "es"}))
    assert ingest([wire_dir / "es.json"])[0].action == "unrouted"
    token = _token(network["JdT"], Scope.INGEST)
    killed = {**source, "language": "es", "pubstatus": "canceled", "version": "3"}
    push(json.dumps(killed).encode(), token=token)
    assert Story.objects.get(guid=source["uri"]).status == "usable"


def test_a_push_may_not_change_a_story_another_site_carries(push, network) -> None:
    token = _token(network["JdT"], Scope.INGEST)
    source = json.loads((FIXTURES / "ninjs/harbour-talks.json").read_text())
    assert push(json.dumps(source).encode(), token=token).json()[0]["action"] == "created"
    # An editor of ZdT placed JdT's pushed story on ZdT too: it is no longer JdT's alone.
    own = Article.objects.get()
    copy = Article.objects.get(pk=own.pk)
    copy.pk = None
    copy.site = network["ZdT"]
    copy.section = network["ZdT"].sections.get(language="en")
    copy.save()
    before = sorted(Article.objects.values_list("site__code", "headline", "status"))
    newer = {**source, "version": "3", "headline": "Taken over"}
    for body in (newer, {**newer, "pubstatus": "canceled"}):
        answer = push(json.dumps(body).encode(), token=token)
        assert answer.status_code == 422, answer.content
        (outcome,) = answer.json()
        assert outcome["action"] == "failed"
        assert "also on ZdT" in outcome["error"] and "JdT" in outcome["error"]
    assert sorted(Article.objects.values_list("site__code", "headline", "status")) == before


def test_too_many_items_and_a_broken_multipart_body_are_refused(push, network, settings):
    from masthead.api import push as push_module

    token = _token(network["JdT"], Scope.INGEST)
    source = json.loads((FIXTURES / "ninjs/harbour-talks.json").read_text())
    source.pop("associations", None)
    items = [{**source, "uri": f"urn:x:{n}"} for n in range(push_module.MAX_ITEMS + 1)]
    answer = push(json.dumps({"items": items}).encode(), token=token)
    assert answer.status_code == 413
    assert "over the limit of 1000" in answer.json()["detail"]
    _nothing_stored()
    from django.test import Client

    broken = Client().post(
        "/api/v1/wire",
        b"--x\r\n",
        content_type="multipart/form-data",
        HTTP_HOST=HOST,
        HTTP_AUTHORIZATION=f"Bearer {token}",
    )
    assert broken.status_code == 400 and broken["Content-Type"].startswith("application/json")
    assert "multipart" in broken.json()["detail"]
