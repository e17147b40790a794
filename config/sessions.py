"""Django's sessions in the database, the session of each request read
with its query written out.

Every page reads its session first, before anything else can start; building
and compiling ``Session.objects.get(...)`` through the ORM took longer than
the indexed lookup itself. The same row, the same expiry rule, the same
answer for an unknown or expired key (a new, empty session); saving,
rotating and clearing are Django's.
"""

from django.contrib.sessions.backends import db
from django.db import connection
from django.utils import timezone


class SessionStore(db.SessionStore):
    def _get_session_from_db(self):
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT session_data, expire_date FROM django_session"
                " WHERE session_key = %s AND expire_date > %s",
                [
                    self.session_key,
                    connection.ops.adapt_datetimefield_value(timezone.now()),
                ],
            )
            row = cursor.fetchone()
        if row is None:
            self._session_key = None
            return None
        data, expire_date = row
        return self.model(
            session_key=self.session_key, session_data=data, expire_date=expire_date
        )
