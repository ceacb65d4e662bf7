"""The API object: version 1 under /api/v1/, its OpenAPI document and docs page, and errors
as one line of JSON.

The docs page is django-ninja's Swagger UI served from this install's static files (ninja is
an installed app): the reader's Content-Security-Policy allows scripts from the site itself
only, and nothing may load from the internet. The validator badge, which would, is off.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from ninja import NinjaAPI, Swagger
from ninja.errors import ValidationError

from masthead.api.views import router

api = NinjaAPI(
    title="Masthead content API",
    version="1",
    description=(
        "Each site's published articles as ninjs 2.2 (IPTC), its sections, search and market "
        "ticker. Ask the site's own host name. Public, read-only, no token; answers may be "
        "cached (ETag, Cache-Control)."
    ),
    urls_namespace="api-v1",
    docs=Swagger(settings={"validatorUrl": None}),
)
api.add_router("/", router)

_openapi = api.get_openapi_schema


def _with_bearer(*args: Any, **kwargs: Any) -> Any:
    # The push endpoint names the scheme in its own `security` (views.wire), which ninja only
    # fills in for its auth classes: declared here so the document is whole.
    document = _openapi(*args, **kwargs)
    document.setdefault("components", {}).setdefault("securitySchemes", {})["bearerAuth"] = {
        "type": "http",
        "scheme": "bearer",
        "description": "An API token of the host's site (made in the desk).",
    }
    return document


api.get_openapi_schema = _with_bearer  # type: ignore[method-assign]


@api.exception_handler(ValidationError)
def invalid_parameters(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    """400 with the first problem in one line (`limit: Input should be less than or equal to
    100`), instead of ninja's 422 list of pydantic errors."""
    first = exc.errors[0] if exc.errors else {}
    where = [str(part) for part in first.get("loc", ()) if part not in ("query", "path")]
    message = str(first.get("msg", "invalid request")).splitlines()[0]
    detail = f"{'.'.join(where)}: {message}" if where else message
    return api.create_response(request, {"detail": detail}, status=400)
