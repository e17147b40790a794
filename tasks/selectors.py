"""Page-sized reads for the committee dashboards. The page and its Excel
export call these same functions, so their numbers cannot differ.

Every read is set-based: one SQL statement over the tasks of a directive
(and its plans) in a subtree of the unit tree, grouped where needed by the
child-level prefix of the lead unit's materialised path. Timeliness is the
one annotation of ``tasks.querysets`` (``with_timeliness``); counts are
conditional aggregates over it. No query runs per unit, per person or per
row.

Definitions the pages print next to the numbers:

* **Tasks of the period**: tasks of the directive and its plans whose
  deadline that counts (the latest approved one) falls in the period;
  cancelled tasks are left out of every class and rate (they are counted
  apart).
* **Fallen due** (đã đến hạn): tasks of the period whose deadline is before
  today, and so has passed.
* **Completion rate** (as the Government Office reports it): tasks done,
  on time or late, ÷ tasks fallen due.
* **On-time rate** (strict): tasks done on or before their deadline ÷ tasks
  fallen due. The directive's target for both is 100%.
"""

import datetime
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from functools import cached_property

from django.db import connection
from django.db.models import (
    BooleanField,
    Case,
    CharField,
    Count,
    DateField,
    F,
    Q,
    Value,
    When,
    Window,
)
from django.db.models.functions import StrIndex, Substr, TruncMonth
from django.http import Http404
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from config.side_reads import Deferred, run_aside
from units.models import Unit, User
from units.scope import collapse_paths
from units.sql import fetch_models, fetch_rows, subtree_pattern
from units.succession import NO_ROLLUP, Rollup

from . import rollups
from .choices import (
    DONE_TIMELINESS,
    OPEN_STATUSES,
    TaskStatus,
    Timeliness,
    TransferStatus,
)
from .models import Task, Transfer
from .querysets import due_soon_boundary

STEP = Unit.steplen
DAY = datetime.timedelta(days=1)
TARGET_PERCENT = 100
CLASSES = tuple(Timeliness.values)
DONE = TaskStatus.DONE
CANCELLED = TaskStatus.CANCELLED


# --- what is asked ---------------------------------------------------------------


class PeriodKind:
    MONTH = "month"
    QUARTER = "quarter"
    YEAR = "year"
    CUSTOM = "custom"

    choices = [
        (MONTH, _("Tháng")),
        (QUARTER, _("Quý")),
        (YEAR, _("Năm")),
        (CUSTOM, _("Tùy chọn")),
    ]


ROMAN = {1: "I", 2: "II", 3: "III", 4: "IV"}


@dataclass(frozen=True)
class Period:
    """A span of days, both ends included."""

    kind: str
    start: datetime.date
    end: datetime.date

    @classmethod
    def month(cls, year: int, month: int) -> "Period":
        start = datetime.date(year, month, 1)
        return cls(PeriodKind.MONTH, start, _month_end(start))

    @classmethod
    def quarter(cls, year: int, quarter: int) -> "Period":
        start = datetime.date(year, 3 * quarter - 2, 1)
        end = _month_end(datetime.date(year, 3 * quarter, 1))
        return cls(PeriodKind.QUARTER, start, end)

    @classmethod
    def year(cls, year: int) -> "Period":
        return cls(
            PeriodKind.YEAR, datetime.date(year, 1, 1), datetime.date(year, 12, 31)
        )

    @property
    def quarter_number(self) -> int:
        """1–4: the quarter the period starts in."""
        return (self.start.month + 2) // 3

    @property
    def label(self) -> str:
        if self.kind == PeriodKind.MONTH:
            return _("Tháng %(m)02d/%(y)s") % {
                "m": self.start.month,
                "y": self.start.year,
            }
        if self.kind == PeriodKind.QUARTER:
            return _("Quý %(q)s/%(y)s") % {
                "q": ROMAN[self.quarter_number],
                "y": self.start.year,
            }
        if self.kind == PeriodKind.YEAR:
            return _("Năm %(y)s") % {"y": self.start.year}
        return _("Từ %(a)s đến %(b)s") % {
            "a": self.start.strftime("%d/%m/%Y"),
            "b": self.end.strftime("%d/%m/%Y"),
        }


def _month_end(day: datetime.date) -> datetime.date:
    first_next = (day.replace(day=28) + 4 * DAY).replace(day=1)
    return first_next - DAY


@dataclass(frozen=True)
class DashboardQuery:
    """What a dashboard shows: the directive family, the period, the node of
    the unit tree (``path`` "" and ``depth`` 0 for every root at once) and
    the day the timeliness is computed for."""

    directive_ids: tuple[int, ...]
    period: Period
    path: str
    depth: int
    today: datetime.date
    # The unit at ``path`` (None for every root at once): the dashboard
    # cells are read by unit.
    node_id: int | None = None
    # Closed units whose record counts in their successor's (the current
    # period's tree, units.succession); empty for a past period.
    rollup: Rollup = field(default=NO_ROLLUP, compare=False)

    @property
    def tree_days(self) -> tuple[datetime.date, datetime.date]:
        """The days whose tree the dashboard shows: today's for a period
        that runs to today or beyond, else the period's (units that
        existed on some day of it)."""
        if self.period.end >= self.today:
            return self.today, self.today
        return self.period.start, self.period.end

    @property
    def rolled(self) -> bool:
        """Whether the roll-up changes anything at this node."""
        return bool(self.rollup) and self.rollup.touches(self.path)

    @property
    def child_prefix_length(self) -> int:
        return (self.depth + 1) * STEP

    @property
    def due_end(self) -> datetime.date:
        """The last deadline that has fallen due: the period's end, or
        yesterday when the period runs past today."""
        return min(self.period.end, self.today - DAY)

    @property
    def has_due(self) -> bool:
        return self.due_end >= self.period.start


def _subtree(qs, query: DashboardQuery, prefix: str = "lead_unit__"):
    if query.path and query.rolled:
        return qs.filter(query.rollup.subtree_q(query.path, prefix))
    if query.path:
        return qs.filter(**{f"{prefix}path__startswith": query.path})
    return qs


def family_tasks(query: DashboardQuery):
    """Every task of the directive family in the subtree (no period)."""
    qs = Task.objects.filter(directive_id__in=query.directive_ids)
    return _subtree(qs, query)


