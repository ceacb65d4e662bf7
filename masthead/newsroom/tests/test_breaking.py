"""Breaking news: raised by urgent agency versions or an editor's flag, ended by its time, a
chief or a kill, and never raised again by the agency once an editor ended it; the sites'
pages purged each time it goes up or comes down."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from masthead.delivery.pagecache import page_cache
from masthead.delivery.pagecache.base import CachedPage
from masthead.delivery.purgers import memory as memory_purger
from masthead.network.models import Site
from masthead.newsroom.models import Article, AuditEntry, Role, SiteMembership, Story
from masthead.newsroom.services.breaking import (
    stories_breaking_expire,
    story_breaking_end,
    story_breaking_start,
)

CHANGELIST = reverse("admin:newsroom_article_changelist")


def _item(folder: Path, name: str, **fields: object) -> Path:
    """A ninjs item, urgent and versioned now unless told otherwise. A headline with "Berlin"
    is routed to both test sites (JdT/en Politics, ZdT/en World), any other to JdT only."""
    doc: dict[str, object] = {
        "uri": f"urn:test:{name}",
        "language": "en",
        "version": "1",
        "versioncreated": timezone.now().isoformat(),
        "urgency": 1,
        "headline": "Berlin tram depot on fire",
        "body_html": "<p>Fire crews were called to the depot on Monday.</p>",
        **fields,
    }
    path = folder / f"{name}-{fields.get('version', '1')}-{len(list(folder.iterdir()))}.json"
    path.write_text(json.dumps(doc))
    return path


def _story(name: str) -> Story:
    return Story.objects.get(guid=f"urn:test:{name}")


@pytest.fixture
def watch(settings):  # type: ignore[no-untyped-def]
    """A front cache that records its purges, and a page of each test site in the page cache."""
    settings.MASTHEAD_FRONT_CACHES = {
        "watch": {"BACKEND": "masthead.delivery.purgers.memory.MemoryPurger"}
    }
    memory_purger.PURGED.clear()
    page_cache().clear()

    def cached_pages() -> set[str]:
        return {code for code in ("JdT", "ZdT") if page_cache().get(f"page-{code}") is not None}

    def refill() -> None:
        for code in ("JdT", "ZdT"):
            page = CachedPage.build(
                status="200 OK", headers=[], body=b"<p>page</p>", ttl=300, tags=[f"site-{code}"]
            )
            page_cache().set(f"page-{code}", page)
        memory_purger.PURGED.clear()

    refill()
    cached_pages.refill = refill  # type: ignore[attr-defined]
    return cached_pages


def _purged_sites() -> set[str]:
    return {tag for tags in memory_purger.PURGED for tag in tags if tag.startswith("site-")}


def test_an_urgent_version_raises_the_strip_until_its_time_plus_the_setting(
    network, tmp_path, ingest, watch, settings
) -> None:
    settings.MASTHEAD_BREAKING_MINUTES = 45
    sent = timezone.now().replace(microsecond=0) - timedelta(minutes=5)
    ingest([_item(tmp_path, "fire", versioncreated=sent.isoformat())])
    story = _story("fire")
    assert story.breaking_live and story.breaking_until == sent + timedelta(minutes=45)
    # Every page of both sites carrying it is purged once it is committed.
    assert _purged_sites() == {"site-JdT", "site-ZdT"} and not watch()
    # The agency's raise is in the wire log, not the editors' audit log.
    assert not AuditEntry.objects.filter(action="flag breaking").exists()


@pytest.mark.parametrize(
    "fields",
    [
        {"urgency": 3},
        {"pubstatus": "withheld"},
        {"embargoed": "2099-01-01T00:00:00Z"},
    ],
    ids=["urgency 3", "withheld", "embargoed"],
)
def test_no_strip_for_a_less_urgent_or_unpublished_version(
    network, tmp_path, ingest, watch, fields
) -> None:
    ingest([_item(tmp_path, "calm", **fields)])
    story = _story("calm")
    assert not story.breaking_live and story.breaking_until is None
    assert not _purged_sites() and watch() == {"JdT", "ZdT"}


def test_an_old_urgent_version_raises_nothing(network, tmp_path, ingest, settings) -> None:
    sent = timezone.now() - timedelta(minutes=settings.MASTHEAD_BREAKING_MINUTES + 1)
    ingest([_item(tmp_path, "late", versioncreated=sent.isoformat())])
    assert not _story("late").breaking_live


def test_a_later_urgent_version_keeps_it_up_longer_without_purging_again(
    network, tmp_path, ingest, watch
) -> None:
    first = timezone.now().replace(microsecond=0) - timedelta(minutes=20)
    ingest([_item(tmp_path, "fire", versioncreated=first.isoformat())])
    watch.refill()
    ingest([_item(tmp_path, "fire", version="2", headline="Berlin depot fire: two hurt")])
    story = _story("fire")
    assert story.breaking_until > first + timedelta(minutes=60)
    # Its pages carry the story's key and are purged as the story's pages, not whole sites.
    assert not _purged_sites()


def test_new_stories_in_bulk_raise_their_strips(network, tmp_path, ingest) -> None:
    # Two new stories without pictures take the bulk path (stories_create_from_wire).
    ingest([_item(tmp_path, "one"), _item(tmp_path, "two", urgency=5, headline="Calm day")])
    assert _story("one").breaking_live
    assert not _story("two").breaking_live


def test_the_strip_ends_at_its_time_and_the_pages_are_purged(
    network, tmp_path, ingest, watch, django_capture_on_commit_callbacks
) -> None:
    ingest([_item(tmp_path, "fire")])
    until = _story("fire").breaking_until
    watch.refill()
    with django_capture_on_commit_callbacks(execute=True):
        assert stories_breaking_expire(now=until - timedelta(seconds=1)) == []
    assert _story("fire").breaking_live and watch() == {"JdT", "ZdT"}
    with django_capture_on_commit_callbacks(execute=True):
        assert stories_breaking_expire(now=until) == [_story("fire").pk]
    assert not _story("fire").breaking_live
    assert _purged_sites() == {"site-JdT", "site-ZdT"} and not watch()
    with django_capture_on_commit_callbacks(execute=True):
        assert stories_breaking_expire(now=until + timedelta(minutes=1)) == []


def test_an_editors_end_is_final_against_the_agency(
    network, tmp_path, ingest, watch, django_capture_on_commit_callbacks
) -> None:
    ingest([_item(tmp_path, "fire")])
    watch.refill()
    with django_capture_on_commit_callbacks(execute=True):
        assert story_breaking_end(story=_story("fire"), by="chief")
    story = _story("fire")
    assert not story.breaking_live and story.breaking_ended_by == "chief"
    assert story.breaking_until <= timezone.now()
    assert _purged_sites() == {"site-JdT", "site-ZdT"} and not watch()
    entry = AuditEntry.objects.get(action="end breaking")
    assert (entry.actor, entry.story_id) == ("chief", story.pk)
    # A new urgent version does not raise it again ...
    watch.refill()
    ingest([_item(tmp_path, "fire", version="2", headline="Berlin depot fire: more crews")])
    assert not _story("fire").breaking_live and not _purged_sites()
    # ... an editor's flag does.
    with django_capture_on_commit_callbacks(execute=True):
        assert story_breaking_start(story=_story("fire"), by="lena")
    story = _story("fire")
    assert story.breaking_live and story.breaking_ended_by == ""
    assert AuditEntry.objects.filter(action="flag breaking", actor="lena").exists()


def test_a_kill_takes_the_strip_down(network, tmp_path, ingest, watch) -> None:
    ingest([_item(tmp_path, "fire")])
    watch.refill()
    ingest([_item(tmp_path, "fire", version="2", pubstatus="canceled")])
    assert not _story("fire").breaking_live
    assert _purged_sites() == {"site-JdT", "site-ZdT"}


def test_a_killed_story_is_not_flagged(network, tmp_path, ingest) -> None:
    ingest([_item(tmp_path, "fire", urgency=4)])
    ingest([_item(tmp_path, "fire", version="2", pubstatus="canceled")])
    assert not story_breaking_start(story=_story("fire"), by="lena")
    assert not _story("fire").breaking_live


def test_an_urgent_story_breaks_when_its_embargo_lifts(network, tmp_path, ingest) -> None:
    from masthead.newsroom.services.story import story_release_embargoes

    lifts = datetime(2099, 1, 1, tzinfo=UTC)
    ingest([_item(tmp_path, "held", embargoed=lifts.isoformat())])
    assert not _story("held").breaking_live
    story_release_embargoes(now=lifts)
    story = _story("held")
    assert story.breaking_live and story.breaking_until == lifts + timedelta(minutes=60)


# The desk: who may flag and who may end.


def _user(name: str, *seats: tuple[str, str]) -> Client:
    user = User.objects.create_user(name, "e@example.invalid", "pw", is_staff=True)
    for code, role in seats:
        SiteMembership.objects.create(user=user, site=Site.objects.get(code=code), role=role)
    client = Client()
    client.force_login(user)
    return client


def _act(client: Client, action: str, *articles: Article) -> list[str]:
    answer = client.post(
        CHANGELIST,
        {"action": action, "_selected_action": [a.pk for a in articles]},
        follow=True,
    )
    assert answer.status_code == 200
    return [str(m) for m in answer.context["messages"]]


@pytest.fixture
def calm(network, tmp_path, ingest) -> dict[str, Article]:  # type: ignore[no-untyped-def]
    """A story on both sites and one on JdT only, neither urgent."""
    ingest(
        [
            _item(tmp_path, "both", urgency=4),
            _item(tmp_path, "jdt", urgency=4, headline="Antwerp harbour dues go up"),
        ]
    )
    return {
        "both-jdt": Article.objects.get(story__guid="urn:test:both", site__code="JdT"),
        "both-zdt": Article.objects.get(story__guid="urn:test:both", site__code="ZdT"),
        "jdt": Article.objects.get(story__guid="urn:test:jdt"),
    }


def test_an_editor_may_flag_but_not_end(calm) -> None:
    editor = _user("edith", ("JdT", Role.EDITOR))
    messages = _act(editor, "flag_breaking", calm["jdt"])
    assert "Breaking news on 1 story" in messages[0]
    assert _story("jdt").breaking_live
    assert AuditEntry.objects.filter(action="flag breaking", actor="edith").exists()
    # The end action is not offered to an editor: asked for anyway, it changes nothing.
    page = editor.get(CHANGELIST).content.decode()
    assert 'value="flag_breaking"' in page and 'value="end_breaking"' not in page
    _act(editor, "end_breaking", calm["jdt"])
    assert _story("jdt").breaking_live


def test_a_chief_ends_a_strip_on_their_sites_only(calm) -> None:
    both = story_breaking_start(story=calm["both-jdt"].story, by="lena")
    only = story_breaking_start(story=calm["jdt"].story, by="lena")
    assert both and only
    chief = _user("chiara", ("JdT", Role.CHIEF))
    # The story on both sites: she is chief on one of them only.
    messages = _act(chief, "end_breaking", calm["both-jdt"])
    assert "you are not chief editor on all of them" in messages[0]
    assert _story("both").breaking_live
    messages = _act(chief, "end_breaking", calm["jdt"])
    assert "ended on 1 story" in messages[0]
    story = _story("jdt")
    assert not story.breaking_live and story.breaking_ended_by == "chiara"
    # A chief of every site carrying it ends the other.
    _act(_user("boss", ("JdT", Role.CHIEF), ("ZdT", Role.CHIEF)), "end_breaking", calm["both-zdt"])
    assert _story("both").breaking_ended_by == "boss"


def test_a_user_of_another_site_can_do_neither(calm) -> None:
    other = _user("otto", ("ZdT", Role.CHIEF))
    # Another site's article is not in their list, so the action gets none of it.
    messages = _act(other, "flag_breaking", calm["jdt"])
    assert "Nothing flagged" in messages[0] and not _story("jdt").breaking_live
    story_breaking_start(story=calm["jdt"].story, by="lena")
    messages = _act(other, "end_breaking", calm["jdt"])
    assert "Not ended" in messages[0] and _story("jdt").breaking_live
    # A viewer on the site sees the article, and may still do neither.
    viewer = _user("vera", ("JdT", Role.VIEWER), ("ZdT", Role.CHIEF))
    messages = _act(viewer, "end_breaking", calm["jdt"])
    assert "not chief editor" in messages[0] and _story("jdt").breaking_live
    story_breaking_end(story=calm["jdt"].story, by="lena")
    messages = _act(viewer, "flag_breaking", calm["jdt"])
    assert "Nothing flagged" in messages[0] and not _story("jdt").breaking_live


def test_the_list_filters_the_stories_breaking_now(calm) -> None:
    story_breaking_start(story=calm["jdt"].story, by="lena")
    admin = User.objects.create_superuser("root", "r@example.invalid", "pw")
    client = Client()
    client.force_login(admin)
    page = client.get(CHANGELIST, {"breaking": "up"}).content.decode()
    assert "Antwerp harbour dues go up" in page and "Berlin tram depot" not in page


def test_the_worker_takes_down_strips_whose_time_has_come(network, tmp_path, ingest) -> None:
    from masthead.newsroom.tasks import expire_breaking

    ingest([_item(tmp_path, "fire"), _item(tmp_path, "flood", headline="Antwerp floods")])
    Story.objects.filter(guid="urn:test:fire").update(
        breaking_until=timezone.now() - timedelta(seconds=1)
    )
    assert expire_breaking.call_local() == 1
    assert not _story("fire").breaking_live and _story("flood").breaking_live
