"""Real processes for the worker and fault tests: Celery workers and beats
against Redis, a Redis server of a test's own (to stop and start again on
the same port), a web server answering real HTTP, and the mail folder that
the workers write to.

Every process is started here and stopped by its own PID, never by name.
The workers read the same PostgreSQL test database as the test, which is
why the tests that use them commit (``transaction=True``).
"""

import contextlib
import datetime
import email
import email.policy
import html
import http.cookiejar
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

import psycopg2
import pytest
import redis
from django.conf import settings
from django.db import connection

from tasks import alerts
from tasks.choices import AlertKind, LadderRole
from tasks.models import Alert, LadderStep, Task

BASE_DIR = Path(settings.BASE_DIR)
BIN = Path(sys.executable).parent
CELERY = str(BIN / "celery")
GUNICORN = str(BIN / "gunicorn")
READY_TIMEOUT = 60
DONE_TIMEOUT = 90
HTTP_TIMEOUT = 30


# --- waiting and logs --------------------------------------------------------


def tail(log_path: Path, lines: int = 40) -> str:
    if not log_path.exists():
        return "(no log)"
    return "\n".join(log_path.read_text(errors="replace").splitlines()[-lines:])


def wait_for(
    condition: Callable[[], object], timeout: float, what: str, log_path: Path
) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.1)
    pytest.fail(f"Timed out after {timeout} s waiting for {what}:\n{tail(log_path)}")


def log_since(log_path: Path, offset: int) -> bytes:
    with open(log_path, "rb") as log:
        log.seek(offset)
        return log.read()


def _log_size(log_path: Path) -> int:
    return log_path.stat().st_size if log_path.exists() else 0


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


# --- environment -------------------------------------------------------------


def redis_or_skip(url: str) -> redis.Redis:
    client = redis.Redis.from_url(url, socket_connect_timeout=2, socket_timeout=2)
    try:
        client.ping()
    except redis.RedisError as exc:
        pytest.skip(f"Redis is not reachable at {url}: {exc}")
    return client


def database_url() -> str:
    """The URL of the test database this test process uses."""
    db = connection.settings_dict
    auth = quote(db["USER"] or "", safe="")
    if db["PASSWORD"]:
        auth += ":" + quote(db["PASSWORD"], safe="")
    host = quote(db["HOST"] or "", safe="")
    port = f":{db['PORT']}" if db["PORT"] else ""
    return f"postgres://{auth + '@' if auth else ''}{host}{port}/{quote(db['NAME'])}"


def worker_environment(tmp_path: Path, broker_url: str, **extra: str) -> dict:
    """Environment for worker, beat and web processes (``tests.worker_settings``):
    a queue of their own on ``broker_url``, a mail folder, the test database."""
    mail_dir = tmp_path / "mail"
    mail_dir.mkdir(exist_ok=True)
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tests.worker_settings",
        "DATABASE_URL": database_url(),
        "CELERY_BROKER_URL": broker_url,
        "REDIS_URL": broker_url,
        "EMAIL_FILE_PATH": str(mail_dir),
        "TRACKER_TEST_QUEUE": f"dt-test-{uuid.uuid4().hex[:12]}",
        "PYTHONUNBUFFERED": "1",
        **extra,
    }


def mail_dir_of(env: dict) -> Path:
    return Path(env["EMAIL_FILE_PATH"])


# --- processes ---------------------------------------------------------------


def stop_process(process: subprocess.Popen, timeout: float = 20) -> None:
    """SIGTERM to the process's own PID (SIGKILL if it does not stop)."""
    if process.poll() is not None:
        return
    process.send_signal(signal.SIGTERM)
    try:
        process.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=10)


@contextlib.contextmanager
def _process(args, env, log_path: Path, ready: bytes, what: str):
    """Start ``args`` with output appended to ``log_path``; wait until the
    output written since the start contains ``ready``; stop it on the way
    out."""
    start = _log_size(log_path)
    with open(log_path, "ab") as log:
        process = subprocess.Popen(
            args, cwd=BASE_DIR, env=env, stdout=log, stderr=subprocess.STDOUT
        )
    try:
        wait_for(
            lambda: ready in log_since(log_path, start) or process.poll() is not None,
            READY_TIMEOUT,
            what,
            log_path,
        )
        if process.poll() is not None:
            pytest.fail(f"{what}: the process exited at start:\n{tail(log_path)}")
        yield process
    finally:
        stop_process(process)


