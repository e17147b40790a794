"""The alert ladder: rows an admin edits, counted in working days, each step
once per task, deadline and recipient."""

import datetime

import pytest

from tasks import alerts, services
from tasks.choices import AlertKind, CalendarDayKind, LadderRole, LadderTrack
from tasks.models import Alert, CalendarDay, LadderStep

pytestmark = pytest.mark.usefixtures("send_enqueues", "ladder")

D = datetime.date
# Friday 6 March 2026: no holiday within three weeks either side.
DEADLINE = D(2026, 3, 6)


@pytest.fixture
def ladder(db):
    alerts.install_default_ladder()


@pytest.fixture
def task(make_task, tree, people):
    tree.vp.head = people.bithu_da
    tree.vp.save()
    made = make_task(start_date=D(2026, 2, 23), deadline=DEADLINE)
    Alert.objects.filter(task=made).delete()  # the assignment notice
    return made


def ledger(task, kind=None):
    qs = Alert.objects.filter(task=task, step__isnull=False)
    if kind:
        qs = qs.filter(kind=kind)
    return sorted(
        (a.kind, a.recipient.username, a.role, a.mandatory)
        for a in qs.select_related("recipient")
    )


def scan(day):
    return alerts.alerts_scan_overdue(today=day).created_count


def test_a_fresh_install_has_the_default_ladder():
    steps = [
        (s.track, s.kind, s.working_days, s.roles)
        for s in LadderStep.objects.order_by("pk")
    ]
    assert steps == [
        ("task", "due_soon", 3, ["assignee"]),
        ("task", "overdue", 0, ["assignee", "leader"]),
        ("task", "escalation", 3, ["unit_head", "assigner"]),
        ("task", "escalation", 10, ["reviewer"]),
        ("explanation", "explanation_overdue", 0, ["assignee", "leader", "unit_head"]),
        ("explanation", "explanation_overdue", 3, ["unit_head", "requester"]),
    ]


def test_each_step_fires_on_its_working_day_once(task):
    # due soon: three working days left on Tuesday 3 March, not on Monday
    assert scan(D(2026, 3, 2)) == 0
    assert scan(D(2026, 3, 3)) == 1
    assert ledger(task) == [("due_soon", "canbo_vp", "assignee", False)]
    assert scan(D(2026, 3, 4)) == 0
    # on the deadline day itself: nothing new
    assert scan(DEADLINE) == 0
    # overdue: the first day after the deadline (a Saturday)
    assert scan(D(2026, 3, 7)) == 2
    assert ledger(task, AlertKind.OVERDUE) == [
        ("overdue", "canbo_vp", "assignee", False),
        ("overdue", "lanhdao_vp", "leader", False),
    ]
    # +3 working days: Wednesday 11 March (the weekend does not count)
    assert scan(D(2026, 3, 10)) == 0
    assert scan(D(2026, 3, 11)) == 2
    assert ledger(task, AlertKind.ESCALATION) == [
        ("escalation", "bithu_da", "unit_head", True),
        ("escalation", "lanhdao_vp", "assigner", True),
    ]
    # +10 working days: Friday 20 March, the reviewers whose scope covers
    # the task (city and Đông Anh), and nobody else
    assert scan(D(2026, 3, 19)) == 0
    assert scan(D(2026, 3, 20)) == 2
    reviewers = [r for r in ledger(task) if r[2] == LadderRole.REVIEWER]
    assert reviewers == [
        ("escalation", "thuongtruc", "reviewer", True),
        ("escalation", "vanphong_da", "reviewer", True),
    ]
    # and every later scan finds nothing left
    assert scan(D(2026, 3, 21)) == 0
    assert scan(D(2026, 4, 30)) == 0
    assert len(ledger(task)) == 7


def test_a_late_first_scan_catches_up_every_step_due(task):
    # no scan ran for two weeks: one scan writes every step due by now, once
    # (20 March is the last day of the overdue step's catch-up window, see
    # test_alert_scan_window.py)
    assert scan(D(2026, 3, 20)) == 6  # overdue 2, +3: 2, +10: 2
    assert scan(D(2026, 3, 20)) == 0
    assert scan(D(2026, 4, 1)) == 0


def test_a_step_is_skipped_for_a_task_done_in_the_meantime(task, workflow):
    assert scan(D(2026, 3, 7)) == 2
    workflow.done(task, on=D(2026, 3, 9))
    assert scan(D(2026, 3, 11)) == 0
    assert scan(D(2026, 3, 20)) == 0
    assert ledger(task, AlertKind.ESCALATION) == []


def test_a_step_is_skipped_for_a_cancelled_task(task, people):
    services.task_cancel(actor=people.lanhdao_vp, task=task, reason="Không cần nữa")
    assert scan(D(2026, 3, 20)) == 0


