"""``/health/``: what monitoring polls. No login, no secrets: the database,
the broker (Redis) and the age of the last successful alert scan, as JSON,
200 when all is well and 503 otherwise."""

import logging

from django.conf import settings
from django.db import connection
from django.http import JsonResponse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from ..alerts import SCAN_OVERDUE_JOB
from ..choices import ScanStatus
from ..models import ScanRun

logger = logging.getLogger(__name__)

BROKER_TIMEOUT = 1.0  # seconds: monitoring must never hang on a dead Redis


def _check_database() -> dict:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as exc:
        logger.warning("Health: database check failed: %s", type(exc).__name__)
        return {"ok": False, "error": type(exc).__name__}
    return {"ok": True}


def _check_redis() -> dict:
    url = settings.CELERY_BROKER_URL
    if not url.startswith(("redis://", "rediss://")):
        return {"ok": True, "used": False}
    import redis

    try:
        client = redis.Redis.from_url(
            url, socket_connect_timeout=BROKER_TIMEOUT, socket_timeout=BROKER_TIMEOUT
        )
        client.ping()
        client.close()
    except Exception as exc:
        logger.warning("Health: Redis check failed: %s", type(exc).__name__)
        return {"ok": False, "used": True, "error": type(exc).__name__}
    return {"ok": True, "used": True}


def _check_scan(database_ok: bool) -> dict:
    limit = settings.TRACKER_HEALTH_MAX_SCAN_AGE_MINUTES * 60
    result = {"max_age_seconds": limit}
    if not database_ok:
        return {**result, "ok": False, "error": "database"}
    last = (
        ScanRun.objects.filter(job=SCAN_OVERDUE_JOB, status=ScanStatus.OK)
        .order_by("-finished_at")
        .values_list("finished_at", flat=True)
        .first()
    )
    if last is None:
        return {**result, "ok": False, "last_success": None, "age_seconds": None}
    age = int((timezone.now() - last).total_seconds())
    return {
        **result,
        "ok": age <= limit,
        "last_success": last.isoformat(),
        "age_seconds": age,
    }


@never_cache
@require_GET
def health(request):
    database = _check_database()
    checks = {
        "database": database,
        "redis": _check_redis(),
        "last_scan": _check_scan(database["ok"]),
    }
    healthy = all(check["ok"] for check in checks.values())
    return JsonResponse(
        {"status": "ok" if healthy else "fail", "checks": checks},
        status=200 if healthy else 503,
        json_dumps_params={"ensure_ascii": False},
    )
