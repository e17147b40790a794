"""The two task lists: "Việc của tôi" and "Việc của đơn vị".

What a user notices: which tasks are listed, what the timeliness chips
count, what the search finds, what a bad filter says, and that the page
costs the same number of queries whatever the number of rows.
"""

import datetime
import re

import pytest
from django.urls import reverse

from directives.choices import DirectiveKind
from tasks.choices import TaskStatus, Timeliness
from tests.factories import DirectiveFactory, TaskFactory

MINE = reverse("tasks:mine")
UNIT = reverse("tasks:unit")
HTMX = {"HTTP_HX_REQUEST": "true"}


# --- reading the page as a user would ----------------------------------------


def html(response) -> str:
    return response.content.decode()


def row_titles(response) -> list[str]:
    """Task titles in the order the rows are shown."""
    return re.findall(r'class="task-title" href="[^"]*">([^<]+)</a>', html(response))


def chip_counts(response) -> dict[str, int]:
    """The number on each timeliness chip, keyed by class ("all" for Tất cả)."""
    counts = {}
    for klass, count in re.findall(
        r'<a class="chip( tl-\w+)?[^"]*"[^>]*>[^<]*'
        r'<span class="chip-count">(\d+)</span>',
        html(response),
    ):
        counts[klass.strip().removeprefix("tl-") or "all"] = int(count)
    return counts


def visible_rows(client, url, **params) -> list[str]:
    """Every row of a filtered list, across all its pages."""
    titles, page = [], 1
    while True:
        response = client.get(url, {**params, "page": page})
        assert response.status_code == 200
        titles += row_titles(response)
        if 'rel="next"' not in html(response):
            return titles
        page += 1


# --- building tasks ----------------------------------------------------------


@pytest.fixture
def vp_task(tree, people, directive):
    """A task row of the Văn phòng written directly (no service): for counts."""

    def _make(n=1, **overrides):
        values = dict(
            directive=directive,
            lead_unit=tree.vp,
            assignee=people.canbo_vp,
            accountable_leader=people.lanhdao_vp,
            assigned_by=people.lanhdao_vp,
        )
        values.update(overrides)
        return TaskFactory.create_batch(n, **values)

    return _make


@pytest.fixture
def one_per_class(vp_task, today):
    """One task in each timeliness class, and a cancelled one."""
    day = datetime.timedelta(days=1)
    start = today - 60 * day
    done = dict(status=TaskStatus.DONE, actual_result="Đã xong", start_date=start)
    return {
        Timeliness.ON_TRACK: vp_task(title="Việc trong hạn", deadline=today + 30 * day)[
            0
        ],
        Timeliness.DUE_SOON: vp_task(title="Việc đến hạn hôm nay", deadline=today)[0],
        Timeliness.OVERDUE: vp_task(
            title="Việc quá hạn", start_date=start, deadline=today - 5 * day
        )[0],
        Timeliness.DONE_ON_TIME: vp_task(
            title="Việc xong đúng hạn",
            deadline=today - 5 * day,
            completed_on=today - 10 * day,
            **done,
        )[0],
        Timeliness.DONE_LATE: vp_task(
            title="Việc xong trễ",
            deadline=today - 5 * day,
            completed_on=today - 2 * day,
            **done,
        )[0],
        "cancelled": vp_task(title="Việc đã hủy", status=TaskStatus.CANCELLED)[0],
    }


@pytest.fixture
def tasks_in_three_units(tree, people, make_task):
    """Tasks of the Văn phòng (Đông Anh), of Cổ Loa (Đông Anh) and of Tây Hồ."""
    return {
        "vp": make_task(title="Rà soát quy chế làm việc theo “5 rõ”"),
        "vp2": make_task(
            title="Tổng hợp thủ tục hành chính tồn đọng",
            description="Danh mục hồ sơ trễ hạn",
            assignee=people.canbo_vp2,
        ),
        "co_loa": make_task(
            actor=people.bithu_da,
            title="Kiểm tra hồ sơ đất đai",
            description="Kiểm tra đột xuất việc giải quyết hồ sơ",
            lead_unit=tree.co_loa,
            assignee=people.canbo_cl,
            accountable_leader=people.bithu_da,
        ),
        "tay_ho": make_task(
            actor=people.bithu_th,
            title="Báo cáo sơ kết 6 tháng",
            description="Sơ kết việc thực hiện chỉ thị",
            lead_unit=tree.tay_ho,
            assignee=people.canbo_th,
            accountable_leader=people.bithu_th,
        ),
    }


