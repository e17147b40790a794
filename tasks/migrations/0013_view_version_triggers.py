"""PostgreSQL triggers that raise ``units_user.view_version`` in the same
transaction as every write that changes what the user's "Việc của tôi" page
shows, whoever writes (services, admin, raw SQL, reorganisation, seeds).
The page cache (``tasks.page_cache``) keys each page on that version, so a
cached page can never outlive the data it shows.

What the page shows, and the write that changes it:

- its rows (task columns, the lead unit's name, the directive's kind and
  number, the accountable leader's name) and the chip counts: any write to
  ``tasks_task`` → the old and new assignees; a leader renamed → the
  assignees of the tasks they answer for; a unit or directive changed → all;
- the bell count: alerts inserted or deleted, or whose recipient or read
  state changed → their recipients;
- the header (name, login, menu, which depends on the roles): the user row
  itself (a BEFORE trigger) and ``units_membership`` → its users;
- the filter form: every directive (choices) → all users on a change; the
  units of a leader's or reviewer's scope (choices; search by unit name;
  the roll-up by ``units_unitsuccession``) → all users on a change, and a
  new unit → superusers and the leaders and reviewers above it.

Statement-level triggers with transition tables: a bulk UPDATE of 100,000
tasks bumps each assignee once. They only collect the users, in a setting
local to the transaction; a deferred trigger raises the versions at
commit, still inside the transaction, locking the user rows in id order.
So a transaction holds no user row while it works: a long scan or an
uncommitted write never makes another transaction about the same person
wait, and two committing transactions cannot deadlock on each other's
half. Until its commit, a transaction does not see its own changes in the
versions: the cache is not used inside a transaction (``page_cache``).

The user row's own trigger raises its version at once when the header
changes, and never lets a save lower it (a Django ``save()`` writes every
column, including a ``view_version`` read before a concurrent raise).

Timeliness moves with the date and the working-day calendar: the cache key
carries those (``local_today`` and the "due soon" boundary), not a trigger.
"""

from django.db import migrations


def _owner_views(function: str, column: str, why: str) -> str:
    """A trigger function that collects the old and the new ``column`` (a
    user id) of every row written."""
    return f"""
-- {why}
CREATE OR REPLACE FUNCTION {function}()
RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        PERFORM tracker_bump_view_versions(ARRAY(
            SELECT DISTINCT {column} FROM new_rows));
    ELSIF TG_OP = 'DELETE' THEN
        PERFORM tracker_bump_view_versions(ARRAY(
            SELECT DISTINCT {column} FROM old_rows));
    ELSE
        PERFORM tracker_bump_view_versions(ARRAY(
            SELECT {column} FROM old_rows UNION SELECT {column} FROM new_rows));
    END IF;
    RETURN NULL;
END
$$;
"""


