"""Fixtures for the alert ledger tests."""

import datetime

import pytest


@pytest.fixture
def send_enqueues(monkeypatch):
    """Record each request to queue the e-mail send instead of publishing it
    to the shared Redis (a stray message there would outlive the test)."""
    from tasks import jobs

    calls = []
    monkeypatch.setattr(
        jobs.send_pending_alerts,
        "apply_async",
        lambda *args, **kwargs: calls.append((args, kwargs)),
    )
    return calls


@pytest.fixture
def overdue_task(make_task, today):
    """An open task whose deadline was ``days`` days ago."""

    def _make(days: int = 2, **overrides):
        deadline = today - datetime.timedelta(days=days)
        values = dict(
            start_date=deadline - datetime.timedelta(days=10), deadline=deadline
        )
        values.update(overrides)
        return make_task(**values)

    return _make
