"""The monthly score: which tasks are the month's, how each input counts,
the breakdown a person reads, caps and clamping, units compared per 10
tasks, and a recomputation that gives the same numbers in a fixed number of
queries."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from appraisal import rules, services
from appraisal.models import PersonScore, RuleSet, ScoringRound
from tasks.choices import TaskStatus
from tests.factories import UserFactory, add_member
from units.choices import Role

DAY = datetime.timedelta(days=1)


def score_of(person, unit=None) -> PersonScore:
    qs = PersonScore.objects.filter(person=person)
    if unit is not None:
        qs = qs.filter(round__unit=unit)
    return qs.get()


def inputs(score: PersonScore) -> dict:
    return {
        "on_time": score.on_time,
        "hard_done": score.hard_done,
        "late": score.late,
        "overdue": score.overdue,
        "returned": score.returned,
        "extended": score.extended,
    }


def compute(month):
    return services.scores_compute(month=month, actor=None)


# --- which tasks are the month's ----------------------------------------------------


def test_done_in_the_month_counts_on_time_or_late_by_the_deadline_that_counts(
    people, month, in_month, add_task
):
    # given work done on its deadline, a day after, and done the month before
    add_task(deadline=in_month(10), done_on=in_month(10))
    add_task(deadline=in_month(10), done_on=in_month(11))
    add_task(deadline=in_month(10), done_on=month - 5 * DAY)

    compute(month)

    # then on the deadline is on time, a day after is late, last month's is
    # not this month's
    assert inputs(score_of(people.canbo_vp)) == {
        "on_time": 1,
        "hard_done": 0,
        "late": 1,
        "overdue": 0,
        "returned": 0,
        "extended": 0,
    }


def test_open_work_past_its_deadline_at_month_end_is_overdue_but_not_work_due_later(
    people, month, in_month, add_task
):
    last_day = (month + 40 * DAY).replace(day=1) - DAY
    add_task(deadline=last_day)  # due on the last day, still open: overdue
    add_task(deadline=last_day + DAY)  # due next month: not this month's
    # done next month but due this month: overdue at this month's end
    add_task(deadline=in_month(5), done_on=last_day + 2 * DAY)

    compute(month)

    score = score_of(people.canbo_vp)
    assert (score.overdue, score.on_time, score.late, score.counted) == (2, 0, 0, 2)


def test_work_submitted_on_time_and_waiting_for_the_leader_is_not_overdue(
    people, month, in_month, add_task
):
    add_task(deadline=in_month(10), submitted_on=in_month(9))
    add_task(deadline=in_month(10), submitted_on=in_month(12))  # late: overdue

    compute(month)

    score = score_of(people.canbo_vp)
    assert (score.overdue, score.counted) == (1, 1)


def test_cancelled_work_never_counts(people, month, in_month, add_task):
    add_task(deadline=in_month(10), status=TaskStatus.CANCELLED)

    compute(month)

    score = score_of(people.canbo_vp)
    assert score.counted == 0
    assert score.points is None


def test_overdue_work_counts_at_every_month_end_unless_the_rule_says_once(
    people, month, in_month, add_task
):
    earlier = services.selectors.previous_month(month)
    add_task(deadline=earlier.replace(day=15))  # open since the month before

    compute(month)
    assert score_of(people.canbo_vp).overdue == 1

    # when the rules count overdue work only in the month of its deadline
    RuleSet.objects.filter(is_active=True).update(overdue_every_month=False)
    compute(month)
    assert score_of(people.canbo_vp).overdue == 0


def test_hard_tasks_count_when_done_on_time_and_the_rule_decides_about_late_ones(
    people, month, in_month, add_task
):
    add_task(deadline=in_month(10), done_on=in_month(10), is_hard=True)
    add_task(deadline=in_month(10), done_on=in_month(20), is_hard=True)

    compute(month)
    assert score_of(people.canbo_vp).hard_done == 1

    RuleSet.objects.filter(is_active=True).update(hard_needs_on_time=False)
    compute(month)
    assert score_of(people.canbo_vp).hard_done == 2


def test_returns_count_each_time_in_the_month_and_extended_counts_each_task_once(
    people, month, in_month, add_task, add_return
):
    task = add_task(deadline=in_month(20), done_on=in_month(18), extended=True)
    add_return(task, on=in_month(3))
    add_return(task, on=in_month(12))
    add_return(task, on=month - DAY)  # the month before

    compute(month)

    score = score_of(people.canbo_vp)
    assert (score.returned, score.extended, score.on_time) == (2, 1, 1)


def test_a_person_is_scored_per_unit_and_a_unit_only_on_the_tasks_it_leads(
    tree, people, month, in_month, add_task
):
    add_member(people.canbo_vp, tree.co_loa, Role.STAFF)
    add_task(deadline=in_month(10), done_on=in_month(10))
    add_task(deadline=in_month(10), unit=tree.co_loa)

    compute(month)

    assert score_of(people.canbo_vp, tree.vp).on_time == 1
    assert score_of(people.canbo_vp, tree.co_loa).overdue == 1
    dong_anh = ScoringRound.objects.get(unit=tree.dong_anh)
    assert dong_anh.counted == 0  # tasks of the units under it are theirs


def test_everyone_of_the_unit_has_a_row_even_without_tasks_and_without_a_score(
    tree, people, month, in_month, add_task
):
    add_task(deadline=in_month(10), done_on=in_month(10))

    compute(month)

    round_ = ScoringRound.objects.get(unit=tree.vp)
    rows = {s.person.username: s for s in round_.scores.select_related("person")}
    assert set(rows) == {"lanhdao_vp", "canbo_vp", "canbo_vp2"}
    assert rows["canbo_vp2"].points is None
    assert rows["lanhdao_vp"].role == "leader"
    assert (round_.people, round_.scored) == (3, 1)


def test_the_current_month_cannot_be_computed(db, month, today):
    with pytest.raises(Exception, match="tháng đã kết thúc"):
        services.scores_compute(month=today.replace(day=1), actor=None)


# --- the score and its breakdown -------------------------------------------------


def test_the_breakdown_shows_each_input_its_count_weight_points_and_the_result(
    people, month, in_month, add_task, add_return
):
    # given 3 on time, 1 hard on time, 1 late, 1 overdue, 1 return
    for day in (3, 4, 5):
        add_task(deadline=in_month(10), done_on=in_month(day))
    add_task(deadline=in_month(10), done_on=in_month(9), is_hard=True)
    late = add_task(deadline=in_month(10), done_on=in_month(15))
    add_task(deadline=in_month(12))
    add_return(late, on=in_month(14))

    compute(month)

    # then 80 + 4×2 + 1×5 − 1×5 − 1×10 − 1×2 = 76
    score = score_of(people.canbo_vp)
    assert score.points == Decimal("76.0")
    lines = {line["key"]: line for line in score.breakdown["lines"]}
    assert (
        lines["on_time"].items() >= {"count": 4, "weight": "2", "points": "8"}.items()
    )
    assert lines["hard_done"]["points"] == "5"
    assert lines["late"]["points"] == "-5"
    assert lines["overdue"]["points"] == "-10"
    assert lines["returned"]["points"] == "-2"
    assert score.breakdown["base"] == "80"
    assert score.breakdown["rule_set"] == 1


def test_each_input_stops_at_its_cap_and_the_breakdown_says_so(
    people, month, in_month, add_task
):
    for _ in range(8):  # 8 × 2 = 16, capped at 10
        add_task(deadline=in_month(10), done_on=in_month(5))

    compute(month)

    score = score_of(people.canbo_vp)
    line = score.breakdown["lines"][0]
    assert (line["raw"], line["cap"], line["points"], line["capped"]) == (
        "16",
        "10",
        "10",
        True,
    )
    assert score.points == Decimal("90.0")


def test_the_score_stays_between_0_and_100():
    rule_set = RuleSet(
        version=9,
        base_points=Decimal(95),
        on_time_points=Decimal(10),
        on_time_cap=None,
        **{
            f"{k}_{p}": v
            for k in ("hard_done", "late", "returned", "extended")
            for p, v in (("points", Decimal(0)), ("cap", None))
        },
        overdue_points=Decimal(60),
        overdue_cap=None,
    )
    high = rules.compute_score(rules.MonthCounts(on_time=3), rule_set)
    low = rules.compute_score(rules.MonthCounts(overdue_any=3), rule_set)
    assert (high.points, high.breakdown["clamped"]) == (Decimal(100), "max")
    assert (low.points, low.breakdown["clamped"]) == (Decimal(0), "min")


def test_a_unit_is_scored_per_10_tasks_so_big_and_small_units_compare(db):
    rule_set = RuleSet.objects.get(is_active=True)
    small = rules.MonthCounts(on_time=1, overdue_any=1)  # 2 tasks, half overdue
    big = rules.MonthCounts(on_time=20, overdue_any=20)  # 40 tasks, half overdue
    small_score = rules.compute_score(small, rule_set, unit=True)
    big_score = rules.compute_score(big, rule_set, unit=True)
    # 80 + min(5×2, 10) − min(5×10, 40) = 50, whatever the size
    assert small_score.points == big_score.points == Decimal("50.0")
    assert small_score.breakdown["lines"][0]["basis"] == "5"


# --- recomputation -------------------------------------------------------------------


def test_computing_again_gives_the_same_numbers(
    people, tree, month, in_month, add_task, add_return
):
    task = add_task(deadline=in_month(10), done_on=in_month(12), extended=True)
    add_task(deadline=in_month(10), done_on=in_month(8), is_hard=True)
    add_task(deadline=in_month(3), assignee=people.canbo_vp2)
    add_return(task, on=in_month(11))

    def snapshot():
        scores = PersonScore.objects.order_by("pk").values_list(
            "pk", "points", "breakdown", "counted", "returned"
        )
        rounds = ScoringRound.objects.order_by("pk").values_list(
            "pk", "points", "breakdown", "people", "points_median"
        )
        return list(scores), list(rounds)

    compute(month)
    first = snapshot()
    compute(month)
    assert snapshot() == first


def test_a_month_costs_the_same_queries_for_a_few_people_and_for_many(
    tree, people, directive, month, in_month, add_task
):
    def run():
        with CaptureQueriesContext(connection) as captured:
            compute(month)
        return len(captured.captured_queries)

    add_task(deadline=in_month(10), done_on=in_month(10))
    run()  # rows created once
    few = run()
    for n in range(25):
        person = UserFactory(username=f"canbo_them_{n}")
        add_member(person, tree.vp, Role.STAFF)
        add_task(deadline=in_month(10), done_on=in_month(9), assignee=person)
        add_task(deadline=in_month(5), unit=tree.co_loa, assignee=people.canbo_cl)
    run()
    assert run() == few


def test_a_confirmed_month_is_never_computed_again(people, month, in_month, add_task):
    # given a month whose row is confirmed
    add_task(deadline=in_month(10), done_on=in_month(10))
    compute(month)
    score = score_of(people.canbo_vp)
    services.score_self_assess(
        actor=people.canbo_vp, score=score, level="good", comment="Đủ việc"
    )
    services.score_leader_assess(actor=people.lanhdao_vp, score=score, level="good")
    services.score_confirm(actor=people.bithu_da, score=score)
    frozen = score_of(people.canbo_vp)

    # when more work of that month turns up and the month is computed again
    add_task(deadline=in_month(12))
    result = compute(month)

    # then the confirmed row keeps its numbers
    again = score_of(people.canbo_vp)
    assert (again.points, again.counted, again.breakdown) == (
        frozen.points,
        frozen.counted,
        frozen.breakdown,
    )
    assert result["frozen"] == 1
