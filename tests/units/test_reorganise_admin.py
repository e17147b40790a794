"""The admin's reorganisation actions on the unit list: a confirmation page
that shows what will move, the change made on "Xác nhận" with a message
that counts it, bad input shown again with what was typed, and only for
admins who may change units."""

import datetime

import pytest
from django.contrib.auth.models import Permission
from django.contrib.messages import get_messages
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.factories import TaskFactory, UserFactory, make_unit
from units.choices import UnitKind
from units.models import Membership, Unit, UnitSuccession

CHANGELIST = reverse("admin:units_unit_changelist")
JULY_1 = datetime.date(2025, 7, 1)


@pytest.fixture
def admin_client(client, people):
    client.force_login(people.admin)
    return client


@pytest.fixture
def communes(tree):
    made = [
        make_unit(name, parent=tree.dong_anh, kind=UnitKind.COMMUNE, code=code)
        for name, code in (("Xã Đông Anh", "HN.XDA"), ("Xã Thư Lâm", "HN.XTL"))
    ]
    return [Unit.objects.get(pk=unit.pk) for unit in made]


def action(client, action_name, units, **data):
    payload = {
        "action": action_name,
        "_selected_action": [u.pk for u in units],
        **data,
    }
    return client.post(CHANGELIST, payload)


def messages_of(response):
    return [str(m) for m in get_messages(response.wsgi_request)]


def fresh(obj):
    obj.refresh_from_db()
    return obj


# --- merge -----------------------------------------------------------------------


def test_merge_shows_what_will_move_and_changes_nothing_yet(
    admin_client, tree, people, tasks_by_unit
):
    response = action(admin_client, "merge_selected", [tree.vp, tree.co_loa])

    assert response.status_code == 200
    assert "admin/units/reorganise.html" in [t.name for t in response.templates]
    text = response.text
    # the office leads three open tasks, Cổ Loa one and helps with one
    assert (
        "Sẽ chuyển: 3 nhiệm vụ đang thực hiện do đơn vị chủ trì, 0 nhiệm vụ đơn "
        "vị phối hợp, 3 thành viên" in text
    )
    assert "Sẽ chuyển: 1 nhiệm vụ đang thực hiện do đơn vị chủ trì, 1 nhiệm vụ" in text
    assert tasks_by_unit.co_loa.title in text
    for person in (people.lanhdao_vp, people.canbo_vp, people.canbo_cl):
        assert person.full_name in text
    assert "phối hợp (Văn phòng Huyện ủy Đông Anh chủ trì)" in text
    # the new unit is offered under the units' common parent, of their kind
    form = response.context["form"]
    assert form.initial["parent"] == tree.dong_anh
    assert fresh(tree.vp).is_active and fresh(tree.co_loa).is_active


def test_merge_into_a_new_unit_on_confirmation(
    admin_client, tree, people, tasks_by_unit
):
    response = action(
        admin_client,
        "merge_selected",
        [tree.vp, tree.co_loa],
        apply="1",
        mode="new",
        name="Xã Đông Anh",
        short_name="XĐA",
        code="HN.XDA",
        kind=UnitKind.COMMUNE,
        parent=tree.dong_anh.pk,
        effective_date="2025-07-01",
        reason="Nghị quyết 1656/NQ-UBTVQH15",
        roll_up="on",
    )

    assert response.status_code == 302
    successor = Unit.objects.get(code="HN.XDA")
    assert (successor.name, successor.valid_from) == ("Xã Đông Anh", JULY_1)
    assert Unit.objects.get_parent(successor) == tree.dong_anh
    assert fresh(tasks_by_unit.vp).lead_unit == successor
    assert fresh(tree.vp).valid_to == datetime.date(2025, 6, 30)
    assert UnitSuccession.objects.filter(successor=successor).count() == 2
    assert messages_of(response) == [
        "Đã sáp nhập “UBND xã Cổ Loa”, “Văn phòng Huyện ủy Đông Anh” vào “Xã Đông "
        "Anh” từ 01/07/2025: chuyển 4 nhiệm vụ đang thực hiện, 1 lượt phối hợp, "
        "4 thành viên, 0 đề nghị đang chờ; 4 cảnh báo chưa gửi đi theo nhiệm vụ."
    ]
    assert successor.history.earliest().history_user == people.admin


def test_merge_into_an_existing_unit(admin_client, tree, communes, tasks_by_unit):
    response = action(
        admin_client,
        "merge_selected",
        [tree.co_loa],
        apply="1",
        mode="existing",
        successor=communes[0].pk,
        effective_date="2025-07-01",
    )

    assert response.status_code == 302
    assert fresh(tasks_by_unit.co_loa).lead_unit == communes[0]
    assert not fresh(tree.co_loa).is_active


