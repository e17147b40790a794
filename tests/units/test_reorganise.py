"""Merge, split and rename of units (``units.reorganise``): open work moves
to the successor with a history row saying why; done work, the
buck-passing counters and the dashboard numbers stay true.

The tree of tests/conftest.py, plus the communes Đông Anh's units merge
into::

    Huyện ủy Đông Anh
    ├── Văn phòng HU Đông Anh   leader lanhdao_vp, staff canbo_vp, canbo_vp2
    ├── UBND xã Cổ Loa          staff canbo_cl
    ├── Xã Đông Anh             (new_commune)
    └── Xã Thư Lâm              (second_commune)
"""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.db.models import Sum
from django.utils import timezone

from quotas.choices import RegistrationStatus
from quotas.models import QuotaPeriod, Registration
from tasks import alerts, rollups, services
from tasks.choices import AlertKind, LadderRole, TransferKind, TransferStatus
from tasks.models import (
    Alert,
    DashboardDayCell,
    ExplanationRequest,
    Task,
    Transfer,
)
from tests.factories import UserFactory, add_member, make_unit
from units.choices import Role, SuccessionKind, UnitKind
from units.models import Membership, Unit, UnitSuccession
from units.reorganise import merge_units, pending_work, rename_unit, split_unit
from units.scope import get_scope

JULY_1 = datetime.date(2025, 7, 1)
BASIS = "Nghị quyết 1656/NQ-UBTVQH15"


@pytest.fixture
def new_commune(tree):
    return _commune(tree, "Xã Đông Anh", "HN.XDA")


@pytest.fixture
def second_commune(tree):
    return _commune(tree, "Xã Thư Lâm", "HN.XTL")


def _commune(tree, name, code):
    unit = make_unit(name, parent=tree.dong_anh, kind=UnitKind.COMMUNE, code=code)
    unit.refresh_from_db()
    return unit


def fresh(obj):
    obj.refresh_from_db()
    return obj


def merge(tree, people, successor, *predecessors, **overrides):
    values = dict(
        actor=people.admin,
        predecessors=list(predecessors) or [tree.vp, tree.co_loa],
        successor=successor,
        effective_date=JULY_1,
        reason=BASIS,
    )
    values.update(overrides)
    return merge_units(**values)


def snapshot():
    """Everything a refused reorganisation must leave as it was."""
    return (
        list(Unit.objects.values_list("pk", "is_active", "valid_from", "valid_to")),
        list(Task.objects.values_list("pk", "lead_unit_id", "version")),
        list(Task.coordinating_units.through.objects.values_list("task_id", "unit_id")),
        list(Membership.objects.values_list("pk", "unit_id")),
        UnitSuccession.objects.count(),
    )


# --- merge -----------------------------------------------------------------------


def test_merge_moves_open_tasks_and_leaves_done_and_cancelled_ones(
    tree, people, new_commune, make_task, workflow
):
    # given the office's open, submitted, done and cancelled tasks
    open_task = make_task()
    waiting = workflow.submit(make_task(title="Chờ duyệt"))
    done = workflow.done(make_task(title="Đã xong"))
    cancelled = services.task_cancel(
        actor=people.lanhdao_vp, task=make_task(title="Bỏ"), reason="Không cần nữa"
    )
    version = open_task.version

    # when the office and Cổ Loa merge into the new commune
    result = merge(tree, people, new_commune)

    # then the open and the submitted tasks are the commune's, the rest stay
    assert fresh(open_task).lead_unit == new_commune
    assert fresh(waiting).lead_unit == new_commune
    assert fresh(done).lead_unit == tree.vp
    assert fresh(cancelled).lead_unit == tree.vp
    assert open_task.version == version + 1
    assert result.tasks == 2
    # and each moved task says who moved it and why
    latest = open_task.history.latest()
    assert latest.history_user == people.admin
    assert latest.history_change_reason.startswith(
        "Sáp nhập Văn phòng Huyện ủy Đông Anh vào Xã Đông Anh từ 01/07/2025 "
        "(căn cứ Nghị quyết"
    )
    assert len(latest.history_change_reason) <= 100
    assert done.history.latest().history_change_reason != latest.history_change_reason


