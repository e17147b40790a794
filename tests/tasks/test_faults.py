"""The alert ledger under faults, with real processes: Celery workers and
beats, a Redis server of each test's own, PostgreSQL, and for the staff a
web server answering real HTTP. Nothing is mocked; only Django's clock is
stopped in the midnight test (the worker's ``timezone.now``).

Each test starts its own ``redis-server`` on a free port (so stopping it
disturbs nobody), and gives its processes a beat interval of a second
(``TRACKER_TEST_BEAT_SECONDS``) in place of the 5 and 15 minutes of
production. The workers read the test database, hence ``transaction=True``.
"""

import collections
import datetime
import json
import re
import signal
import time
import zoneinfo
from types import SimpleNamespace

import pytest
from django.db import connection
from django.db.models import Count, Sum

from config.celery_app import app
from tasks import alerts, jobs
from tasks.choices import SCAN_ALERT_KINDS, AlertKind, ScanStatus
from tasks.models import Alert, ProgressReport, ScanRun, Task

from .worker_support import (
    DONE_TIMEOUT,
    WebClient,
    backend_alive,
    celery_beat,
    celery_worker,
    emailed_count,
    install_overdue_only_ladder,
    ledger_key_held,
    log_since,
    mail_dir_of,
    mailed_task_id,
    read_mail,
    redis_server,
    row_versions,
    scan_backends_waiting,
    sent_by_beat,
    set_worker_clock,
    wait_for,
    web_server,
    worker_environment,
)

HANOI = zoneinfo.ZoneInfo("Asia/Ho_Chi_Minh")
PASSWORD = "matkhau-demo-123"  # tests.factories.UserFactory
VISIBILITY_TIMEOUT = 5  # seconds, for the tests that need a redelivery


@pytest.fixture
def broker(tmp_path):
    with redis_server(tmp_path / "redis") as server:
        yield server


@pytest.fixture
def env(tmp_path, broker):
    return worker_environment(tmp_path, broker.url, TRACKER_TEST_BEAT_SECONDS="1")


def send_job(job, env: dict, broker) -> None:
    """Queue ``job`` on the test's own Redis, as beat would."""
    with app.connection_for_write(broker.url) as conn:
        job.apply_async(queue=env["TRACKER_TEST_QUEUE"], connection=conn)


def drained(broker, env: dict) -> bool:
    """No message waiting in the queue and none delivered but unacknowledged
    (with late acks, a job is acknowledged when it has finished), three
    times in a row: a message is in neither for a moment while a worker
    takes it."""
    client = broker.client()
    try:
        for _ in range(3):
            queue = client.llen(env["TRACKER_TEST_QUEUE"])
            if queue or client.hlen("unacked"):
                return False
            time.sleep(0.2)
        return True
    finally:
        client.close()


def finished_scans():
    return ScanRun.objects.filter(
        job=alerts.SCAN_OVERDUE_JOB, finished_at__isnull=False
    )


def assert_each_alert_emailed_once(alerts_qs, mail_dir) -> None:
    """Every alert was e-mailed, on its first attempt, and the mail folder
    holds exactly one message per alert, to its recipient about its task."""
    rows = list(alerts_qs.select_related("recipient"))
    assert rows
    assert all(a.emailed_at is not None and a.email_attempts == 1 for a in rows)
    messages = read_mail(mail_dir)
    assert len(messages) == len(rows)
    assert collections.Counter(
        (m["To"], mailed_task_id(m)) for m in messages
    ) == collections.Counter((a.recipient.email, a.task_id) for a in rows)


def assert_no_key_twice() -> None:
    repeated = (
        Alert.objects.filter(step__isnull=False)
        .values("task", "deadline", "step", "recipient")
        .annotate(n=Count("pk"))
        .filter(n__gt=1)
    )
    assert list(repeated) == []


# --- 1. two beats at once ---------------------------------------------------


# Friday 20 March 2026, 10:00 in Hà Nội: no holiday for weeks around, so
# the ladder's working days are plain weekdays whatever day the test runs.
LADDER_DAY = datetime.date(2026, 3, 20)


