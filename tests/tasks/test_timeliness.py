"""Timeliness: derived in SQL from the deadline that counts, the same for
every list, dashboard, export and alert. ``today`` is always passed in."""

import datetime
import random
import zoneinfo

import pytest
from django.utils import timezone

from tasks import services
from tasks.choices import TaskStatus, Timeliness
from tasks.models import Task

D = datetime.date
DAY = datetime.timedelta(days=1)
HANOI = zoneinfo.ZoneInfo("Asia/Ho_Chi_Minh")
MONDAY = D(2026, 3, 9)  # an ordinary week, no holiday near


def timeliness(task, today):
    return Task.objects.with_timeliness(today).get(pk=task.pk).timeliness


@pytest.fixture
def due(make_task):
    """An open task with this deadline (started a month before)."""

    def _make(deadline, **overrides):
        return make_task(start_date=deadline - 30 * DAY, deadline=deadline, **overrides)

    return _make


# --- open work ---------------------------------------------------------------


def test_deadline_today_is_due_soon(due):
    assert timeliness(due(MONDAY), MONDAY) == Timeliness.DUE_SOON


def test_deadline_yesterday_is_overdue(due):
    assert timeliness(due(MONDAY - DAY), MONDAY) == Timeliness.OVERDUE


def test_deadline_tomorrow_is_due_soon(due):
    assert timeliness(due(MONDAY + DAY), MONDAY) == Timeliness.DUE_SOON


def test_deadline_beyond_n_working_days_is_on_track(due):
    # Monday + 3 working days is Thursday: Friday is the 4th
    assert timeliness(due(D(2026, 3, 12)), MONDAY) == Timeliness.DUE_SOON
    assert timeliness(due(D(2026, 3, 13)), MONDAY) == Timeliness.ON_TRACK
    assert timeliness(due(MONDAY + 60 * DAY), MONDAY) == Timeliness.ON_TRACK


def test_due_soon_counts_working_days_across_a_weekend(due):
    thursday = D(2026, 3, 12)
    # Fri 13, Mon 16, Tue 17 are the 3 working days: Tue is due soon,
    # though it is 5 calendar days away; Wed 18 is not
    assert timeliness(due(D(2026, 3, 17)), thursday) == Timeliness.DUE_SOON
    assert timeliness(due(D(2026, 3, 18)), thursday) == Timeliness.ON_TRACK


def test_due_soon_counts_working_days_across_tet(due):
    wednesday = D(2026, 2, 11)
    # Thu 12, Fri 13, then Tết (14–22 February), then Mon 23
    assert timeliness(due(D(2026, 2, 23)), wednesday) == Timeliness.DUE_SOON
    assert timeliness(due(D(2026, 2, 24)), wednesday) == Timeliness.ON_TRACK


def test_due_soon_counts_working_days_across_national_day(due):
    friday = D(2026, 8, 28)
    # 31/8, 1/9, 2/9 are off: Thu 3, Fri 4, Mon 7 September are the 3 days
    assert timeliness(due(D(2026, 9, 7)), friday) == Timeliness.DUE_SOON
    assert timeliness(due(D(2026, 9, 8)), friday) == Timeliness.ON_TRACK


def test_deadline_on_a_holiday_after_the_last_working_day_is_due_soon(due):
    thursday = D(2026, 4, 23)
    # working days left: Fri 24/4, Tue 28/4, Wed 29/4 (27/4 is Giỗ Tổ).
    # A deadline of 30/4 (a holiday) leaves no more working time than one of
    # 29/4: both are due soon; Monday 4/5 has a 4th working day before it.
    assert timeliness(due(D(2026, 4, 29)), thursday) == Timeliness.DUE_SOON
    assert timeliness(due(D(2026, 4, 30)), thursday) == Timeliness.DUE_SOON
    assert timeliness(due(D(2026, 5, 3)), thursday) == Timeliness.DUE_SOON
    assert timeliness(due(D(2026, 5, 4)), thursday) == Timeliness.ON_TRACK


