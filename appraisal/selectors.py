"""Reads of the accountability pages, set-based: one or a few queries for a
whole month or period, never one per person.

Which tasks are "a month's tasks"
---------------------------------

A task counts for its lead unit and its assignee (as they are now) in month
M when it is not cancelled and:

- it was **done in M**: approved, with its completion date (the day the
  work was submitted, as timeliness counts it) in M — *on time* when that
  date is on or before the deadline that counts (the latest approved one),
  *late* otherwise; or
- it was **overdue at the end of M**: its deadline is on or before the last
  day of M (for the month still running, before today) and it was not done
  by then — neither approved with a completion date in or before M, nor
  submitted on time and waiting for the leader. By default a task overdue
  at several month ends counts in each of those months
  (``RuleSet.overdue_every_month``; off: only in the month of its deadline).

"Hard tasks done" are the hard tasks (việc khó) among those done in M (by
default only those done on time); "extended" are the counted tasks that had
at least one extension approved; "returned" counts each time a leader
returned the person's work in M (the "Trả lại" entries of the tasks'
timelines). Tasks are read as they are now: a task cancelled or extended
later no longer counts the same when a month is computed again — which is
why a confirmed month is frozen.

A unit's own score counts the tasks it leads itself (not those of units
under it); each person's score in a unit counts the tasks they carry for
that unit.
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Avg, Count, F, Q
from django.utils import timezone

from tasks.choices import ReportKind, TaskStatus
from tasks.models import ProgressReport, Task
from units.sql import fetch_rows, subtree_pattern

from .models import Classification, PersonScore, ScoringRound
from .rules import MonthCounts

DAY = datetime.timedelta(days=1)


def month_start(day: datetime.date) -> datetime.date:
    return day.replace(day=1)


def month_end(start: datetime.date) -> datetime.date:
    return (start.replace(day=28) + 4 * DAY).replace(day=1) - DAY


def previous_month(day: datetime.date) -> datetime.date:
    return month_start(month_start(day) - DAY)


def closed_through(end: datetime.date, today: datetime.date) -> datetime.date:
    """The last day whose deadlines have passed by the end of the span: its
    last day, or yesterday while the span is still running."""
    return min(end, today - DAY)


def _local_midnight(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def _task_filter(unit_ids=None, path: str | None = None) -> Q:
    q = ~Q(status=TaskStatus.CANCELLED)
    if unit_ids is not None:
        q &= Q(lead_unit_id__in=list(unit_ids))
    if path:
        q &= Q(lead_unit__path__startswith=path)
    return q


def _done_q(start, end) -> Q:
    return Q(status=TaskStatus.DONE, completed_on__gte=start, completed_on__lte=end)


def _overdue_q(end, last_closed, *, due_from=None) -> Q:
    """Open at ``end`` past its deadline: not done by ``end``, not waiting
    after an on-time submission."""
    q = Q(deadline__lte=last_closed)
    if due_from is not None:
        q &= Q(deadline__gte=due_from)
    q &= ~Q(status=TaskStatus.DONE, completed_on__lte=end)
    q &= ~Q(submitted_on__isnull=False, submitted_on__lte=F("deadline"))
    return q


def month_counts(
    start: datetime.date,
    today: datetime.date,
    *,
    unit_ids=None,
    path: str | None = None,
) -> dict[tuple[int, int], MonthCounts]:
    """The month's counts per (lead unit, assignee): two queries, the tasks
    and the returns. ``unit_ids`` or ``path`` narrow it to some units."""
    end = month_end(start)
    last_closed = closed_through(end, today)
    done = _done_q(start, end)
    on_time = done & Q(completed_on__lte=F("deadline"))
    overdue_any = _overdue_q(end, last_closed)
    overdue_month = _overdue_q(end, last_closed, due_from=start)
    extended = Q(extension_count__gt=0)
    rows = (
        Task.objects.filter(_task_filter(unit_ids, path) & (done | overdue_any))
        .values("lead_unit_id", "assignee_id")
        .annotate(
            on_time=Count("pk", filter=on_time),
            late=Count("pk", filter=done & Q(completed_on__gt=F("deadline"))),
            hard_done=Count("pk", filter=done & Q(is_hard=True)),
            hard_on_time=Count("pk", filter=on_time & Q(is_hard=True)),
            overdue_any=Count("pk", filter=overdue_any),
            overdue_due_in_month=Count("pk", filter=overdue_month),
            extended_done=Count("pk", filter=done & extended),
            extended_overdue_any=Count("pk", filter=overdue_any & extended),
            extended_overdue_due_in_month=Count("pk", filter=overdue_month & extended),
        )
        .order_by()
    )
    counts: dict[tuple[int, int], MonthCounts] = {}
    for row in rows:
        key = (row.pop("lead_unit_id"), row.pop("assignee_id"))
        counts[key] = MonthCounts(**row)
    returns = ProgressReport.objects.filter(
        kind=ReportKind.RETURN,
        created_at__gte=_local_midnight(start),
        created_at__lt=_local_midnight(end + DAY),
    )
    if unit_ids is not None:
        returns = returns.filter(task__lead_unit_id__in=list(unit_ids))
    if path:
        returns = returns.filter(task__lead_unit__path__startswith=path)
    for row in (
        returns.exclude(task__status=TaskStatus.CANCELLED)
        .values("task__lead_unit_id", "task__assignee_id")
        .annotate(n=Count("pk"))
        .order_by()
    ):
        key = (row["task__lead_unit_id"], row["task__assignee_id"])
        counts.setdefault(key, MonthCounts()).returned = row["n"]
    return counts


@dataclass
class PeriodCounts:
    counted: int = 0
    on_time: int = 0
    late: int = 0
    overdue: int = 0
    beyond: int = 0

    def __add__(self, other: "PeriodCounts") -> "PeriodCounts":
        return PeriodCounts(
            self.counted + other.counted,
            self.on_time + other.on_time,
            self.late + other.late,
            self.overdue + other.overdue,
            self.beyond + other.beyond,
        )


def period_counts(
    start: datetime.date,
    end: datetime.date,
    today: datetime.date,
    *,
    beyond_hard: bool,
    beyond_ahead_days: int,
    path: str | None = None,
) -> dict[tuple[int, int], PeriodCounts]:
    """A period's tasks per (lead unit, assignee), in one query: done in the
    period (on time, late), overdue at its end, and done "beyond
    requirements" (a hard task done on time, and/or done at least N days
    before the deadline, as the classification rules say)."""
    last_closed = closed_through(end, today)
    done = _done_q(start, end)
    on_time = done & Q(completed_on__lte=F("deadline"))
    overdue = _overdue_q(end, last_closed)
    beyond = Q(pk__in=[])
    if beyond_hard:
        beyond |= Q(is_hard=True)
    if beyond_ahead_days:
        beyond |= Q(
            completed_on__lte=F("deadline") - datetime.timedelta(days=beyond_ahead_days)
        )
    rows = (
        Task.objects.filter(_task_filter(path=path) & (done | overdue))
        .values("lead_unit_id", "assignee_id")
        .annotate(
            on_time=Count("pk", filter=on_time),
            late=Count("pk", filter=done & Q(completed_on__gt=F("deadline"))),
            overdue=Count("pk", filter=overdue),
            beyond=Count("pk", filter=on_time & beyond),
        )
        .order_by()
    )
    result = {}
    for row in rows:
        counted = row["on_time"] + row["late"] + row["overdue"]
        result[(row["lead_unit_id"], row["assignee_id"])] = PeriodCounts(
            counted, row["on_time"], row["late"], row["overdue"], row["beyond"]
        )
    return result


def period_points(start, end, *, path: str | None = None):
    """Average monthly points in a period: per (unit, person) from the
    people's scores, per unit from the rounds. Two queries."""
    scores = PersonScore.objects.filter(
        round__month__gte=start, round__month__lte=end, points__isnull=False
    )
    rounds = ScoringRound.objects.filter(
        month__gte=start, month__lte=end, points__isnull=False
    )
    if path:
        scores = scores.filter(round__unit__path__startswith=path)
        rounds = rounds.filter(unit__path__startswith=path)
    people = {
        (r["round__unit_id"], r["person_id"]): (r["avg"], r["n"])
        for r in scores.values("round__unit_id", "person_id")
        .annotate(avg=Avg("points"), n=Count("pk"))
        .order_by()
    }
    units = {
        r["unit_id"]: (r["avg"], r["n"])
        for r in rounds.values("unit_id")
        .annotate(avg=Avg("points"), n=Count("pk"))
        .order_by()
    }
    return people, units


