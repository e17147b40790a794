"""Settings for the real Celery workers, beats and web servers that the
worker and fault tests start (tests/tasks/worker_support.py).

The test settings, plus what the test passes through the environment: the
queue they use (unique per test, so a worker never takes another test's
messages), e-mail written as files to a temporary folder, an optional delay
before each message (to kill the worker in the middle of a send), an
optional short visibility timeout (so that Redis redelivers an unacked job
within seconds instead of an hour), an optional short beat interval, and an
optional stopped clock.
"""

import datetime
import os
import time

from django.core.mail.backends.filebased import EmailBackend as _FileEmailBackend
from django.utils import timezone as _timezone

from config.settings.test import *  # noqa: F403
from config.settings.test import CELERY_BEAT_SCHEDULE, CELERY_BROKER_TRANSPORT_OPTIONS


class SlowFileEmailBackend(_FileEmailBackend):
    """The file backend, waiting ``delay`` seconds before each message."""

    def __init__(self, *args, delay=0.0, **kwargs):
        super().__init__(*args, **kwargs)
        self.delay = float(delay)

    def send_messages(self, email_messages):
        if self.delay:
            time.sleep(self.delay)
        return super().send_messages(email_messages)


MAILERS = {
    "default": {
        "BACKEND": "tests.worker_settings.SlowFileEmailBackend",
        "OPTIONS": {
            "file_path": os.environ["EMAIL_FILE_PATH"],
            "delay": float(os.environ.get("TRACKER_TEST_MAIL_DELAY", "0")),
        },
    }
}
CELERY_TASK_DEFAULT_QUEUE = os.environ["TRACKER_TEST_QUEUE"]
CELERY_BROKER_TRANSPORT_OPTIONS = {
    **CELERY_BROKER_TRANSPORT_OPTIONS,
    "visibility_timeout": int(
        os.environ.get("TRACKER_TEST_VISIBILITY_TIMEOUT", "3600")
    ),
}

# TRACKER_TEST_BEAT_SECONDS: every entry of the real beat schedule (same
# names, same jobs) every that many seconds instead of every 5 or 15 minutes.
if os.environ.get("TRACKER_TEST_BEAT_SECONDS"):
    _every = datetime.timedelta(seconds=float(os.environ["TRACKER_TEST_BEAT_SECONDS"]))
    CELERY_BEAT_SCHEDULE = {
        name: {**entry, "schedule": _every}
        for name, entry in CELERY_BEAT_SCHEDULE.items()
    }


# TRACKER_TEST_CLOCK_FILE: Django's clock (``timezone.now``, hence
# ``localdate``, scan days, ``created_at``) stands still at the ISO moment
# written in that file, re-read whenever the file is replaced; the real clock
# while there is no file. Celery's own clock (beat ticks, ETAs) is untouched.
def _stopped_clock(path: str):
    real_now = _timezone.now
    seen = {"stamp": None, "moment": None}

    def now() -> datetime.datetime:
        try:
            status = os.stat(path)
        except FileNotFoundError:
            return real_now()
        stamp = (status.st_ino, status.st_mtime_ns, status.st_size)
        if stamp != seen["stamp"]:
            with open(path) as clock:
                seen["moment"] = datetime.datetime.fromisoformat(clock.read().strip())
            seen["stamp"] = stamp
        return seen["moment"].astimezone(datetime.UTC)

    return now


if os.environ.get("TRACKER_TEST_CLOCK_FILE"):
    _timezone.now = _stopped_clock(os.environ["TRACKER_TEST_CLOCK_FILE"])
