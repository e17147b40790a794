"""Celery jobs of the alert ledger. In this project "task" means nhiệm vụ,
so Celery work is a *job*.

Jobs are thin: they take plain values (ids, ISO dates), call the service in
``tasks.alerts`` and retry on a database outage. Their names are stable —
the beat schedule in settings and any message already queued refer to
them. Every retry countdown and every run stays far below the broker's
visibility timeout (an hour), after which Redis would redeliver the message
and a second copy of the job would run: the countdown is capped from that
setting, whatever it is.
"""

import datetime
import logging

from celery import current_app, shared_task
from django.db import DatabaseError

from . import alerts

logger = logging.getLogger(__name__)

RETRY_COUNTDOWN = 60  # seconds
MAX_RETRIES = 5


def retry_countdown(app=None) -> int:
    """Seconds before a job retries: ``RETRY_COUNTDOWN``, but never more
    than a tenth of the broker's visibility timeout. A retried job waits,
    unacknowledged, for its countdown; past the visibility timeout Redis
    would hand it to a second worker as well."""
    options = (app or current_app).conf.broker_transport_options or {}
    visibility = int(options.get("visibility_timeout", 3600))
    return max(1, min(RETRY_COUNTDOWN, visibility // 10))


@shared_task(
    name=alerts.SCAN_OVERDUE_JOB,
    bind=True,
    acks_late=True,
    max_retries=MAX_RETRIES,
    ignore_result=True,
)
def scan_overdue(self, today: str | None = None) -> int:
    """Write the overdue alerts due now (``today``: an ISO date, for ops)."""
    day = datetime.date.fromisoformat(today) if today else None
    try:
        run = alerts.alerts_scan_overdue(today=day)
    except DatabaseError as exc:
        raise self.retry(exc=exc, countdown=retry_countdown(self.app)) from exc
    return run.created_count


@shared_task(
    name=alerts.SEND_PENDING_JOB,
    bind=True,
    acks_late=True,
    max_retries=MAX_RETRIES,
    ignore_result=True,
)
def send_pending_alerts(self, limit: int = 500) -> int:
    """E-mail the ledger alerts not sent yet (at most ``limit``)."""
    try:
        run = alerts.alerts_send_pending(limit=limit)
    except DatabaseError as exc:
        raise self.retry(exc=exc, countdown=retry_countdown(self.app)) from exc
    return run.sent_count


@shared_task(
    name=alerts.SEND_DIGEST_JOB,
    bind=True,
    acks_late=True,
    max_retries=MAX_RETRIES,
    ignore_result=True,
)
def send_alert_digests(self) -> int:
    """E-mail the daily digests that are due (each reader at their hour)."""
    try:
        run = alerts.alerts_send_digests()
    except DatabaseError as exc:
        raise self.retry(exc=exc, countdown=retry_countdown(self.app)) from exc
    return run.sent_count


ALERT_JOBS = (scan_overdue, send_pending_alerts, send_alert_digests)


def enqueue_send() -> bool:
    """Ask a worker to send pending alerts now, without ever waiting long on
    or failing because of the broker: the short broker timeouts in settings
    bound the wait, a failure is logged, and the send job's next beat
    catches up. Returns whether the message was queued."""
    try:
        send_pending_alerts.apply_async()
    except Exception:
        logger.warning(
            "Could not queue %s; the next scheduled send will catch up.",
            alerts.SEND_PENDING_JOB,
            exc_info=True,
        )
        return False
    return True
