"""The alert ledger: the overdue scan, the e-mail send, their jobs."""

import datetime
import smtplib
import threading
import zoneinfo
from io import StringIO

import pytest
from django.conf import settings as django_settings
from django.core.mail.backends.base import BaseEmailBackend
from django.core.management import call_command
from django.db import IntegrityError, OperationalError, connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tasks import alerts, jobs, services
from tasks.choices import SCAN_ALERT_KINDS, AlertKind, ScanStatus
from tasks.models import Alert, LadderStep, ScanRun, Task

pytestmark = pytest.mark.usefixtures("send_enqueues", "overdue_step_only")

LOCMEM = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
FAILING = {"default": {"BACKEND": "tests.tasks.test_alerts.FailingMailBackend"}}
HANOI = zoneinfo.ZoneInfo("Asia/Ho_Chi_Minh")


class FailingMailBackend(BaseEmailBackend):
    """A mail server that refuses every message."""

    calls = 0

    def send_messages(self, email_messages):
        FailingMailBackend.calls += 1
        raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")


@pytest.fixture
def make_task(make_task):
    """Tasks as the ledger tests want them: without the notice of their
    assignment, which the services write and these tests are not about."""

    def _make(**overrides):
        task = make_task(**overrides)
        Alert.objects.filter(task=task).delete()
        return task

    return _make


@pytest.fixture
def overdue_step_only(db):
    """These tests are about the ledger's mechanics on its overdue step; the
    other steps of the default ladder are switched off here (the ladder
    itself is tested in test_alert_ladder.py). Transactional tests start
    from an emptied database, so the default ladder is installed first."""
    alerts.install_default_ladder()
    LadderStep.objects.exclude(kind=AlertKind.OVERDUE).update(is_active=False)


def overdue_alerts(task=None):
    qs = Alert.objects.filter(kind=AlertKind.OVERDUE)
    return qs.filter(task=task) if task is not None else qs


def recipients_of(task):
    return sorted(overdue_alerts(task).values_list("recipient__username", flat=True))


# --- the scan ----------------------------------------------------------------


def test_scan_alerts_the_assignee_and_the_leader_once_each_for_an_overdue_task(
    overdue_task, people
):
    # given an open task two days past its deadline
    task = overdue_task(days=2)

    # when the overdue scan runs
    run = alerts.alerts_scan_overdue()

    # then the assignee and the accountable leader each have one overdue alert
    # for that deadline, unread and not yet e-mailed
    assert recipients_of(task) == ["canbo_vp", "lanhdao_vp"]
    assert set(overdue_alerts(task).values_list("deadline", flat=True)) == {
        task.deadline
    }
    assert Alert.objects.unread_for(people.canbo_vp).count() == 1
    assert overdue_alerts(task).unsent().count() == 2
    assert (run.job, run.status, run.created_count) == (
        "tasks.scan_overdue",
        ScanStatus.OK,
        2,
    )
    assert run.finished_at is not None


def test_scan_alerts_a_leader_who_is_also_the_assignee_only_once(overdue_task, people):
    # given an overdue task the leader carries out personally
    task = overdue_task(
        assignee=people.lanhdao_vp, accountable_leader=people.lanhdao_vp
    )

    # when the scan runs
    run = alerts.alerts_scan_overdue()

    # then that person gets one alert, not two
    assert recipients_of(task) == ["lanhdao_vp"]
    assert run.created_count == 1


def test_scan_leaves_on_track_due_soon_done_cancelled_and_waiting_tasks_alone(
    make_task, overdue_task, people, today
):
    # given tasks that are not overdue: within the deadline, due tomorrow,
    # done late, cancelled after the deadline, and submitted on time but
    # still waiting for the leader after the deadline passed
    make_task(deadline=today + datetime.timedelta(days=20))
    make_task(deadline=today + datetime.timedelta(days=1))
    make_task(deadline=today)
    done = overdue_task(days=3)
    services.task_submit(actor=people.canbo_vp, task=done, actual_result="Đã ban hành")
    services.task_approve(actor=people.lanhdao_vp, task=done)
    cancelled = overdue_task(days=3)
    services.task_cancel(
        actor=people.lanhdao_vp, task=cancelled, reason="Không còn cần"
    )
    waiting = overdue_task(days=3)
    services.task_submit(
        actor=people.canbo_vp,
        task=waiting,
        actual_result="Đã trình",
        today=waiting.deadline,
    )

    # when the scan runs
    run = alerts.alerts_scan_overdue()

    # then nobody is alerted (the services' own event notices aside)
    assert run.created_count == 0
    assert not Alert.objects.filter(kind__in=SCAN_ALERT_KINDS).exists()