def test_merge_closes_the_predecessors_and_links_them_to_the_successor(
    tree, people, new_commune
):
    result = merge(tree, people, new_commune)

    for unit in (tree.vp, tree.co_loa):
        fresh(unit)
        assert unit.valid_to == datetime.date(2025, 6, 30)
        assert not unit.is_active
        assert unit.history.latest().history_change_reason.startswith(
            f"Sáp nhập {unit.name} vào Xã Đông Anh"
        )
    assert fresh(new_commune).valid_from == JULY_1
    links = UnitSuccession.objects.filter(successor=new_commune)
    assert {(link.predecessor, link.kind) for link in links} == {
        (tree.vp, SuccessionKind.MERGE),
        (tree.co_loa, SuccessionKind.MERGE),
    }
    assert {link.reason for link in links} == {BASIS}
    assert {link.created_by for link in links} == {people.admin}
    assert all(link.roll_up for link in links)
    assert result.successors == [new_commune]
    # the tree of a past period has the old units; today's has the new one
    past = set(Unit.objects.valid_on(datetime.date(2024, 1, 1)))
    now = set(Unit.objects.valid_on(JULY_1))
    assert {tree.vp, tree.co_loa} <= past and new_commune not in past
    assert new_commune in now and not {tree.vp, tree.co_loa} & now


def test_a_successor_that_already_had_work_keeps_its_past(
    tree, people, new_commune, make_task
):
    # given a commune that has led a task since before the merge
    add_member(people.canbo_th, new_commune, Role.STAFF)
    make_task(
        lead_unit=new_commune,
        start_date=datetime.date(2024, 3, 1),
        deadline=datetime.date(2024, 4, 1),
        actor=people.bithu_da,
        assignee=people.canbo_th,
        accountable_leader=people.bithu_da,
    )

    merge(tree, people, new_commune, tree.co_loa, roll_up=False)

    # then it keeps no start date: past dashboards still show it
    assert fresh(new_commune).valid_from is None
    assert not UnitSuccession.objects.get(predecessor=tree.co_loa).roll_up


def test_merge_does_not_count_as_a_transfer(
    tree, people, new_commune, make_task, today
):
    # given a Cổ Loa task that Đông Anh's secretary moved to the office once
    task = make_task(
        lead_unit=tree.co_loa,
        assignee=people.canbo_cl,
        actor=people.bithu_da,
        accountable_leader=people.bithu_da,
    )
    services.task_transfer(
        actor=people.bithu_da,
        task=task,
        to_unit=tree.vp,
        to_assignee=people.canbo_vp,
        reason="Đúng chức năng của Văn phòng",
    )
    before = (fresh(task).transfer_count, task.moved_up, Transfer.objects.count())

    merge(tree, people, new_commune)

    # then it moved, but no hop was added and the counters did not change
    task.refresh_from_db()
    assert task.lead_unit == new_commune
    assert (task.transfer_count, task.moved_up, Transfer.objects.count()) == before
    assert rollups.check() == []


def test_coordinating_units_follow_the_merge(
    tree, people, new_commune, second_commune, tasks_by_unit
):
    # given an office task that Cổ Loa helps with, and a Tây Hồ task that the
    # new commune and Cổ Loa both help with
    both = tasks_by_unit.tay_ho
    both.coordinating_units.set([new_commune, tree.co_loa])

    # when Cổ Loa merges into the second commune
    result = merge(tree, people, second_commune, tree.co_loa)

    # then the second commune helps where Cổ Loa helped
    assert set(tasks_by_unit.coord.coordinating_units.all()) == {second_commune}
    assert set(both.coordinating_units.all()) == {new_commune, second_commune}
    assert result.coordinations == 2
    # and the history row of the task shows the coordinating units as now
    latest = tasks_by_unit.coord.history.latest()
    assert [row.unit for row in latest.coordinating_units.all()] == [second_commune]
    assert latest.history_change_reason.startswith("Sáp nhập UBND xã Cổ Loa")


