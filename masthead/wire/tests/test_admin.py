"""The sources' "Poll now": only for those who may change sources, never a disabled one."""

from pathlib import Path

import pytest
from django.contrib.auth.models import Permission, User
from django.contrib.messages import get_messages
from django.test import Client
from django.urls import reverse

from masthead.wire.models import Source, SourceKind

CHANGELIST = "admin:wire_source_changelist"


def _staff(*codenames: str) -> Client:
    user = User.objects.create_user("desk", "desk@example.invalid", "pw", is_staff=True)
    for codename in codenames:
        user.user_permissions.add(
            Permission.objects.get(content_type__app_label="wire", codename=codename)
        )
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def source(db: None, tmp_path: Path) -> Source:
    return Source.objects.create(
        name="drop", kind=SourceKind.FOLDER, location=str(tmp_path / "drop")
    )


def _poll(client: Client, source: Source):  # type: ignore[no-untyped-def]
    return client.post(reverse(CHANGELIST), {"action": "poll_now", "_selected_action": [source.pk]})


def test_view_only_staff_cannot_poll(source: Source) -> None:
    client = _staff("view_source")
    assert 'value="poll_now"' not in client.get(reverse(CHANGELIST)).content.decode()
    _poll(client, source)
    source.refresh_from_db()
    assert source.polled_at is None


def test_staff_who_may_change_sources_polls(source: Source) -> None:
    client = _staff("view_source", "change_source")
    response = _poll(client, source)
    assert response.status_code == 302
    source.refresh_from_db()
    assert source.polled_at is not None
    assert [str(m) for m in get_messages(response.wsgi_request)] == ["drop: 0 item(s), 0 failed"]


def test_a_disabled_source_is_not_polled(source: Source) -> None:
    Source.objects.filter(pk=source.pk).update(enabled=False)
    response = _poll(_staff("view_source", "change_source"), source)
    assert response.status_code == 302
    source.refresh_from_db()
    assert source.polled_at is None
    assert [str(m) for m in get_messages(response.wsgi_request)] == ["drop: disabled, not polled"]