def round_people_in_period(start, end, *, path: str | None = None):
    """Every (unit, person) that had a month in the period, scored or not."""
    scores = PersonScore.objects.filter(round__month__gte=start, round__month__lte=end)
    if path:
        scores = scores.filter(round__unit__path__startswith=path)
    return set(scores.values_list("round__unit_id", "person_id").distinct())


def average(value) -> Decimal | None:
    if value is None:
        return None
    return Decimal(value).quantize(Decimal("0.1"))


# --- pages -------------------------------------------------------------------


def rounds_in_scope(scope, month: datetime.date, *, path: str | None = None):
    """The rounds of a month that the scope covers (leaders' and reviewers'
    subtrees), optionally under one unit."""
    qs = ScoringRound.objects.filter(month=month).select_related("unit")
    if path:
        qs = qs.filter(unit__path__startswith=path)
    if not scope.is_all:
        qs = qs.filter(scope.path_q("unit__", scope.subtree_paths))
    return qs.order_by("unit__path")


def scores_of_person(user, *, month: datetime.date | None = None):
    qs = PersonScore.objects.filter(person=user).select_related("round", "round__unit")
    if month is not None:
        qs = qs.filter(round__month=month)
    return qs.order_by("-round__month", "round__unit__path")


def peer_summary(round_id: int, person_id: int) -> dict:
    """The averages a person's colleagues gave them in a month, and how many
    colleagues: one query. Never who."""
    from .models import PeerRating

    row = PeerRating.objects.filter(
        round_id=round_id, evaluated_id=person_id
    ).aggregate(
        raters=Count("pk"),
        responsibility=Avg("responsibility"),
        cooperation=Avg("cooperation"),
        quality=Avg("quality"),
    )
    return row


