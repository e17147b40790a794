"""Reminders before the registration deadline, kept as a ledger.

The scan (``quotas_scan_reminders``) finds, for each period still open for
registration, the reminder step that applies today: among the active steps
(``ReminderStep``, 10 and 3 working days before the deadline by default)
those whose day has come, the one nearest the deadline. A step's day is the
working day that many working days before the deadline (Vietnam's calendar,
``tasks.calendar``). Everyone whose confirmed and pending registrations
together are still fewer than their quota gets one ledger row for that step
— written with ``bulk_create(ignore_conflicts=True)`` against the unique
(period, person, step) key, so a second scan, two beats at once or a retried
job write nothing twice, and a scan that missed a step's day (a broker
outage) catches up on the next run, until the deadline. An earlier step
whose day has passed without a scan is not sent late once a nearer step
applies: one reminder, not two at once.

The row is listed on the person's "Việc khó" page, and the same
transaction writes its line in the notification bell: a ``tasks.Alert`` of
kind "registration reminder", about no task, linking to that page (the row's
``alert``; a row without one gets it, so a rerun writes no second line). The
send (``quotas_send_reminders``) e-mails each row once, skipping people who
have chosen no alert e-mail (``tasks`` alert preferences), people without an
address and people who have registered enough since; the bell's line is not
e-mailed again by the alert jobs (it is not a ledger kind of theirs).
"""

import datetime
import logging
import smtplib

from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.core.mail import EmailMultiAlternatives, mailers
from django.db import transaction
from django.db.models import F
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from tasks.alerts import email_mode, max_email_attempts
from tasks.calendar import is_working_day, local_today
from tasks.choices import AlertKind, EmailMode
from tasks.models import Alert

from .models import QuotaPeriod, QuotaReminder, ReminderStep
from .selectors import quota_memberships

logger = logging.getLogger(__name__)

BATCH_SIZE = 1000


def working_days_before(day: datetime.date, count: int) -> datetime.date:
    """The working day ``count`` working days before ``day`` (``day`` itself
    when 0)."""
    current, remaining = day, count
    while remaining > 0:
        current -= datetime.timedelta(days=1)
        if is_working_day(current):
            remaining -= 1
    return current


def step_day(period: QuotaPeriod, step: ReminderStep) -> datetime.date:
    return working_days_before(period.registration_deadline, step.working_days_before)


def step_due(
    period: QuotaPeriod, steps: list[ReminderStep], today: datetime.date
) -> ReminderStep | None:
    """The step that applies today: the reached step nearest the deadline,
    or None before the first step's day and after the deadline."""
    if not (period.start <= today <= period.registration_deadline):
        return None
    reached = [s for s in steps if step_day(period, s) <= today]
    return min(reached, key=lambda s: s.working_days_before, default=None)


def people_to_remind(period: QuotaPeriod):
    """(user id, quota, confirmed, pending) of everyone who still has to
    register: confirmed and pending together below the quota."""
    return (
        quota_memberships(period.pk)
        .filter(minimum__gt=F("confirmed") + F("pending"))
        .values_list("user_id", "minimum", "confirmed", "pending")
    )


def quotas_scan_reminders(*, today: datetime.date | None = None) -> int:
    """Write the reminders due today; returns how many rows were new."""
    today = today or local_today()
    steps = list(ReminderStep.objects.filter(is_active=True))
    periods = QuotaPeriod.objects.filter(
        start__lte=today, registration_deadline__gte=today
    )
    created = 0
    for period in periods:
        step = step_due(period, steps, today)
        if step is None:
            continue
        with transaction.atomic():
            rows = [
                QuotaReminder(
                    period=period,
                    person_id=user_id,
                    step=step,
                    minimum=minimum,
                    confirmed=confirmed,
                    pending=pending,
                )
                for user_id, minimum, confirmed, pending in people_to_remind(period)
            ]
            before = QuotaReminder.objects.filter(period=period, step=step).count()
            QuotaReminder.objects.bulk_create(
                rows, batch_size=BATCH_SIZE, ignore_conflicts=True
            )
            created += (
                QuotaReminder.objects.filter(period=period, step=step).count() - before
            )
            ring_bells(period, step)
    logger.info("Quota reminders: %d written", created)
    return created


def reminder_message(reminder: QuotaReminder) -> str:
    with translation.override(settings.LANGUAGE_CODE):
        return _(
            "Kỳ %(period)s: còn thiếu %(missing)d việc khó cần đăng ký "
            "(định mức %(minimum)d); hạn đăng ký %(deadline)s."
        ) % {
            "period": reminder.period.name,
            "missing": reminder.missing,
            "minimum": reminder.minimum,
            "deadline": reminder.period.registration_deadline.strftime("%d/%m/%Y"),
        }


