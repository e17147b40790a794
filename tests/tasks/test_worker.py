"""The alert jobs on a real Celery worker, against real Redis and the test
database, and the web side's enqueue when the broker is down.

Each worker test uses a queue name of its own on the Redis of REDIS_URL, so
it never takes (or leaves) another test's messages; the worker reads the
same PostgreSQL test database, which is why these tests commit
(``transaction=True``). Workers are stopped by their PID, always.
"""

import contextlib
import email
import email.policy
import os
import signal
import socket
import subprocess
import sys
import time
import uuid
from pathlib import Path
from urllib.parse import quote

import pytest
import redis
from django.conf import settings
from django.db import connection

from tasks import alerts, jobs
from tasks.choices import AlertKind
from tasks.models import Alert

BASE_DIR = Path(settings.BASE_DIR)
CELERY = str(Path(sys.executable).with_name("celery"))
READY_TIMEOUT = 60
DONE_TIMEOUT = 60


def _redis_or_skip() -> redis.Redis:
    client = redis.Redis.from_url(
        settings.CELERY_BROKER_URL, socket_connect_timeout=2, socket_timeout=2
    )
    try:
        client.ping()
    except redis.RedisError as exc:
        pytest.skip(f"Redis is not reachable at {settings.CELERY_BROKER_URL}: {exc}")
    return client


def _database_url() -> str:
    """The URL of the test database this test process uses."""
    db = connection.settings_dict
    auth = quote(db["USER"] or "", safe="")
    if db["PASSWORD"]:
        auth += ":" + quote(db["PASSWORD"], safe="")
    host = quote(db["HOST"] or "", safe="")
    port = f":{db['PORT']}" if db["PORT"] else ""
    return f"postgres://{auth + '@' if auth else ''}{host}{port}/{quote(db['NAME'])}"


@pytest.fixture
def worker_env(tmp_path):
    """Environment for a worker: its queue, mail folder and database."""
    client = _redis_or_skip()
    queue = f"dt-test-{uuid.uuid4().hex[:12]}"
    mail_dir = tmp_path / "mail"
    mail_dir.mkdir()
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tests.worker_settings",
        "DATABASE_URL": _database_url(),
        "CELERY_BROKER_URL": settings.CELERY_BROKER_URL,
        "REDIS_URL": settings.CELERY_BROKER_URL,
        "EMAIL_FILE_PATH": str(mail_dir),
        "TRACKER_TEST_QUEUE": queue,
        "PYTHONUNBUFFERED": "1",
    }
    yield env
    # Only this test's own keys: its queue and its exchange binding.
    client.delete(queue, f"_kombu.binding.{queue}")


@contextlib.contextmanager
def celery_worker(env: dict, log_path: Path):
    """Start ``celery -A config worker`` and wait until it is ready; stop it
    by SIGTERM to its PID on the way out (SIGKILL if it does not stop)."""
    queue = env["TRACKER_TEST_QUEUE"]
    with open(log_path, "ab") as log:
        process = subprocess.Popen(
            [
                CELERY,
                "-A",
                "config",
                "worker",
                "--pool",
                "solo",
                "--concurrency",
                "1",
                "-l",
                "info",
                "-Q",
                queue,
                "-n",
                f"{queue}-{uuid.uuid4().hex[:6]}@%h",
                "--without-mingle",
                "--without-gossip",
                "--without-heartbeat",
            ],
            cwd=BASE_DIR,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    try:
        _wait_for(
            lambda: b" ready." in log_path.read_bytes() or process.poll() is not None,
            READY_TIMEOUT,
            "the worker to start",
            log_path,
        )
        if process.poll() is not None:
            pytest.fail(f"The worker exited at start:\n{_tail(log_path)}")
        yield process
    finally:
        stop_worker(process)


def stop_worker(process: subprocess.Popen) -> None:
    if process.poll() is not None:
        return
    process.send_signal(signal.SIGTERM)
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=10)


def _tail(log_path: Path, lines: int = 40) -> str:
    return "\n".join(log_path.read_text(errors="replace").splitlines()[-lines:])


def _wait_for(condition, timeout: float, what: str, log_path: Path) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.1)
    pytest.fail(f"Timed out after {timeout} s waiting for {what}:\n{_tail(log_path)}")


def read_mail(mail_dir: Path) -> list[email.message.EmailMessage]:
    """Every message the file backend wrote, parsed."""
    messages = []
    separator = b"\n" + b"-" * 79 + b"\n"
    for path in sorted(mail_dir.iterdir()):
        for chunk in path.read_bytes().split(separator):
            if chunk.strip():
                messages.append(
                    email.message_from_bytes(chunk.strip(), policy=email.policy.default)
                )
    return messages


def plain_text(message: email.message.EmailMessage) -> str:
    return message.get_body(preferencelist=("plain",)).get_content()


@pytest.fixture
def overdue_ladder(overdue_task):
    """The default ladder with only its overdue step on (these tests commit,
    so the data migration's rows were flushed away before them)."""
    from tasks.models import LadderStep

    alerts.install_default_ladder()
    LadderStep.objects.exclude(kind=AlertKind.OVERDUE).update(is_active=False)


def emailed_count(task_ids) -> int:
    return Alert.objects.filter(task_id__in=task_ids, emailed_at__isnull=False).count()


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
        _wait_for(
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
        _wait_for(
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
        _wait_for(
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


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


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
    port = _free_port()
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