def test_bad_input_shows_the_page_again_with_what_was_typed(admin_client, tree, people):
    response = action(
        admin_client,
        "merge_selected",
        [tree.co_loa],
        apply="1",
        mode="existing",
        reason="Nghị quyết số 1656",
    )

    assert response.status_code == 200
    text = response.text
    assert "Cần nhập ngày có hiệu lực." in text
    assert "Chọn đơn vị kế thừa." in text
    assert 'value="Nghị quyết số 1656"' in text
    assert fresh(tree.co_loa).is_active


def test_a_new_unit_needs_a_name_a_free_code_and_a_parent(admin_client, tree):
    response = action(
        admin_client,
        "merge_selected",
        [tree.co_loa],
        apply="1",
        mode="new",
        code="HN.DA.VP",
        effective_date="2025-07-01",
    )

    text = response.text
    assert "Cần nhập tên đơn vị mới." in text
    assert "Mã “HN.DA.VP” đã được dùng cho một đơn vị khác" in text
    assert "Chọn đơn vị cấp trên của đơn vị mới." in text


def test_a_refused_merge_creates_no_unit_and_keeps_the_form(admin_client, tree):
    # Đông Anh still has its office and Cổ Loa under it
    response = action(
        admin_client,
        "merge_selected",
        [tree.dong_anh],
        apply="1",
        mode="new",
        name="Đảng bộ xã Đông Anh",
        code="HN.DBXDA",
        kind=UnitKind.DISTRICT_COMMITTEE,
        parent=tree.city.pk,
        effective_date="2025-07-01",
    )

    assert response.status_code == 200
    text = response.text
    assert "còn 2 đơn vị trực thuộc đang hoạt động" in text
    assert 'value="Đảng bộ xã Đông Anh"' in text
    assert not Unit.objects.filter(code="HN.DBXDA").exists()
    assert fresh(tree.dong_anh).is_active


def test_the_confirmation_page_costs_the_same_queries_for_3_tasks_and_for_30(
    admin_client, tree, people, directive
):
    def add_tasks(count):
        for _ in range(count):
            TaskFactory(
                lead_unit=tree.vp,
                assignee=people.canbo_vp,
                accountable_leader=people.lanhdao_vp,
                assigned_by=people.lanhdao_vp,
                directive=directive,
            )

    def queries():
        with CaptureQueriesContext(connection) as captured:
            response = action(admin_client, "merge_selected", [tree.vp])
        assert response.status_code == 200
        return len(captured.captured_queries), response

    add_tasks(3)
    few, _response = queries()
    add_tasks(27)
    many, response = queries()

    assert many == few
    assert len(response.context["works"][0].led_tasks) == 30


# --- split -----------------------------------------------------------------------


def test_split_asks_where_each_task_and_member_goes_then_moves_them(
    admin_client, tree, people, communes, tasks_by_unit
):
    xda, xtl = communes
    chosen = {"successors": [xda.pk, xtl.pk], "effective_date": "2025-07-01"}

    # when the successors are chosen, each task and member gets a choice
    response = action(admin_client, "split_selected", [tree.vp], refresh="1", **chosen)
    assert response.status_code == 200
    form = response.context["form"]
    assert [u.name for u in form.chosen] == ["Xã Đông Anh", "Xã Thư Lâm"]
    field = f"task_{tasks_by_unit.vp2.pk}"
    assert f'name="{field}"' in response.text
    assert "Cần nhập" not in response.text  # no errors before confirming

    # and on confirmation each goes where it was sent, the rest to the default
    leader = Membership.objects.get(user=people.lanhdao_vp)
    response = action(
        admin_client,
        "split_selected",
        [tree.vp],
        apply="1",
        default_successor=xda.pk,
        **{field: xtl.pk, f"member_{leader.pk}": xtl.pk},
        **chosen,
    )
    assert response.status_code == 302
    assert fresh(tasks_by_unit.vp2).lead_unit == xtl
    assert fresh(tasks_by_unit.vp).lead_unit == xda
    assert fresh(leader).unit == xtl
    assert messages_of(response)[0].startswith(
        "Đã chia tách “Văn phòng Huyện ủy Đông Anh” thành “Xã Đông Anh”, “Xã Thư "
        "Lâm” từ 01/07/2025: chuyển 3 nhiệm vụ đang thực hiện, 0 lượt phối hợp, "
        "3 thành viên"
    )


def test_split_refuses_a_target_that_is_not_a_chosen_successor(
    admin_client, tree, communes, tasks_by_unit
):
    response = action(
        admin_client,
        "split_selected",
        [tree.vp],
        apply="1",
        successors=[u.pk for u in communes],
        default_successor=communes[0].pk,
        effective_date="2025-07-01",
        **{f"task_{tasks_by_unit.vp.pk}": tree.tay_ho.pk},
    )

    assert response.status_code == 200
    assert "Hãy chọn một trong các đơn vị kế thừa đã chọn ở trên." in response.text
    assert fresh(tree.vp).is_active


