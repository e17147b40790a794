"""The alert jobs on a real Celery worker, against real Redis and the test
database, and the web side's enqueue when the broker is down.

Each worker test uses a queue name of its own on the Redis of REDIS_URL, so
it never takes (or leaves) another test's messages; the worker reads the
same PostgreSQL test database, which is why these tests commit
(``transaction=True``). Workers are stopped by their PID, always; the
helpers that start them live in ``worker_support``.
"""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings

from tasks import alerts, jobs
from tasks.choices import AlertKind
from tasks.models import Alert

from .worker_support import (
    BASE_DIR,
    READY_TIMEOUT,
    celery_worker,
    emailed_count,
    free_port,
    install_overdue_only_ladder,
    plain_text,
    read_mail,
    redis_or_skip,
    wait_for,
    worker_environment,
)

DONE_TIMEOUT = 60


@pytest.fixture
def worker_env(tmp_path):
    """Environment for a worker: its queue, mail folder and database."""
    client = redis_or_skip(settings.CELERY_BROKER_URL)
    env = worker_environment(tmp_path, settings.CELERY_BROKER_URL)
    yield env
    # Only this test's own keys: its queue and its exchange binding.
    queue = env["TRACKER_TEST_QUEUE"]
    client.delete(queue, f"_kombu.binding.{queue}")


@pytest.fixture
def overdue_ladder(overdue_task):
    """The default ladder with only its overdue step on (these tests commit,
    so the data migration's rows were flushed away before them)."""
    install_overdue_only_ladder()


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_a_real_worker_scans_and_emails_an_overdue_task(
    overdue_task, overdue_ladder, worker_env, tmp_path
):
    # given an overdue task, committed, and a real worker on its own queue
    task = overdue_task(days=2)
    log_path = tmp_path / "worker.log"
    mail_dir = Path(worker_env["EMAIL_FILE_PATH"])
    started = time.monotonic()
    with celery_worker(worker_env, log_path):
        # when the beat's scan job is sent through Redis
        jobs.scan_overdue.apply_async(queue=worker_env["TRACKER_TEST_QUEUE"])

        # then the worker writes the alerts and, through the send job the
        # scan queues on commit, e-mails them
        wait_for(
            lambda: emailed_count([task.pk]) == 2,
            DONE_TIMEOUT,
            "both alerts to be e-mailed",
            log_path,
        )
    elapsed = time.monotonic() - started

    assert Alert.objects.filter(task=task, kind=AlertKind.OVERDUE).count() == 2
    messages = read_mail(mail_dir)
    assert sorted(m["To"] for m in messages) == [
        "canbo_vp@example.vn",
        "lanhdao_vp@example.vn",
    ]
    link = f"{settings.SITE_URL}/tasks/{task.pk}/"
    for message in messages:
        assert message["Subject"] == f"[Quá hạn 2 ngày] {task.title}"
        assert link in plain_text(message)
    log = log_path.read_text(errors="replace")
    assert "tasks.scan_overdue" in log and "tasks.send_pending_alerts" in log
    assert elapsed < READY_TIMEOUT + DONE_TIMEOUT


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_a_worker_killed_in_the_middle_of_a_send_leaves_nothing_sent_twice(
    overdue_task, overdue_ladder, worker_env, tmp_path
):
    # given four committed overdue alerts, a mail server that takes 1.5 s per
    # message, and Redis redelivering an unacknowledged job after 5 s
    tasks = [overdue_task(days=1), overdue_task(days=2)]
    task_ids = [t.pk for t in tasks]
    alerts.alerts_scan_overdue(enqueue_send=False)
    assert (
        Alert.objects.filter(task_id__in=task_ids, kind=AlertKind.OVERDUE).count() == 4
    )
    env = {
        **worker_env,
        "TRACKER_TEST_MAIL_DELAY": "1.5",
        "TRACKER_TEST_VISIBILITY_TIMEOUT": "5",
    }
    queue = env["TRACKER_TEST_QUEUE"]
    mail_dir = Path(env["EMAIL_FILE_PATH"])
    log_path = tmp_path / "worker.log"

    # when the send job is running and the worker is killed (SIGKILL) while
    # it is waiting on the mail server for a message after the first one
    with celery_worker(env, log_path) as worker:
        jobs.send_pending_alerts.apply_async(queue=queue)
        wait_for(
            lambda: emailed_count(task_ids) >= 1,
            DONE_TIMEOUT,
            "a first e-mail",
            log_path,
        )
        time.sleep(0.5)
        worker.send_signal(signal.SIGKILL)
        worker.wait(timeout=10)
    sent_before_kill = emailed_count(task_ids)
    assert 1 <= sent_before_kill < 4
    # Redis hands an unacknowledged job back once its visibility timeout
    # (5 s here) has passed; a worker restores such jobs when it starts, so
    # start the new one after that, as a real restart would be.
    time.sleep(6)

    # and a new worker starts: Redis gives it the unacknowledged job again
    with celery_worker(env, log_path):
        wait_for(
            lambda: emailed_count(task_ids) == 4,
            DONE_TIMEOUT,
            "the redelivered send job to finish",
            log_path,
        )

    # then every alert was e-mailed exactly once
    messages = read_mail(mail_dir)
    sent = sorted((m["To"], m["Subject"]) for m in messages)
    assert len(sent) == 4
    assert len(set(sent)) == 4
    assert set(
        Alert.objects.filter(task_id__in=task_ids, kind=AlertKind.OVERDUE).values_list(
            "email_attempts", flat=True
        )
    ) == {1}


PROBE = """
import logging, time, django
django.setup()
logging.disable(logging.CRITICAL)
from tasks.jobs import enqueue_send
started = time.monotonic()
queued = enqueue_send()
print(queued, round(time.monotonic() - started, 2))
"""


def test_enqueue_returns_at_once_when_the_broker_is_down():
    # given a web process whose broker is a Redis port nobody listens on
    port = free_port()
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
        "CELERY_BROKER_URL": f"redis://127.0.0.1:{port}/0",
        "PYTHONPATH": str(BASE_DIR),
    }

    # when it asks for the e-mail send to be queued
    started = time.monotonic()
    result = subprocess.run(
        [sys.executable, "-c", PROBE],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )

    # then the call reports failure instead of raising, within a few seconds
    queued, seconds = result.stdout.split()
    assert result.returncode == 0, result.stderr
    assert queued == "False"
    assert float(seconds) < 3
    assert time.monotonic() - started < 30
