"""Time the alert scan — first run and rerun — next to the floor: one
``INSERT … SELECT … ON CONFLICT DO NOTHING`` of the same rows run directly
in PostgreSQL.

Standalone (no Makefile, no benchmarks/run.sh)::

    createdb -T dt_scale dt_alertbench   # or: DATABASE_URL=postgres:///dt_alertbench \\
                                         #     .venv/bin/python manage.py seed_scale
    DATABASE_URL=postgres:///dt_alertbench .venv/bin/python benchmarks/alerts_scan.py

It migrates that database, removes the ledger's scan rows, then times:
the scan's first run (every ladder step, every task-id range), a rerun
(nothing left to write), the floor (the same rows copied back with one
statement) and the floor's rerun (all conflicts). Peak memory (RSS) is
reported before and after the scan. Only the database named in
DATABASE_URL is touched.
"""

import os
import resource
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")
os.environ.setdefault("DATABASE_URL", "postgres:///dt_alertbench")


def rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> None:
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from tasks import alerts

    call_command("migrate", verbosity=0)
    with connection.cursor() as cur:
        cur.execute("SELECT count(*) FROM tasks_task")
        tasks = cur.fetchone()[0]
        cur.execute("DELETE FROM tasks_alert WHERE step_id IS NOT NULL")
        cur.execute("VACUUM ANALYZE tasks_alert")
    print(f"database {connection.settings_dict['NAME']}: {tasks:,} tasks")

    before = rss_mb()
    started = time.perf_counter()
    first = alerts.alerts_scan_overdue(enqueue_send=False)
    first_s = time.perf_counter() - started
    after_first = rss_mb()
    started = time.perf_counter()
    again = alerts.alerts_scan_overdue(enqueue_send=False)
    rerun_s = time.perf_counter() - started
    print(f"scan first run: {first_s:8.2f} s  {first.created_count:,} alerts")
    print(f"scan rerun:     {rerun_s:8.2f} s  {again.created_count:,} alerts")
    print(f"peak RSS: {before:.0f} MB before, {after_first:.0f} MB after the scan")

    cols = "task_id, deadline, kind, step_id, recipient_id, role, mandatory"
    with connection.cursor() as cur:
        cur.execute(
            f"CREATE TEMP TABLE floor_rows AS SELECT {cols} FROM tasks_alert "
            "WHERE step_id IS NOT NULL"
        )
        cur.execute("ANALYZE floor_rows")
        cur.execute("DELETE FROM tasks_alert WHERE step_id IS NOT NULL")
        cur.execute("VACUUM ANALYZE tasks_alert")
        insert = (
            f"INSERT INTO tasks_alert ({cols}, message, created_at, "
            "email_attempts, last_error) "
            f"SELECT {cols}, '', now(), 0, '' FROM floor_rows "
            "ON CONFLICT DO NOTHING"
        )
        started = time.perf_counter()
        cur.execute(insert)
        floor_s = time.perf_counter() - started
        written = cur.rowcount
        started = time.perf_counter()
        cur.execute(insert)
        floor_rerun_s = time.perf_counter() - started
    print(f"floor insert:   {floor_s:8.2f} s  {written:,} rows")
    print(f"floor rerun:    {floor_rerun_s:8.2f} s")
    print(
        f"rerun / floor = {rerun_s / floor_s:.2f} (target ≤ 2); "
        f"first run {'<' if first_s < 10 else '≥'} 10 s"
    )


if __name__ == "__main__":
    main()