def celery_worker(env: dict, log_path: Path, *, concurrency: int = 1):
    """``celery -A config worker`` on the test's queue (one process, or a
    prefork pool of ``concurrency`` children), ready when it says so."""
    queue = env["TRACKER_TEST_QUEUE"]
    pool = ["--pool", "solo"] if concurrency == 1 else ["--pool", "prefork"]
    args = [
        CELERY,
        "-A",
        "config",
        "worker",
        *pool,
        "--concurrency",
        str(concurrency),
        "-l",
        "info",
        "-Q",
        queue,
        "-n",
        f"{queue}-{uuid.uuid4().hex[:6]}@%h",
        "--without-mingle",
        "--without-gossip",
        "--without-heartbeat",
    ]
    return _process(args, env, log_path, b" ready.", "the worker to start")


def celery_beat(env: dict, log_path: Path, schedule: Path):
    """``celery -A config beat`` with a schedule file of its own."""
    args = [CELERY, "-A", "config", "beat", "-l", "info", "-s", str(schedule)]
    return _process(args, env, log_path, b"beat: Starting", "beat to start")


def sent_by_beat(log_path: Path, job: str) -> int:
    """How many times a beat logged sending ``job`` (by its job name)."""
    if not log_path.exists():
        return 0
    pattern = rb"Sending due task \S+ \(" + re.escape(job.encode()) + rb"\)"
    return len(re.findall(pattern, log_path.read_bytes()))


class RedisServer:
    """A ``redis-server`` of the test's own on a free port, without
    persistence: stopped and started again it comes back empty, the worst
    case for queued messages."""

    def __init__(self, directory: Path):
        binary = shutil.which("redis-server")
        if binary is None:
            pytest.skip("redis-server is not installed")
        self.binary = binary
        self.directory = directory
        self.directory.mkdir(exist_ok=True)
        self.log_path = directory / "redis.log"
        self.port = free_port()
        self.process = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        with open(self.log_path, "ab") as log:
            self.process = subprocess.Popen(
                [
                    self.binary,
                    "--port",
                    str(self.port),
                    "--bind",
                    "127.0.0.1",
                    "--save",
                    "",
                    "--appendonly",
                    "no",
                    "--dir",
                    str(self.directory),
                ],
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        wait_for(self.is_up, READY_TIMEOUT, "Redis to start", self.log_path)

    def client(self) -> redis.Redis:
        return redis.Redis(
            port=self.port, socket_connect_timeout=0.5, socket_timeout=0.5
        )

    def is_up(self) -> bool:
        client = self.client()
        try:
            return bool(client.ping())
        except redis.RedisError:
            return False
        finally:
            client.close()

    def stop(self) -> None:
        if self.process is not None:
            stop_process(self.process)
            self.process = None


@contextlib.contextmanager
def redis_server(directory: Path):
    server = RedisServer(directory)
    server.start()
    try:
        yield server
    finally:
        server.stop()


@contextlib.contextmanager
def web_server(env: dict, log_path: Path):
    """The application under gunicorn, as in production; yields its base URL."""
    port = free_port()
    args = [
        GUNICORN,
        "config.wsgi:application",
        "--bind",
        f"127.0.0.1:{port}",
        "--workers",
        "1",
        "--threads",
        "2",
        "--access-logfile",
        "-",
        "--no-control-socket",
    ]
    with _process(args, env, log_path, b"Booting worker", "gunicorn to start"):
        base = f"http://127.0.0.1:{port}"
        wait_for(
            lambda: _answers(base + "/login/"), READY_TIMEOUT, "the web page", log_path
        )
        yield base


def _answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.status == 200
    except OSError:
        return False


# --- a browser without JavaScript, over real HTTP ----------------------------


@dataclass
class Page:
    status: int
    location: str
    text: str


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


class WebClient:
    """Cookies, CSRF tokens from the forms, redirects not followed (so a
    test sees them); every request gives up after ``HTTP_TIMEOUT`` s."""

    def __init__(self, base_url: str):
        self.base_url = base_url
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()),
            _NoRedirect,
        )

    def _open(self, request) -> Page:
        try:
            response = self.opener.open(request, timeout=HTTP_TIMEOUT)
        except urllib.error.HTTPError as exc:
            response = exc
        with response:
            return Page(
                status=response.status,
                location=response.headers.get("Location", ""),
                text=response.read().decode("utf-8", errors="replace"),
            )

    def get(self, path: str) -> Page:
        return self._open(urllib.request.Request(self.base_url + path))

    def post(self, path: str, data: dict) -> Page:
        body = urllib.parse.urlencode(data).encode()
        return self._open(urllib.request.Request(self.base_url + path, data=body))

    def submit(self, path: str, data: dict) -> Page:
        """GET the form at ``path``, then POST it with its hidden fields
        (CSRF token, version) and ``data``."""
        form = self.get(path)
        assert form.status == 200, form.text[:500]
        hidden = {
            html.unescape(name): html.unescape(value)
            for name, value in re.findall(
                r'<input type="hidden" name="([^"]+)" value="([^"]*)"', form.text
            )
        }
        return self.post(path, {**hidden, **data})

    def login(self, username: str, password: str) -> Page:
        return self.submit("/login/", {"username": username, "password": password})


