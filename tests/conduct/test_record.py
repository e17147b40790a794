"""The buck-passing record read from the transfer history: the numbers per
unit and per person, and each rule at its boundaries."""

import datetime

import pytest

from conduct import services
from conduct.choices import RuleKind, RuleSubject
from conduct.models import ConductRule
from conduct.selectors import person, record, subtree
from tasks.choices import TransferKind

from .conftest import D, at

YEAR = dict(start=D(2026, 1, 1), end=D(2026, 12, 31))


def read(path="", **kwargs):
    from django.db.models import Q

    return record(candidates=subtree(path) if path else Q(), **{**YEAR, **kwargs})


def flags_of(rec, kind):
    return sorted(
        (f.subject, f.subject_name, len(f.hops))
        for f in rec.flags
        if f.rule.kind == kind
    )


# --- numbers ------------------------------------------------------------------


def test_moves_out_pushed_up_and_time_held_per_unit_and_person(
    tree, people, task_at, hop
):
    # given a task of Văn phòng moved to Cổ Loa after 4 days, which Cổ Loa
    # hands back up to Đông Anh the next day
    task = task_at(tree.vp, D(2026, 10, 1))
    hop(task, tree.vp, tree.co_loa, D(2026, 10, 5), by=people.lanhdao_vp)
    hop(
        task,
        tree.co_loa,
        tree.dong_anh,
        D(2026, 10, 6),
        by=people.canbo_cl,
        kind=TransferKind.HAND_BACK,
    )

    rec = read(tree.dong_anh.path)

    assert (rec.total.moves_out, rec.total.pushed_up, rec.total.bounces) == (2, 1, 0)
    units = {row.name: row.metrics for row in rec.units}
    assert (units[tree.vp.name].moves_out, units[tree.vp.name].pushed_up) == (1, 0)
    assert units[tree.vp.name].held_median == pytest.approx(4)
    assert (units[tree.co_loa.name].moves_out, units[tree.co_loa.name].pushed_up) == (
        1,
        1,
    )
    assert units[tree.co_loa.name].held_average == pytest.approx(1)
    people_rows = {row.name: row.metrics.moves_out for row in rec.people}
    assert people_rows == {people.lanhdao_vp.full_name: 1, people.canbo_cl.full_name: 1}
    assert rec.total.held_median == pytest.approx(2.5)


def test_a_move_to_a_unit_above_counts_as_pushed_up(tree, task_at, hop):
    task = task_at(tree.vp, D(2026, 10, 1))
    hop(task, tree.vp, tree.dong_anh, D(2026, 10, 20))

    assert read().total.pushed_up == 1


def test_a_hand_back_to_an_assigner_of_the_same_unit_is_pushed_up_not_a_bounce(
    tree, people, task_at, hop
):
    task = task_at(tree.vp, D(2026, 10, 1))
    hop(task, tree.vp, tree.vp, D(2026, 10, 2), kind=TransferKind.HAND_BACK)

    rec = read()

    assert (rec.total.moves_out, rec.total.pushed_up, rec.total.bounces) == (1, 1, 0)
    assert [s.kind for s in read().flags[0].paths[0].steps] == ["", "hand_back"]


def test_a_transfer_inside_the_same_unit_is_not_a_move(tree, task_at, hop):
    task = task_at(tree.vp, D(2026, 10, 1))
    hop(task, tree.vp, tree.vp, D(2026, 10, 2))

    rec = read()
    assert rec.total.moves_out == 0 and rec.flags == []


def test_a_move_counts_in_the_period_it_was_decided_in(tree, task_at, hop):
    task = task_at(tree.vp, D(2025, 12, 1))
    hop(task, tree.vp, tree.co_loa, at(D(2025, 12, 31), hour=23))
    hop(task, tree.co_loa, tree.tay_ho, at(D(2026, 1, 1), hour=0))

    assert read().total.moves_out == 1
    assert read(start=D(2025, 12, 31), end=D(2025, 12, 31)).total.moves_out == 1


def test_a_subtree_sees_only_moves_out_of_its_own_units(tree, task_at, hop):
    hop(task_at(tree.vp, D(2026, 3, 1)), tree.vp, tree.co_loa, D(2026, 3, 2))
    hop(task_at(tree.tay_ho, D(2026, 3, 1)), tree.tay_ho, tree.vp, D(2026, 3, 2))

    assert read(tree.dong_anh.path).total.moves_out == 1
    assert read(tree.tay_ho.path).total.moves_out == 1


