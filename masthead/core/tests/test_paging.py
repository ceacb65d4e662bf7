"""Big admin lists (core/paging.py): counted up to a cap then estimated, filter choices and the
date bar without reading the whole table. Small data: what is checked is which queries run
and what the page offers, not their speed (bench/desk.py measures that)."""

from __future__ import annotations

import datetime

import pytest
from django.contrib import admin
from django.contrib.auth.models import User
from django.core.paginator import EmptyPage
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from masthead.core import paging
from masthead.core.paging import EstimatedCountPaginator, RecentValuesFieldListFilter
from masthead.network.models import Site
from masthead.newsroom.models import Article, Role, SiteMembership
from masthead.wire.models import WireItem

postgres_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="PostgreSQL's estimate and statement timeout"
)


def _items(n: int, **fields: object) -> None:
    for _ in range(n):
        WireItem.objects.create(source="drop", filename="f.xml", action="created", **fields)


def _paginator(per_page: int = 2, cap: int = 5) -> EstimatedCountPaginator:
    paginator = EstimatedCountPaginator(WireItem.objects.order_by("-id"), per_page)
    paginator.exact_up_to = cap
    return paginator


@pytest.mark.django_db
def test_a_list_up_to_the_cap_is_counted_exactly() -> None:
    _items(5)
    paginator = _paginator()
    assert (paginator.count, paginator.estimated, paginator.num_pages) == (5, False, 3)


@pytest.mark.django_db
def test_beyond_the_cap_the_count_is_the_estimate_and_pages_stop_at_the_cap(monkeypatch) -> None:
    _items(8)
    monkeypatch.setattr(paging, "planner_rows", lambda queryset: 1234)
    paginator = _paginator()
    assert (paginator.count, paginator.estimated) == (1234, True)
    assert paginator.num_pages == 3  # the first five rows, two a page
    assert len(paginator.page(3).object_list) == 2
    with pytest.raises(EmptyPage):
        paginator.page(4)


@pytest.mark.django_db
def test_a_list_far_beyond_the_cap_is_not_counted(monkeypatch) -> None:
    _items(8)
    monkeypatch.setattr(paging, "planner_rows", lambda queryset: 500_000)
    paginator = _paginator()
    with CaptureQueriesContext(connection) as captured:
        assert (paginator.count, paginator.estimated) == (500_000, True)
    assert captured.captured_queries == []


@pytest.mark.django_db
def test_an_estimate_under_the_cap_is_raised_to_it(monkeypatch) -> None:
    # Under the cap, the admin would offer "Show all" (every row on one page).
    _items(8)
    monkeypatch.setattr(paging, "planner_rows", lambda queryset: 2)
    assert _paginator().count == 6


@pytest.mark.django_db
def test_a_guessed_count_becomes_exact_on_a_short_page(monkeypatch) -> None:
    # The count ran out of time (a rare word searched): the page that ends the list says
    # how long it is.
    _items(3)
    monkeypatch.setattr(EstimatedCountPaginator, "_capped_count", lambda self, qs: None)
    monkeypatch.setattr(paging, "planner_rows", lambda queryset: 2)
    paginator = _paginator(per_page=2)
    assert (paginator.count, paginator.estimated) == (6, True)
    assert len(paginator.page(1).object_list) == 2 and paginator.estimated
    assert len(paginator.page(2).object_list) == 1
    assert (paginator.count, paginator.num_pages, paginator.estimated) == (3, 2, False)
    paginator = _paginator(per_page=10)
    assert paginator.count == 6 and paginator.estimated
    assert len(paginator.page(1).object_list) == 3
    assert (paginator.count, paginator.num_pages, paginator.estimated) == (3, 1, False)


@pytest.mark.django_db
def test_without_an_estimate_a_long_list_is_counted_exactly(monkeypatch) -> None:
    _items(8)
    monkeypatch.setattr(paging, "planner_rows", lambda queryset: None)
    paginator = _paginator()
    assert (paginator.count, paginator.estimated, paginator.num_pages) == (8, False, 4)


@postgres_only
@pytest.mark.django_db
def test_postgresql_estimates_from_its_plan() -> None:
    _items(3)
    assert isinstance(paging.planner_rows(WireItem.objects.filter(action="failed")), int)


@postgres_only
@pytest.mark.django_db
def test_a_count_that_runs_out_of_time_gives_way_to_the_estimate() -> None:
    _items(3)
    with connection.cursor() as cursor:
        cursor.execute("SHOW statement_timeout")
        before = cursor.fetchone()[0]
    slow = WireItem.objects.extra(where=["(SELECT 1 FROM pg_sleep(0.3)) = 1"])
    paginator = EstimatedCountPaginator(slow, 2)
    paginator.exact_up_to, paginator.count_ms = 2, 20
    assert paginator._capped_count(slow) is None
    assert paginator.count >= 3 and paginator.estimated
    # The cancelled count left the test's transaction usable and the timeout as it was.
    with connection.cursor() as cursor:
        cursor.execute("SHOW statement_timeout")
        assert cursor.fetchone()[0] == before
    assert WireItem.objects.count() == 3


