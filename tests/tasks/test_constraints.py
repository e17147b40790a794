"""The 5 rõ and the other rules a task must keep: refused with a message in
Vietnamese by the services, and by the database where it can be a
constraint. Nothing is saved when a rule fails."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction

from directives.models import DirectiveItem
from tasks import services
from tasks.choices import ExtensionStatus, TaskStatus, TransferKind, TransferStatus
from tasks.models import ExtensionRequest, Task, Transfer
from tests.factories import DirectiveFactory, DirectiveItemFactory

DAY = datetime.timedelta(days=1)


@pytest.fixture
def payload(tree, people, directive, today):
    """Everything a leader fills in to assign a task: all five rõ."""
    return dict(
        actor=people.lanhdao_vp,
        title="Rà soát thủ tục hành chính quá hạn",
        description="Rà soát hồ sơ tồn đọng, đề xuất giải pháp",
        directive=directive,
        lead_unit=tree.vp,
        assignee=people.canbo_vp,
        accountable_leader=people.lanhdao_vp,
        start_date=today,
        deadline=today + 30 * DAY,
        expected_result="Báo cáo rà soát kèm danh mục hồ sơ",
    )


def counts():
    return Task.objects.count(), Task.history.count()


def test_a_task_with_all_five_clear_is_saved(payload):
    task = services.task_create(**payload)
    task.refresh_from_db()
    assert task.status == TaskStatus.ASSIGNED
    assert task.original_deadline == task.deadline == payload["deadline"]
    assert task.assigned_by == payload["actor"]
    assert counts() == (1, 1)


@pytest.mark.parametrize(
    ("field", "blank", "clear"),
    [
        ("title", "", "rõ việc"),
        ("title", "   ", "rõ việc"),
        ("description", "", "rõ việc"),
        ("directive", None, "rõ việc"),
        ("lead_unit", None, "rõ người"),
        ("assignee", None, "rõ người"),
        ("accountable_leader", None, "rõ trách nhiệm"),
        ("start_date", None, "rõ tiến độ"),
        ("deadline", None, "rõ tiến độ"),
        ("expected_result", "", "rõ kết quả"),
        ("expected_result", "\n\t", "rõ kết quả"),
    ],
)
def test_a_task_missing_one_clear_is_refused_naming_it(payload, field, blank, clear):
    # given a leader's form with one of the five rõ left empty
    payload[field] = blank
    before = counts()
    # when the task is created
    with pytest.raises(ValidationError) as refused:
        services.task_create(**payload)
    # then the message for that field names the missing rõ, in Vietnamese
    messages = refused.value.message_dict[field]
    assert any(message.startswith(f"Thiếu {clear}") for message in messages), messages
    # and nothing is saved, not even a history row
    assert counts() == before


def test_every_missing_clear_is_named_at_once(payload):
    for field in ("title", "directive", "assignee", "deadline", "expected_result"):
        payload[field] = "" if field in ("title", "expected_result") else None
    with pytest.raises(ValidationError) as refused:
        services.task_create(**payload)
    assert set(refused.value.message_dict) == {
        "title",
        "directive",
        "assignee",
        "deadline",
        "expected_result",
    }
    assert counts() == (0, 0)


def test_deadline_before_start_is_refused(payload, today):
    payload["deadline"] = today - DAY
    with pytest.raises(ValidationError) as refused:
        services.task_create(**payload)
    assert refused.value.message_dict["deadline"] == [
        "Hạn hoàn thành không được trước ngày bắt đầu."
    ]
    assert counts() == (0, 0)


def test_deadline_on_the_start_day_is_allowed(payload, today):
    payload["deadline"] = today
    assert services.task_create(**payload).deadline == today


def test_deadline_before_start_is_refused_by_the_database(make_task, today):
    task = make_task()
    with pytest.raises(IntegrityError), transaction.atomic():
        Task.objects.filter(pk=task.pk).update(deadline=task.start_date - DAY)


def test_assignee_outside_the_lead_unit_is_refused(payload, people):
    # canbo_cl works in Cổ Loa, not in the office
    payload["assignee"] = people.canbo_cl
    with pytest.raises(ValidationError) as refused:
        services.task_create(**payload)
    [message] = refused.value.message_dict["assignee"]
    assert "phải là cán bộ của đơn vị chủ trì" in message
    assert "Văn phòng Huyện ủy Đông Anh" in message
    assert counts() == (0, 0)


def test_a_reviewer_of_the_lead_unit_cannot_be_the_assignee(payload, tree, people):
    # given a task for the district committee itself, assigned by its leader,
    # to the district's reviewer (who follows the work, and does none)
    payload.update(
        actor=people.bithu_da,
        lead_unit=tree.dong_anh,
        assignee=people.vanphong_da,
        accountable_leader=people.bithu_da,
    )
    with pytest.raises(ValidationError) as refused:
        services.task_create(**payload)
    assert "assignee" in refused.value.message_dict
    assert counts() == (0, 0)


def test_a_leader_of_the_lead_unit_can_be_the_assignee(payload, people):
    payload["assignee"] = people.lanhdao_vp
    assert services.task_create(**payload).assignee == people.lanhdao_vp


@pytest.mark.parametrize(
    "who",
    [
        "canbo_vp2",  # staff of the lead unit, not a leader
        "bithu_th",  # a leader, of another district
        "thuongtruc",  # the city's reviewer: reviewers answer for nothing
        "vanphong_da",  # the district's reviewer
    ],
)
def test_accountable_leader_who_does_not_lead_the_lead_unit_is_refused(
    payload, people, who
):
    payload["accountable_leader"] = getattr(people, who)
    with pytest.raises(ValidationError) as refused:
        services.task_create(**payload)
    [message] = refused.value.message_dict["accountable_leader"]
    assert message.startswith("Lãnh đạo chịu trách nhiệm phải là lãnh đạo")
    assert counts() == (0, 0)


def test_a_leader_above_the_lead_unit_may_answer_for_the_task(payload, people):
    payload["accountable_leader"] = people.bithu_da
    task = services.task_create(**payload)
    assert task.accountable_leader == people.bithu_da


def test_directive_item_of_another_directive_is_refused(payload, tree):
    other = DirectiveFactory(number="01-KH/HU", issuing_unit=tree.dong_anh)
    payload["directive_item"] = DirectiveItemFactory(directive=other, number="3")
    with pytest.raises(ValidationError) as refused:
        services.task_create(**payload)
    assert refused.value.message_dict["directive_item"] == [
        "Mục đã chọn không thuộc văn bản chỉ đạo này."
    ]
    assert counts() == (0, 0)


def test_directive_item_of_the_same_directive_is_accepted(payload, directive_item):
    payload["directive_item"] = directive_item
    task = services.task_create(**payload)
    assert task.directive_item == directive_item
    assert DirectiveItem.objects.get().tasks.get() == task


# --- who may create ----------------------------------------------------------


def test_a_leader_cannot_create_a_task_outside_their_subtree(payload, tree, people):
    # given the office's leader, and a unit in another district
    payload.update(
        lead_unit=tree.tay_ho,
        assignee=people.canbo_th,
        accountable_leader=people.bithu_th,
    )
    # when they assign a task there
    with pytest.raises(PermissionDenied) as refused:
        services.task_create(**payload)
    # then they are refused and nothing is saved
    assert "phạm vi mình lãnh đạo" in str(refused.value)
    assert counts() == (0, 0)


def test_a_leader_cannot_create_a_task_for_the_unit_above_them(payload, tree, people):
    payload.update(lead_unit=tree.dong_anh, assignee=people.bithu_da)
    with pytest.raises(PermissionDenied):
        services.task_create(**payload)
    assert counts() == (0, 0)


def test_a_district_leader_can_create_a_task_in_a_unit_below(payload, tree, people):
    payload.update(
        actor=people.bithu_da,
        lead_unit=tree.co_loa,
        assignee=people.canbo_cl,
        accountable_leader=people.bithu_da,
    )
    assert services.task_create(**payload).lead_unit == tree.co_loa


@pytest.mark.parametrize("who", ["thuongtruc", "vanphong_da"])
@pytest.mark.parametrize("lead_unit", ["vp", None])
def test_a_reviewer_cannot_create_a_task(payload, tree, people, who, lead_unit):
    payload["actor"] = getattr(people, who)
    payload["lead_unit"] = getattr(tree, lead_unit) if lead_unit else None
    with pytest.raises(PermissionDenied):
        services.task_create(**payload)
    assert counts() == (0, 0)


@pytest.mark.parametrize("who", ["canbo_vp", "canbo_vp2"])
def test_staff_cannot_create_a_task_even_in_their_own_unit(payload, people, who):
    payload["actor"] = getattr(people, who)
    with pytest.raises(PermissionDenied):
        services.task_create(**payload)
    assert counts() == (0, 0)


# --- progress and completion -------------------------------------------------


@pytest.mark.parametrize("percent", [101, 250, -1])
def test_progress_outside_0_to_100_is_refused_by_the_service(
    make_task, people, percent
):
    task = make_task()
    with pytest.raises(ValidationError) as refused:
        services.task_report_progress(actor=people.canbo_vp, task=task, percent=percent)
    assert refused.value.message_dict["percent"] == ["Tiến độ phải từ 0 đến 100%."]
    task.refresh_from_db()
    assert (task.progress, task.status, task.version) == (0, TaskStatus.ASSIGNED, 1)
    assert not task.reports.exists()


def test_progress_over_100_is_refused_by_the_database(make_task):
    task = make_task()
    with pytest.raises(IntegrityError, match="task_progress_at_most_100"):
        with transaction.atomic():
            Task.objects.filter(pk=task.pk).update(progress=101)
    task.refresh_from_db()
    assert task.progress == 0


def test_done_without_an_actual_result_is_refused_by_the_database(make_task, today):
    task = make_task()
    with pytest.raises(IntegrityError, match="task_done_has_result"):
        with transaction.atomic():
            Task.objects.filter(pk=task.pk).update(
                status=TaskStatus.DONE, completed_on=today, actual_result=""
            )
    task.refresh_from_db()
    assert task.status == TaskStatus.ASSIGNED


def test_done_without_a_completion_date_is_refused_by_the_database(make_task):
    task = make_task()
    with pytest.raises(IntegrityError, match="task_done_has_result"):
        with transaction.atomic():
            Task.objects.filter(pk=task.pk).update(
                status=TaskStatus.DONE, completed_on=None, actual_result="Xong"
            )


@pytest.mark.parametrize(
    ("field", "constraint"),
    [
        ("title", "task_title_required"),
        ("description", "task_description_required"),
        ("expected_result", "task_expected_result_required"),
    ],
)
def test_a_blank_clear_is_refused_by_the_database_too(make_task, field, constraint):
    task = make_task()
    with pytest.raises(IntegrityError, match=constraint), transaction.atomic():
        Task.objects.filter(pk=task.pk).update(**{field: ""})


def test_an_unknown_status_is_refused_by_the_database(make_task):
    task = make_task()
    with pytest.raises(IntegrityError, match="task_status_valid"), transaction.atomic():
        Task.objects.filter(pk=task.pk).update(status="paused")


def test_submitting_without_an_actual_result_is_refused(make_task, people):
    task = make_task()
    with pytest.raises(ValidationError) as refused:
        services.task_submit(actor=people.canbo_vp, task=task, actual_result="  ")
    assert "actual_result" in refused.value.message_dict
    task.refresh_from_db()
    assert task.status == TaskStatus.ASSIGNED


# --- extensions and transfers ------------------------------------------------


@pytest.mark.parametrize("days", [0, -1])
def test_extension_not_after_the_current_deadline_is_refused(make_task, people, days):
    task = make_task()
    with pytest.raises(ValidationError) as refused:
        services.extension_request(
            actor=people.canbo_vp,
            task=task,
            new_deadline=task.deadline + days * DAY,
            reason="Cần thêm thời gian",
        )
    [message] = refused.value.message_dict["new_deadline"]
    assert message.startswith("Hạn đề nghị phải sau hạn hiện tại")
    assert not ExtensionRequest.objects.exists()


def test_extension_not_after_the_deadline_is_refused_by_the_database(make_task, people):
    task = make_task()
    with pytest.raises(IntegrityError, match="extension_moves_deadline_later"):
        with transaction.atomic():
            ExtensionRequest.objects.create(
                task=task,
                requested_by=people.canbo_vp,
                previous_deadline=task.deadline,
                new_deadline=task.deadline,
                reason="Lý do",
            )


def test_extension_without_a_reason_is_refused(make_task, people):
    task = make_task()
    with pytest.raises(ValidationError) as refused:
        services.extension_request(
            actor=people.canbo_vp,
            task=task,
            new_deadline=task.deadline + DAY,
            reason="",
        )
    assert refused.value.message_dict["reason"] == ["Cần nêu lý do gia hạn."]


def test_only_one_pending_extension_per_task(make_task, people):
    # given a task with an extension waiting for a decision
    task = make_task()
    services.extension_request(
        actor=people.canbo_vp, task=task, new_deadline=task.deadline + DAY, reason="A"
    )
    # when the assignee asks again
    with pytest.raises(ValidationError) as refused:
        services.extension_request(
            actor=people.canbo_vp,
            task=task,
            new_deadline=task.deadline + 5 * DAY,
            reason="B",
        )
    # then the second request is refused, by the service and by the database
    assert "đang chờ quyết định" in refused.value.messages[0]
    with pytest.raises(IntegrityError, match="extension_one_pending_per_task"):
        with transaction.atomic():
            ExtensionRequest.objects.create(
                task=task,
                requested_by=people.canbo_vp,
                previous_deadline=task.deadline,
                new_deadline=task.deadline + 9 * DAY,
                reason="C",
            )
    assert ExtensionRequest.objects.filter(status=ExtensionStatus.PENDING).count() == 1


def test_a_new_extension_may_be_asked_once_the_last_is_decided(make_task, people):
    task = make_task()
    first = services.extension_request(
        actor=people.canbo_vp, task=task, new_deadline=task.deadline + DAY, reason="A"
    )
    services.extension_reject(actor=people.lanhdao_vp, extension=first, note="Không")
    second = services.extension_request(
        actor=people.canbo_vp, task=task, new_deadline=task.deadline + DAY, reason="B"
    )
    assert second.status == ExtensionStatus.PENDING


def test_only_one_pending_transfer_per_task_in_the_database(make_task, people, tree):
    task = make_task()
    services.transfer_request(
        actor=people.canbo_vp, task=task, kind=TransferKind.HAND_BACK, reason="Sai"
    )
    with pytest.raises(IntegrityError, match="transfer_one_pending_per_task"):
        with transaction.atomic():
            Transfer.objects.create(
                task=task,
                kind=TransferKind.TRANSFER,
                status=TransferStatus.PENDING,
                from_unit=tree.vp,
                to_unit=tree.co_loa,
                from_assignee=people.canbo_vp,
                reason="Khác",
                requested_by=people.canbo_vp,
            )