def period_tasks(query: DashboardQuery):
    """Tasks of the period (cancelled ones included: the counts leave them
    out of the classes), with the one timeliness annotation."""
    qs = family_tasks(query).filter(
        deadline__gte=query.period.start, deadline__lte=query.period.end
    )
    return qs.with_timeliness(query.today)


# --- counts ------------------------------------------------------------------------


def _percent(numerator: int, denominator: int) -> Decimal | None:
    if not denominator:
        return None
    value = Decimal(100 * numerator) / Decimal(denominator)
    return value.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


@dataclass
class Counts:
    """Tasks of the period in each timeliness class, and what the rates
    need. ``due_*`` count the tasks fallen due."""

    on_track: int = 0
    due_soon: int = 0
    overdue: int = 0
    done_on_time: int = 0
    done_late: int = 0
    cancelled: int = 0
    due: int = 0
    due_done_on_time: int = 0
    due_waiting: int = 0
    hard: int = 0
    hard_overdue: int = 0
    hard_done: int = 0
    extended: int = 0  # tasks with an approved extension
    moved: int = 0  # tasks moved to another unit or handed back at least once

    FIELDS = (
        "on_track",
        "due_soon",
        "overdue",
        "done_on_time",
        "done_late",
        "cancelled",
        "due",
        "due_done_on_time",
        "due_waiting",
        "hard",
        "hard_overdue",
        "hard_done",
        "extended",
        "moved",
    )

    @property
    def any(self) -> bool:
        """Whether there is anything to count (cancelled work included)."""
        return any(getattr(self, name) for name in self.FIELDS)

    def add(self, other: "Counts") -> None:
        for name in self.FIELDS:
            setattr(self, name, getattr(self, name) + getattr(other, name))

    def klass(self, name: str) -> int:
        return getattr(self, name)

    @property
    def total(self) -> int:
        return (
            self.on_track
            + self.due_soon
            + self.overdue
            + self.done_on_time
            + self.done_late
        )

    @property
    def done(self) -> int:
        return self.done_on_time + self.done_late

    @property
    def due_done(self) -> int:
        # Late work is always past its deadline, so all of it has fallen due.
        return self.due_done_on_time + self.done_late

    @property
    def completion_rate(self) -> Decimal | None:
        return _percent(self.due_done, self.due)

    @property
    def on_time_rate(self) -> Decimal | None:
        return _percent(self.due_done_on_time, self.due)

    @property
    def completion_gap(self) -> Decimal | None:
        rate = self.completion_rate
        return None if rate is None else Decimal(TARGET_PERCENT) - rate

    @property
    def on_time_gap(self) -> Decimal | None:
        rate = self.on_time_rate
        return None if rate is None else Decimal(TARGET_PERCENT) - rate


def _count_aggregates(today: datetime.date) -> dict:
    """Conditional aggregates over the ``timeliness`` annotation."""
    passed = Q(deadline__lt=today)
    live = ~Q(status=CANCELLED)
    aggregates = {klass: Count("pk", filter=Q(timeliness=klass)) for klass in CLASSES}
    aggregates.update(
        cancelled=Count("pk", filter=Q(status=CANCELLED)),
        due=Count("pk", filter=passed & live),
        due_done_on_time=Count(
            "pk", filter=passed & Q(timeliness=Timeliness.DONE_ON_TIME)
        ),
        due_waiting=Count("pk", filter=passed & Q(timeliness=Timeliness.ON_TRACK)),
        hard=Count("pk", filter=Q(is_hard=True) & live),
        hard_overdue=Count("pk", filter=Q(is_hard=True, timeliness=Timeliness.OVERDUE)),
        hard_done=Count(
            "pk",
            filter=Q(is_hard=True, timeliness__in=list(DONE_TIMELINESS)),
        ),
    )
    return aggregates


def _counts_from(row: dict) -> Counts:
    return Counts(**{name: row.get(name) or 0 for name in Counts.FIELDS})


@dataclass
class UnitRow:
    """One line of the unit table: a child unit and its whole subtree, or the
    tasks the node's own unit leads (``own``)."""

    unit_id: int | None
    name: str
    path: str
    is_active: bool = True
    has_children: bool = False
    own: bool = False
    counts: Counts = field(default_factory=Counts)
    rank: int | None = None
    # closed units whose record this row counts (units.succession)
    rolled_from: list[str] = field(default_factory=list)


@dataclass
class UnitTable:
    rows: list[UnitRow]
    total: Counts


def unit_table(query: DashboardQuery, children: list[Unit]) -> UnitTable:
    """Counts per child of the node (each child's whole subtree), plus the
    tasks the node itself leads, and the node's total: from the dashboard
    cells where they are kept (PostgreSQL), else from the tasks."""
    if _use_cells(query):
        by_prefix = _unit_counts_from_cells(query, children)
    else:
        by_prefix = _unit_counts_from_tasks(query)
    return _unit_table(query, children, by_prefix)


def _use_cells(query: DashboardQuery) -> bool:
    return rollups.cells_enabled() and (query.node_id is not None or not query.path)


def _counts_from_groups(groups) -> tuple[Counts, int]:
    """``Counts`` from cells grouped by state, hardness and where the
    deadline lies from today ("past": before today, "soon": the due-soon
    days, "later") — the timeliness CASE of tasks.querysets, applied to
    groups of tasks at once. Also the number of tasks, cancelled included."""
    c, total = Counts(), 0
    for bucket, hard, when, n, extended, moved in groups:
        total += n
        if bucket == "cancelled":
            c.cancelled += n
            continue
        past = when == "past"
        if bucket == "open":
            klass = {"past": "overdue", "soon": "due_soon"}.get(when, "on_track")
        elif bucket == "waiting":
            klass = "on_track"
        else:
            klass = bucket  # done_on_time, done_late
        setattr(c, klass, getattr(c, klass) + n)
        if past:
            c.due += n
            if bucket == "done_on_time":
                c.due_done_on_time += n
            elif bucket == "waiting":
                c.due_waiting += n
        if hard:
            c.hard += n
            if klass == "overdue":
                c.hard_overdue += n
            elif bucket in ("done_on_time", "done_late"):
                c.hard_done += n
        c.extended += extended
        c.moved += moved
    return c, total


