"""Reminders before the registration deadline (15/12/2026, a Tuesday; the
default steps are 10 and 3 working days before it: Tuesday 1/12 and
Thursday 10/12): who is reminded, once per person, period and step; and the
e-mail."""

import datetime

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse

from quotas import jobs, reminders, services
from quotas.models import QuotaReminder, ReminderStep
from tasks import alerts
from tasks.choices import AlertKind, CalendarDayKind, EmailMode
from tasks.models import Alert, AlertPreference, CalendarDay

from .conftest import DEADLINE

D = datetime.date
STEP_10 = D(2026, 12, 1)
STEP_3 = D(2026, 12, 10)
WITH_QUOTA = {
    "bithu_da",
    "lanhdao_vp",
    "canbo_vp",
    "canbo_vp2",
    "canbo_cl",
    "bithu_th",
    "canbo_th",
}


def reminded(step_days=None) -> set[str]:
    qs = QuotaReminder.objects.all()
    if step_days is not None:
        qs = qs.filter(step__working_days_before=step_days)
    return set(qs.values_list("person__username", flat=True))


def test_the_step_days_count_working_days_back_from_the_deadline(period):
    steps = {s.working_days_before: s for s in ReminderStep.objects.all()}

    assert reminders.step_day(period, steps[10]) == STEP_10
    assert reminders.step_day(period, steps[3]) == STEP_3


def test_nobody_is_reminded_the_day_before_the_first_step(period):
    assert (
        reminders.quotas_scan_reminders(today=STEP_10 - datetime.timedelta(days=1)) == 0
    )
    assert not QuotaReminder.objects.exists()


def test_on_the_steps_day_everyone_still_short_is_reminded_once(
    period, people, make_task, register
):
    # given canbo_vp has registered one (waiting for the leader): enough
    register(make_task())

    # when the scan runs on the first step's day, twice
    created = reminders.quotas_scan_reminders(today=STEP_10)
    again = reminders.quotas_scan_reminders(today=STEP_10)

    # then the others are reminded, each once
    assert created == len(WITH_QUOTA) - 1 and again == 0
    assert reminded(10) == WITH_QUOTA - {"canbo_vp"}
    row = QuotaReminder.objects.get(person=people.lanhdao_vp)
    assert (row.minimum, row.confirmed, row.pending) == (2, 0, 0)


def test_the_next_step_reminds_again_and_only_on_its_day(period):
    reminders.quotas_scan_reminders(today=STEP_10)

    assert (
        reminders.quotas_scan_reminders(today=STEP_3 - datetime.timedelta(days=1)) == 0
    )
    assert reminders.quotas_scan_reminders(today=STEP_3) == len(WITH_QUOTA)
    assert reminded(3) == WITH_QUOTA


def test_a_scan_that_missed_both_days_sends_only_the_nearest_step(period):
    # the broker was down until the deadline day itself
    reminders.quotas_scan_reminders(today=DEADLINE)

    assert reminded(3) == WITH_QUOTA
    assert reminded(10) == set()


def test_after_the_deadline_nobody_is_reminded(period):
    assert (
        reminders.quotas_scan_reminders(today=DEADLINE + datetime.timedelta(days=1))
        == 0
    )


def test_a_day_off_moves_the_steps_day_earlier(period):
    # given the Monday before the deadline is made a day off
    CalendarDay.objects.create(date=D(2026, 12, 14), kind=CalendarDayKind.DAY_OFF)

    # then three working days before the deadline is Wednesday 9/12
    assert reminders.quotas_scan_reminders(today=D(2026, 12, 9)) == len(WITH_QUOTA)
    assert reminded(3) == WITH_QUOTA


def test_a_switched_off_step_reminds_nobody(period):
    ReminderStep.objects.update(is_active=False)

    assert reminders.quotas_scan_reminders(today=STEP_3) == 0


def test_steps_are_rows_admins_change(period, people):
    step = ReminderStep.objects.get(working_days_before=3)
    services.reminder_step_save(
        actor=people.admin, step=step, working_days_before=1, is_active=True
    )

    # on 10/12 no step of 3 days any more: the 10-day step is the nearest
    reminders.quotas_scan_reminders(today=STEP_3)
    assert reminded(3) == set() and reminded(10) == WITH_QUOTA
    # and the day before the deadline, the new 1-day step
    assert reminders.quotas_scan_reminders(today=D(2026, 12, 14)) == len(WITH_QUOTA)
    assert reminded(1) == WITH_QUOTA


# --- e-mail ---------------------------------------------------------------------


def test_each_reminder_is_emailed_once_in_vietnamese(period, people, mailoutbox):
    reminders.quotas_scan_reminders(today=STEP_10)

    sent = reminders.quotas_send_reminders()
    again = reminders.quotas_send_reminders()

    assert sent == len(WITH_QUOTA) and again == 0
    assert sorted(m.to[0] for m in mailoutbox) == sorted(
        f"{name}@example.vn" for name in WITH_QUOTA
    )
    mail = next(m for m in mailoutbox if m.to == ["lanhdao_vp@example.vn"])
    assert mail.subject == "[Nhắc đăng ký việc khó — hạn 15/12/2026] Năm 2026"
    assert "Định mức của bạn: 2 việc khó." in mail.body
    assert "ít nhất 2 việc khó" in mail.body
    assert "/quotas/" in mail.body
    assert not QuotaReminder.objects.filter(emailed_at__isnull=True).exists()


