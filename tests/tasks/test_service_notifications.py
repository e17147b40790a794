"""The services tell the right people, in the app, what happened to a task."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied

from tasks import services
from tasks.choices import AlertKind, TransferKind
from tasks.models import Alert


def kinds_for(user):
    return sorted(Alert.objects.unread_for(user).values_list("kind", flat=True))


def test_assignment_tells_the_assignee_but_not_the_leader_who_assigned(
    make_task, people
):
    # when a leader assigns a task to a staff member
    task = make_task()

    # then the assignee is notified with the task title; the assigner is not
    alert = Alert.objects.unread_for(people.canbo_vp).get()
    assert alert.kind == AlertKind.ASSIGNED
    assert alert.message == task.title
    assert alert.actor == people.lanhdao_vp
    assert kinds_for(people.lanhdao_vp) == []


def test_submission_tells_the_leaders_and_approval_tells_the_assignee(
    make_task, people
):
    # given an assigned task (leaders' inboxes cleared)
    task = make_task()
    Alert.objects.all().delete()

    # when the assignee submits, then the accountable leader hears of it
    services.task_submit(actor=people.canbo_vp, task=task, actual_result="Đã xong")
    assert kinds_for(people.lanhdao_vp) == [AlertKind.SUBMITTED]

    # when the leader approves, then the assignee hears of it
    services.task_approve(actor=people.lanhdao_vp, task=task, comment="Tốt")
    assert kinds_for(people.canbo_vp) == [AlertKind.APPROVED]


def test_a_return_tells_the_assignee_with_the_leaders_comment(make_task, people):
    task = make_task()
    services.task_submit(actor=people.canbo_vp, task=task, actual_result="Bản nháp")
    Alert.objects.all().delete()

    services.task_return(actor=people.lanhdao_vp, task=task, comment="Bổ sung số liệu")

    alert = Alert.objects.unread_for(people.canbo_vp).get()
    assert (alert.kind, alert.message) == (AlertKind.RETURNED, "Bổ sung số liệu")


def test_extension_request_and_decision_reach_the_other_side(make_task, people):
    task = make_task()
    Alert.objects.all().delete()

    ext = services.extension_request(
        actor=people.canbo_vp,
        task=task,
        new_deadline=task.deadline + datetime.timedelta(days=10),
        reason="Chờ số liệu của phường",
    )
    assert kinds_for(people.lanhdao_vp) == [AlertKind.EXTENSION_REQUESTED]

    services.extension_approve(actor=people.lanhdao_vp, extension=ext)
    alert = Alert.objects.unread_for(people.canbo_vp).get()
    assert alert.kind == AlertKind.EXTENSION_DECIDED
    assert task.deadline + datetime.timedelta(days=10) == ext.new_deadline
    assert ext.new_deadline.strftime("%d/%m/%Y") in alert.message


def test_a_transfer_tells_the_new_and_the_old_assignee(make_task, people, tree):
    task = make_task()
    Alert.objects.all().delete()

    services.task_transfer(
        actor=people.bithu_da,
        task=task,
        to_unit=tree.co_loa,
        to_assignee=people.canbo_cl,
        reason="Thuộc thẩm quyền của xã",
    )

    assert kinds_for(people.canbo_cl) == [AlertKind.TRANSFERRED]
    assert kinds_for(people.canbo_vp) == [AlertKind.TRANSFERRED]


def test_a_hand_back_request_tells_the_leaders(make_task, people):
    task = make_task()
    Alert.objects.all().delete()

    services.transfer_request(
        actor=people.canbo_vp,
        task=task,
        kind=TransferKind.HAND_BACK,
        reason="Không đúng chức năng",
    )

    assert kinds_for(people.lanhdao_vp) == [AlertKind.TRANSFER_REQUESTED]


def test_a_refused_change_writes_no_notification(make_task, people):
    # given a task; when a staff member of another unit tries to submit it
    task = make_task()
    Alert.objects.all().delete()
    with pytest.raises(PermissionDenied):
        services.task_submit(actor=people.canbo_th, task=task, actual_result="x")

    # then nobody is told anything
    assert not Alert.objects.exists()