def split_period(period: Period, today: datetime.date, soon: datetime.date):
    """The period as whole months today cannot split — wholly before today,
    or wholly after the last "due soon" day — and the ranges of days left
    (months cut by the period's ends, and the months of today and of the
    due-soon days). A month cell answers for the first, day cells for the
    second; together they cover each day of the period once."""
    months, days = [], []
    start = period.start
    while start <= period.end:
        month_start = start.replace(day=1)
        month_end = _month_end(month_start)
        end = min(month_end, period.end)
        whole = start == month_start and end == month_end
        if whole and (month_end < today or month_start > soon):
            months.append(month_start)
        elif days and days[-1][1] == start - DAY:
            days[-1] = (days[-1][0], end)
        else:
            days.append((start, end))
        start = end + DAY
    return months, days


def _add_scaled(target: Counts, counts: Counts, factor: int) -> None:
    for name in Counts.FIELDS:
        setattr(target, name, getattr(target, name) + factor * getattr(counts, name))


def _unit_counts_from_cells(query: DashboardQuery, children: list[Unit]) -> dict:
    """One query over the cells of the node, its children and any closed
    units whose record moves (month cells for whole months today cannot
    split, day cells for the other days). Each row, and the node's total,
    is a signed sum of whole subtrees (``Rollup.region_coefficients``: the
    unit's own subtree alone unless records move, units.succession); what
    the node leads itself is its total less its children's rows."""
    rollup = query.rollup if query.rolled else NO_ROLLUP
    ids = {**rollup.ids, **{c.path: c.pk for c in children}}
    shapes = {c.path: rollup.region_coefficients(c.path) for c in children}
    node_shape = {}
    if query.node_id is not None:
        ids[query.path] = query.node_id
        node_shape = rollup.region_coefficients(query.path)
    paths = {p for shape in (*shapes.values(), node_shape) for p in shape}
    groups = _cell_groups(query, [ids[p] for p in paths])
    subtrees = {p: _counts_from_groups(groups.get(ids[p], [])) for p in paths}

    def combine(shape) -> tuple[Counts, int]:
        counts, total = Counts(), 0
        for p, factor in shape.items():
            _add_scaled(counts, subtrees[p][0], factor)
            total += factor * subtrees[p][1]
        return counts, total

    by_prefix = {}
    own, own_total = combine(node_shape)
    for child in children:
        counts, total = combine(shapes[child.path])
        if total:
            by_prefix[child.path] = counts
            own_total -= total
            _add_scaled(own, counts, -1)
    if node_shape and own_total:
        by_prefix[query.path] = own
    return by_prefix


def _cell_groups(query: DashboardQuery, nodes: list[int]) -> dict[int, list]:
    """The cells of these nodes over the period, grouped by node, state,
    hardness and where the deadline lies from today: one query."""
    soon = due_soon_boundary(query.today)
    months, days = split_period(query.period, query.today, soon)
    params = dict(
        nodes=nodes,
        directives=list(query.directive_ids),
        months=months,
        today=query.today,
        soon=soon,
    )
    ranges = []
    for n, (first, last) in enumerate(days):
        params[f"a{n}"], params[f"b{n}"] = first, last
        ranges.append(f"deadline BETWEEN %(a{n})s AND %(b{n})s")
    # A month cell stands at its first day: the whole month lies on one side
    # of today and of "soon", so its first day tells where all of it lies.
    sql = f"""
        SELECT node_id, bucket, is_hard,
               CASE WHEN deadline < %(today)s THEN 'past'
                    WHEN deadline <= %(soon)s THEN 'soon' ELSE 'later' END,
               sum(tasks), sum(extended), sum(moved)
        FROM (
            SELECT node_id, deadline_month AS deadline, bucket, is_hard, tasks,
                   extended, moved
            FROM tasks_dashboardmonthcell
            WHERE node_id = ANY(%(nodes)s) AND directive_id = ANY(%(directives)s)
              AND deadline_month = ANY(%(months)s::date[])
            UNION ALL
            SELECT node_id, deadline, bucket, is_hard, tasks, extended, moved
            FROM tasks_dashboarddaycell
            WHERE node_id = ANY(%(nodes)s) AND directive_id = ANY(%(directives)s)
              AND ({" OR ".join(ranges) or "FALSE"})
        ) cells
        GROUP BY 1, 2, 3, 4
    """
    groups: dict[int, list] = {}
    for node, *group in fetch_rows(sql, params):
        groups.setdefault(node, []).append(group)
    return groups


def _unit_counts_from_tasks(query: DashboardQuery) -> dict:
    """One query: the classes grouped by the child-level path prefix."""
    length = query.child_prefix_length
    live = ~Q(status=CANCELLED)
    place = query.rollup.effective_path() if query.rolled else F("lead_unit__path")
    grouped = (
        period_tasks(query)
        .annotate(grp=Substr(place, 1, length))
        .values("grp")
        .annotate(
            **_count_aggregates(query.today),
            extended=Count("pk", filter=live & Q(extension_count__gt=0)),
            moved=Count("pk", filter=live & Q(transfer_count__gt=0)),
        )
        .order_by()
    )
    return {row["grp"]: _counts_from(row) for row in grouped}


def _unit_table(query: DashboardQuery, children: list[Unit], by_prefix) -> UnitTable:
    rows = []
    if query.path and query.path in by_prefix:
        rows.append(
            UnitRow(
                unit_id=None,
                name="",
                path=query.path,
                own=True,
                counts=by_prefix[query.path],
            )
        )
    first, last = query.tree_days
    for child in children:
        counts = by_prefix.get(child.path)
        in_tree = (child.valid_from is None or child.valid_from <= last) and (
            child.valid_to is None or child.valid_to >= first
        )
        if not in_tree and (counts is None or not counts.any):
            # Not in the tree of the period, and nothing of it to count.
            continue
        rows.append(
            UnitRow(
                unit_id=child.pk,
                name=child.name,
                path=child.path,
                is_active=child.is_active and in_tree,
                has_children=child.numchild > 0,
                counts=counts or Counts(),
                rolled_from=(
                    query.rollup.names.get(child.pk, []) if query.rolled else []
                ),
            )
        )
    total = Counts()
    for counts in by_prefix.values():
        total.add(counts)
    _rank([r for r in rows if not r.own])
    return UnitTable(rows=rows, total=total)


def rank_key(row: UnitRow):
    """Best first: strict on-time rate, then completion rate, then fewest
    overdue; units with nothing fallen due are not ranked."""
    c = row.counts
    return (-(c.on_time_rate or 0), -(c.completion_rate or 0), c.overdue, row.name)


