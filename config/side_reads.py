"""Reads a page runs beside its own work, on other database connections.

A dashboard's parts (the unit table with the trend, the three task lists,
the other apps' panels) need nothing the rest of the page computes: once
the page knows its filter, each can run on a connection of its own while
the request's thread builds the page and renders the layout, the filters
and the breadcrumb, which need none of them. The page then waits for the
slowest part, not for their sum. On a saturated machine it gains nothing
and loses little (a hand-over between threads).

``run_aside(fn, *args)`` returns a ``Deferred``; ``result()`` waits for it.
The function runs in a small pool of threads, each with its own Django
connection (kept open like the request threads', ``CONN_MAX_AGE``), in the
caller's language, time zone, script prefix and URLconf. An exception is
raised again by ``result()``.

It runs in the caller's thread instead, at once:

- when ``TRACKER_SIDE_READS`` is off, or off PostgreSQL (SQLite would only
  queue the two readers behind one lock);
- inside a transaction (``atomic``): another connection would not see what
  the transaction wrote, nor read the same snapshot;
- from a thread of the pool itself.
"""

import os
import threading
import time
from concurrent.futures import ThreadPoolExecutor

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, InterfaceError, OperationalError, connections
from django.urls import get_script_prefix, get_urlconf, set_script_prefix, set_urlconf
from django.utils import timezone, translation

# The dashboard sends five parts; the panels, read last on the page, wait
# for a free thread. A web process holds up to this many connections more.
POOL_SIZE = 4

_lock = threading.Lock()
_pool: ThreadPoolExecutor | None = None
_pool_pid: int | None = None
# The pool threads' connections, closed by ``shutdown``.
_opened: set = set()
_local = threading.local()


class Deferred:
    """A value being read on the side, or already read."""

    __slots__ = ("_future", "_value")

    def __init__(self, future=None, value=None):
        self._future = future
        self._value = value

    def result(self):
        if self._future is not None:
            self._value = self._future.result()
            self._future = None
        return self._value


def enabled() -> bool:
    connection = connections[DEFAULT_DB_ALIAS]
    return (
        settings.TRACKER_SIDE_READS
        and connection.vendor == "postgresql"
        and not connection.in_atomic_block
        and not getattr(_local, "in_pool", False)
    )


def run_aside(fn, *args, **kwargs) -> Deferred:
    if not enabled():
        return Deferred(value=fn(*args, **kwargs))
    state = (
        translation.get_language(),
        timezone.get_current_timezone(),
        get_script_prefix(),
        get_urlconf(),
    )
    return Deferred(future=_get_pool().submit(_run, state, fn, args, kwargs))


def _get_pool() -> ThreadPoolExecutor:
    """The process's pool, made on first use: after a fork (gunicorn
    ``--preload``, Celery) a child never inherits its parent's threads."""
    global _pool, _pool_pid
    with _lock:
        if _pool is None or _pool_pid != os.getpid():
            _pool = ThreadPoolExecutor(POOL_SIZE, thread_name_prefix="side-read")
            _pool_pid = os.getpid()
            _opened.clear()
        return _pool


def _run(state, fn, args, kwargs):
    language, zone, prefix, urlconf = state
    _local.in_pool = True
    connection = connections[DEFAULT_DB_ALIAS]
    reused = _drop_if_stale(connection)
    with _lock:
        _opened.add(connection)
    set_script_prefix(prefix)
    set_urlconf(urlconf)
    try:
        with translation.override(language), timezone.override(zone):
            try:
                return fn(*args, **kwargs)
            except (InterfaceError, OperationalError):
                # A kept connection the server has dropped since (a restart,
                # an idle timeout): a read may run again, once, on a new one.
                if not reused or connection.is_usable():
                    raise
                connection.close()
                return fn(*args, **kwargs)
    finally:
        set_urlconf(None)


def _drop_if_stale(connection) -> bool:
    """Django's check at each request (``close_if_unusable_or_obsolete``),
    less the health check's extra round trip before every job: a connection
    that saw an error and no longer answers, or that outlived
    ``CONN_MAX_AGE``, is closed. Whether a kept connection is used."""
    if connection.connection is None:
        return False
    stale = connection.close_at is not None and time.monotonic() >= connection.close_at
    if stale or (connection.errors_occurred and not connection.is_usable()):
        connection.close()
        return False
    connection.errors_occurred = False
    return True


def shutdown() -> None:
    """Wait for the pool's work, end its threads and close their
    connections (a test database cannot be dropped while they are open)."""
    global _pool
    with _lock:
        pool, _pool = _pool, None
    if pool is None:
        return
    pool.shutdown(wait=True)
    with _lock:
        opened = list(_opened)
        _opened.clear()
    for connection in opened:
        # Their threads have ended: this one may close them.
        connection.inc_thread_sharing()
        try:
            connection.close()
        finally:
            connection.dec_thread_sharing()
