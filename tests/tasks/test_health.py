"""``/health/`` for monitoring, and the admins' view of recent scans."""

import datetime

import pytest
from django.db import OperationalError
from django.urls import reverse
from django.utils import timezone

from tasks import alerts
from tasks.choices import ScanStatus
from tasks.models import ScanRun
from tasks.views import health as health_view

pytestmark = pytest.mark.django_db


def get(client):
    response = client.get(reverse("health"))
    return response.status_code, response.json()


def recent_scan(minutes_ago=1, status=ScanStatus.OK):
    now = timezone.now()
    return ScanRun.objects.create(
        job=alerts.SCAN_OVERDUE_JOB,
        started_at=now - datetime.timedelta(minutes=minutes_ago, seconds=2),
        finished_at=now - datetime.timedelta(minutes=minutes_ago),
        status=status,
    )


@pytest.fixture
def redis_up(monkeypatch):
    monkeypatch.setattr(health_view, "_check_redis", lambda: {"ok": True, "used": True})


def test_healthy_with_a_recent_scan_no_login_needed(client, redis_up):
    recent_scan(minutes_ago=3)
    status, body = get(client)
    assert status == 200
    assert body["status"] == "ok"
    assert body["checks"]["database"] == {"ok": True}
    assert 170 <= body["checks"]["last_scan"]["age_seconds"] <= 200


def test_503_when_the_last_successful_scan_is_too_old(client, redis_up, settings):
    settings.TRACKER_HEALTH_MAX_SCAN_AGE_MINUTES = 45
    recent_scan(minutes_ago=60)
    recent_scan(minutes_ago=1, status=ScanStatus.FAILED)  # failures do not count
    status, body = get(client)
    assert status == 503
    assert body["checks"]["last_scan"]["ok"] is False


def test_503_when_no_scan_ever_succeeded(client, redis_up):
    status, body = get(client)
    assert status == 503
    assert body["checks"]["last_scan"]["last_success"] is None


def test_503_when_redis_is_down_and_no_secret_is_shown(client, settings):
    recent_scan()
    settings.CELERY_BROKER_URL = "redis://:s3cret-password@127.0.0.1:1/0"
    status, body = get(client)
    assert status == 503
    assert body["checks"]["redis"]["ok"] is False
    text = str(body)
    assert "s3cret" not in text and "127.0.0.1" not in text


def test_503_when_the_database_is_down(client, redis_up, monkeypatch):
    def broken():
        return {"ok": False, "error": OperationalError.__name__}

    monkeypatch.setattr(health_view, "_check_database", broken)
    status, body = get(client)
    assert status == 503
    assert body["checks"]["database"]["ok"] is False


def test_admins_see_the_recent_scans(admin_client):
    recent_scan()
    failed = recent_scan(status=ScanStatus.FAILED)
    failed.error = "OperationalError: server closed the connection"
    failed.failed_count = 3
    failed.save()
    page = admin_client.get(reverse("admin:tasks_scanrun_changelist"))
    assert page.status_code == 200
    text = page.content.decode()
    assert "server closed the connection" in text
    for name in ("ladderstep", "calendarday", "alertpreference", "explanationrequest"):
        assert (
            admin_client.get(reverse(f"admin:tasks_{name}_changelist")).status_code
            == 200
        )
