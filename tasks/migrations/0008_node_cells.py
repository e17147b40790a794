"""Dashboard cells per unit subtree (``node``): every task is counted in the
cell of its lead unit and of each unit above it, so that a dashboard at any
node of the tree reads the cells of that node's children and nothing else.
Day cells (deadline day) and month cells (deadline month, with the months of
completion and of a waiting on-time submission).

On PostgreSQL the trigger of migration 0007 is replaced: for each write to a
task that changes what the cells count, it takes the task out of its old
cells and adds it to its new ones, in the transaction of the write, the
smaller key first (two transactions moving tasks between the same cells in
opposite directions cannot deadlock). ``tasks_cells_rebuild()`` recounts all
cells. Moving a unit in the tree changes who is above whom: rebuild the
cells afterwards (``manage.py dashboard_cells --rebuild``)."""

import django.db.models.deletion
from django.db import migrations, models


FUNCTIONS = """
DROP TRIGGER IF EXISTS tasks_task_cells ON tasks_task;
DROP TRIGGER IF EXISTS tasks_task_cells_update ON tasks_task;
DROP FUNCTION IF EXISTS tasks_task_cells();
DROP FUNCTION IF EXISTS tasks_cells_rebuild();
DROP FUNCTION IF EXISTS tasks_cell_key(tasks_task);
DROP FUNCTION IF EXISTS tasks_cell_add(tasks_task, integer);

CREATE OR REPLACE FUNCTION tasks_cell_bucket(
    status text, deadline date, completed_on date, submitted_on date
) RETURNS text LANGUAGE sql IMMUTABLE AS $$
    SELECT CASE
        WHEN status = 'cancelled' THEN 'cancelled'
        WHEN status = 'done' AND completed_on <= deadline THEN 'done_on_time'
        WHEN status = 'done' THEN 'done_late'
        WHEN status = 'submitted' AND submitted_on <= deadline THEN 'waiting'
        ELSE 'open'
    END
$$;

-- The unit and every unit above it: the prefixes of its path.
CREATE OR REPLACE FUNCTION tasks_unit_nodes(unit_id bigint) RETURNS bigint[]
LANGUAGE sql STABLE AS $$
    SELECT array_agg(a.id ORDER BY a.depth)
    FROM units_unit u
    CROSS JOIN generate_series(1, u.depth) AS level
    JOIN units_unit a
      ON a.path = substr(u.path, 1, level * (length(u.path) / u.depth))
    WHERE u.id = unit_id
$$;

CREATE OR REPLACE FUNCTION tasks_cell_add(t tasks_task, sign integer)
RETURNS void LANGUAGE plpgsql AS $$
DECLARE
    b text := tasks_cell_bucket(t.status, t.deadline, t.completed_on, t.submitted_on);
    n bigint;
BEGIN
    FOREACH n IN ARRAY tasks_unit_nodes(t.lead_unit_id) LOOP
        INSERT INTO tasks_dashboarddaycell AS c (
            directive_id, node_id, deadline, bucket, is_hard,
            tasks, extensions, transfers
        ) VALUES (
            t.directive_id, n, t.deadline, b, t.is_hard,
            sign, sign * t.extension_count, sign * t.transfer_count
        )
        ON CONFLICT (node_id, deadline, directive_id, bucket, is_hard)
        DO UPDATE SET tasks = c.tasks + EXCLUDED.tasks,
                      extensions = c.extensions + EXCLUDED.extensions,
                      transfers = c.transfers + EXCLUDED.transfers;
        INSERT INTO tasks_dashboardmonthcell AS c (
            directive_id, node_id, deadline_month, bucket, is_hard,
            completed_month, waiting_month, tasks, extensions, transfers
        ) VALUES (
            t.directive_id, n, date_trunc('month', t.deadline)::date, b, t.is_hard,
            CASE WHEN b IN ('done_on_time', 'done_late')
                 THEN date_trunc('month', t.completed_on)::date END,
            CASE WHEN b = 'waiting'
                 THEN date_trunc('month', t.submitted_on)::date END,
            sign, sign * t.extension_count, sign * t.transfer_count
        )
        ON CONFLICT (node_id, deadline_month, directive_id, bucket, is_hard,
                     completed_month, waiting_month)
        DO UPDATE SET tasks = c.tasks + EXCLUDED.tasks,
                      extensions = c.extensions + EXCLUDED.extensions,
                      transfers = c.transfers + EXCLUDED.transfers;
    END LOOP;
END
$$;

CREATE OR REPLACE FUNCTION tasks_cell_key(t tasks_task) RETURNS text
LANGUAGE sql IMMUTABLE AS $$
    SELECT concat_ws('|', t.lead_unit_id, t.deadline, t.directive_id,
                     tasks_cell_bucket(t.status, t.deadline, t.completed_on,
                                       t.submitted_on),
                     t.is_hard, t.completed_on, t.submitted_on)
$$;

CREATE OR REPLACE FUNCTION tasks_task_cells() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        PERFORM tasks_cell_add(NEW, 1);
    ELSIF TG_OP = 'DELETE' THEN
        PERFORM tasks_cell_add(OLD, -1);
    ELSIF tasks_cell_key(OLD) <= tasks_cell_key(NEW) THEN
        PERFORM tasks_cell_add(OLD, -1);
        PERFORM tasks_cell_add(NEW, 1);
    ELSE
        PERFORM tasks_cell_add(NEW, 1);
        PERFORM tasks_cell_add(OLD, -1);
    END IF;
    RETURN NULL;
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
           count(*) AS tasks, sum(t.extension_count) AS extensions,
           sum(t.transfer_count) AS transfers
    FROM tasks_task t
    JOIN units_unit u ON u.id = t.lead_unit_id
    CROSS JOIN generate_series(1, u.depth) AS level
    JOIN units_unit a
      ON a.path = substr(u.path, 1, level * (length(u.path) / u.depth))
    GROUP BY 1, 2, 3, 4, 5, 6, 7;
    INSERT INTO tasks_dashboarddaycell (
        directive_id, node_id, deadline, bucket, is_hard,
        tasks, extensions, transfers
    )
    SELECT directive_id, node_id, deadline, b, is_hard,
           sum(tasks), sum(extensions), sum(transfers)
    FROM tasks_cells_source GROUP BY 1, 2, 3, 4, 5;
    GET DIAGNOSTICS n = ROW_COUNT;
    INSERT INTO tasks_dashboardmonthcell (
        directive_id, node_id, deadline_month, bucket, is_hard,
        completed_month, waiting_month, tasks, extensions, transfers
    )
    SELECT directive_id, node_id, date_trunc('month', deadline)::date, b, is_hard,
           CASE WHEN b IN ('done_on_time', 'done_late')
                THEN date_trunc('month', completed_on)::date END,
           CASE WHEN b = 'waiting' THEN date_trunc('month', submitted_on)::date END,
           sum(tasks), sum(extensions), sum(transfers)
    FROM tasks_cells_source GROUP BY 1, 2, 3, 4, 5, 6, 7;
    GET DIAGNOSTICS m = ROW_COUNT;
    DROP TABLE tasks_cells_source;
    RETURN n + m;
END
$$;

CREATE UNIQUE INDEX IF NOT EXISTS daycell_key ON tasks_dashboarddaycell
    (node_id, deadline, directive_id, bucket, is_hard)
    INCLUDE (tasks, extensions, transfers);

CREATE UNIQUE INDEX IF NOT EXISTS monthcell_key ON tasks_dashboardmonthcell
    (node_id, deadline_month, directive_id, bucket, is_hard, completed_month,
     waiting_month) INCLUDE (tasks, extensions, transfers) NULLS NOT DISTINCT;

CREATE TRIGGER tasks_task_cells
AFTER INSERT OR DELETE ON tasks_task FOR EACH ROW
EXECUTE FUNCTION tasks_task_cells();

CREATE TRIGGER tasks_task_cells_update
AFTER UPDATE ON tasks_task FOR EACH ROW
WHEN ((OLD.directive_id, OLD.lead_unit_id, OLD.deadline, OLD.status,
       OLD.completed_on, OLD.submitted_on, OLD.is_hard, OLD.extension_count,
       OLD.transfer_count)
      IS DISTINCT FROM
      (NEW.directive_id, NEW.lead_unit_id, NEW.deadline, NEW.status,
       NEW.completed_on, NEW.submitted_on, NEW.is_hard, NEW.extension_count,
       NEW.transfer_count))
EXECUTE FUNCTION tasks_task_cells();
"""


