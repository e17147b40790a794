"""The unit and people admin: the tree stays whole, every move and every
membership leaves a history row with the admin's name."""

import pytest
from django.urls import reverse

from units.choices import Role, UnitKind
from units.models import Membership, Unit, User


def change_url(unit):
    return reverse("admin:units_unit_change", args=[unit.pk])


def parent_of(unit):
    unit.refresh_from_db()
    return Unit.objects.get_parent(unit)


def assert_tree_is_whole():
    assert all(not problems for problems in Unit.objects.find_problems())


def test_moving_a_unit_to_another_parent_moves_its_subtree_and_records_why(
    admin_site_client, tree, people, changeform_data
):
    # given the district of Đông Anh (with its office and commune) on its page
    data = changeform_data(admin_site_client.get(change_url(tree.dong_anh)))

    # when the admin puts it under Tây Hồ
    data["parent"] = tree.tay_ho.pk
    response = admin_site_client.post(change_url(tree.dong_anh), data)

    # then it moved with everything under it, and the history says who and why
    assert response.status_code == 302
    assert parent_of(tree.dong_anh) == tree.tay_ho
    assert parent_of(tree.vp) == tree.dong_anh
    assert parent_of(tree.co_loa) == tree.dong_anh
    assert_tree_is_whole()
    latest = tree.dong_anh.history.latest()
    assert latest.history_user == people.admin
    assert latest.history_change_reason == (
        "Chuyển đơn vị: “Thành ủy Hà Nội” → “Quận ủy Tây Hồ”"
    )


def test_a_unit_cannot_be_moved_under_one_of_its_own_units(
    admin_site_client, tree, changeform_data
):
    data = changeform_data(admin_site_client.get(change_url(tree.dong_anh)))

    data["parent"] = tree.vp.pk
    response = admin_site_client.post(change_url(tree.dong_anh), data)

    assert response.status_code == 200
    assert "Không thể đặt đơn vị vào dưới chính nó" in response.text
    assert parent_of(tree.dong_anh) == tree.city
    assert_tree_is_whole()


def test_renaming_a_unit_keeps_siblings_in_name_order_with_one_history_row(
    admin_site_client, tree, changeform_data
):
    # given Đông Anh's units in name order: "UBND xã Cổ Loa", "Văn phòng ..."
    before = tree.co_loa.history.count()
    data = changeform_data(admin_site_client.get(change_url(tree.vp)))

    # when the office is renamed so that it sorts first
    data["name"] = "Ban Tổ chức Huyện ủy Đông Anh"
    response = admin_site_client.post(change_url(tree.vp), data)

    # then the siblings read in name order, and one history row explains it
    assert response.status_code == 302
    children = Unit.objects.get_children(parent_of(tree.vp))
    assert [u.name for u in children] == [
        "Ban Tổ chức Huyện ủy Đông Anh",
        "UBND xã Cổ Loa",
    ]
    assert_tree_is_whole()
    assert tree.co_loa.history.count() == before
    latest = tree.vp.history.latest()
    assert latest.name == "Ban Tổ chức Huyện ủy Đông Anh"
    assert latest.history_change_reason == "Cập nhật đơn vị"


def test_adding_a_unit_places_it_under_the_chosen_parent(
    admin_site_client, tree, people, changeform_data
):
    data = changeform_data(admin_site_client.get(reverse("admin:units_unit_add")))
    data.update(
        name="Phường Quảng An",
        code="HN.TH.QA",
        kind=UnitKind.COMMUNE,
        parent=tree.tay_ho.pk,
        head=people.bithu_th.pk,
    )

    response = admin_site_client.post(reverse("admin:units_unit_add"), data)

    assert response.status_code == 302
    unit = Unit.objects.get(code="HN.TH.QA")
    assert parent_of(unit) == tree.tay_ho
    assert unit.head == people.bithu_th
    assert_tree_is_whole()
    created = unit.history.get()
    assert created.history_user == people.admin
    assert created.history_change_reason == "Tạo đơn vị"


def test_a_member_added_on_the_unit_page_is_in_history_with_the_admins_name(
    admin_site_client, tree, people, changeform_data
):
    newcomer = User.objects.create_user("moi", full_name="Ngô Người Mới")
    data = changeform_data(admin_site_client.get(change_url(tree.co_loa)))
    total = int(data["memberships-TOTAL_FORMS"])
    data.update(
        {
            "memberships-TOTAL_FORMS": str(total + 1),
            f"memberships-{total}-user": newcomer.pk,
            f"memberships-{total}-role": Role.STAFF,
            f"memberships-{total}-title": "Chuyên viên",
        }
    )

    response = admin_site_client.post(change_url(tree.co_loa), data)

    assert response.status_code == 302
    membership = Membership.objects.get(user=newcomer)
    assert membership.unit == tree.co_loa
    assert membership.history.get().history_user == people.admin


