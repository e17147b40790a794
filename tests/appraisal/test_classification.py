"""The period's classification: the bands of Quy định 366-QĐ/TW at their
boundaries (89.9 and 90 points, 100% on time, 20% behind, 30% beyond), the
quota of "xuất sắc" (exactly 20%, ties at the cut), the committee's
decision with a reason when it differs, confirmed results frozen with their
rules, the Excel export and the print sheet."""

import io
from decimal import Decimal

import openpyxl
import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from appraisal import rules, services
from appraisal.models import (
    Classification,
    ClassificationBand,
    ClassificationRuleSet,
    PersonScore,
    ScoringRound,
)
from tests.factories import UserFactory, add_member
from units.choices import Role


@pytest.fixture
def record(tree, people, month, in_month, add_task):
    """``record(person, points=…, on_time=…, late=…, hard=…)``: a month of
    ``points`` in Văn phòng (or ``unit``), and tasks done in it."""

    def _record(person, *, points, on_time=1, late=0, overdue=0, hard=0, unit=None):
        unit = unit or tree.vp
        round_, _ = ScoringRound.objects.get_or_create(unit=unit, month=month)
        PersonScore.objects.create(
            round=round_, person=person, points=Decimal(points), counted=1
        )
        for n in range(on_time):
            add_task(
                deadline=in_month(10),
                done_on=in_month(10),
                assignee=person,
                unit=unit,
                is_hard=n < hard,
            )
        for _ in range(late):
            add_task(
                deadline=in_month(10), done_on=in_month(12), assignee=person, unit=unit
            )
        for _ in range(overdue):
            add_task(deadline=in_month(10), assignee=person, unit=unit)

    return _record


def propose(month, *, unit=None):
    services.classification_propose(actor=None, kind="year", year=month.year, unit=unit)


def of(person) -> Classification:
    return Classification.objects.get(person=person)


@pytest.fixture
def no_quota(db):
    ClassificationRuleSet.objects.filter(is_active=True).update(
        excellent_quota_pct=None
    )


# --- the bands at their boundaries --------------------------------------------


def test_89_9_points_is_good_and_90_is_excellent(tree, people, month, record, no_quota):
    record(people.canbo_vp, points="89.9", on_time=1, hard=1)
    record(people.canbo_vp2, points="90.0", on_time=1, hard=1)
    propose(month)
    assert of(people.canbo_vp).proposed_level == "good"
    assert of(people.canbo_vp2).proposed_level == "excellent"


def test_excellent_and_good_need_every_task_on_time(people, month, record, no_quota):
    record(people.canbo_vp, points="95", on_time=10, hard=10)
    record(people.canbo_vp2, points="95", on_time=9, late=1, hard=9)
    propose(month)
    assert of(people.canbo_vp).proposed_level == "excellent"
    # 90% on time: neither excellent nor good; 10% behind: done
    assert of(people.canbo_vp2).proposed_level == "done"


def test_exactly_20_percent_behind_is_done_and_more_is_not(
    people, month, record, no_quota
):
    record(people.canbo_vp, points="60", on_time=4, late=1)  # 20%
    record(people.canbo_vp2, points="60", on_time=3, late=1)  # 25%
    propose(month)
    assert of(people.canbo_vp).proposed_level == "done"
    assert of(people.canbo_vp2).proposed_level == "not_done"


def test_overdue_work_at_the_period_end_is_behind_schedule(
    people, month, record, no_quota
):
    record(people.canbo_vp, points="75", on_time=1, overdue=1)
    propose(month)
    row = of(people.canbo_vp)
    assert (row.counted, row.overdue) == (2, 1)
    assert row.proposed_level == "not_done"  # 50% behind


def test_exactly_30_percent_beyond_requirements_is_excellent(
    people, month, record, no_quota
):
    record(people.canbo_vp, points="92", on_time=10, hard=3)  # 30%
    record(people.canbo_vp2, points="92", on_time=10, hard=2)  # 20%
    propose(month)
    assert of(people.canbo_vp).proposed_level == "excellent"
    assert of(people.canbo_vp2).proposed_level == "good"


