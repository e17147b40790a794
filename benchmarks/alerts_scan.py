"""Time the alert scan — first run and rerun — next to the floor: one
``INSERT … SELECT … ON CONFLICT DO NOTHING`` of the same rows run directly
in PostgreSQL.

Standalone (no Makefile, no benchmarks/run.sh)::

    createdb -T dt_scale dt_alertbench   # or: DATABASE_URL=postgres:///dt_alertbench \\
                                         #     .venv/bin/python manage.py seed_scale
    DATABASE_URL=postgres:///dt_alertbench .venv/bin/python benchmarks/alerts_scan.py
    # options: --catch-up default|none|both (both), --repeat N (1)

It migrates that database, then for each catch-up window (the default
window, and none — every past step of a long backlog, what the scan wrote
before the window existed; ``--catch-up`` picks one) it removes the
ledger's scan rows and times:

- the scan's first run (every ladder step, every task-id range) and its
  rerun (nothing left to write);
- the floor: the rows the first run wrote, copied aside, deleted, and
  written back by one ``INSERT … SELECT … ON CONFLICT DO NOTHING`` from
  that copy (the same rows, the same table, indexes, foreign keys and
  commit, nothing to select), then the same statement again (every row a
  conflict).

The first run is compared with the floor's insert, the rerun with the
floor's rerun. Both sides run after the same ``DELETE`` and ``VACUUM
ANALYZE`` of the ledger's scan rows, in autocommit, so both pay the
deferred foreign-key checks at their commits. Memory: the process's peak
RSS before and after each scan (it stays flat: the scan writes in ranges of
task ids and reads back only ids, in chunks) and PostgreSQL's
temporary-file bytes during it. Only the database named in DATABASE_URL is touched.
"""

import argparse
import os
import resource
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")
os.environ.setdefault("DATABASE_URL", "postgres:///dt_alertbench")

COLUMNS = "task_id, deadline, kind, step_id, recipient_id, role, mandatory"


def rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def temp_bytes(cur) -> int:
    """Bytes this database has written to temporary files so far. A backend
    reports its counts lazily: this one's are flushed first (PostgreSQL
    15's pg_stat_force_next_flush, at the end of that statement)."""
    cur.execute("SELECT pg_stat_force_next_flush()")
    cur.execute("SELECT pg_stat_clear_snapshot()")
    cur.execute(
        "SELECT temp_bytes FROM pg_stat_database WHERE datname = current_database()"
    )
    return cur.fetchone()[0]


def clear_ledger(cur) -> None:
    cur.execute("DELETE FROM tasks_alert WHERE step_id IS NOT NULL")
    cur.execute("VACUUM ANALYZE tasks_alert")


def timed(fn):
    started = time.perf_counter()
    result = fn()
    return result, time.perf_counter() - started


def measure(catch_up, label: str) -> dict:
    from django.db import connection
    from django.test.utils import override_settings

    from tasks import alerts

    with connection.cursor() as cur:
        clear_ledger(cur)
        temp_before = temp_bytes(cur)
    rss_before = rss_mb()
    with override_settings(TRACKER_ALERT_CATCH_UP_WORKING_DAYS=catch_up):
        first, first_s = timed(lambda: alerts.alerts_scan_overdue(enqueue_send=False))
        rss_after = rss_mb()
        again, rerun_s = timed(lambda: alerts.alerts_scan_overdue(enqueue_send=False))

    with connection.cursor() as cur:
        temp_during = temp_bytes(cur) - temp_before
        cur.execute(
            "SELECT s.kind, s.working_days, count(*) FROM tasks_alert a "
            "JOIN tasks_ladderstep s ON s.id = a.step_id "
            "GROUP BY s.id ORDER BY s.id"
        )
        by_step = cur.fetchall()
        cur.execute("DROP TABLE IF EXISTS floor_rows")
        cur.execute(
            f"CREATE TEMP TABLE floor_rows AS SELECT {COLUMNS} FROM tasks_alert "
            "WHERE step_id IS NOT NULL ORDER BY id"
        )
        cur.execute("ANALYZE floor_rows")
        clear_ledger(cur)
        insert = (
            f"INSERT INTO tasks_alert ({COLUMNS}, message, created_at, "
            "email_attempts, last_error) "
            f"SELECT {COLUMNS}, '', now(), 0, '' FROM floor_rows "
            "ON CONFLICT DO NOTHING"
        )
        written, floor_s = timed(lambda: cur.execute(insert) or cur.rowcount)
        _, floor_rerun_s = timed(lambda: cur.execute(insert))
    assert written == first.created_count, (written, first.created_count)
    return {
        "label": label,
        "rows": first.created_count,
        "rerun_rows": again.created_count,
        "first": first_s,
        "rerun": rerun_s,
        "floor": floor_s,
        "floor_rerun": floor_rerun_s,
        "rss": (rss_before, rss_after),
        "temp": temp_during,
        "by_step": by_step,
    }


def report(r: dict) -> None:
    print(f"\n{r['label']}")
    for kind, days, count in r["by_step"]:
        print(f"  {kind:>20} +{days:<2} {count:9,} rows")
    print(f"  {'':24}{'scan':>9} {'floor':>9} {'ratio':>7}")
    print(
        f"  {'first run':<24}{r['first']:8.2f}s {r['floor']:8.2f}s "
        f"{r['first'] / r['floor']:6.2f}×   {r['rows']:,} rows"
    )
    print(
        f"  {'rerun':<24}{r['rerun']:8.2f}s {r['floor_rerun']:8.2f}s "
        f"{r['rerun'] / r['floor_rerun']:6.2f}×   {r['rerun_rows']:,} rows"
    )
    rss_before, rss_after = r["rss"]
    print(
        f"  peak RSS {rss_before:.0f} MB before the scan, {rss_after:.0f} MB after; "
        f"PostgreSQL temporary files {r['temp'] / 2**20:.1f} MB"
    )
    print(
        f"  targets: first run < 10 s: {'yes' if r['first'] < 10 else 'NO'}; "
        f"rerun ≤ 2 × floor rerun: "
        f"{'yes' if r['rerun'] <= 2 * r['floor_rerun'] else 'NO'}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--catch-up",
        choices=["default", "none", "both"],
        default="both",
        help="catch-up window: the default, none (every past step), or both",
    )
    parser.add_argument(
        "--repeat",
        type=int,
        default=1,
        help="measure N times and keep each timing's best (a shared machine)",
    )
    args = parser.parse_args()

    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection

    from tasks import alerts

    call_command("migrate", verbosity=0)
    with connection.cursor() as cur:
        cur.execute("SELECT count(*) FROM tasks_task")
        tasks = cur.fetchone()[0]
    days = alerts.catch_up_working_days()
    print(
        f"database {connection.settings_dict['NAME']}: {tasks:,} tasks; "
        f"batches of {settings.TRACKER_ALERT_BATCH_SIZE:,} tasks to alert "
        f"within {settings.TRACKER_ALERT_SCAN_ID_RANGE:,} ids; "
        f"best of {args.repeat}"
    )
    runs = []
    if args.catch_up in ("default", "both"):
        runs.append((days, f"catch-up window: {days} working days (the default)"))
    if args.catch_up in ("none", "both"):
        runs.append((None, "no catch-up window: every past step (a long backlog)"))
    for catch_up, label in runs:
        results = [measure(catch_up, label) for _ in range(args.repeat)]
        best = results[-1]
        for key in ("first", "rerun", "floor", "floor_rerun"):
            best[key] = min(r[key] for r in results)
        report(best)


if __name__ == "__main__":
    main()
