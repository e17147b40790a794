"""Merging units in the admin, in the browser: the admin ticks two units on
the unit list, chooses the merge, reads what will move, founds the new
commune and confirms; the old units are listed as closed and a moved
task's history names the merge."""

import pytest
from playwright.sync_api import expect

from units.choices import UnitKind
from units.models import Unit

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]


def test_the_admin_merges_two_units_into_a_new_commune(
    signed_in, tree, people, make_task
):
    # given an open task of the office and one of Cổ Loa
    office_task = make_task(title="Rà soát quy chế một cửa")
    make_task(
        title="Số hóa hồ sơ đất đai",
        lead_unit=tree.co_loa,
        assignee=people.canbo_cl,
        actor=people.bithu_da,
        accountable_leader=people.bithu_da,
    )
    admin = signed_in("admin")

    # when the admin ticks both units and chooses the merge
    admin.goto("/admin/units/unit/")
    rows = admin.locator("#result_list tbody tr")
    for name in ("Văn phòng Huyện ủy Đông Anh", "UBND xã Cổ Loa"):
        rows.filter(has=admin.get_by_role("link", name=name, exact=True)).get_by_role(
            "checkbox"
        ).check()
    admin.locator("select[name=action]").select_option(
        label="Sáp nhập các đơn vị đã chọn…"
    )
    # the button's text ("Run" in Django 6.1) is not translated yet
    admin.locator("div.actions button[name=index]").click()

    # then the page lists, unit by unit, the open tasks and the members
    expect(admin.locator("h1")).to_have_text("Sáp nhập đơn vị")
    office = admin.locator(f"#work-{tree.vp.pk}")
    expect(office).to_contain_text("Rà soát quy chế một cửa")
    for person in (people.lanhdao_vp, people.canbo_vp, people.canbo_vp2):
        expect(office).to_contain_text(person.full_name)
    co_loa = admin.locator(f"#work-{tree.co_loa.pk}")
    expect(co_loa).to_contain_text("Số hóa hồ sơ đất đai")
    expect(co_loa).to_contain_text(people.canbo_cl.full_name)
    assert Unit.objects.get(pk=tree.vp.pk).is_active  # nothing changed yet

    # when the admin founds the new commune and confirms
    expect(admin.get_by_label("Thành lập đơn vị mới")).to_be_checked()
    admin.get_by_label("Tên đơn vị mới").fill("Xã Đông Anh")
    admin.get_by_label("Mã đơn vị mới").fill("HN.XDA")
    admin.get_by_label("Loại đơn vị").select_option(UnitKind.COMMUNE)
    admin.get_by_label("Có hiệu lực từ ngày").fill("2025-07-01")
    admin.get_by_label("Căn cứ").fill("Nghị quyết 1656/NQ-UBTVQH15")
    admin.get_by_role("button", name="Xác nhận").click()

    # then the unit list says what moved
    expect(admin.locator(".messagelist .success")).to_contain_text(
        "Đã sáp nhập “UBND xã Cổ Loa”, “Văn phòng Huyện ủy Đông Anh” vào “Xã "
        "Đông Anh” từ 01/07/2025: chuyển 2 nhiệm vụ đang thực hiện"
    )

    # and the closed units are the two old ones, from 30/06/2025
    admin.get_by_role("link", name="Đã giải thể").click()
    closed = admin.locator("#result_list tbody tr")
    expect(closed).to_have_count(2)
    expect(closed.filter(has_text="Văn phòng Huyện ủy Đông Anh")).to_contain_text(
        "đến 30/06/2025"
    )
    expect(closed.filter(has_text="UBND xã Cổ Loa")).to_contain_text("đến 30/06/2025")

    # and the office's task now belongs to the commune, its history says why
    admin.goto(f"/tasks/{office_task.pk}/")
    expect(admin.locator("section.history")).to_contain_text(
        "Sáp nhập Văn phòng Huyện ủy Đông Anh vào Xã Đông Anh từ 01/07/2025"
    )
    office_task.refresh_from_db()
    assert office_task.lead_unit.code == "HN.XDA"
