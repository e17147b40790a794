# ruff: noqa: E501 — the SQL below reads better unwrapped.
"""The SQL floor of a dashboard page with the recommended schema
(benchmarks/prototype_schema.sql): the same numbers as the selectors give,
read from covering indexes, counters on the task and monthly rollups of
closed work, written by hand. For the city and its busiest district, this
year, the default directive and its plans.

    psql dt_scale -f benchmarks/prototype_schema.sql
    DATABASE_URL=postgres:///dt_scale DJANGO_SETTINGS_MODULE=benchmarks.settings \\
        PYTHONPATH=. .venv/bin/python benchmarks/prototype_page.py
    psql dt_scale -f benchmarks/prototype_drop.sql

Prints, per statement, the fastest and the median of N runs, and the whole
page's SQL as the selectors send it now, run in turn with the prototype's
so that both see the same load on a shared machine.
"""

import datetime
import statistics
import sys
import time
import warnings

import django

warnings.filterwarnings("ignore", message="No directory at")
django.setup()

from django.db import connection  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from directives.models import Directive  # noqa: E402
from tasks import selectors  # noqa: E402
from tasks.calendar import local_today  # noqa: E402
from tasks.querysets import due_soon_boundary  # noqa: E402
from units.models import Unit  # noqa: E402

sys.path.insert(0, __file__.rsplit("/", 1)[0])
from pages import pick_subjects  # noqa: E402

RUNS = 7


def month_start(day: datetime.date, back: int = 0) -> datetime.date:
    first = day.replace(day=1)
    for _ in range(back):
        first = (first - datetime.timedelta(days=1)).replace(day=1)
    return first


