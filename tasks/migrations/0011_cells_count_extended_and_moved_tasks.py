"""The cells count tasks extended (at least one approved extension) and
tasks moved (at least one transfer or hand-back), not the extensions and
transfers themselves: each such number on a dashboard then links to a task
list whose count is the number clicked. The functions of migration 0008 are
replaced and the cells recounted."""

from django.db import migrations


FUNCTIONS = """
CREATE OR REPLACE FUNCTION tasks_cell_add(t tasks_task, sign integer)
RETURNS void LANGUAGE plpgsql AS $$
DECLARE
    b text := tasks_cell_bucket(t.status, t.deadline, t.completed_on, t.submitted_on);
    n bigint;
BEGIN
    FOREACH n IN ARRAY tasks_unit_nodes(t.lead_unit_id) LOOP
        INSERT INTO tasks_dashboarddaycell AS c (
            directive_id, node_id, deadline, bucket, is_hard,
            tasks, extended, moved
        ) VALUES (
            t.directive_id, n, t.deadline, b, t.is_hard,
            sign, sign * (t.extension_count > 0)::int, sign * (t.transfer_count > 0)::int
        )
        ON CONFLICT (node_id, deadline, directive_id, bucket, is_hard)
        DO UPDATE SET tasks = c.tasks + EXCLUDED.tasks,
                      extended = c.extended + EXCLUDED.extended,
                      moved = c.moved + EXCLUDED.moved;
        INSERT INTO tasks_dashboardmonthcell AS c (
            directive_id, node_id, deadline_month, bucket, is_hard,
            completed_month, waiting_month, tasks, extended, moved
        ) VALUES (
            t.directive_id, n, date_trunc('month', t.deadline)::date, b, t.is_hard,
            CASE WHEN b IN ('done_on_time', 'done_late')
                 THEN date_trunc('month', t.completed_on)::date END,
            CASE WHEN b = 'waiting'
                 THEN date_trunc('month', t.submitted_on)::date END,
            sign, sign * (t.extension_count > 0)::int, sign * (t.transfer_count > 0)::int
        )
        ON CONFLICT (node_id, deadline_month, directive_id, bucket, is_hard,
                     completed_month, waiting_month)
        DO UPDATE SET tasks = c.tasks + EXCLUDED.tasks,
                      extended = c.extended + EXCLUDED.extended,
                      moved = c.moved + EXCLUDED.moved;
    END LOOP;
END
$$;

CREATE OR REPLACE FUNCTION tasks_cells_rebuild() RETURNS bigint
LANGUAGE plpgsql AS $$
DECLARE
    n bigint;
    m bigint;
BEGIN
    LOCK TABLE tasks_task IN SHARE MODE;
    DELETE FROM tasks_dashboarddaycell;
    DELETE FROM tasks_dashboardmonthcell;
    CREATE TEMP TABLE tasks_cells_source ON COMMIT DROP AS
    SELECT t.directive_id, a.id AS node_id, t.deadline,
           tasks_cell_bucket(t.status, t.deadline, t.completed_on,
                             t.submitted_on) AS b,
           t.is_hard, t.completed_on, t.submitted_on,
           count(*) AS tasks,
           count(*) FILTER (WHERE t.extension_count > 0) AS extended,
           count(*) FILTER (WHERE t.transfer_count > 0) AS moved
    FROM tasks_task t
    JOIN units_unit u ON u.id = t.lead_unit_id
    CROSS JOIN generate_series(1, u.depth) AS level
    JOIN units_unit a
      ON a.path = substr(u.path, 1, level * (length(u.path) / u.depth))
    GROUP BY 1, 2, 3, 4, 5, 6, 7;
    INSERT INTO tasks_dashboarddaycell (
        directive_id, node_id, deadline, bucket, is_hard,
        tasks, extended, moved
    )
    SELECT directive_id, node_id, deadline, b, is_hard,
           sum(tasks), sum(extended), sum(moved)
    FROM tasks_cells_source GROUP BY 1, 2, 3, 4, 5;
    GET DIAGNOSTICS n = ROW_COUNT;
    INSERT INTO tasks_dashboardmonthcell (
        directive_id, node_id, deadline_month, bucket, is_hard,
        completed_month, waiting_month, tasks, extended, moved
    )
    SELECT directive_id, node_id, date_trunc('month', deadline)::date, b, is_hard,
           CASE WHEN b IN ('done_on_time', 'done_late')
                THEN date_trunc('month', completed_on)::date END,
           CASE WHEN b = 'waiting' THEN date_trunc('month', submitted_on)::date END,
           sum(tasks), sum(extended), sum(moved)
    FROM tasks_cells_source GROUP BY 1, 2, 3, 4, 5, 6, 7;
    GET DIAGNOSTICS m = ROW_COUNT;
    DROP TABLE tasks_cells_source;
    RETURN n + m;
END
$$;
"""


def install(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    with schema_editor.connection.cursor() as cursor:
        cursor.execute(FUNCTIONS)
        cursor.execute("SELECT tasks_cells_rebuild()")


class Migration(migrations.Migration):
    dependencies = [
        ("tasks", "0010_alert_ledger_key_leads_with_step"),
    ]

    operations = [
        migrations.RenameField(
            model_name="dashboarddaycell",
            old_name="extensions",
            new_name="extended",
        ),
        migrations.RenameField(
            model_name="dashboarddaycell",
            old_name="transfers",
            new_name="moved",
        ),
        migrations.RenameField(
            model_name="dashboardmonthcell",
            old_name="extensions",
            new_name="extended",
        ),
        migrations.RenameField(
            model_name="dashboardmonthcell",
            old_name="transfers",
            new_name="moved",
        ),
        migrations.RunPython(install, migrations.RunPython.noop),
    ]
