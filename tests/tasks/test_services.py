"""The task's life through the services: every allowed change of state,
every refused one (state unchanged), optimistic concurrency, transfers."""

import datetime
import threading
import time

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import DatabaseError, connection, connections, transaction

from tasks import services
from tasks.choices import (
    ExtensionStatus,
    ReportKind,
    TaskStatus,
    TransferKind,
    TransferStatus,
)
from tasks.models import ExtensionRequest, ProgressReport, Task, Transfer
from tests.factories import UserFactory, add_member
from units.choices import Role
from units.models import Unit

DAY = datetime.timedelta(days=1)
REFUSED = (ValidationError, PermissionDenied)


def snapshot(task):
    """What a user would notice of a task: its row, its history, its
    timeline."""
    task = Task.objects.get(pk=task.pk)
    return (
        task.status,
        task.progress,
        task.version,
        task.lead_unit_id,
        task.assignee_id,
        task.deadline,
        task.history.count(),
        task.reports.count(),
    )


@pytest.fixture
def in_state(make_task, people, workflow):
    """A task of the office brought to the given state by its people."""

    def _make(state):
        task = make_task()
        if state == TaskStatus.IN_PROGRESS:
            services.task_start(actor=people.canbo_vp, task=task)
        elif state == TaskStatus.SUBMITTED:
            workflow.submit(task)
        elif state == TaskStatus.DONE:
            workflow.done(task)
        elif state == TaskStatus.CANCELLED:
            services.task_cancel(actor=people.lanhdao_vp, task=task, reason="Thôi")
        return Task.objects.get(pk=task.pk)

    return _make


# --- allowed changes ---------------------------------------------------------


def test_the_assignee_starts_an_assigned_task(in_state, people):
    task = in_state(TaskStatus.ASSIGNED)
    task = services.task_start(actor=people.canbo_vp, task=task)
    assert Task.objects.get(pk=task.pk).status == TaskStatus.IN_PROGRESS


def test_a_first_progress_report_starts_the_task(in_state, people):
    task = in_state(TaskStatus.ASSIGNED)
    report = services.task_report_progress(
        actor=people.canbo_vp, task=task, percent=40, note="Đã rà soát 2/5 hồ sơ"
    )
    task.refresh_from_db()
    assert (task.status, task.progress) == (TaskStatus.IN_PROGRESS, 40)
    assert (report.kind, report.percent, report.author) == (
        ReportKind.PROGRESS,
        40,
        people.canbo_vp,
    )


def test_reporting_100_percent_points_to_the_completion_report(in_state, people):
    task = in_state(TaskStatus.IN_PROGRESS)
    with pytest.raises(ValidationError) as refused:
        services.task_report_progress(actor=people.canbo_vp, task=task, percent=100)
    assert "Báo cáo hoàn thành" in refused.value.message_dict["percent"][0]


@pytest.mark.parametrize("state", [TaskStatus.ASSIGNED, TaskStatus.IN_PROGRESS])
def test_the_assignee_submits_open_work(in_state, people, today, state):
    task = in_state(state)
    services.task_submit(actor=people.canbo_vp, task=task, actual_result="Xong")
    task.refresh_from_db()
    assert task.status == TaskStatus.SUBMITTED
    assert (task.progress, task.submitted_on, task.actual_result) == (
        100,
        today,
        "Xong",
    )


def test_a_leader_approves_submitted_work(in_state, people):
    task = in_state(TaskStatus.SUBMITTED)
    services.task_approve(actor=people.lanhdao_vp, task=task, comment="Đạt")
    task.refresh_from_db()
    assert task.status == TaskStatus.DONE
    assert task.completed_on == task.submitted_on
    assert task.completed_at is not None
    assert task.reports.filter(kind=ReportKind.APPROVAL, note="Đạt").exists()


def test_a_leader_above_the_unit_approves_too(in_state, people):
    task = in_state(TaskStatus.SUBMITTED)
    services.task_approve(actor=people.bithu_da, task=task)
    assert Task.objects.get(pk=task.pk).status == TaskStatus.DONE


def test_a_leader_returns_submitted_work_with_a_comment(in_state, people):
    task = in_state(TaskStatus.SUBMITTED)
    services.task_return(actor=people.lanhdao_vp, task=task, comment="Thiếu số liệu")
    task.refresh_from_db()
    assert task.status == TaskStatus.IN_PROGRESS
    assert task.submitted_on is None
    assert task.progress == 90
    assert task.reports.filter(kind=ReportKind.RETURN, note="Thiếu số liệu").exists()


def test_returned_work_can_be_submitted_again_and_approved(in_state, people, workflow):
    task = in_state(TaskStatus.SUBMITTED)
    services.task_return(actor=people.lanhdao_vp, task=task, comment="Bổ sung")
    workflow.done(task)
    assert Task.objects.get(pk=task.pk).status == TaskStatus.DONE


