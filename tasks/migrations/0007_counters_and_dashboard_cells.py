"""Counters on the task (transfers, extensions, moved up) and the dashboard
cells, kept on PostgreSQL by a trigger on ``tasks_task``.

The trigger adds each task to the cell of its key and takes it out of the
cell of its old key, in the same transaction as the write, whoever writes
(services, admin, raw SQL). When both cells change, the one with the
smaller key is written first, so two transactions moving tasks between the
same two cells in opposite directions cannot deadlock.

``tasks_cell_bucket`` is the one definition of a cell's state; it follows
the timeliness CASE of ``tasks.querysets`` for everything that does not
depend on today. ``tasks_cells_rebuild()`` recounts every cell."""

import django.db.models.deletion
from django.db import migrations, models


FUNCTIONS = """
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

CREATE OR REPLACE FUNCTION tasks_cell_add(t tasks_task, sign integer)
RETURNS void LANGUAGE plpgsql AS $$
DECLARE
    b text := tasks_cell_bucket(t.status, t.deadline, t.completed_on, t.submitted_on);
BEGIN
    INSERT INTO tasks_dashboardcell AS c (
        directive_id, unit_id, deadline_month, bucket, is_hard,
        completed_month, waiting_month, tasks, extensions, transfers
    ) VALUES (
        t.directive_id, t.lead_unit_id, date_trunc('month', t.deadline)::date, b,
        t.is_hard,
        CASE WHEN b IN ('done_on_time', 'done_late')
             THEN date_trunc('month', t.completed_on)::date END,
        CASE WHEN b = 'waiting' THEN date_trunc('month', t.submitted_on)::date END,
        sign, sign * t.extension_count, sign * t.transfer_count
    )
    ON CONFLICT (directive_id, unit_id, deadline_month, bucket, is_hard,
                 completed_month, waiting_month)
    DO UPDATE SET tasks = c.tasks + EXCLUDED.tasks,
                  extensions = c.extensions + EXCLUDED.extensions,
                  transfers = c.transfers + EXCLUDED.transfers;
END
$$;

CREATE OR REPLACE FUNCTION tasks_cell_key(t tasks_task) RETURNS text
LANGUAGE sql IMMUTABLE AS $$
    SELECT concat_ws('|', t.directive_id, t.lead_unit_id,
                     date_trunc('month', t.deadline)::date,
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
BEGIN
    LOCK TABLE tasks_task IN SHARE MODE;
    DELETE FROM tasks_dashboardcell;
    INSERT INTO tasks_dashboardcell (
        directive_id, unit_id, deadline_month, bucket, is_hard,
        completed_month, waiting_month, tasks, extensions, transfers
    )
    SELECT directive_id, lead_unit_id, date_trunc('month', deadline)::date, b,
           is_hard,
           CASE WHEN b IN ('done_on_time', 'done_late')
                THEN date_trunc('month', completed_on)::date END,
           CASE WHEN b = 'waiting' THEN date_trunc('month', submitted_on)::date END,
           count(*), sum(extension_count), sum(transfer_count)
    FROM (SELECT t.*, tasks_cell_bucket(t.status, t.deadline, t.completed_on,
                                        t.submitted_on) AS b
          FROM tasks_task t) x
    GROUP BY 1, 2, 3, 4, 5, 6, 7;
    GET DIAGNOSTICS n = ROW_COUNT;
    RETURN n;
END
$$;

CREATE UNIQUE INDEX IF NOT EXISTS cell_key_uniq ON tasks_dashboardcell
    (directive_id, unit_id, deadline_month, bucket, is_hard,
     completed_month, waiting_month) NULLS NOT DISTINCT;

DROP TRIGGER IF EXISTS tasks_task_cells ON tasks_task;
CREATE TRIGGER tasks_task_cells
AFTER INSERT OR DELETE OR UPDATE OF directive_id, lead_unit_id, deadline, status,
    completed_on, submitted_on, is_hard, extension_count, transfer_count
ON tasks_task FOR EACH ROW
EXECUTE FUNCTION tasks_task_cells();
"""