def task_due(make_task, deadline: datetime.date, title: str):
    return make_task(
        start_date=deadline - datetime.timedelta(days=20),
        deadline=deadline,
        title=title,
    )


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_two_beats_at_once_write_and_email_each_alert_once(
    make_task, env, broker, tmp_path
):
    # given the whole default ladder (due soon, overdue, escalations after 3
    # and 10 working days), open tasks at each of its steps on 20 March, and
    # workers and beats whose clock stands at 10:00 that day
    alerts.install_default_ladder()
    created = [
        task_due(make_task, datetime.date(2026, 3, 24), "Sắp đến hạn 24/3"),
        task_due(make_task, datetime.date(2026, 3, 19), "Quá hạn từ 19/3"),
        task_due(make_task, datetime.date(2026, 3, 16), "Quá hạn từ 16/3"),
        task_due(make_task, datetime.date(2026, 3, 5), "Quá hạn từ 5/3"),
    ]
    versions = row_versions(t.pk for t in created)
    clock = tmp_path / "clock"
    set_worker_clock(
        clock, datetime.datetime.combine(LADDER_DAY, datetime.time(10), HANOI)
    )
    env = {**env, "TRACKER_TEST_CLOCK_FILE": str(clock)}
    worker_log = tmp_path / "worker.log"
    beat_logs = [tmp_path / "beat-1.log", tmp_path / "beat-2.log"]
    waves = [
        [datetime.date(2026, 3, 18), datetime.date(2026, 3, 12)],
        [datetime.date(2026, 3, 17), datetime.date(2026, 3, 9)],
    ]

    # when two beats send every job each second to a worker with two
    # processes, while new overdue work keeps arriving
    with celery_worker(env, worker_log, concurrency=2):
        with (
            celery_beat(env, beat_logs[0], tmp_path / "beat-1-schedule"),
            celery_beat(env, beat_logs[1], tmp_path / "beat-2-schedule"),
        ):
            for number, deadlines in enumerate(waves, start=1):
                seen = finished_scans().count()
                wait_for(
                    lambda seen=seen: finished_scans().count() >= seen + 3,
                    DONE_TIMEOUT,
                    f"three more scans before wave {number}",
                    worker_log,
                )
                for deadline in deadlines:
                    title = f"Đợt {number}: hạn {deadline}"
                    task = task_due(make_task, deadline, title)
                    created.append(task)
                    versions.update(row_versions([task.pk]))
            for beat_log in beat_logs:
                wait_for(
                    lambda beat_log=beat_log: (
                        sent_by_beat(beat_log, jobs.scan_overdue.name) >= 10
                    ),
                    DONE_TIMEOUT,
                    "ten scans from each beat",
                    beat_log,
                )
        # the beats have stopped: let the worker finish what they sent
        wait_for(lambda: drained(broker, env), DONE_TIMEOUT, "the queue", worker_log)
    scans_sent = sum(sent_by_beat(b, jobs.scan_overdue.name) for b in beat_logs)

    # then each ledger key holds one alert, and nothing is missing: a scan
    # as of that day finds nothing left to write
    task_ids = [t.pk for t in created]
    ledger = Alert.objects.filter(kind__in=SCAN_ALERT_KINDS)
    assert set(ledger.values_list("task_id", flat=True)) == set(task_ids)
    assert {AlertKind.DUE_SOON, AlertKind.OVERDUE, AlertKind.ESCALATION} <= set(
        ledger.values_list("kind", flat=True)
    )
    assert_no_key_twice()
    rescan = alerts.alerts_scan_overdue(today=LADDER_DAY, enqueue_send=False)
    assert rescan.created_count == 0
    # and each alert was e-mailed exactly once
    assert_each_alert_emailed_once(ledger, mail_dir_of(env))
    # though every scan the beats sent ran, and none touched a task row
    assert finished_scans().count() == scans_sent + 1  # (+ the rescan above)
    assert row_versions(task_ids) == versions