# --- who sees what -----------------------------------------------------------


def test_my_tasks_lists_only_the_tasks_assigned_to_me(
    client, people, tasks_in_three_units
):
    # given tasks for two colleagues of the same office
    client.force_login(people.canbo_vp)

    # when canbo_vp opens "Việc của tôi"
    response = client.get(MINE)

    # then only the task assigned to them is there
    assert response.status_code == 200
    assert row_titles(response) == ["Rà soát quy chế làm việc theo “5 rõ”"]
    assert "Việc của tôi" in html(response)


@pytest.mark.parametrize(
    ("username", "expected"),
    [
        ("canbo_th", {"tay_ho"}),
        ("bithu_th", {"tay_ho"}),
        ("canbo_vp", {"vp", "vp2"}),
        ("lanhdao_vp", {"vp", "vp2"}),
        ("canbo_cl", {"co_loa"}),
        ("bithu_da", {"vp", "vp2", "co_loa"}),
        ("vanphong_da", {"vp", "vp2", "co_loa"}),
        ("thuongtruc", {"vp", "vp2", "co_loa", "tay_ho"}),
        ("admin", {"vp", "vp2", "co_loa", "tay_ho"}),
    ],
)
def test_unit_tasks_show_exactly_the_tasks_in_the_users_scope(
    client, people, tasks_in_three_units, username, expected
):
    client.force_login(getattr(people, username))

    titles = set(visible_rows(client, UNIT))

    assert titles == {tasks_in_three_units[key].title for key in expected}


def test_staff_of_another_district_sees_nothing_of_dong_anh(
    client, people, tasks_in_three_units
):
    client.force_login(people.canbo_th)

    response = client.get(UNIT, {"q": "dong anh"})

    assert row_titles(response) == []
    assert "Văn phòng Huyện ủy Đông Anh" not in html(response)
    assert "Không có nhiệm vụ nào khớp với bộ lọc." in html(response)


# --- search ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("quy che", {"vp"}),
        ("Quy chế", {"vp"}),
        ("RA SOAT QUY CHE", {"vp"}),
        ("  rà   soát ", {"vp"}),
        ("dong anh", {"vp", "vp2"}),  # the lead unit's name
        ("co loa", {"co_loa"}),
        ("ho so", {"vp2", "co_loa"}),  # "hồ sơ" in the descriptions
        ("tay ho", {"tay_ho"}),
        ("khong co dau nao", set()),
    ],
)
def test_search_finds_vietnamese_with_or_without_diacritics(
    client, people, tasks_in_three_units, query, expected
):
    client.force_login(people.thuongtruc)

    titles = set(visible_rows(client, UNIT, q=query))

    assert titles == {tasks_in_three_units[key].title for key in expected}


def test_search_finds_a_task_whose_text_names_a_unit_it_is_not_led_by(
    client, people, make_task
):
    make_task(title="Phối hợp với Đông Anh rà soát hồ sơ")
    client.force_login(people.canbo_vp)

    assert row_titles(client.get(MINE, {"q": "voi dong anh"})) == [
        "Phối hợp với Đông Anh rà soát hồ sơ"
    ]


# --- filters and chips -------------------------------------------------------


def test_the_chips_count_each_timeliness_class_and_each_chip_shows_those_rows(
    client, people, one_per_class
):
    client.force_login(people.lanhdao_vp)

    # when the leader opens the list, the chips count each class once
    counts = chip_counts(client.get(UNIT))
    assert counts == {
        "all": 6,
        "on_track": 1,
        "due_soon": 1,
        "overdue": 1,
        "done_on_time": 1,
        "done_late": 1,
    }

    # and following a chip shows exactly that many rows, of that class
    for klass in Timeliness.values:
        response = client.get(UNIT, {"timeliness": klass})
        assert row_titles(response) == [one_per_class[klass].title]
        assert chip_counts(response)[klass] == 1
        assert f'class="chip tl-{klass} is-active"' in html(response)


