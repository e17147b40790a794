"""A signed-in user's page served again from Django's cache while nothing it
shows has changed ("Việc của tôi": ``tasks.views.lists.MyTaskListView``).

The key carries everything the page depends on:

- ``User.view_version``, which PostgreSQL triggers raise in the same
  transaction as every write that changes the page, when it commits
  (tasks migration 0013).
  It is read from the user that AuthenticationMiddleware loaded, before any
  of the page's data, so a page stored under a version was rendered from
  data at least as new as that version: it can never be older than what the
  user expects after their own or anyone's committed change;
- the session and the CSRF secret (the page embeds a token made from it;
  any token masked from the same secret stays valid), the language, the
  day and the "due soon" boundary (timeliness moves with the date and the
  working-day calendar), the full path with its query string, which of the
  page or its htmx fragment is asked for, and the release (templates,
  translations, code, static file names) so that a deploy never serves a
  page of the previous one.

Never read nor written: off PostgreSQL (no triggers), with the setting
``TRACKER_MY_TASKS_CACHE`` off, for a request other than GET or HEAD, inside
a database transaction (versions are raised at commit), while flash
messages are waiting to be shown, or for a response other than 200.
A cache that fails (Redis down) is logged and left alone for a while: the
page is rendered as if there were no cache.
"""

import functools
import hashlib
import logging
import time
from collections.abc import Callable
from pathlib import Path

import django
from django.apps import apps
from django.conf import settings
from django.contrib.messages import get_messages
from django.core.cache import caches
from django.db import connection
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.templatetags.static import static
from django.utils.translation import get_language

from .calendar import local_today
from .querysets import due_soon_boundary

logger = logging.getLogger(__name__)

# A bound on an entry's life, not the way it is invalidated (the version is).
TIMEOUT = 10 * 60
# After a failed read or write, this process renders pages without the cache
# for so many seconds: a hung Redis costs one request its socket timeout,
# not every request.
RETRY_AFTER = 30.0

_retry_at = 0.0


def enabled() -> bool:
    return bool(settings.TRACKER_MY_TASKS_CACHE) and connection.vendor == "postgresql"


def serve(
    request: HttpRequest,
    *,
    page: str,
    variant: str,
    render: Callable[[], HttpResponse],
) -> HttpResponse:
    """The response to ``request``: from the cache when this user's page is
    there under the current key, else ``render()`` (stored for next time).

    ``page`` names the page; ``variant`` is whatever the request changes in
    the response beyond its path and query string (an htmx fragment or the
    whole page)."""
    if not _usable(request):
        return render()
    key_of = _key_maker(request, page=page, variant=variant)
    secret = request.META.get("CSRF_COOKIE")
    if secret:
        try:
            stored = caches["default"].get(key_of(secret))
        except Exception as exc:  # the cache server is down or hung
            _failed("read", exc)
            return render()
        if stored is not None:
            # As a rendered page would: the CSRF cookie is sent again, and
            # its token (in the stored page) is valid for the same secret.
            get_token(request)
            return _response(stored)
    response = render()
    if hasattr(response, "render"):
        response.render()
    # The page may have made a new CSRF secret (first visit): its key.
    secret = request.META.get("CSRF_COOKIE")
    if response.status_code == 200 and secret:
        try:
            caches["default"].set(key_of(secret), _stored(response), TIMEOUT)
        except Exception as exc:
            _failed("write", exc)
    return response


def _usable(request: HttpRequest) -> bool:
    if request.method not in ("GET", "HEAD") or not enabled():
        return False
    # Versions are raised when a transaction commits: inside one, its own
    # writes are not counted yet (a request is outside any, unless
    # ATOMIC_REQUESTS is set; a test case's transaction never commits).
    if connection.in_atomic_block:
        return False
    if time.monotonic() < _retry_at:
        return False
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return False
    if not request.session.session_key:
        return False
    # A page that shows a flash message is shown once, never stored; the
    # page stored before it must not be served in its place either.
    return len(get_messages(request)) == 0


def _key_maker(request: HttpRequest, *, page: str, variant: str):
    """The key for a CSRF secret, every other part read now: before the
    page's data, so that the version is never newer than the data."""
    user = request.user
    today = local_today()
    parts = [
        page,
        variant,
        str(user.pk),
        str(user.view_version),
        request.session.session_key,
        get_language() or "",
        today.isoformat(),
        due_soon_boundary(today).isoformat(),
        request.get_full_path(),
        release(),
    ]

    def key_of(secret: str) -> str:
        digest = hashlib.sha256("\x1f".join([*parts, secret]).encode()).hexdigest()
        return f"tracker:page:{page}:{user.pk}:{digest}"

    return key_of


def _stored(response: HttpResponse) -> dict:
    # The view's own headers (content type, Vary, HX-Push-Url); the
    # middleware adds cookies, CSP and the security headers on every
    # response, served from the cache or not.
    return {
        "status": response.status_code,
        "headers": dict(response.items()),
        "content": response.content,
    }


def _response(stored: dict) -> HttpResponse:
    return HttpResponse(
        stored["content"], status=stored["status"], headers=stored["headers"]
    )


def _failed(action: str, exc: Exception) -> None:
    global _retry_at
    _retry_at = time.monotonic() + RETRY_AFTER
    # The exception's class only: its text may carry the cache's URL.
    logger.warning(
        "Page cache %s failed (%s): pages are rendered without it for %d s",
        action,
        type(exc).__name__,
        RETRY_AFTER,
    )


def reset() -> None:
    """Use the cache again at once (after a failure); for tests."""
    global _retry_at
    _retry_at = 0.0


@functools.cache
def release() -> str:
    """A digest of what pages are made of besides data: the templates, the
    translations, the code of the apps that render them, Django's version
    and the static files' names (hashed in production). Computed once per
    process; a deploy restarts the processes."""
    digest = hashlib.sha256(django.get_version().encode())
    roots = [Path(d) for engine in settings.TEMPLATES for d in engine["DIRS"]]
    roots += [Path(p) for p in settings.LOCALE_PATHS]
    roots += [Path(apps.get_app_config(a).path) for a in ("units", "directives")]
    roots.append(Path(apps.get_app_config("tasks").path))
    roots.append(Path(settings.BASE_DIR) / "config")  # settings, formats
    for root in roots:
        for path in sorted(root.rglob("*")):
            if path.suffix in (".html", ".mo", ".py") and path.is_file():
                digest.update(str(path.relative_to(root)).encode())
                digest.update(path.read_bytes())
    for name in ("css/app.css", "js/app.js", "vendor/htmx/htmx.min.js"):
        try:
            digest.update(static(name).encode())
        except ValueError:  # not in the manifest of collected files
            pass
    return digest.hexdigest()[:16]