@pytest.mark.parametrize(
    "state", [TaskStatus.ASSIGNED, TaskStatus.IN_PROGRESS, TaskStatus.SUBMITTED]
)
@pytest.mark.parametrize("who", ["lanhdao_vp", "bithu_da", "admin"])
def test_the_assigner_or_a_leader_above_cancels_open_work(in_state, people, state, who):
    task = in_state(state)
    services.task_cancel(actor=getattr(people, who), task=task, reason="Trùng việc")
    assert Task.objects.get(pk=task.pk).status == TaskStatus.CANCELLED


def test_cancel_withdraws_pending_requests(in_state, people, tree):
    task = in_state(TaskStatus.IN_PROGRESS)
    ext = services.extension_request(
        actor=people.canbo_vp, task=task, new_deadline=task.deadline + DAY, reason="A"
    )
    hop = services.transfer_request(
        actor=people.canbo_vp,
        task=task,
        kind=TransferKind.TRANSFER,
        to_unit=tree.co_loa,
        reason="Việc của xã",
    )
    services.task_cancel(actor=people.lanhdao_vp, task=task, reason="Trùng việc")
    ext.refresh_from_db()
    hop.refresh_from_db()
    assert ext.status == ExtensionStatus.WITHDRAWN
    assert hop.status == TransferStatus.REJECTED
    assert (ext.decided_by, hop.decided_by) == (people.lanhdao_vp, people.lanhdao_vp)


# --- refused changes ---------------------------------------------------------


def _attempts(people, tree):
    """Every action, as the person who could do it on an open task."""
    return {
        "start": lambda t: services.task_start(actor=people.canbo_vp, task=t),
        "report": lambda t: services.task_report_progress(
            actor=people.canbo_vp, task=t, percent=50
        ),
        "submit": lambda t: services.task_submit(
            actor=people.canbo_vp, task=t, actual_result="Xong"
        ),
        "approve": lambda t: services.task_approve(actor=people.lanhdao_vp, task=t),
        "return": lambda t: services.task_return(
            actor=people.lanhdao_vp, task=t, comment="Làm lại"
        ),
        "cancel": lambda t: services.task_cancel(
            actor=people.lanhdao_vp, task=t, reason="Thôi"
        ),
        "reassign": lambda t: services.task_reassign(
            actor=people.lanhdao_vp, task=t, assignee=people.canbo_vp2, reason="Bận"
        ),
        "transfer": lambda t: services.task_transfer(
            actor=people.bithu_da,
            task=t,
            to_unit=tree.co_loa,
            to_assignee=people.canbo_cl,
            accountable_leader=people.bithu_da,
            reason="Việc của xã",
        ),
        "hand_back": lambda t: services.transfer_request(
            actor=people.canbo_vp, task=t, kind=TransferKind.HAND_BACK, reason="Sai"
        ),
        "extension": lambda t: services.extension_request(
            actor=people.canbo_vp, task=t, new_deadline=t.deadline + DAY, reason="Chờ"
        ),
        "update": lambda t: services.task_update(
            actor=people.lanhdao_vp, task=t, title="Tên mới"
        ),
    }


@pytest.mark.parametrize("state", [TaskStatus.DONE, TaskStatus.CANCELLED])
@pytest.mark.parametrize(
    "action",
    [
        "start",
        "report",
        "submit",
        "approve",
        "return",
        "cancel",
        "reassign",
        "transfer",
        "hand_back",
        "extension",
        "update",
    ],
)
def test_closed_work_cannot_change(in_state, people, tree, state, action):
    # given a task that is done or cancelled
    task = in_state(state)
    before = snapshot(task)
    # when anyone tries to move it
    with pytest.raises(REFUSED) as refused:
        _attempts(people, tree)[action](task)
    # then they are told why, and nothing changes
    assert str(refused.value)
    assert snapshot(task) == before
    assert not ExtensionRequest.objects.exists() and not Transfer.objects.exists()


@pytest.mark.parametrize("state", [TaskStatus.DONE, TaskStatus.CANCELLED])
@pytest.mark.parametrize("action", ["start", "submit", "approve", "cancel"])
def test_closed_work_is_refused_with_the_state_not_with_no_permission(
    in_state, people, tree, state, action
):
    task = in_state(state)
    with pytest.raises(ValidationError) as refused:
        _attempts(people, tree)[action](task)
    assert refused.value.messages[0].startswith(
        f"Không thể chuyển nhiệm vụ từ “{TaskStatus(state).label}”"
    )


@pytest.mark.parametrize("state", [TaskStatus.ASSIGNED, TaskStatus.IN_PROGRESS])
@pytest.mark.parametrize("action", ["approve", "return"])
def test_work_not_submitted_cannot_be_approved_or_returned(
    in_state, people, tree, state, action
):
    task = in_state(state)
    before = snapshot(task)
    with pytest.raises(ValidationError) as refused:
        _attempts(people, tree)[action](task)
    assert refused.value.messages[0]
    assert snapshot(task) == before


