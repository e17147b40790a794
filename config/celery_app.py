"""The Celery app. In this project "task" means nhiệm vụ, so Celery work is a
*job*: modules are named ``jobs.py``, each job with an explicit stable name."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")

app = Celery("directive_tracker")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks(related_name="jobs")
