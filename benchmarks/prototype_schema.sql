-- The schema changes the report recommends, as a hand-made prototype for
-- measuring on the scale dataset. NOT a migration: run it on dt_scale only,
-- and remove it with prototype_drop.sql.
--
--   psql dt_scale -f benchmarks/prototype_schema.sql
--   .venv/bin/python benchmarks/prototype_page.py        (DATABASE_URL as run.sh)
--   psql dt_scale -f benchmarks/prototype_drop.sql

-- Level 2: counters on the task, kept by the services that move them
-- (_apply_transfer: transfers + 1, moved_up; extension_approve: extensions + 1).
ALTER TABLE tasks_task ADD COLUMN IF NOT EXISTS proto_transfers smallint NOT NULL DEFAULT 0;
ALTER TABLE tasks_task ADD COLUMN IF NOT EXISTS proto_extensions smallint NOT NULL DEFAULT 0;
ALTER TABLE tasks_task ADD COLUMN IF NOT EXISTS proto_moved_up boolean NOT NULL DEFAULT false;
UPDATE tasks_task t SET proto_transfers = x.n, proto_moved_up = x.up
FROM (SELECT tr.task_id, count(*) AS n,
             bool_or(tr.kind = 'hand_back' OR (fu.path LIKE tu.path || '%' AND fu.path <> tu.path)) AS up
      FROM tasks_transfer tr
      JOIN units_unit fu ON fu.id = tr.from_unit_id
      JOIN units_unit tu ON tu.id = tr.to_unit_id
      WHERE tr.status = 'done' GROUP BY tr.task_id) x
WHERE x.task_id = t.id AND (t.proto_transfers, t.proto_moved_up) IS DISTINCT FROM (x.n, x.up);
UPDATE tasks_task t SET proto_extensions = x.n
FROM (SELECT task_id, count(*) AS n FROM tasks_extensionrequest
      WHERE status = 'approved' GROUP BY task_id) x
WHERE x.task_id = t.id AND t.proto_extensions <> x.n;
-- Level 1: covering indexes. Every dashboard aggregate reads only these
-- columns, so PostgreSQL answers from the index (index-only scans) instead
-- of the 0.5 GB table. No write path changes (the counters of level 2 are
-- included so that the prototype measures all three levels together).
CREATE INDEX IF NOT EXISTS proto_task_dash_idx ON tasks_task (directive_id, deadline)
  INCLUDE (id, lead_unit_id, status, completed_on, submitted_on, is_hard, assignee_id,
           proto_transfers, proto_extensions, proto_moved_up);
CREATE INDEX IF NOT EXISTS proto_unit_deadline_idx ON tasks_task (lead_unit_id, deadline)
  INCLUDE (id, directive_id, status, completed_on, submitted_on, is_hard, assignee_id,
           proto_transfers, proto_extensions, proto_moved_up);
CREATE INDEX IF NOT EXISTS proto_open_idx ON tasks_task (directive_id, deadline)
  INCLUDE (id, lead_unit_id, status, completed_on, submitted_on, is_hard, assignee_id,
           proto_transfers, proto_extensions, proto_moved_up)
  WHERE status IN ('assigned', 'in_progress', 'submitted');
CREATE INDEX IF NOT EXISTS proto_hard_idx ON tasks_task (directive_id, deadline)
  INCLUDE (id, lead_unit_id, status, completed_on, submitted_on) WHERE is_hard;
CREATE INDEX IF NOT EXISTS proto_done_dir_idx ON tasks_task (directive_id, completed_on)
  INCLUDE (id, lead_unit_id, status, deadline) WHERE completed_on IS NOT NULL;

CREATE INDEX IF NOT EXISTS proto_buck_idx ON tasks_task (directive_id, deadline)
  INCLUDE (id, lead_unit_id, status, proto_transfers, assignee_id)
  WHERE proto_transfers > 1 OR proto_moved_up;


-- Level 3: monthly rollups of closed work (done or cancelled never changes
-- class), kept by task_approve and task_cancel (an UPSERT + 1 in the same
-- transaction) and rebuilt by a command. Open work is always read live.
DROP TABLE IF EXISTS proto_unit_month;
CREATE TABLE proto_unit_month AS
SELECT t.lead_unit_id, t.directive_id,
       date_trunc('month', t.deadline)::date AS deadline_month,
       count(*) FILTER (WHERE t.status = 'done' AND t.completed_on <= t.deadline)::int AS done_on_time,
       count(*) FILTER (WHERE t.status = 'done' AND t.completed_on > t.deadline)::int AS done_late,
       count(*) FILTER (WHERE t.status = 'cancelled')::int AS cancelled,
       count(*) FILTER (WHERE t.is_hard AND t.status = 'done')::int AS hard_done,
       coalesce(sum(t.proto_extensions) FILTER (WHERE t.status = 'done'), 0)::int AS extensions,
       coalesce(sum(t.proto_transfers) FILTER (WHERE t.status = 'done'), 0)::int AS transfers
FROM tasks_task t WHERE t.status IN ('done', 'cancelled')
GROUP BY 1, 2, 3;
CREATE UNIQUE INDEX proto_unit_month_key ON proto_unit_month (directive_id, deadline_month, lead_unit_id)
  INCLUDE (done_on_time, done_late, cancelled, hard_done, extensions, transfers);
DROP TABLE IF EXISTS proto_done_month;
CREATE TABLE proto_done_month AS
SELECT t.lead_unit_id, t.directive_id,
       date_trunc('month', t.completed_on)::date AS completed_month,
       CASE WHEN t.completed_on > t.deadline THEN date_trunc('month', t.deadline)::date END AS late_deadline_month,
       count(*) FILTER (WHERE t.completed_on <= t.deadline)::int AS done_on_time,
       count(*) FILTER (WHERE t.completed_on > t.deadline)::int AS done_late
FROM tasks_task t WHERE t.status = 'done'
GROUP BY 1, 2, 3, 4;
CREATE INDEX proto_done_month_idx ON proto_done_month (directive_id, completed_month)
  INCLUDE (lead_unit_id, late_deadline_month, done_on_time, done_late);

VACUUM ANALYZE tasks_task;
VACUUM ANALYZE proto_unit_month;
VACUUM ANALYZE proto_done_month;
SELECT (SELECT count(*) FROM proto_unit_month) AS unit_month_rows,
       (SELECT count(*) FROM proto_done_month) AS done_month_rows;
