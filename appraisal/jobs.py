"""Celery jobs of the accountability app. Thin: they call the services and
retry on a database outage, well below the broker's visibility timeout
(see ``tasks.jobs``)."""

import datetime
import logging

from celery import shared_task
from django.db import DatabaseError

from tasks.calendar import local_today
from tasks.jobs import MAX_RETRIES, retry_countdown

from . import selectors, services

logger = logging.getLogger(__name__)

COMPUTE_LAST_MONTH_JOB = "appraisal.compute_last_month"


@shared_task(
    name=COMPUTE_LAST_MONTH_JOB,
    bind=True,
    acks_late=True,
    max_retries=MAX_RETRIES,
    ignore_result=True,
)
def compute_last_month(self, today: str | None = None) -> dict:
    """Compute last month's scores for every unit (confirmed rows stay as
    they are). Safe to run any number of times: the same tasks give the
    same numbers."""
    day = datetime.date.fromisoformat(today) if today else local_today()
    month = selectors.previous_month(day)
    try:
        result = services.scores_compute(month=month, actor=None, today=day)
    except DatabaseError as exc:
        raise self.retry(exc=exc, countdown=retry_countdown(self.app)) from exc
    logger.info(
        "Scores of %s: %s rounds, %s people, %s frozen",
        month,
        result["rounds"],
        result["people"],
        result["frozen"],
    )
    return {**result, "month": result["month"].isoformat()}