FUNCTIONS = (
    """
-- One row per transaction that has versions to raise: its deferred trigger
-- raises them at commit. Never holds a row for long (deleted at commit,
-- gone with a rollback), hence unlogged.
CREATE UNLOGGED TABLE tracker_view_flush (txid bigint NOT NULL);

-- Collect users whose pages change (no lock taken here).
CREATE OR REPLACE FUNCTION tracker_bump_view_versions(user_ids bigint[])
RETURNS void LANGUAGE plpgsql AS $$
DECLARE
    pending text := coalesce(current_setting('tracker.view_bumps', true), '');
BEGIN
    IF pending = 'all' OR cardinality(user_ids) = 0 THEN
        RETURN;
    END IF;
    PERFORM set_config('tracker.view_bumps', ARRAY(
        SELECT DISTINCT u FROM unnest(
            CASE WHEN pending = '' THEN user_ids
                 ELSE pending::bigint[] || user_ids END) AS u
        WHERE u IS NOT NULL)::text, true);
    IF pending = '' THEN
        INSERT INTO tracker_view_flush VALUES (txid_current());
    END IF;
END
$$;

CREATE OR REPLACE FUNCTION tracker_bump_all_view_versions()
RETURNS void LANGUAGE plpgsql AS $$
DECLARE
    pending text := coalesce(current_setting('tracker.view_bumps', true), '');
BEGIN
    PERFORM set_config('tracker.view_bumps', 'all', true);
    IF pending = '' THEN
        INSERT INTO tracker_view_flush VALUES (txid_current());
    END IF;
END
$$;

-- At commit: raise the collected versions, the rows locked in id order so
-- that two committing transactions cannot deadlock on each other's half.
CREATE OR REPLACE FUNCTION tracker_flush_view_versions()
RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    pending text := coalesce(current_setting('tracker.view_bumps', true), '');
BEGIN
    PERFORM set_config('tracker.view_bumps', '', true);
    DELETE FROM tracker_view_flush WHERE txid = NEW.txid;
    IF pending = 'all' THEN
        PERFORM 1 FROM units_user ORDER BY id FOR NO KEY UPDATE;
        UPDATE units_user SET view_version = view_version + 1;
    ELSIF pending <> '' THEN
        PERFORM 1 FROM units_user WHERE id = ANY(pending::bigint[])
            ORDER BY id FOR NO KEY UPDATE;
        UPDATE units_user SET view_version = view_version + 1
            WHERE id = ANY(pending::bigint[]);
    END IF;
    RETURN NULL;
END
$$;

CREATE OR REPLACE FUNCTION tracker_views_bump_all()
RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM tracker_bump_all_view_versions();
    RETURN NULL;
END
$$;

-- Alerts: the bell counts the recipient's unread alerts; sending the
-- e-mail (emailed_at) changes nothing on the page.
CREATE OR REPLACE FUNCTION tasks_alert_views()
RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        PERFORM tracker_bump_view_versions(ARRAY(
            SELECT DISTINCT recipient_id FROM new_rows));
    ELSIF TG_OP = 'DELETE' THEN
        PERFORM tracker_bump_view_versions(ARRAY(
            SELECT DISTINCT recipient_id FROM old_rows));
    ELSE
        PERFORM tracker_bump_view_versions(ARRAY(
            SELECT unnest(ARRAY[o.recipient_id, n.recipient_id])
            FROM old_rows o JOIN new_rows n ON n.id = o.id
            WHERE o.recipient_id IS DISTINCT FROM n.recipient_id
               OR (o.read_at IS NULL) <> (n.read_at IS NULL)));
    END IF;
    RETURN NULL;
END
$$;

-- The user row: what the header shows of the user (name, login) and what
-- decides their menu and scope raise their own version; a save never
-- lowers it.
CREATE OR REPLACE FUNCTION units_user_own_view()
RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.view_version := GREATEST(OLD.view_version, NEW.view_version)
        + CASE WHEN (NEW.username, NEW.full_name, NEW.first_name,
                     NEW.last_name, NEW.email, NEW.is_active, NEW.is_staff,
                     NEW.is_superuser)
                    IS DISTINCT FROM
                    (OLD.username, OLD.full_name, OLD.first_name,
                     OLD.last_name, OLD.email, OLD.is_active, OLD.is_staff,
                     OLD.is_superuser)
               THEN 1 ELSE 0 END;
    RETURN NEW;
END
$$;

-- A leader renamed: the rows of the tasks they answer for show the name.
CREATE OR REPLACE FUNCTION units_user_leader_views()
RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM tracker_bump_view_versions(ARRAY(
        SELECT DISTINCT assignee_id FROM tasks_task
        WHERE accountable_leader_id = NEW.id));
    RETURN NULL;
END
$$;

-- Units: a new unit appears in the unit choices of the superusers and of
-- the leaders and reviewers of the units above it (or of itself); any other
-- change of what the lists show (names, place in the tree, closing) may
-- reach anyone: the rows, the search, the choices, the scope, the roll-up.
CREATE OR REPLACE FUNCTION units_unit_views()
RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        PERFORM tracker_bump_view_versions(ARRAY(
            SELECT id FROM units_user WHERE is_superuser
            UNION
            SELECT m.user_id
            FROM new_rows n
            -- the unit and its ancestors: each prefix of its path
            CROSS JOIN LATERAL generate_series(1, n.depth) AS level
            JOIN units_unit a
              ON a.path = left(n.path, level * (length(n.path) / n.depth))
            JOIN units_membership m ON m.unit_id = a.id
            WHERE m.role IN ('leader', 'reviewer')));
    ELSIF TG_OP = 'DELETE' THEN
        PERFORM tracker_bump_all_view_versions();
    ELSIF EXISTS (
        SELECT 1 FROM old_rows o JOIN new_rows n ON n.id = o.id
        WHERE (o.name, o.short_name, o.path, o.depth, o.is_active, o.valid_to)
              IS DISTINCT FROM
              (n.name, n.short_name, n.path, n.depth, n.is_active, n.valid_to)
    ) THEN
        PERFORM tracker_bump_all_view_versions();
    END IF;
    RETURN NULL;
END
$$;

-- Directives: every user's filter lists them all; rows show kind and number.
CREATE OR REPLACE FUNCTION directives_directive_views()
RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP <> 'UPDATE' THEN
        PERFORM tracker_bump_all_view_versions();
    ELSIF EXISTS (
        SELECT 1 FROM old_rows o JOIN new_rows n ON n.id = o.id
        WHERE (o.number, o.title, o.kind, o.parent_id, o.issue_date)
              IS DISTINCT FROM
              (n.number, n.title, n.kind, n.parent_id, n.issue_date)
    ) THEN
        PERFORM tracker_bump_all_view_versions();
    END IF;
    RETURN NULL;
END
$$;
"""
    + _owner_views(
        "tasks_task_views",
        "assignee_id",
        "Tasks: the old and the new assignee of every row written.",
    )
    + _owner_views(
        "units_membership_views",
        "user_id",
        "Memberships: roles decide the menu and the filter form (scope).",
    )
)