def _superuser() -> Client:
    user = User.objects.create_superuser("chief", "chief@example.org", "x")
    client = Client()
    client.force_login(user)
    return client


def _whole_table_reads(queries: list[dict[str, str]]) -> list[str]:
    """Counts and DISTINCTs without a LIMIT, and the date bar's truncated dates."""
    found = []
    for query in queries:
        sql = query["sql"].upper()
        unbounded = "LIMIT" not in sql and ("COUNT(" in sql or "DISTINCT" in sql)
        if unbounded or "DATE_TRUNC" in sql or "DJANGO_DATETIME_TRUNC" in sql:
            found.append(query["sql"])
    return found


@pytest.mark.django_db
def test_the_wire_log_offers_the_newest_rows_values_and_reads_no_whole_table(monkeypatch) -> None:
    monkeypatch.setattr(RecentValuesFieldListFilter, "recent_rows", 2)
    _items(1, provider="OLD")
    _items(1, provider="B")
    _items(1, provider="C")
    WireItem.objects.filter(provider="OLD").update(
        received_at=timezone.now() - datetime.timedelta(days=400)
    )
    client = _superuser()
    with CaptureQueriesContext(connection) as captured:
        page = client.get("/admin/wire/wireitem/")
    assert page.status_code == 200
    assert _whole_table_reads(captured.captured_queries) == []
    (provider,) = [
        s for s in page.context["cl"].filter_specs if getattr(s, "field_path", "") == "provider"
    ]
    assert provider.lookup_choices == ["B", "C"]
    # An older value still filters, and is offered while chosen.
    page = client.get("/admin/wire/wireitem/?provider=OLD")
    (provider,) = [
        s for s in page.context["cl"].filter_specs if getattr(s, "field_path", "") == "provider"
    ]
    assert "OLD" in provider.lookup_choices
    assert page.context["cl"].result_count == 1
    # The date bar: the two years between the oldest and newest item, no DISTINCT.
    years = {str(d.year) for d in WireItem.objects.values_list("received_at", flat=True)}
    assert len(years) == 2
    for year in years:
        assert f"received_at__year={year}" in client.get("/admin/wire/wireitem/").text


@pytest.mark.django_db
def test_the_article_list_reads_no_whole_table_and_says_about(many, monkeypatch) -> None:
    client = _superuser()
    with CaptureQueriesContext(connection) as captured:
        page = client.get("/admin/newsroom/article/")
    assert page.status_code == 200
    assert _whole_table_reads(captured.captured_queries) == []
    # One query for the rows, whatever their number: sites and sections come with them.
    assert len(captured.captured_queries) < 20
    (language,) = [
        s for s in page.context["cl"].filter_specs if getattr(s, "field_path", "") == "language"
    ]
    network = {lang for langs in Site.objects.values_list("languages", flat=True) for lang in langs}
    assert language.lookup_choices == sorted(network)

    monkeypatch.setattr(EstimatedCountPaginator, "exact_up_to", 10)
    monkeypatch.setattr(paging, "planner_rows", lambda queryset: 123456)
    monkeypatch.setattr(admin.site._registry[Article], "list_per_page", 5)
    page = client.get("/admin/newsroom/article/")
    assert "about 123,456 articles; the newest 10 are paged" in " ".join(page.text.split())
    # A last page shorter than the others tells the count: the estimate gives way to it.
    monkeypatch.setattr(admin.site._registry[Article], "list_per_page", 500)
    page = client.get("/admin/newsroom/article/")
    assert f"{Article.objects.count()} articles" in " ".join(page.text.split())


@pytest.mark.django_db
def test_the_article_date_bar_goes_from_the_first_to_the_last_date(many) -> None:
    first = Article.objects.order_by("published_at").first()
    assert first is not None
    Article.objects.filter(pk=first.pk).update(
        published_at=datetime.datetime(2019, 3, 14, 12, tzinfo=datetime.UTC)
    )
    client = _superuser()
    text = client.get("/admin/newsroom/article/").text
    last_year = timezone.localtime(Article.objects.order_by("-published_at")[0].published_at).year
    for year in range(2019, last_year + 1):
        assert f"published_at__year={year}" in text  # years without articles too
    text = client.get("/admin/newsroom/article/?published_at__year=2019").text
    assert "published_at__month=3" in text and "published_at__month=2&" not in text
    text = client.get("/admin/newsroom/article/?published_at__year=2019&published_at__month=3").text
    assert "published_at__day=14" in text and "published_at__day=13" not in text


@pytest.mark.django_db
def test_a_member_of_staff_is_offered_their_sites_languages(many) -> None:
    site = Site.objects.order_by("code")[0]
    user = User.objects.create_user("ed", "ed@example.org", "x", is_staff=True)
    SiteMembership.objects.create(user=user, site=site, role=Role.EDITOR)
    client = Client()
    client.force_login(user)
    page = client.get("/admin/newsroom/article/")
    assert page.status_code == 200
    (language,) = [
        s for s in page.context["cl"].filter_specs if getattr(s, "field_path", "") == "language"
    ]
    assert language.lookup_choices == sorted(site.languages)
