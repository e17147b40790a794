"""The dashboard cells cannot drift from the tasks.

The dashboards read per-subtree counts kept in advance (``tasks.rollups``,
kept by a trigger on PostgreSQL). Here: the unit table and the trend
computed from the cells equal the same computed from the tasks, for every
kind of period and several days; every write path of the services (and a
write that bypasses them) leaves the cells equal to a recount; a cell that
was tampered with is found by the check and mended by the rebuild."""

import datetime

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.utils import timezone

from tasks import rollups, selectors, services
from tasks.choices import TaskStatus
from tasks.models import DashboardDayCell, Task
from tasks.selectors import DashboardQuery, Period, split_period
from units.models import Unit

DAY = datetime.timedelta(days=1)

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the cells are kept on PostgreSQL"
)


def _periods(today):
    year, month = today.year, today.month
    quarter = (month + 2) // 3
    return [
        Period.month(year, month),
        Period.month(*((year, month - 1) if month > 1 else (year - 1, 12))),
        Period.quarter(year, quarter),
        Period.year(year),
        Period.year(year - 1),
        # Custom: cut months at both ends, a range inside one month, one day.
        Period("custom", today - 95 * DAY, today + 17 * DAY),
        Period("custom", today.replace(day=1) + 3 * DAY, today + 2 * DAY),
        Period("custom", today, today),
    ]


def _query(node, family, period, today):
    return DashboardQuery(
        directive_ids=tuple(family),
        period=period,
        path=node.path,
        depth=node.depth,
        today=today,
        node_id=node.pk,
    )


def _from_tasks(monkeypatch, func, *args):
    with monkeypatch.context() as patch:
        patch.setattr(rollups, "cells_enabled", lambda: False)
        return func(*args)


def _assert_cells_equal_tasks(monkeypatch, tree, family, today):
    for node in (tree.city, tree.dong_anh, tree.vp):
        children = list(Unit.objects.get_children(node).order_by("path"))
        for period in _periods(today):
            query = _query(node, family, period, today)
            cells_table = selectors.unit_table(query, children)
            tasks_table = _from_tasks(
                monkeypatch, selectors.unit_table, query, children
            )
            assert cells_table == tasks_table, (node.name, period)
            assert selectors.trend(query) == _from_tasks(
                monkeypatch, selectors.trend, query
            ), (node.name, period)


@pytest.mark.parametrize("shift", [0, -31, 45])
def test_cells_give_the_numbers_the_tasks_give(
    monkeypatch, tree, directive, plan, random_tasks, today, shift
):
    """About 200 random tasks in every state: the same unit table (every
    count, rate and rank, the node's own row, tasks extended and moved) and
    the same trend, from the cells and from the tasks, as seen on three
    different days."""
    assert rollups.check() == []
    family = directive.family_ids()
    _assert_cells_equal_tasks(monkeypatch, tree, family, today + shift * DAY)


def test_every_service_write_keeps_the_cells(
    monkeypatch, tree, people, directive, make_task, workflow, today
):
    """Create, start, report, extend, transfer, hand back, reassign, submit,
    return, approve, cancel, flag as hard, edit the deadline: after each,
    the cells equal a recount of the tasks."""

    def agree():
        assert rollups.check() == []

    a = make_task(deadline=today + 2 * DAY)
    b = make_task(deadline=today + 40 * DAY, title="Việc thứ hai")
    c = make_task(deadline=today + 5 * DAY, title="Việc thứ ba")
    agree()
    services.task_start(actor=people.canbo_vp, task=a)
    agree()
    ext = services.extension_request(
        actor=people.canbo_vp,
        task=a,
        new_deadline=today + 70 * DAY,
        reason="Chờ số liệu",
    )
    services.extension_approve(actor=people.lanhdao_vp, extension=ext)
    a.refresh_from_db()
    assert a.extension_count == 1
    agree()
    services.task_transfer(
        actor=people.bithu_da,
        task=b,
        to_unit=tree.co_loa,
        to_assignee=people.canbo_cl,
        reason="Đúng chức năng của xã",
    )
    b.refresh_from_db()
    assert (b.transfer_count, b.moved_up) == (1, False)
    agree()
    services.task_transfer(
        actor=people.bithu_da,
        task=b,
        to_unit=tree.dong_anh,
        to_assignee=people.bithu_da,
        reason="Huyện trực tiếp làm",
    )
    b.refresh_from_db()
    assert (b.transfer_count, b.moved_up) == (2, True)
    agree()
    services.task_reassign(
        actor=people.lanhdao_vp,
        task=c,
        assignee=people.canbo_vp2,
        reason="Phân công lại",
    )
    agree()
    workflow.submit(c, actor=people.canbo_vp2)
    agree()
    services.task_return(actor=people.lanhdao_vp, task=c, comment="Bổ sung số liệu")
    agree()
    workflow.done(c, actor=people.canbo_vp2)
    agree()
    services.task_cancel(actor=people.lanhdao_vp, task=a, reason="Không còn cần")
    agree()
    c = Task.objects.get(pk=c.pk)
    assert c.status == TaskStatus.DONE
    _assert_cells_equal_tasks(monkeypatch, tree, directive.family_ids(), today)