def test_split_needs_two_successors_and_one_unit(admin_client, tree, communes):
    response = action(
        admin_client,
        "split_selected",
        [tree.vp],
        apply="1",
        successors=[communes[0].pk],
        default_successor=communes[0].pk,
        effective_date="2025-07-01",
    )
    assert "Chia tách cần ít nhất hai đơn vị kế thừa." in response.text

    response = action(admin_client, "split_selected", [tree.vp, tree.co_loa])
    assert response.status_code == 302
    assert messages_of(response) == ["Chia tách đơn vị: hãy chọn đúng một đơn vị."]


# --- rename ----------------------------------------------------------------------


def test_rename_creates_the_unit_under_its_new_name(
    admin_client, tree, people, tasks_by_unit
):
    response = action(admin_client, "rename_selected", [tree.vp])
    assert response.status_code == 200
    assert 'value="Văn phòng Huyện ủy Đông Anh"' in response.text

    response = action(
        admin_client,
        "rename_selected",
        [tree.vp],
        apply="1",
        name="Văn phòng Đảng ủy xã Đông Anh",
        code="HN.DA.VPDU",
        effective_date="2025-07-01",
    )

    assert response.status_code == 302
    renamed = Unit.objects.get(code="HN.DA.VPDU")
    assert fresh(tasks_by_unit.vp).lead_unit == renamed
    assert fresh(tree.vp).name == "Văn phòng Huyện ủy Đông Anh"
    assert messages_of(response)[0].startswith(
        "Đã đổi tên “Văn phòng Huyện ủy Đông Anh” thành “Văn phòng Đảng ủy xã "
        "Đông Anh” từ 01/07/2025"
    )


def test_rename_to_a_code_in_use_is_shown_on_the_page(admin_client, tree):
    response = action(
        admin_client,
        "rename_selected",
        [tree.vp],
        apply="1",
        name="Văn phòng mới",
        code="HN.TH",
        effective_date="2025-07-01",
    )

    assert response.status_code == 200
    assert "Mã “HN.TH” đã được dùng cho một đơn vị khác" in response.text
    assert 'value="Văn phòng mới"' in response.text


# --- permissions and the unit pages ---------------------------------------------------


def staff_with(*codenames):
    user = UserFactory(username="nhanvien", is_staff=True)
    user.user_permissions.set(
        Permission.objects.filter(
            content_type__app_label="units", codename__in=codenames
        )
    )
    return user


@pytest.mark.parametrize(
    "action_name", ["merge_selected", "split_selected", "rename_selected"]
)
def test_a_staff_user_who_may_not_change_units_is_refused(client, tree, action_name):
    client.force_login(staff_with("view_unit"))

    listing = client.get(CHANGELIST)
    assert listing.status_code == 200
    assert action_name not in listing.text

    response = action(
        client,
        action_name,
        [tree.co_loa],
        apply="1",
        mode="new",
        name="Xã mới",
        code="HN.XM",
        kind=UnitKind.COMMUNE,
        parent=tree.dong_anh.pk,
        effective_date="2025-07-01",
    )
    # then the list is shown again, without the action's page, and nothing
    # changed
    assert response.status_code == 200
    assert "admin/units/reorganise.html" not in [t.name for t in response.templates]
    assert fresh(tree.co_loa).is_active
    assert not Unit.objects.filter(code="HN.XM").exists()


def test_a_staff_user_who_may_change_units_may_merge(client, tree, communes):
    client.force_login(staff_with("view_unit", "change_unit"))

    response = action(
        client,
        "merge_selected",
        [tree.co_loa],
        apply="1",
        mode="existing",
        successor=communes[0].pk,
        effective_date="2025-07-01",
    )

    assert response.status_code == 302
    assert not fresh(tree.co_loa).is_active


def test_bulk_delete_is_not_offered(admin_client):
    assert "delete_selected" not in admin_client.get(CHANGELIST).text


def test_unit_pages_show_dates_and_links_both_ways(
    admin_client, tree, people, communes
):
    from units.reorganise import merge_units

    merge_units(
        actor=people.admin,
        predecessors=[tree.co_loa],
        successor=communes[0],
        effective_date=JULY_1,
        reason="Nghị quyết 1656/NQ-UBTVQH15",
    )

    old = admin_client.get(reverse("admin:units_unit_change", args=[tree.co_loa.pk]))
    assert "Chuyển giao công việc cho các đơn vị kế thừa" in old.text
    assert "Xã Đông Anh" in old.text
    assert "30/06/2025" in old.text
    new = admin_client.get(reverse("admin:units_unit_change", args=[communes[0].pk]))
    assert "Tiếp nhận công việc từ các đơn vị trước sắp xếp" in new.text
    assert "UBND xã Cổ Loa" in new.text
    assert "Nghị quyết 1656/NQ-UBTVQH15" in new.text

    closed = admin_client.get(CHANGELIST, {"hoat_dong": "closed"})
    assert [u.name for u in closed.context["cl"].result_list] == ["UBND xã Cổ Loa"]
    active = admin_client.get(CHANGELIST, {"hoat_dong": "active"})
    assert tree.co_loa not in active.context["cl"].result_list
    assert "đến 30/06/2025" in closed.text
