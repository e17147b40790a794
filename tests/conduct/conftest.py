"""Fixtures for the buck-passing record: tasks and done transfers written
directly, on any day (the services stamp the present), on the tree of
tests/conftest.py::

    Thành ủy Hà Nội            reviewer thuongtruc
    ├── Huyện ủy Đông Anh      leader bithu_da, reviewer vanphong_da
    │   ├── Văn phòng          leader lanhdao_vp, staff canbo_vp, canbo_vp2
    │   └── UBND xã Cổ Loa     staff canbo_cl
    └── Quận ủy Tây Hồ         leader bithu_th, staff canbo_th
"""

import datetime

import pytest
from django.utils import timezone

from conduct.services import install_default_rules
from tasks.choices import TransferKind, TransferStatus
from tasks.models import Task, Transfer
from tests.factories import TaskFactory

D = datetime.date


def at(day: datetime.date, hour: int = 9) -> datetime.datetime:
    """9:00 in Hanoi on ``day``."""
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


@pytest.fixture(autouse=True)
def default_rules(db):
    """The rules migration 0002 seeds: a transactional test elsewhere (the
    browser's) may have flushed them away."""
    install_default_rules()


@pytest.fixture
def task_at(directive, people):
    """``task_at(unit, assigned_on)``: a task assigned to ``unit`` that day."""

    def _task(unit, assigned_on, title="Nhiệm vụ chuyển qua lại"):
        return TaskFactory(
            title=title,
            directive=directive,
            lead_unit=unit,
            assignee=people.canbo_vp,
            accountable_leader=people.bithu_da,
            assigned_by=people.bithu_da,
            assigned_at=at(assigned_on),
            start_date=assigned_on,
            deadline=assigned_on + datetime.timedelta(days=60),
            original_deadline=assigned_on + datetime.timedelta(days=60),
        )

    return _task


@pytest.fixture
def hop(people):
    """``hop(task, from_unit, to_unit, day, by=…, kind=…)``: a done transfer
    decided on ``day`` (or at a given datetime)."""

    def _hop(task, from_unit, to_unit, when, *, by=None, kind=TransferKind.TRANSFER):
        moment = when if isinstance(when, datetime.datetime) else at(when)
        row = Transfer.objects.create(
            task=task,
            kind=kind,
            status=TransferStatus.DONE,
            from_unit=from_unit,
            to_unit=to_unit,
            from_assignee=task.assignee,
            to_assignee=task.assignee,
            reason="Không đúng chức năng",
            requested_by=by or people.lanhdao_vp,
            decided_by=people.bithu_da,
        )
        # requested_at is stamped on creation: put the hop on its day.
        Transfer.objects.filter(pk=row.pk).update(
            requested_at=moment, decided_at=moment
        )
        Task.objects.filter(pk=task.pk).update(lead_unit=to_unit)
        row.refresh_from_db()
        return row

    return _hop
