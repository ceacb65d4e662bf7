"""Making, revoking and checking API tokens; every use is a line in the audit log.

A token reads `mh_<prefix>_<secret>`: the prefix finds its row, the whole is compared by its
SHA-256 digest. `token_check` answers a request's `Authorization: Bearer` header for the
host's site and a scope: the token, None when the request carries none, or TokenRefused with
the status (401 unknown or revoked, 403 another site's or without the scope) and one line.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets

from django.db import transaction
from django.utils import timezone

from masthead.api.models import ApiToken, Scope
from masthead.network.models import Site
from masthead.newsroom.services.audit import audit_record

PREFIX = "mh_"


class TokenRefused(Exception):
    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


@transaction.atomic
def api_token_create(
    *, site: Site, name: str, scopes: list[str], created_by: str
) -> tuple[ApiToken, str]:
    """The new token's row and its secret, which is not kept: show it now or never."""
    unknown = set(scopes) - set(Scope.values)
    if unknown or not scopes:
        raise ValueError(f"scopes: give some of {', '.join(Scope.values)}, not {sorted(unknown)}")
    prefix = secrets.token_hex(4)
    token = f"{PREFIX}{prefix}_{secrets.token_urlsafe(32)}"
    row = ApiToken.objects.create(
        site=site,
        name=name,
        scopes=sorted(set(scopes)),
        prefix=prefix,
        digest=_digest(token),
        created_by=created_by,
    )
    audit_record(actor=created_by, action="api token created", site=site, detail=str(row))
    return row, token


@transaction.atomic
def api_token_revoke(*, token: ApiToken, actor: str) -> None:
    if token.revoked_at is not None:
        return
    token.revoked_at = timezone.now()
    token.save(update_fields=["revoked_at"])
    audit_record(actor=actor, action="api token revoked", site=token.site, detail=str(token))


def token_find(header: str) -> ApiToken | None:
    """The live token an `Authorization` header names, or TokenRefused (401)."""
    scheme, _, value = header.strip().partition(" ")
    value = value.strip()
    if scheme.lower() != "bearer" or not value:
        raise TokenRefused(401, "Authorization: give 'Bearer <token>'.")
    parts = value.split("_")
    if len(parts) < 3 or not value.startswith(PREFIX):
        raise TokenRefused(401, "Unknown API token.")
    row = ApiToken.objects.select_related("site").filter(prefix=parts[1]).first()
    if row is None or not hmac.compare_digest(row.digest, _digest(value)):
        raise TokenRefused(401, "Unknown API token.")
    if row.revoked_at is not None:
        raise TokenRefused(401, "This API token was revoked.")
    return row


def token_check(*, header: str | None, site: Site, scope: str) -> ApiToken | None:
    """The token that allows `scope` on `site`, None without a header; else TokenRefused."""
    if header is None:
        return None
    row = token_find(header)
    assert row is not None
    if row.site_id != site.pk:
        raise TokenRefused(403, f"This token is {row.site.code}'s; ask that site's host.")
    if not row.allows(scope):
        raise TokenRefused(403, f"This token does not allow {scope!r}.")
    return row


def token_used(*, token: ApiToken, action: str, detail: str = "") -> None:
    """One audit line per request a token makes, and when it was last used."""
    now = timezone.now()
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    token.last_used_at = now
    audit_record(actor=f"token {token.name}", action=action, site=token.site, detail=detail)
