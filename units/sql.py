"""Reads written out as SQL, for the few hot paths where building and
compiling a query through the ORM costs more than running it (every page's
memberships, the bell, the dashboard's lists). Lives in ``units``, the app
every other one depends on."""

from django.db import DEFAULT_DB_ALIAS, connection


def fetch_rows(sql: str, params=()) -> list[tuple]:
    """The rows of one statement on the default database."""
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def fetch_models(model, fields: tuple[str, ...], sql: str, params=()) -> list:
    """Instances of ``model`` from one statement whose columns are
    ``fields`` (attribute names, in order), loaded as the ORM loads them
    (``Model.from_db``; the other fields deferred)."""
    return [
        model.from_db(DEFAULT_DB_ALIAS, fields, row) for row in fetch_rows(sql, params)
    ]


def subtree_pattern(path: str) -> str:
    """A ``LIKE`` pattern for ``path`` and every path under it (as the ORM's
    ``path__startswith`` writes it)."""
    return f"{connection.ops.prep_for_like_query(path)}%"
