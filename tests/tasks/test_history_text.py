"""The change history of a task, told in plain Vietnamese."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tasks import services
from tasks.history import describe_history
from tasks.models import Task


@pytest.fixture
def task(make_task, people):
    return make_task(
        accountable_leader=people.bithu_da,
        start_date=datetime.date(2026, 12, 1),
        deadline=datetime.date(2026, 12, 10),
    )


def test_approved_extension_reads_as_old_deadline_to_new_with_who_and_why(task, people):
    # given an extension the leader approved
    ext = services.extension_request(
        actor=people.canbo_vp,
        task=task,
        new_deadline=datetime.date(2026, 12, 20),
        reason="Chờ ý kiến các ban",
    )
    services.extension_approve(actor=people.lanhdao_vp, extension=ext)
    # when the history is told
    last = describe_history(task)[-1]
    # then it says who, what from what to what, and why
    assert last.who == "Hoàng Lãnh Đạo"
    assert "Hạn hoàn thành: 10/12/2026 → 20/12/2026" in last.lines
    assert last.reason == "Gia hạn đến 20/12/2026"
    assert "Lý do: Gia hạn đến 20/12/2026" in last.text
    assert last.text.startswith("Hoàng Lãnh Đạo — ")


def test_creation_names_the_assignee_unit_and_deadline(task):
    (created,) = describe_history(task)
    assert created.action == "Tạo nhiệm vụ"
    assert created.who == "Hoàng Lãnh Đạo"
    assert created.lines[:3] == [
        "Người thực hiện: Nguyễn Cán Bộ",
        "Đơn vị chủ trì: Văn phòng Huyện ủy Đông Anh",
        "Hạn hoàn thành: 10/12/2026",
    ]
    assert created.reason == "Giao nhiệm vụ"


def test_status_and_progress_use_labels_and_numbers(task, people):
    services.task_report_progress(actor=people.canbo_vp, task=task, percent=40)
    last = describe_history(task)[-1]
    assert last.who == "Nguyễn Cán Bộ"
    assert "Trạng thái: Mới giao → Đang thực hiện" in last.lines
    assert "Tiến độ (%): 0 → 40" in last.lines
    assert last.reason == "Báo cáo tiến độ 40%"


def test_reassignment_names_both_people_and_the_reason(task, people):
    services.task_reassign(
        actor=people.lanhdao_vp,
        task=task,
        assignee=people.canbo_vp2,
        reason="Nghỉ phép",
    )
    last = describe_history(task)[-1]
    assert "Người thực hiện: Nguyễn Cán Bộ → Đỗ Thị Hoa" in last.lines
    assert last.reason == "Giao lại: Nghỉ phép"


def test_transfer_names_the_units(task, people, tree):
    services.task_transfer(
        actor=people.bithu_da,
        task=task,
        to_unit=tree.co_loa,
        to_assignee=people.canbo_cl,
        reason="Xã nắm địa bàn",
    )
    last = [e for e in describe_history(task) if "Chuyển giao" in e.reason][0]
    assert "Đơn vị chủ trì: Văn phòng Huyện ủy Đông Anh → UBND xã Cổ Loa" in last.lines
    assert "Người thực hiện: Nguyễn Cán Bộ → Vũ Cổ Loa" in last.lines


def test_coordinating_units_long_text_and_flags(task, people, tree):
    services.task_update(
        actor=people.bithu_da,
        task=task,
        coordinating_units=[tree.co_loa],
        description="Nội dung mới " + "rất dài " * 40,
        is_hard=True,
        reason="Bổ sung phối hợp",
    )
    text = "\n".join(e.text for e in describe_history(task))
    assert "Đơn vị phối hợp: (trống) → UBND xã Cổ Loa" in text
    assert "Việc khó: Không → Có" in text
    assert (
        "Nội dung công việc: Sửa đổi quy chế làm việc của cơ quan → Nội dung mới"
        in text
    )
    assert "…" in text  # long text is cut short
    assert "Lý do: Bổ sung phối hợp" in text


def test_done_task_shows_dates_in_day_month_year(task, people):
    services.task_submit(
        actor=people.canbo_vp,
        task=task,
        actual_result="Đã ban hành",
        today=datetime.date(2026, 12, 8),
    )
    last = describe_history(task)[-1]
    assert "Ngày báo cáo hoàn thành: (trống) → 08/12/2026" in last.lines
    assert "Trạng thái: Mới giao → Chờ xác nhận" in last.lines


def test_a_change_without_a_user_is_told_as_the_system(task):
    row = Task.objects.get(pk=task.pk)
    row.progress = 5
    row.version += 1
    row._change_reason = "Nhập từ tệp Excel"
    row.save()
    last = describe_history(task)[-1]
    assert last.who == "Hệ thống"
    assert "Tiến độ (%): 0 → 5" in last.lines


def test_bookkeeping_fields_are_not_shown(task, people):
    services.task_start(actor=people.canbo_vp, task=task)
    text = "\n".join(e.text for e in describe_history(task))
    assert "Phiên bản" not in text
    assert "ngày tạo" not in text.lower()


def test_names_are_resolved_with_one_query_per_model_not_per_row(task, people, tree):
    def count(t):
        with CaptureQueriesContext(connection) as ctx:
            describe_history(t)
        return len(ctx.captured_queries)

    small = count(task)
    for i in range(6):
        there = i % 2 == 0
        services.task_transfer(
            actor=people.bithu_da,
            task=task,
            to_unit=tree.co_loa if there else tree.vp,
            to_assignee=people.canbo_cl if there else people.canbo_vp,
            reason=f"Lần {i}",
        )
    services.task_reassign(
        actor=people.lanhdao_vp, task=task, assignee=people.canbo_vp2, reason="x"
    )
    assert len(describe_history(task)) == 8
    # history rows, coordinating units of the rows, users, units
    assert count(task) == small == 4


def test_coordinating_units_set_at_creation_belong_to_the_creation_entry(
    make_task, tree
):
    task = make_task(coordinating_units=[tree.co_loa])
    (created,) = describe_history(task)
    assert "Đơn vị phối hợp: UBND xã Cổ Loa" in created.lines