# --- rule: many moves out in a short time ---------------------------------------


@pytest.mark.parametrize(("last_day", "flagged"), [(89, True), (90, False)])
def test_three_moves_out_within_ninety_days_flag_the_unit_and_the_person(
    tree, people, task_at, hop, last_day, flagged
):
    first = D(2026, 3, 1)
    for offset in (0, 45, last_day):
        day = first + datetime.timedelta(days=offset)
        hop(task_at(tree.vp, day), tree.vp, tree.co_loa, day, by=people.lanhdao_vp)

    found = flags_of(read(), RuleKind.MOVES_OUT)

    expected = [
        ("person", people.lanhdao_vp.full_name, 3),
        ("unit", tree.vp.name, 3),
    ]
    assert found == (expected if flagged else [])


def test_two_moves_are_not_enough_for_the_default_rule(tree, task_at, hop):
    for day in (D(2026, 3, 1), D(2026, 3, 2)):
        hop(task_at(tree.vp, day), tree.vp, tree.co_loa, day)

    assert flags_of(read(), RuleKind.MOVES_OUT) == []


def test_moves_before_the_period_complete_a_window_that_ends_in_it(tree, task_at, hop):
    for day in (D(2026, 2, 20), D(2026, 2, 25), D(2026, 3, 5)):
        hop(task_at(tree.vp, day), tree.vp, tree.co_loa, day)

    march = read(start=D(2026, 3, 1), end=D(2026, 3, 31))
    february = read(start=D(2026, 2, 1), end=D(2026, 2, 28))

    (unit_flag,) = [f for f in march.flags if f.subject == "unit"]
    assert [h.day for h in unit_flag.hops] == [
        D(2026, 2, 20),
        D(2026, 2, 25),
        D(2026, 3, 5),
    ]
    assert february.flags == []


def test_an_admin_changing_the_threshold_changes_the_flags_at_once(
    tree, people, task_at, hop
):
    for day in (D(2026, 3, 1), D(2026, 3, 2)):
        hop(task_at(tree.vp, day), tree.vp, tree.co_loa, day)
    rule = ConductRule.objects.get(kind=RuleKind.MOVES_OUT)

    services.rule_save(actor=people.admin, rule=rule, threshold=2)

    assert len(flags_of(read(), RuleKind.MOVES_OUT)) == 2


# --- rule: a bounce ---------------------------------------------------------------


def test_a_task_sent_back_to_a_unit_that_held_it_is_a_bounce_with_its_path(
    tree, people, task_at, hop
):
    # Văn phòng → Cổ Loa → back to Văn phòng
    task = task_at(tree.vp, D(2026, 5, 4))
    hop(task, tree.vp, tree.co_loa, D(2026, 5, 6), by=people.lanhdao_vp)
    hop(task, tree.co_loa, tree.vp, D(2026, 5, 11), by=people.canbo_cl)

    rec = read()

    assert rec.total.bounces == 1
    assert flags_of(rec, RuleKind.BOUNCE) == [
        ("person", people.canbo_cl.full_name, 1),
        ("unit", tree.co_loa.name, 1),
    ]
    (path,) = rec.flags[0].paths
    assert path.task_id == task.pk
    assert [(s.unit_name, s.day) for s in path.steps] == [
        (tree.vp.name, D(2026, 5, 4)),
        (tree.co_loa.name, D(2026, 5, 6)),
        (tree.vp.name, D(2026, 5, 11)),
    ]


def test_a_task_that_goes_on_to_new_units_is_not_a_bounce(tree, task_at, hop):
    task = task_at(tree.vp, D(2026, 5, 4))
    hop(task, tree.vp, tree.co_loa, D(2026, 5, 6))
    hop(task, tree.co_loa, tree.tay_ho, D(2026, 5, 20))

    assert flags_of(read(), RuleKind.BOUNCE) == []


def test_a_return_after_a_detour_is_a_bounce_too(tree, task_at, hop):
    task = task_at(tree.vp, D(2026, 5, 4))
    hop(task, tree.vp, tree.co_loa, D(2026, 5, 6))
    hop(task, tree.co_loa, tree.tay_ho, D(2026, 5, 20))
    hop(task, tree.tay_ho, tree.vp, D(2026, 6, 20))

    assert [f.subject_name for f in read().flags if f.subject == "unit"] == [
        tree.tay_ho.name
    ]