def drop_old(apps, schema_editor):
    """The trigger of 0007 writes to the table this migration deletes."""
    if schema_editor.connection.vendor != "postgresql":
        return
    with schema_editor.connection.cursor() as cursor:
        cursor.execute("DROP TRIGGER IF EXISTS tasks_task_cells ON tasks_task")


def install(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    with schema_editor.connection.cursor() as cursor:
        cursor.execute(FUNCTIONS)
        cursor.execute("SELECT tasks_cells_rebuild()")


def uninstall(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    with schema_editor.connection.cursor() as cursor:
        cursor.execute(
            "DROP TRIGGER IF EXISTS tasks_task_cells ON tasks_task;"
            "DROP TRIGGER IF EXISTS tasks_task_cells_update ON tasks_task;"
            "DROP FUNCTION IF EXISTS tasks_task_cells();"
            "DROP FUNCTION IF EXISTS tasks_cells_rebuild();"
            "DROP FUNCTION IF EXISTS tasks_cell_key(tasks_task);"
            "DROP FUNCTION IF EXISTS tasks_cell_add(tasks_task, integer);"
            "DROP FUNCTION IF EXISTS tasks_unit_nodes(bigint);"
        )


class Migration(migrations.Migration):

    dependencies = [
        ('directives', '0002_initial'),
        ('tasks', '0007_counters_and_dashboard_cells'),
        ('units', '0001_initial'),
    ]

    operations = [
        migrations.RunPython(drop_old, migrations.RunPython.noop),
        migrations.CreateModel(
            name='DashboardDayCell',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('deadline', models.DateField()),
                ('bucket', models.CharField(choices=[('open', 'đang làm'), ('waiting', 'đã báo cáo đúng hạn, chờ duyệt'), ('done_on_time', 'hoàn thành đúng hạn'), ('done_late', 'hoàn thành quá hạn'), ('cancelled', 'đã hủy')], max_length=16)),
                ('is_hard', models.BooleanField()),
                ('tasks', models.IntegerField(default=0)),
                ('extensions', models.IntegerField(default=0)),
                ('transfers', models.IntegerField(default=0)),
            ],
            options={
                'verbose_name': 'ô số liệu theo ngày',
                'verbose_name_plural': 'ô số liệu theo ngày',
            },
        ),
        migrations.CreateModel(
            name='DashboardMonthCell',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('deadline_month', models.DateField()),
                ('bucket', models.CharField(choices=[('open', 'đang làm'), ('waiting', 'đã báo cáo đúng hạn, chờ duyệt'), ('done_on_time', 'hoàn thành đúng hạn'), ('done_late', 'hoàn thành quá hạn'), ('cancelled', 'đã hủy')], max_length=16)),
                ('is_hard', models.BooleanField()),
                ('completed_month', models.DateField(null=True)),
                ('waiting_month', models.DateField(null=True)),
                ('tasks', models.IntegerField(default=0)),
                ('extensions', models.IntegerField(default=0)),
                ('transfers', models.IntegerField(default=0)),
            ],
            options={
                'verbose_name': 'ô số liệu theo tháng',
                'verbose_name_plural': 'ô số liệu theo tháng',
            },
        ),
        migrations.RemoveIndex(
            model_name='dashboardcell',
            name='cell_directive_month_idx',
        ),
        migrations.RemoveIndex(
            model_name='dashboardcell',
            name='cell_directive_done_idx',
        ),
        migrations.AddField(
            model_name='dashboarddaycell',
            name='directive',
            field=models.ForeignKey(db_constraint=False, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='directives.directive'),
        ),
        migrations.AddField(
            model_name='dashboarddaycell',
            name='node',
            field=models.ForeignKey(db_constraint=False, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='units.unit'),
        ),
        migrations.AddField(
            model_name='dashboardmonthcell',
            name='directive',
            field=models.ForeignKey(db_constraint=False, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='directives.directive'),
        ),
        migrations.AddField(
            model_name='dashboardmonthcell',
            name='node',
            field=models.ForeignKey(db_constraint=False, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='units.unit'),
        ),
        migrations.RemoveField(
            model_name='dashboardcell',
            name='directive',
        ),
        migrations.RemoveField(
            model_name='dashboardcell',
            name='unit',
        ),
        migrations.AddIndex(
            model_name='dashboardmonthcell',
            index=models.Index(fields=['node', 'deadline_month'], name='monthcell_node_month_idx'),
        ),
        migrations.DeleteModel(
            name='DashboardCell',
        ),
        migrations.RunPython(install, uninstall),
    ]