def test_deadline_on_the_weekend_after_the_last_working_day_is_due_soon(due):
    tuesday = D(2026, 3, 10)
    # Wed, Thu, Fri are the 3 working days left before a Saturday deadline
    assert timeliness(due(D(2026, 3, 14)), tuesday) == Timeliness.DUE_SOON
    assert timeliness(due(D(2026, 3, 16)), tuesday) == Timeliness.ON_TRACK


def test_a_worked_saturday_counts_toward_due_soon(due):
    thursday = D(2026, 8, 20)
    # Fri 21, Sat 22 (worked in exchange for 31/8), Mon 24: Tue 25 is the 4th
    assert timeliness(due(D(2026, 8, 24)), thursday) == Timeliness.DUE_SOON
    assert timeliness(due(D(2026, 8, 25)), thursday) == Timeliness.ON_TRACK


@pytest.mark.parametrize(
    ("working_days", "due_soon", "on_track"),
    [
        (0, D(2026, 2, 11), D(2026, 2, 12)),
        (1, D(2026, 2, 12), D(2026, 2, 13)),
        (2, D(2026, 2, 22), D(2026, 2, 23)),
        (5, D(2026, 2, 25), D(2026, 2, 26)),
    ],
)
def test_due_soon_window_follows_the_setting(
    settings, due, working_days, due_soon, on_track
):
    # given an admin sets the window to N working days
    settings.TRACKER_DUE_SOON_WORKING_DAYS = working_days
    wednesday = D(2026, 2, 11)
    # then the last deadline within it is due soon and the next is on track
    assert timeliness(due(due_soon), wednesday) == Timeliness.DUE_SOON
    assert timeliness(due(on_track), wednesday) == Timeliness.ON_TRACK


def test_an_assigned_and_an_in_progress_task_are_both_judged_by_deadline(due, people):
    assigned = due(MONDAY - DAY)
    started = due(MONDAY - DAY)
    services.task_start(actor=people.canbo_vp, task=started)
    assert timeliness(assigned, MONDAY) == Timeliness.OVERDUE
    assert timeliness(started, MONDAY) == Timeliness.OVERDUE


# --- across midnight, local time ---------------------------------------------


def test_a_deadline_is_overdue_only_from_the_next_local_day(due):
    task = due(MONDAY)
    last_second = datetime.datetime(2026, 3, 9, 23, 59, 59, tzinfo=HANOI)
    midnight = datetime.datetime(2026, 3, 10, 0, 0, 0, tzinfo=HANOI)
    assert timeliness(task, timezone.localdate(last_second)) == Timeliness.DUE_SOON
    assert timeliness(task, timezone.localdate(midnight)) == Timeliness.OVERDUE


def test_a_utc_instant_already_on_the_next_local_day_makes_the_task_overdue(due):
    task = due(MONDAY)
    # 17:00 UTC on the 9th is 00:00 on the 10th in Hà Nội (UTC+7)
    utc_evening = datetime.datetime(2026, 3, 9, 17, 0, 0, tzinfo=datetime.UTC)
    just_before = datetime.datetime(2026, 3, 9, 16, 59, 59, tzinfo=datetime.UTC)
    assert utc_evening.date() == MONDAY
    assert timezone.localdate(utc_evening) == MONDAY + DAY
    assert timeliness(task, timezone.localdate(utc_evening)) == Timeliness.OVERDUE
    assert timeliness(task, timezone.localdate(just_before)) == Timeliness.DUE_SOON