def test_a_unit_that_helped_and_now_leads_is_no_longer_a_coordinating_unit(
    tree, people, new_commune, tasks_by_unit
):
    # the office's task that Cổ Loa helps with: both merge into one commune
    merge(tree, people, new_commune)

    task = fresh(tasks_by_unit.coord)
    assert task.lead_unit == new_commune
    assert list(task.coordinating_units.all()) == []


def test_the_successor_helping_with_a_task_it_now_leads_is_dropped_from_helpers(
    tree, people, new_commune, tasks_by_unit
):
    task = tasks_by_unit.vp
    task.coordinating_units.set([new_commune])

    merge(tree, people, new_commune, tree.vp)

    assert fresh(task).lead_unit == new_commune
    assert list(task.coordinating_units.all()) == []


def test_memberships_move_and_scopes_follow(tree, people, new_commune):
    # given canbo_cl already staff of the new commune too
    add_member(people.canbo_cl, new_commune, Role.STAFF)

    result = merge(tree, people, new_commune)

    # then the office's people are the commune's, canbo_cl only once
    seats = set(
        Membership.objects.filter(unit=new_commune).values_list(
            "user__username", "role"
        )
    )
    assert seats == {
        ("lanhdao_vp", Role.LEADER),
        ("canbo_vp", Role.STAFF),
        ("canbo_vp2", Role.STAFF),
        ("canbo_cl", Role.STAFF),
    }
    assert not Membership.objects.filter(unit__in=[tree.vp, tree.co_loa]).exists()
    assert result.memberships == 4
    moved = Membership.history.filter(user=people.canbo_vp).latest()
    assert moved.history_user == people.admin
    assert moved.history_change_reason.startswith("Sáp nhập Văn phòng")
    ended = Membership.history.filter(unit=tree.co_loa, history_type="-").get()
    assert ended.history_change_reason.startswith("Sáp nhập UBND xã Cổ Loa")
    # and each person's scope is the new commune
    leader = people.lanhdao_vp.__class__.objects.get(pk=people.lanhdao_vp.pk)
    assert get_scope(leader).leads(new_commune)
    assert not get_scope(leader).leads(tree.vp)
    staff = people.canbo_vp.__class__.objects.get(pk=people.canbo_vp.pk)
    assert get_scope(staff).staff_unit_ids == (new_commune.pk,)