def test_an_approved_extension_restarts_the_ladder_for_the_new_deadline(task, people):
    assert scan(D(2026, 3, 11)) == 4  # overdue + first escalation
    extension = services.extension_request(
        actor=people.canbo_vp,
        task=task,
        new_deadline=D(2026, 3, 27),
        reason="Chờ số liệu",
    )
    services.extension_approve(actor=people.lanhdao_vp, extension=extension)
    # nothing more for the old deadline, nothing yet for the new one
    assert scan(D(2026, 3, 20)) == 0
    # the new deadline climbs the ladder from the start
    assert scan(D(2026, 3, 24)) == 1  # due soon again
    assert scan(D(2026, 3, 28)) == 2
    new = Alert.objects.filter(task=task, deadline=D(2026, 3, 27), step__isnull=False)
    assert sorted(new.values_list("kind", flat=True)) == [
        "due_soon",
        "overdue",
        "overdue",
    ]


def test_admins_change_the_ladder_as_rows(task):
    # a step switched off sends nothing; a new step sends from the next scan
    LadderStep.objects.filter(kind=AlertKind.ESCALATION, working_days=3).update(
        is_active=False
    )
    LadderStep.objects.create(
        track=LadderTrack.TASK,
        kind=AlertKind.ESCALATION,
        working_days=1,
        to_reviewers=True,
    )
    assert scan(D(2026, 3, 11)) == 4  # overdue 2 + the new +1 step 2
    assert ledger(task, AlertKind.ESCALATION) == [
        ("escalation", "thuongtruc", "reviewer", True),
        ("escalation", "vanphong_da", "reviewer", True),
    ]


def test_an_extra_day_off_in_the_admin_table_delays_an_escalation(task):
    CalendarDay.objects.create(
        date=D(2026, 3, 9), kind=CalendarDayKind.DAY_OFF, note="Nghỉ bù"
    )
    assert scan(D(2026, 3, 11)) == 2  # overdue only: Monday was a day off
    assert scan(D(2026, 3, 12)) == 2  # +3 working days: Thursday


def test_a_make_up_working_day_counts(task):
    CalendarDay.objects.create(
        date=D(2026, 3, 7), kind=CalendarDayKind.WORKING_DAY, note="Làm bù"
    )
    assert scan(D(2026, 3, 9)) == 2  # overdue (Sat 7 was a working day)
    assert scan(D(2026, 3, 10)) == 2  # +3: Sat 7, Mon 9, Tue 10


def test_the_due_soon_step_counts_working_days_across_tet(make_task):
    # Tết Bính Ngọ 2026: Mon 16 – Fri 20 February are days off
    tet_task = make_task(start_date=D(2026, 2, 2), deadline=D(2026, 2, 24))
    Alert.objects.filter(task=tet_task).delete()
    # On Thu 12 February the working days left are Fri 13, Mon 23, Tue 24
    assert scan(D(2026, 2, 11)) == 0
    assert scan(D(2026, 2, 12)) == 1


def test_the_orm_path_writes_the_same_ladder_as_insert_select(
    task, make_task, monkeypatch
):
    # the SQL path on PostgreSQL …
    scan(D(2026, 4, 1))
    by_sql = ledger(task)
    Alert.objects.filter(task=task).delete()
    # … and the ORM path (SQLite) give the same rows
    monkeypatch.setattr(alerts, "uses_insert_select", lambda: False)
    scan(D(2026, 4, 1))
    assert ledger(task) == by_sql
    assert scan(D(2026, 4, 1)) == 0


def test_a_due_soon_step_longer_than_the_due_soon_window_is_refused():
    from django.core.exceptions import ValidationError

    step = LadderStep(
        track=LadderTrack.TASK,
        kind=AlertKind.DUE_SOON,
        working_days=9,
        to_assignee=True,
    )
    with pytest.raises(ValidationError):
        step.full_clean()


def test_a_step_that_has_written_alerts_cannot_be_deleted(task):
    from django.db.models import ProtectedError

    # given the overdue step's alerts for a task
    assert scan(D(2026, 3, 7)) == 2
    step = LadderStep.objects.get(kind=AlertKind.OVERDUE)

    # when an admin deletes the step, then it is refused and the alerts stay
    with pytest.raises(ProtectedError):
        step.delete()
    assert len(ledger(task, AlertKind.OVERDUE)) == 2


def test_a_reviewers_step_with_no_reviewer_anywhere_writes_nothing(task):
    from units.choices import Role
    from units.models import Membership

    # given only the reviewers' step, and no unit with a reviewer
    LadderStep.objects.exclude(working_days=10).update(is_active=False)
    Membership.objects.filter(role=Role.REVIEWER).delete()

    # when the scan runs on the step's day, then it writes nothing and does
    # not fail
    run = alerts.alerts_scan_overdue(today=D(2026, 3, 20))
    assert (run.status, run.created_count) == ("ok", 0)