def statements(path: str, n: int, family: list[int], today: datetime.date) -> dict:
    soon = due_soon_boundary(today)
    this_month = month_start(today)
    year_start, year_end = (
        datetime.date(today.year, 1, 1),
        datetime.date(today.year, 12, 31),
    )
    last_past = month_start(this_month - datetime.timedelta(days=1))
    first_trend = month_start(today, 11)
    month_end = (this_month + datetime.timedelta(days=32)).replace(
        day=1
    ) - datetime.timedelta(days=1)
    p = dict(
        like=f"'{path}%'",
        fam="'{" + ",".join(map(str, family)) + "}'",
        today=f"'{today}'",
        year_start=f"'{year_start}'",
        year_end=f"'{year_end}'",
        this_month=f"'{this_month}'",
        last_past=f"'{last_past}'",
        first_trend=f"'{first_trend}'",
        month_end=f"'{month_end}'",
        n=n,
    )
    tl = (
        "CASE WHEN t.status='cancelled' THEN NULL "
        "WHEN t.completed_on <= t.deadline AND t.status='done' THEN 'done_on_time' "
        "WHEN t.status='done' THEN 'done_late' "
        "WHEN t.status='submitted' AND t.submitted_on<=t.deadline THEN 'on_track' "
        f"WHEN t.deadline < '{today}' THEN 'overdue' "
        f"WHEN t.deadline <= '{soon}' THEN 'due_soon' ELSE 'on_track' END"
    )
    p["tl"] = tl
    scope = "u.path LIKE {like} AND t.directive_id = ANY({fam})".format(**p)
    p["scope"] = scope
    return dict(
        # Whole past months of the period from the rollup, the rest live.
        unit_table="""
SELECT grp, sum(on_track), sum(due_soon), sum(overdue), sum(dot), sum(dl), sum(cancelled),
       sum(due), sum(due_dot), sum(ext), sum(tr)
FROM (
  SELECT substring(u.path, 1, {n}) grp, 0 on_track, 0 due_soon, 0 overdue,
         r.done_on_time dot, r.done_late dl, r.cancelled, r.done_on_time + r.done_late due,
         r.done_on_time due_dot, r.extensions ext, r.transfers tr
  FROM proto_unit_month r JOIN units_unit u ON u.id = r.lead_unit_id
  WHERE u.path LIKE {like} AND r.directive_id = ANY({fam})
    AND r.deadline_month BETWEEN {year_start} AND {last_past}
  UNION ALL
  SELECT grp, count(*) FILTER (WHERE tl = 'on_track'), count(*) FILTER (WHERE tl = 'due_soon'),
         count(*) FILTER (WHERE tl = 'overdue'), count(*) FILTER (WHERE tl = 'done_on_time'),
         count(*) FILTER (WHERE tl = 'done_late'), count(*) FILTER (WHERE tl IS NULL),
         count(*) FILTER (WHERE d AND tl IS NOT NULL), count(*) FILTER (WHERE d AND tl = 'done_on_time'),
         sum(ext) FILTER (WHERE tl IS NOT NULL), sum(tr) FILTER (WHERE tl IS NOT NULL)
  FROM (
    SELECT substring(u.path, 1, {n}) grp, t.deadline < {today} d, {tl} tl,
           t.proto_extensions ext, t.proto_transfers tr
    FROM tasks_task t JOIN units_unit u ON u.id = t.lead_unit_id
    WHERE {scope} AND t.deadline BETWEEN {this_month} AND {year_end}
    UNION ALL
    SELECT substring(u.path, 1, {n}), t.deadline < {today}, {tl}, t.proto_extensions, t.proto_transfers
    FROM tasks_task t JOIN units_unit u ON u.id = t.lead_unit_id
    WHERE {scope} AND t.status IN ('assigned', 'in_progress', 'submitted')
      AND t.deadline >= {year_start} AND t.deadline < {this_month}
  ) live GROUP BY grp
) x GROUP BY grp""".format(**p),
        trend="""
SELECT 0, r.completed_month, r.late_deadline_month, NULL::date, false,
       sum(r.done_on_time), sum(r.done_late)
FROM proto_done_month r JOIN units_unit u ON u.id = r.lead_unit_id
WHERE u.path LIKE {like} AND r.directive_id = ANY({fam})
  AND r.completed_month BETWEEN {first_trend} AND {last_past}
GROUP BY 2, 3
UNION ALL
SELECT 1, date_trunc('month', t.completed_on)::date, date_trunc('month', t.deadline)::date,
       NULL::date, false, count(*) FILTER (WHERE t.completed_on <= t.deadline),
       count(*) FILTER (WHERE t.completed_on > t.deadline)
FROM tasks_task t JOIN units_unit u ON u.id = t.lead_unit_id
WHERE {scope} AND t.completed_on >= {this_month}
GROUP BY 2, 3
UNION ALL
SELECT 2, NULL::date, date_trunc('month', t.deadline)::date,
       CASE WHEN t.status = 'submitted' AND t.submitted_on <= t.deadline
            THEN date_trunc('month', t.submitted_on)::date END,
       t.deadline <= {year_end}, count(*) FILTER (WHERE {tl} = 'overdue'), count(*)
FROM tasks_task t JOIN units_unit u ON u.id = t.lead_unit_id
WHERE {scope} AND t.status IN ('assigned', 'in_progress', 'submitted')
  AND t.deadline <= {month_end}
GROUP BY 2, 3, 4, 5""".format(**p),
        backlog="""
SELECT t.id, t.title, t.deadline, u.name, us.full_name
FROM tasks_task t JOIN units_unit u ON u.id = t.lead_unit_id
JOIN units_user us ON us.id = t.assignee_id
WHERE {scope} AND t.status IN ('assigned', 'in_progress', 'submitted')
  AND t.deadline < {today} AND NOT (t.status = 'submitted' AND t.submitted_on <= t.deadline)
ORDER BY t.deadline, t.id LIMIT 10""".format(**p),
        hard="""
SELECT t.id, t.title, t.deadline, u.name, us.full_name
FROM tasks_task t JOIN units_unit u ON u.id = t.lead_unit_id
JOIN units_user us ON us.id = t.assignee_id
WHERE {scope} AND t.is_hard AND t.status <> 'cancelled'
  AND t.deadline BETWEEN {year_start} AND {year_end}
ORDER BY CASE {tl} WHEN 'overdue' THEN 0 WHEN 'due_soon' THEN 1 WHEN 'on_track' THEN 2
         WHEN 'done_late' THEN 3 ELSE 4 END, t.deadline, t.id LIMIT 10""".format(**p),
        buck="""
SELECT t.id, t.title, t.deadline, u.name, us.full_name, t.proto_transfers, count(*) OVER ()
FROM tasks_task t JOIN units_unit u ON u.id = t.lead_unit_id
JOIN units_user us ON us.id = t.assignee_id
WHERE {scope} AND t.status <> 'cancelled' AND t.deadline BETWEEN {year_start} AND {year_end}
  AND (t.proto_transfers > 1 OR t.proto_moved_up)
ORDER BY t.proto_transfers DESC, t.deadline, t.id LIMIT 10""".format(**p),
        people="""
SELECT t.assignee_id, count(*), count(*) FILTER (WHERE {tl} = 'done_on_time'),
       count(*) FILTER (WHERE {tl} = 'done_late'), count(*) FILTER (WHERE {tl} = 'overdue'),
       count(*) OVER ()
FROM tasks_task t JOIN units_unit u ON u.id = t.lead_unit_id
WHERE {scope} AND t.status <> 'cancelled' AND t.deadline BETWEEN {year_start} AND {year_end}
GROUP BY t.assignee_id ORDER BY 5 DESC, 4 DESC, 2 DESC, 1 LIMIT 50""".format(**p),
    )