def peer_counts(round_id: int) -> dict[int, int]:
    """How many colleagues rated each person of a round: one query."""
    from .models import PeerRating

    return dict(
        PeerRating.objects.filter(round_id=round_id)
        .values_list("evaluated_id")
        .annotate(n=Count("pk"))
        .order_by()
    )


def distribution(points: list[Decimal]) -> list[dict]:
    """Ten-point bins, 0–9 … 90–100, each with its count."""
    bins = [0] * 10
    for value in points:
        bins[min(int(value // 10), 9)] += 1
    labels = [f"{10 * i}–{10 * i + 9}" for i in range(9)] + ["90–100"]
    return [{"label": label, "count": n} for label, n in zip(labels, bins, strict=True)]


def classifications_visible(user, scope, period, *, path: str | None = None):
    """A period's classifications the user may see: their own, and those of
    the units their scope covers (optionally under one unit)."""
    qs = Classification.objects.filter(period=period).select_related(
        "unit", "person", "decided_by", "group_unit"
    )
    if path:
        qs = qs.filter(unit__path__startswith=path)
    if not scope.is_all:
        qs = qs.filter(
            Q(person_id=user.pk) | scope.path_q("unit__", scope.subtree_paths)
        )
    return qs.order_by("unit__path", F("person__full_name").asc(nulls_first=True))


def group_totals(rows) -> dict:
    """Counts of levels among rows, for the summary of a list."""
    totals = defaultdict(int)
    for row in rows:
        totals[row.level or "none"] += 1
    return dict(totals)


def panel_totals(month: datetime.date, path: str):
    """The dashboard panel: the month's rounds under a node, summed, in one
    query (written out: it is on every dashboard, and the ORM's building
    and compiling of six aggregates cost more than the query)."""
    sql = """
        SELECT count(*), sum(r.people), sum(r.self_assessed),
               sum(r.leader_assessed), sum(r.confirmed),
               sum(CASE WHEN r.flat_scores OR r.flat_levels THEN 1 ELSE 0 END)
        FROM appraisal_scoringround r
        JOIN units_unit u ON u.id = r.unit_id
        WHERE r.month = %s AND u.path LIKE %s"""
    row = fetch_rows(sql, [month, subtree_pattern(path)])[0]
    keys = ("rounds", "people", "self_assessed", "leader_assessed", "confirmed")
    return {**dict(zip(keys, row[:5], strict=True)), "flat": row[5] or 0}
