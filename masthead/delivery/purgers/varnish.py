"""Varnish (or any HTTP cache that purges by key): a `PURGE` request per server, the tags in the
`xkey-purge` header (Varnish's xkey module; the VCL lets PURGE through from Masthead only)."""

from __future__ import annotations

import urllib.error
import urllib.request

from masthead.delivery.purgers.base import FrontCachePurger, PurgeError


class VarnishPurger(FrontCachePurger):
    name = "varnish"

    def __init__(
        self, servers: list[str], header: str = "xkey-purge", timeout: float = 5.0
    ) -> None:
        self.servers = servers
        self.header = header
        self.timeout = timeout

    def purge(self, tags: list[str]) -> None:
        for server in self.servers:
            request = urllib.request.Request(  # noqa: S310 (URLs from the operator's settings)
                server.rstrip("/") + "/", method="PURGE", headers={self.header: " ".join(tags)}
            )
            try:
                with urllib.request.urlopen(request, timeout=self.timeout) as response:  # noqa: S310
                    response.read(1024)
            except (urllib.error.URLError, OSError) as exc:
                raise PurgeError(f"varnish {server}: {getattr(exc, 'reason', exc)}") from None
