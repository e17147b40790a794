"""The dashboard's three lists written as SQL (PostgreSQL, ``tasks.selectors``
"the three lists as SQL text") show exactly what their ORM versions show:
the same tasks, in the same order, with the same timeliness, days overdue,
hops, paths and totals, over random tasks, for every kind of period, at
every node and on several days."""

import datetime

import pytest
from django.db import connection

from tasks import selectors
from tasks.selectors import DashboardQuery, Period

DAY = datetime.timedelta(days=1)

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the SQL text is PostgreSQL's"
)


def _periods(today):
    return [
        Period.month(today.year, today.month),
        Period.year(today.year),
        Period.year(today.year - 1),
        Period("custom", today - 95 * DAY, today + 17 * DAY),
        Period("custom", today, today),
    ]


def _both(monkeypatch, func, query, limit):
    fast = func(query, limit)
    with monkeypatch.context() as patch:
        patch.setattr(selectors, "_lists_in_sql", lambda *args: False)
        slow = func(query, limit)
    return fast, slow


@pytest.mark.parametrize("limit", [3, 10])
def test_each_list_in_sql_equals_its_orm_version(
    random_tasks, tree, directive, plan, today, monkeypatch, limit
):
    family = (directive.pk, plan.pk)
    seen = {"backlog": 0, "hard": 0, "buck": 0, "paths": 0}
    for day in (today, today - 40 * DAY, today + 9 * DAY):
        for node in (tree.city, tree.dong_anh, tree.vp, tree.tay_ho):
            for period in _periods(day):
                query = DashboardQuery(
                    directive_ids=family,
                    period=period,
                    path=node.path,
                    depth=node.depth,
                    today=day,
                    node_id=node.pk,
                )
                assert selectors._lists_in_sql(query, limit)
                fast, slow = _both(monkeypatch, selectors.backlog_tasks, query, limit)
                assert fast == slow
                seen["backlog"] += len(fast)
                fast, slow = _both(monkeypatch, selectors.hard_tasks, query, limit)
                assert fast == slow
                seen["hard"] += len(fast)
                fast, slow = _both(monkeypatch, selectors.buck_passing, query, limit)
                assert fast == slow
                seen["buck"] += len(fast.lines)
                seen["paths"] += sum(len(line.path) for line in fast.lines)
    # The random tasks put something in every list (else the comparison
    # would prove nothing).
    assert all(seen.values()), seen
