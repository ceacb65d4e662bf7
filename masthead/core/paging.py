"""Lists of a million rows in Django's admin: counting, filter choices and the date bar without
reading the whole table.

Django's admin, as it comes, counts every row of a list for its paginator (and again for the
"N total" beside a search), reads each plain field filter's choices with a DISTINCT over the
table, and builds the date bar with a DISTINCT over truncated dates: on the desk's article list
and wire log at a million rows that was seconds a page on PostgreSQL. What is here keeps each
of them to a few index reads:

- `EstimatedCountPaginator` counts exactly up to `exact_up_to` rows (a count over a LIMITed
  query, which stops there) and beyond takes PostgreSQL's planner estimate, shown as "about";
  only the first `exact_up_to` rows are paged (older ones are reached with the date bar or a
  filter, since a deep OFFSET reads every row before it).
- `RecentValuesFieldListFilter` offers the values found in the newest rows of the list.
- `ValuesFieldListFilter` is the base for a filter whose values come from a small table.
- `date_bar` (the `cheap_date_hierarchy` tag in `templatetags/desk_lists.py`) makes the date
  bar's choices from the list's first and last dates (one MIN/MAX read off the date's index)
  instead of a DISTINCT over every row: a year, month or day with no row may be offered.

An admin takes them by attribute: `paginator = EstimatedCountPaginator`,
`show_full_result_count = False`, `list_filter = [("provider", RecentValuesFieldListFilter)]`;
the date bar and the "about" count by the model's `change_list.html` and `pagination.html`
templates (`admin/<app>/<model>/`), which include `admin/desk_*.html` from here.
"""

from __future__ import annotations

import calendar
import datetime
import json
import math
from collections.abc import Iterable
from typing import Any

from django.contrib.admin import AllValuesFieldListFilter
from django.core.paginator import Page, Paginator
from django.db import OperationalError, connections, models, transaction
from django.db.models import QuerySet
from django.utils import formats, timezone
from django.utils.functional import cached_property
from django.utils.text import capfirst
from django.utils.translation import gettext as _

EXACT_UP_TO = 10_000
RECENT_ROWS = 1_000
COUNT_MS = 40
TRUST_ESTIMATE_OVER = 100_000


def planner_rows(queryset: QuerySet[Any]) -> int | None:
    """How many rows PostgreSQL's planner expects the query to return (EXPLAIN, nothing is
    read); None on other databases."""
    connection = connections[queryset.db]
    if connection.vendor != "postgresql":
        return None
    sql, params = queryset.order_by().values("pk").query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN (FORMAT JSON) {sql}", params)
        plan = cursor.fetchone()[0]
    if isinstance(plan, str):
        plan = json.loads(plan)
    return int(plan[0]["Plan"]["Plan Rows"])


