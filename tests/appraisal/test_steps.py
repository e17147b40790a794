"""A person's month: self-assessment → the leader's assessment →
confirmed, each step with who and when and in the history; the round page
that shows who is where; refusals that say why and keep what was typed."""

import re

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from appraisal import services
from appraisal.models import PersonScore, ScoringRound


@pytest.fixture
def computed(people, month, in_month, add_task):
    add_task(deadline=in_month(10), done_on=in_month(10))
    add_task(deadline=in_month(10), done_on=in_month(8), assignee=people.canbo_vp2)
    services.scores_compute(month=month, actor=None)


def row(person) -> PersonScore:
    return PersonScore.objects.select_related("round", "round__unit").get(
        person=person, round__unit__code__in=["HN.DA.VP", "HN.DA", "HN.TH"]
    )


def vp_round() -> ScoringRound:
    return ScoringRound.objects.get(unit__code="HN.DA.VP")


def test_the_three_steps_keep_who_and_when_and_the_history_and_the_round_counts(
    computed, people
):
    score = row(people.canbo_vp)

    services.score_self_assess(
        actor=people.canbo_vp, score=score, level="good", comment="Xong đúng hạn"
    )
    round_ = vp_round()
    assert (round_.self_assessed, round_.leader_assessed, round_.confirmed) == (1, 0, 0)

    services.score_leader_assess(
        actor=people.lanhdao_vp, score=score, level="good", comment=""
    )
    services.score_confirm(actor=people.bithu_da, score=score)

    score = row(people.canbo_vp)
    assert score.self_at <= score.leader_at <= score.confirmed_at
    assert (score.leader_by, score.confirmed_by) == (people.lanhdao_vp, people.bithu_da)
    assert score.confirmed_level == "good"
    history = list(score.history.order_by("history_date"))
    assert [h.history_user for h in history[-3:]] == [
        people.canbo_vp,
        people.lanhdao_vp,
        people.bithu_da,
    ]
    assert history[-1].history_change_reason.startswith("Xác nhận")
    round_ = vp_round()
    assert (round_.self_assessed, round_.leader_assessed, round_.confirmed) == (1, 1, 1)
    assert round_.frozen_at is None  # two others still to go


def test_the_steps_come_in_order(computed, people):
    score = row(people.canbo_vp)
    with pytest.raises(ValidationError, match="chưa tự đánh giá"):
        services.score_leader_assess(actor=people.lanhdao_vp, score=score, level="good")
    services.score_self_assess(
        actor=people.canbo_vp, score=score, level="good", comment="Xong"
    )
    with pytest.raises(ValidationError, match="chưa đánh giá"):
        services.score_confirm(actor=people.bithu_da, score=score)
    services.score_leader_assess(actor=people.lanhdao_vp, score=score, level="good")
    with pytest.raises(ValidationError, match="không sửa tự đánh giá"):
        services.score_self_assess(
            actor=people.canbo_vp, score=score, level="excellent", comment="Sửa"
        )


def test_a_leader_who_differs_from_the_self_assessment_must_say_why(computed, people):
    score = row(people.canbo_vp)
    services.score_self_assess(
        actor=people.canbo_vp, score=score, level="excellent", comment="Xong sớm"
    )
    with pytest.raises(ValidationError) as refused:
        services.score_leader_assess(actor=people.lanhdao_vp, score=score, level="good")
    assert "hãy nêu lý do" in str(refused.value)
    services.score_leader_assess(
        actor=people.lanhdao_vp,
        score=score,
        level="good",
        comment="Một việc phải gia hạn",
    )
    assert row(people.canbo_vp).leader_level == "good"


def test_a_confirmation_that_differs_from_the_leader_must_say_why(computed, people):
    score = row(people.canbo_vp)
    services.score_self_assess(
        actor=people.canbo_vp, score=score, level="good", comment="Xong"
    )
    services.score_leader_assess(actor=people.lanhdao_vp, score=score, level="good")
    with pytest.raises(ValidationError, match="hãy nêu lý do"):
        services.score_confirm(actor=people.bithu_da, score=score, level="done")
    services.score_confirm(
        actor=people.bithu_da, score=score, level="done", note="Chậm báo cáo"
    )
    assert row(people.canbo_vp).confirmed_level == "done"