def test_submitted_work_cannot_be_submitted_again(in_state, people):
    task = in_state(TaskStatus.SUBMITTED)
    before = snapshot(task)
    with pytest.raises(ValidationError):
        services.task_submit(actor=people.canbo_vp, task=task, actual_result="Lần 2")
    assert snapshot(task) == before


def test_submitted_work_takes_no_more_progress_reports(in_state, people):
    task = in_state(TaskStatus.SUBMITTED)
    before = snapshot(task)
    with pytest.raises(REFUSED):
        services.task_report_progress(actor=people.canbo_vp, task=task, percent=50)
    assert snapshot(task) == before


@pytest.mark.parametrize("comment", ["", "   "])
def test_returning_without_a_comment_is_refused(in_state, people, comment):
    task = in_state(TaskStatus.SUBMITTED)
    before = snapshot(task)
    with pytest.raises(ValidationError) as refused:
        services.task_return(actor=people.lanhdao_vp, task=task, comment=comment)
    assert refused.value.message_dict["comment"] == ["Cần nêu lý do trả lại."]
    assert snapshot(task) == before


def test_cancelling_without_a_reason_is_refused(in_state, people):
    task = in_state(TaskStatus.IN_PROGRESS)
    before = snapshot(task)
    with pytest.raises(ValidationError):
        services.task_cancel(actor=people.lanhdao_vp, task=task, reason=" ")
    assert snapshot(task) == before


@pytest.mark.parametrize("action", ["approve", "return"])
def test_staff_cannot_approve_or_return_their_own_work(in_state, people, action):
    task = in_state(TaskStatus.SUBMITTED)
    before = snapshot(task)
    with pytest.raises(PermissionDenied) as refused:
        if action == "approve":
            services.task_approve(actor=people.canbo_vp, task=task)
        else:
            services.task_return(actor=people.canbo_vp, task=task, comment="Tự trả")
    assert "không có quyền" in str(refused.value)
    assert snapshot(task) == before


def test_a_leader_who_did_the_work_cannot_approve_it_a_leader_above_can(
    make_task, people, tree
):
    # given the office's leader assigned the task to themself and submitted it
    task = make_task(assignee=people.lanhdao_vp)
    services.task_submit(actor=people.lanhdao_vp, task=task, actual_result="Xong")
    before = snapshot(task)
    # when they approve their own work, they are refused
    with pytest.raises(PermissionDenied):
        services.task_approve(actor=people.lanhdao_vp, task=task)
    assert snapshot(task) == before
    # and the district's leader approves it
    services.task_approve(actor=people.bithu_da, task=task)
    assert Task.objects.get(pk=task.pk).status == TaskStatus.DONE


def test_a_leader_cannot_approve_their_own_extension_request(make_task, people):
    task = make_task(assignee=people.lanhdao_vp)
    ext = services.extension_request(
        actor=people.lanhdao_vp, task=task, new_deadline=task.deadline + DAY, reason="A"
    )
    with pytest.raises(PermissionDenied):
        services.extension_approve(actor=people.lanhdao_vp, extension=ext)
    assert Task.objects.get(pk=task.pk).deadline == task.deadline
    services.extension_approve(actor=people.bithu_da, extension=ext)
    assert Task.objects.get(pk=task.pk).deadline == task.deadline + DAY


@pytest.mark.parametrize("who", ["thuongtruc", "vanphong_da"])
@pytest.mark.parametrize(
    "state", [TaskStatus.ASSIGNED, TaskStatus.IN_PROGRESS, TaskStatus.SUBMITTED]
)
def test_a_reviewer_can_change_nothing(in_state, people, tree, who, state):
    task = in_state(state)
    reviewer = getattr(people, who)
    before = snapshot(task)
    attempts = [
        lambda: services.task_start(actor=reviewer, task=task),
        lambda: services.task_report_progress(actor=reviewer, task=task, percent=10),
        lambda: services.task_submit(actor=reviewer, task=task, actual_result="X"),
        lambda: services.task_approve(actor=reviewer, task=task),
        lambda: services.task_return(actor=reviewer, task=task, comment="Y"),
        lambda: services.task_cancel(actor=reviewer, task=task, reason="Z"),
        lambda: services.task_update(actor=reviewer, task=task, title="Mới"),
        lambda: services.task_reassign(
            actor=reviewer, task=task, assignee=people.canbo_vp2, reason="R"
        ),
        lambda: services.task_transfer(
            actor=reviewer,
            task=task,
            to_unit=tree.co_loa,
            to_assignee=people.canbo_cl,
            reason="R",
        ),
        lambda: services.extension_request(
            actor=reviewer, task=task, new_deadline=task.deadline + DAY, reason="R"
        ),
        lambda: services.transfer_request(
            actor=reviewer, task=task, kind=TransferKind.HAND_BACK, reason="R"
        ),
    ]
    for attempt in attempts:
        with pytest.raises(REFUSED) as refused:
            attempt()
        assert str(refused.value)
    assert snapshot(task) == before
    assert not ExtensionRequest.objects.exists() and not Transfer.objects.exists()


