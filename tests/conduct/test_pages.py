"""The record pages and the dashboard panel: who sees what, the flags with
their paths, the numbers agreeing between the panel and the pages, no drift
after a transfer, and a fixed number of queries."""

import datetime
import re

import pytest
from django.urls import reverse

from tasks import calendar
from tasks import services as task_services
from tasks.choices import TransferKind

from .conftest import D

DASHBOARD = reverse("tasks:dashboard")
YEAR = {"from": "2026-01-01", "to": "2026-12-31"}


def unit_page(pk):
    return reverse("conduct:unit", args=[pk])


def person_page(pk):
    return reverse("conduct:person", args=[pk])


def get(client, url, params=None):
    response = client.get(url, params or {})
    assert response.status_code == 200, response.content[:300]
    return response.content.decode()


@pytest.fixture
def bounced(tree, people, task_at, hop):
    """Văn phòng → Cổ Loa → Văn phòng in May, and three Tây Hồ tasks moved
    out (sideways, to Đông Anh) within a month: flagged too."""
    task = task_at(tree.vp, D(2026, 5, 4), title="Cải tạo hệ thống tiêu thoát nước")
    hop(task, tree.vp, tree.co_loa, D(2026, 5, 6), by=people.lanhdao_vp)
    hop(task, tree.co_loa, tree.vp, D(2026, 5, 11), by=people.canbo_cl)
    for day in (D(2026, 6, 1), D(2026, 6, 8), D(2026, 6, 15)):
        other = task_at(tree.tay_ho, day, title="Việc của Tây Hồ")
        hop(other, tree.tay_ho, tree.dong_anh, day, by=people.bithu_th)
    return task


def test_the_unit_page_shows_the_numbers_the_flags_and_each_tasks_path(
    client, people, tree, bounced
):
    client.force_login(people.bithu_da)

    html = get(client, unit_page(tree.dong_anh.pk), YEAR)

    assert 'data-metric="moves_out">2<' in html
    assert 'data-metric="bounces">1<' in html
    assert "Nhiệm vụ bị chuyển trở lại đơn vị đã giữ nó" in html
    # the path: the units in order, with the day the task reached each
    assert re.search(
        r"Văn phòng Huyện ủy Đông Anh .*?06/05/2026|UBND xã Cổ Loa .*?\(06/05/2026\)",
        html,
        re.S,
    )
    path = html.split('class="hop-path"')[1].split("</ol>")[0]
    assert [name.strip() for name in re.findall(r"<li>([^<]+)<span", path)] == [
        tree.vp.name,
        tree.co_loa.name,
        tree.vp.name,
    ]
    assert re.findall(r"\((\d\d/\d\d/\d{4})\)", path) == [
        "04/05/2026",
        "06/05/2026",
        "11/05/2026",
    ]
    # nothing of Tây Hồ
    assert "Việc của Tây Hồ" not in html and people.bithu_th.full_name not in html


def test_the_persons_page_seen_by_a_leader_holds_only_moves_out_of_his_units(
    client, people, tree, task_at, hop
):
    # canbo_cl of Cổ Loa also moved a task out of Tây Hồ (a second seat)
    from tests.factories import add_member

    add_member(people.canbo_cl, tree.tay_ho)
    task = task_at(tree.tay_ho, D(2026, 3, 1), title="Việc ở Tây Hồ")
    hop(task, tree.tay_ho, tree.city, D(2026, 3, 2), by=people.canbo_cl)
    own = task_at(tree.co_loa, D(2026, 3, 1), title="Việc ở Cổ Loa")
    hop(own, tree.co_loa, tree.vp, D(2026, 3, 3), by=people.canbo_cl)

    client.force_login(people.bithu_da)
    seen = get(client, person_page(people.canbo_cl.pk), YEAR)
    client.force_login(people.canbo_cl)
    mine = get(client, person_page(people.canbo_cl.pk), YEAR)

    assert 'data-metric="moves_out">1<' in seen and tree.tay_ho.name not in seen
    assert "Chỉ gồm các lần chuyển đi từ đơn vị trong phạm vi bạn theo dõi." in seen
    assert 'data-metric="moves_out">2<' in mine


def test_people_listed_on_a_unit_page_link_to_their_pages_only_when_in_scope(
    client, people, tree, task_at, hop
):
    # the district secretary moved a Văn phòng task; so did its leader
    hop(
        task_at(tree.vp, D(2026, 3, 1)),
        tree.vp,
        tree.co_loa,
        D(2026, 3, 2),
        by=people.bithu_da,
    )
    hop(
        task_at(tree.vp, D(2026, 3, 1)),
        tree.vp,
        tree.co_loa,
        D(2026, 3, 3),
        by=people.lanhdao_vp,
    )
    client.force_login(people.lanhdao_vp)

    html = get(client, unit_page(tree.vp.pk), YEAR)

    assert people.bithu_da.full_name in html
    assert person_page(people.bithu_da.pk) not in html
    assert f'href="{person_page(people.lanhdao_vp.pk)}?from=2026-01-01' in html


def test_a_bad_date_is_reported_and_the_default_period_used(client, people, tree):
    client.force_login(people.bithu_da)

    html = get(client, unit_page(tree.dong_anh.pk), {"from": "31/02/2026"})

    assert "“Từ ngày” không phải một ngày." in html