def test_work_done_well_ahead_of_its_deadline_counts_as_beyond(
    people, month, in_month, add_task, record, no_quota
):
    record(people.canbo_vp, points="92", on_time=0)
    for day in (3, 4, 8):  # 7, 6 and 2 days early; 5 is the default
        add_task(deadline=in_month(10), done_on=in_month(day))
    propose(month)
    row = of(people.canbo_vp)
    assert (row.counted, row.beyond) == (3, 2)
    assert row.proposed_level == "excellent"  # 67% beyond


def test_no_score_in_the_period_means_no_proposal_but_a_row_for_the_committee(
    people, month
):
    services.scores_compute(month=month, actor=None)  # rows, no tasks
    propose(month)
    row = of(people.canbo_vp)
    assert (row.avg_points, row.proposed_level) == (None, "")


def test_the_checks_of_each_band_are_kept_and_shown(client, people, month, record):
    record(people.canbo_vp, points="89.9", on_time=1, hard=1)
    propose(month)
    row = of(people.canbo_vp)
    excellent = row.checks["bands"][0]
    assert excellent["level"] == "excellent" and not excellent["ok"]
    assert excellent["checks"][0] == {
        "criterion": "points",
        "required": "90",
        "actual": "89.9",
        "ok": False,
    }
    client.force_login(people.canbo_vp)
    page = client.get(row.get_absolute_url()).content.decode()
    assert "Đối chiếu tiêu chí từng mức" in page
    assert "chưa đạt" in page and "89,9" in page


# --- the quota ----------------------------------------------------------------


def test_quota_allowance_is_20_percent_of_good_or_better_rounded_down():
    assert rules.quota_allowance(10, Decimal(20)) == 2
    assert rules.quota_allowance(9, Decimal(20)) == 1
    assert rules.quota_allowance(4, Decimal(20)) == 0
    assert rules.quota_allowance(4, None) is None


def test_ties_at_the_cut_all_go_to_the_committee():
    marked = rules.over_quota(
        [("a", Decimal(95)), ("b", Decimal(93)), ("c", Decimal(93))], 2
    )
    assert marked == {"b", "c"}
    assert rules.over_quota([("a", Decimal(95)), ("b", Decimal(93))], 2) == set()


@pytest.fixture
def ten(tree, people):
    """Văn phòng with ten staff (and its leader, who has no score)."""
    staff = [people.canbo_vp, people.canbo_vp2]
    for n in range(8):
        user = UserFactory(username=f"cb_vp_{n}", full_name=f"Cán bộ {n:02d}")
        add_member(user, tree.vp, Role.STAFF)
        staff.append(user)
    return staff


def test_exactly_20_percent_excellent_is_within_the_quota(month, record, ten):
    for n, person in enumerate(ten):
        if n < 2:
            record(person, points=f"{95 - n}", on_time=1, hard=1)
        else:
            record(person, points="80", on_time=1)
    propose(month)
    rows = Classification.objects.filter(person__in=ten)
    assert rows.filter(proposed_level="excellent").count() == 2
    assert not rows.filter(over_quota=True).exists()


def test_over_the_quota_the_highest_keep_it_and_the_rest_go_to_the_committee(
    client, people, month, record, ten
):
    # three excellent candidates among ten who reach "tốt": two places
    for n, person in enumerate(ten):
        if n < 3:
            record(person, points=f"{95 - n}", on_time=1, hard=1)
        else:
            record(person, points="80", on_time=1)
    propose(month)

    third = of(ten[2])
    assert (third.criteria_level, third.proposed_level, third.over_quota) == (
        "excellent",
        "good",
        True,
    )
    assert of(ten[0]).proposed_level == of(ten[1]).proposed_level == "excellent"
    client.force_login(people.thuongtruc)
    page = client.get(third.get_absolute_url()).content.decode()
    assert "đã đủ tỷ lệ “xuất sắc”" in page


# --- the decision, frozen -----------------------------------------------------


def test_a_decision_that_differs_from_the_proposal_needs_a_reason(
    people, month, record, no_quota
):
    record(people.canbo_vp, points="80", on_time=1)
    propose(month)
    row = of(people.canbo_vp)
    with pytest.raises(ValidationError, match="hãy nêu lý do"):
        services.classification_decide(
            actor=people.thuongtruc, classification=row, level="excellent"
        )
    services.classification_decide(
        actor=people.thuongtruc, classification=row, level="good"
    )
    row = of(people.canbo_vp)
    assert (row.decided_level, row.decided_by) == ("good", people.thuongtruc)


