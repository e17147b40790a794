"""The alert ledger: the overdue scan and the e-mail send.

The scan selects by state — open tasks past the deadline that counts, with
no overdue alert yet for (task, that deadline, recipient) — so a rerun finds
nothing left, and a tick lost while the broker was down is caught up by the
next one. Rows are written with ``bulk_create(ignore_conflicts=True)``
against the ledger's partial unique constraint: that, not a lock, is what
makes two scans at once, a second beat or a retried job harmless. The scan
never writes to task rows.

The send e-mails ledger rows not sent yet, one row per short transaction,
each row locked with ``SELECT … FOR UPDATE SKIP LOCKED`` so that two
senders never take the same row. Delivery is at least once: a worker killed
after the mail server accepted a message but before the commit sends that
one message again on the next run; nothing else is ever sent twice.

``email_attempts`` counts tries; a row stops being tried when it reaches
``TRACKER_ALERT_EMAIL_MAX_ATTEMPTS`` (5 unless set). Rows that can never be
sent — a recipient without an e-mail address, or a task that is no longer
in the state the alert speaks of (done, cancelled, deadline extended) by
the time the send runs — are given up at once: ``emailed_at`` stays empty
(no mail went out), ``email_attempts`` is set to the maximum and
``last_error`` says why. The alert is still shown in the app.
"""

import datetime
import logging
import smtplib

from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.core.mail import EmailMultiAlternatives, mailers
from django.db import transaction
from django.db.models import Exists, OuterRef, Q
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from .choices import SCAN_ALERT_KINDS, AlertKind, ScanStatus, Timeliness
from .models import Alert, ScanRun, Task

logger = logging.getLogger(__name__)

SCAN_OVERDUE_JOB = "tasks.scan_overdue"
SEND_PENDING_JOB = "tasks.send_pending_alerts"

# After this many failures in a row (not counting a refused address) the
# mail server is taken to be down: the run stops and the next one retries.
CONSECUTIVE_FAILURES_TO_STOP = 3

# Which timeliness class a ledger kind speaks of: the send re-checks it.
_KIND_TIMELINESS = {
    AlertKind.OVERDUE: Timeliness.OVERDUE,
    AlertKind.ESCALATION: Timeliness.OVERDUE,
    AlertKind.DUE_SOON: Timeliness.DUE_SOON,
}


def max_email_attempts() -> int:
    return getattr(settings, "TRACKER_ALERT_EMAIL_MAX_ATTEMPTS", 5)


# --- scan runs ---------------------------------------------------------------


def _start_run(job: str) -> ScanRun:
    return ScanRun.objects.create(job=job, started_at=timezone.now())


def _finish_run(run: ScanRun, *, error: BaseException | None = None) -> None:
    run.finished_at = timezone.now()
    if error is None:
        run.status = ScanStatus.OK
    else:
        run.status = ScanStatus.FAILED
        text = str(error) if isinstance(error, _MailServerDown) else None
        run.error = (text or f"{type(error).__name__}: {error}")[:4000]
    try:
        run.save(
            update_fields=[
                "finished_at",
                "status",
                "created_count",
                "sent_count",
                "failed_count",
                "error",
            ]
        )
    except Exception:
        # The database may be what failed; the job's own error is the one
        # that matters, so it is the one re-raised.
        if error is None:
            raise
        logger.exception("Could not record the failure of scan run %s", run.pk)


# --- the overdue scan --------------------------------------------------------


def overdue_tasks_missing_alerts(today: datetime.date):
    """Overdue tasks (the one definition of timeliness) lacking an overdue
    alert for their current deadline for the assignee or the accountable
    leader, annotated with which of the two already has one."""
    alerts = Alert.objects.filter(
        task=OuterRef("pk"), deadline=OuterRef("deadline"), kind=AlertKind.OVERDUE
    )
    return (
        Task.objects.overdue(today)
        .annotate(
            assignee_alerted=Exists(alerts.filter(recipient=OuterRef("assignee_id"))),
            leader_alerted=Exists(
                alerts.filter(recipient=OuterRef("accountable_leader_id"))
            ),
        )
        .filter(Q(assignee_alerted=False) | Q(leader_alerted=False))
    )


