"""Requests that a leader decides, in the browser: an extension of the
deadline, and moving a task to another unit (by the leader, or asked by the
assignee)."""

import datetime
import re

import pytest
from playwright.sync_api import expect

from tasks.choices import ExtensionStatus, TransferKind, TransferStatus

from .conftest import open_action

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]


def dmy(day: datetime.date) -> str:
    return day.strftime("%d/%m/%Y")


def test_extension_asked_by_staff_and_approved_by_the_leader(
    signed_in, make_task, people
):
    # given a task due in 20 days
    task = make_task()
    original = task.deadline
    wanted = original + datetime.timedelta(days=15)

    # when the assignee asks for 15 more days
    staff = signed_in("canbo_vp")
    staff.goto(f"/tasks/{task.pk}/")
    open_action(staff, "Đề nghị gia hạn")
    staff.get_by_label("Hạn đề nghị").fill(wanted.isoformat())
    staff.get_by_label("Lý do gia hạn").fill("Chờ ý kiến thẩm định của Sở Tư pháp")
    staff.get_by_role("button", name="Gửi đề nghị gia hạn").click()
    expect(staff.locator(".messages")).to_contain_text(
        f"Đã gửi đề nghị gia hạn đến {dmy(wanted)}"
    )
    expect(staff.locator("section.task-actions")).to_contain_text(
        f"Đang chờ quyết định: Nguyễn Cán Bộ đề nghị gia hạn đến {dmy(wanted)}."
    )

    # and the leader approves it
    leader = signed_in("lanhdao_vp")
    leader.goto(f"/tasks/{task.pk}/")
    open_action(leader, "Chấp thuận gia hạn")
    panel = leader.locator("#action-panel")
    expect(panel).to_contain_text(f"từ {dmy(original)} đến {dmy(wanted)}")
    expect(panel).to_contain_text("Chờ ý kiến thẩm định của Sở Tư pháp")
    leader.get_by_label("Ý kiến").fill("Đồng ý")
    leader.get_by_role("button", name="Chấp thuận gia hạn").click()

    # then the task page shows the original and the new deadline
    expect(leader.locator(".messages")).to_contain_text(
        f"Đã chấp thuận gia hạn; hạn mới là {dmy(wanted)}."
    )
    deadlines = leader.locator("section.deadlines")
    expect(deadlines.locator("dt:has-text('Hạn ban đầu') + dd")).to_have_text(
        dmy(original)
    )
    expect(deadlines.locator("dt:has-text('Hạn đang áp dụng') + dd")).to_have_text(
        dmy(wanted)
    )
    expect(deadlines.locator(".timeline li")).to_contain_text(
        f"{dmy(original)} → {dmy(wanted)}"
    )
    expect(deadlines.locator(".timeline li")).to_contain_text("Đã chấp thuận")
    expect(leader.locator("header.task-head")).to_contain_text(dmy(wanted))

    task.refresh_from_db()
    assert (task.original_deadline, task.deadline) == (original, wanted)
    extension = task.extensions.get()
    assert extension.status == ExtensionStatus.APPROVED
    assert extension.decided_by == people.lanhdao_vp


def test_leader_transfers_the_task_to_another_unit_and_person(
    signed_in, make_task, tree, people
):
    # given an office task, and the district leader over the office and Cổ Loa
    task = make_task()
    leader = signed_in("bithu_da")
    leader.goto(f"/tasks/{task.pk}/")

    # when the leader moves it to Cổ Loa, to Vũ Cổ Loa
    open_action(leader, "Chuyển đơn vị khác")
    leader.get_by_label("Đơn vị và người thực hiện mới").select_option(
        label="UBND xã Cổ Loa — Vũ Cổ Loa"
    )
    leader.get_by_label("Lý do chuyển giao").fill("Việc thuộc địa bàn xã")
    leader.get_by_role("button", name="Chuyển nhiệm vụ").click()

    # then the transfers section shows the hop
    expect(leader.locator(".messages")).to_contain_text(
        "Đã chuyển nhiệm vụ đến UBND xã Cổ Loa — Vũ Cổ Loa."
    )
    hop = leader.locator("section.transfers .timeline li")
    expect(hop).to_have_count(1)
    expect(hop).to_contain_text("Chuyển đơn vị")
    expect(hop).to_contain_text("Đã chuyển")
    expect(hop).to_contain_text(
        "Văn phòng Huyện ủy Đông Anh (Nguyễn Cán Bộ) → UBND xã Cổ Loa (Vũ Cổ Loa)"
    )
    expect(hop).to_contain_text("Việc thuộc địa bàn xã")
    five = leader.locator("section.five-clear")
    expect(five.locator("dt:has-text('Đơn vị chủ trì') + dd")).to_have_text(
        "UBND xã Cổ Loa"
    )

    task.refresh_from_db()
    assert (task.lead_unit, task.assignee) == (tree.co_loa, people.canbo_cl)
    transfer = task.transfers.get()
    assert (transfer.kind, transfer.status) == (
        TransferKind.TRANSFER,
        TransferStatus.DONE,
    )
    assert (transfer.from_unit, transfer.to_unit) == (tree.vp, tree.co_loa)


def test_transfer_asked_by_staff_and_approved_by_the_leader(
    signed_in, make_task, tree, people
):
    task = make_task()

    # when the assignee asks to move the task to Cổ Loa
    staff = signed_in("canbo_vp")
    staff.goto(f"/tasks/{task.pk}/")
    open_action(staff, "Đề nghị chuyển đơn vị khác")
    staff.get_by_label("Đơn vị đề nghị chuyển đến").select_option(str(tree.co_loa.pk))
    staff.get_by_label(re.compile(r"^Lý do")).fill("Xã quản lý hồ sơ đất đai")
    staff.get_by_role("button", name="Gửi đề nghị chuyển").click()
    expect(staff.locator("section.transfers .timeline li")).to_contain_text(
        "Chờ quyết định"
    )

    # and the district leader approves, choosing the person there
    leader = signed_in("bithu_da")
    leader.goto(f"/tasks/{task.pk}/")
    expect(leader.locator("section.task-actions")).to_contain_text(
        "Nguyễn Cán Bộ đề nghị chuyển nhiệm vụ sang UBND xã Cổ Loa."
    )
    open_action(leader, "Chấp thuận chuyển giao")
    leader.get_by_label("Người thực hiện ở đơn vị nhận").select_option(
        str(people.canbo_cl.pk)
    )
    leader.get_by_role("button", name="Chấp thuận chuyển giao").click()

    # then the hop is done, with who asked and who decided
    expect(leader.locator(".messages")).to_contain_text(
        "Đã chấp thuận; nhiệm vụ chuyển đến UBND xã Cổ Loa — Vũ Cổ Loa."
    )
    hop = leader.locator("section.transfers .timeline li")
    expect(hop).to_have_count(1)
    expect(hop).to_contain_text("Đã chuyển")
    expect(hop).to_contain_text("→ UBND xã Cổ Loa (Vũ Cổ Loa)")
    expect(hop).to_contain_text("Đề nghị: Nguyễn Cán Bộ")
    expect(hop).to_contain_text("Quyết định: Lê Bí Thư")

    task.refresh_from_db()
    assert (task.lead_unit, task.assignee) == (tree.co_loa, people.canbo_cl)
    transfer = task.transfers.get()
    assert transfer.status == TransferStatus.DONE
    assert (transfer.requested_by, transfer.decided_by) == (
        people.canbo_vp,
        people.bithu_da,
    )