# --- the mail folder ---------------------------------------------------------


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


def mailed_task_id(message: email.message.EmailMessage) -> int:
    """The task a message links to."""
    found = re.search(r"/tasks/(\d+)/", plain_text(message))
    assert found, plain_text(message)
    return int(found.group(1))


# --- the ledger --------------------------------------------------------------


def install_overdue_only_ladder() -> LadderStep:
    """The default ladder with only its overdue step on (tests that commit
    start from a database whose data-migration rows were flushed away)."""
    alerts.install_default_ladder()
    LadderStep.objects.exclude(kind=AlertKind.OVERDUE).update(is_active=False)
    return LadderStep.objects.get(kind=AlertKind.OVERDUE)


def emailed_count(task_ids) -> int:
    return Alert.objects.filter(task_id__in=task_ids, emailed_at__isnull=False).count()


def row_versions(task_ids) -> dict[int, tuple]:
    """Each task row's physical version: ``xmin`` and ``ctid`` change with
    every UPDATE of the row (a foreign-key check's row lock changes neither)."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT id, xmin::text, ctid::text FROM {Task._meta.db_table} "
            "WHERE id = ANY(%s)",
            [list(task_ids)],
        )
        return {pk: (xmin, ctid) for pk, xmin, ctid in cursor.fetchall()}


@contextlib.contextmanager
def ledger_key_held(task: Task, step: LadderStep, recipient_id: int):
    """Another transaction inserts, and keeps uncommitted, the ledger row of
    (task, deadline, step, recipient). A scan that reaches that key waits
    on it — PostgreSQL's unique check waits for the other transaction to
    end — so the scan is held in the middle, with the earlier task-id
    ranges committed. The row is rolled back on the way out."""
    held = psycopg2.connect(database_url())
    try:
        with held.cursor() as cursor:
            cursor.execute(
                f"INSERT INTO {Alert._meta.db_table} (task_id, deadline, kind, "
                "step_id, recipient_id, role, mandatory, message, created_at, "
                "email_attempts, last_error) "
                "VALUES (%s, %s, %s, %s, %s, %s, false, '', now(), 0, '')",
                [
                    task.pk,
                    task.deadline,
                    step.kind,
                    step.pk,
                    recipient_id,
                    LadderRole.ASSIGNEE.value,
                ],
            )
        yield
    finally:
        held.rollback()
        held.close()


def scan_backends_waiting() -> list[int]:
    """PIDs of the other database sessions of the test database that wait on
    a lock: with a ledger key held, the scan's (the only writer about)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pid FROM pg_stat_activity WHERE datname = current_database() "
            "AND wait_event_type = 'Lock' AND pid <> pg_backend_pid()"
        )
        return [pid for (pid,) in cursor.fetchall()]


def backend_alive(pid: int) -> bool:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_stat_activity WHERE pid = %s", [pid])
        return cursor.fetchone() is not None


# --- a clock for the worker --------------------------------------------------


def set_worker_clock(path: Path, moment: datetime.datetime) -> None:
    """Stop the clock of the processes started with
    ``TRACKER_TEST_CLOCK_FILE=path`` at ``moment`` (see tests/worker_settings)."""
    temporary = path.with_suffix(".new")
    temporary.write_text(moment.isoformat())
    os.replace(temporary, path)
