"""Query strings a client or a scanner may send: each is a 4xx with one line saying why."""

from __future__ import annotations

import pytest

from masthead.api.cursor import cursor_decode, cursor_encode


@pytest.mark.parametrize(
    ("query", "detail"),
    [
        ("limit=100000", "limit: Input should be less than or equal to 100"),
        ("limit=0", "limit: Input should be greater than or equal to 1"),
        ("limit=-5", "limit: Input should be greater than or equal to 1"),
        ("limit=ten", "limit: Input should be a valid integer"),
        ("limit=" + "9" * 5000, "limit: Unable to parse input string as an integer"),
        ("cursor=not-a-cursor", "cursor: not a cursor this API gave out"),
        ("cursor=MTIz", "cursor: not a cursor this API gave out"),  # "123"
        ("cursor=" + "A" * 65, "cursor: String should have at most 64 characters"),
        ("cursor=%00%00", "cursor: String should match pattern '^[A-Za-z0-9_-]+$'"),
        ("since=yesterday", "since: String should match pattern"),
        ("since=2026-11-20", "since: String should match pattern"),  # RFC 3339: a time too
        ("since=2026-11-20T08:00:00", "since: String should match pattern"),  # and an offset
        ("since=1700000000", "since: String should match pattern"),
        ("since=2026-11-20T08:00:00.5%2B01:00" + "0" * 40, "since: String should have at most 40"),
        ("updated_since=2026-02-30T10:00:00Z", "updated_since: '2026-02-30T10:00:00Z' is no date"),
        ("since=2026-11-20T25:00:00Z", "since: '2026-11-20T25:00:00Z' is no date and time"),
        ("since=2026-11-20T08:00:00%2B25:00", "since: '2026-11-20T08:00:00+25:00' is no date"),
        ("language=EN%00", "language: String should match pattern"),
        ("section=" + "x" * 101, "section: String should have at most 100 characters"),
    ],
)
def test_bad_list_parameters_are_400_with_one_line(api, published, query, detail) -> None:
    answer = api(f"/api/v1/articles?{query}")
    assert answer.status_code == 400, answer.content
    body = answer.json()
    assert set(body) == {"detail"} and "\n" not in body["detail"]
    assert body["detail"].startswith(detail)
    assert "public" not in answer.get("Cache-Control", "")  # no cache keeps a mistake


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/articles/en/0",
        "/api/v1/articles/en/99999999999999999999999",
        "/api/v1/articles/en/-1",
        "/api/v1/articles/EN/1",
        "/api/v1/search?q=" + "x" * 501,
        "/api/v1/search?q=port&page=1001",
        "/api/v1/search?q=port&limit=51",
        "/api/v1/search",
    ],
)
def test_other_bad_parameters_are_4xx(api, published, path) -> None:
    answer = api(path)
    assert 400 <= answer.status_code < 500, answer.content
    assert "\n" not in answer.json()["detail"]


def test_cursor_round_trip_and_forgeries() -> None:
    from datetime import UTC, datetime

    when = datetime(2026, 11, 20, 8, 5, 0, 123456, tzinfo=UTC)
    assert cursor_decode(cursor_encode(published_at=when, story_id=42)) == (when, 42)
    import base64

    for raw in (
        b"1.0",
        b"1.-2",
        b"+1.2",
        b"1_0.2",
        b"1.2.3",
        b"\xff.1",
        b"1e99.1",
        b"99999999999999999999.1",
    ):
        token = base64.urlsafe_b64encode(raw).decode().rstrip("=")
        with pytest.raises(ValueError):
            cursor_decode(token)
