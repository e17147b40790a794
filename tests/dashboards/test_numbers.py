"""The numbers agree: the page, its Excel export, the task list a number
links to, and a plain SQL count over the tables.

A seeded random set of about 200 tasks, in every state, over the whole test
tree — some extended, some moved between units — is read four ways."""

import datetime
import re
from decimal import ROUND_HALF_UP, Decimal

import pytest
from django.db import connection

from tasks.querysets import due_soon_boundary
from units.models import Unit

from .conftest import DASHBOARD, EXPORT

DAY = datetime.timedelta(days=1)
OPEN = "('assigned', 'in_progress', 'submitted')"
WAITING = "(t.status = 'submitted' AND t.submitted_on <= t.deadline)"
# Each class written by hand from the rules, not from the code's CASE.
CLASS_SQL = {
    "done_on_time": "t.status = 'done' AND t.completed_on <= t.deadline",
    "done_late": "t.status = 'done' AND t.completed_on > t.deadline",
    "overdue": f"t.status IN {OPEN} AND NOT {WAITING} AND t.deadline < %(today)s",
    "due_soon": (
        f"t.status IN {OPEN} AND NOT {WAITING} "
        "AND t.deadline >= %(today)s AND t.deadline <= %(soon)s"
    ),
    "on_track": f"t.status IN {OPEN} AND ({WAITING} OR t.deadline > %(soon)s)",
}
CLASSES = list(CLASS_SQL)


def sql_count(where: str, *, unit, family, start, end, today, table="task") -> int:
    """A plain count over the tables, joined to the unit tree by path."""
    params = dict(
        prefix=unit.path + "%",
        family=list(family),
        start=start,
        end=end,
        today=today,
        soon=due_soon_boundary(today),
    )
    if table == "task":
        source = "tasks_task t"
    else:
        source = f"tasks_{table} x JOIN tasks_task t ON t.id = x.task_id"
    sql = f"""
        SELECT COUNT(*) FROM {source}
        JOIN units_unit u ON u.id = t.lead_unit_id
        WHERE u.path LIKE %(prefix)s
          AND t.directive_id = ANY(%(family)s)
          AND t.deadline BETWEEN %(start)s AND %(end)s
          AND ({where})
    """
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchone()[0]


def percent(numerator, denominator) -> str:
    if not denominator:
        return "None"
    value = Decimal(100 * numerator) / Decimal(denominator)
    return str(value.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP))


def export_unit_rows(read, response) -> dict[str, dict[str, object]]:
    """The export's unit sheet, keyed by the unit's name."""
    rows = read.sheet_rows(read.workbook(response), "Đơn vị")
    header_at = next(i for i, row in enumerate(rows) if row[:2] == ("Hạng", "Đơn vị"))
    header = rows[header_at]
    return {
        row[1]: dict(zip(header, row, strict=False))
        for row in rows[header_at + 1 :]
        if row[1]
    }


EXPORT_COLUMNS = {
    "on_track": "Trong hạn",
    "due_soon": "Sắp đến hạn",
    "overdue": "Quá hạn",
    "done_on_time": "Hoàn thành đúng hạn",
    "done_late": "Hoàn thành quá hạn",
}


@pytest.mark.parametrize(
    ("who", "node"),
    [("thuongtruc", "city"), ("bithu_da", "dong_anh"), ("admin", "vp")],
)
def test_page_export_task_list_and_sql_agree_on_every_number(
    client, tree, people, directive, plan, random_tasks, today, read, who, node
):
    # Given ~200 random tasks and a period that cuts through them
    start, end = today - 150 * DAY, today + 60 * DAY
    node_unit = getattr(tree, node)
    params = dict(
        unit=node_unit.pk,
        directive=directive.pk,
        period="custom",
        date_from=start.isoformat(),
        date_to=end.isoformat(),
    )
    family = [directive.pk, plan.pk]
    client.force_login(getattr(people, who))

    # When the dashboard and its export are read
    page = client.get(DASHBOARD, params)
    assert page.status_code == 200
    rows = read.unit_rows(page)
    exported = export_unit_rows(read, client.get(EXPORT, params))

    # Then for each child unit (its subtree) and for the node as a whole…
    node_unit.refresh_from_db()
    children = list(Unit.objects.get_children(node_unit))
    counted = 0
    for unit, key, name in [
        *[(c, str(c.pk), c.name) for c in children],
        (node_unit, "total", f"Cộng — {node_unit.name}"),
    ]:
        scope = dict(unit=unit, family=family, start=start, end=end, today=today)
        for klass in CLASSES:
            expected = sql_count(CLASS_SQL[klass], **scope)
            # … the page shows what SQL counts,
            assert int(rows[key][klass]) == expected, (unit.name, klass)
            # … the export shows the same number,
            assert exported[name][EXPORT_COLUMNS[klass]] == expected
            counted += expected
        # … and the rates, and the tasks extended or moved, agree too.
        due = sql_count("t.status <> 'cancelled' AND t.deadline < %(today)s", **scope)
        on_time_due = sql_count(
            CLASS_SQL["done_on_time"] + " AND t.deadline < %(today)s", **scope
        )
        done_due = on_time_due + sql_count(CLASS_SQL["done_late"], **scope)
        assert rows[key]["on_time_rate"] == percent(on_time_due, due)
        assert rows[key]["completion_rate"] == percent(done_due, due)
        # Tasks extended / moved at least once, from the request and transfer
        # rows themselves (not the task's counters).
        live = "t.status <> 'cancelled'"
        extended = sql_count(
            f"{live} AND EXISTS (SELECT 1 FROM tasks_extensionrequest x "
            "WHERE x.task_id = t.id AND x.status = 'approved')",
            **scope,
        )
        moved = sql_count(
            f"{live} AND EXISTS (SELECT 1 FROM tasks_transfer x "
            "WHERE x.task_id = t.id AND x.status = 'done')",
            **scope,
        )
        assert int(rows[key]["extended"]) == extended
        assert int(rows[key]["moved"]) == moved
        assert exported[name]["Việc được gia hạn"] == extended
        assert exported[name]["Việc đã chuyển đơn vị"] == moved
    assert counted > 0

    # And the overview repeats the node's totals
    overview = read.overview(page)
    for klass in CLASSES:
        assert overview[klass] == rows["total"][klass]

    # And every number that links to the task list opens exactly that many
    links = read.linked_numbers(page)
    assert len(links) >= 5
    for url, number in links:
        assert read.list_count(client, url) == number, url


