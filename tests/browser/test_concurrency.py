"""Two browsers on one task's form: the second to send sees the conflict,
keeps what they typed, and can send it again; nothing is lost."""

import re

import pytest
from playwright.sync_api import expect

from tasks.choices import ReportKind

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]

PERCENT = re.compile(r"^Tiến độ \(%\)")


def test_second_report_on_a_stale_form_gets_the_conflict_and_keeps_the_text(
    signed_in, make_task
):
    # given the assignee has the progress form open on two devices
    task = make_task()
    first = signed_in("canbo_vp")
    second = signed_in("canbo_vp", viewport={"width": 390, "height": 844})
    for page in (first, second):
        page.goto(f"/tasks/{task.pk}/report/")
        expect(page.get_by_role("heading", level=2)).to_have_text("Báo cáo tiến độ")

    # when the first sends 30%
    first.get_by_label(PERCENT).fill("30")
    first.get_by_label("Nội dung báo cáo").fill("Báo cáo từ máy tính")
    first.get_by_role("button", name="Gửi báo cáo tiến độ").click()
    expect(first.locator(".messages")).to_contain_text("Đã gửi báo cáo tiến độ 30%.")

    # and the second, still on the old version, sends 50%
    second.get_by_label(PERCENT).fill("50")
    second.get_by_label("Nội dung báo cáo").fill("Báo cáo từ điện thoại")
    second.get_by_role("button", name="Gửi báo cáo tiến độ").click()

    # then the second sees the conflict and the latest state, its text kept
    conflict = second.locator(".alert-conflict")
    expect(conflict).to_contain_text("Nhiệm vụ vừa được người khác cập nhật.")
    expect(conflict).to_contain_text("tiến độ 30%")
    expect(second.get_by_label(PERCENT)).to_have_value("50")
    expect(second.get_by_label("Nội dung báo cáo")).to_have_value(
        "Báo cáo từ điện thoại"
    )
    assert task.reports.count() == 1

    # when they send it again, on the latest version
    second.get_by_role("button", name="Gửi báo cáo tiến độ").click()

    # then both reports are kept
    expect(second.locator(".messages")).to_contain_text("Đã gửi báo cáo tiến độ 50%.")
    timeline = second.locator("section.reports li.report-progress")
    expect(timeline).to_have_count(2)
    expect(timeline.nth(0)).to_contain_text("Báo cáo từ điện thoại")
    expect(timeline.nth(1)).to_contain_text("Báo cáo từ máy tính")

    task.refresh_from_db()
    assert task.progress == 50
    assert list(
        task.reports.order_by("created_at", "pk").values_list("kind", "percent", "note")
    ) == [
        (ReportKind.PROGRESS, 30, "Báo cáo từ máy tính"),
        (ReportKind.PROGRESS, 50, "Báo cáo từ điện thoại"),
    ]