def test_pending_requests_follow_and_decided_ones_stay(
    tree, people, new_commune, make_task, today
):
    task = make_task()
    other = make_task(title="Việc khác")
    now = timezone.now()

    def transfer(on, to_unit, status=TransferStatus.PENDING, **decision):
        return Transfer.objects.create(
            task=on,
            kind=TransferKind.TRANSFER,
            status=status,
            from_unit=tree.vp,
            to_unit=to_unit,
            from_assignee=people.canbo_vp,
            reason="Đúng chức năng",
            requested_by=people.canbo_vp,
            **decision,
        )

    def explanation(on, **answer):
        return ExplanationRequest.objects.create(
            task=on,
            unit=tree.vp,
            requested_by=people.thuongtruc,
            requested_at=now,
            question="Vì sao chậm?",
            due_date=today,
            **answer,
        )

    # a pending transfer from the office to Tây Hồ, a decided one, and a
    # pending one between the two units that merge
    pending = transfer(task, tree.tay_ho)
    decided = transfer(
        other,
        tree.tay_ho,
        status=TransferStatus.REJECTED,
        decided_by=people.bithu_da,
        decided_at=now,
    )
    inside = transfer(other, tree.co_loa)
    # an unanswered request for explanation, and an answered one
    asked = explanation(task)
    answered = explanation(
        other,
        answer="Chờ ý kiến của sở",
        answered_by=people.lanhdao_vp,
        answered_at=now,
    )
    # a hard-task registration waiting for confirmation, and a confirmed one
    period = QuotaPeriod.objects.create(
        name="Năm nay",
        start=today.replace(month=1, day=1),
        end=today.replace(month=12, day=31),
        registration_deadline=today.replace(month=12, day=31),
    )
    waiting = Registration.objects.create(
        period=period,
        person=people.canbo_vp,
        task=task,
        unit=tree.vp,
        reason="Khó",
        registered_at=timezone.now(),
        registered_on=today,
    )
    confirmed = Registration.objects.create(
        period=period,
        person=people.canbo_vp,
        task=other,
        unit=tree.vp,
        reason="Khó",
        registered_at=timezone.now(),
        registered_on=today,
        status=RegistrationStatus.CONFIRMED,
        decided_by=people.lanhdao_vp,
        decided_at=timezone.now(),
    )

    result = merge(tree, people, new_commune)

    assert (fresh(pending).from_unit, pending.to_unit) == (new_commune, tree.tay_ho)
    assert pending.status == TransferStatus.PENDING
    assert pending.history.latest().history_change_reason.startswith("Sáp nhập")
    assert fresh(decided).from_unit == tree.vp
    # nothing is left to transfer between two units that are now one
    assert fresh(inside).status == TransferStatus.REJECTED
    assert inside.decided_by == people.admin
    assert fresh(asked).unit == new_commune
    assert fresh(answered).unit == tree.vp
    assert fresh(waiting).unit == new_commune
    assert fresh(confirmed).unit == tree.vp
    assert result.requests == 4


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the cells are kept on PostgreSQL"
)
def test_dashboard_cells_stay_right_after_a_merge(
    tree, people, new_commune, tasks_by_unit, workflow
):
    # given a done task of the office as well
    workflow.done(tasks_by_unit.vp2, actor=people.canbo_vp2)

    def counted(node):
        return (
            DashboardDayCell.objects.filter(node=node).aggregate(n=Sum("tasks"))["n"]
            or 0
        )

    total = counted(tree.city)

    merge(tree, people, new_commune)

    # then the cells agree with the tasks, unit by unit, and the city's
    # total is what it was
    assert rollups.check() == []
    assert counted(tree.city) == total
    assert (
        counted(tree.dong_anh)
        == Task.objects.filter(lead_unit__path__startswith=tree.dong_anh.path).count()
    )
    assert counted(new_commune) == 3  # vp, coord, co_loa; vp2 was done
    assert counted(tree.vp) == 1


def test_an_alert_of_a_moved_task_is_delivered_and_the_next_scans_reach_the_successor(
    tree, people, new_commune, make_task, mailoutbox
):
    # given the default ladder, the commune's head, and an office task whose
    # overdue alerts were written but not e-mailed yet
    alerts.install_default_ladder()
    head = UserFactory(username="chutich_xda", full_name="Chủ Tịch Xã")
    Unit.objects.filter(pk=new_commune.pk).update(head=head)
    deadline = datetime.date(2026, 3, 6)  # a Friday
    task = make_task(start_date=datetime.date(2026, 2, 23), deadline=deadline)
    alerts.alerts_scan_overdue(today=datetime.date(2026, 3, 7), enqueue_send=False)
    unsent = set(Alert.objects.filter(task=task, kind=AlertKind.OVERDUE))
    assert {a.recipient for a in unsent} == {people.canbo_vp, people.lanhdao_vp}

    # when the office merges into the commune
    result = merge(tree, people, new_commune, tree.vp)

    # then the alerts are still sent, and lead to a task of the commune
    assert result.alerts >= 2
    run = alerts.alerts_send_pending()
    assert run.sent_count == 2
    assert sorted(m.to[0] for m in mailoutbox) == [
        "canbo_vp@example.vn",
        "lanhdao_vp@example.vn",
    ]
    assert all(new_commune.name in m.body for m in mailoutbox)
    # and the escalation three working days later goes to the commune's head
    alerts.alerts_scan_overdue(today=datetime.date(2026, 3, 11), enqueue_send=False)
    heads = Alert.objects.filter(
        task=task, kind=AlertKind.ESCALATION, role=LadderRole.UNIT_HEAD
    )
    assert [a.recipient for a in heads] == [head]