@pytest.mark.parametrize("who", ["thuongtruc", "vanphong_da"])
def test_a_reviewer_cannot_decide_requests(make_task, people, who):
    task = make_task()
    ext = services.extension_request(
        actor=people.canbo_vp, task=task, new_deadline=task.deadline + DAY, reason="A"
    )
    hop = services.transfer_request(
        actor=people.canbo_vp, task=task, kind=TransferKind.HAND_BACK, reason="B"
    )
    reviewer = getattr(people, who)
    for attempt in (
        lambda: services.extension_approve(actor=reviewer, extension=ext),
        lambda: services.extension_reject(actor=reviewer, extension=ext, note="N"),
        lambda: services.transfer_approve(actor=reviewer, transfer=hop),
        lambda: services.transfer_reject(actor=reviewer, transfer=hop, note="N"),
    ):
        with pytest.raises(PermissionDenied):
            attempt()
    ext.refresh_from_db()
    hop.refresh_from_db()
    assert (ext.status, hop.status) == (ExtensionStatus.PENDING, TransferStatus.PENDING)


@pytest.mark.parametrize("who", ["canbo_cl", "canbo_th", "canbo_vp2"])
def test_staff_who_are_not_the_assignee_cannot_work_on_the_task(in_state, people, who):
    # given an office task assigned to canbo_vp
    task = in_state(TaskStatus.IN_PROGRESS)
    other = getattr(people, who)
    before = snapshot(task)
    # when staff of another unit (or a colleague) report, submit or start it
    for attempt in (
        lambda: services.task_report_progress(actor=other, task=task, percent=60),
        lambda: services.task_submit(actor=other, task=task, actual_result="Xong"),
        lambda: services.extension_request(
            actor=other, task=task, new_deadline=task.deadline + DAY, reason="R"
        ),
    ):
        with pytest.raises(PermissionDenied) as refused:
            attempt()
        assert str(refused.value)
    # then nothing changes
    assert snapshot(task) == before


def test_a_leader_of_another_district_cannot_manage_the_task(in_state, people):
    task = in_state(TaskStatus.SUBMITTED)
    before = snapshot(task)
    for attempt in (
        lambda: services.task_approve(actor=people.bithu_th, task=task),
        lambda: services.task_return(actor=people.bithu_th, task=task, comment="C"),
        lambda: services.task_cancel(actor=people.bithu_th, task=task, reason="R"),
    ):
        with pytest.raises(PermissionDenied):
            attempt()
    assert snapshot(task) == before


# --- optimistic concurrency --------------------------------------------------


def test_version_increments_on_every_write(make_task, people, tree):
    task = make_task()
    versions = [Task.objects.get(pk=task.pk).version]

    def step(call):
        call()
        versions.append(Task.objects.get(pk=task.pk).version)

    step(lambda: services.task_start(actor=people.canbo_vp, task=task))
    step(
        lambda: services.task_report_progress(
            actor=people.canbo_vp, task=task, percent=30
        )
    )
    step(
        lambda: services.task_update(
            actor=people.lanhdao_vp, task=task, title="Tên mới"
        )
    )
    step(
        lambda: services.task_reassign(
            actor=people.lanhdao_vp, task=task, assignee=people.canbo_vp2, reason="Bận"
        )
    )
    ext = services.extension_request(
        actor=people.canbo_vp2, task=task, new_deadline=task.deadline + DAY, reason="A"
    )
    step(lambda: services.extension_approve(actor=people.lanhdao_vp, extension=ext))
    step(
        lambda: services.task_submit(
            actor=people.canbo_vp2, task=task, actual_result="X"
        )
    )
    step(lambda: services.task_return(actor=people.lanhdao_vp, task=task, comment="C"))
    step(
        lambda: services.task_transfer(
            actor=people.bithu_da,
            task=task,
            to_unit=tree.co_loa,
            to_assignee=people.canbo_cl,
            accountable_leader=people.bithu_da,
            reason="Việc của xã",
        )
    )
    step(lambda: services.task_cancel(actor=people.bithu_da, task=task, reason="Thôi"))
    assert versions == list(range(1, 11))


