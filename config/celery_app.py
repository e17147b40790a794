"""The Celery app. In this project "task" means nhiệm vụ, so Celery work is a
*job*: modules are named ``jobs.py``, each job with an explicit stable name."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")

app = Celery("directive_tracker")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks(related_name="jobs")


def _reconnect_for_ever() -> dict:
    """A worker that loses the broker reconnects for as long as the broker
    is away. Celery's own default gives up after 100 attempts (about 46
    minutes of back-off) and the worker exits, so an outage of an hour would
    leave no worker to catch up. ``CELERY_BROKER_CONNECTION_MAX_RETRIES`` in
    settings still decides, when set. Read when Celery is configured, not at
    import."""
    from django.conf import settings

    return {
        "broker_connection_max_retries": getattr(
            settings, "CELERY_BROKER_CONNECTION_MAX_RETRIES", None
        )
    }


app.add_defaults(_reconnect_for_ever)