def test_no_email_for_those_who_chose_none_or_have_no_address(
    period, people, mailoutbox
):
    AlertPreference.objects.create(user=people.canbo_vp, email_mode=EmailMode.OFF)
    people.canbo_vp2.email = ""
    people.canbo_vp2.save()
    reminders.quotas_scan_reminders(today=STEP_10)

    reminders.quotas_send_reminders()

    recipients = {m.to[0] for m in mailoutbox}
    assert "canbo_vp@example.vn" not in recipients and len(recipients) == 5
    # their reminders stay in the app
    assert {"canbo_vp", "canbo_vp2"} <= reminded(10)
    off = QuotaReminder.objects.get(person=people.canbo_vp)
    assert off.emailed_at is None and "không nhận thư" in off.last_error


def test_no_email_for_someone_who_registered_enough_since(
    period, people, make_task, register, mailoutbox
):
    reminders.quotas_scan_reminders(today=STEP_10)
    register(make_task())

    reminders.quotas_send_reminders()

    assert "canbo_vp@example.vn" not in {m.to[0] for m in mailoutbox}
    assert len(mailoutbox) == len(WITH_QUOTA) - 1


def test_the_job_scans_then_sends(period, mailoutbox):
    # the beat's job, run in this process
    result = jobs.remind_shortfalls.apply(kwargs={"today": STEP_3.isoformat()})

    assert result.get() == len(WITH_QUOTA)
    assert reminded(3) == WITH_QUOTA
    assert len(mailoutbox) == len(WITH_QUOTA)


# --- the notification bell ------------------------------------------------------


def bell_lines(user):
    return Alert.objects.filter(
        recipient=user, kind=AlertKind.REGISTRATION_REMINDER
    ).order_by("pk")


def test_each_reminder_is_one_line_in_the_bell_linking_to_the_hard_tasks_page(
    period, people, client
):
    # when the first step's scan runs twice
    reminders.quotas_scan_reminders(today=STEP_10)
    reminders.quotas_scan_reminders(today=STEP_10)

    # then everyone short has exactly one unread line, about no task
    assert Alert.objects.filter(kind=AlertKind.REGISTRATION_REMINDER).count() == len(
        WITH_QUOTA
    )
    (line,) = bell_lines(people.lanhdao_vp)
    assert line.task is None and line.read_at is None
    assert line.link == reverse("quotas:mine")
    assert line.message == (
        "Kỳ Năm 2026: còn thiếu 2 việc khó cần đăng ký (định mức 2); "
        "hạn đăng ký 15/12/2026."
    )
    assert QuotaReminder.objects.get(person=people.lanhdao_vp).alert == line

    # and the bell and the notifications page show it, with its link
    client.force_login(people.lanhdao_vp)
    page = client.get(reverse("tasks:notifications"))
    assert page.status_code == 200
    html = page.content.decode()
    assert "Nhắc đăng ký việc khó" in html
    assert f'<a href="{reverse("quotas:mine")}">Kỳ Năm 2026: còn thiếu 2' in html
    bell = client.get(reverse("tasks:bell")).content.decode()
    assert "Thông báo: 1 chưa đọc" in bell


def test_the_next_step_rings_again_and_the_line_can_be_marked_read(
    period, people, client
):
    reminders.quotas_scan_reminders(today=STEP_10)
    reminders.quotas_scan_reminders(today=STEP_3)
    first, second = bell_lines(people.canbo_vp)

    client.force_login(people.canbo_vp)
    response = client.post(reverse("tasks:notification_read", args=[second.pk]))

    assert response.status_code == 302
    second.refresh_from_db()
    first.refresh_from_db()
    assert second.read_at is not None and first.read_at is None
    # someone else cannot mark it
    client.force_login(people.canbo_vp2)
    assert (
        client.post(reverse("tasks:notification_read", args=[first.pk])).status_code
        == 404
    )


def test_the_bell_line_is_mailed_once_by_the_reminders_not_by_the_alert_jobs(
    period, people, mailoutbox
):
    reminders.quotas_scan_reminders(today=STEP_10)

    alerts.alerts_send_pending()
    assert mailoutbox == []
    reminders.quotas_send_reminders()

    assert len(mailoutbox) == len(WITH_QUOTA)


def test_an_alert_must_name_a_task_or_a_page(people):
    with pytest.raises(IntegrityError), transaction.atomic():
        Alert.objects.create(
            kind=AlertKind.REGISTRATION_REMINDER,
            deadline=DEADLINE,
            recipient=people.canbo_vp,
            message="?",
        )