class EstimatedCountPaginator(Paginator):
    """Exact up to `exact_up_to` rows, PostgreSQL's estimate beyond (`estimated` is then
    True), and pages over the first `exact_up_to` rows only.

    A list the planner expects to hold more than `trust_estimate_over` rows is not counted
    at all. Otherwise, on PostgreSQL the count has `count_ms` milliseconds: a filter the
    indexes do not serve (a word searched in every headline) would otherwise read the table
    until it has found `exact_up_to` rows, or to its end; past that time the list is taken to
    be long (at least `exact_up_to` + 1 rows, or the planner's estimate if higher) and said
    to be "about" that, until a short last page shows its end. On a database without an
    estimate, a long list is counted exactly."""

    exact_up_to = EXACT_UP_TO
    count_ms = COUNT_MS
    trust_estimate_over = TRUST_ESTIMATE_OVER
    estimated = False

    @cached_property
    def count(self) -> int:
        object_list = self.object_list
        if not isinstance(object_list, QuerySet):
            return super().count
        estimate = planner_rows(object_list)
        if estimate is not None and estimate > self.trust_estimate_over:
            # Far beyond the cap (the whole table, a site's share of it): even a count that
            # stops at the cap would only say what the estimate says.
            self.estimated = True
            return estimate
        capped = self._capped_count(object_list)
        if capped is not None and capped <= self.exact_up_to:
            return capped
        if estimate is None:
            return object_list.count()
        self.estimated = True
        # Never under exact_up_to + 1: a short count would let the admin list every row at
        # once ("Show all", or a single page without a LIMIT).
        return max(estimate, self.exact_up_to + 1)

    def _capped_count(self, object_list: QuerySet[Any]) -> int | None:
        """The rows up to exact_up_to + 1 (a COUNT over a LIMITed query, which the database
        stops at the limit); None when that took longer than count_ms on PostgreSQL."""
        capped = object_list.order_by()[: self.exact_up_to + 1]
        connection = connections[object_list.db]
        if connection.vendor != "postgresql":
            return capped.count()
        try:
            # In a savepoint: the timeout goes with it, and a cancelled count leaves the
            # request's transaction (if any) usable.
            with transaction.atomic(using=object_list.db), connection.cursor() as cursor:
                cursor.execute(
                    "SELECT current_setting('statement_timeout'), "
                    "set_config('statement_timeout', %s, true)",
                    [f"{self.count_ms}ms"],
                )
                before = cursor.fetchone()[0]
                count = capped.count()
                # Back as it was (a savepoint released inside a transaction would keep it).
                cursor.execute("SELECT set_config('statement_timeout', %s, true)", [before])
                return count
        except OperationalError:
            return None

    @cached_property
    def num_pages(self) -> int:
        count = self.count
        if self.estimated:
            count = self.exact_up_to
        if count == 0 and not self.allow_empty_first_page:
            return 0
        hits = max(1, count - self.orphans)
        return math.ceil(hits / self.per_page)

    def page(self, number: Any) -> Page:
        """The page; when the count was a guess and this page is a short one, the list ends
        here, and its count is now known (a rare word searched: the count ran out of time,
        the page shows the 3 rows found)."""
        page = super().page(number)
        if self.estimated and isinstance(page.object_list, QuerySet):
            rows = len(page.object_list)  # read now, kept: the admin shows these rows
            if rows < self.per_page and (rows or page.number == 1):
                self.__dict__["count"] = (page.number - 1) * self.per_page + rows
                self.__dict__["num_pages"] = page.number
                self.estimated = False
        return page

    @property
    def paged_rows(self) -> int:
        """How many rows the pages reach: all of them, unless the count is an estimate."""
        return self.exact_up_to if self.estimated else self.count


class ValuesFieldListFilter(AllValuesFieldListFilter):
    """A plain field's filter whose choices come from `values()` instead of a DISTINCT over
    the list's table; the value chosen now is always offered."""

    def __init__(
        self,
        field: models.Field[Any, Any],
        request: Any,
        params: dict[str, Any],
        model: type[models.Model],
        model_admin: Any,
        field_path: str,
    ) -> None:
        super().__init__(field, request, params, model, model_admin, field_path)
        lookup_val: Any = self.lookup_val or []
        chosen: list[Any] = [lookup_val] if isinstance(lookup_val, str) else list(lookup_val)
        found = {str(v) for v in self.values(request, model_admin) if v not in (None, "")}
        self.lookup_choices = sorted(found | {str(v) for v in chosen})  # type: ignore[assignment]

    def values(self, request: Any, model_admin: Any) -> Iterable[Any]:
        raise NotImplementedError