def test_chip_counts_follow_the_other_filters(client, people, vp_task, today):
    vp_task(3, deadline=today - datetime.timedelta(days=2), is_hard=True)
    vp_task(2, deadline=today + datetime.timedelta(days=40))
    client.force_login(people.canbo_vp)

    response = client.get(MINE, {"hard": "on"})

    assert chip_counts(response)["all"] == 3
    assert chip_counts(response)["overdue"] == 3
    assert chip_counts(response)["on_track"] == 0
    assert len(row_titles(response)) == 3


def test_status_filter_shows_only_that_status(client, people, one_per_class):
    client.force_login(people.lanhdao_vp)

    response = client.get(UNIT, {"status": TaskStatus.DONE})

    assert set(row_titles(response)) == {"Việc xong đúng hạn", "Việc xong trễ"}
    assert chip_counts(response)["all"] == 2


def test_directive_filter_includes_the_plans_that_carry_it_out(
    client, people, tree, directive, vp_task
):
    plan = DirectiveFactory(
        number="112-KH/HU",
        kind=DirectiveKind.PLAN,
        parent=directive,
        issuing_unit=tree.dong_anh,
    )
    other = DirectiveFactory(number="05-NQ/TU", issuing_unit=tree.city)
    vp_task(title="Theo chỉ thị", directive=directive)
    vp_task(title="Theo kế hoạch", directive=plan)
    vp_task(title="Theo nghị quyết khác", directive=other)
    client.force_login(people.lanhdao_vp)

    by_directive = set(row_titles(client.get(UNIT, {"directive": directive.pk})))
    by_plan = set(row_titles(client.get(UNIT, {"directive": plan.pk})))

    assert by_directive == {"Theo chỉ thị", "Theo kế hoạch"}
    assert by_plan == {"Theo kế hoạch"}


def test_deadline_range_filter_keeps_deadlines_inside_the_range(
    client, people, vp_task
):
    for day in (1, 10, 20):
        vp_task(
            title=f"Hạn ngày {day}",
            start_date=datetime.date(2026, 1, 1),
            deadline=datetime.date(2026, 3, day),
        )
    client.force_login(people.canbo_vp)

    iso = client.get(MINE, {"deadline_from": "2026-03-05", "deadline_to": "2026-03-20"})
    vietnamese = client.get(
        MINE, {"deadline_from": "05/03/2026", "deadline_to": "20/03/2026"}
    )

    assert set(row_titles(iso)) == {"Hạn ngày 10", "Hạn ngày 20"}
    assert set(row_titles(vietnamese)) == {"Hạn ngày 10", "Hạn ngày 20"}


def test_hard_task_filter_shows_only_hard_tasks(client, people, vp_task):
    vp_task(title="Việc khó", is_hard=True)
    vp_task(title="Việc thường")
    client.force_login(people.canbo_vp)

    response = client.get(MINE, {"hard": "on"})

    assert row_titles(response) == ["Việc khó"]


def test_unit_filter_shows_the_units_subtree_and_offers_only_units_in_scope(
    client, people, tree, tasks_in_three_units
):
    client.force_login(people.thuongtruc)

    dong_anh = set(row_titles(client.get(UNIT, {"unit": tree.dong_anh.pk})))
    co_loa = set(row_titles(client.get(UNIT, {"unit": tree.co_loa.pk})))

    assert dong_anh == {tasks_in_three_units[k].title for k in ("vp", "vp2", "co_loa")}
    assert co_loa == {tasks_in_three_units["co_loa"].title}

    # a district leader is offered the units of the district only
    client.force_login(people.bithu_da)
    page = html(client.get(UNIT))
    assert f'<option value="{tree.co_loa.pk}">' in page
    assert f'<option value="{tree.tay_ho.pk}">' not in page


def test_a_unit_outside_the_scope_is_refused_with_a_message(
    client, people, tree, tasks_in_three_units
):
    client.force_login(people.bithu_da)

    response = client.get(UNIT, {"unit": tree.tay_ho.pk})

    assert response.status_code == 200
    assert "Đơn vị đã chọn không thuộc phạm vi bạn theo dõi." in html(response)
    assert tasks_in_three_units["tay_ho"].title not in row_titles(response)


def test_staff_get_no_unit_filter(client, people, tasks_in_three_units):
    client.force_login(people.canbo_vp)

    assert 'name="unit"' not in html(client.get(UNIT))


# --- order, sort, pages ------------------------------------------------------