def _statement_triggers(table: str, function: str) -> str:
    return f"""
CREATE TRIGGER {table}_views_insert AFTER INSERT ON {table}
    REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION {function}();
CREATE TRIGGER {table}_views_update AFTER UPDATE ON {table}
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION {function}();
CREATE TRIGGER {table}_views_delete AFTER DELETE ON {table}
    REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION {function}();
CREATE TRIGGER {table}_views_truncate AFTER TRUNCATE ON {table}
    FOR EACH STATEMENT EXECUTE FUNCTION tracker_views_bump_all();
"""


SOURCES = [
    ("tasks_task", "tasks_task_views"),
    ("tasks_alert", "tasks_alert_views"),
    ("units_membership", "units_membership_views"),
    ("units_unit", "units_unit_views"),
    ("directives_directive", "directives_directive_views"),
]

TRIGGERS = (
    "".join(_statement_triggers(table, function) for table, function in SOURCES)
    + """
CREATE CONSTRAINT TRIGGER tracker_view_flush AFTER INSERT ON tracker_view_flush
    DEFERRABLE INITIALLY DEFERRED
    FOR EACH ROW EXECUTE FUNCTION tracker_flush_view_versions();

CREATE TRIGGER units_unitsuccession_views AFTER INSERT OR UPDATE OR DELETE
    OR TRUNCATE ON units_unitsuccession
    FOR EACH STATEMENT EXECUTE FUNCTION tracker_views_bump_all();

CREATE TRIGGER units_user_own_view BEFORE UPDATE ON units_user
    FOR EACH ROW
    WHEN (NEW.view_version < OLD.view_version
          OR (NEW.username, NEW.full_name, NEW.first_name, NEW.last_name,
              NEW.email, NEW.is_active, NEW.is_staff, NEW.is_superuser)
             IS DISTINCT FROM
             (OLD.username, OLD.full_name, OLD.first_name, OLD.last_name,
              OLD.email, OLD.is_active, OLD.is_staff, OLD.is_superuser))
    EXECUTE FUNCTION units_user_own_view();

CREATE TRIGGER units_user_leader_views AFTER UPDATE ON units_user
    FOR EACH ROW
    WHEN ((NEW.username, NEW.full_name, NEW.first_name, NEW.last_name)
          IS DISTINCT FROM
          (OLD.username, OLD.full_name, OLD.first_name, OLD.last_name))
    EXECUTE FUNCTION units_user_leader_views();
"""
)

DROP = (
    "".join(
        f"""
DROP TRIGGER IF EXISTS {table}_views_insert ON {table};
DROP TRIGGER IF EXISTS {table}_views_update ON {table};
DROP TRIGGER IF EXISTS {table}_views_delete ON {table};
DROP TRIGGER IF EXISTS {table}_views_truncate ON {table};
DROP FUNCTION IF EXISTS {function}();
"""
        for table, function in SOURCES
    )
    + """
DROP TRIGGER IF EXISTS units_unitsuccession_views ON units_unitsuccession;
DROP TRIGGER IF EXISTS units_user_own_view ON units_user;
DROP TRIGGER IF EXISTS units_user_leader_views ON units_user;
DROP FUNCTION IF EXISTS units_user_own_view();
DROP FUNCTION IF EXISTS units_user_leader_views();
DROP FUNCTION IF EXISTS tracker_views_bump_all();
DROP TABLE IF EXISTS tracker_view_flush;
DROP FUNCTION IF EXISTS tracker_flush_view_versions();
DROP FUNCTION IF EXISTS tracker_bump_all_view_versions();
DROP FUNCTION IF EXISTS tracker_bump_view_versions(bigint[]);
"""
)


def install(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    with schema_editor.connection.cursor() as cursor:
        cursor.execute(FUNCTIONS)
        cursor.execute(TRIGGERS)


def uninstall(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    with schema_editor.connection.cursor() as cursor:
        cursor.execute(DROP)


class Migration(migrations.Migration):
    dependencies = [
        ("directives", "0002_initial"),
        ("tasks", "0012_alert_about_no_task"),
        ("units", "0004_user_view_version"),
    ]

    operations = [migrations.RunPython(install, uninstall)]
