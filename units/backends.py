"""Django's authentication against the user table, the signed-in user of
each request read with its query written out.

Every page reads its user right after its session, before anything else can
start; building and compiling ``User.objects.get(pk=...)`` through the ORM
took longer than the lookup by primary key itself. The same row, loaded as
the ORM loads it (``Model.from_db``), and the same rule: an inactive user is
no user. Signing in (``authenticate``) and permissions are Django's.
"""

from functools import cache

from django.contrib.auth import backends, get_user_model
from django.db import connection

from .sql import fetch_models


@cache
def _user_sql() -> tuple[str, tuple[str, ...]]:
    model = get_user_model()
    fields = model._meta.concrete_fields
    columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
    table = connection.ops.quote_name(model._meta.db_table)
    pk = connection.ops.quote_name(model._meta.pk.column)
    sql = f"SELECT {columns} FROM {table} WHERE {pk} = %s"
    return sql, tuple(f.attname for f in fields)


class ModelBackend(backends.ModelBackend):
    def get_user(self, user_id):
        sql, names = _user_sql()
        found = fetch_models(get_user_model(), names, sql, [user_id])
        if not found:
            return None
        return found[0] if self.user_can_authenticate(found[0]) else None