BACKFILL = """
UPDATE tasks_task t SET transfer_count = x.n, moved_up = x.up
FROM (SELECT tr.task_id, count(*) AS n,
             bool_or(tr.kind = 'hand_back'
                     OR (fu.path LIKE tu.path || '%' AND fu.path <> tu.path)) AS up
      FROM tasks_transfer tr
      JOIN units_unit fu ON fu.id = tr.from_unit_id
      JOIN units_unit tu ON tu.id = tr.to_unit_id
      WHERE tr.status = 'done' GROUP BY tr.task_id) x
WHERE x.task_id = t.id;
UPDATE tasks_task t SET extension_count = x.n
FROM (SELECT task_id, count(*) AS n FROM tasks_extensionrequest
      WHERE status = 'approved' GROUP BY task_id) x
WHERE x.task_id = t.id;
"""

DROP = """
DROP TRIGGER IF EXISTS tasks_task_cells ON tasks_task;
DROP FUNCTION IF EXISTS tasks_task_cells();
DROP FUNCTION IF EXISTS tasks_cells_rebuild();
DROP FUNCTION IF EXISTS tasks_cell_key(tasks_task);
DROP FUNCTION IF EXISTS tasks_cell_add(tasks_task, integer);
DROP FUNCTION IF EXISTS tasks_cell_bucket(text, date, date, date);
"""


def install(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    with schema_editor.connection.cursor() as cursor:
        cursor.execute(BACKFILL)
        cursor.execute(FUNCTIONS)
        cursor.execute("SELECT tasks_cells_rebuild()")


def uninstall(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    with schema_editor.connection.cursor() as cursor:
        cursor.execute(DROP)


class Migration(migrations.Migration):
    dependencies = [
        ("directives", "0002_initial"),
        ("tasks", "0006_default_ladder"),
        ("units", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="task",
            name="extension_count",
            field=models.PositiveSmallIntegerField(
                default=0, editable=False, verbose_name="số lần được gia hạn"
            ),
        ),
        migrations.AddField(
            model_name="task",
            name="moved_up",
            field=models.BooleanField(
                default=False,
                editable=False,
                help_text="Đã trả lại người giao, hoặc chuyển lên một đơn vị cấp trên của đơn vị đang giữ.",
                verbose_name="đã bị đẩy lên trên",
            ),
        ),
        migrations.AddField(
            model_name="task",
            name="transfer_count",
            field=models.PositiveSmallIntegerField(
                default=0, editable=False, verbose_name="số lần chuyển đơn vị"
            ),
        ),
        migrations.CreateModel(
            name="DashboardCell",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True,
                        primary_key=True,
                        serialize=False,
                        verbose_name="ID",
                    ),
                ),
                ("deadline_month", models.DateField()),
                (
                    "bucket",
                    models.CharField(
                        choices=[
                            ("open", "đang làm"),
                            ("waiting", "đã báo cáo đúng hạn, chờ duyệt"),
                            ("done_on_time", "hoàn thành đúng hạn"),
                            ("done_late", "hoàn thành quá hạn"),
                            ("cancelled", "đã hủy"),
                        ],
                        max_length=16,
                    ),
                ),
                ("is_hard", models.BooleanField()),
                ("completed_month", models.DateField(null=True)),
                ("waiting_month", models.DateField(null=True)),
                ("tasks", models.IntegerField(default=0)),
                ("extensions", models.IntegerField(default=0)),
                ("transfers", models.IntegerField(default=0)),
                (
                    "directive",
                    models.ForeignKey(
                        db_constraint=False,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="directives.directive",
                    ),
                ),
                (
                    "unit",
                    models.ForeignKey(
                        db_constraint=False,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="units.unit",
                    ),
                ),
            ],
            options={
                "verbose_name": "ô số liệu bảng điều khiển",
                "verbose_name_plural": "ô số liệu bảng điều khiển",
                "indexes": [
                    models.Index(
                        fields=["directive", "deadline_month"],
                        name="cell_directive_month_idx",
                    ),
                    models.Index(
                        fields=["directive", "completed_month"],
                        name="cell_directive_done_idx",
                    ),
                ],
            },
        ),
        migrations.RunPython(install, uninstall),
    ]
