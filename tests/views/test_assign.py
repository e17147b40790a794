"""Leaders create and assign a task with the five "rõ" (tasks:create), and
the small option endpoint that refreshes the form's lists (tasks:assign_options)."""

import datetime

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from tasks.models import Task
from tests.factories import (
    DirectiveFactory,
    DirectiveItemFactory,
    UserFactory,
    add_member,
    make_unit,
)
from units.choices import Role

CREATE = reverse("tasks:create")
OPTIONS = reverse("tasks:assign_options")


@pytest.fixture
def leader_client(client, people):
    """Signed in as the Đông Anh district leader: Văn phòng and Cổ Loa are
    inside the scope, Tây Hồ is not."""
    client.force_login(people.bithu_da)
    return client


def form_data(tree, people, document, today, **overrides):
    data = {
        "title": "Rà soát thủ tục hành chính “một cửa”",
        "description": "Rà soát, rút ngắn thời gian giải quyết hồ sơ",
        "directive": document.pk,
        "directive_item": "",
        "lead_unit": tree.vp.pk,
        "assignee": people.canbo_vp.pk,
        "coordinating_units": [tree.co_loa.pk],
        "start_date": today.isoformat(),
        "deadline": (today + datetime.timedelta(days=30)).strftime("%d/%m/%Y"),
        "expected_result": "Báo cáo kết quả rà soát trình Thường trực",
        "accountable_leader": people.lanhdao_vp.pk,
        "is_hard": "on",
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


# --- success ----------------------------------------


def test_leader_assigns_a_task_with_all_five_clear(
    leader_client, tree, people, directive, directive_item, today
):
    # given the district leader fills in every rõ
    data = form_data(tree, people, directive, today, directive_item=directive_item.pk)

    # when they submit
    response = leader_client.post(CREATE, data)

    # then the task exists with the five rõ and they land on its page
    task = Task.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("tasks:detail", args=[task.pk])
    assert task.title == "Rà soát thủ tục hành chính “một cửa”"
    assert task.directive == directive and task.directive_item == directive_item
    assert task.lead_unit == tree.vp and task.assignee == people.canbo_vp
    assert list(task.coordinating_units.all()) == [tree.co_loa]
    assert task.start_date == today
    assert task.deadline == today + datetime.timedelta(days=30)
    assert task.expected_result == "Báo cáo kết quả rà soát trình Thường trực"
    assert task.accountable_leader == people.lanhdao_vp
    assert task.is_hard and not task.is_hot
    # and the record says who assigned it
    assert task.assigned_by == people.bithu_da
    assert task.history.earliest().history_user == people.bithu_da
    shown = [str(m) for m in get_messages(response.wsgi_request)]
    assert any("Đã giao nhiệm vụ" in m for m in shown)


def test_a_deadline_on_a_day_off_is_saved_and_the_leader_is_warned(
    leader_client, tree, people, directive, today
):
    # given a deadline that falls on a Sunday
    sunday = today + datetime.timedelta(days=(6 - today.weekday()) % 7 + 14)
    data = form_data(tree, people, directive, today, deadline=sunday.isoformat())

    # when the leader assigns the task
    response = leader_client.post(CREATE, data)

    # then it is saved with that deadline, and the next page warns about it
    task = Task.objects.get()
    assert response.status_code == 302 and task.deadline == sunday
    shown = [str(m) for m in get_messages(response.wsgi_request)]
    assert any(sunday.strftime("%d/%m/%Y") in m and "nghỉ" in m for m in shown)


def test_create_page_groups_the_form_by_the_five_clear(leader_client):
    response = leader_client.get(CREATE)

    assert response.status_code == 200
    html = response.content.decode()
    for legend in ("Rõ việc", "Rõ người", "Rõ tiến độ", "Rõ kết quả", "Rõ trách nhiệm"):
        assert f"<legend>{legend}</legend>" in html


def test_dates_typed_as_dd_mm_yyyy_are_accepted(
    leader_client, tree, people, directive, today
):
    data = form_data(tree, people, directive, today, start_date="01/03/2026")
    data["deadline"] = "15/03/2026"

    response = leader_client.post(CREATE, data)

    assert response.status_code == 302
    task = Task.objects.get()
    assert (task.start_date, task.deadline) == (
        datetime.date(2026, 3, 1),
        datetime.date(2026, 3, 15),
    )


# --- refusals ----------------------------------------


@pytest.mark.parametrize(
    ("field", "message"),
    [
        ("title", "Thiếu rõ việc: chưa có tên nhiệm vụ."),
        ("description", "Thiếu rõ việc: chưa có nội dung công việc."),
        ("directive", "Thiếu rõ việc: chưa chọn văn bản chỉ đạo"),
        ("lead_unit", "Thiếu rõ người: chưa chọn đơn vị chủ trì."),
        ("assignee", "Thiếu rõ người: chưa chọn người thực hiện."),
        ("start_date", "Thiếu rõ tiến độ: chưa có ngày bắt đầu."),
        ("deadline", "Thiếu rõ tiến độ: chưa có hạn hoàn thành."),
        ("expected_result", "Thiếu rõ kết quả: chưa có kết quả, sản phẩm dự kiến."),
        (
            "accountable_leader",
            "Thiếu rõ trách nhiệm: chưa chọn lãnh đạo chịu trách nhiệm.",
        ),
    ],
)
def test_a_missing_clear_is_named_at_its_field_and_nothing_is_saved(
    leader_client, tree, people, directive, today, field, message
):
    # given a form with one rõ left empty
    data = form_data(tree, people, directive, today, **{field: ""})
    if field == "title":
        data["description"] = "Nội dung vẫn được giữ lại"

    # when it is submitted
    response = leader_client.post(CREATE, data)

    # then the page names the missing rõ at that field, keeps what was typed,
    # and saves nothing
    assert response.status_code == 400
    form = response.context["form"]
    assert any(message in error for error in form.errors[field])
    html = response.content.decode()
    assert message in html
    if field == "title":
        assert "Nội dung vẫn được giữ lại" in html
    else:
        assert "Rà soát thủ tục hành chính “một cửa”" in html
    assert not Task.objects.exists()


def test_assignee_outside_the_lead_unit_is_refused(
    leader_client, tree, people, directive, today
):
    # given Cổ Loa's staff member as assignee of a Văn phòng task
    data = form_data(tree, people, directive, today, assignee=people.canbo_cl.pk)

    response = leader_client.post(CREATE, data)

    assert response.status_code == 400
    errors = response.context["form"].errors["assignee"]
    assert any("phải là cán bộ của đơn vị chủ trì" in e for e in errors)
    assert not Task.objects.exists()


def test_deadline_before_start_is_refused(
    leader_client, tree, people, directive, today
):
    data = form_data(
        tree,
        people,
        directive,
        today,
        start_date=today.isoformat(),
        deadline=(today - datetime.timedelta(days=1)).isoformat(),
    )

    response = leader_client.post(CREATE, data)

    assert response.status_code == 400
    errors = response.context["form"].errors["deadline"]
    assert "Hạn hoàn thành không được trước ngày bắt đầu." in errors
    assert not Task.objects.exists()


def test_an_impossible_date_is_refused_with_the_expected_format(
    leader_client, tree, people, directive, today
):
    data = form_data(tree, people, directive, today, start_date="31/02/2026")

    response = leader_client.post(CREATE, data)

    assert response.status_code == 400
    errors = response.context["form"].errors["start_date"]
    assert any("ngày/tháng/năm" in e for e in errors)
    assert not Task.objects.exists()


def test_a_tampered_lead_unit_outside_the_scope_is_refused(
    leader_client, tree, people, directive, today
):
    # given a POST edited by hand: Tây Hồ is not under Đông Anh
    data = form_data(
        tree,
        people,
        directive,
        today,
        lead_unit=tree.tay_ho.pk,
        assignee=people.canbo_th.pk,
        accountable_leader=people.bithu_th.pk,
        coordinating_units=[],
    )

    response = leader_client.post(CREATE, data)

    assert response.status_code == 400
    errors = response.context["form"].errors["lead_unit"]
    assert "Đơn vị này không thuộc phạm vi bạn lãnh đạo." in errors
    assert not Task.objects.exists()


def test_a_tampered_coordinating_unit_outside_the_scope_is_refused(
    leader_client, tree, people, directive, today
):
    data = form_data(
        tree, people, directive, today, coordinating_units=[tree.tay_ho.pk]
    )

    response = leader_client.post(CREATE, data)

    assert response.status_code == 400
    assert "coordinating_units" in response.context["form"].errors
    assert not Task.objects.exists()


def test_a_unit_leader_cannot_assign_to_the_unit_above(
    client, tree, people, directive, today
):
    # given the Văn phòng leader, whose scope is Văn phòng only
    client.force_login(people.lanhdao_vp)
    data = form_data(
        tree,
        people,
        directive,
        today,
        lead_unit=tree.dong_anh.pk,
        assignee=people.bithu_da.pk,
        accountable_leader=people.bithu_da.pk,
        coordinating_units=[],
    )

    response = client.post(CREATE, data)

    assert response.status_code == 400
    assert "lead_unit" in response.context["form"].errors
    assert not Task.objects.exists()


def test_an_item_of_another_directive_is_refused(
    leader_client, tree, people, directive, today
):
    other = DirectiveFactory(number="01-KH/HU", issuing_unit=tree.dong_anh)
    foreign_item = DirectiveItemFactory(directive=other, number="3")
    data = form_data(tree, people, directive, today, directive_item=foreign_item.pk)

    response = leader_client.post(CREATE, data)

    assert response.status_code == 400
    errors = response.context["form"].errors["directive_item"]
    assert "Mục đã chọn không thuộc văn bản chỉ đạo này." in errors
    assert not Task.objects.exists()


def test_a_closed_directive_cannot_be_chosen(
    leader_client, tree, people, directive, today
):
    closed = DirectiveFactory(
        number="99-CT/TU", issuing_unit=tree.city, status="closed"
    )
    data = form_data(tree, people, directive, today, directive=closed.pk)

    response = leader_client.post(CREATE, data)

    assert response.status_code == 400
    assert "directive" in response.context["form"].errors
    assert not Task.objects.exists()


def test_without_javascript_the_refresh_button_lists_the_chosen_units_people(
    leader_client, tree, people, directive, today
):
    # given a leader who picked Cổ Loa and typed a title, with no JavaScript
    data = form_data(tree, people, directive, today, lead_unit=tree.co_loa.pk)
    data["refresh"] = "1"

    response = leader_client.post(CREATE, data)

    # then the page comes back with Cổ Loa's people, what was typed, no error
    assert response.status_code == 200
    html = response.content.decode()
    assert "Vũ Cổ Loa (canbo_cl)" in html
    assert "Nguyễn Cán Bộ (canbo_vp)" not in html
    assert "Rà soát thủ tục hành chính “một cửa”" in html
    assert not response.context["form"].is_bound
    assert not Task.objects.exists()


# --- who may ----------------------------------------

PAGES = [
    ("get", "tasks:create"),
    ("post", "tasks:create"),
    ("get", "tasks:assign_options"),
    ("get", "tasks:import"),
    ("post", "tasks:import"),
    ("get", "tasks:import_template"),
    ("post", "tasks:import_confirm"),
]


@pytest.mark.parametrize(("method", "name"), PAGES)
@pytest.mark.parametrize(
    ("who", "expected"),
    [
        ("canbo_vp", 403),  # staff
        ("thuongtruc", 403),  # city reviewer
        ("vanphong_da", 403),  # district reviewer
        ("bithu_da", None),  # a leader: allowed (any answer but 403)
    ],
)
def test_only_leaders_reach_the_assignment_pages(
    client, people, directive, method, name, who, expected
):
    client.force_login(getattr(people, who))

    response = getattr(client, method)(reverse(name), {"field": "assignee"})

    if expected is None:
        assert response.status_code != 403
    else:
        assert response.status_code == expected
    assert not Task.objects.exists()


@pytest.mark.parametrize(
    "name", ["tasks:create", "tasks:import", "tasks:import_template"]
)
def test_anonymous_visitors_are_sent_to_sign_in(client, db, name):
    response = client.get(reverse(name))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


# --- the option endpoint ----------------------------------------


def test_options_list_the_people_of_the_lead_unit(leader_client, tree, people):
    response = leader_client.get(
        OPTIONS,
        {"field": "assignee", "lead_unit": tree.vp.pk, "assignee": people.canbo_vp2.pk},
    )

    html = response.content.decode()
    assert response.status_code == 200
    assert "Nguyễn Cán Bộ (canbo_vp)" in html
    assert f'<option value="{people.canbo_vp2.pk}" selected>' in html
    assert "canbo_cl" not in html


def test_options_list_leaders_of_the_lead_unit_and_above(leader_client, tree, people):
    response = leader_client.get(
        OPTIONS, {"field": "accountable_leader", "lead_unit": tree.vp.pk}
    )

    html = response.content.decode()
    assert "Hoàng Lãnh Đạo (lanhdao_vp)" in html
    assert "Lê Bí Thư (bithu_da)" in html
    assert "bithu_th" not in html
    assert "canbo_vp" not in html


def test_options_show_nobody_for_a_unit_outside_the_scope(leader_client, tree):
    response = leader_client.get(
        OPTIONS, {"field": "assignee", "lead_unit": tree.tay_ho.pk}
    )

    assert response.status_code == 200
    assert "canbo_th" not in response.content.decode()


def test_options_list_the_items_of_the_chosen_directive(
    leader_client, tree, directive, directive_item
):
    other = DirectiveFactory(number="02-KH/HU", issuing_unit=tree.dong_anh)
    DirectiveItemFactory(directive=other, number="7", content="Mục của kế hoạch khác")

    response = leader_client.get(
        OPTIONS, {"field": "directive_item", "directive": directive.pk}
    )

    html = response.content.decode()
    assert f'<option value="{directive_item.pk}">' in html
    assert "Mục của kế hoạch khác" not in html


def test_options_refuse_an_unknown_list(leader_client):
    response = leader_client.get(OPTIONS, {"field": "password"})

    assert response.status_code == 400


# --- query counts ----------------------------------------


def grow_scope(tree, directive, units: int, people_per_unit: int) -> None:
    """Add units under Đông Anh, each with a leader and staff, and items."""
    for n in range(units):
        unit = make_unit(f"Phòng số {n}", parent=tree.dong_anh, code=f"HN.DA.P{n}")
        add_member(UserFactory(), unit, Role.LEADER)
        for _ in range(people_per_unit):
            add_member(UserFactory(), unit, Role.STAFF)
        DirectiveItemFactory(directive=directive, number=f"{n + 10}")
    DirectiveFactory(number=f"{units}-KH/HU", issuing_unit=tree.dong_anh)


@pytest.mark.parametrize("preset_unit", [False, True])
def test_create_page_query_count_is_fixed_whatever_the_scope(
    leader_client, tree, people, directive, django_assert_num_queries, preset_unit
):
    # given the create page, with or without a lead unit chosen in advance
    url = CREATE + (f"?lead_unit={tree.vp.pk}" if preset_unit else "")
    # session, user, scope; the form: units, directives, items, people of
    # the lead unit (the leader's own unit when none is chosen), accountable
    # leaders; base.html: the bell's unread count
    expected = 9
    with django_assert_num_queries(expected):
        response = leader_client.get(url)
    assert response.status_code == 200

    # when the scope grows tenfold, the count stays the same
    grow_scope(tree, directive, units=12, people_per_unit=5)
    with django_assert_num_queries(expected):
        response = leader_client.get(url)
    assert response.status_code == 200
    assert "Phòng số 11" in response.content.decode()


def test_option_endpoint_query_count_is_fixed_whatever_the_unit_size(
    leader_client, tree, people, django_assert_num_queries
):
    # session, user, scope, the people of the unit
    params = {"field": "assignee", "lead_unit": tree.vp.pk}
    with django_assert_num_queries(4):
        leader_client.get(OPTIONS, params)

    for _ in range(15):
        add_member(UserFactory(), tree.vp, Role.STAFF)
    with django_assert_num_queries(4):
        response = leader_client.get(OPTIONS, params)
    assert response.content.decode().count("<option") == 1 + 2 + 1 + 15


def test_directives_in_force_and_their_plans_are_offered_closed_ones_are_not(
    leader_client, tree, directive
):
    DirectiveFactory(
        number="05-KH/HU", kind="plan", parent=directive, issuing_unit=tree.dong_anh
    )
    DirectiveFactory(number="12-CT/TU", issuing_unit=tree.city, status="closed")

    response = leader_client.get(CREATE)

    html = response.content.decode()
    assert "Chỉ thị 24-CT/TU" in html
    assert "Kế hoạch 05-KH/HU" in html
    assert "12-CT/TU" not in html