# --- rule: pushed back up right after arriving -----------------------------------


@pytest.mark.parametrize(
    ("arrived", "handed_back", "flagged"),
    [
        (D(2026, 11, 2), D(2026, 11, 4), True),  # Monday → Wednesday: 2 days
        (D(2026, 11, 2), D(2026, 11, 5), False),  # Monday → Thursday: 3 days
        (D(2026, 11, 6), D(2026, 11, 10), True),  # Friday → Tuesday: 2 days
        (D(2026, 11, 6), D(2026, 11, 11), False),  # Friday → Wednesday: 3
    ],
)
def test_a_hand_back_within_two_working_days_of_arriving_is_flagged(
    tree, people, task_at, hop, arrived, handed_back, flagged
):
    task = task_at(tree.dong_anh, arrived - datetime.timedelta(days=30))
    hop(task, tree.dong_anh, tree.co_loa, arrived, by=people.bithu_da)
    hop(
        task,
        tree.co_loa,
        tree.dong_anh,
        handed_back,
        by=people.canbo_cl,
        kind=TransferKind.HAND_BACK,
    )

    found = flags_of(read(), RuleKind.QUICK_HAND_BACK)

    assert bool(found) is flagged
    if flagged:
        assert found == [
            ("person", people.canbo_cl.full_name, 1),
            ("unit", tree.co_loa.name, 1),
        ]


def test_a_quick_move_sideways_is_not_a_hand_back(tree, task_at, hop):
    task = task_at(tree.dong_anh, D(2026, 10, 1))
    hop(task, tree.dong_anh, tree.co_loa, D(2026, 11, 2))
    hop(task, tree.co_loa, tree.vp, D(2026, 11, 3))

    assert flags_of(read(), RuleKind.QUICK_HAND_BACK) == []


# --- which rules, to whom ------------------------------------------------------------


def test_a_rule_for_units_only_flags_no_person_and_a_rule_switched_off_nothing(
    tree, people, task_at, hop
):
    task = task_at(tree.vp, D(2026, 5, 4))
    hop(task, tree.vp, tree.co_loa, D(2026, 5, 6))
    hop(task, tree.co_loa, tree.vp, D(2026, 5, 11))
    bounce = ConductRule.objects.get(kind=RuleKind.BOUNCE)
    services.rule_save(actor=people.admin, rule=bounce, applies_to=RuleSubject.UNIT)

    assert [f.subject for f in read().flags] == ["unit"]

    services.rule_save(actor=people.admin, rule=bounce, is_active=False)
    assert read().flags == []


def test_a_persons_record_holds_only_their_own_moves(tree, people, task_at, hop):
    task = task_at(tree.vp, D(2026, 5, 4))
    hop(task, tree.vp, tree.co_loa, D(2026, 5, 6), by=people.lanhdao_vp)
    hop(task, tree.co_loa, tree.vp, D(2026, 5, 11), by=people.canbo_cl)

    mine = record(candidates=person(people.canbo_cl.pk), **YEAR)

    assert mine.total.moves_out == 1
    assert [(f.subject, f.subject_name) for f in mine.flags] == [
        ("person", people.canbo_cl.full_name),
        ("unit", tree.co_loa.name),
    ]


# --- set-based ----------------------------------------------------------------------


def test_the_record_costs_two_queries_however_many_tasks(
    tree, people, task_at, hop, django_assert_num_queries
):
    def add(n):
        for i in range(n):
            task = task_at(tree.vp, D(2026, 4, 1))
            hop(task, tree.vp, tree.co_loa, D(2026, 4, 2 + i % 20))
            hop(task, tree.co_loa, tree.vp, D(2026, 4, 3 + i % 20))

    add(2)
    with django_assert_num_queries(2):
        small = read(tree.dong_anh.path)
    add(30)
    with django_assert_num_queries(2):
        big = read(tree.dong_anh.path)

    assert (small.total.moves_out, big.total.moves_out) == (4, 64)
    # bounces (the unit and the person), then many moves out: the person at
    # once, both units once they pass three
    assert (len(small.flags), len(big.flags)) == (3, 5)
