"""Fastly: purge by surrogate key through its API (one call for up to 256 keys)."""

from __future__ import annotations

import urllib.error
import urllib.request

from masthead.delivery.purgers.base import FrontCachePurger, PurgeError

API = "https://api.fastly.com"


class FastlyPurger(FrontCachePurger):
    name = "fastly"

    def __init__(self, service_id: str, token: str, api: str = API, timeout: float = 10.0) -> None:
        self.url = f"{api.rstrip('/')}/service/{service_id}/purge"
        self.token = token
        self.timeout = timeout

    def purge(self, tags: list[str]) -> None:
        for start in range(0, len(tags), 256):
            request = urllib.request.Request(  # noqa: S310 (the API URL is fixed or from settings)
                self.url,
                method="POST",
                headers={
                    "Fastly-Key": self.token,
                    "Surrogate-Key": " ".join(tags[start : start + 256]),
                    "Accept": "application/json",
                },
            )
            try:
                with urllib.request.urlopen(request, timeout=self.timeout) as response:  # noqa: S310
                    response.read(4096)
            except urllib.error.HTTPError as exc:
                raise PurgeError(f"fastly: HTTP {exc.code} {exc.reason}") from None
            except (urllib.error.URLError, OSError) as exc:
                raise PurgeError(f"fastly: {getattr(exc, 'reason', exc)}") from None