def test_the_panel_counts_flags_per_child_and_agrees_with_the_unit_pages(
    client, people, tree, directive, bounced
):
    client.force_login(people.thuongtruc)

    html = get(client, DASHBOARD, {"period": "year", "year": "2026"})

    # the dashboard loads the panel after itself, for its node and period
    slot = html.split('class="dash-section conduct-panel"')[1].split("</section>")[0]
    url = re.search(r'hx-get="([^"]+)"', slot).group(1).replace("&amp;", "&")
    assert url.endswith("?from=2026-01-01&to=2026-12-31")
    section = get(client, url)
    cells = dict(
        re.findall(
            r'<tr data-unit="(\d+)">.*?data-metric="flags" data-value="(\d+)"',
            section,
            re.S,
        )
    )
    assert cells == {str(tree.dong_anh.pk): "2", str(tree.tay_ho.pk): "2"}
    # each count is a link to the unit's record, whose list has as many
    for unit in (tree.dong_anh, tree.tay_ho):
        assert f"{unit_page(unit.pk)}?from=2026-01-01&amp;to=2026-12-31" in section
        record = get(client, unit_page(unit.pk), YEAR)
        assert record.count('<li class="flag"') == 2


def test_a_transfer_shows_at_once_with_no_job_to_wait_for(
    client, people, tree, make_task, directive
):
    # given a Văn phòng task moved to Cổ Loa and back, by the district leader
    task = make_task(accountable_leader=people.bithu_da)
    task_services.task_transfer(
        actor=people.bithu_da,
        task=task,
        to_unit=tree.co_loa,
        to_assignee=people.canbo_cl,
        reason="Việc của xã",
    )
    client.force_login(people.bithu_da)
    before = get(client, unit_page(tree.dong_anh.pk))
    assert 'data-metric="bounces">0<' in before

    # when it is sent back
    task_services.task_transfer(
        actor=people.bithu_da,
        task=task,
        to_unit=tree.vp,
        to_assignee=people.canbo_vp,
        reason="Xã không đủ thẩm quyền",
    )

    # then the record and the dashboard say so on the next read
    after = get(client, unit_page(tree.dong_anh.pk))
    assert 'data-metric="bounces">1<' in after
    assert people.bithu_da.full_name in after
    dashboard = get(client, DASHBOARD, {"unit": tree.dong_anh.pk})
    panel = reverse("conduct:panel", args=[tree.dong_anh.pk])
    assert f'hx-get="{panel}?' in dashboard
    assert 'data-metric="conduct_flags" data-value="2"' in get(client, panel)


def test_a_hand_back_through_the_services_is_pushed_up(client, people, tree, make_task):
    task = make_task()
    request = task_services.transfer_request(
        actor=people.canbo_vp,
        task=task,
        kind=TransferKind.HAND_BACK,
        reason="Không thuộc chức năng",
    )
    task_services.transfer_approve(actor=people.lanhdao_vp, transfer=request)
    client.force_login(people.canbo_vp)

    html = get(client, person_page(people.canbo_vp.pk))

    assert 'data-metric="pushed_up">1<' in html
    # handed back at once: within two working days of arriving
    assert "Đẩy ngược lên cấp trên trong 2 ngày làm việc sau khi nhận" in html


# --- fixed query counts -----------------------------------------------------------

# session, user, memberships (scope), the unit, the rules, the hops, the
# seats of the people listed (whose pages the viewer may open), bell
UNIT_QUERIES = 8
# session, user, memberships, the person, their units, the rules, the hops, bell
PERSON_QUERIES = 8
# the dashboard's panel (a fragment, no bell): session, user, memberships, the
# unit, its children, the rules, the hops
PANEL_PAGE_QUERIES = 7


@pytest.mark.parametrize(
    ("page", "who", "expected"),
    [
        ("unit", "vanphong_da", UNIT_QUERIES),
        ("person", "bithu_da", PERSON_QUERIES),
        ("panel", "vanphong_da", PANEL_PAGE_QUERIES),
    ],
)
def test_record_pages_cost_the_same_queries_however_many_moves(
    client, people, tree, task_at, hop, django_assert_num_queries, page, who, expected
):
    url = {
        "unit": unit_page(tree.dong_anh.pk),
        "person": person_page(people.lanhdao_vp.pk),
        "panel": reverse("conduct:panel", args=[tree.dong_anh.pk]),
    }[page]
    client.force_login(getattr(people, who))

    def grow(n):
        for i in range(n):
            day = D(2026, 4, 1) + datetime.timedelta(days=i)
            task = task_at(tree.vp, day)
            hop(task, tree.vp, tree.co_loa, day, by=people.lanhdao_vp)
            hop(task, tree.co_loa, tree.vp, day, by=people.lanhdao_vp)

    grow(1)
    calendar.reload()
    with django_assert_num_queries(expected):
        get(client, url, YEAR)
    grow(12)
    calendar.reload()
    with django_assert_num_queries(expected):
        get(client, url, YEAR)


def test_the_panel_costs_two_queries(
    people, tree, task_at, hop, django_assert_num_queries
):
    from conduct.panels import PANEL_DATA_QUERIES, PANEL_QUERIES, conduct_panel
    from tasks.dashboard_panels import DashboardPanelContext

    for i in range(10):
        task = task_at(tree.vp, D(2026, 4, 1))
        hop(task, tree.vp, tree.co_loa, D(2026, 4, 2 + i))
    context = DashboardPanelContext(
        user=people.bithu_da,
        scope=None,
        node_unit=tree.dong_anh,
        children=[tree.vp, tree.co_loa],
        query=None,
        today=D(2026, 11, 29),
        is_leader_here=True,
    )
    calendar.reload()
    with django_assert_num_queries(2):
        panel = conduct_panel(context)
    assert PANEL_DATA_QUERIES == 2
    # (the dashboard itself only shows a slot that loads the panel after it)
    assert PANEL_QUERIES == 0

    assert [line["flags"] for line in panel.data["lines"]] == [2, 0]
