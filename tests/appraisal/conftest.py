"""Fixtures for the accountability tests: tasks written as rows in any
state on any day (``add_task``), returns on a given day (``add_return``),
and the month they count in: October 2026 when today is 29/11/2026, or
whatever last month is.

The tree and the people come from tests/conftest.py::

    Thành ủy Hà Nội            reviewer thuongtruc
    ├── Huyện ủy Đông Anh      leader bithu_da, reviewer vanphong_da
    │   ├── Văn phòng          leader lanhdao_vp, staff canbo_vp, canbo_vp2
    │   └── UBND xã Cổ Loa     staff canbo_cl
    └── Quận ủy Tây Hồ         leader bithu_th, staff canbo_th
"""

import datetime

import pytest
from django.utils import timezone

from appraisal import selectors
from tasks.choices import ReportKind, TaskStatus
from tasks.models import ProgressReport
from tests.factories import TaskFactory

DAY = datetime.timedelta(days=1)


@pytest.fixture
def month(today) -> datetime.date:
    """The first day of last month."""
    return selectors.previous_month(today)


@pytest.fixture
def in_month(month):
    """``in_month(d)``: day d of last month."""
    return lambda d: month.replace(day=d)


@pytest.fixture
def add_task(tree, people, directive):
    """``add_task(deadline=…, done_on=…, …)`` writes one task row for
    canbo_vp in Văn phòng (or ``unit``/``assignee``). ``done_on``: approved,
    completed that day. ``submitted_on`` without ``done_on``: waiting for
    the leader."""

    def _add(
        *,
        deadline: datetime.date,
        done_on: datetime.date | None = None,
        submitted_on: datetime.date | None = None,
        status: str | None = None,
        unit=None,
        assignee=None,
        is_hard: bool = False,
        extended: bool = False,
    ):
        if status is None:
            if done_on:
                status = TaskStatus.DONE
            elif submitted_on:
                status = TaskStatus.SUBMITTED
            else:
                status = TaskStatus.IN_PROGRESS
        return TaskFactory(
            lead_unit=unit or tree.vp,
            assignee=assignee or people.canbo_vp,
            accountable_leader=people.lanhdao_vp,
            assigned_by=people.lanhdao_vp,
            directive=directive,
            start_date=deadline - 60 * DAY,
            deadline=deadline,
            original_deadline=deadline,
            status=status,
            completed_on=done_on,
            completed_at=timezone.now() if done_on else None,
            submitted_on=done_on or submitted_on,
            actual_result="Đã hoàn thành" if done_on else "",
            progress=100 if (done_on or submitted_on) else 30,
            is_hard=is_hard,
            extension_count=1 if extended else 0,
        )

    return _add


@pytest.fixture
def add_return():
    """``add_return(task, on=date)``: a leader returned the task that day."""

    def _add(task, *, on: datetime.date):
        report = ProgressReport.objects.create(
            task=task,
            kind=ReportKind.RETURN,
            author=task.accountable_leader,
            percent=90,
            note="Bổ sung số liệu",
        )
        moment = timezone.make_aware(datetime.datetime.combine(on, datetime.time(10)))
        ProgressReport.objects.filter(pk=report.pk).update(created_at=moment)
        return report

    return _add


@pytest.fixture(autouse=True)
def rules_in_force(db):
    """The default rules, written again if a transactional test before this
    one flushed the data migration's rows away."""
    from appraisal import services

    services.install_defaults()
