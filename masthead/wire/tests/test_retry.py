"""A failed wire file is tried again from the desk once its cause is fixed: a drop folder's
file goes back to incoming/ as it was; any other from the wire log's copy. Only those with
the right may do it."""

from __future__ import annotations

import json
import os
import shutil

from django.contrib.auth.models import Permission, User
from django.test import Client

from masthead.newsroom.models import Article
from masthead.wire.models import WireAction, WireItem
from masthead.wire.sources.folder import folder_poll


def _desk(*perms: str) -> Client:
    user = User.objects.create_user("desk", "d@example.org", "pw-tests-only", is_staff=True)
    for codename in ("view_wireitem", *perms):
        user.user_permissions.add(Permission.objects.get(codename=codename))
    client = Client()
    client.force_login(user)
    return client


def _retry(client: Client, item: WireItem):  # type: ignore[no-untyped-def]
    return client.post("/admin/wire/wireitem/", {"action": "retry", "_selected_action": [item.pk]})


def test_a_drop_folder_file_goes_back_once_its_cause_is_fixed(
    network, wire_dir, tmp_path, settings
) -> None:
    root = tmp_path / "drop"
    (root / "incoming").mkdir(parents=True)
    doc = json.loads((wire_dir / "harbour-talks.json").read_text())
    doc["language"] = "nl"  # no site publishes Dutch ... and a bad embargo fails it
    doc["embargoed"] = "next week"
    path = root / "incoming" / "story.json"
    path.write_text(json.dumps(doc))
    shutil.copy(wire_dir / "harbour-talks.jpg", root / "incoming" / "harbour-talks.jpg")
    os.utime(path, (0, 0))
    folder_poll(root=root, source="drop")
    failed = WireItem.objects.get(action=WireAction.FAILED)
    assert (root / "failed" / "story.json").exists()
    # The view-only desk may not; the one with the right may.
    _retry(_desk(), failed)
    assert not path.exists()
    User.objects.all().delete()
    _retry(_desk("retry_wireitem"), failed)
    assert path.exists() and not (root / "failed" / "story.json").exists()
    assert json.loads(path.read_text())["embargoed"] == "next week"  # as it was, byte for byte


def test_another_file_is_ingested_again_from_the_log(network, tmp_path, ingest) -> None:
    path = tmp_path / "late.json"
    path.write_text(
        json.dumps(
            {
                "uri": "urn:test:retry",
                "language": "en",
                "headline": "Bridge works start on Monday",
                "body_html": "<p>The bridge closes for two weeks.</p>",
                "versioncreated": "2026-11-30T09:00:00Z",
                "embargoed": "later",
            }
        )
    )
    ingest([path])
    failed = WireItem.objects.get(action=WireAction.FAILED)
    # The cause is fixed in the copy the log kept (here: by hand, as a test stands in).
    WireItem.objects.filter(pk=failed.pk).update(payload=failed.payload.replace('"later"', "null"))
    failed.refresh_from_db()
    answer = _retry(_desk("retry_wireitem"), failed)
    assert answer.status_code == 302
    assert Article.objects.filter(headline="Bridge works start on Monday").exists()
