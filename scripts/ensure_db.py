"""Create the PostgreSQL database named in DATABASE_URL when it does not exist.

Used by run.sh before ``migrate``: a fresh server has no ``directive_tracker``
database yet. SQLite needs nothing (the file is created on first use). Exit 0
when the database is there (or was created), 1 with a message otherwise.
"""

import os
import sys

import dj_database_url
import psycopg2
from psycopg2 import errorcodes, sql


def main() -> int:
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        return 0
    config = dj_database_url.parse(url)
    params = {
        "user": config.get("USER") or None,
        "password": config.get("PASSWORD") or None,
        "host": config.get("HOST") or None,
        "port": config.get("PORT") or None,
        "connect_timeout": 5,
    }
    name = config["NAME"]
    try:
        psycopg2.connect(dbname=name, **params).close()
        return 0
    except psycopg2.OperationalError as error:
        if f'database "{name}" does not exist' not in str(error):
            print(f"Cannot connect to PostgreSQL: {error}".strip(), file=sys.stderr)
            return 1
    try:
        connection = psycopg2.connect(dbname="postgres", **params)
        connection.autocommit = True
        with connection.cursor() as cursor:
            cursor.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
        connection.close()
    except psycopg2.Error as error:
        if getattr(error, "pgcode", None) == errorcodes.DUPLICATE_DATABASE:
            return 0
        print(f"Cannot create the database {name!r}: {error}".strip(), file=sys.stderr)
        return 1
    print(f"Created the PostgreSQL database {name!r}.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