def current_statements(unit, family, today) -> list[str]:
    """The SQL the selectors send today for the same dashboard."""
    query = selectors.DashboardQuery(
        directive_ids=tuple(family),
        period=selectors.Period.year(today.year),
        path=unit.path,
        depth=unit.depth,
        today=today,
    )
    children = list(
        Unit.objects.filter(path__startswith=unit.path, depth=unit.depth + 1)
    )
    with CaptureQueriesContext(connection) as captured:
        selectors.dashboard(query, children, with_people=True)
    return [q["sql"] for q in captured.captured_queries]


def run(cursor, statements) -> float:
    start = time.perf_counter()
    for statement in statements:
        cursor.execute(statement)
        cursor.fetchall()
    return (time.perf_counter() - start) * 1000


def main():
    subjects = pick_subjects()
    directive = (
        Directive.objects.filter(status="in_force", parent__isnull=True)
        .order_by("-issue_date", "number")
        .first()
    )
    family = directive.family_ids()
    today = local_today()
    print(
        f"{directive.number} and its plans, year {today.year}; the whole page's "
        f"selector SQL now vs the prototype's, run in turn {RUNS} times "
        "(fastest / median, ms)"
    )
    with connection.cursor() as cursor:
        for label, unit in (
            ("city", subjects["root"]),
            ("district", subjects["district"]),
        ):
            proto = statements(unit.path, (unit.depth + 1) * 4, family, today)
            now = current_statements(unit, family, today)
            times = {key: [] for key in proto}
            totals_now, totals_proto = [], []
            for _ in range(RUNS):
                totals_now.append(run(cursor, now))
                total = 0.0
                for key, statement in proto.items():
                    elapsed = run(cursor, [statement])
                    times[key].append(elapsed)
                    total += elapsed
                totals_proto.append(total)
            cells = "  ".join(
                f"{k} {min(v):.0f}/{statistics.median(v):.0f}" for k, v in times.items()
            )
            print(f"{label:<9} prototype: {cells}")
            print(
                f"{'':<9} page SQL now {min(totals_now):.0f}/"
                f"{statistics.median(totals_now):.0f} ({len(now)} statements); "
                f"prototype {min(totals_proto):.0f}/{statistics.median(totals_proto):.0f}; "
                f"gain ×{statistics.median(totals_now) / statistics.median(totals_proto):.1f}"
            )


if __name__ == "__main__":
    main()
