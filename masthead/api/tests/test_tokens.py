"""API tokens: made and revoked by a site's admins in the desk, kept as a digest, audited at
every use; a `read-private` token sees the site's unpublished copy, and no cache keeps it."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth.models import User
from django.test import Client

from masthead.api.models import ApiToken, Scope
from masthead.api.tests.conftest import call
from masthead.api.tokens import _digest, api_token_create, api_token_revoke
from masthead.network.models import Site
from masthead.newsroom.models import Article, ArticleStatus, AuditEntry, Role, SiteMembership


def _token(site: Site, *scopes: str, name: str = "cms") -> str:
    return api_token_create(site=site, name=name, scopes=list(scopes), created_by="t")[1]


def _bearer(token: str) -> dict[str, str]:
    return {"HTTP_AUTHORIZATION": f"Bearer {token}"}


def test_only_a_digest_of_the_secret_is_kept(network) -> None:
    row, secret = api_token_create(
        site=network["JdT"], name="cms", scopes=["read"], created_by="admin"
    )
    assert secret.startswith(f"mh_{row.prefix}_") and len(secret) > 40
    stored = ApiToken.objects.filter(pk=row.pk).values().get()
    assert secret not in str(stored) and stored["digest"] == _digest(secret)
    with pytest.raises(ValueError):
        api_token_create(site=network["JdT"], name="x", scopes=["write"], created_by="a")


def test_public_reads_need_no_token_and_stay_public(api, published) -> None:
    answer = api("/api/v1/articles")
    assert answer.status_code == 200
    assert "public" in answer["Cache-Control"] and "Authorization" in answer["Vary"]
    assert not AuditEntry.objects.filter(actor__startswith="token").exists()


def test_a_read_private_token_sees_unpublished_copy_uncached_and_audited(api, published) -> None:
    token = _token(published.site, Scope.READ_PRIVATE)
    Article.objects.filter(pk=published.pk).update(status=ArticleStatus.EMBARGOED)
    path = f"/api/v1/articles/en/{published.story_id}"
    assert api(path).status_code == 404
    assert api("/api/v1/articles").json()["items"] == []
    one = api(path, **_bearer(token))
    assert one.status_code == 200, one.content
    assert one.json()["pubstatus"] == "withheld"
    assert one["Cache-Control"] == "private, no-store" and "Surrogate-Key" not in one
    listed = api("/api/v1/articles", **_bearer(token))
    assert [i["pubstatus"] for i in listed.json()["items"]] == ["withheld"]
    assert listed["Cache-Control"] == "private, no-store"
    entries = AuditEntry.objects.filter(actor="token cms")
    assert entries.count() == 2 and {e.site_id for e in entries} == {published.site_id}
    assert ApiToken.objects.get().last_used_at is not None


def test_a_read_token_sees_public_copy_only(api, published) -> None:
    token = _token(published.site, Scope.READ)
    Article.objects.filter(pk=published.pk).update(status=ArticleStatus.DRAFT)
    answer = api(f"/api/v1/articles/en/{published.story_id}", **_bearer(token))
    assert answer.status_code == 404


@pytest.mark.parametrize(
    ("how", "status"),
    [("unknown", 401), ("revoked", 401), ("other site", 403), ("not bearer", 401)],
)
def test_a_wrong_token_is_refused_in_one_line_and_nothing_is_kept(
    api, published, how, status
) -> None:
    token = _token(published.site, Scope.READ_PRIVATE)
    header = f"Bearer {token}"
    if how == "unknown":
        header = f"Bearer {token[:-4]}xxxx"
    elif how == "revoked":
        api_token_revoke(token=ApiToken.objects.get(), actor="admin")
    elif how == "other site":
        header = f"Bearer {_token(Site.objects.get(code='ZdT'), Scope.READ, name='z')}"
    elif how == "not bearer":
        header = f"Basic {token}"
    before = AuditEntry.objects.count()
    answer = api("/api/v1/articles", HTTP_AUTHORIZATION=header)
    assert answer.status_code == status
    assert "\n" not in answer.json()["detail"]
    assert AuditEntry.objects.count() == before
    assert not ApiToken.objects.filter(last_used_at__isnull=False).exists()


@pytest.mark.django_db(transaction=True)
def test_the_page_cache_never_mixes_public_and_token_answers(cached, published_tx: Article) -> None:
    token = _token(published_tx.site, Scope.READ_PRIVATE)
    other = Article.objects.create(
        **{
            f.attname: getattr(published_tx, f.attname)
            for f in Article._meta.concrete_fields
            if f.attname not in ("id", "language", "slug")
        }
        | {"language": "fr", "slug": "brouillon", "status": ArticleStatus.WITHHELD}
    )
    path = "/api/v1/articles?language=fr"
    status, headers, public = call(cached, path)
    assert status.startswith("200") and headers["X-Cache"] == "MISS"
    assert call(cached, path)[1]["X-Cache"] == "HIT"
    # The token holder's answer is rendered for them, not the cached public one ...
    status, headers, private = call(cached, path, authorization=f"Bearer {token}")
    assert status.startswith("200") and "X-Cache" not in headers
    assert headers["Cache-Control"] == "private, no-store"
    assert b"withheld" in private and b"withheld" not in public
    # ... is not stored, and the public one is still the public one.
    status, headers, body = call(cached, path)
    assert headers["X-Cache"] == "HIT" and body == public
    call(cached, path, authorization=f"Bearer {token}")
    assert AuditEntry.objects.filter(actor="token cms").count() == 2
    assert other.pk


def _staff(name: str, site: Site | None, role: str = Role.ADMIN) -> Client:
    user = User.objects.create_user(name, f"{name}@example.org", "pw-tests-only", is_staff=True)
    if site is not None:
        SiteMembership.objects.create(user=user, site=site, role=role)
    client = Client()
    client.force_login(user)
    return client


def test_site_admins_make_tokens_for_their_sites_and_see_the_secret_once(network) -> None:
    client = _staff("admin-jdt", network["JdT"])
    form = client.get("/admin/api/apitoken/add/").content.decode()
    assert "ZdT" not in form
    answer = client.post(
        "/admin/api/apitoken/add/",
        {"site": network["JdT"].pk, "name": "cms", "scopes": ["read-private", "ingest"]},
        follow=True,
    )
    page = answer.content.decode()
    secret = re.search(r"mh_[0-9a-f]{8}_[A-Za-z0-9_-]{40,}", page)
    assert secret is not None, page
    row = ApiToken.objects.get()
    assert row.digest == _digest(secret.group(0)) and row.created_by == "admin-jdt"
    assert row.scopes == ["ingest", "read-private"]
    change = client.get(f"/admin/api/apitoken/{row.pk}/change/").content.decode()
    assert secret.group(0) not in change and row.prefix in change
    # Another site's tokens are out of sight and out of reach.
    api_token_create(site=network["ZdT"], name="zeitung", scopes=["read"], created_by="a")
    assert "zeitung" not in client.get("/admin/api/apitoken/").content.decode()
    refused = client.post(
        "/admin/api/apitoken/add/",
        {"site": network["ZdT"].pk, "name": "x", "scopes": ["read"]},
    )
    assert refused.status_code == 200 and ApiToken.objects.count() == 2  # the form's error


def test_revoke_is_an_action_for_the_sites_admins(network) -> None:
    mine, _ = api_token_create(site=network["JdT"], name="a", scopes=["read"], created_by="x")
    theirs, _ = api_token_create(site=network["ZdT"], name="b", scopes=["read"], created_by="x")
    client = _staff("admin-jdt", network["JdT"])
    client.post(
        "/admin/api/apitoken/",
        {"action": "revoke", "_selected_action": [mine.pk, theirs.pk]},
    )
    mine.refresh_from_db()
    theirs.refresh_from_db()
    assert mine.revoked_at is not None and theirs.revoked_at is None
    assert AuditEntry.objects.filter(action="api token revoked", actor="admin-jdt").count() == 1


def test_editors_and_other_sites_admins_see_no_tokens(network) -> None:
    api_token_create(site=network["JdT"], name="a", scopes=["read"], created_by="x")
    assert (
        _staff("chief", network["JdT"], Role.CHIEF).get("/admin/api/apitoken/").status_code == 403
    )
    other = _staff("admin-zdt", network["ZdT"])
    assert ">a<" not in other.get("/admin/api/apitoken/").content.decode()