def ring_bells(period: QuotaPeriod, step: ReminderStep) -> int:
    """Write the bell's line for every reminder of this period and step that
    has none yet; returns how many. Inside the scan's transaction: the rows
    without an alert are locked, so two scans at once cannot both write one."""
    reminders = list(
        QuotaReminder.objects.select_for_update(of=("self",))
        .select_related("period")
        .filter(period=period, step=step, alert__isnull=True)
        .order_by("pk")
    )
    if not reminders:
        return 0
    link = reverse("quotas:mine")
    alerts = Alert.objects.bulk_create(
        [
            Alert(
                task=None,
                link=link,
                kind=AlertKind.REGISTRATION_REMINDER,
                deadline=period.registration_deadline,
                recipient_id=reminder.person_id,
                message=reminder_message(reminder),
            )
            for reminder in reminders
        ],
        batch_size=BATCH_SIZE,
    )
    for reminder, alert in zip(reminders, alerts, strict=True):
        reminder.alert = alert
    QuotaReminder.objects.bulk_update(reminders, ["alert"], batch_size=BATCH_SIZE)
    return len(reminders)


# --- e-mail -------------------------------------------------------------------


def _still_short(reminder: QuotaReminder) -> bool:
    return (
        quota_memberships(reminder.period_id)
        .filter(user_id=reminder.person_id)
        .filter(minimum__gt=F("confirmed") + F("pending"))
        .exists()
    )


def _give_up(reminder: QuotaReminder, reason: str, maximum: int) -> None:
    reminder.email_attempts = max(reminder.email_attempts, maximum)
    reminder.last_error = reason
    reminder.save(update_fields=["email_attempts", "last_error"])


def build_reminder_email(reminder: QuotaReminder) -> EmailMultiAlternatives:
    period = reminder.period
    context = {
        "reminder": reminder,
        "person": reminder.person,
        "period": period,
        "missing": reminder.missing,
        "page_url": f"{settings.SITE_URL}{reverse('quotas:mine')}",
    }
    with translation.override(settings.LANGUAGE_CODE):
        subject = render_to_string("quotas/email/reminder_subject.txt", context)
        text = render_to_string("quotas/email/reminder.txt", context)
        html = render_to_string("quotas/email/reminder.html", context)
    message = EmailMultiAlternatives(
        subject=" ".join(subject.split())[:250],
        body=text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[reminder.person.email],
    )
    message.attach_alternative(html, "text/html")
    return message


def _send_one(pk: int, *, mailer, maximum: int) -> str:
    with transaction.atomic():
        reminder = (
            QuotaReminder.objects.select_for_update(skip_locked=True, of=("self",))
            .select_related("person", "period")
            .filter(pk=pk, emailed_at__isnull=True, email_attempts__lt=maximum)
            .first()
        )
        if reminder is None:
            return "skipped"
        if not reminder.person.email:
            _give_up(reminder, _("Người nhận chưa có địa chỉ thư điện tử."), maximum)
            return "given_up"
        if email_mode(reminder.person) == EmailMode.OFF:
            _give_up(
                reminder,
                _("Người nhận chọn không nhận thư (chỉ xem trong ứng dụng)."),
                maximum,
            )
            return "given_up"
        if not _still_short(reminder):
            _give_up(
                reminder,
                _("Không gửi: người nhận đã đăng ký đủ việc khó trước khi gửi thư."),
                maximum,
            )
            return "given_up"
        reminder.email_attempts += 1
        try:
            if not mailer.send_messages([build_reminder_email(reminder)]):
                raise smtplib.SMTPException(_("Máy chủ thư không nhận thư."))
        except SoftTimeLimitExceeded:
            raise
        except Exception as exc:  # noqa: BLE001 — recorded, retried next run
            reminder.last_error = f"{type(exc).__name__}: {exc}"[:2000]
            reminder.save(update_fields=["email_attempts", "last_error"])
            logger.warning("Quota reminder %s: e-mail failed", pk, exc_info=True)
            return "failed"
        reminder.emailed_at = timezone.now()
        reminder.last_error = ""
        reminder.save(update_fields=["emailed_at", "email_attempts", "last_error"])
        return "sent"


def quotas_send_reminders(*, limit: int = 500) -> int:
    """E-mail the reminders not sent yet, oldest first; returns how many
    were sent. A failure is kept on the row and retried by the next run, up
    to the alerts' maximum attempts."""
    maximum = max_email_attempts()
    pending = list(
        QuotaReminder.objects.filter(
            emailed_at__isnull=True, email_attempts__lt=maximum
        )
        .order_by("created_at", "pk")
        .values_list("pk", flat=True)[:limit]
    )
    if not pending:
        return 0
    mailer = mailers.default
    sent = 0
    try:
        for pk in pending:
            if _send_one(pk, mailer=mailer, maximum=maximum) == "sent":
                sent += 1
    finally:
        try:
            mailer.close()
        except Exception:  # noqa: BLE001
            logger.debug("Closing the mailer failed", exc_info=True)
    return sent
