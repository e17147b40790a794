"""The ladder scan's catch-up window: a step no scan wrote on its day is
written up to N working days later (10 by default), once, and after that
not at all — a backlog of long-overdue work is read on the dashboards, not
mailed step by step on the first morning."""

import datetime

import pytest

from tasks import alerts, calendar, services
from tasks.choices import AlertKind
from tasks.models import Alert

pytestmark = pytest.mark.usefixtures("send_enqueues", "ladder")

D = datetime.date
# Friday 6 March 2026. Its steps and the last day of their windows:
# overdue from Saturday 7 March, until Friday 20 March;
# +3 working days from Wednesday 11 March, until Wednesday 25 March;
# +10 working days from Friday 20 March, until Friday 3 April.
DEADLINE = D(2026, 3, 6)

OVERDUE = [("overdue", "canbo_vp"), ("overdue", "lanhdao_vp")]
PLUS_3 = [("escalation", "bithu_da"), ("escalation", "lanhdao_vp")]
PLUS_10 = [("escalation", "thuongtruc"), ("escalation", "vanphong_da")]


@pytest.fixture(autouse=True)
def calendar_after_rollback(django_db_blocker):
    yield
    with django_db_blocker.unblock():
        calendar.reload()


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


def scan(day):
    return alerts.alerts_scan_overdue(today=day).created_count


def written(task):
    return sorted(
        Alert.objects.filter(task=task, step__isnull=False).values_list(
            "kind", "recipient__username"
        )
    )


@pytest.mark.parametrize(
    ("first_scan", "expected"),
    [
        (D(2026, 3, 20), OVERDUE + PLUS_3 + PLUS_10),
        (D(2026, 3, 21), PLUS_3 + PLUS_10),
        (D(2026, 3, 25), PLUS_3 + PLUS_10),
        (D(2026, 3, 26), PLUS_10),
        (D(2026, 4, 3), PLUS_10),
        (D(2026, 4, 4), []),
        (D(2026, 9, 1), []),
    ],
    ids=[
        "overdue-last-day",
        "overdue-closed",
        "plus3-last-day",
        "plus3-closed",
        "plus10-last-day",
        "plus10-closed",
        "months-later",
    ],
)
def test_a_first_scan_writes_the_steps_whose_window_is_still_open(
    task, first_scan, expected
):
    # given a task no scan has looked at since its deadline passed
    # when the first scan runs on that day
    created = scan(first_scan)

    # then only the steps still within their window are written, once
    assert written(task) == sorted(expected)
    assert created == len(expected)
    assert scan(first_scan) == 0


def test_scans_on_time_write_every_step_and_the_window_changes_nothing(task):
    # given scans that ran on each step's day
    assert scan(D(2026, 3, 7)) == 2
    assert scan(D(2026, 3, 11)) == 2
    assert scan(D(2026, 3, 20)) == 2

    # when later scans run, inside and past every window
    later = [scan(day) for day in (D(2026, 3, 25), D(2026, 4, 3), D(2026, 4, 4))]

    # then the ledger holds each step once, as it was written
    assert later == [0, 0, 0]
    assert written(task) == sorted(OVERDUE + PLUS_3 + PLUS_10)


def test_without_a_window_a_first_scan_writes_every_past_step(task, settings):
    settings.TRACKER_ALERT_CATCH_UP_WORKING_DAYS = None
    assert scan(D(2026, 9, 1)) == 6
    assert written(task) == sorted(OVERDUE + PLUS_3 + PLUS_10)
    assert scan(D(2026, 9, 1)) == 0


def test_a_window_of_zero_writes_a_step_on_its_own_day_only(task, settings):
    settings.TRACKER_ALERT_CATCH_UP_WORKING_DAYS = 0
    # Wednesday 11 March is the +3 day; the overdue day (Saturday 7) is past
    assert scan(D(2026, 3, 11)) == 2
    assert written(task) == sorted(PLUS_3)
    assert scan(D(2026, 3, 12)) == 0
    assert scan(D(2026, 3, 20)) == 2  # the +10 day


@pytest.mark.parametrize(
    ("first_scan", "overdue_written"),
    [(D(2026, 2, 27), True), (D(2026, 2, 28), False)],
    ids=["tenth-working-day", "day-after"],
)
def test_the_window_counts_working_days_across_tet(
    make_task, first_scan, overdue_written
):
    # given a task due on Thursday 5 February 2026, overdue from Friday 6;
    # Tết (Monday 16 – Friday 20 February) is not counted, so the window
    # closes after Friday 27 February, not two calendar weeks after the 6th
    late = make_task(start_date=D(2026, 1, 26), deadline=D(2026, 2, 5))
    Alert.objects.filter(task=late).delete()

    scan(first_scan)

    kinds = Alert.objects.filter(task=late, step__isnull=False)
    assert kinds.filter(kind=AlertKind.OVERDUE).exists() is overdue_written


def test_an_extension_opens_a_fresh_window_for_the_new_deadline(task, people):
    # given a task long past its deadline, whose steps have all closed
    assert scan(D(2026, 4, 6)) == 0
    # when an extension to 10 April is approved (the task is open)
    extension = services.extension_request(
        actor=people.canbo_vp,
        task=task,
        new_deadline=D(2026, 4, 10),
        reason="Chờ số liệu",
    )
    services.extension_approve(actor=people.lanhdao_vp, extension=extension)
    # then the new deadline's ladder runs, starting with due soon
    assert scan(D(2026, 4, 7)) == 1
    assert scan(D(2026, 4, 11)) == 2


@pytest.mark.parametrize(
    ("working_days_late", "written_count"), [(10, 2), (11, 0)], ids=["last", "past"]
)
def test_an_unanswered_explanation_follows_the_same_window(
    overdue_task, tree, people, working_days_late, written_count
):
    # given an unanswered request for explanation; its first step is the
    # day after its due date
    tree.vp.head = people.lanhdao_vp
    tree.vp.save()
    late = overdue_task(days=5)
    request = services.explanation_request(
        actor=people.thuongtruc, task=late, question="Vì sao chậm?"
    )
    first_day = request.due_date + datetime.timedelta(days=1)

    # when the first scan runs that many working days after that day
    day = calendar.add_working_days(first_day, working_days_late)
    alerts.alerts_scan_overdue(today=day)

    # then the step is written on the last day of its window, not after
    # (the +3 step, to the one who asked and the head, is still open)
    rows = Alert.objects.filter(
        kind=AlertKind.EXPLANATION_OVERDUE, step__working_days=0
    )
    assert rows.count() == written_count
