"""Fixtures for the dashboard tests: rows written directly (no service), so
that a test can put tasks in any state on any day, with their extensions and
transfers. As the services do, a written extension or transfer updates the
task's counters (``tasks.rollups.recount_counters``).

The tree and the people come from tests/conftest.py::

    Thành ủy Hà Nội            reviewer thuongtruc
    ├── Huyện ủy Đông Anh      leader bithu_da, reviewer vanphong_da
    │   ├── Văn phòng          leader lanhdao_vp, staff canbo_vp, canbo_vp2
    │   └── UBND xã Cổ Loa     staff canbo_cl
    └── Quận ủy Tây Hồ         leader bithu_th, staff canbo_th
"""

import datetime
import io
import random
import re
from types import SimpleNamespace

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from directives.choices import DirectiveKind
from tasks.choices import ExtensionStatus, TaskStatus, TransferKind, TransferStatus
from tasks.models import ExtensionRequest, Task, Transfer
from tasks.rollups import recount_counters
from tests.factories import DirectiveFactory, TaskFactory

DAY = datetime.timedelta(days=1)
STATES = [
    "on_track",
    "due_soon",
    "overdue",
    "done_on_time",
    "done_late",
    "waiting",
    "submitted_late",
    "cancelled",
]
DASHBOARD = reverse("tasks:dashboard")
EXPORT = reverse("tasks:dashboard_export")


@pytest.fixture
def unit_people(tree, people):
    """Who works in each unit: (assignee, accountable leader, assigner)."""
    return {
        tree.city.pk: (people.thuongtruc, people.bithu_da, people.bithu_da),
        tree.dong_anh.pk: (people.bithu_da, people.bithu_da, people.bithu_da),
        tree.vp.pk: (people.canbo_vp, people.lanhdao_vp, people.lanhdao_vp),
        tree.co_loa.pk: (people.canbo_cl, people.bithu_da, people.bithu_da),
        tree.tay_ho.pk: (people.canbo_th, people.bithu_th, people.bithu_th),
    }


@pytest.fixture
def add_task(directive, tree, unit_people, today):
    """``add_task(unit, state, deadline=…, **fields)`` writes one task.

    States: "on_track", "due_soon", "overdue", "done_on_time", "done_late",
    "waiting" (submitted on time, deadline passed, not yet approved),
    "submitted_late", "cancelled"."""

    def _add(unit=None, state="on_track", *, deadline=None, **fields):
        unit = unit or tree.vp
        assignee, leader, by = unit_people[unit.pk]
        defaults = {
            "on_track": today + 40 * DAY,
            "due_soon": today,
            "overdue": today - 10 * DAY,
            "done_on_time": today - 10 * DAY,
            "done_late": today - 10 * DAY,
            "waiting": today - 5 * DAY,
            "submitted_late": today - 10 * DAY,
            "cancelled": today - 10 * DAY,
        }
        deadline = deadline or defaults[state]
        values = dict(
            directive=directive,
            lead_unit=unit,
            assignee=assignee,
            accountable_leader=leader,
            assigned_by=by,
            start_date=deadline - 60 * DAY,
            deadline=deadline,
            original_deadline=deadline,
        )
        if state in ("done_on_time", "done_late"):
            done = deadline - 2 * DAY if state == "done_on_time" else deadline + 3 * DAY
            done = min(done, today)
            values.update(
                status=TaskStatus.DONE,
                submitted_on=done,
                completed_on=done,
                actual_result="Đã xong",
                progress=100,
            )
        elif state == "waiting":
            values.update(status=TaskStatus.SUBMITTED, submitted_on=deadline - DAY)
        elif state == "submitted_late":
            values.update(
                status=TaskStatus.SUBMITTED, submitted_on=min(today, deadline + DAY)
            )
        elif state == "cancelled":
            values.update(status=TaskStatus.CANCELLED)
        elif state == "overdue":
            values.update(status=TaskStatus.IN_PROGRESS)
        values.update(fields)
        return TaskFactory(**values)

    return _add


@pytest.fixture
def add_extension(today):
    def _add(task, status=ExtensionStatus.APPROVED, days=10):
        return _counted(
            task,
            ExtensionRequest.objects.create(
                task=task,
                requested_by=task.assignee,
                previous_deadline=task.deadline - days * DAY,
                new_deadline=task.deadline,
                reason="Cần thêm thời gian",
                status=status,
            ),
        )

    return _add


