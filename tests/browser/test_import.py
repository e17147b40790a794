"""Bulk assignment from Excel in the browser: download the template, upload
a file with a bad row (its reason shown, nothing saved), fix it, upload
again, confirm."""

import datetime

import openpyxl
import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tasks.models import Task

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]


def fill_workbook(path, headers, rows):
    """A workbook as a leader's Excel saves it: the template's headers on
    the task sheet, one line per task (values by header text)."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Nhiệm vụ"
    ws.append(headers)
    for values in rows:
        ws.append([values.get(header, "") for header in headers])
    wb.save(path)
    return path


def test_leader_imports_tasks_from_excel_after_fixing_a_bad_row(
    signed_in, directive, people, tree, tmp_path
):
    today = timezone.localdate()
    start, due = today, today + datetime.timedelta(days=30)
    leader = signed_in("bithu_da")

    # the leader finds the Excel import from "Giao việc"
    leader.get_by_role("navigation", name="Điều hướng chính").get_by_role(
        "link", name="Giao việc"
    ).click()
    leader.get_by_role("link", name="Giao nhiều nhiệm vụ từ tệp Excel").click()
    expect(leader.get_by_role("heading", level=1)).to_have_text(
        "Giao nhiệm vụ từ tệp Excel"
    )

    # when they download the template
    with leader.expect_download() as info:
        leader.get_by_role("link", name="Tải tệp mẫu (.xlsx)").click()
    template = tmp_path / "mau.xlsx"
    info.value.save_as(template)
    assert info.value.suggested_filename == "mau-giao-nhiem-vu.xlsx"
    book = openpyxl.load_workbook(template)
    assert book.sheetnames[0] == "Nhiệm vụ"
    headers = [c.value for c in book["Nhiệm vụ"][1] if c.value]
    assert "Tên nhiệm vụ" in headers and "Hạn hoàn thành" in headers

    # and upload two tasks, the second due before it starts
    def task_row(title, deadline):
        return {
            "Tên nhiệm vụ": title,
            "Nội dung": "Rà soát, cắt giảm thời gian giải quyết hồ sơ",
            "Văn bản chỉ đạo (số ký hiệu)": directive.number,
            "Đơn vị chủ trì (mã)": tree.vp.code,
            "Người thực hiện (tên đăng nhập)": "canbo_vp",
            "Lãnh đạo chịu trách nhiệm (tên đăng nhập)": "lanhdao_vp",
            "Ngày bắt đầu": start.strftime("%d/%m/%Y"),
            "Hạn hoàn thành": deadline.strftime("%d/%m/%Y"),
            "Kết quả dự kiến": "Báo cáo kết quả rà soát",
        }

    good = task_row("Rà soát thủ tục cấp phép xây dựng", due)
    bad = task_row("Rà soát thủ tục đất đai", start - datetime.timedelta(days=1))
    upload = fill_workbook(tmp_path / "giao-viec.xlsx", headers, [good, bad])
    leader.get_by_label("Tệp Excel (.xlsx)").set_input_files(upload)
    leader.get_by_role("button", name="Kiểm tra tệp").click()

    # then the bad row (Excel line 3) is shown with its reason; nothing saved
    errors = leader.locator("section.import-errors")
    expect(errors).to_contain_text("Tệp chưa nhập được")
    expect(errors).to_contain_text("Có 1 dòng lỗi trên 2 dòng.")
    rows = errors.locator("tbody tr")
    expect(rows).to_have_count(1)
    expect(rows.locator("td").nth(0)).to_have_text("3")
    expect(rows.locator("td").nth(2)).to_contain_text(
        "Hạn hoàn thành không được trước ngày bắt đầu."
    )
    assert not Task.objects.exists()

    # when they fix the row and upload again
    bad["Hạn hoàn thành"] = due.strftime("%d/%m/%Y")
    upload = fill_workbook(tmp_path / "giao-viec.xlsx", headers, [good, bad])
    leader.get_by_label("Tệp Excel (.xlsx)").set_input_files(upload)
    leader.get_by_role("button", name="Kiểm tra tệp").click()

    # then a preview lists both, still unsaved
    preview = leader.locator("section.import-preview")
    expect(preview).to_contain_text("2 nhiệm vụ sẽ được giao")
    expect(preview.locator("tbody tr")).to_have_count(2)
    expect(preview).to_contain_text("Rà soát thủ tục đất đai")
    assert not Task.objects.exists()

    # and confirming creates the tasks
    leader.get_by_role("button", name="Xác nhận giao 2 nhiệm vụ").click()
    expect(leader.locator(".messages")).to_contain_text(
        "Đã giao 2 nhiệm vụ từ tệp “giao-viec.xlsx”."
    )
    expect(leader.locator("#task-list")).to_contain_text("Rà soát thủ tục đất đai")

    created = Task.objects.order_by("title")
    assert [t.title for t in created] == [
        "Rà soát thủ tục cấp phép xây dựng",
        "Rà soát thủ tục đất đai",
    ]
    for task in created:
        assert task.assigned_by == people.bithu_da
        assert (task.lead_unit, task.assignee) == (tree.vp, people.canbo_vp)
        assert (task.start_date, task.deadline) == (start, due)