def test_trend_of_this_month_and_backlog_agree_with_sql(
    client, tree, people, directive, plan, random_tasks, today, read
):
    # Given the random tasks, read by the city's reviewer for this year
    client.force_login(people.thuongtruc)
    response = client.get(DASHBOARD, {"directive": directive.pk})
    page = read.html(response)
    family = [directive.pk, plan.pk]
    scope = dict(
        unit=tree.city,
        family=family,
        start=datetime.date(1900, 1, 1),
        end=datetime.date(today.year, 12, 31),
        today=today,
    )
    overdue_now = sql_count(CLASS_SQL["overdue"], **scope)

    # Then this month's "overdue at the month's end" is today's overdue work
    month = today.strftime("%m/%Y")
    row = page[page.index(f'<tr data-month="{month}">') :]
    row = row[: row.index("</tr>")]
    assert f'data-metric="overdue_at_end" data-value="{overdue_now}"' in row

    # And the backlog says how many overdue tasks have a deadline in or before
    # the year, which is what its link lists
    assert f'data-metric="backlog" data-value="{overdue_now}"' in page or (
        overdue_now == 0
    )

    # And this month's completions agree with SQL by completion date
    first = today.replace(day=1)
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT COUNT(*) FILTER (WHERE t.completed_on <= t.deadline),
                   COUNT(*) FILTER (WHERE t.completed_on > t.deadline)
            FROM tasks_task t
            WHERE t.status = 'done' AND t.directive_id = ANY(%s)
              AND t.completed_on BETWEEN %s AND %s
            """,
            [family, first, today],
        )
        on_time, late = cursor.fetchone()
    assert f'data-metric="done_on_time" data-value="{on_time}"' in row
    assert f'data-metric="done_late" data-value="{late}"' in row


def test_trend_counts_past_months_overdue_work_as_sql_reads_it_back(
    client, tree, people, directive, plan, random_tasks, today, read
):
    # Given the random tasks, some of them done late in past months
    client.force_login(people.thuongtruc)
    page = read.html(client.get(DASHBOARD, {"directive": directive.pk}))
    family = [directive.pk, plan.pk]

    # Then each past month's "overdue at the month's end" counts the tasks
    # whose deadline had passed by the end of that month and that were
    # neither done nor submitted on time by then
    checked = 0
    for label, value in re.findall(
        r'<tr data-month="(\d\d/\d{4})">.*?data-metric="overdue_at_end" '
        r'data-value="(\d+)"',
        page,
        re.S,
    ):
        month, year = map(int, label.split("/"))
        end = (datetime.date(year, month, 28) + 4 * DAY).replace(day=1) - DAY
        if end >= today:
            continue
        with connection.cursor() as cursor:
            cursor.execute(
                """
                SELECT COUNT(*) FROM tasks_task t
                WHERE t.directive_id = ANY(%(family)s)
                  AND t.status <> 'cancelled'
                  AND t.deadline <= %(end)s
                  AND (t.completed_on IS NULL OR t.completed_on > %(end)s)
                  AND NOT (t.status IN ('submitted', 'done')
                           AND t.submitted_on <= t.deadline
                           AND t.submitted_on <= %(end)s)
                """,
                {"family": family, "end": end},
            )
            assert int(value) == cursor.fetchone()[0], label
        checked += 1
    assert checked == 11


def test_a_closed_unit_keeps_its_row_and_its_numbers_open_its_tasks(
    client, tree, people, directive, add_task, read
):
    # Given Cổ Loa with overdue and done work, then closed (merged away)
    for state in ("overdue", "overdue", "done_late"):
        add_task(tree.co_loa, state)
    type(tree.co_loa).objects.filter(pk=tree.co_loa.pk).update(is_active=False)

    # When Đông Anh's leader opens the dashboard for all time
    client.force_login(people.bithu_da)
    page = client.get(
        DASHBOARD,
        {
            "unit": tree.dong_anh.pk,
            "period": "custom",
            "date_from": "2000-01-01",
            "date_to": "2100-12-31",
        },
    )

    # Then Cổ Loa's row is there, marked closed, with its numbers
    rows = read.unit_rows(page)
    assert rows[str(tree.co_loa.pk)]["overdue"] == "2"
    assert "đã ngừng hoạt động" in read.html(page)

    # And each of its numbers opens a list of exactly that many tasks
    co_loa_links = [
        (url, n)
        for url, n in read.linked_numbers(page)
        if f"unit={tree.co_loa.pk}&" in url
    ]
    assert sorted(n for _url, n in co_loa_links) == [1, 2]
    for url, number in co_loa_links:
        assert read.list_count(client, url) == number, url