def _rank(rows: list[UnitRow]) -> None:
    ranked = sorted((r for r in rows if r.counts.due), key=rank_key)
    previous, rank = None, 0
    for position, row in enumerate(ranked, start=1):
        key = (row.counts.on_time_rate, row.counts.completion_rate, row.counts.overdue)
        if key != previous:
            rank, previous = position, key
        row.rank = rank


# --- trend -------------------------------------------------------------------------


@dataclass
class TrendMonth:
    start: datetime.date
    end: datetime.date
    done_on_time: int
    done_late: int
    overdue_at_end: int
    as_of: datetime.date

    @property
    def label(self) -> str:
        return self.start.strftime("%m/%Y")

    @property
    def done(self) -> int:
        return self.done_on_time + self.done_late


def trend_months(query: DashboardQuery, count: int = 12) -> list[tuple]:
    """The ``count`` months that end with the period's last month (or this
    month, when the period runs into the future)."""
    last = min(query.period.end, query.today).replace(day=1)
    months = []
    for _step in range(count):
        months.append((last, _month_end(last)))
        last = (last - DAY).replace(day=1)
    return months[::-1]


@dataclass
class Trend:
    months: list[TrendMonth]
    backlog: int  # open overdue work with a deadline up to the period's end


def trend(query: DashboardQuery, count: int = 12) -> Trend:
    """Per month: work completed that month on time and late (by the
    timeliness class), and work overdue once the month was over (for the
    current month: overdue today, the timeliness class); and the size of
    the overdue backlog. Not limited to the period's deadlines, since it
    follows time.

    One query: the ``UNION ALL`` of two small ``GROUP BY`` over disjoint
    rows, each of which an index can serve — work completed since the first
    month (by completion month, deadline month and class), and work not yet
    completed, cancelled work left out (by deadline month, the month of an
    on-time submission still waiting for approval, class, and whether the
    deadline falls by the period's end). The months are then counted from
    those groups: a task was overdue at the end of month M when its deadline
    month is M or earlier and it was neither completed nor submitted on
    time by the end of M. That reads the past back from what the task rows
    keep, with today's deadline (after any extension approved since)."""
    months = trend_months(query, count)
    first, last = months[0][0], months[-1][1]
    if rollups.cells_enabled() and query.node_id is not None:
        rows, overdue_now, backlog = _trend_rows_from_cells(query, first, last)
    else:
        rows, overdue_now, backlog = _trend_rows_from_tasks(query, first, last)
    starts = [start for start, _end in months]
    on_time = dict.fromkeys(starts, 0)
    late = dict.fromkeys(starts, 0)
    overdue = dict.fromkeys(starts, 0)
    past = [start for start, end in months if end < query.today]
    if months[-1][1] >= query.today:
        overdue[months[-1][0]] += overdue_now
    for part, cm, dm, sm, klass, n in rows:
        if part == 0:
            if cm in on_time:
                if klass == Timeliness.DONE_ON_TIME:
                    on_time[cm] += n
                elif klass == Timeliness.DONE_LATE:
                    late[cm] += n
            for month in past:
                if dm <= month < cm:
                    overdue[month] += n
        else:
            for month in past:
                if dm <= month and (sm is None or sm > month):
                    overdue[month] += n
    return Trend(
        months=[
            TrendMonth(
                start=start,
                end=end,
                done_on_time=on_time[start],
                done_late=late[start],
                overdue_at_end=overdue[start],
                as_of=min(end, query.today),
            )
            for start, end in months
        ],
        backlog=backlog,
    )


_TREND_SQL = """
    SELECT 0, completed_month, deadline_month, NULL::date, bucket, sum(tasks)
    FROM tasks_dashboardmonthcell
    WHERE node_id = %(node)s AND directive_id = ANY(%(directives)s)
      AND completed_month >= %(first)s
    GROUP BY 2, 3, 5
    UNION ALL
    SELECT 1, NULL::date, deadline_month, waiting_month, bucket, sum(tasks)
    FROM tasks_dashboardmonthcell
    WHERE node_id = %(node)s AND directive_id = ANY(%(directives)s)
      AND bucket IN ('open', 'waiting') AND deadline_month <= %(last)s
    GROUP BY 3, 4, 5
    UNION ALL
    SELECT 2, NULL::date, NULL::date, NULL::date, NULL, coalesce(sum(tasks), 0)
    FROM (
        SELECT tasks FROM tasks_dashboardmonthcell
        WHERE node_id = %(node)s AND directive_id = ANY(%(directives)s)
          AND bucket = 'open' AND deadline_month < %(now_months)s
        UNION ALL
        SELECT tasks FROM tasks_dashboarddaycell
        WHERE node_id = %(node)s AND directive_id = ANY(%(directives)s)
          AND bucket = 'open' AND deadline BETWEEN %(now_from)s AND %(now_to)s
    ) overdue_now
    UNION ALL
    SELECT 3, NULL::date, NULL::date, NULL::date, NULL, coalesce(sum(tasks), 0)
    FROM (
        SELECT tasks FROM tasks_dashboardmonthcell
        WHERE node_id = %(node)s AND directive_id = ANY(%(directives)s)
          AND bucket = 'open' AND deadline_month < %(backlog_months)s
        UNION ALL
        SELECT tasks FROM tasks_dashboarddaycell
        WHERE node_id = %(node)s AND directive_id = ANY(%(directives)s)
          AND bucket = 'open'
          AND deadline BETWEEN %(backlog_from)s AND %(backlog_to)s
    ) backlog
"""

# The same over a signed sum of subtrees (a node whose numbers take in
# closed units' records and give away those taken over elsewhere,
# units.succession): each cell counts times its node's factor.
_ROLLED_TREND_SQL = (
    "WITH weights(node, factor) AS ("
    "SELECT * FROM unnest(%(nodes)s::int[], %(factors)s::int[]))"
    + _TREND_SQL.replace("bucket, sum(tasks)", "bucket, sum(tasks * w.factor)")
    .replace("SELECT tasks FROM", "SELECT tasks * w.factor AS tasks FROM")
    .replace("tasks_dashboardmonthcell\n", "tasks_dashboardmonthcell {join}\n")
    .replace("tasks_dashboarddaycell\n", "tasks_dashboarddaycell {join}\n")
    .replace("node_id = %(node)s", "TRUE")
    .format(join="JOIN weights w ON w.node = node_id")
)