@pytest.mark.parametrize(
    "call",
    [
        lambda t, p: services.task_start(actor=p.canbo_vp, task=t, expected_version=1),
        lambda t, p: services.task_report_progress(
            actor=p.canbo_vp, task=t, percent=70, expected_version=1
        ),
        lambda t, p: services.task_update(
            actor=p.lanhdao_vp, task=t, title="Tên mới", expected_version=1
        ),
        lambda t, p: services.task_cancel(
            actor=p.lanhdao_vp, task=t, reason="Thôi", expected_version=1
        ),
        lambda t, p: services.task_reassign(
            actor=p.lanhdao_vp,
            task=t,
            assignee=p.canbo_vp2,
            reason="R",
            expected_version=1,
        ),
        lambda t, p: services.task_submit(
            actor=p.canbo_vp, task=t, actual_result="X", expected_version=1
        ),
    ],
    ids=["start", "report", "update", "cancel", "reassign", "submit"],
)
def test_a_stale_version_is_a_conflict_and_saves_nothing(make_task, people, call):
    # given two people opened the task at version 1, and one saved a report
    task = make_task()
    services.task_report_progress(
        actor=people.canbo_vp, task=task, percent=20, expected_version=1
    )
    before = snapshot(task)
    # when the other saves with the version they opened
    with pytest.raises(services.ConflictError) as conflict:
        call(task, people)
    # then nothing of theirs is saved, and they are told what happened
    assert snapshot(task) == before
    assert conflict.value.task.version == 2
    assert "vừa được người khác cập nhật" in str(conflict.value)


def test_a_stale_approval_is_a_conflict(in_state, people):
    task = in_state(TaskStatus.SUBMITTED)
    stale = task.version
    services.task_return(actor=people.bithu_da, task=task, comment="Bổ sung")
    services.task_submit(actor=people.canbo_vp, task=task, actual_result="Đã bổ sung")
    before = snapshot(task)
    with pytest.raises(services.ConflictError):
        services.task_approve(
            actor=people.lanhdao_vp, task=task, expected_version=stale
        )
    assert snapshot(task) == before


def test_the_current_version_is_accepted(make_task, people):
    task = make_task()
    services.task_start(actor=people.canbo_vp, task=task, expected_version=1)
    services.task_report_progress(
        actor=people.canbo_vp, task=task, percent=20, expected_version=2
    )
    assert Task.objects.get(pk=task.pk).version == 3


# --- real concurrency, separate connections ----------------------------------


def _wait_until_blocked(timeout=10.0):
    """Until another session of this database waits on a row lock."""
    deadline = time.monotonic() + timeout
    with connection.cursor() as cursor:
        while time.monotonic() < deadline:
            cursor.execute(
                "SELECT count(*) FROM pg_stat_activity "
                "WHERE datname = current_database() AND wait_event_type = 'Lock'"
            )
            if cursor.fetchone()[0]:
                return
            time.sleep(0.05)
    raise AssertionError("no session ever waited on a lock")


class _Thread(threading.Thread):
    """Runs ``target`` on its own database connection; keeps its outcome."""

    def __init__(self, target):
        super().__init__(daemon=True)
        self.target, self.result, self.error = target, None, None

    def run(self):
        try:
            self.result = self.target()
        except Exception as exc:  # noqa: BLE001 - reported to the test
            self.error = exc
        finally:
            connections.close_all()


@pytest.mark.django_db(transaction=True)
def test_two_people_saving_the_same_version_at_once_one_wins(make_task, people):
    # given a task that two people opened at version 1
    task = make_task()
    holding, release = threading.Event(), threading.Event()

    def first():
        with transaction.atomic():
            services.task_report_progress(
                actor=people.canbo_vp, task=task, percent=30, expected_version=1
            )
            holding.set()
            release.wait(10)

    def second():
        return services.task_report_progress(
            actor=people.canbo_vp, task=task, percent=60, expected_version=1
        )

    a = _Thread(first)
    a.start()
    assert holding.wait(10)
    # when the second saves while the first's transaction is still open
    b = _Thread(second)
    b.start()
    _wait_until_blocked()
    release.set()
    a.join(10)
    b.join(10)
    # then the first wins, the second gets a conflict, and only one report exists
    assert a.error is None
    assert isinstance(b.error, services.ConflictError)
    task.refresh_from_db()
    assert (task.progress, task.version) == (30, 2)
    assert ProgressReport.objects.filter(task=task).count() == 1


@pytest.mark.django_db(transaction=True)
def test_a_service_locks_the_task_row_but_not_its_unit(make_task, tree):
    # given a service holding the task's row lock in an open transaction
    task = make_task()
    holding, release = threading.Event(), threading.Event()

    def hold():
        with transaction.atomic():
            services._lock(task, None)
            holding.set()
            release.wait(10)

    a = _Thread(hold)
    a.start()
    assert holding.wait(10)
    try:
        # then the lead unit's row is free (other tasks of the unit, an admin
        # renaming the unit, are not made to wait) ...
        with transaction.atomic():
            unit = Unit.objects.select_for_update(nowait=True).get(pk=tree.vp.pk)
        assert unit == tree.vp
        # ... while the task's own row is taken
        with pytest.raises(DatabaseError), transaction.atomic():
            Task.objects.select_for_update(nowait=True).get(pk=task.pk)
    finally:
        release.set()
        a.join(10)
    assert a.error is None


