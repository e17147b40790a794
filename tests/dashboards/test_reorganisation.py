"""Dashboards across a reorganisation (units.succession).

Xã Cổ Loa is merged into a new Xã Đông Anh, directly under the city, from
``cut`` (60 days ago): Cổ Loa's done work stays with it. A dashboard for a
past period shows the tree as it was (Cổ Loa under Huyện ủy Đông Anh, no
Xã Đông Anh yet); for a period that runs to today, the current tree, with
Cổ Loa's record counted in Xã Đông Anh's row when the admin chose so — and
every number still opens exactly its tasks. The new commune's leaders read
Cổ Loa's record, and nothing else of the old district.
"""

import datetime

import pytest

from tasks import rollups, selectors
from tasks.choices import Timeliness
from tasks.permissions import can_manage, can_view_task
from tests.factories import UserFactory, add_member, make_unit
from units.choices import Role, SuccessionKind, UnitKind
from units.models import Unit, UnitSuccession
from units.succession import rollup_on

from .conftest import DASHBOARD, EXPORT

DAY = datetime.timedelta(days=1)


@pytest.fixture
def cut(today):
    return today - 60 * DAY


@pytest.fixture
def merged(tree, people, unit_people, add_task, cut, today):
    """Cổ Loa's work before the cut, the merge, the new commune's work."""
    xa = make_unit(
        "Xã Đông Anh", parent=tree.city, kind=UnitKind.COMMUNE, code="HN.XDA"
    )
    leader = UserFactory(username="bithu_xda", full_name="Bí thư xã Đông Anh")
    add_member(leader, xa, Role.LEADER)
    unit_people[xa.pk] = (leader, leader, leader)
    old = {
        "done_on_time": add_task(tree.co_loa, "done_on_time", deadline=cut - 20 * DAY),
        "late_1": add_task(tree.co_loa, "done_late", deadline=cut - 30 * DAY),
        "late_2": add_task(tree.co_loa, "done_late", deadline=cut - 40 * DAY),
    }
    new = {
        "overdue": add_task(xa, "overdue", deadline=cut + 10 * DAY),
        "on_track": add_task(xa, "on_track", deadline=today + 20 * DAY),
    }
    vp_task = add_task(tree.vp, "done_on_time", deadline=cut - 10 * DAY)
    Unit.objects.filter(pk=tree.co_loa.pk).update(valid_to=cut - DAY, is_active=False)
    Unit.objects.filter(pk=xa.pk).update(valid_from=cut)
    link = UnitSuccession.objects.create(
        predecessor=tree.co_loa,
        successor=xa,
        kind=SuccessionKind.MERGE,
        effective_date=cut,
        reason="Sắp xếp đơn vị hành chính cấp xã",
    )
    for unit in (tree.co_loa, xa):
        unit.refresh_from_db()
    return dict(xa=xa, leader=leader, old=old, new=new, vp_task=vp_task, link=link)


def period(start, end, unit=None):
    params = dict(period="custom", date_from=start.isoformat(), date_to=end.isoformat())
    if unit is not None:
        params["unit"] = unit.pk
    return params


def test_now_the_successors_row_counts_the_merged_units_record(
    client, tree, people, merged, read, today
):
    xa = merged["xa"]
    client.force_login(people.thuongtruc)

    # When the city reviewer opens the city's dashboard for a period to today
    page = client.get(DASHBOARD, period(today - 200 * DAY, today + 30 * DAY))

    # Then Xã Đông Anh's row holds its own work and Cổ Loa's done work
    rows = read.unit_rows(page)
    assert rows[str(xa.pk)][Timeliness.DONE_LATE] == "2"
    assert rows[str(xa.pk)][Timeliness.DONE_ON_TIME] == "1"
    assert rows[str(xa.pk)][Timeliness.OVERDUE] == "1"
    assert "Gồm kết quả của UBND xã Cổ Loa" in read.html(page)
    # and Huyện ủy Đông Anh's row no longer counts Cổ Loa
    assert rows[str(tree.dong_anh.pk)][Timeliness.DONE_LATE] == "0"
    assert rows[str(tree.dong_anh.pk)][Timeliness.DONE_ON_TIME] == "1"
    # and the city's total is the same six tasks
    overview = read.overview(page)
    assert sum(int(overview[k]) for k in Timeliness.values) == 6

    # And every number opens exactly that many tasks
    links = read.linked_numbers(page)
    xa_links = [(u, n) for u, n in links if f"unit={xa.pk}&" in u]
    assert sorted(n for _u, n in xa_links) == [1, 1, 1, 2]
    for url, number in links:
        assert read.list_count(client, url) == number, url


def test_the_export_names_the_merged_unit_in_the_successors_row(
    client, people, merged, read, today
):
    client.force_login(people.thuongtruc)

    response = client.get(EXPORT, period(today - 200 * DAY, today + 30 * DAY))

    names = [row[1] for row in read.sheet_rows(read.workbook(response), "Đơn vị")]
    assert "Xã Đông Anh (gồm kết quả của UBND xã Cổ Loa)" in names