_BUCKET_CLASS = {
    "done_on_time": Timeliness.DONE_ON_TIME,
    "done_late": Timeliness.DONE_LATE,
}


def _trend_rows_from_cells(query: DashboardQuery, first, last):
    """One query over the node's month cells (work done since the first
    month; work not yet done) and cells of open work overdue today, and how
    much of it falls due by the period's end."""
    params = dict(
        node=query.node_id,
        directives=list(query.directive_ids),
        first=first,
        last=last,
    )
    # Open work with a deadline up to a day: month cells for the months that
    # end by then, day cells for the rest of that day's month.
    for name, upto in (
        ("now", min(query.today - DAY, last)),
        ("backlog", min(query.today - DAY, last, query.period.end)),
    ):
        whole = upto == _month_end(upto)
        params[f"{name}_months"] = upto + DAY if whole else upto.replace(day=1)
        params[f"{name}_from"] = upto + DAY if whole else upto.replace(day=1)
        params[f"{name}_to"] = upto
    sql = _TREND_SQL
    if query.rolled:
        ids = {**query.rollup.ids, query.path: query.node_id}
        shape = query.rollup.region_coefficients(query.path)
        params["nodes"] = [ids[p] for p in shape]
        params["factors"] = list(shape.values())
        sql = _ROLLED_TREND_SQL
    rows, overdue_now, backlog = [], 0, 0
    for part, cm, dm, sm, bucket, n in fetch_rows(sql, params):
        if part == 2:
            overdue_now = n
        elif part == 3:
            backlog = n
        else:
            rows.append((part, cm, dm, sm, _BUCKET_CLASS.get(bucket), n))
    return rows, overdue_now, backlog


def _trend_rows_from_tasks(query: DashboardQuery, first, last):
    """The same rows counted from the tasks (no cells: SQLite)."""
    no_month = Value(None, output_field=DateField())
    done = family_tasks(query).filter(completed_on__gte=first)
    open_ = (
        family_tasks(query)
        .filter(completed_on__isnull=True, deadline__lte=last)
        .exclude(status=CANCELLED)
    )
    waiting_since = Case(
        When(
            status=TaskStatus.SUBMITTED,
            submitted_on__lte=F("deadline"),
            then=TruncMonth("submitted_on"),
        ),
        default=no_month,
        output_field=DateField(),
    )
    by_period_end = Case(
        When(deadline__lte=query.period.end, then=Value(True)),
        default=Value(False),
        output_field=BooleanField(),
    )
    parts = [
        (done, TruncMonth("completed_on"), no_month, Value(False)),
        (open_, no_month, waiting_since, by_period_end),
    ]
    grouped = [
        qs.with_timeliness(query.today)
        .annotate(
            part=Value(n),
            cm=completed,
            dm=TruncMonth("deadline"),
            sm=waiting,
            inp=in_period,
        )
        .values("part", "cm", "dm", "sm", "inp", "timeliness")
        .annotate(n=Count("pk"))
        .order_by()
        for n, (qs, completed, waiting, in_period) in enumerate(parts)
    ]
    rows, overdue_now, backlog = [], 0, 0
    for row in grouped[0].union(grouped[1], all=True).order_by():
        for key in ("cm", "dm", "sm"):
            # DATE_TRUNC gives a timestamp; the months here are dates.
            if isinstance(row[key], datetime.datetime):
                row[key] = row[key].date()
        klass, n = row["timeliness"], row["n"]
        if row["part"] == 1 and klass == Timeliness.OVERDUE:
            overdue_now += n
            if row["inp"]:
                backlog += n
        rows.append((row["part"], row["cm"], row["dm"], row["sm"], klass, n))
    return rows, overdue_now, backlog


# --- lists ------------------------------------------------------------------------


@dataclass
class TaskLine:
    pk: int
    title: str
    unit: str
    unit_id: int
    assignee: str
    deadline: datetime.date
    status: str
    timeliness: str | None
    days_overdue: int = 0
    is_hard: bool = False
    path: list[str] = field(default_factory=list)
    hops: int = 0
    url: str = ""


@dataclass
class TaskList:
    lines: list[TaskLine]
    total: int


# The columns of a line, read as plain rows: a list of ten holds no model
# instances (a deferred Task and two related objects per row cost more than
# the query on a dashboard).
LINE_VALUES = (
    "pk",
    "title",
    "lead_unit__name",
    "lead_unit_id",
    "assignee__full_name",
    "assignee__first_name",
    "assignee__last_name",
    "assignee__username",
    "deadline",
    "status",
    "is_hard",
    "timeliness",
)


def detail_url_maker():
    """``pk -> the task's page``: reversed once, not once per line."""
    marker = 918273645
    template = reverse("tasks:detail", args=[marker])
    head, _sep, tail = template.partition(str(marker))
    return lambda pk: f"{head}{pk}{tail}"


def _lines(rows, query: DashboardQuery, *extra: str) -> list[TaskLine]:
    """Lines from ``values_list(*LINE_VALUES, *extra)`` rows; the extra
    columns are set on the line by name."""
    url = detail_url_maker()
    today = query.today
    lines = []
    for row in rows:
        (pk, title, unit, unit_id, full, first, last, username) = row[:8]
        deadline, status, is_hard, timeliness = row[8:12]
        days = (today - deadline).days if timeliness == Timeliness.OVERDUE else 0
        line = TaskLine(
            pk=pk,
            title=title,
            unit=unit,
            unit_id=unit_id,
            assignee=User.name_from(full, first, last, username),
            deadline=deadline,
            status=status,
            timeliness=timeliness,
            days_overdue=max(days, 0),
            is_hard=is_hard,
            url=url(pk),
        )
        # Columns after the named ones (an ordering key, a window count)
        # are not the line's.
        for name, value in zip(extra, row[12:], strict=False):
            setattr(line, name, value)
        lines.append(line)
    return lines


def backlog_tasks(query: DashboardQuery, limit: int | None = 10) -> list[TaskLine]:
    """Open overdue work whose deadline fell on or before the period's end,
    oldest deadline first. (How many there are comes with the trend.)"""
    if _lists_in_sql(query, limit):
        return _lines(_backlog_rows(query, limit), query)
    return _backlog_orm(query, limit)