@pytest.mark.django_db(transaction=True)
def test_deciding_a_transfer_waits_for_the_task_before_taking_the_request(
    make_task, people
):
    # given a pending hand-back, and a service holding the task's row lock
    # (as task_cancel does, before it closes the pending requests)
    task = make_task()
    hop = services.transfer_request(
        actor=people.canbo_vp, task=task, kind=TransferKind.HAND_BACK, reason="Sai"
    )
    holding, release = threading.Event(), threading.Event()

    def hold():
        with transaction.atomic():
            services._lock(task, None)
            holding.set()
            release.wait(10)

    a = _Thread(hold)
    a.start()
    assert holding.wait(10)
    b = _Thread(
        lambda: services.transfer_approve(actor=people.lanhdao_vp, transfer=hop)
    )
    b.start()
    try:
        # when a leader approves the hand-back meanwhile, it waits ...
        _wait_until_blocked()
        # ... without holding the request's row, so the holder could still
        # close it: the two never wait on each other (no deadlock)
        with transaction.atomic():
            Transfer.objects.select_for_update(nowait=True).get(pk=hop.pk)
    finally:
        release.set()
        a.join(10)
        b.join(10)
    assert a.error is None and b.error is None
    assert Transfer.objects.get(pk=hop.pk).status == TransferStatus.DONE


# --- transfers, hand-backs, reassignment -------------------------------------


def test_a_transfer_moves_lead_unit_and_assignee_and_records_the_hop(
    in_state, people, tree
):
    # given office work in progress
    task = in_state(TaskStatus.IN_PROGRESS)
    # when the district leader transfers it to Cổ Loa with a reason
    hop = services.task_transfer(
        actor=people.bithu_da,
        task=task,
        to_unit=tree.co_loa,
        to_assignee=people.canbo_cl,
        accountable_leader=people.bithu_da,
        reason="Thuộc thẩm quyền của xã",
    )
    # then the task is the commune's, to be started anew by its new assignee
    task.refresh_from_db()
    assert (task.lead_unit, task.assignee, task.accountable_leader) == (
        tree.co_loa,
        people.canbo_cl,
        people.bithu_da,
    )
    assert task.status == TaskStatus.ASSIGNED
    # and the hop is recorded with where from, where to, who and why
    hop.refresh_from_db()
    assert (hop.kind, hop.status) == (TransferKind.TRANSFER, TransferStatus.DONE)
    assert (hop.from_unit, hop.to_unit) == (tree.vp, tree.co_loa)
    assert (hop.from_assignee, hop.to_assignee) == (people.canbo_vp, people.canbo_cl)
    assert (hop.requested_by, hop.decided_by) == (people.bithu_da, people.bithu_da)
    assert hop.reason == "Thuộc thẩm quyền của xã"


def test_a_transfer_drops_the_new_lead_unit_from_the_coordinating_units(
    make_task, people, tree
):
    task = make_task(actor=people.bithu_da, coordinating_units=[tree.co_loa])
    services.task_transfer(
        actor=people.bithu_da,
        task=task,
        to_unit=tree.co_loa,
        to_assignee=people.canbo_cl,
        accountable_leader=people.bithu_da,
        reason="Việc của xã",
    )
    assert not task.coordinating_units.exists()


def test_a_transfer_keeps_an_accountable_leader_over_the_new_unit(
    in_state, people, tree
):
    # given office work the office's leader answers for; they do not lead
    # Cổ Loa
    task = in_state(TaskStatus.ASSIGNED)
    # when the district's leader moves it to Cổ Loa without naming anyone
    services.task_transfer(
        actor=people.bithu_da,
        task=task,
        to_unit=tree.co_loa,
        to_assignee=people.canbo_cl,
        reason="Việc của xã",
    )
    # then the district's leader, who moved it, answers for it
    task.refresh_from_db()
    assert (task.lead_unit, task.accountable_leader) == (tree.co_loa, people.bithu_da)


def test_a_transfer_keeps_the_accountable_leader_who_still_leads_there(
    make_task, people, tree
):
    task = make_task(actor=people.bithu_da, accountable_leader=people.bithu_da)
    services.task_transfer(
        actor=people.bithu_da,
        task=task,
        to_unit=tree.co_loa,
        to_assignee=people.canbo_cl,
        reason="Việc của xã",
    )
    assert Task.objects.get(pk=task.pk).accountable_leader == people.bithu_da