# --- 2. Redis stopped in the middle -------------------------------------------


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_redis_stopped_and_started_again_loses_no_alert_and_staff_keep_working(
    overdue_task, people, env, broker, tmp_path
):
    # given a worker, a beat and the web server on a Redis of their own, and
    # two overdue tasks whose alerts have gone out
    install_overdue_only_ladder()
    before = [
        overdue_task(days=1, title="Trước sự cố: việc 1"),
        overdue_task(days=2, title="Trước sự cố: việc 2"),
    ]
    worker_log, beat_log = tmp_path / "worker.log", tmp_path / "beat.log"
    web_log = tmp_path / "web.log"
    with (
        web_server(env, web_log) as base_url,
        celery_worker(env, worker_log),
        celery_beat(env, beat_log, tmp_path / "beat-schedule"),
    ):
        wait_for(
            lambda: emailed_count([t.pk for t in before]) == 4,
            DONE_TIMEOUT,
            "the first alerts to be e-mailed",
            worker_log,
        )

        # when Redis stops
        broker.stop()
        beat_mark = beat_log.stat().st_size

        # then a staff member signs in, opens the bell and reports progress
        # over HTTP, all answered while Redis is down
        web = WebClient(base_url)
        signed_in = web.login("canbo_vp", PASSWORD)
        bell = web.get("/notifications/bell/")
        health_down = web.get("/health/")
        task = before[0]
        report = web.submit(
            f"/tasks/{task.pk}/report/",
            {"percent": "40", "note": "Đã dự thảo quy chế, đang lấy ý kiến"},
        )
        assert not broker.is_up()

        # and work keeps arriving while it is down
        during = [
            overdue_task(days=3, title="Trong sự cố: việc 3"),
            overdue_task(days=4, title="Trong sự cố: việc 4"),
        ]
        # (beat ticks meanwhile go nowhere: wait until it has failed twice)
        wait_for(
            lambda: (
                log_since(beat_log, beat_mark).count(b"Couldn't apply")
                + log_since(beat_log, beat_mark).count(b"Connection refused")
                >= 2
            ),
            DONE_TIMEOUT,
            "beat to miss two ticks",
            beat_log,
        )

        # when Redis starts again on the same port, empty
        broker.start()
        all_ids = [t.pk for t in before + during]
        wait_for(
            lambda: emailed_count(all_ids) == 8,
            DONE_TIMEOUT,
            "every alert to be e-mailed after the outage",
            worker_log,
        )
        notifications = web.get("/notifications/")
        health_up = web.get("/health/")

    assert signed_in.status == 302, signed_in.text[:500]
    assert bell.status == 200
    # (and monitoring saw the outage, and the recovery)
    assert health_down.status == 503
    assert json.loads(health_down.text)["checks"]["redis"]["ok"] is False
    assert health_up.status == 200, health_up.text
    assert report.status == 302, report.text[:500]
    assert report.location == f"/tasks/{task.pk}/"
    saved = ProgressReport.objects.get(task=task)
    assert (saved.percent, saved.author_id) == (40, people.canbo_vp.pk)
    assert saved.note == "Đã dự thảo quy chế, đang lấy ý kiến"
    assert Task.objects.get(pk=task.pk).progress == 40

    # then every alert arrived — in the bell and by e-mail — and none twice
    ledger = Alert.objects.filter(task_id__in=all_ids, kind=AlertKind.OVERDUE)
    assert ledger.count() == 8
    assert_no_key_twice()
    assert_each_alert_emailed_once(ledger, mail_dir_of(env))
    assert notifications.status == 200
    for alert in ledger.filter(recipient=people.canbo_vp):
        assert f'id="alert-{alert.pk}"' in notifications.text


