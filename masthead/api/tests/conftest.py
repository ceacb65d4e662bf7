"""Helpers for the API's tests: a client that asks the test site's host."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

HOST = "test.localhost"


@pytest.fixture
def api(client: Client) -> Any:
    def get(path: str, **headers: Any) -> Any:
        return client.get(path, HTTP_HOST=headers.pop("host", HOST), **headers)

    return get