def test_default_order_puts_overdue_work_first_then_by_deadline(
    client, people, vp_task, today
):
    day = datetime.timedelta(days=1)
    start = today - 90 * day
    vp_task(title="Hạn sau 9 ngày", deadline=today + 9 * day)
    vp_task(title="Quá hạn 2 ngày", start_date=start, deadline=today - 2 * day)
    vp_task(title="Hạn sau 3 ngày", deadline=today + 3 * day)
    vp_task(title="Quá hạn 8 ngày", start_date=start, deadline=today - 8 * day)
    vp_task(
        title="Đã xong",
        start_date=start,
        deadline=today - 20 * day,
        status=TaskStatus.DONE,
        completed_on=today - 21 * day,
        actual_result="Xong",
    )
    client.force_login(people.canbo_vp)

    assert row_titles(client.get(MINE)) == [
        "Quá hạn 8 ngày",
        "Quá hạn 2 ngày",
        "Hạn sau 3 ngày",
        "Hạn sau 9 ngày",
        "Đã xong",
    ]


def test_rows_say_how_many_days_are_left_or_overdue(client, people, vp_task, today):
    day = datetime.timedelta(days=1)
    vp_task(title="A", deadline=today + 4 * day)
    vp_task(title="B", deadline=today)
    vp_task(title="C", start_date=today - 30 * day, deadline=today - 3 * day)
    client.force_login(people.canbo_vp)

    page = html(client.get(MINE))

    assert "còn 4 ngày" in page
    assert "hôm nay đến hạn" in page
    assert "quá hạn 3 ngày" in page


@pytest.mark.parametrize(
    ("sort", "expected"),
    [
        ("title", ["An", "Bình", "Cúc"]),
        ("deadline", ["Cúc", "An", "Bình"]),
        ("-deadline", ["Bình", "An", "Cúc"]),
    ],
)
def test_sorting_orders_the_rows(client, people, vp_task, today, sort, expected):
    day = datetime.timedelta(days=1)
    vp_task(title="Bình", deadline=today + 30 * day)
    vp_task(title="Cúc", deadline=today + 10 * day)
    vp_task(title="An", deadline=today + 20 * day)
    client.force_login(people.canbo_vp)

    assert row_titles(client.get(MINE, {"sort": sort})) == expected


def test_lists_are_paged_by_25_with_counts(client, people, vp_task):
    vp_task(30)
    client.force_login(people.canbo_vp)

    first = client.get(MINE)
    second = client.get(MINE, {"page": 2})

    assert len(row_titles(first)) == 25
    assert "Nhiệm vụ 1–25 trong tổng số 30" in html(first)
    assert len(row_titles(second)) == 5
    assert "Nhiệm vụ 26–30 trong tổng số 30" in html(second)
    assert set(row_titles(first)).isdisjoint(row_titles(second))


# --- bad input never fails the page ------------------------------------------


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"deadline_from": "31/02/2026"}, "Ngày không hợp lệ"),
        ({"deadline_to": "hôm qua"}, "Ngày không hợp lệ"),
        (
            {"deadline_from": "2026-05-01", "deadline_to": "2026-04-01"},
            "phải sau hoặc bằng",
        ),
        ({"status": "xyz"}, "Trạng thái “xyz” không có trong danh sách."),
        ({"timeliness": "soon"}, "Tình trạng hạn “soon” không có trong danh sách."),
        ({"directive": "abc"}, "Không tìm thấy văn bản chỉ đạo đã chọn."),
        ({"directive": "999999"}, "Không tìm thấy văn bản chỉ đạo đã chọn."),
        ({"unit": "abc"}, "Đơn vị đã chọn không thuộc phạm vi bạn theo dõi."),
        ({"sort": "password"}, "Cách sắp xếp “password” không có."),
        ({"q": "x" * 201}, "Từ khóa tìm kiếm quá dài"),
    ],
)
def test_bad_filter_input_gets_a_vietnamese_message_and_the_list_still_shows(
    client, people, vp_task, params, message
):
    vp_task(2)
    client.force_login(people.lanhdao_vp)

    response = client.get(UNIT, params)

    assert response.status_code == 200
    assert message in html(response)
    assert "Một số điều kiện lọc không hợp lệ nên chưa được áp dụng" in html(response)
    assert len(row_titles(response)) == 2