def test_a_past_period_shows_the_tree_as_it_was(
    client, tree, people, merged, read, cut
):
    client.force_login(people.thuongtruc)

    # When the city opens a period that ended before the merge
    page = client.get(DASHBOARD, period(cut - 100 * DAY, cut - DAY))

    # Then there is no Xã Đông Anh yet, and Đông Anh counts Cổ Loa's work
    rows = read.unit_rows(page)
    assert str(merged["xa"].pk) not in rows
    assert rows[str(tree.dong_anh.pk)][Timeliness.DONE_LATE] == "2"
    assert "Gồm kết quả của" not in read.html(page)

    # And one level down Cổ Loa has its own row, marked closed
    page = client.get(DASHBOARD, period(cut - 100 * DAY, cut - DAY, tree.dong_anh))
    rows = read.unit_rows(page)
    assert rows[str(tree.co_loa.pk)][Timeliness.DONE_LATE] == "2"
    for url, number in read.linked_numbers(page):
        assert read.list_count(client, url) == number, url


def test_a_unit_the_admin_did_not_roll_up_keeps_its_own_row(
    client, tree, people, merged, read, today
):
    UnitSuccession.objects.filter(pk=merged["link"].pk).update(roll_up=False)
    client.force_login(people.thuongtruc)

    page = client.get(
        DASHBOARD, period(today - 200 * DAY, today + 30 * DAY, tree.dong_anh)
    )

    rows = read.unit_rows(page)
    assert rows[str(tree.co_loa.pk)][Timeliness.DONE_LATE] == "2"
    city = read.unit_rows(
        client.get(DASHBOARD, period(today - 200 * DAY, today + 30 * DAY))
    )
    assert city[str(merged["xa"].pk)][Timeliness.DONE_LATE] == "0"
    assert city[str(tree.dong_anh.pk)][Timeliness.DONE_LATE] == "2"


def test_a_closed_unit_with_nothing_in_the_period_is_left_out(
    client, tree, people, merged, read, today
):
    client.force_login(people.thuongtruc)

    # Cổ Loa's record has gone to Xã Đông Anh: nothing left on its row
    page = client.get(
        DASHBOARD, period(today - 200 * DAY, today + 30 * DAY, tree.dong_anh)
    )

    rows = read.unit_rows(page)
    assert str(tree.co_loa.pk) not in rows
    assert str(tree.vp.pk) in rows


def test_the_new_communes_leader_reads_the_merged_units_record(
    client, tree, people, merged, read, today
):
    leader = merged["leader"]
    client.force_login(leader)

    # When the leader opens their dashboard (their commune, by default)
    page = client.get(DASHBOARD, period(today - 200 * DAY, today + 30 * DAY))

    # Then its total counts Cổ Loa's work, and each number opens its tasks
    overview = read.overview(page)
    assert overview[Timeliness.DONE_LATE] == "2"
    assert sum(int(overview[k]) for k in Timeliness.values) == 5
    links = read.linked_numbers(page)
    assert links
    for url, number in links:
        assert read.list_count(client, url) == number, url

    # And the leader may read Cổ Loa's tasks, not act on them, and nothing
    # else of the old district
    old = merged["old"]["late_1"]
    assert can_view_task(leader, old)
    assert not can_manage(leader, old)
    assert not can_view_task(leader, merged["vp_task"])
    assert client.get(old.get_absolute_url()).status_code == 200
    assert client.get(merged["vp_task"].get_absolute_url()).status_code == 404
    # Cổ Loa's own dashboard is readable; Đông Anh's is not
    assert client.get(DASHBOARD, {"unit": tree.co_loa.pk}).status_code == 200
    assert client.get(DASHBOARD, {"unit": tree.dong_anh.pk}).status_code == 404


@pytest.mark.parametrize("node", ["city", "dong_anh", "co_loa", "xa"])
def test_cells_and_tasks_give_the_same_rolled_table_and_trend(
    monkeypatch, tree, merged, directive, today, node
):
    unit = merged["xa"] if node == "xa" else getattr(tree, node)
    unit.refresh_from_db()
    query = selectors.DashboardQuery(
        directive_ids=(directive.pk,),
        period=selectors.Period(
            selectors.PeriodKind.CUSTOM, today - 200 * DAY, today + 30 * DAY
        ),
        path=unit.path,
        depth=unit.depth,
        today=today,
        node_id=unit.pk,
        rollup=rollup_on(today),
    )
    children = list(
        Unit.objects.filter(path__startswith=unit.path, depth=unit.depth + 1)
    )

    from_cells = selectors.unit_table(query, children), selectors.trend(query)
    with monkeypatch.context() as patch:
        patch.setattr(rollups, "cells_enabled", lambda: False)
        from_tasks = selectors.unit_table(query, children), selectors.trend(query)

    assert from_cells == from_tasks
    # and the successor's trend has Cổ Loa's two late completions
    if node == "xa":
        assert sum(m.done_late for m in from_cells[1].months) == 2
        assert from_cells[0].total.done_late == 2