def test_pending_work_lists_exactly_what_a_merge_moves(
    tree, people, new_commune, tasks_by_unit, workflow
):
    workflow.done(tasks_by_unit.vp2, actor=people.canbo_vp2)

    work = pending_work(tree.co_loa)
    office = pending_work(tree.vp)

    assert work.led_tasks == [tasks_by_unit.co_loa]
    assert work.coordinated_tasks == [tasks_by_unit.coord]
    assert [m.user for m in work.memberships] == [people.canbo_cl]
    assert {t.pk for t in office.led_tasks} == {
        tasks_by_unit.vp.pk,
        tasks_by_unit.coord.pk,
    }
    result = merge(tree, people, new_commune)
    assert result.tasks == len(work.led_tasks) + len(office.led_tasks)
    assert result.memberships == len(work.memberships) + len(office.memberships)


# --- refusals ------------------------------------------------------------------


def refused(call, *messages):
    before = snapshot()
    with pytest.raises(ValidationError) as caught:
        call()
    text = " ".join(caught.value.messages)
    for message in messages:
        assert message in text, text
    assert snapshot() == before
    return text


def test_a_unit_with_active_units_under_it_is_refused(tree, people, new_commune):
    refused(
        lambda: merge(tree, people, tree.tay_ho, tree.dong_anh),
        "Đơn vị “Huyện ủy Đông Anh” còn 3 đơn vị trực thuộc đang hoạt động",
        "UBND xã Cổ Loa, Văn phòng Huyện ủy Đông Anh, Xã Đông Anh",
        "hãy sắp xếp các đơn vị cấp dưới trước",
    )


def test_units_under_it_that_were_merged_already_do_not_hold_it_back(
    tree, people, new_commune
):
    # bottom-up: the office and Cổ Loa into the commune, the commune into Tây
    # Hồ, then Đông Anh itself
    merge(tree, people, new_commune)
    merge(tree, people, tree.tay_ho, new_commune, effective_date=JULY_1.replace(day=2))
    result = merge(
        tree, people, tree.tay_ho, tree.dong_anh, effective_date=JULY_1.replace(day=3)
    )
    assert result.successors == [tree.tay_ho]


def test_a_unit_closed_already_is_refused(tree, people, new_commune, second_commune):
    merge(tree, people, new_commune, tree.co_loa)
    refused(
        lambda: merge(tree, people, second_commune, tree.co_loa),
        "Đơn vị “UBND xã Cổ Loa” đã ngừng hoạt động từ ngày 01/07/2025",
    )


def test_the_date_must_be_after_the_predecessor_began(tree, people, new_commune):
    Unit.objects.filter(pk=tree.co_loa.pk).update(valid_from=JULY_1)
    refused(
        lambda: merge(tree, people, new_commune, tree.co_loa),
        "Ngày có hiệu lực phải sau ngày đơn vị “UBND xã Cổ Loa” bắt đầu hoạt động "
        "(01/07/2025)",
    )
    # one day later is the first date it can close
    merge(
        tree, people, new_commune, tree.co_loa, effective_date=datetime.date(2025, 7, 2)
    )
    assert fresh(tree.co_loa).valid_to == JULY_1


def test_a_unit_cannot_succeed_itself(tree, people):
    refused(
        lambda: merge(tree, people, tree.co_loa),
        "Đơn vị kế thừa “UBND xã Cổ Loa” không thể là một trong các đơn vị sáp nhập",
    )