# --- done work ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("submitted", "expected"),
    [
        (MONDAY - DAY, Timeliness.DONE_ON_TIME),
        (MONDAY, Timeliness.DONE_ON_TIME),
        (MONDAY + DAY, Timeliness.DONE_LATE),
    ],
)
def test_done_work_is_on_time_when_submitted_by_the_deadline(
    due, workflow, submitted, expected
):
    # given work with a deadline of Monday, submitted on this day and approved
    task = workflow.done(due(MONDAY), on=submitted)
    # then it is on time or late whatever day we look at it
    for today in (submitted, MONDAY + 30 * DAY):
        assert timeliness(task, today) == expected


def test_submitted_on_time_and_waiting_past_the_deadline_is_not_overdue(due, workflow):
    task = workflow.submit(due(MONDAY), on=MONDAY)
    assert timeliness(task, MONDAY + 10 * DAY) not in (Timeliness.OVERDUE, None)
    assert not Task.objects.overdue(MONDAY + 10 * DAY).filter(pk=task.pk).exists()


def test_submitted_late_is_overdue_while_it_waits(due, workflow):
    task = workflow.submit(due(MONDAY), on=MONDAY + 2 * DAY)
    assert timeliness(task, MONDAY + 3 * DAY) == Timeliness.OVERDUE


def test_work_returned_after_the_deadline_is_overdue_again(due, workflow, people):
    task = workflow.submit(due(MONDAY), on=MONDAY)
    services.task_return(actor=people.lanhdao_vp, task=task, comment="Thiếu minh chứng")
    assert timeliness(task, MONDAY + 2 * DAY) == Timeliness.OVERDUE


def test_cancelled_task_has_no_timeliness(due, people):
    task = due(MONDAY - 5 * DAY)
    services.task_cancel(actor=people.lanhdao_vp, task=task, reason="Không còn cần")
    assert timeliness(task, MONDAY) is None
    assert not Task.objects.filter_timeliness(*Timeliness.values, today=MONDAY).exists()


# --- extensions --------------------------------------------------------------


def _extend(task, people, new_deadline):
    ext = services.extension_request(
        actor=people.canbo_vp,
        task=task,
        new_deadline=new_deadline,
        reason="Chờ số liệu",
    )
    return services.extension_approve(actor=people.lanhdao_vp, extension=ext)


def test_after_an_approved_extension_the_new_deadline_counts(due, people):
    # given a task that is overdue under its original deadline
    task = due(MONDAY - 3 * DAY)
    assert timeliness(task, MONDAY) == Timeliness.OVERDUE
    # when a leader approves an extension to a month later
    task = _extend(task, people, MONDAY + 30 * DAY)
    # then it is within deadline again, and the original deadline is kept
    assert timeliness(task, MONDAY) == Timeliness.ON_TRACK
    task.refresh_from_db()
    assert task.original_deadline == MONDAY - 3 * DAY
    assert task.deadline == MONDAY + 30 * DAY


def test_an_extension_to_tomorrow_makes_an_overdue_task_due_soon(due, people):
    task = _extend(due(MONDAY - 3 * DAY), people, MONDAY + DAY)
    assert timeliness(task, MONDAY) == Timeliness.DUE_SOON


def test_a_pending_extension_does_not_change_timeliness(due, people):
    task = due(MONDAY - 3 * DAY)
    services.extension_request(
        actor=people.canbo_vp, task=task, new_deadline=MONDAY + 30 * DAY, reason="Chờ"
    )
    assert timeliness(task, MONDAY) == Timeliness.OVERDUE


def test_done_after_the_original_deadline_but_within_the_extension_is_on_time(
    due, people, workflow
):
    task = _extend(due(MONDAY), people, MONDAY + 10 * DAY)
    task = workflow.done(task, on=MONDAY + 5 * DAY)
    assert timeliness(task, MONDAY + 20 * DAY) == Timeliness.DONE_ON_TIME


# --- filters agree with the annotation ---------------------------------------