def _backlog_orm(query: DashboardQuery, limit: int | None) -> list[TaskLine]:
    qs = (
        family_tasks(query)
        .filter(deadline__lte=query.period.end)
        .with_timeliness(query.today)
        .overdue()
        .order_by("deadline", "pk")
        .values_list(*LINE_VALUES)
    )
    return _lines(qs[:limit] if limit else qs, query)


URGENCY = {
    Timeliness.OVERDUE: 0,
    Timeliness.DUE_SOON: 1,
    Timeliness.ON_TRACK: 2,
    Timeliness.DONE_LATE: 3,
    Timeliness.DONE_ON_TIME: 4,
}


# The classes from the most urgent; a class's place in this text orders
# tasks by urgency with one reference to the timeliness annotation (a CASE
# per class would repeat the whole timeliness CASE in the SQL).
URGENCY_TEXT = " ".join(sorted(URGENCY, key=URGENCY.get))


def _urgency_of(klass: str) -> int:
    return URGENCY_TEXT.index(klass) + 1


def hard_tasks(query: DashboardQuery, limit: int | None = 10) -> list[TaskLine]:
    """Hard tasks (việc khó) of the period, the most urgent first: overdue,
    due soon, within deadline, then done late and done on time. (How many
    there are comes with the unit table.)"""
    if _lists_in_sql(query, limit):
        return _lines(_hard_rows(query, limit), query)
    return _hard_orm(query, limit)


def _hard_orm(query: DashboardQuery, limit: int | None) -> list[TaskLine]:
    urgency = StrIndex(Value(URGENCY_TEXT), F("timeliness"))
    hard = family_tasks(query).filter(
        is_hard=True,
        deadline__gte=query.period.start,
        deadline__lte=query.period.end,
    )
    order = ("urgency", "deadline", "pk")
    values = (*LINE_VALUES, "urgency")
    if not limit or not connection.features.supports_slicing_ordering_in_compound:
        # The export wants them all; SQLite cannot order the parts of a
        # UNION (its local use is small: one ordered query is enough).
        qs = (
            hard.exclude(status=CANCELLED)
            .with_timeliness(query.today)
            .annotate(urgency=urgency)
            .order_by(*order)
            .values_list(*values)
        )
        return _lines(qs[:limit] if limit else qs, query)
    # One query: the open ones (few), and the first of each kind of done
    # work in deadline order (the hard-task index stops at ``limit``); done
    # work is done late or on time by its filter (the timeliness CASE's
    # rule for done work), so it is not computed again row by row.
    done_parts = [
        hard.filter(status=DONE, **{lookup: F("deadline")})
        .annotate(
            timeliness=Value(klass, output_field=CharField()),
            urgency=Value(_urgency_of(klass)),
        )
        .order_by("deadline", "pk")
        .values_list(*values)[:limit]
        for lookup, klass in (
            ("completed_on__gt", Timeliness.DONE_LATE),
            ("completed_on__lte", Timeliness.DONE_ON_TIME),
        )
    ]
    open_part = (
        hard.filter(status__in=OPEN_STATUSES)
        .with_timeliness(query.today)
        .annotate(urgency=urgency)
        .order_by(*order)
        .values_list(*values)[:limit]
    )
    qs = open_part.union(*done_parts, all=True).order_by(*order)[:limit]
    return _lines(qs, query)


def buck_passing(query: DashboardQuery, limit: int | None = 10) -> TaskList:
    """Possible buck-passing (đùn đẩy): tasks of the period that moved
    between units more than once, or went back up (handed back to the
    assigner, or moved to a unit above the one that held them). Each with
    its path: the units it went through, in order.

    Two queries: the flagged tasks, found by their counters and counted
    with a window; then the hops of the tasks shown."""
    in_sql = _lists_in_sql(query, limit)
    rows = _buck_rows(query, limit) if in_sql else _buck_orm_rows(query, limit)
    total = rows[0][-1] if rows else 0
    lines = _lines(rows, query, "hops")
    if lines:
        shown = [line.pk for line in lines]
        hops = _hop_rows(shown) if in_sql else _hop_orm_rows(shown)
        paths: dict[int, list[str]] = {}
        for task_id, from_name, to_name in hops:
            path = paths.setdefault(task_id, [])
            if not path:
                path.append(from_name)
            path.append(to_name)
        for line in lines:
            line.path = paths.get(line.pk, [])
    return TaskList(lines, total)


def _hop_orm_rows(task_ids: list[int]) -> list[tuple]:
    """The moves of these tasks, in order: (task, from unit, to unit)."""
    return list(
        Transfer.objects.filter(status=TransferStatus.DONE, task_id__in=task_ids)
        .order_by("task_id", "requested_at", "pk")
        .values_list("task_id", "from_unit__name", "to_unit__name")
    )


def _buck_orm_rows(query: DashboardQuery, limit: int | None) -> list[tuple]:
    # The task's counters (tasks.rollups) say how often it moved and whether
    # it went back up; the partial index holds only such tasks.
    qs = (
        period_tasks(query)
        .exclude(status=CANCELLED)
        .filter(Q(transfer_count__gt=1) | Q(moved_up=True))
        .annotate(hops=F("transfer_count"), n_total=Window(Count("pk")))
        .order_by("-hops", "deadline", "pk")
        .values_list(*LINE_VALUES, "hops", "n_total")
    )
    return list(qs[:limit] if limit else qs)


# --- the three lists as SQL text (PostgreSQL) --------------------------------------
#
# The lists above, on PostgreSQL and for a tree without roll-ups, as SQL
# written out here: built through the ORM, each list cost more Python
# (building and compiling three joins, a UNION and the timeliness CASE)
# than its query took at 1,000,000 tasks. The timeliness CASE is still the
# ORM's one definition (tasks.querysets), compiled once per day. A test
# checks these against the ORM versions above on random data.


def _lists_in_sql(query: DashboardQuery, limit: int | None) -> bool:
    return bool(limit) and connection.vendor == "postgresql" and not query.rolled


_TIMELINESS_SQL: dict[tuple, tuple[str, tuple]] = {}


def _timeliness_sql(today: datetime.date) -> tuple[str, tuple]:
    """``timeliness_expression(today)`` as SQL over ``tasks_task``."""
    key = (today, due_soon_boundary(today))
    if key not in _TIMELINESS_SQL:
        qs = Task.objects.with_timeliness(today)
        compiler = qs.query.get_compiler(connection=connection)
        sql, params = compiler.compile(qs.query.annotations["timeliness"])
        if len(_TIMELINESS_SQL) > 8:
            _TIMELINESS_SQL.clear()
        _TIMELINESS_SQL[key] = (sql, tuple(params))
    return _TIMELINESS_SQL[key]