def test_a_successor_closed_on_the_date_is_refused(
    tree, people, new_commune, second_commune
):
    Unit.objects.filter(pk=new_commune.pk).update(valid_to=datetime.date(2025, 6, 30))
    refused(
        lambda: merge(tree, people, new_commune, tree.co_loa),
        "Đơn vị kế thừa “Xã Đông Anh” không còn hoạt động vào ngày 01/07/2025",
    )
    # a successor whose last day is the effective date is still there
    Unit.objects.filter(pk=second_commune.pk).update(valid_to=JULY_1)
    merge(tree, people, second_commune, tree.co_loa)
    assert fresh(tree.co_loa).valid_to == datetime.date(2025, 6, 30)


def test_a_successor_that_begins_after_the_date_is_refused(tree, people, new_commune):
    Unit.objects.filter(pk=new_commune.pk).update(valid_from=datetime.date(2025, 7, 2))
    refused(
        lambda: merge(tree, people, new_commune, tree.co_loa),
        "chỉ bắt đầu hoạt động từ ngày 02/07/2025",
    )


# --- split -----------------------------------------------------------------------


def split(tree, people, successors, **overrides):
    values = dict(
        actor=people.admin,
        predecessor=tree.vp,
        successors=successors,
        effective_date=JULY_1,
        reason=BASIS,
        default_successor=successors[0],
    )
    values.update(overrides)
    return split_unit(**values)


def test_split_sends_each_task_and_member_where_chosen_else_to_the_default(
    tree, people, new_commune, second_commune, tasks_by_unit
):
    lanhdao = Membership.objects.get(user=people.lanhdao_vp, unit=tree.vp)

    result = split(
        tree,
        people,
        [new_commune, second_commune],
        task_targets={tasks_by_unit.vp2.pk: second_commune},
        member_targets={lanhdao.pk: second_commune},
    )

    assert fresh(tasks_by_unit.vp2).lead_unit == second_commune
    assert fresh(tasks_by_unit.vp).lead_unit == new_commune
    assert fresh(tasks_by_unit.coord).lead_unit == new_commune
    assert fresh(lanhdao).unit == second_commune
    assert set(
        Membership.objects.filter(unit=new_commune).values_list(
            "user__username", flat=True
        )
    ) == {"canbo_vp", "canbo_vp2"}
    assert result.tasks == 3 and result.memberships == 3
    links = UnitSuccession.objects.filter(predecessor=tree.vp)
    assert {(link.successor, link.kind) for link in links} == {
        (new_commune, SuccessionKind.SPLIT),
        (second_commune, SuccessionKind.SPLIT),
    }
    reason = tasks_by_unit.vp2.history.latest().history_change_reason
    assert reason.startswith(
        "Chia tách Văn phòng Huyện ủy Đông Anh thành Xã Đông Anh, Xã Thư Lâm"
    )
    assert fresh(tree.vp).valid_to == datetime.date(2025, 6, 30)
    assert fresh(second_commune).valid_from == JULY_1
    assert rollups.check() == []


def test_a_coordinated_task_can_be_sent_to_a_chosen_successor(
    tree, people, new_commune, second_commune, tasks_by_unit
):
    split(
        tree,
        people,
        [new_commune, second_commune],
        predecessor=tree.co_loa,
        task_targets={tasks_by_unit.coord.pk: second_commune},
    )

    assert list(tasks_by_unit.coord.coordinating_units.all()) == [second_commune]
    assert fresh(tasks_by_unit.co_loa).lead_unit == new_commune


def test_a_split_needs_two_successors(tree, people, new_commune):
    refused(
        lambda: split(tree, people, [new_commune]),
        "Chia tách cần ít nhất hai đơn vị kế thừa",
    )
    refused(
        lambda: split(tree, people, [new_commune, new_commune]),
        "Chia tách cần ít nhất hai đơn vị kế thừa",
    )


