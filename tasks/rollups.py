"""What the dashboards count in advance, and the proof that it agrees with
the tasks.

Two kinds of denormalised numbers:

* **Counters on the task** — ``transfer_count`` (done transfers and
  hand-backs), ``extension_count`` (approved extensions) and ``moved_up``
  (handed back to the assigner, or moved to a unit above the one that held
  it). ``tasks.services`` keeps them in the transaction that writes the
  transfer or the extension; :func:`recount_counters` recounts them from the
  rows (for data loaded without the services, such as ``seed_scale``).
* **Dashboard cells** (``DashboardDayCell``, ``DashboardMonthCell``,
  PostgreSQL only) — tasks counted per directive, unit subtree, deadline
  (day or month) and state, kept by a trigger on ``tasks_task`` (migration
  0008) in the transaction of every write.

:func:`check` compares both with a count over the tasks and returns every
difference; ``manage.py dashboard_cells --check`` runs it, ``--rebuild``
recounts. The dashboard tests run it after every write path.
"""

from django.db import connection
from django.db.models import Count, Exists, F, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce

from .choices import ExtensionStatus, TransferKind, TransferStatus
from .models import ExtensionRequest, Task, Transfer


def cells_enabled() -> bool:
    """The cells exist (and are kept) on PostgreSQL only; elsewhere the
    dashboards count the tasks themselves."""
    return connection.vendor == "postgresql"


def _went_up() -> Q:
    return Q(kind=TransferKind.HAND_BACK) | (
        Q(from_unit__path__startswith=F("to_unit__path"))
        & ~Q(from_unit__path=F("to_unit__path"))
    )


def _counted_from_rows() -> dict:
    """Each counter as counted from the transfer and extension rows, as
    annotations of a task queryset (``real_transfers`` …)."""
    done_moves = Transfer.objects.filter(
        task=OuterRef("pk"), status=TransferStatus.DONE
    )
    approved = ExtensionRequest.objects.filter(
        task=OuterRef("pk"), status=ExtensionStatus.APPROVED
    )

    def count(rows):
        return Coalesce(
            Subquery(
                rows.values("task").annotate(n=Count("pk")).values("n").order_by()
            ),
            Value(0),
        )

    return dict(
        real_transfers=count(done_moves),
        real_extensions=count(approved),
        real_up=Exists(done_moves.filter(_went_up())),
    )


def _with_wrong_counters(tasks):
    return tasks.annotate(**_counted_from_rows()).filter(
        ~Q(transfer_count=F("real_transfers"))
        | ~Q(extension_count=F("real_extensions"))
        | ~Q(moved_up=F("real_up"))
    )


def recount_counters(tasks=None) -> int:
    """Recount the counters of ``tasks`` (a task queryset; all by default)
    from the transfer and extension rows. Returns the tasks updated."""
    tasks = Task.objects.all() if tasks is None else tasks
    real = _counted_from_rows()
    # Only the tasks whose counters are wrong are written (and so moved
    # between cells by the trigger).
    wrong = _with_wrong_counters(tasks)
    return Task.objects.filter(pk__in=wrong.values("pk")).update(
        transfer_count=real["real_transfers"],
        extension_count=real["real_extensions"],
        moved_up=real["real_up"],
    )


def rebuild_cells() -> int:
    """Recount every dashboard cell from the tasks (locks task writes while
    it runs). Returns the number of cells."""
    if not cells_enabled():
        return 0
    with connection.cursor() as cursor:
        cursor.execute("SELECT tasks_cells_rebuild()")
        return cursor.fetchone()[0]


_SOURCE = """
    SELECT t.directive_id, a.id AS node_id, t.deadline, t.is_hard,
           t.extension_count, t.transfer_count, t.completed_on, t.submitted_on,
           tasks_cell_bucket(t.status, t.deadline, t.completed_on,
                             t.submitted_on) AS bucket
    FROM tasks_task t
    JOIN units_unit u ON u.id = t.lead_unit_id
    CROSS JOIN generate_series(1, u.depth) AS level
    JOIN units_unit a
      ON a.path = substr(u.path, 1, level * (length(u.path) / u.depth))
"""