def test_a_transfer_refuses_a_named_accountable_leader_who_does_not_lead_there(
    in_state, people, tree
):
    task = in_state(TaskStatus.ASSIGNED)
    before = snapshot(task)
    with pytest.raises(ValidationError) as refused:
        services.task_transfer(
            actor=people.bithu_da,
            task=task,
            to_unit=tree.co_loa,
            to_assignee=people.canbo_cl,
            accountable_leader=people.bithu_th,
            reason="Việc của xã",
        )
    assert "accountable_leader" in refused.value.message_dict
    assert snapshot(task) == before
    assert not Transfer.objects.exists()


def test_a_leader_cannot_transfer_outside_their_subtree(in_state, people, tree):
    task = in_state(TaskStatus.ASSIGNED)
    before = snapshot(task)
    with pytest.raises(PermissionDenied):
        services.task_transfer(
            actor=people.lanhdao_vp,
            task=task,
            to_unit=tree.co_loa,
            to_assignee=people.canbo_cl,
            reason="Đẩy sang xã",
        )
    assert snapshot(task) == before
    assert not Transfer.objects.exists()


def test_a_transfer_without_a_reason_is_refused(in_state, people, tree):
    task = in_state(TaskStatus.ASSIGNED)
    with pytest.raises(ValidationError):
        services.task_transfer(
            actor=people.bithu_da,
            task=task,
            to_unit=tree.co_loa,
            to_assignee=people.canbo_cl,
            accountable_leader=people.bithu_da,
            reason="",
        )
    assert not Transfer.objects.exists()


def test_a_hand_back_request_approved_returns_the_task_to_the_assigner(
    in_state, people, tree
):
    # given office work assigned by the office's leader
    task = in_state(TaskStatus.IN_PROGRESS)
    # when the assignee hands it back with a reason, and the leader approves
    hop = services.transfer_request(
        actor=people.canbo_vp,
        task=task,
        kind=TransferKind.HAND_BACK,
        reason="Không thuộc chức năng của tôi",
    )
    assert hop.status == TransferStatus.PENDING
    assert Task.objects.get(pk=task.pk).assignee == people.canbo_vp
    services.transfer_approve(actor=people.lanhdao_vp, transfer=hop)
    # then the task is back with the person who assigned it
    task.refresh_from_db()
    assert (task.lead_unit, task.assignee) == (tree.vp, people.lanhdao_vp)
    hop.refresh_from_db()
    assert (hop.kind, hop.status) == (TransferKind.HAND_BACK, TransferStatus.DONE)
    assert (hop.from_assignee, hop.to_assignee) == (people.canbo_vp, people.lanhdao_vp)


def test_a_hand_back_goes_up_to_the_unit_the_assigner_leads(make_task, people, tree):
    # given office work assigned by the district's leader, with the office's
    # leader answering for it
    task = make_task(actor=people.bithu_da)
    hop = services.transfer_request(
        actor=people.canbo_vp, task=task, kind=TransferKind.HAND_BACK, reason="Vượt tầm"
    )
    assert hop.to_unit == tree.dong_anh
    # when the office's leader approves the hand-back
    services.transfer_approve(actor=people.lanhdao_vp, transfer=hop)
    # then the task is the district's, with its leader doing it and answering
    task.refresh_from_db()
    assert (task.lead_unit, task.assignee, task.accountable_leader) == (
        tree.dong_anh,
        people.bithu_da,
        people.bithu_da,
    )


def test_a_hand_back_goes_to_the_unit_the_assigner_leads_not_where_they_also_work(
    make_task, people, tree
):
    # given the district's leader also holds a staff seat in the office
    add_member(people.bithu_da, tree.vp, Role.STAFF)
    task = make_task(actor=people.bithu_da)
    # when the office's assignee hands the task back
    hop = services.transfer_request(
        actor=people.canbo_vp, task=task, kind=TransferKind.HAND_BACK, reason="Vượt tầm"
    )
    # then it goes up to the district the assigner leads
    assert hop.to_unit == tree.dong_anh


def test_reassign_within_the_unit(in_state, people):
    task = in_state(TaskStatus.IN_PROGRESS)
    services.task_reassign(
        actor=people.lanhdao_vp,
        task=task,
        assignee=people.canbo_vp2,
        reason="Nghỉ phép",
    )
    task.refresh_from_db()
    assert (task.assignee, task.status) == (people.canbo_vp2, TaskStatus.ASSIGNED)


def test_reassign_to_someone_outside_the_unit_is_refused(in_state, people):
    task = in_state(TaskStatus.IN_PROGRESS)
    before = snapshot(task)
    with pytest.raises(ValidationError) as refused:
        services.task_reassign(
            actor=people.lanhdao_vp, task=task, assignee=people.canbo_cl, reason="R"
        )
    assert "assignee" in refused.value.message_dict
    assert snapshot(task) == before