def test_a_split_target_must_be_one_of_the_successors(
    tree, people, new_commune, second_commune, tasks_by_unit
):
    lanhdao = Membership.objects.get(user=people.lanhdao_vp, unit=tree.vp)
    both = [new_commune, second_commune]
    refused(
        lambda: split(
            tree, people, both, task_targets={tasks_by_unit.vp.pk: tree.tay_ho}
        ),
        "“Quận ủy Tây Hồ” không phải là một trong các đơn vị kế thừa đã chọn",
    )
    refused(
        lambda: split(tree, people, both, member_targets={lanhdao.pk: tree.tay_ho}),
        "“Quận ủy Tây Hồ” không phải là một trong các đơn vị kế thừa đã chọn",
    )
    refused(
        lambda: split(tree, people, both, default_successor=tree.tay_ho),
        "Đơn vị nhận mặc định phải là một trong các đơn vị kế thừa đã chọn",
    )
    refused(
        lambda: split(
            tree, people, both, task_targets={tasks_by_unit.tay_ho.pk: new_commune}
        ),
        f"Nhiệm vụ số {tasks_by_unit.tay_ho.pk} không phải là nhiệm vụ đang thực hiện",
    )


def test_a_unit_cannot_be_split_into_itself(tree, people, new_commune):
    refused(
        lambda: split(tree, people, [tree.vp, new_commune]),
        "Đơn vị “Văn phòng Huyện ủy Đông Anh” không thể kế thừa chính nó",
    )


# --- rename ----------------------------------------------------------------------


def test_rename_makes_a_new_unit_that_takes_over_and_the_past_keeps_the_old_name(
    tree, people, tasks_by_unit, workflow
):
    tree.vp.head = people.lanhdao_vp
    tree.vp.short_name = "VP"
    tree.vp.save()
    done = workflow.done(tasks_by_unit.vp2, actor=people.canbo_vp2)

    result = rename_unit(
        actor=people.admin,
        unit=tree.vp,
        name="Văn phòng Đảng ủy xã Đông Anh",
        short_name="VPĐU",
        code="HN.DA.VPDU",
        effective_date=JULY_1,
        reason=BASIS,
    )

    renamed = result.successors[0]
    assert (renamed.name, renamed.short_name, renamed.code) == (
        "Văn phòng Đảng ủy xã Đông Anh",
        "VPĐU",
        "HN.DA.VPDU",
    )
    assert (renamed.kind, renamed.head, renamed.valid_from) == (
        tree.vp.kind,
        people.lanhdao_vp,
        JULY_1,
    )
    assert Unit.objects.get_parent(renamed) == tree.dong_anh
    assert fresh(tree.vp).name == "Văn phòng Huyện ủy Đông Anh"
    assert tree.vp.valid_to == datetime.date(2025, 6, 30)
    assert UnitSuccession.objects.get(predecessor=tree.vp).kind == SuccessionKind.RENAME
    assert fresh(tasks_by_unit.vp).lead_unit == renamed
    assert fresh(done).lead_unit == tree.vp
    assert set(
        Membership.objects.filter(unit=renamed).values_list("user__username", flat=True)
    ) == {"lanhdao_vp", "canbo_vp", "canbo_vp2"}
    assert tasks_by_unit.vp.history.latest().history_change_reason.startswith(
        "Đổi tên Văn phòng Huyện ủy Đông Anh thành Văn phòng Đảng ủy xã Đông Anh"
    )
    assert renamed.history.get().history_user == people.admin
    assert all(not problems for problems in Unit.objects.find_problems())
    assert rollups.check() == []


def test_rename_to_a_code_in_use_is_refused(tree, people):
    refused(
        lambda: rename_unit(
            actor=people.admin,
            unit=tree.vp,
            name="Văn phòng mới",
            short_name="",
            code="HN.DA.CL",
            effective_date=JULY_1,
            reason="",
        ),
        "Mã “HN.DA.CL” đã được dùng cho một đơn vị khác",
    )