@pytest.mark.parametrize(
    ("page", "rows", "notice"),
    [
        ("abc", 25, False),
        ("0", 25, False),
        ("-3", 25, False),
        ("9999", 5, True),
        ("", 25, False),
        ("2", 5, False),
    ],
)
def test_a_bad_page_number_shows_a_page_instead_of_an_error(
    client, people, vp_task, page, rows, notice
):
    vp_task(30)
    client.force_login(people.canbo_vp)

    response = client.get(MINE, {"page": page})

    assert response.status_code == 200
    assert len(row_titles(response)) == rows
    assert ("Không có trang bạn yêu cầu" in html(response)) is notice


def test_odd_query_strings_never_fail(client, people, vp_task):
    vp_task(3)
    client.force_login(people.admin)

    for query in (
        "?hard=maybe",
        "?q=%00",
        "?q=%25%5F%27",
        "?status=done&status=xyz",
        "?deadline_from=0000-00-00",
        "?deadline_from=9999-99-99",
        "?page=1e9",
        "?unit=" + "9" * 30,
        "?directive=-1",
    ):
        assert client.get(UNIT + query).status_code == 200, query


# --- htmx --------------------------------------------------------------------


def test_htmx_request_gets_only_the_list_fragment(client, people, vp_task):
    vp_task(2, title="Việc qua htmx", search_text="viec qua htmx")
    client.force_login(people.canbo_vp)

    response = client.get(MINE, {"q": "qua htmx", "status": ""}, **HTMX)

    assert response.status_code == 200
    body = html(response)
    assert "<html" not in body and "<form" not in body
    assert row_titles(response) == ["Việc qua htmx", "Việc qua htmx"]
    assert 'class="chips"' in body
    assert "HX-Request" in response["Vary"]
    # the address bar keeps only the filters in use
    assert response["HX-Push-Url"] == MINE + "?q=qua+htmx"


def test_full_page_is_served_for_an_htmx_history_restore(client, people):
    client.force_login(people.canbo_vp)

    response = client.get(
        MINE, HTTP_HX_REQUEST="true", HTTP_HX_HISTORY_RESTORE_REQUEST="true"
    )

    assert "<html" in html(response)


def test_htmx_request_after_the_session_expired_sends_the_browser_to_sign_in(client):
    response = client.get(
        MINE,
        {"q": "x"},
        HTTP_HX_CURRENT_URL="http://testserver/tasks/mine/?q=x",
        **HTMX,
    )

    assert response["HX-Redirect"] == "/login/?next=/tasks/mine/%3Fq%3Dx"


# --- query counts ------------------------------------------------------------

# session, user, memberships (scope), directives, timeliness counts, rows, bell
STAFF_QUERIES = 7
# … and the units of the leader's scope (the unit filter, also used by search)
LEADER_QUERIES = 8


@pytest.mark.parametrize("rows", [3, 30])
def test_my_tasks_page_costs_the_same_queries_for_3_or_30_tasks(
    client, people, vp_task, django_assert_num_queries, rows
):
    vp_task(rows)
    client.force_login(people.canbo_vp)

    with django_assert_num_queries(STAFF_QUERIES):
        response = client.get(MINE)

    assert len(row_titles(response)) == min(rows, 25)


@pytest.mark.parametrize("rows", [3, 30])
@pytest.mark.parametrize(
    "params",
    [
        {},
        {"q": "van phong", "timeliness": "on_track", "hard": ""},
        {"status": "assigned", "sort": "status", "page": "2"},
    ],
)
def test_unit_tasks_page_costs_the_same_queries_for_3_or_30_tasks(
    client, people, tree, vp_task, django_assert_num_queries, rows, params
):
    vp_task(rows)
    client.force_login(people.lanhdao_vp)

    with django_assert_num_queries(LEADER_QUERIES):
        response = client.get(UNIT, {**params, "unit": tree.vp.pk})

    assert response.status_code == 200


def test_staff_search_adds_one_query_for_unit_names_whatever_the_rows(
    client, people, vp_task, django_assert_num_queries
):
    vp_task(30)
    client.force_login(people.canbo_vp)

    with django_assert_num_queries(STAFF_QUERIES + 1):
        response = client.get(MINE, {"q": "van phong"})

    assert len(row_titles(response)) == 25