_DAY_DIFF = f"""
WITH kept AS (
    SELECT directive_id, node_id, deadline, bucket, is_hard,
           tasks, extended, moved
    FROM tasks_dashboarddaycell
    WHERE tasks <> 0 OR extended <> 0 OR moved <> 0
), counted AS (
    SELECT directive_id, node_id, deadline, bucket, is_hard,
           count(*) AS tasks, count(*) FILTER (WHERE extension_count > 0) AS extended,
           count(*) FILTER (WHERE transfer_count > 0) AS moved
    FROM ({_SOURCE}) s
    GROUP BY 1, 2, 3, 4, 5
)
SELECT coalesce(k.directive_id, c.directive_id), coalesce(k.node_id, c.node_id),
       coalesce(k.deadline, c.deadline), coalesce(k.bucket, c.bucket),
       coalesce(k.is_hard, c.is_hard),
       k.tasks, c.tasks, k.extended, c.extended, k.moved, c.moved
FROM kept k FULL JOIN counted c
  ON (k.directive_id, k.node_id, k.deadline, k.bucket, k.is_hard)
     = (c.directive_id, c.node_id, c.deadline, c.bucket, c.is_hard)
WHERE (k.tasks, k.extended, k.moved)
      IS DISTINCT FROM (c.tasks, c.extended, c.moved)
ORDER BY 1, 2, 3, 4, 5
LIMIT 50
"""

_MONTH_DIFF = f"""
WITH kept AS (
    SELECT directive_id, node_id, deadline_month, bucket, is_hard,
           completed_month, waiting_month, tasks, extended, moved
    FROM tasks_dashboardmonthcell
    WHERE tasks <> 0 OR extended <> 0 OR moved <> 0
), counted AS (
    SELECT directive_id, node_id, date_trunc('month', deadline)::date AS deadline_month,
           bucket, is_hard,
           CASE WHEN bucket IN ('done_on_time', 'done_late')
                THEN date_trunc('month', completed_on)::date END AS completed_month,
           CASE WHEN bucket = 'waiting'
                THEN date_trunc('month', submitted_on)::date END AS waiting_month,
           count(*) AS tasks, count(*) FILTER (WHERE extension_count > 0) AS extended,
           count(*) FILTER (WHERE transfer_count > 0) AS moved
    FROM ({_SOURCE}) s
    GROUP BY 1, 2, 3, 4, 5, 6, 7
)
SELECT coalesce(k.directive_id, c.directive_id), coalesce(k.node_id, c.node_id),
       coalesce(k.deadline_month, c.deadline_month), coalesce(k.bucket, c.bucket),
       coalesce(k.completed_month, c.completed_month),
       coalesce(k.waiting_month, c.waiting_month),
       k.tasks, c.tasks, k.extended, c.extended, k.moved, c.moved
FROM kept k FULL JOIN counted c
  ON (k.directive_id, k.node_id, k.deadline_month, k.bucket, k.is_hard)
     = (c.directive_id, c.node_id, c.deadline_month, c.bucket, c.is_hard)
 AND k.completed_month IS NOT DISTINCT FROM c.completed_month
 AND k.waiting_month IS NOT DISTINCT FROM c.waiting_month
WHERE (k.tasks, k.extended, k.moved)
      IS DISTINCT FROM (c.tasks, c.extended, c.moved)
ORDER BY 1, 2, 3, 4
LIMIT 50
"""


def check() -> list[str]:
    """Every difference between the kept numbers and a count over the rows:
    tasks whose counters are wrong, then cells that differ. Empty when all
    agree."""
    problems = []
    wrong = _with_wrong_counters(Task.objects.all()).values_list(
        "pk",
        "transfer_count",
        "real_transfers",
        "extension_count",
        "real_extensions",
        "moved_up",
        "real_up",
    )[:50]
    for pk, tc, rt, ec, re_, up, rup in wrong:
        problems.append(
            f"task {pk}: transfers {tc} (rows: {rt}), extensions {ec} "
            f"(rows: {re_}), moved up {up} (rows: {rup})"
        )
    if cells_enabled():
        with connection.cursor() as cursor:
            cursor.execute(_DAY_DIFF)
            for d, node, day, bucket, hard, kt, ct, ke, ce, kx, cx in cursor.fetchall():
                problems.append(
                    f"day cell directive {d} node {node} {day:%Y-%m-%d} {bucket}"
                    f"{' hard' if hard else ''}: kept {kt}/{ke}/{kx}, "
                    f"counted {ct}/{ce}/{cx} (tasks/extended/moved)"
                )
            cursor.execute(_MONTH_DIFF)
            for row in cursor.fetchall():
                d, node, month, bucket, done, waiting = row[:6]
                kt, ct, ke, ce, kx, cx = row[6:]
                problems.append(
                    f"month cell directive {d} node {node} {month:%Y-%m} {bucket} "
                    f"(done {done}, waiting since {waiting}): kept {kt}/{ke}/{kx}, "
                    f"counted {ct}/{ce}/{cx} (tasks/extended/moved)"
                )
    return problems