def test_nobody_judges_their_own_month_and_colleagues_do_not_judge(computed, people):
    own = row(people.lanhdao_vp)
    services.score_self_assess(
        actor=people.lanhdao_vp, score=own, level="good", comment="Xong"
    )
    with pytest.raises(PermissionDenied):
        services.score_leader_assess(actor=people.lanhdao_vp, score=own, level="good")
    colleague = row(people.canbo_vp)
    with pytest.raises(PermissionDenied):
        services.score_self_assess(
            actor=people.canbo_vp2, score=colleague, level="good", comment="x"
        )
    services.score_self_assess(
        actor=people.canbo_vp, score=colleague, level="good", comment="Xong"
    )
    with pytest.raises(PermissionDenied):
        services.score_leader_assess(
            actor=people.canbo_vp2, score=colleague, level="good"
        )
    # a reviewer judges the heads, not the staff
    with pytest.raises(PermissionDenied):
        services.score_leader_assess(
            actor=people.vanphong_da, score=colleague, level="good"
        )


def test_the_committee_assesses_the_head_of_a_unit(computed, people):
    head = row(people.bithu_da)
    services.score_self_assess(
        actor=people.bithu_da, score=head, level="good", comment="Chỉ đạo kịp thời"
    )
    services.score_leader_assess(actor=people.vanphong_da, score=head, level="good")
    services.score_confirm(actor=people.thuongtruc, score=head)
    head = row(people.bithu_da)
    assert (head.leader_by, head.confirmed_by) == (
        people.vanphong_da,
        people.thuongtruc,
    )
    # the only person of Đông Anh's round is confirmed: the round is frozen
    assert ScoringRound.objects.get(unit__code="HN.DA").frozen_at is not None


def test_the_person_sees_each_step_on_their_page(client, computed, people):
    score = row(people.canbo_vp)
    url = score.get_absolute_url()

    client.force_login(people.canbo_vp)
    page = client.get(url).content.decode()
    assert "Tự đánh giá tháng này" in page and "Chưa tự đánh giá" in page
    assert "Lãnh đạo đánh giá</h2>" not in page  # no leader's form for them

    response = client.post(
        reverse("appraisal:self_assess", args=[score.pk]),
        {"level": "good", "comment": "Đã xong việc được giao"},
    )
    assert response.status_code == 302
    services.score_leader_assess(
        actor=people.lanhdao_vp, score=score, level="excellent", comment="Làm thêm"
    )
    services.score_confirm(actor=people.lanhdao_vp, score=score)

    page = client.get(url).content.decode()
    assert "Đã xác nhận" in page
    assert "Hoàng Lãnh Đạo" in page  # who assessed and confirmed
    assert "Làm thêm" in page
    assert "Điểm đã được chốt" in page


def test_bad_input_is_refused_with_a_message_and_what_was_typed_is_kept(
    client, computed, people
):
    score = row(people.canbo_vp)
    client.force_login(people.canbo_vp)
    url = reverse("appraisal:self_assess", args=[score.pk])

    # without a comment
    response = client.post(url, {"level": "good", "comment": "  "})
    assert response.status_code == 400
    assert "Hãy viết vài dòng tự nhận xét." in response.content.decode()

    # htmx: only the form comes back, with the level still chosen
    response = client.post(
        url, {"level": "excellent", "comment": ""}, headers={"HX-Request": "true"}
    )
    page = response.content.decode()
    assert response.status_code == 400
    assert "<html" not in page and 'id="self-form"' in page
    assert re.search(r'value="excellent"[^>]*checked', page)
    assert row(people.canbo_vp).self_at is None


def test_the_round_page_shows_who_is_where(client, computed, people):
    score = row(people.canbo_vp)
    services.score_self_assess(
        actor=people.canbo_vp, score=score, level="good", comment="Xong"
    )
    client.force_login(people.lanhdao_vp)
    page = client.get(vp_round().get_absolute_url()).content.decode()
    assert 'data-state="people">3<' in page
    assert 'data-state="waiting_self">2<' in page
    assert 'data-state="waiting_leader">1<' in page
    assert "Chờ lãnh đạo đánh giá" in page
    # and the leader can compute the month again from it
    response = client.post(reverse("appraisal:recompute", args=[vp_round().pk]))
    assert response.status_code == 302
    assert vp_round().computed_by == people.lanhdao_vp