def test_a_decided_result_is_frozen_with_its_rules_when_the_rules_change(
    people, month, record, no_quota
):
    # given canbo_vp decided "tốt" under version 1, canbo_vp2 not decided
    record(people.canbo_vp, points="80", on_time=1)
    record(people.canbo_vp2, points="80", on_time=1)
    propose(month)
    services.classification_decide(
        actor=people.thuongtruc, classification=of(people.canbo_vp), level="good"
    )
    decided = of(people.canbo_vp)

    # when the admins apply stricter bands (tốt from 85) and propose again
    draft = services.classification_rules_copy(
        actor=people.admin, rule_set=ClassificationRuleSet.objects.get(version=1)
    )
    ClassificationBand.objects.filter(rule_set=draft, level="good").update(
        min_points=85
    )
    services.classification_rules_activate(actor=people.admin, rule_set=draft)
    propose(month)

    # then the decided result keeps its level, rules and the copy of them
    again = of(people.canbo_vp)
    assert (again.decided_level, again.proposed_level, again.rule_set_id) == (
        "good",
        "good",
        decided.rule_set_id,
    )
    assert again.rules_snapshot == decided.rules_snapshot
    assert again.rules_snapshot["version"] == 1
    good = next(b for b in again.rules_snapshot["bands"] if b["level"] == "good")
    assert good["min_points"] == "70"
    # … while the open one follows the new rules
    assert of(people.canbo_vp2).proposed_level == "done"
    assert of(people.canbo_vp2).rule_set == draft


def test_an_applied_classification_rule_set_cannot_be_edited_in_the_admin(
    client, people
):
    client.force_login(people.admin)
    rule_set = ClassificationRuleSet.objects.get(is_active=True)
    url = reverse("admin:appraisal_classificationruleset_change", args=[rule_set.pk])
    response = client.post(url, {"name": "Sửa", "excellent_quota_pct": "50"})
    assert response.status_code == 403
    assert ClassificationRuleSet.objects.get(pk=rule_set.pk).excellent_quota_pct == 20


def test_a_unit_is_classified_among_its_siblings(
    tree, people, month, in_month, add_task
):
    add_task(deadline=in_month(10), done_on=in_month(10))
    add_task(
        deadline=in_month(10),
        done_on=in_month(10),
        unit=tree.co_loa,
        assignee=people.canbo_cl,
    )
    services.scores_compute(month=month, actor=None)

    propose(month, unit=tree.dong_anh)
    units = Classification.objects.filter(person__isnull=True)
    assert {c.unit.code for c in units} == {"HN.DA.VP", "HN.DA.CL"}
    assert {c.group_unit for c in units} == {tree.dong_anh}

    propose(month, unit=tree.city)
    assert Classification.objects.filter(person__isnull=True, unit=tree.dong_anh)


# --- export and print ---------------------------------------------------------


def test_the_export_has_the_rows_of_the_page_and_formulas_stay_text(
    client, tree, people, month, record, no_quota
):
    trick = UserFactory(username="trick", full_name='=HYPERLINK("http://x")')
    add_member(trick, tree.vp, Role.STAFF)
    record(trick, points="80", on_time=1)
    record(people.canbo_vp, points="91", on_time=1, hard=1)
    propose(month)

    client.force_login(people.lanhdao_vp)
    response = client.get(
        reverse("appraisal:classifications_export"), {"year": month.year}
    )
    assert response.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    values = [[c for c in row] for row in sheet.iter_rows(values_only=True)]
    names = [row[0] for row in values if row and row[0]]
    assert '\'=HYPERLINK("http://x")' in names
    line = next(row for row in values if row[0] == "Nguyễn Cán Bộ")
    assert line[4] == 91.0
    assert line[10] == "Hoàn thành xuất sắc nhiệm vụ"


def test_the_print_sheet_is_one_persons_record(client, people, month, record):
    record(people.canbo_vp, points="80", on_time=1)
    propose(month)
    client.force_login(people.canbo_vp)
    response = client.get(
        reverse("appraisal:classification_print", args=[of(people.canbo_vp).pk])
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "PHIẾU PHÂN LOẠI MỨC ĐỘ HOÀN THÀNH NHIỆM VỤ" in page
    assert "Nguyễn Cán Bộ" in page and "(Ký, ghi rõ họ tên)" in page
    assert "css/appraisal.css" in page
