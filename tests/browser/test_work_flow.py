"""A task's working life in the browser: progress reports, the submission
with an evidence file, the leader's return and approval."""

import re

import pytest
from playwright.sync_api import expect

from tasks.choices import ReportKind, TaskStatus, Timeliness
from tasks.models import EvidenceFile, Task

from .conftest import open_action

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]

PDF_NAME = "Báo cáo kết quả.pdf"


@pytest.fixture
def pdf(tmp_path):
    path = tmp_path / PDF_NAME
    path.write_bytes(b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n")
    return path


def test_staff_reports_progress_then_submits_with_a_file(
    signed_in, make_task, people, pdf, tmp_path
):
    # given a task assigned to canbo_vp
    task = make_task()
    page = signed_in("canbo_vp")
    page.goto(f"/tasks/{task.pk}/")

    # when they report 40% with a note
    open_action(page, "Báo cáo tiến độ")
    page.get_by_label(re.compile(r"^Tiến độ \(%\)")).fill("40")
    page.get_by_label("Nội dung báo cáo").fill("Đã lấy ý kiến các phòng ban")
    page.get_by_role("button", name="Gửi báo cáo tiến độ").click()

    # then the task page says so and lists the report
    expect(page).to_have_url(f"{page.url.split('/tasks/')[0]}/tasks/{task.pk}/")
    expect(page.locator(".messages")).to_contain_text("Đã gửi báo cáo tiến độ 40%.")
    reports = page.locator("section.reports")
    expect(reports).to_contain_text("Báo cáo tiến độ — 40%")
    expect(reports).to_contain_text("Đã lấy ý kiến các phòng ban")
    expect(page.locator(".progress-value")).to_have_text("40%")

    # when they submit it as done with a PDF named in Vietnamese
    open_action(page, "Báo cáo hoàn thành")
    page.get_by_label("Kết quả thực tế").fill("Quy chế sửa đổi đã ban hành")
    page.get_by_label("Ghi chú").fill("Gửi kèm quyết định ban hành")
    page.get_by_label("Tệp minh chứng").set_input_files(pdf)
    page.get_by_role("button", name="Gửi báo cáo hoàn thành").click()

    # then the timeline shows the submission and the file under its name
    expect(page.locator(".messages")).to_contain_text("chờ lãnh đạo xác nhận")
    expect(page.locator("header.task-head")).to_contain_text("Chờ xác nhận")
    submission = reports.locator("li.report-submission")
    expect(submission).to_contain_text("Gửi kèm quyết định ban hành")
    file_link = submission.get_by_role("link", name=PDF_NAME)
    expect(file_link).to_be_visible()
    expect(reports.locator("li.report-progress")).to_contain_text("40%")

    # and the file downloads under its Vietnamese name, unchanged
    with page.expect_download() as info:
        file_link.click()
    download = info.value
    assert download.suggested_filename == PDF_NAME
    saved = tmp_path / "downloaded.pdf"
    download.save_as(saved)
    assert saved.read_bytes() == pdf.read_bytes()

    task.refresh_from_db()
    assert task.status == TaskStatus.SUBMITTED
    assert task.actual_result == "Quy chế sửa đổi đã ban hành"
    kinds = list(
        task.reports.order_by("created_at", "pk").values_list("kind", "percent")
    )
    assert kinds == [(ReportKind.PROGRESS, 40), (ReportKind.SUBMISSION, 100)]
    evidence = EvidenceFile.objects.get(report__task=task)
    assert evidence.original_name == PDF_NAME
    assert evidence.uploaded_by == people.canbo_vp


def test_leader_returns_staff_resubmits_leader_approves(signed_in, make_task, workflow):
    # given work submitted by canbo_vp
    task = workflow.submit(make_task())
    leader = signed_in("lanhdao_vp")
    leader.goto(f"/tasks/{task.pk}/")

    # when the leader returns it with a comment
    open_action(leader, "Trả lại để làm tiếp")
    leader.get_by_label("Lý do trả lại, việc cần làm tiếp").fill(
        "Bổ sung phụ lục biểu mẫu"
    )
    leader.get_by_role("button", name="Trả lại", exact=True).click()
    expect(leader.locator(".messages")).to_contain_text("Đã trả lại nhiệm vụ")
    expect(leader.locator("header.task-head")).to_contain_text("Đang thực hiện")

    # then the assignee reads the comment, fixes the work and resubmits
    staff = signed_in("canbo_vp")
    staff.goto(f"/tasks/{task.pk}/")
    expect(staff.locator("section.reports li.report-return")).to_contain_text(
        "Bổ sung phụ lục biểu mẫu"
    )
    open_action(staff, "Báo cáo hoàn thành")
    staff.get_by_label("Kết quả thực tế").fill("Quy chế đã ban hành, có phụ lục")
    staff.get_by_role("button", name="Gửi báo cáo hoàn thành").click()
    expect(staff.locator("header.task-head")).to_contain_text("Chờ xác nhận")

    # when the leader approves
    leader.reload()
    open_action(leader, "Xác nhận hoàn thành")
    leader.get_by_label("Ý kiến").fill("Đạt yêu cầu")
    leader.get_by_role("button", name="Xác nhận hoàn thành").click()

    # then the task is done, on time
    expect(leader.locator(".messages")).to_contain_text(
        "Đã xác nhận hoàn thành nhiệm vụ."
    )
    head = leader.locator("header.task-head")
    expect(head.locator(".badge.st-done")).to_have_text("Hoàn thành")
    expect(head).to_contain_text("Hoàn thành đúng hạn")
    expect(leader.locator("section.five-clear")).to_contain_text(
        "Quy chế đã ban hành, có phụ lục"
    )

    task.refresh_from_db()
    assert task.status == TaskStatus.DONE
    assert task.completed_on is not None and task.completed_on <= task.deadline
    annotated = Task.objects.with_timeliness().get(pk=task.pk)
    assert annotated.timeliness == Timeliness.DONE_ON_TIME
    kinds = list(
        task.reports.order_by("created_at", "pk").values_list("kind", flat=True)
    )
    assert kinds == [
        ReportKind.SUBMISSION,
        ReportKind.RETURN,
        ReportKind.SUBMISSION,
        ReportKind.APPROVAL,
    ]
