"""In-app notifications of task events (the bell's rows)."""

import pytest
from django.db import transaction

from tasks.choices import AlertKind
from tasks.models import Alert
from tasks.notify import notify


@pytest.fixture
def make_task(make_task):
    """Tasks as the ledger tests want them: without the notice of their
    assignment, which the services write and these tests are not about."""

    def _make(**overrides):
        task = make_task(**overrides)
        Alert.objects.filter(task=task).delete()
        return task

    return _make


def test_notify_writes_one_unread_row_per_recipient_with_who_and_why(make_task, people):
    # given a task the leader has just returned to its assignee
    task = make_task()

    # when the service notifies the assignee and the leader above
    rows = notify(
        task=task,
        kind=AlertKind.RETURNED,
        recipients=[people.canbo_vp, people.bithu_da],
        actor=people.lanhdao_vp,
        message="Bổ sung số liệu quý III",
    )

    # then each of them has one unread notification saying who did what
    assert len(rows) == 2
    for user in (people.canbo_vp, people.bithu_da):
        alert = Alert.objects.unread_for(user).get()
        assert alert.kind == AlertKind.RETURNED
        assert alert.get_kind_display() == "Trả lại"
        assert alert.actor == people.lanhdao_vp
        assert alert.message == "Bổ sung số liệu quý III"
        assert alert.deadline == task.deadline
        assert alert.emailed_at is None


def test_notify_skips_the_actor_missing_and_repeated_recipients(make_task, people):
    # given a task
    task = make_task()

    # when the actor is among the recipients, with a None and a duplicate
    rows = notify(
        task=task,
        kind=AlertKind.ASSIGNED,
        recipients=[people.canbo_vp, None, people.lanhdao_vp, people.canbo_vp],
        actor=people.lanhdao_vp,
    )

    # then only the other person is notified, once
    assert [row.recipient for row in rows] == [people.canbo_vp]
    assert Alert.objects.count() == 1
    assert not Alert.objects.unread_for(people.lanhdao_vp).exists()


def test_notify_with_nobody_left_writes_nothing(make_task, people):
    # given a task whose only recipient is the actor
    task = make_task()

    # when notified, then no row and no query is written
    assert (
        notify(
            task=task,
            kind=AlertKind.APPROVED,
            recipients=[people.lanhdao_vp],
            actor=people.lanhdao_vp,
        )
        == []
    )
    assert not Alert.objects.exists()


def test_event_notifications_may_repeat(make_task, people):
    # given a task returned once already
    task = make_task()
    notify(task=task, kind=AlertKind.RETURNED, recipients=[people.canbo_vp])

    # when it is returned again for the same deadline
    notify(task=task, kind=AlertKind.RETURNED, recipients=[people.canbo_vp])

    # then the assignee sees both
    assert Alert.objects.unread_for(people.canbo_vp).count() == 2


def test_a_system_notification_has_no_actor(make_task, people):
    # given a task
    task = make_task()

    # when notified without an actor, then everyone listed is notified
    rows = notify(
        task=task,
        kind=AlertKind.CANCELLED,
        recipients=[people.canbo_vp, people.lanhdao_vp],
    )
    assert len(rows) == 2
    assert all(row.actor is None for row in rows)


def test_notify_shortens_a_long_message_to_one_line(make_task, people):
    # given a very long, multi-line reason
    task = make_task()
    reason = "Lý do\n  chuyển giao " + "x" * 1000

    # when notified, then the message is one line within the column's limit
    (row,) = notify(
        task=task,
        kind=AlertKind.TRANSFERRED,
        recipients=[people.canbo_vp],
        message=reason,
    )
    assert row.message.startswith("Lý do chuyển giao xxx")
    assert len(row.message) == 500


@pytest.mark.parametrize(
    "kind", [AlertKind.OVERDUE, AlertKind.DUE_SOON, AlertKind.ESCALATION]
)
def test_notify_refuses_the_kinds_only_the_scans_write(make_task, people, kind):
    # given a task
    task = make_task()

    # when a ledger kind is passed, then it is refused and nothing written
    with pytest.raises(ValueError, match="event kinds only"):
        notify(task=task, kind=kind, recipients=[people.canbo_vp])
    assert not Alert.objects.exists()


def test_notifications_roll_back_with_the_change_they_report(make_task, people):
    # given a task
    task = make_task()

    # when a service's transaction fails after notifying
    with pytest.raises(RuntimeError), transaction.atomic():
        notify(task=task, kind=AlertKind.TRANSFERRED, recipients=[people.canbo_vp])
        raise RuntimeError("the transfer failed")

    # then nobody is told about a change that did not happen
    assert not Alert.objects.exists()


def test_notify_writes_every_row_in_one_query(
    make_task, people, django_assert_num_queries
):
    # given a task and several recipients
    task = make_task()
    recipients = [people.canbo_vp, people.canbo_vp2, people.bithu_da, people.thuongtruc]

    # when notified, then one INSERT writes them all
    with django_assert_num_queries(1):
        rows = notify(
            task=task, kind=AlertKind.EXTENSION_DECIDED, recipients=recipients
        )
    assert len(rows) == 4
