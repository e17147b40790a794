"""The score rules: admins preview a change on last month (current and
proposed score of every person and unit, with the difference) before it is
saved; saving makes a new version and computes again the months not yet
confirmed; confirmed months never change."""

from decimal import Decimal

import pytest
from django.urls import reverse

from appraisal import services
from appraisal.models import PersonScore, RuleSet, ScoringRound
from appraisal.rules import RULE_FIELDS

RULES = reverse("appraisal:rules")


def form_data(**changes) -> dict:
    current = RuleSet.objects.get(is_active=True)
    data = {"name": "", "note": "", "action": "preview"}
    for name in RULE_FIELDS:
        value = getattr(current, name)
        if value is True:
            data[name] = "on"
        elif value not in (None, False):
            data[name] = str(value)
    data.update(changes)
    return data


@pytest.fixture
def october(people, month, in_month, add_task):
    """canbo_vp: 1 on time, 2 late (80 + 2 − 10 = 72); canbo_vp2: 1 late
    (75); last month computed."""
    add_task(deadline=in_month(10), done_on=in_month(10))
    add_task(deadline=in_month(10), done_on=in_month(12))
    add_task(deadline=in_month(10), done_on=in_month(13))
    add_task(deadline=in_month(10), done_on=in_month(11), assignee=people.canbo_vp2)
    services.scores_compute(month=month, actor=None)


def points(person) -> Decimal:
    return PersonScore.objects.get(person=person, round__unit__code="HN.DA.VP").points


def test_the_preview_shows_current_and_proposed_scores_and_saves_nothing(
    client, october, people
):
    client.force_login(people.admin)
    response = client.post(RULES, form_data(late_points="7.5"))
    page = response.content.decode()

    assert response.status_code == 200
    assert "Xem trước: điểm tháng" in page
    # canbo_vp 72 → 67 (−5), canbo_vp2 75 → 72,5 (−2,5)
    assert "<td>Nguyễn Cán Bộ</td>" in page
    assert '<td class="num">72</td><td class="num">67</td><td class="num">-5</td>' in (
        page.replace("\n", "")
    )
    assert '<td class="num">75</td><td class="num">72,5</td>' in page
    assert "2 người đổi điểm (0 tăng, 2 giảm)" in page
    assert RuleSet.objects.count() == 1
    assert points(people.canbo_vp) == Decimal("72.0")


def test_saving_makes_a_new_version_and_computes_open_months_again(
    client, october, people
):
    client.force_login(people.admin)
    response = client.post(
        RULES, form_data(late_points="7.5", action="save", note="Trừ nặng hơn")
    )
    assert response.status_code == 302

    active = RuleSet.objects.get(is_active=True)
    assert (active.version, active.late_points, active.created_by) == (
        2,
        Decimal("7.5"),
        people.admin,
    )
    assert RuleSet.objects.get(version=1).is_active is False
    assert points(people.canbo_vp) == Decimal("67.0")
    score = PersonScore.objects.get(
        person=people.canbo_vp, round__unit__code="HN.DA.VP"
    )
    assert score.breakdown["rule_set"] == 2
    assert ScoringRound.objects.get(unit__code="HN.DA.VP").rule_set == active


def test_a_new_rule_set_never_rewrites_a_confirmed_month(client, october, people):
    # given canbo_vp's month confirmed under version 1
    score = PersonScore.objects.get(
        person=people.canbo_vp, round__unit__code="HN.DA.VP"
    )
    services.score_self_assess(
        actor=people.canbo_vp, score=score, level="done", comment="Hai việc chậm"
    )
    services.score_leader_assess(actor=people.lanhdao_vp, score=score, level="done")
    services.score_confirm(actor=people.bithu_da, score=score)
    before = PersonScore.objects.get(pk=score.pk)

    # when an admin saves harsher rules
    client.force_login(people.admin)
    response = client.post(
        RULES, form_data(late_points="9", action="save", note="Thử nghiệm")
    )
    assert response.status_code == 302

    # then the confirmed row keeps its points, breakdown and rule set
    after = PersonScore.objects.get(pk=score.pk)
    assert (after.points, after.breakdown, after.rule_set_id) == (
        before.points,
        before.breakdown,
        before.rule_set_id,
    )
    assert after.breakdown["rule_set"] == 1
    # … while the open one is computed again
    assert points(people.canbo_vp2) == Decimal("71.0")
    # and the preview marks it as frozen
    page = client.post(RULES, form_data(late_points="1")).content.decode()
    assert "1 người đã chốt giữ nguyên" in page


def test_bad_numbers_are_refused_with_a_message_and_kept(client, october, people):
    client.force_login(people.admin)
    response = client.post(RULES, form_data(base_points="120", late_points="abc"))
    page = response.content.decode()
    assert response.status_code == 400
    assert "Điểm nền phải từ 0 đến 100." in page
    assert "Hãy nhập một số" in page
    assert 'value="120"' in page
    assert RuleSet.objects.count() == 1


def test_saving_needs_a_reason(client, october, people):
    client.force_login(people.admin)
    response = client.post(RULES, form_data(action="save"))
    assert response.status_code == 400
    assert "Hãy nêu lý do thay đổi quy tắc." in response.content.decode()
    assert RuleSet.objects.count() == 1


def test_the_admin_may_apply_an_earlier_version_again(client, october, people):
    services.rule_set_publish(
        actor=people.admin, values=form_values(late_points=Decimal(9)), note="Thử"
    )
    first = RuleSet.objects.get(version=1)
    client.force_login(people.admin)
    response = client.post(
        reverse("admin:appraisal_ruleset_changelist"),
        {"action": "apply_again", "_selected_action": [first.pk]},
    )
    assert response.status_code == 302
    assert RuleSet.objects.get(is_active=True).version == 1
    assert points(people.canbo_vp) == Decimal("72.0")


def test_rule_sets_cannot_be_edited_in_the_admin(client, october, people):
    client.force_login(people.admin)
    rule_set = RuleSet.objects.get(is_active=True)
    url = reverse("admin:appraisal_ruleset_change", args=[rule_set.pk])
    response = client.post(url, {"base_points": "50"})
    assert response.status_code == 403
    assert RuleSet.objects.get(pk=rule_set.pk).base_points == Decimal(80)
    # adding one leads to the page with the preview
    response = client.get(reverse("admin:appraisal_ruleset_add"))
    assert response["Location"] == RULES


def form_values(**changes) -> dict:
    current = RuleSet.objects.get(is_active=True)
    values = {name: getattr(current, name) for name in RULE_FIELDS}
    values.update(changes)
    return values
