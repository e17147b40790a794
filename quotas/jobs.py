"""Celery job of the hard-task quotas (a *job*: "task" means nhiệm vụ here).

Thin, like ``tasks.jobs``: it takes plain values, calls ``quotas.reminders``
and retries on a database outage, with the same capped countdown. Its name
is stable: the beat schedule in settings refers to it.
"""

import datetime

from celery import shared_task
from django.db import DatabaseError

from tasks.jobs import MAX_RETRIES, retry_countdown

from . import reminders

REMIND_JOB = "quotas.remind_shortfalls"


@shared_task(
    name=REMIND_JOB,
    bind=True,
    acks_late=True,
    max_retries=MAX_RETRIES,
    ignore_result=True,
)
def remind_shortfalls(self, today: str | None = None) -> int:
    """Write the reminders due today (``today``: an ISO date, for ops), then
    e-mail those not sent yet. Returns how many e-mails went out."""
    day = datetime.date.fromisoformat(today) if today else None
    try:
        reminders.quotas_scan_reminders(today=day)
        return reminders.quotas_send_reminders()
    except DatabaseError as exc:
        raise self.retry(exc=exc, countdown=retry_countdown(self.app)) from exc