def test_a_unit_with_units_under_it_cannot_be_deleted(admin_site_client, tree):
    response = admin_site_client.get(
        reverse("admin:units_unit_delete", args=[tree.dong_anh.pk])
    )

    assert response.status_code == 403
    assert Unit.objects.filter(pk=tree.dong_anh.pk).exists()


def test_unit_list_shows_the_tree_in_order_and_indented(admin_site_client, tree):
    response = admin_site_client.get(reverse("admin:units_unit_changelist"))

    names = [unit.name for unit in response.context["cl"].result_list]
    assert names == [
        "Thành ủy Hà Nội",
        "Huyện ủy Đông Anh",
        "UBND xã Cổ Loa",
        "Văn phòng Huyện ủy Đông Anh",
        "Quận ủy Tây Hồ",
    ]
    assert "↳ <a" in response.text


def test_unit_list_filters_to_a_subtree(admin_site_client, tree):
    response = admin_site_client.get(
        reverse("admin:units_unit_changelist"), {"unit": tree.dong_anh.pk}
    )

    names = {unit.name for unit in response.context["cl"].result_list}
    assert names == {
        "Huyện ủy Đông Anh",
        "UBND xã Cổ Loa",
        "Văn phòng Huyện ủy Đông Anh",
    }


# --- people --------------------------------------------------------------------


def test_user_list_filters_by_role_through_memberships(admin_site_client, people):
    response = admin_site_client.get(
        reverse("admin:units_user_changelist"), {"role": Role.LEADER}
    )

    usernames = {user.username for user in response.context["cl"].result_list}
    assert usernames == {"bithu_da", "lanhdao_vp", "bithu_th"}


def test_user_list_filters_to_the_people_of_a_subtree(admin_site_client, tree, people):
    response = admin_site_client.get(
        reverse("admin:units_user_changelist"), {"unit": tree.tay_ho.pk}
    )

    usernames = {user.username for user in response.context["cl"].result_list}
    assert usernames == {"bithu_th", "canbo_th"}


def test_user_search_finds_a_full_name(admin_site_client, people):
    response = admin_site_client.get(
        reverse("admin:units_user_changelist"), {"q": "Lãnh Đạo"}
    )

    usernames = {user.username for user in response.context["cl"].result_list}
    assert usernames == {"lanhdao_vp"}


def test_adding_a_user_with_a_unit_and_role(admin_site_client, tree, people):
    data = {
        "username": "chuyenvien_cl",
        "full_name": "Trịnh Chuyên Viên",
        "position": "Chuyên viên",
        "email": "cv@example.vn",
        "usable_password": "true",
        "password1": "mat-khau-rat-dai-2026",
        "password2": "mat-khau-rat-dai-2026",
        "memberships-TOTAL_FORMS": "1",
        "memberships-INITIAL_FORMS": "0",
        "memberships-0-unit": tree.co_loa.pk,
        "memberships-0-role": Role.STAFF,
        "memberships-0-title": "Chuyên viên",
    }

    response = admin_site_client.post(reverse("admin:units_user_add"), data)

    assert response.status_code == 302
    user = User.objects.get(username="chuyenvien_cl")
    assert user.full_name == "Trịnh Chuyên Viên"
    assert user.check_password("mat-khau-rat-dai-2026")
    assert list(user.memberships.values_list("unit__code", "role")) == [
        ("HN.DA.CL", Role.STAFF)
    ]
    assert user.history.get().history_user == people.admin


@pytest.mark.parametrize("url_name", ["admin:units_user_add", "admin:units_unit_add"])
def test_add_pages_open(admin_site_client, url_name):
    assert admin_site_client.get(reverse(url_name)).status_code == 200


def test_emptying_the_parent_makes_the_unit_a_root_and_records_it(
    admin_site_client, tree, changeform_data
):
    data = changeform_data(admin_site_client.get(change_url(tree.tay_ho)))

    data["parent"] = ""
    response = admin_site_client.post(change_url(tree.tay_ho), data)

    assert response.status_code == 302
    assert parent_of(tree.tay_ho) is None
    assert_tree_is_whole()
    assert tree.tay_ho.history.latest().history_change_reason == (
        "Chuyển đơn vị: “Thành ủy Hà Nội” → “gốc”"
    )


def test_renaming_a_root_keeps_the_roots_in_name_order(
    admin_site_client, tree, changeform_data
):
    # given two roots: "Quận ủy Tây Hồ" (moved up) and "Thành ủy Hà Nội"
    data = changeform_data(admin_site_client.get(change_url(tree.tay_ho)))
    data["parent"] = ""
    admin_site_client.post(change_url(tree.tay_ho), data)

    # when the city committee is renamed to sort first
    data = changeform_data(admin_site_client.get(change_url(tree.city)))
    data["name"] = "Ban Thường vụ Thành ủy"
    response = admin_site_client.post(change_url(tree.city), data)

    assert response.status_code == 302
    roots = [u.name for u in Unit.objects.get_root_nodes()]
    assert roots == ["Ban Thường vụ Thành ủy", "Quận ủy Tây Hồ"]
    assert parent_of(tree.vp) == tree.dong_anh
    assert_tree_is_whole()