def test_running_the_scan_twice_creates_nothing_new(overdue_task):
    # given an overdue task already scanned once
    task = overdue_task()
    first = alerts.alerts_scan_overdue()

    # when the scan runs again
    second = alerts.alerts_scan_overdue()

    # then it finds nothing left to do
    assert (first.created_count, second.created_count) == (2, 0)
    assert overdue_alerts(task).count() == 2
    assert second.status == ScanStatus.OK


def test_scan_alerts_the_missing_recipient_when_the_other_already_has_one(
    overdue_task, people
):
    # given an overdue task whose assignee alone was alerted (for example a
    # leader who took over after the scan)
    task = overdue_task()
    Alert.objects.create(
        task=task,
        deadline=task.deadline,
        kind=AlertKind.OVERDUE,
        step=LadderStep.objects.get(kind=AlertKind.OVERDUE),
        recipient=people.canbo_vp,
    )

    # when the scan runs
    run = alerts.alerts_scan_overdue()

    # then only the leader's alert is added
    assert run.created_count == 1
    assert recipients_of(task) == ["canbo_vp", "lanhdao_vp"]


@pytest.mark.django_db(transaction=True)
def test_two_scans_at_once_create_no_duplicate(overdue_task, monkeypatch):
    # given overdue tasks, and two scans that both read "no alert yet" before
    # either of them writes (a barrier holds each at its insert)
    tasks = [overdue_task(days=d) for d in (1, 2, 3)]
    barrier = threading.Barrier(2, timeout=20)
    real_bulk_create = Alert.objects.bulk_create

    def bulk_create_after_both_have_read(objs, **kwargs):
        barrier.wait()
        return real_bulk_create(objs, **kwargs)

    monkeypatch.setattr(Alert.objects, "bulk_create", bulk_create_after_both_have_read)
    runs, errors = [], []

    def scan():
        try:
            runs.append(alerts.alerts_scan_overdue(enqueue_send=False))
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)
        finally:
            connection.close()

    # when both run at the same time, each on its own database connection
    threads = [threading.Thread(target=scan) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    # then both finish, and each task has exactly one alert per recipient
    assert errors == []
    assert [run.status for run in runs] == [ScanStatus.OK, ScanStatus.OK]
    assert overdue_alerts().count() == 6
    for task in tasks:
        assert recipients_of(task) == ["canbo_vp", "lanhdao_vp"]


def test_a_missed_tick_is_caught_up_by_the_next_scan(overdue_task):
    # given a task whose deadline passed three days ago while no scan ran
    task = overdue_task(days=3)
    assert not Alert.objects.exists()

    # when a scan finally runs on the third day after the deadline
    run = alerts.alerts_scan_overdue(today=task.deadline + datetime.timedelta(days=3))

    # then the task gets its overdue alerts, for that deadline
    assert run.created_count == 2
    assert set(overdue_alerts(task).values_list("deadline", flat=True)) == {
        task.deadline
    }


def test_after_an_approved_extension_the_new_deadline_is_alerted_once_it_passes(
    overdue_task, people, today
):
    # given an overdue task already alerted, then extended by five days
    task = overdue_task(days=2)
    alerts.alerts_scan_overdue()
    new_deadline = today + datetime.timedelta(days=5)
    extension = services.extension_request(
        actor=people.canbo_vp,
        task=task,
        new_deadline=new_deadline,
        reason="Chờ số liệu",
    )
    services.extension_approve(actor=people.lanhdao_vp, extension=extension)

    # when the scan runs before the new deadline, then nothing new
    assert alerts.alerts_scan_overdue().created_count == 0

    # when it runs the day after the new deadline, then the new deadline is
    # alerted, once
    after = new_deadline + datetime.timedelta(days=1)
    assert alerts.alerts_scan_overdue(today=after).created_count == 2
    assert alerts.alerts_scan_overdue(today=after).created_count == 0
    deadlines = sorted(overdue_alerts(task).values_list("deadline", flat=True))
    old = today - datetime.timedelta(days=2)
    assert deadlines == [old, old, new_deadline, new_deadline]


def test_the_scan_never_changes_the_task_row(overdue_task):
    # given an overdue task
    task = overdue_task()
    task.refresh_from_db()
    before = (task.version, task.updated_at, task.history.count())

    # when the scan alerts it
    alerts.alerts_scan_overdue()

    # then the task row and its history are untouched
    task.refresh_from_db()
    assert (task.version, task.updated_at, task.history.count()) == before


@pytest.mark.parametrize(
    ("day_offset", "clock", "expected"),
    [
        (0, datetime.time(0, 0, 0), 0),
        (0, datetime.time(23, 59, 59), 0),
        (1, datetime.time(0, 0, 0), 2),
    ],
    ids=["deadline-day-00:00:00", "deadline-day-23:59:59", "next-day-00:00:00"],
)
def test_a_task_is_overdue_from_the_first_local_moment_after_its_deadline_day(
    make_task, monkeypatch, day_offset, clock, expected
):
    # given a task due on 10 March 2026
    deadline = datetime.date(2026, 3, 10)
    task = make_task(start_date=datetime.date(2026, 3, 1), deadline=deadline)

    # when the scan runs at that local (Hà Nội) time
    moment = datetime.datetime.combine(
        deadline + datetime.timedelta(days=day_offset), clock, tzinfo=HANOI
    )
    monkeypatch.setattr(timezone, "now", lambda: moment)
    run = alerts.alerts_scan_overdue()

    # then alerts appear only from the day after the deadline
    assert run.created_count == expected
    assert overdue_alerts(task).count() == expected


def test_alerts_are_created_exactly_once_across_midnight_after_the_deadline(
    make_task, monkeypatch
):
    # given a task due on 10 March 2026
    deadline = datetime.date(2026, 3, 10)
    task = make_task(start_date=datetime.date(2026, 3, 1), deadline=deadline)
    counts = []

    # when scans run at 23:59:59 on the deadline day, at 00:00:00 and at
    # 00:15:00 the next day (local time)
    for day, clock in [
        (deadline, datetime.time(23, 59, 59)),
        (deadline + datetime.timedelta(days=1), datetime.time(0, 0, 0)),
        (deadline + datetime.timedelta(days=1), datetime.time(0, 15, 0)),
    ]:
        moment = datetime.datetime.combine(day, clock, tzinfo=HANOI)
        monkeypatch.setattr(timezone, "now", lambda moment=moment: moment)
        counts.append(alerts.alerts_scan_overdue().created_count)

    # then the alerts are written by the midnight scan, and only by it
    assert counts == [0, 2, 0]
    assert overdue_alerts(task).count() == 2


def test_scan_query_count_does_not_grow_with_the_number_of_tasks(overdue_task):
    # given one overdue task
    overdue_task()
    with CaptureQueriesContext(connection) as one:
        alerts.alerts_scan_overdue()
    Alert.objects.all().delete()

    # given twelve overdue tasks
    for days in range(1, 12):
        overdue_task(days=days)
    with CaptureQueriesContext(connection) as twelve:
        run = alerts.alerts_scan_overdue()

    # then the scan issues the same number of queries for both
    assert run.created_count == 24
    assert len(twelve) == len(one)


def test_scan_writes_per_range_of_task_ids_not_per_task(overdue_task, settings):
    # given ten overdue tasks (consecutive ids) and ranges of four ids
    for days in range(1, 11):
        overdue_task(days=days)
    settings.TRACKER_ALERT_SCAN_ID_RANGE = 4

    # when the scan runs
    with CaptureQueriesContext(connection) as ctx:
        run = alerts.alerts_scan_overdue()
    inserts = [q for q in ctx.captured_queries if "INSERT INTO" in q["sql"]]
    writes = [
        q for q in inserts if '"tasks_alert"' in q["sql"] or "tasks_alert " in q["sql"]
    ]

    # then it writes three ranges (4 + 4 + 2), each one INSERT … SELECT … ON
    # CONFLICT DO NOTHING, and alerts every task
    assert run.created_count == 20
    insert_selects = [q for q in writes if "ON CONFLICT DO NOTHING" in q["sql"]]
    assert len(insert_selects) == 3


def test_the_scan_falls_back_to_orm_batches_off_postgresql(overdue_task, monkeypatch):
    # given ten overdue tasks, batches of four, and a database without
    # INSERT … SELECT (as on SQLite)
    for days in range(1, 11):
        overdue_task(days=days)
    monkeypatch.setattr(alerts, "uses_insert_select", lambda: False)

    # when the scan runs twice
    with CaptureQueriesContext(connection) as ctx:
        run = alerts.alerts_scan_overdue(batch_size=4)
    selects = [q for q in ctx.captured_queries if 'FROM "tasks_task"' in q["sql"]]

    # then it reads three batches (4 + 4 + 2) and alerts every task, once
    assert run.created_count == 20
    assert len(selects) == 3
    assert alerts.alerts_scan_overdue(batch_size=4).created_count == 0
    assert overdue_alerts().count() == 20


def test_scan_queues_the_send_after_commit(
    overdue_task, send_enqueues, django_capture_on_commit_callbacks
):
    # given an overdue task
    overdue_task()

    # when the scan creates alerts and its transaction commits
    with django_capture_on_commit_callbacks(execute=True):
        alerts.alerts_scan_overdue()
        assert send_enqueues == []

    # then the send job is queued once, after the commit
    assert len(send_enqueues) == 1

    # and a scan that creates nothing queues nothing
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        alerts.alerts_scan_overdue()
    assert callbacks == []
    assert len(send_enqueues) == 1


def test_a_broker_failure_does_not_fail_the_scan(
    overdue_task, monkeypatch, caplog, django_capture_on_commit_callbacks
):
    # given an overdue task and a broker that refuses every message
    task = overdue_task()

    def broker_down(*args, **kwargs):
        raise ConnectionRefusedError("Error 111 connecting to 127.0.0.1:6399")

    monkeypatch.setattr(jobs.send_pending_alerts, "apply_async", broker_down)

    # when the scan runs and commits
    with django_capture_on_commit_callbacks(execute=True):
        run = alerts.alerts_scan_overdue()

    # then its alerts are written and the failure is only logged
    assert run.status == ScanStatus.OK
    assert overdue_alerts(task).count() == 2
    assert "next scheduled send will catch up" in caplog.text


def test_a_failed_scan_is_recorded(overdue_task, monkeypatch):
    # given a scan whose query fails
    overdue_task()

    def broken(step, today):
        raise OperationalError("server closed the connection unexpectedly")

    monkeypatch.setattr(alerts, "step_window", broken)

    # when it runs, then the error reaches the caller (the job retries)
    with pytest.raises(OperationalError):
        alerts.alerts_scan_overdue()

    # and the run is recorded as failed, with the error
    run = ScanRun.objects.get()
    assert run.status == ScanStatus.FAILED
    assert "server closed the connection" in run.error
    assert run.finished_at is not None


def test_the_ledger_refuses_a_second_overdue_alert_for_the_same_deadline(
    overdue_task, people
):
    # given an overdue alert
    task = overdue_task()
    fields = dict(
        task=task,
        deadline=task.deadline,
        kind=AlertKind.OVERDUE,
        step=LadderStep.objects.get(kind=AlertKind.OVERDUE),
        recipient=people.canbo_vp,
    )
    Alert.objects.create(**fields)

    # when the same alert is written again, then the database refuses it
    with pytest.raises(IntegrityError), transaction.atomic():
        Alert.objects.create(**fields)


# --- the send ----------------------------------------------------------------


def test_send_emails_each_alert_once_in_vietnamese_with_a_link(
    overdue_task, tree, mailoutbox
):
    # given an overdue task, two days late, alerted to two people
    task = overdue_task(days=2)
    alerts.alerts_scan_overdue()

    # when the send runs
    run = alerts.alerts_send_pending()

    # then each person gets one e-mail, in Vietnamese, saying what is late,
    # where, since when, by how much, with a link to the task
    assert (run.job, run.status, run.sent_count) == (
        "tasks.send_pending_alerts",
        "ok",
        2,
    )
    assert sorted(m.to[0] for m in mailoutbox) == [
        "canbo_vp@example.vn",
        "lanhdao_vp@example.vn",
    ]
    link = f"{django_settings.SITE_URL}/tasks/{task.pk}/"
    for message in mailoutbox:
        assert message.subject == f"[Quá hạn 2 ngày] {task.title}"
        assert "Kính gửi" in message.body
        assert task.title in message.body
        assert tree.vp.name in message.body
        assert task.deadline.strftime("%d/%m/%Y") in message.body
        assert "Số ngày quá hạn: 2" in message.body
        assert link in message.body
        html, mimetype = message.alternatives[0]
        assert mimetype == "text/html"
        assert f'href="{link}"' in html
        assert "quá hạn 2 ngày" in html
    assert not Alert.objects.unsent().exists()
    assert set(Alert.objects.values_list("email_attempts", flat=True)) == {1}

    # when the send runs again, then nothing more is sent
    again = alerts.alerts_send_pending()
    assert again.sent_count == 0
    assert len(mailoutbox) == 2


def test_a_failing_mail_server_leaves_the_alert_for_the_next_send(
    overdue_task, settings, mailoutbox
):
    # given an overdue alert and a mail server that refuses the connection
    task = overdue_task()
    alerts.alerts_scan_overdue()
    settings.MAILERS = FAILING

    # when the send runs
    failed = alerts.alerts_send_pending()

    # then nothing is marked sent, and the error and the attempt are kept
    assert (failed.sent_count, failed.failed_count) == (0, 2)
    for alert in overdue_alerts(task):
        assert alert.emailed_at is None
        assert alert.email_attempts == 1
        assert "Connection unexpectedly closed" in alert.last_error

    # when the server is back and the next send runs
    settings.MAILERS = LOCMEM
    recovered = alerts.alerts_send_pending()

    # then both e-mails go out and the error is cleared
    assert recovered.sent_count == 2
    assert len(mailoutbox) == 2
    for alert in overdue_alerts(task):
        assert alert.emailed_at is not None
        assert alert.email_attempts == 2
        assert alert.last_error == ""


def test_the_send_stops_early_when_the_mail_server_is_down(
    overdue_task, settings, mailoutbox
):
    # given four alerts and a mail server that is down
    overdue_task(days=1)
    overdue_task(days=2)
    alerts.alerts_scan_overdue()
    settings.MAILERS = FAILING
    FailingMailBackend.calls = 0

    # when the send runs
    run = alerts.alerts_send_pending()

    # then it gives up after three failures in a row instead of waiting on
    # every message, and says so on the run
    assert FailingMailBackend.calls == 3
    assert run.status == ScanStatus.FAILED
    assert "3 lần gửi thư lỗi liên tiếp" in run.error
    assert Alert.objects.filter(email_attempts=0).count() == 1


def test_an_alert_is_no_longer_tried_after_the_maximum_attempts(
    overdue_task, people, settings
):
    # given an alert whose e-mail has failed as often as allowed
    task = overdue_task(
        accountable_leader=people.lanhdao_vp, assignee=people.lanhdao_vp
    )
    alerts.alerts_scan_overdue()
    settings.TRACKER_ALERT_EMAIL_MAX_ATTEMPTS = 2
    settings.MAILERS = FAILING
    alerts.alerts_send_pending()
    alerts.alerts_send_pending()
    FailingMailBackend.calls = 0

    # when the send runs again
    run = alerts.alerts_send_pending()

    # then the alert is not tried again (it stays visible in the app)
    assert FailingMailBackend.calls == 0
    assert run.sent_count == run.failed_count == 0
    alert = overdue_alerts(task).get()
    assert (alert.email_attempts, alert.emailed_at) == (2, None)


def test_a_recipient_without_an_email_address_is_skipped_with_a_reason(
    overdue_task, people, mailoutbox
):
    # given an overdue task whose assignee has no e-mail address
    people.canbo_vp.email = ""
    people.canbo_vp.save()
    task = overdue_task()
    alerts.alerts_scan_overdue()

    # when the send runs
    run = alerts.alerts_send_pending()

    # then the leader is e-mailed; the assignee's alert stays in the app,
    # leaves the e-mail queue, and says why
    assert [m.to for m in mailoutbox] == [["lanhdao_vp@example.vn"]]
    assert (run.sent_count, run.failed_count) == (1, 1)
    alert = overdue_alerts(task).get(recipient=people.canbo_vp)
    assert alert.emailed_at is None
    assert "chưa có địa chỉ thư điện tử" in alert.last_error
    assert alert.email_attempts == alerts.max_email_attempts()
    assert alerts.alerts_send_pending().failed_count == 0


def test_an_alert_for_a_task_finished_before_the_send_is_not_emailed(
    overdue_task, people, mailoutbox
):
    # given an overdue alert, and the task then submitted and approved
    task = overdue_task()
    alerts.alerts_scan_overdue()
    services.task_submit(actor=people.canbo_vp, task=task, actual_result="Đã ban hành")
    services.task_approve(actor=people.lanhdao_vp, task=task)

    # when the send runs
    run = alerts.alerts_send_pending()

    # then no "overdue" e-mail goes out for work already done
    assert mailoutbox == []
    assert run.failed_count == 2
    assert all("đã hoàn thành" in a.last_error for a in overdue_alerts(task))


def test_event_notifications_are_not_emailed(overdue_task, people, mailoutbox):
    # given an in-app notification that a task was assigned
    task = overdue_task()
    Alert.objects.create(
        task=task,
        deadline=task.deadline,
        kind=AlertKind.ASSIGNED,
        recipient=people.canbo_vp,
        actor=people.lanhdao_vp,
    )

    # when the send runs, then no e-mail is sent for it
    assert alerts.alerts_send_pending().sent_count == 0
    assert mailoutbox == []


@pytest.mark.django_db(transaction=True)
def test_a_send_skips_the_alert_another_sender_is_sending(
    overdue_task, people, mailoutbox
):
    # given two committed alerts, one of them locked by another sender that
    # is in the middle of e-mailing it
    task = overdue_task()
    alerts.alerts_scan_overdue(enqueue_send=False)
    held = overdue_alerts(task).get(recipient=people.canbo_vp)
    runs = []

    def second_sender():
        try:
            runs.append(alerts.alerts_send_pending())
        finally:
            connection.close()

    with transaction.atomic():
        Alert.objects.select_for_update().get(pk=held.pk)

        # when a second sender runs meanwhile, on its own connection
        thread = threading.Thread(target=second_sender)
        thread.start()
        thread.join(timeout=30)

        # then it does not wait for the lock: it sends the other alert only
        assert not thread.is_alive()
        assert runs[0].sent_count == 1
        assert [m.to for m in mailoutbox] == [["lanhdao_vp@example.vn"]]

    # and once the lock is gone, the next send e-mails the held alert, once
    assert alerts.alerts_send_pending().sent_count == 1
    assert sorted(m.to[0] for m in mailoutbox) == [
        "canbo_vp@example.vn",
        "lanhdao_vp@example.vn",
    ]


# --- jobs and the command ----------------------------------------------------


def test_the_beat_schedule_runs_the_alert_jobs_by_their_stable_names():
    # given the Celery app with its jobs discovered
    from config.celery_app import app

    app.loader.import_default_modules()
    scheduled = {
        entry["task"] for entry in django_settings.CELERY_BEAT_SCHEDULE.values()
    }

    # then the alert jobs are scheduled, and each scheduled name is a
    # registered job, acknowledged late
    assert {
        "tasks.scan_overdue",
        "tasks.send_pending_alerts",
        "tasks.send_alert_digests",
    } <= scheduled
    alert_jobs = {job.name for job in jobs.ALERT_JOBS}
    assert alert_jobs <= scheduled
    for name in scheduled:
        assert name in app.tasks
    for name in alert_jobs:
        assert app.tasks[name].acks_late is True


def test_every_retry_delay_and_run_stays_below_the_visibility_timeout():
    # given the broker's visibility timeout (after it, Redis redelivers an
    # unacknowledged job: a second copy would run)
    visibility = django_settings.CELERY_BROKER_TRANSPORT_OPTIONS.get(
        "visibility_timeout", 3600
    )

    # then every job's retry countdown, the sum of all its retries, its
    # hard time limit and the publish retry policy stay below it
    for job in jobs.ALERT_JOBS:
        countdown = getattr(job, "default_retry_delay", 0)
        assert jobs.RETRY_COUNTDOWN < visibility
        assert countdown < visibility
        assert jobs.RETRY_COUNTDOWN * (job.max_retries + 1) < visibility
        limit = job.time_limit or django_settings.CELERY_TASK_TIME_LIMIT
        assert limit < visibility
    policy = django_settings.CELERY_TASK_PUBLISH_RETRY_POLICY
    assert policy["interval_max"] * (policy["max_retries"] + 1) < visibility


def test_the_scan_job_runs_the_scan_and_the_send_job_sends(overdue_task, mailoutbox):
    # given an overdue task
    task = overdue_task(days=4)

    # when the scan job runs (as of a given day) and then the send job
    created = jobs.scan_overdue.apply(kwargs={"today": task.deadline.isoformat()})
    assert created.get() == 0
    created = jobs.scan_overdue.apply(
        kwargs={"today": (task.deadline + datetime.timedelta(days=1)).isoformat()}
    )
    sent = jobs.send_pending_alerts.apply()

    # then the alerts are written and e-mailed
    assert created.get() == 2
    assert sent.get() == 2
    assert len(mailoutbox) == 2


def test_the_scan_job_retries_after_a_database_outage(overdue_task, monkeypatch):
    # given a database that fails once
    overdue_task()
    real_scan = alerts.alerts_scan_overdue
    calls = []

    def flaky(**kwargs):
        calls.append(kwargs)
        if len(calls) == 1:
            raise OperationalError("could not connect to server")
        return real_scan(**kwargs)

    monkeypatch.setattr(alerts, "alerts_scan_overdue", flaky)
    retries = []
    real_retry = jobs.scan_overdue.retry

    def spy_retry(*args, **kwargs):
        retries.append(kwargs.get("countdown"))
        return real_retry(*args, **kwargs)

    monkeypatch.setattr(jobs.scan_overdue, "retry", spy_retry)

    # when the job runs
    jobs.scan_overdue.apply()

    # then it retries after a minute, and the retry writes the alerts
    assert retries == [jobs.RETRY_COUNTDOWN]
    assert len(calls) == 2
    assert overdue_alerts().count() == 2


def test_scan_alerts_command_scans_and_sends_now(
    overdue_task, mailoutbox, send_enqueues
):
    # given an overdue task
    overdue_task()
    out = StringIO()

    # when an operator runs the command
    call_command("scan_alerts", stdout=out)

    # then it reports what it did, sent the mail itself and queued nothing
    text = out.getvalue()
    assert "scan: 2 overdue alert(s) created" in text
    assert "send: 2 e-mail(s) sent, 0 not sent" in text
    assert len(mailoutbox) == 2
    assert send_enqueues == []


def test_scan_alerts_command_can_scan_as_of_a_day_without_sending(
    overdue_task, mailoutbox
):
    # given a task due three days ago
    task = overdue_task(days=3)
    out = StringIO()

    # when the command scans as of the deadline day, then as of the day after
    call_command("scan_alerts", "--today", task.deadline.isoformat(), stdout=out)
    after = (task.deadline + datetime.timedelta(days=1)).isoformat()
    call_command("scan_alerts", "--today", after, "--no-send", stdout=out)

    # then only the second scan alerts, and no mail is sent
    assert "scan: 0 overdue alert(s) created" in out.getvalue()
    assert "scan: 2 overdue alert(s) created" in out.getvalue()
    assert mailoutbox == []
    assert Task.objects.get(pk=task.pk).alerts.count() == 2