class RecentValuesFieldListFilter(ValuesFieldListFilter):
    """The values seen in the list's newest `recent_rows` rows (in the list's ordering): what
    is coming in, read off the ordering's index. A value found only in older rows is not
    offered, but its URL (`?field=value`) still filters, and offers it. The list's filters of
    this kind share one read of those rows per request."""

    recent_rows = RECENT_ROWS

    def values(self, request: Any, model_admin: Any) -> Iterable[Any]:
        key = (type(model_admin).__name__, self.recent_rows)
        shared: dict[Any, dict[str, set[Any]]] = request.__dict__.setdefault(
            "_masthead_recent_values", {}
        )
        if key not in shared:
            shared[key] = self._read(request, model_admin)
        return shared[key].get(self.field.attname, set())

    def _read(self, request: Any, model_admin: Any) -> dict[str, set[Any]]:
        fields = [self.field.attname]
        for spec in model_admin.get_list_filter(request):
            if isinstance(spec, tuple | list) and spec[1] is type(self):
                name = model_admin.model._meta.get_field(spec[0]).attname
                if name not in fields:
                    fields.append(name)
        queryset = model_admin.get_queryset(request)
        if not queryset.query.order_by and not queryset.query.default_ordering:
            queryset = queryset.order_by("-pk")
        recent = queryset.values_list(*fields)[: self.recent_rows]
        sql, params = recent.query.sql_with_params()
        found: dict[str, set[Any]] = {name: set() for name in fields}
        # DISTINCT over the newest rows in the database: a few rows come back, not thousands.
        with connections[queryset.db].cursor() as cursor:
            cursor.execute(f"SELECT DISTINCT * FROM ({sql}) recent", params)  # noqa: S608 (the ORM's SQL)
            for row in cursor.fetchall():
                for name, value in zip(fields, row, strict=True):
                    found[name].add(value)
        return found


def date_bar(cl: Any) -> dict[str, Any]:
    """The context of Django's `admin/date_hierarchy.html` for the list `cl`, its choices
    made from the first and last dates of the whole list (`cl.root_queryset`: one MIN/MAX,
    read off the date's index) rather than a DISTINCT over the rows: every year between them,
    every month of a year, every day of a month."""
    field_name = cl.date_hierarchy
    year_field, month_field, day_field = (f"{field_name}__{p}" for p in ("year", "month", "day"))

    def param(name: str) -> int | None:
        value = cl.params.get(name)
        if isinstance(value, list):
            value = value[-1] if value else None
        return int(value) if value is not None and str(value).isdigit() else None

    def link(filters: dict[str, Any]) -> str:
        return str(cl.get_query_string(filters, [f"{field_name}__"]))

    year, month, day = param(year_field), param(month_field), param(day_field)
    if year and month and day:
        chosen = datetime.date(year, month, day)
        return {
            "show": True,
            "back": {
                "link": link({year_field: year, month_field: month}),
                "title": capfirst(formats.date_format(chosen, "YEAR_MONTH_FORMAT")),
            },
            "choices": [{"title": capfirst(formats.date_format(chosen, "MONTH_DAY_FORMAT"))}],
        }
    span = cl.root_queryset.aggregate(first=models.Min(field_name), last=models.Max(field_name))
    first, last = span["first"], span["last"]
    if first is None or last is None:
        return {"show": False}
    first, last = (_local_date(v) for v in (first, last))
    if not year and first.year == last.year:
        year = first.year
        if first.month == last.month:
            month = first.month
    if year and month:
        days = calendar.monthrange(year, month)[1]
        dates = [datetime.date(year, month, d) for d in range(1, days + 1)]
        return {
            "show": True,
            "back": {"link": link({year_field: year}), "title": str(year)},
            "choices": [
                {
                    "link": link({year_field: year, month_field: month, day_field: d.day}),
                    "title": capfirst(formats.date_format(d, "MONTH_DAY_FORMAT")),
                }
                for d in dates
                if first <= d <= last
            ],
        }
    if year:
        months = [datetime.date(year, m, 1) for m in range(1, 13)]
        return {
            "show": True,
            "back": {"link": link({}), "title": _("All dates")},
            "choices": [
                {
                    "link": link({year_field: year, month_field: m.month}),
                    "title": capfirst(formats.date_format(m, "YEAR_MONTH_FORMAT")),
                }
                for m in months
                if first.replace(day=1) <= m <= last
            ],
        }
    return {
        "show": True,
        "back": None,
        "choices": [
            {"link": link({year_field: str(y)}), "title": str(y)}
            for y in range(first.year, last.year + 1)
        ],
    }


def _local_date(value: datetime.date | datetime.datetime) -> datetime.date:
    if isinstance(value, datetime.datetime):
        if timezone.is_aware(value):
            value = timezone.localtime(value)
        return value.date()
    return value
