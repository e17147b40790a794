"""Every change is kept with who, when and why: each service writes a
history row with the actor and a reason, also outside a web request."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from tasks import services
from tasks.choices import ExtensionStatus, TaskStatus, TransferKind, TransferStatus
from tasks.models import ExtensionRequest, ProgressReport, Task, Transfer

DAY = datetime.timedelta(days=1)


def latest(task):
    return Task.history.filter(id=task.pk).order_by("-history_id").first()


def test_creating_a_task_records_the_assigner(make_task, people):
    task = make_task()
    [row] = Task.history.filter(id=task.pk)
    assert row.history_type == "+"
    assert row.history_user == people.lanhdao_vp
    assert row.history_change_reason == "Giao nhiệm vụ"
    assert (row.status, row.version) == (TaskStatus.ASSIGNED, 1)


def test_coordinating_units_are_in_the_history(make_task, people, tree):
    task = make_task(actor=people.bithu_da, coordinating_units=[tree.co_loa])
    row = latest(task)
    assert row.history_user == people.bithu_da
    assert list(row.coordinating_units.values_list("unit_id", flat=True)) == [
        tree.co_loa.pk
    ]


def test_each_step_of_the_life_is_recorded_with_who_and_why(make_task, people):
    # given a task that goes through its whole life
    task = make_task()
    steps = [
        (
            lambda: services.task_start(actor=people.canbo_vp, task=task),
            people.canbo_vp,
            "Bắt đầu thực hiện",
            TaskStatus.IN_PROGRESS,
        ),
        (
            lambda: services.task_report_progress(
                actor=people.canbo_vp, task=task, percent=40
            ),
            people.canbo_vp,
            "Báo cáo tiến độ 40%",
            TaskStatus.IN_PROGRESS,
        ),
        (
            lambda: services.task_submit(
                actor=people.canbo_vp, task=task, actual_result="Dự thảo quy chế"
            ),
            people.canbo_vp,
            "Báo cáo hoàn thành",
            TaskStatus.SUBMITTED,
        ),
        (
            lambda: services.task_return(
                actor=people.lanhdao_vp, task=task, comment="Thiếu phụ lục biểu mẫu"
            ),
            people.lanhdao_vp,
            "Trả lại: Thiếu phụ lục biểu mẫu",
            TaskStatus.IN_PROGRESS,
        ),
        (
            lambda: services.task_submit(
                actor=people.canbo_vp, task=task, actual_result="Quy chế + phụ lục"
            ),
            people.canbo_vp,
            "Báo cáo hoàn thành",
            TaskStatus.SUBMITTED,
        ),
        (
            lambda: services.task_approve(
                actor=people.lanhdao_vp, task=task, comment="Đạt yêu cầu"
            ),
            people.lanhdao_vp,
            "Đạt yêu cầu",
            TaskStatus.DONE,
        ),
    ]
    for call, actor, reason, status in steps:
        # when each step is taken
        call()
        # then a history row says who took it, why, and the state it left
        row = latest(task)
        assert row.history_user == actor, reason
        assert row.history_change_reason == reason
        assert row.status == status
    assert Task.history.filter(id=task.pk).count() == 1 + len(steps)


def test_cancel_is_recorded_with_its_reason(make_task, people):
    task = make_task()
    services.task_cancel(actor=people.bithu_da, task=task, reason="Trùng nhiệm vụ")
    row = latest(task)
    assert (row.history_user, row.history_change_reason, row.status) == (
        people.bithu_da,
        "Hủy: Trùng nhiệm vụ",
        TaskStatus.CANCELLED,
    )


def test_update_and_reassign_are_recorded(make_task, people):
    task = make_task()
    services.task_update(
        actor=people.lanhdao_vp, task=task, title="Tên mới", reason="Sửa tên cho rõ"
    )
    row = latest(task)
    assert (row.title, row.history_user, row.history_change_reason) == (
        "Tên mới",
        people.lanhdao_vp,
        "Sửa tên cho rõ",
    )
    services.task_reassign(
        actor=people.lanhdao_vp, task=task, assignee=people.canbo_vp2, reason="Nghỉ ốm"
    )
    row = latest(task)
    assert (row.assignee_id, row.history_change_reason) == (
        people.canbo_vp2.pk,
        "Giao lại: Nghỉ ốm",
    )


def test_timeline_entries_record_their_author(make_task, people, workflow):
    # reports are written by services outside any web request: the history
    # must still say who wrote them
    task = make_task()
    services.task_report_progress(actor=people.canbo_vp, task=task, percent=30)
    services.task_submit(actor=people.canbo_vp, task=task, actual_result="Xong")
    services.task_return(actor=people.lanhdao_vp, task=task, comment="Thiếu số liệu")
    workflow.done(task)
    rows = ProgressReport.history.filter(task_id=task.pk).order_by("history_id")
    assert [(r.kind, r.history_user) for r in rows] == [
        ("progress", people.canbo_vp),
        ("submission", people.canbo_vp),
        ("return", people.lanhdao_vp),
        ("submission", people.canbo_vp),
        ("approval", people.lanhdao_vp),
    ]


def test_an_extension_is_recorded_from_request_to_decision(make_task, people):
    # given a task due on 20/12/2026
    task = make_task(deadline=datetime.date(2026, 12, 20))
    # when the assignee asks for 15/01/2027 and the leader approves
    ext = services.extension_request(
        actor=people.canbo_vp,
        task=task,
        new_deadline=datetime.date(2027, 1, 15),
        reason="Chờ số liệu của Sở",
    )
    services.extension_approve(actor=people.lanhdao_vp, extension=ext, note="Đồng ý")
    # then the request's history shows who asked and who decided, with the date
    rows = ExtensionRequest.history.filter(id=ext.pk).order_by("history_id")
    assert [(r.status, r.history_user, r.history_change_reason) for r in rows] == [
        (ExtensionStatus.PENDING, people.canbo_vp, "Đề nghị gia hạn đến 15/01/2027"),
        (
            ExtensionStatus.APPROVED,
            people.lanhdao_vp,
            "Chấp thuận gia hạn đến 15/01/2027",
        ),
    ]
    # and the task's history shows the deadline moving, by whom, and why
    row = latest(task)
    assert (row.history_user, row.history_change_reason) == (
        people.lanhdao_vp,
        "Gia hạn đến 15/01/2027",
    )


def test_the_task_history_shows_the_deadline_change_from_original_to_extended(
    make_task, people
):
    original = datetime.date(2026, 12, 20)
    extended = datetime.date(2027, 1, 15)
    task = make_task(deadline=original)
    ext = services.extension_request(
        actor=people.canbo_vp, task=task, new_deadline=extended, reason="Chờ số liệu"
    )
    before = latest(task)
    services.extension_approve(actor=people.lanhdao_vp, extension=ext)
    after = latest(task)
    delta = after.diff_against(before)
    changes = {c.field: (c.old, c.new) for c in delta.changes}
    assert changes["deadline"] == (original, extended)
    assert "original_deadline" not in changes
    assert after.original_deadline == original
    # the whole record: the original deadline, then the extended one
    deadlines = list(
        Task.history.filter(id=task.pk)
        .order_by("history_id")
        .values_list("deadline", flat=True)
    )
    assert deadlines[0] == original and deadlines[-1] == extended


def test_a_rejected_extension_is_recorded_with_the_note(make_task, people):
    task = make_task()
    ext = services.extension_request(
        actor=people.canbo_vp, task=task, new_deadline=task.deadline + DAY, reason="A"
    )
    services.extension_reject(
        actor=people.lanhdao_vp, extension=ext, note="Đủ thời gian"
    )
    row = ExtensionRequest.history.filter(id=ext.pk).order_by("-history_id").first()
    assert (row.status, row.history_user, row.history_change_reason) == (
        ExtensionStatus.REJECTED,
        people.lanhdao_vp,
        "Không chấp thuận gia hạn: Đủ thời gian",
    )
    # and the task's deadline never moved
    assert set(Task.history.filter(id=task.pk).values_list("deadline", flat=True)) == {
        task.deadline
    }


def test_a_transfer_is_recorded_on_the_task_and_as_a_hop(make_task, people, tree):
    task = make_task()
    hop = services.task_transfer(
        actor=people.bithu_da,
        task=task,
        to_unit=tree.co_loa,
        to_assignee=people.canbo_cl,
        reason="Thuộc thẩm quyền của xã",
    )
    row = latest(task)
    assert (row.lead_unit_id, row.assignee_id) == (tree.co_loa.pk, people.canbo_cl.pk)
    assert (row.history_user, row.history_change_reason) == (
        people.bithu_da,
        "Chuyển giao: Thuộc thẩm quyền của xã",
    )
    [hop_row] = Transfer.history.filter(id=hop.pk)
    assert hop_row.history_user == people.bithu_da
    # the task's history holds where it was before the hop
    first = Task.history.filter(id=task.pk).order_by("history_id").first()
    assert (first.lead_unit_id, first.assignee_id) == (tree.vp.pk, people.canbo_vp.pk)


def test_a_hand_back_is_recorded_from_request_to_decision(make_task, people):
    task = make_task()
    hop = services.transfer_request(
        actor=people.canbo_vp,
        task=task,
        kind=TransferKind.HAND_BACK,
        reason="Không thuộc chức năng",
    )
    services.transfer_approve(actor=people.lanhdao_vp, transfer=hop, note="Đồng ý")
    rows = Transfer.history.filter(id=hop.pk).order_by("history_id")
    assert [(r.status, r.history_user) for r in rows] == [
        (TransferStatus.PENDING, people.canbo_vp),
        (TransferStatus.DONE, people.lanhdao_vp),
    ]
    row = latest(task)
    assert (row.assignee_id, row.history_change_reason) == (
        people.lanhdao_vp.pk,
        "Trả lại người giao: Không thuộc chức năng",
    )


def test_a_rejected_transfer_is_recorded(make_task, people):
    task = make_task()
    hop = services.transfer_request(
        actor=people.canbo_vp, task=task, kind=TransferKind.HAND_BACK, reason="Sai"
    )
    services.transfer_reject(actor=people.lanhdao_vp, transfer=hop, note="Việc của anh")
    row = Transfer.history.filter(id=hop.pk).order_by("-history_id").first()
    assert (row.status, row.history_user, row.history_change_reason) == (
        TransferStatus.REJECTED,
        people.lanhdao_vp,
        "Không chấp thuận chuyển giao: Việc của anh",
    )


def test_cancelling_records_the_requests_it_closes(make_task, people, tree):
    task = make_task()
    ext = services.extension_request(
        actor=people.canbo_vp, task=task, new_deadline=task.deadline + DAY, reason="A"
    )
    hop = services.transfer_request(
        actor=people.canbo_vp, task=task, kind=TransferKind.HAND_BACK, reason="B"
    )
    services.task_cancel(actor=people.lanhdao_vp, task=task, reason="Trùng việc")
    ext_row = ExtensionRequest.history.filter(id=ext.pk).order_by("-history_id")[0]
    hop_row = Transfer.history.filter(id=hop.pk).order_by("-history_id")[0]
    assert (ext_row.status, ext_row.history_user) == (
        ExtensionStatus.WITHDRAWN,
        people.lanhdao_vp,
    )
    assert (hop_row.status, hop_row.history_user) == (
        TransferStatus.REJECTED,
        people.lanhdao_vp,
    )


@pytest.mark.parametrize("length", [100, 400])
def test_a_long_reason_is_kept_within_the_history_column(make_task, people, length):
    task = make_task()
    comment = "Ý kiến " + "x" * length
    services.task_cancel(actor=people.lanhdao_vp, task=task, reason=comment)
    row = latest(task)
    assert row.history_change_reason == ("Hủy: " + comment)[:100]
    assert Task.objects.get(pk=task.pk).status == TaskStatus.CANCELLED


def test_a_refused_change_writes_no_history(make_task, people):
    task = make_task()
    before = Task.history.count()
    with pytest.raises(ValidationError):
        services.task_approve(actor=people.lanhdao_vp, task=task)
    with pytest.raises(services.ConflictError):
        services.task_start(actor=people.canbo_vp, task=task, expected_version=7)
    assert Task.history.count() == before
