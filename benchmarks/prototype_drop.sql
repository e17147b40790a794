-- Undo prototype_schema.sql: dt_scale back to the schema of the migrations.
DROP TABLE IF EXISTS proto_unit_month;
DROP TABLE IF EXISTS proto_done_month;
DROP INDEX IF EXISTS proto_task_dash_idx, proto_unit_deadline_idx, proto_open_idx,
  proto_hard_idx, proto_done_dir_idx, proto_buck_idx, proto_unit_done_idx,
  proto_task_done_idx, proto_closed_dm, proto_closed_cm;
ALTER TABLE tasks_task DROP COLUMN IF EXISTS proto_transfers,
  DROP COLUMN IF EXISTS proto_extensions, DROP COLUMN IF EXISTS proto_moved_up;
VACUUM ANALYZE tasks_task;