# --- 3. a worker killed in the middle of a scan -------------------------------


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_a_worker_killed_in_the_middle_of_a_scan_leaves_the_rest_to_the_rerun(
    overdue_task, people, env, broker, tmp_path
):
    # given five overdue tasks, a scan that writes one task id at a time,
    # and Redis redelivering an unacknowledged job after a few seconds
    step = install_overdue_only_ladder()
    tasks = [overdue_task(days=d, title=f"Việc quá hạn {d} ngày") for d in range(1, 6)]
    task_ids = [t.pk for t in tasks]
    versions = row_versions(task_ids)
    env = {
        **env,
        "TRACKER_ALERT_SCAN_ID_RANGE": "1",
        "TRACKER_TEST_VISIBILITY_TIMEOUT": str(VISIBILITY_TIMEOUT),
    }
    log_path = tmp_path / "worker.log"

    # when the scan job is running and has reached the third task (held
    # there by another transaction on that task's ledger key) ...
    with ledger_key_held(tasks[2], step, people.canbo_vp.pk):
        with celery_worker(env, log_path) as worker:
            send_job(jobs.scan_overdue, env, broker)
            wait_for(scan_backends_waiting, DONE_TIMEOUT, "the scan", log_path)
            (backend,) = scan_backends_waiting()
            delivered = time.monotonic()
            written_before_kill = set(
                Alert.objects.filter(
                    task_id__in=task_ids, kind=AlertKind.OVERDUE
                ).values_list("task_id", flat=True)
            )
            # ... the worker is killed
            worker.send_signal(signal.SIGKILL)
            worker.wait(timeout=10)
    # (its database session ends without a commit once the key is free)
    wait_for(lambda: not backend_alive(backend), 30, "the session to end", log_path)
    assert written_before_kill == {tasks[0].pk, tasks[1].pk}

    # and a worker starts again after the visibility timeout, as a restart
    # would: Redis hands it the unacknowledged scan
    time.sleep(max(0, delivered + VISIBILITY_TIMEOUT + 1 - time.monotonic()))
    with celery_worker(env, log_path):
        wait_for(
            lambda: emailed_count(task_ids) == 10,
            DONE_TIMEOUT,
            "the rerun to finish the scan and the send",
            log_path,
        )

    # then the rerun wrote the rest, nothing twice, nothing lost
    ledger = Alert.objects.filter(task_id__in=task_ids, kind=AlertKind.OVERDUE)
    assert ledger.count() == 10
    assert set(ledger.values_list("task_id", flat=True)) == set(task_ids)
    assert_no_key_twice()
    assert_each_alert_emailed_once(ledger, mail_dir_of(env))
    runs = ScanRun.objects.filter(job=alerts.SCAN_OVERDUE_JOB).order_by("pk")
    assert [(r.status, r.created_count) for r in runs] == [
        (ScanStatus.RUNNING, 0),  # killed: never finished
        (ScanStatus.OK, 6),
    ]
    assert row_versions(task_ids) == versions


# --- 4. midnight, local time --------------------------------------------------


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_scans_at_23_59_59_and_00_00_00_alert_a_deadline_exactly_once(
    make_task, env, broker, tmp_path
):
    # given a task due on 10 March 2026, and a worker and a beat whose
    # clock stands at 23:59:59 that day, Hà Nội time
    install_overdue_only_ladder()
    deadline = datetime.date(2026, 3, 10)
    task = make_task(
        start_date=datetime.date(2026, 3, 1), deadline=deadline, title="Hạn 10/3"
    )
    versions = row_versions([task.pk])
    before = datetime.datetime(2026, 3, 10, 23, 59, 59, tzinfo=HANOI)
    midnight = datetime.datetime(2026, 3, 11, 0, 0, 0, tzinfo=HANOI)
    clock = tmp_path / "clock"
    set_worker_clock(clock, before)
    env = {**env, "TRACKER_TEST_CLOCK_FILE": str(clock)}
    log_path = tmp_path / "worker.log"

    with (
        celery_worker(env, log_path),
        celery_beat(env, tmp_path / "beat.log", tmp_path / "beat-schedule"),
    ):
        # when beat's scans run at 23:59:59 ...
        wait_for(
            lambda: finished_scans().filter(started_at=before).count() >= 2,
            DONE_TIMEOUT,
            "two scans at 23:59:59",
            log_path,
        )
        # ... and at 00:00:00
        set_worker_clock(clock, midnight)
        wait_for(
            lambda: (
                finished_scans().filter(started_at=midnight).count() >= 3
                and emailed_count([task.pk]) == 2
            ),
            DONE_TIMEOUT,
            "three scans at 00:00:00 and the e-mails",
            log_path,
        )

    # then nothing was written on the deadline day, and the first scan
    # after it wrote the overdue alerts once: to the assignee and the leader
    at_before = finished_scans().filter(started_at=before)
    assert at_before.aggregate(n=Sum("created_count"))["n"] == 0
    at_midnight = sorted(
        finished_scans()
        .filter(started_at=midnight)
        .values_list("created_count", flat=True)
    )
    assert at_midnight == [0] * (len(at_midnight) - 1) + [2]
    ledger = Alert.objects.filter(task=task, kind__in=SCAN_ALERT_KINDS)
    assert ledger.count() == 2
    assert set(ledger.values_list("kind", "deadline", "created_at")) == {
        (AlertKind.OVERDUE, deadline, midnight)
    }
    assert_each_alert_emailed_once(ledger, mail_dir_of(env))
    subjects = {m["Subject"] for m in read_mail(mail_dir_of(env))}
    assert subjects == {"[Quá hạn 1 ngày] Hạn 10/3"}
    assert row_versions([task.pk]) == versions


