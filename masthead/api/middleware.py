"""The API answers any web page's scripts (CORS), and HEAD as GET without the body.

Public content is the same for everyone and no cookie or credential is read, so every
origin may read it (`Access-Control-Allow-Origin: *`, which browsers never combine with
cookies). A preflight (a script sending If-None-Match, say) is answered here, before the
reader's security middleware turns every method but GET and HEAD away. Before it in
MIDDLEWARE for that reason.
"""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.utils.cache import patch_vary_headers

PREFIX = "/api/"
ALLOW = "GET, HEAD, OPTIONS"
# Push ingest takes POST only (a token in Authorization, which a preflight must let through).
ALLOW_BY_PATH = {"/api/v1/wire": "POST, OPTIONS"}


class ApiCorsMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not request.path_info.startswith(PREFIX):
            return self.get_response(request)
        if request.method == "OPTIONS":
            response = HttpResponse(status=204)
            allow = ALLOW_BY_PATH.get(request.path_info, ALLOW)
            response["Access-Control-Allow-Methods"] = allow
            response["Access-Control-Allow-Headers"] = (
                request.headers.get("Access-Control-Request-Headers", "")[:1000] or "*"
            )
            response["Access-Control-Max-Age"] = "86400"
            response["Allow"] = allow
        elif request.method == "HEAD":
            # django-ninja routes GET only; HEAD is GET without the body (RFC 9110), with
            # the GET's headers, Content-Length and ETag included.
            request.method = "GET"
            try:
                response = self.get_response(request)
            finally:
                request.method = "HEAD"
            if not response.streaming:
                response.content = b""
        else:
            response = self.get_response(request)
        # A token's answer is never a public one (views._cache): caches in front must not
        # hand one for the other.
        patch_vary_headers(response, ["Authorization"])
        response["Access-Control-Allow-Origin"] = "*"
        response["Access-Control-Expose-Headers"] = "ETag, Surrogate-Key"
        return response