_LINE_FROM = """
    SELECT tasks_task.id, tasks_task.title, units_unit.name,
           tasks_task.lead_unit_id, units_user.full_name, units_user.first_name,
           units_user.last_name, units_user.username, tasks_task.deadline,
           tasks_task.status, tasks_task.is_hard, {timeliness}{extra}
    FROM tasks_task
    JOIN units_unit ON units_unit.id = tasks_task.lead_unit_id
    JOIN units_user ON units_user.id = tasks_task.assignee_id
    WHERE tasks_task.directive_id = ANY(%s){subtree}"""


def _line_select(query: DashboardQuery, timeliness: str, extra: str = ""):
    """The SELECT … FROM … WHERE of a list (directive family and subtree),
    with ``timeliness`` (SQL) as its twelfth column; and its parameters."""
    params: list = [list(query.directive_ids)]
    subtree = ""
    if query.path:
        subtree = " AND units_unit.path LIKE %s"
        params.append(subtree_pattern(query.path))
    sql = _LINE_FROM.format(timeliness=timeliness, extra=extra, subtree=subtree)
    return sql, params


def _backlog_rows(query: DashboardQuery, limit: int) -> list[tuple]:
    case, case_params = _timeliness_sql(query.today)
    select, params = _line_select(query, "%s")
    sql = (
        f"{select} AND tasks_task.deadline <= %s"
        " AND tasks_task.deadline < %s AND tasks_task.status = ANY(%s)"
        f" AND ({case}) = %s ORDER BY tasks_task.deadline, tasks_task.id LIMIT %s"
    )
    params = [
        Timeliness.OVERDUE,
        *params,
        query.period.end,
        query.today,
        list(OPEN_STATUSES),
        *case_params,
        Timeliness.OVERDUE,
        limit,
    ]
    return fetch_rows(sql, params)


def _hard_rows(query: DashboardQuery, limit: int) -> list[tuple]:
    case, case_params = _timeliness_sql(query.today)
    period = (
        " AND tasks_task.is_hard AND tasks_task.deadline >= %s"
        " AND tasks_task.deadline <= %s"
    )
    open_select, open_params = _line_select(query, case, extra=f", strpos(%s, {case})")
    parts = [
        f"({open_select}{period} AND tasks_task.status = ANY(%s)"
        " ORDER BY 13, tasks_task.deadline, tasks_task.id LIMIT %s)"
    ]
    params = [
        *case_params,
        URGENCY_TEXT,
        *case_params,
        *open_params,
        query.period.start,
        query.period.end,
        list(OPEN_STATUSES),
        limit,
    ]
    for compare, klass in (
        (">", Timeliness.DONE_LATE),
        ("<=", Timeliness.DONE_ON_TIME),
    ):
        done_select, done_params = _line_select(query, "%s", extra=", %s")
        parts.append(
            f"({done_select}{period} AND tasks_task.status = %s"
            f" AND tasks_task.completed_on {compare} tasks_task.deadline"
            " ORDER BY tasks_task.deadline, tasks_task.id LIMIT %s)"
        )
        params += [
            klass,
            _urgency_of(klass),
            *done_params,
            query.period.start,
            query.period.end,
            DONE,
            limit,
        ]
    sql = " UNION ALL ".join(parts) + " ORDER BY 13, 9, 1 LIMIT %s"
    return fetch_rows(sql, [*params, limit])


def _buck_rows(query: DashboardQuery, limit: int) -> list[tuple]:
    case, case_params = _timeliness_sql(query.today)
    select, params = _line_select(
        query, case, extra=", tasks_task.transfer_count, count(*) OVER ()"
    )
    sql = (
        f"{select} AND tasks_task.deadline >= %s AND tasks_task.deadline <= %s"
        " AND tasks_task.status <> %s"
        " AND (tasks_task.transfer_count > 1 OR tasks_task.moved_up)"
        " ORDER BY tasks_task.transfer_count DESC, tasks_task.deadline,"
        " tasks_task.id LIMIT %s"
    )
    params = [
        *case_params,
        *params,
        query.period.start,
        query.period.end,
        CANCELLED,
        limit,
    ]
    return fetch_rows(sql, params)


def _hop_rows(task_ids: list[int]) -> list[tuple]:
    return fetch_rows(
        """
        SELECT tasks_transfer.task_id, source.name, target.name
        FROM tasks_transfer
        JOIN units_unit source ON source.id = tasks_transfer.from_unit_id
        JOIN units_unit target ON target.id = tasks_transfer.to_unit_id
        WHERE tasks_transfer.status = %s AND tasks_transfer.task_id = ANY(%s)
        ORDER BY tasks_transfer.task_id, tasks_transfer.requested_at,
                 tasks_transfer.id""",
        [TransferStatus.DONE, task_ids],
    )


# --- people -----------------------------------------------------------------------


@dataclass
class PersonRow:
    user_id: int
    name: str
    assigned: int
    done_on_time: int
    done_late: int
    overdue: int

    @property
    def on_time_share(self) -> Decimal | None:
        return _percent(
            self.done_on_time, self.done_on_time + self.done_late + self.overdue
        )


@dataclass
class People:
    rows: list[PersonRow]
    total: int


def people(query: DashboardQuery, limit: int | None = 50) -> People:
    """Each assignee's record over the tasks of the period in the subtree:
    tasks assigned (not cancelled), done on time, done late, overdue. Those
    with most overdue, then most late work first.

    Two queries: the records grouped by assignee alone (a hash aggregate
    over the task index, with a window count of people), then the names of
    the people shown."""
    qs = (
        period_tasks(query)
        .exclude(status=CANCELLED)
        .values("assignee_id")
        .annotate(
            assigned=Count("pk"),
            on_time=Count("pk", filter=Q(timeliness=Timeliness.DONE_ON_TIME)),
            late=Count("pk", filter=Q(timeliness=Timeliness.DONE_LATE)),
            overdue=Count("pk", filter=Q(timeliness=Timeliness.OVERDUE)),
            n_total=Window(Count("*")),
        )
        .order_by("-overdue", "-late", "-assigned", "assignee_id")
    )
    rows = list(qs[:limit] if limit else qs)
    total = rows[0]["n_total"] if rows else 0
    names = {}
    if rows:
        names = {
            pk: full_name or username
            for pk, full_name, username in User.objects.filter(
                pk__in=[r["assignee_id"] for r in rows]
            ).values_list("pk", "full_name", "username")
        }
    return People(
        [
            PersonRow(
                user_id=r["assignee_id"],
                name=names.get(r["assignee_id"], ""),
                assigned=r["assigned"],
                done_on_time=r["on_time"],
                done_late=r["late"],
                overdue=r["overdue"],
            )
            for r in rows
        ],
        total,
    )