@pytest.fixture
def mixed_tasks(due, workflow, people):
    """Thirty tasks with deadlines around an anchor 45 days from now (so that
    the anchor is not the real today) in every state."""
    anchor = timezone.localdate() + 45 * DAY
    rng = random.Random(24)
    for _ in range(30):
        deadline = anchor + rng.randint(-10, 12) * DAY
        task = due(deadline)
        state = rng.choice(
            ["assigned", "in_progress", "submitted", "done", "cancelled"]
        )
        on = deadline + rng.randint(-3, 3) * DAY
        if state == "in_progress":
            services.task_start(actor=people.canbo_vp, task=task)
        elif state == "submitted":
            workflow.submit(task, on=on)
        elif state == "done":
            workflow.done(task, on=on)
        elif state == "cancelled":
            services.task_cancel(actor=people.lanhdao_vp, task=task, reason="Thôi")
    return anchor


def _expected(today):
    return dict(Task.objects.with_timeliness(today).values_list("pk", "timeliness"))


def _pks(qs):
    return set(qs.values_list("pk", flat=True))


def test_the_mix_covers_every_class(mixed_tasks):
    classes = set(_expected(mixed_tasks).values())
    assert classes == {*Timeliness.values, None}


def test_filter_timeliness_returns_exactly_the_rows_annotated_with_the_class(
    mixed_tasks,
):
    for offset in (0, -5, 7):
        today = mixed_tasks + offset * DAY
        annotation = _expected(today)
        for klass in Timeliness.values:
            expected = {pk for pk, t in annotation.items() if t == klass}
            # passing the day to the filter
            got = Task.objects.filter_timeliness(klass, today=today)
            assert _pks(got) == expected, (klass, offset)
            # or filtering a queryset already annotated for that day
            got = Task.objects.with_timeliness(today).filter_timeliness(klass)
            assert _pks(got) == expected, (klass, offset)


def test_overdue_returns_exactly_the_rows_annotated_overdue(mixed_tasks):
    for offset in (0, -5, 7):
        today = mixed_tasks + offset * DAY
        annotation = _expected(today)
        expected = {pk for pk, t in annotation.items() if t == Timeliness.OVERDUE}
        assert expected, offset  # the mix has overdue work on each of these days
        assert _pks(Task.objects.overdue(today)) == expected, offset
        annotated = Task.objects.with_timeliness(today)
        assert _pks(annotated.overdue()) == expected, offset
        # the annotation that comes back is the one the filter used
        assert set(annotated.overdue().values_list("timeliness", flat=True)) == {
            Timeliness.OVERDUE
        }


def test_filter_on_several_classes_is_their_union(mixed_tasks):
    today = mixed_tasks
    wanted = (Timeliness.OVERDUE, Timeliness.DONE_LATE)
    expected = {pk for pk, t in _expected(today).items() if t in wanted}
    assert _pks(Task.objects.filter_timeliness(*wanted, today=today)) == expected


def test_an_explicit_day_on_an_annotated_queryset_wins(mixed_tasks):
    # given a queryset annotated for one day and filtered for another
    today, other = mixed_tasks, mixed_tasks + 7 * DAY
    qs = Task.objects.with_timeliness(today).filter_timeliness(
        Timeliness.OVERDUE, today=other
    )
    # then the filter and the annotation both speak of the explicit day
    expected = {pk for pk, t in _expected(other).items() if t == Timeliness.OVERDUE}
    assert _pks(qs) == expected
    assert set(qs.values_list("timeliness", flat=True)) == {Timeliness.OVERDUE}


def test_open_statuses_never_get_a_done_class(mixed_tasks):
    rows = Task.objects.with_timeliness(mixed_tasks).values_list("status", "timeliness")
    for status, klass in rows:
        if status == TaskStatus.DONE:
            assert klass in (Timeliness.DONE_ON_TIME, Timeliness.DONE_LATE)
        elif status == TaskStatus.CANCELLED:
            assert klass is None
        else:
            assert klass in (
                Timeliness.ON_TRACK,
                Timeliness.DUE_SOON,
                Timeliness.OVERDUE,
            )