@pytest.fixture
def add_transfer():
    def _add(task, from_unit, to_unit, kind=TransferKind.TRANSFER):
        return _counted(
            task,
            Transfer.objects.create(
                task=task,
                kind=kind,
                status=TransferStatus.DONE,
                from_unit=from_unit,
                to_unit=to_unit,
                from_assignee=task.assignee,
                to_assignee=task.assignee,
                reason="Không đúng chức năng",
                requested_by=task.accountable_leader,
            ),
        )

    return _add


def _counted(task, row):
    recount_counters(Task.objects.filter(pk=task.pk))
    task.refresh_from_db()
    return row


@pytest.fixture
def plan(directive, tree):
    return DirectiveFactory(
        number="15-KH/HU",
        kind=DirectiveKind.PLAN,
        parent=directive,
        issuing_unit=tree.dong_anh,
    )


@pytest.fixture
def random_tasks(tree, directive, plan, add_task, add_extension, add_transfer, today):
    """About 200 tasks: random unit, state, deadline, directive (the
    directive, its plan, or another one), hard or not; some with approved
    or refused extensions, some moved once or several times, or handed back."""
    rng = random.Random(2407)
    other = DirectiveFactory(number="99-CT/TU", issuing_unit=tree.city)
    units = [tree.city, tree.dong_anh, tree.vp, tree.co_loa, tree.tay_ho]
    tasks = []
    for _ in range(200):
        state = rng.choice(STATES)
        if state == "on_track":
            deadline = today + rng.randint(4, 150) * DAY
        elif state == "due_soon":
            deadline = today + rng.randint(0, 2) * DAY
        else:
            deadline = today - rng.randint(1, 220) * DAY
        doc = rng.choices([directive, plan, other], [70, 20, 10])[0]
        task = add_task(
            rng.choice(units),
            state,
            deadline=deadline,
            directive=doc,
            is_hard=rng.random() < 0.15,
        )
        if rng.random() < 0.15:
            add_extension(task, ExtensionStatus.APPROVED)
        if rng.random() < 0.05:
            add_extension(task, ExtensionStatus.REJECTED)
        if rng.random() < 0.12:
            here = rng.choice(units)
            for _hop in range(rng.randint(1, 3)):
                there = rng.choice([u for u in units if u != here])
                back = there.path != here.path and here.path.startswith(there.path)
                kind = TransferKind.HAND_BACK if back else TransferKind.TRANSFER
                add_transfer(task, here, there, kind)
                here = there
        tasks.append(task)
    return tasks


# --- reading the page and the export as a user would --------------------------------


def html(response) -> str:
    return response.content.decode()


def unit_rows(response) -> dict[str, dict[str, str]]:
    """The unit table: {data-unit: {metric: value}} (rows, own row, total)."""
    text = html(response)
    start = text.index('aria-labelledby="h-units"')
    section = text[start : text.index("</section>", start)]
    rows = {}
    for unit, body in re.findall(
        r'<tr[^>]*data-unit="([^"]*)"[^>]*>(.*?)</tr>', section, re.S
    ):
        rows[unit] = dict(re.findall(r'data-metric="(\w+)" data-value="([^"]*)"', body))
    return rows


def overview(response) -> dict[str, str]:
    """The numbers of the overview: {metric: value}."""
    text = html(response)
    section = text[text.index('id="h-overview"') : text.index('id="h-units"')]
    return dict(re.findall(r'data-metric="(\w+)" data-value="([^"]*)"', section))


def linked_numbers(response) -> list[tuple[str, int]]:
    """Every number on the page that links into the task list: (url, n)."""
    found = []
    task_list = reverse("tasks:unit")
    for href, number in re.findall(
        r'<a[^>]*href="(' + re.escape(task_list) + r'\?[^"]*)"[^>]*>([\d.,]+)</a>',
        html(response),
    ):
        found.append(
            (href.replace("&amp;", "&"), int(number.replace(".", "").replace(",", "")))
        )
    return found


def workbook(response):
    assert response["Content-Type"].startswith(
        "application/vnd.openxmlformats-officedocument.spreadsheetml"
    )
    return load_workbook(io.BytesIO(response.content))


def sheet_rows(book, title) -> list[tuple]:
    return [tuple(row) for row in book[title].iter_rows(values_only=True)]


def list_count(client, url) -> int:
    """How many tasks the task list says it shows for that link."""
    response = client.get(url)
    assert response.status_code == 200
    return response.context["paginator"].count


@pytest.fixture
def read():
    return SimpleNamespace(
        html=html,
        unit_rows=unit_rows,
        overview=overview,
        linked_numbers=linked_numbers,
        workbook=workbook,
        sheet_rows=sheet_rows,
        list_count=list_count,
    )