# --- where the dashboard stands: the node of the tree -----------------------------


@dataclass
class Node:
    """Where the dashboard stands: a unit, or every root at once (``unit``
    None, for superusers when the tree has several roots)."""

    unit: Unit | None
    children: list[Unit]
    breadcrumb: list[Unit]
    tops: list[Unit]

    @property
    def path(self) -> str:
        return self.unit.path if self.unit else ""

    @property
    def depth(self) -> int:
        return self.unit.depth if self.unit else 0

    @property
    def name(self) -> str:
        return self.unit.name if self.unit else _("Tất cả đơn vị")


# The few rows every dashboard reads before its numbers, written out (the
# ORM's building and compiling of each cost several times the query).
UNIT_FIELDS = (
    "id",
    "path",
    "depth",
    "numchild",
    "name",
    "is_active",
    "valid_from",
    "valid_to",
)
UNIT_SQL = f"SELECT {', '.join(UNIT_FIELDS)} FROM units_unit"
DIRECTIVES_SQL = (
    "SELECT id, number, title, parent_id, status, kind"
    " FROM directives_directive ORDER BY issue_date DESC, number"
)


def _units(where: str, params=()) -> list[Unit]:
    """Units (``UNIT_FIELDS`` loaded, the rest deferred) matching a
    condition written in SQL, as ``Unit.objects.raw`` gives them, less its
    reading of the cursor's columns."""
    return fetch_models(Unit, UNIT_FIELDS, f"{UNIT_SQL} WHERE {where}", params)


def directive_rows() -> list[tuple]:
    """Every directive and plan, newest first, as rows: (id, number, title,
    parent id, status, kind). One query."""
    return fetch_rows(DIRECTIVES_SQL)


def resolve_node(scope, unit_id: int | None) -> Node:
    """The node asked for (404 when it does not exist or lies outside the
    user's scope), or the top of the user's scope. Two queries at most."""
    tops_paths = () if scope.is_all else collapse_paths(set(scope.subtree_paths))
    if unit_id is not None:
        unit = next(iter(_units("id = %s", [unit_id])), None)
        if unit is None or not scope.reads_path(unit.path):
            raise Http404(_("Không có đơn vị này trong phạm vi bạn theo dõi."))
        node_path = unit.path
    elif scope.is_all:
        # Every root and the level under them: one root → start at it.
        units = _units("depth <= 2")
        roots = [u for u in units if u.depth == 1]
        if len(roots) == 1:
            root = roots[0]
            children = [
                u for u in units if u.depth == 2 and u.path.startswith(root.path)
            ]
            return Node(root, sorted(children, key=lambda u: u.path), [], [])
        return Node(None, sorted(roots, key=lambda u: u.path), [], [])
    else:
        unit, node_path = None, tops_paths[0]

    ancestors = [node_path[:i] for i in range(STEP, len(node_path), STEP)]
    depth = len(node_path) // STEP
    # The node, the units above it, the tops of the user's scope, and the
    # node's children.
    named = [*ancestors, *tops_paths, node_path]
    units = _units(
        f"path IN ({', '.join(['%s'] * len(named))}) OR (depth = %s AND path LIKE %s)",
        [*named, depth + 1, subtree_pattern(node_path)],
    )
    by_path = {u.path: u for u in units}
    unit = unit or by_path[node_path]
    children = sorted(
        (u for u in units if u.depth == depth + 1 and u.path.startswith(node_path)),
        key=lambda u: u.path,
    )
    covered = [
        by_path[p]
        for p in ancestors
        if p in by_path and (scope.is_all or any(p.startswith(t) for t in tops_paths))
    ]
    tops = [by_path[p] for p in tops_paths if p in by_path]
    return Node(unit, children, covered, tops if len(tops) > 1 else [])


# --- the whole dashboard ------------------------------------------------------------


@dataclass
class Dashboard:
    query: DashboardQuery
    # The unit table and the trend, being read on the side: waited for on
    # first use, which on the page is when the template reaches the
    # overview (the layout, the filters and the breadcrumb are built
    # meanwhile).
    counts: Deferred
    # The three lists (overdue, hard, buck-passing), being read on the side:
    # waited for on first use, which on the page is when the template
    # reaches them.
    lists: tuple[Deferred, Deferred, Deferred]
    people: People | None

    @cached_property
    def table(self) -> UnitTable:
        return self.counts.result()[0]

    @cached_property
    def trend(self) -> list[TrendMonth]:
        return self.counts.result()[1].months

    @property
    def total(self) -> Counts:
        return self.table.total

    @cached_property
    def backlog(self) -> TaskList:
        return TaskList(self.lists[0].result(), self.counts.result()[1].backlog)

    @cached_property
    def hard(self) -> TaskList:
        return TaskList(self.lists[1].result(), self.table.total.hard)

    @cached_property
    def buck(self) -> TaskList:
        return self.lists[2].result()


def table_and_trend(query: DashboardQuery, children: list[Unit]):
    return unit_table(query, children), trend(query)


def dashboard(
    query: DashboardQuery,
    children: list[Unit],
    *,
    with_people: bool,
    list_limit: int | None = 10,
    people_limit: int | None = 50,
) -> Dashboard:
    """Everything a dashboard page (and its export) shows.

    Every part is read on the side (``config.side_reads``), on connections
    of its own, while the page is built: the unit table and the trend
    first (the page needs them first), then the lists."""
    counts = run_aside(table_and_trend, query, children)
    hard = run_aside(hard_tasks, query, list_limit)
    backlog = run_aside(backlog_tasks, query, list_limit)
    buck = run_aside(buck_passing, query, list_limit)
    return Dashboard(
        query=query,
        counts=counts,
        lists=(backlog, hard, buck),
        people=people(query, people_limit) if with_people else None,
    )