def test_a_pending_transfer_blocks_a_second_request(in_state, people, tree):
    task = in_state(TaskStatus.IN_PROGRESS)
    services.transfer_request(
        actor=people.canbo_vp, task=task, kind=TransferKind.HAND_BACK, reason="Sai"
    )
    with pytest.raises(ValidationError) as refused:
        services.transfer_request(
            actor=people.canbo_vp,
            task=task,
            kind=TransferKind.TRANSFER,
            to_unit=tree.co_loa,
            reason="Việc của xã",
        )
    assert "đang chờ quyết định" in refused.value.messages[0]
    assert Transfer.objects.filter(task=task).count() == 1


def test_a_decided_transfer_cannot_be_decided_again(in_state, people):
    task = in_state(TaskStatus.IN_PROGRESS)
    hop = services.transfer_request(
        actor=people.canbo_vp, task=task, kind=TransferKind.HAND_BACK, reason="Sai"
    )
    services.transfer_reject(actor=people.lanhdao_vp, transfer=hop, note="Việc của anh")
    with pytest.raises(ValidationError):
        services.transfer_approve(actor=people.lanhdao_vp, transfer=hop)
    task.refresh_from_db()
    assert task.assignee == people.canbo_vp


def test_a_requested_transfer_to_a_sibling_unit_can_be_approved(in_state, people, tree):
    # given the office's assignee asks to move the task to Cổ Loa
    task = in_state(TaskStatus.IN_PROGRESS)
    hop = services.transfer_request(
        actor=people.canbo_vp,
        task=task,
        kind=TransferKind.TRANSFER,
        to_unit=tree.co_loa,
        reason="Việc của xã",
    )
    # when the district's leader approves without choosing who does it there
    with pytest.raises(ValidationError) as refused:
        services.transfer_approve(actor=people.bithu_da, transfer=hop)
    # then they are asked to choose, and nothing moves
    assert "to_assignee" in refused.value.message_dict
    assert Task.objects.get(pk=task.pk).lead_unit == tree.vp
    # and once they choose, the task moves; they answer for it there
    services.transfer_approve(
        actor=people.bithu_da, transfer=hop, to_assignee=people.canbo_cl
    )
    task.refresh_from_db()
    assert (task.lead_unit, task.assignee, task.accountable_leader) == (
        tree.co_loa,
        people.canbo_cl,
        people.bithu_da,
    )


def test_approving_a_requested_transfer_may_name_the_accountable_leader(
    in_state, people, tree
):
    lanhdao_cl = UserFactory(username="lanhdao_cl", full_name="Chu Tịch Xã")
    add_member(lanhdao_cl, tree.co_loa, Role.LEADER)
    task = in_state(TaskStatus.IN_PROGRESS)
    hop = services.transfer_request(
        actor=people.canbo_vp,
        task=task,
        kind=TransferKind.TRANSFER,
        to_unit=tree.co_loa,
        reason="Việc của xã",
    )
    services.transfer_approve(
        actor=people.bithu_da,
        transfer=hop,
        to_assignee=people.canbo_cl,
        accountable_leader=lanhdao_cl,
    )
    assert Task.objects.get(pk=task.pk).accountable_leader == lanhdao_cl


def test_the_office_leader_cannot_approve_a_transfer_out_of_their_subtree(
    in_state, people, tree
):
    task = in_state(TaskStatus.IN_PROGRESS)
    hop = services.transfer_request(
        actor=people.canbo_vp,
        task=task,
        kind=TransferKind.TRANSFER,
        to_unit=tree.co_loa,
        reason="Việc của xã",
    )
    with pytest.raises(PermissionDenied):
        services.transfer_approve(
            actor=people.lanhdao_vp, transfer=hop, to_assignee=people.canbo_cl
        )
    assert Task.objects.get(pk=task.pk).lead_unit == tree.vp


def test_approving_a_transfer_of_work_already_submitted_is_refused(
    in_state, people, workflow
):
    task = in_state(TaskStatus.IN_PROGRESS)
    hop = services.transfer_request(
        actor=people.canbo_vp, task=task, kind=TransferKind.HAND_BACK, reason="Sai"
    )
    workflow.submit(task)
    before = snapshot(task)
    with pytest.raises(ValidationError):
        services.transfer_approve(actor=people.lanhdao_vp, transfer=hop)
    assert snapshot(task) == before


def test_a_new_member_can_be_given_work_once_they_join_the_unit(in_state, people, tree):
    newcomer = UserFactory(username="moi_vao", full_name="Lý Mới Vào")
    task = in_state(TaskStatus.ASSIGNED)
    with pytest.raises(ValidationError):
        services.task_reassign(
            actor=people.lanhdao_vp, task=task, assignee=newcomer, reason="R"
        )
    add_member(newcomer, tree.vp)
    services.task_reassign(
        actor=people.lanhdao_vp, task=task, assignee=newcomer, reason="R"
    )
    assert Task.objects.get(pk=task.pk).assignee == newcomer