def alerts_scan_overdue(
    *,
    today: datetime.date | None = None,
    batch_size: int | None = None,
    enqueue_send: bool = True,
) -> ScanRun:
    """Write the overdue alerts that are due and not written yet.

    One row per recipient — the assignee and the accountable leader (one row
    if they are the same person) — for each open task past its current
    deadline. Tasks are read in keyset-paginated batches on the primary key,
    each batch written in its own short transaction, so memory stays flat
    and no long transaction holds the ledger. Never writes to task rows.

    Records a ``ScanRun``. When rows were created (and ``enqueue_send``),
    the e-mail send is enqueued after commit; a broker failure there is
    logged and left to the next beat of the send job.
    """
    today = today or timezone.localdate()
    batch_size = batch_size or settings.TRACKER_ALERT_BATCH_SIZE
    run = _start_run(SCAN_OVERDUE_JOB)
    try:
        candidates = overdue_tasks_missing_alerts(today).order_by("pk")
        last_pk = 0
        while True:
            batch = list(
                candidates.filter(pk__gt=last_pk).values_list(
                    "pk",
                    "deadline",
                    "assignee_id",
                    "accountable_leader_id",
                    "assignee_alerted",
                    "leader_alerted",
                )[:batch_size]
            )
            if not batch:
                break
            last_pk = batch[-1][0]
            rows = []
            for task_id, deadline, assignee_id, leader_id, a_done, l_done in batch:
                # A dict: one row when the assignee is also the leader.
                alerted = {assignee_id: a_done, leader_id: l_done}
                rows.extend(
                    Alert(
                        task_id=task_id,
                        deadline=deadline,
                        kind=AlertKind.OVERDUE,
                        recipient_id=recipient_id,
                    )
                    for recipient_id, done in alerted.items()
                    if not done
                )
            with transaction.atomic():
                Alert.objects.bulk_create(rows, ignore_conflicts=True)
            # Rows a concurrent scan wrote first are skipped by the database
            # and may be counted by both scans; the ledger never duplicates.
            run.created_count += len(rows)
            if len(batch) < batch_size:
                break
    except Exception as exc:
        _finish_run(run, error=exc)
        raise
    _finish_run(run)
    logger.info("Overdue scan for %s: %d alert(s) created", today, run.created_count)
    if run.created_count and enqueue_send:
        transaction.on_commit(_enqueue_send)
    return run


def _enqueue_send() -> None:
    from .jobs import enqueue_send  # jobs import this module

    enqueue_send()


# --- the e-mail send ---------------------------------------------------------

SENT, FAILED, GIVEN_UP, SKIPPED = "sent", "failed", "given_up", "skipped"


class _MailServerDown(Exception):
    pass


def alerts_send_pending(*, limit: int = 500) -> ScanRun:
    """E-mail ledger alerts not sent yet, oldest first, at most ``limit``.

    Each alert is locked (``SKIP LOCKED``: another sender's rows are left to
    it) and re-checked in its own transaction, then one message is sent and
    the row marked. A failed send records the error and the attempt and is
    retried by a later run, up to the maximum attempts. Records a
    ``ScanRun`` with the counts.
    """
    run = _start_run(SEND_PENDING_JOB)
    today = timezone.localdate()
    maximum = max_email_attempts()
    mailer = None
    failures_in_a_row = 0
    try:
        mailer = mailers.default
        pending = list(
            Alert.objects.filter(
                kind__in=SCAN_ALERT_KINDS,
                emailed_at__isnull=True,
                email_attempts__lt=maximum,
            )
            .order_by("created_at", "pk")
            .values_list("pk", flat=True)[:limit]
        )
        for pk in pending:
            outcome, refused = _send_one(
                pk, mailer=mailer, today=today, maximum=maximum
            )
            if outcome == SENT:
                run.sent_count += 1
                failures_in_a_row = 0
            elif outcome in (FAILED, GIVEN_UP):
                run.failed_count += 1
                if outcome == FAILED and not refused:
                    failures_in_a_row += 1
                    _close_quietly(mailer)
            if failures_in_a_row >= CONSECUTIVE_FAILURES_TO_STOP:
                raise _MailServerDown(
                    _("Dừng sau %(n)d lần gửi thư lỗi liên tiếp; lượt sau sẽ gửi tiếp.")
                    % {"n": failures_in_a_row}
                )
    except _MailServerDown as exc:
        # Shown as a failed run, but not raised: the rows keep their errors
        # and the next beat of this job tries them again.
        _close_quietly(mailer)
        _finish_run(run, error=exc)
        return run
    except Exception as exc:
        _close_quietly(mailer)
        _finish_run(run, error=exc)
        raise
    _close_quietly(mailer)
    _finish_run(run)
    logger.info("Alert send: %d sent, %d not sent", run.sent_count, run.failed_count)
    return run