def test_a_write_that_bypasses_the_services_is_counted_too(
    tree, directive, add_task, today
):
    """The trigger keeps the cells whoever writes: a bulk UPDATE, a DELETE."""
    tasks = [add_task(tree.vp, "overdue") for _ in range(3)]
    Task.objects.filter(pk=tasks[0].pk).update(
        lead_unit=tree.tay_ho, deadline=timezone.localdate() + 30 * DAY
    )
    Task.objects.filter(pk=tasks[1].pk).update(
        is_hard=True, status=TaskStatus.SUBMITTED, submitted_on=tasks[1].deadline
    )
    Task.objects.filter(pk=tasks[2].pk).delete()
    assert rollups.check() == []


def test_a_tampered_cell_is_found_and_the_rebuild_mends_it(
    tree, directive, add_task, capsys
):
    add_task(tree.vp, "overdue")
    cell = DashboardDayCell.objects.filter(node=tree.vp).get()
    DashboardDayCell.objects.filter(pk=cell.pk).update(tasks=5)
    problems = rollups.check()
    assert len(problems) == 1
    assert f"node {tree.vp.pk}" in problems[0]
    assert "kept 5/0/0, counted 1/0/0" in problems[0]
    with pytest.raises(CommandError, match="1 difference"):
        call_command("dashboard_cells", "--check")
    call_command("dashboard_cells", "--rebuild")
    assert rollups.check() == []
    call_command("dashboard_cells", "--check")
    assert "agree" in capsys.readouterr().out


def test_wrong_counters_are_found_and_recounted(tree, add_task, add_transfer):
    task = add_task(tree.vp, "overdue")
    add_transfer(task, tree.co_loa, tree.vp)
    Task.objects.filter(pk=task.pk).update(transfer_count=0)
    assert any(f"task {task.pk}:" in p for p in rollups.check())
    assert rollups.recount_counters() == 1
    assert rollups.check() == []


class TestSplitPeriod:
    """Whole months that today cannot split come from month cells; every
    other day from day cells; every day exactly once."""

    TODAY = datetime.date(2026, 11, 18)
    SOON = datetime.date(2026, 11, 21)

    def days_of(self, months, ranges):
        days = []
        for month in months:
            day = month
            while day.month == month.month:
                days.append(day)
                day += DAY
        for first, last in ranges:
            day = first
            while day <= last:
                days.append(day)
                day += DAY
        return sorted(days)

    @pytest.mark.parametrize(
        "start,end",
        [
            ("2026-01-01", "2026-12-31"),
            ("2025-12-31", "2027-01-01"),
            ("2026-11-01", "2026-11-30"),
            ("2026-11-18", "2026-11-18"),
            ("2026-02-15", "2026-03-14"),
        ],
    )
    def test_every_day_once(self, start, end):
        first, last = map(datetime.date.fromisoformat, (start, end))
        period = Period("custom", first, last)
        months, ranges = split_period(period, self.TODAY, self.SOON)
        days = self.days_of(months, ranges)
        assert len(days) == len(set(days)) == (period.end - period.start).days + 1
        assert days[0] == period.start and days[-1] == period.end

    def test_the_year(self):
        months, ranges = split_period(Period.year(2026), self.TODAY, self.SOON)
        assert months == [datetime.date(2026, m, 1) for m in (*range(1, 11), 12)]
        assert ranges == [(datetime.date(2026, 11, 1), datetime.date(2026, 11, 30))]

    def test_due_soon_days_in_the_next_month_keep_it_by_day(self):
        today, soon = datetime.date(2026, 11, 27), datetime.date(2026, 12, 2)
        months, ranges = split_period(Period.year(2026), today, soon)
        assert datetime.date(2026, 12, 1) not in months
        assert ranges == [(datetime.date(2026, 11, 1), datetime.date(2026, 12, 31))]

    def test_a_month_that_ended_yesterday_is_whole(self):
        today = datetime.date(2026, 12, 1)
        months, ranges = split_period(Period.year(2026), today, today + 2 * DAY)
        assert datetime.date(2026, 11, 1) in months
        assert ranges == [(datetime.date(2026, 12, 1), datetime.date(2026, 12, 31))]
