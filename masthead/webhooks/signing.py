"""Signatures in the Standard Webhooks style (standardwebhooks.com).

Each request carries `webhook-id` (the message id, the same on every retry, for the receiver
to drop duplicates), `webhook-timestamp` (Unix seconds of this attempt) and
`webhook-signature: v1,<base64 of HMAC-SHA256(key, "{id}.{timestamp}.{body}")>`. The key is
the secret's bytes; a secret written `whsec_<base64>` (the spec's form) is that base64 decoded.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac

PREFIX = "whsec_"
TOLERANCE = 5 * 60  # seconds a receiver accepts a timestamp off its clock


def secret_key(secret: str) -> bytes:
    if secret.startswith(PREFIX):
        try:
            return base64.b64decode(secret[len(PREFIX) :], validate=True)
        except (binascii.Error, ValueError):
            pass
    return secret.encode("utf-8")


def sign(*, secret: str, message_id: str, timestamp: int, body: bytes) -> str:
    signed = f"{message_id}.{timestamp}.".encode() + body
    digest = hmac.new(secret_key(secret), signed, hashlib.sha256).digest()
    return "v1," + base64.b64encode(digest).decode("ascii")


def signed_headers(*, secret: str, message_id: str, timestamp: int, body: bytes) -> dict[str, str]:
    return {
        "webhook-id": message_id,
        "webhook-timestamp": str(timestamp),
        "webhook-signature": sign(
            secret=secret, message_id=message_id, timestamp=timestamp, body=body
        ),
        "Content-Type": "application/json",
    }


def verify(*, secret: str, headers: dict[str, str], body: bytes, now: int) -> bool:
    """What a receiver does: the headers present, the timestamp within TOLERANCE of `now`,
    and one of the space-separated v1 signatures equal (in constant time) to ours."""
    lower = {k.lower(): v for k, v in headers.items()}
    message_id = lower.get("webhook-id", "")
    stamp = lower.get("webhook-timestamp", "")
    signatures = lower.get("webhook-signature", "")
    if not (message_id and stamp.isdigit() and signatures):
        return False
    if abs(now - int(stamp)) > TOLERANCE:
        return False
    expected = sign(secret=secret, message_id=message_id, timestamp=int(stamp), body=body)
    return any(
        hmac.compare_digest(candidate.encode(), expected.encode())
        for candidate in signatures.split(" ")
        if candidate.startswith("v1,")
    )