def _close_quietly(mailer) -> None:
    if mailer is None:
        return
    try:
        mailer.close()
    except Exception:
        logger.debug("Closing the mailer failed", exc_info=True)


def _still_relevant(alert: Alert, today: datetime.date) -> bool:
    klass = _KIND_TIMELINESS[alert.kind]
    return (
        Task.objects.filter_timeliness(klass, today=today)
        .filter(pk=alert.task_id, deadline=alert.deadline)
        .exists()
    )


def _give_up(alert: Alert, reason: str, maximum: int) -> None:
    alert.email_attempts = max(alert.email_attempts, maximum)
    alert.last_error = reason
    alert.save(update_fields=["email_attempts", "last_error"])


def _send_one(
    pk: int, *, mailer, today: datetime.date, maximum: int
) -> tuple[str, bool]:
    """Send one alert's e-mail in its own transaction. Returns the outcome
    and whether a failure was the server refusing that address."""
    with transaction.atomic():
        alert = (
            Alert.objects.select_for_update(skip_locked=True, of=("self",))
            .select_related("task", "task__lead_unit", "recipient")
            .filter(pk=pk, emailed_at__isnull=True, email_attempts__lt=maximum)
            .first()
        )
        if alert is None:
            # Sent meanwhile, or being sent right now by another worker.
            return SKIPPED, False
        if not alert.recipient.email:
            _give_up(alert, _("Người nhận chưa có địa chỉ thư điện tử."), maximum)
            return GIVEN_UP, False
        if not _still_relevant(alert, today):
            _give_up(
                alert,
                _(
                    "Không gửi: nhiệm vụ đã hoàn thành, bị hủy hoặc đã đổi hạn "
                    "trước khi thư được gửi."
                ),
                maximum,
            )
            return GIVEN_UP, False
        alert.email_attempts += 1
        try:
            sent = mailer.send_messages([build_alert_email(alert, today=today)])
            if not sent:
                raise smtplib.SMTPException(_("Máy chủ thư không nhận thư."))
        except SoftTimeLimitExceeded:
            raise
        except Exception as exc:
            alert.last_error = f"{type(exc).__name__}: {exc}"[:2000]
            alert.save(update_fields=["email_attempts", "last_error"])
            logger.warning("Alert %s: e-mail failed: %s", alert.pk, alert.last_error)
            return FAILED, isinstance(exc, smtplib.SMTPRecipientsRefused)
        alert.emailed_at = timezone.now()
        alert.last_error = ""
        alert.save(update_fields=["emailed_at", "email_attempts", "last_error"])
        return SENT, False


def build_alert_email(alert: Alert, *, today: datetime.date) -> EmailMultiAlternatives:
    """The e-mail of one ledger alert, in the site's language (Vietnamese):
    subject, plain text and HTML from ``templates/tasks/email/``."""
    task = alert.task
    recipient = alert.recipient
    if recipient.pk == task.assignee_id:
        role = _("người thực hiện")
    elif recipient.pk == task.accountable_leader_id:
        role = _("lãnh đạo chịu trách nhiệm")
    else:
        role = ""
    context = {
        "alert": alert,
        "task": task,
        "recipient": recipient,
        "recipient_role": role,
        "unit": task.lead_unit,
        "deadline": alert.deadline,
        "days_overdue": max((today - alert.deadline).days, 0),
        "is_overdue": alert.kind in (AlertKind.OVERDUE, AlertKind.ESCALATION),
        "task_url": settings.SITE_URL + task.get_absolute_url(),
        "site_url": settings.SITE_URL,
    }
    with translation.override(settings.LANGUAGE_CODE):
        subject = render_to_string("tasks/email/alert_subject.txt", context)
        text = render_to_string("tasks/email/alert.txt", context)
        html = render_to_string("tasks/email/alert.html", context)
    message = EmailMultiAlternatives(
        subject=" ".join(subject.split())[:250],
        body=text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[recipient.email],
    )
    message.attach_alternative(html, "text/html")
    return message
