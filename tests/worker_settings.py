"""Settings for the real Celery worker that tests/tasks/test_worker.py starts.

The test settings, plus what the test passes through the environment: the
queue it listens on (unique per test, so the worker never takes another
test's messages), e-mail written as files to a temporary folder, an optional
delay before each message (to kill the worker in the middle of a send), and
an optional short visibility timeout (so that Redis redelivers an unacked
job within seconds instead of an hour).
"""

import os
import time

from django.core.mail.backends.filebased import EmailBackend as _FileEmailBackend

from config.settings.test import *  # noqa: F403
from config.settings.test import CELERY_BROKER_TRANSPORT_OPTIONS


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