# --- 5. retries below the visibility timeout ----------------------------------


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_a_scan_cut_off_from_the_database_retries_once_before_any_redelivery(
    overdue_task, people, env, broker, tmp_path
):
    # given five overdue tasks and Redis redelivering an unacknowledged job
    # after a few seconds
    step = install_overdue_only_ladder()
    tasks = [overdue_task(days=d) for d in range(1, 6)]
    task_ids = [t.pk for t in tasks]
    env = {
        **env,
        "TRACKER_ALERT_SCAN_ID_RANGE": "1",
        "TRACKER_TEST_VISIBILITY_TIMEOUT": str(VISIBILITY_TIMEOUT),
    }
    log_path = tmp_path / "worker.log"

    with celery_worker(env, log_path):
        # when the scan job loses its database connection half-way
        with ledger_key_held(tasks[2], step, people.canbo_vp.pk):
            send_job(jobs.scan_overdue, env, broker)
            wait_for(scan_backends_waiting, DONE_TIMEOUT, "the scan", log_path)
            (backend,) = scan_backends_waiting()
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_terminate_backend(%s)", [backend])

        # then it is retried, finishes, and the e-mails go out
        wait_for(
            lambda: emailed_count(task_ids) == 10,
            DONE_TIMEOUT,
            "the retried scan and the send",
            log_path,
        )
        # and once the visibility timeout is over, no second copy of the
        # retried job comes back (as it would, had its countdown been longer)
        time.sleep(VISIBILITY_TIMEOUT + 1)
        wait_for(lambda: drained(broker, env), DONE_TIMEOUT, "the queue", log_path)

    countdowns = [int(s) for s in re.findall(r"Retry in (\d+)s", log_path.read_text())]
    assert countdowns == [jobs.retry_countdown(app_with_visibility(VISIBILITY_TIMEOUT))]
    assert countdowns[0] < VISIBILITY_TIMEOUT
    runs = ScanRun.objects.filter(job=alerts.SCAN_OVERDUE_JOB).order_by("pk")
    assert len(runs) == 2
    assert runs[0].status != ScanStatus.OK
    assert (runs[1].status, runs[1].created_count) == (ScanStatus.OK, 6)
    ledger = Alert.objects.filter(task_id__in=task_ids, kind=AlertKind.OVERDUE)
    assert ledger.count() == 10
    assert_each_alert_emailed_once(ledger, mail_dir_of(env))


def app_with_visibility(seconds: int):
    """A Celery app's configuration, as far as ``retry_countdown`` reads it."""
    return SimpleNamespace(
        conf=SimpleNamespace(broker_transport_options={"visibility_timeout": seconds})
    )


def test_every_retry_countdown_is_capped_below_the_visibility_timeout():
    for visibility, expected in [(3600, 60), (60, 6), (10, 1), (5, 1)]:
        # given a broker that redelivers an unacknowledged job after
        # ``visibility`` seconds, then a retry waits at most a tenth of that
        # (the production setting keeps the full minute), and never zero
        countdown = jobs.retry_countdown(app_with_visibility(visibility))
        assert countdown == expected
        assert countdown < visibility


def test_a_worker_keeps_reconnecting_for_as_long_as_the_broker_is_away():
    # given the Celery app as every worker configures it
    conf = app.conf

    # then a worker that loses Redis retries without limit: Celery's default
    # of 100 attempts would make it exit after about 46 minutes, and an
    # hour's outage would leave no worker to catch up
    assert conf.broker_connection_retry is True
    assert conf.broker_connection_max_retries is None
