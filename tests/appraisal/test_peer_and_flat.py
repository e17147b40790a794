"""Cross-evaluation (đánh giá chéo): a few colleagues each, the person sees
the averages but never who, the admin can audit; and against "cào bằng":
the unit's spread of scores, and a flag when everyone is in the same band."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from appraisal import services
from appraisal.models import PeerRating, PersonScore, ScoringRound
from tests.factories import UserFactory, add_member
from units.choices import Role


@pytest.fixture
def office(tree, people):
    """Văn phòng with three more staff: six people in its round."""
    extra = []
    for n, name in enumerate(("Trần Minh", "Lê Hà", "Phạm Long"), start=1):
        user = UserFactory(username=f"canbo_vp_{n}", full_name=name)
        add_member(user, tree.vp, Role.STAFF)
        extra.append(user)
    return extra


def vp_round() -> ScoringRound:
    return ScoringRound.objects.select_related("rule_set").get(unit__code="HN.DA.VP")


def rate(actor, evaluated, value=4):
    return services.peer_rate(
        actor=actor,
        round=vp_round(),
        evaluated=evaluated,
        responsibility=value,
        cooperation=value,
        quality=value,
    )


def test_each_person_rates_at_most_three_colleagues_and_may_change_a_rating(
    office, people, month
):
    services.scores_compute(month=month, actor=None)
    a, b, c = office
    rate(people.canbo_vp, a)
    rate(people.canbo_vp, b)
    rate(people.canbo_vp, c)  # the third: still allowed
    with pytest.raises(ValidationError, match="tối đa 3 đồng nghiệp"):
        rate(people.canbo_vp, people.canbo_vp2)  # the fourth
    rate(people.canbo_vp, a, value=2)  # changing one does not count again
    assert PeerRating.objects.get(evaluator=people.canbo_vp, evaluated=a).quality == 2
    assert PeerRating.objects.filter(evaluator=people.canbo_vp).count() == 3


def test_only_people_of_the_round_rate_each_other_and_never_themselves(
    office, people, month
):
    services.scores_compute(month=month, actor=None)
    with pytest.raises(ValidationError, match="Không tự đánh giá"):
        rate(people.canbo_vp, people.canbo_vp)
    with pytest.raises(PermissionDenied):
        rate(people.bithu_da, people.canbo_vp)  # a leader above, not in the round
    with pytest.raises(ValidationError, match="không có tên"):
        rate(people.canbo_vp, people.canbo_cl)  # from another unit
    with pytest.raises(ValidationError, match="từ 1 đến 5"):
        rate(people.canbo_vp, people.canbo_vp2, value=6)


def test_the_person_sees_the_averages_only_from_two_raters_and_never_who(
    client, office, people, month
):
    services.scores_compute(month=month, actor=None)
    a, b, _c = office
    score = PersonScore.objects.get(
        person=people.canbo_vp2, round__unit__code="HN.DA.VP"
    )
    client.force_login(people.canbo_vp2)

    # one colleague: nothing shown yet
    rate(a, people.canbo_vp2, value=5)
    page = client.get(score.get_absolute_url()).content.decode()
    assert "Kết quả hiện khi có ít nhất 2 đồng nghiệp đánh giá" in page

    # two colleagues: the averages, not the names
    rate(b, people.canbo_vp2, value=4)
    page = client.get(score.get_absolute_url()).content.decode()
    assert "2 đồng nghiệp đã đánh giá" in page
    assert "4,5" in page
    assert a.full_name not in page and b.full_name not in page


def test_the_admin_shows_who_gave_each_rating(client, office, people, month):
    services.scores_compute(month=month, actor=None)
    rate(office[0], people.canbo_vp2, value=3)
    client.force_login(people.admin)
    page = client.get(reverse("admin:appraisal_peerrating_changelist")).content
    assert office[0].full_name in page.decode()


def test_the_peer_form_lists_the_colleagues_and_refuses_a_bad_rating_keeping_it(
    client, office, people, month
):
    services.scores_compute(month=month, actor=None)
    url = reverse("appraisal:peer", args=[vp_round().pk])
    client.force_login(people.canbo_vp)
    page = client.get(url).content.decode()
    assert people.canbo_vp2.full_name in page
    assert f'value="{people.canbo_vp.pk}"' not in page  # not oneself

    response = client.post(
        url,
        {"evaluated": people.canbo_vp2.pk, "responsibility": "4", "quality": "5"},
    )
    page = response.content.decode()
    assert response.status_code == 400
    assert "Chấm từ 1 đến 5." in page
    assert not PeerRating.objects.exists()


# --- cào bằng ------------------------------------------------------------------


def same_points(add_task, in_month, people_list, *, on_time=1):
    """Give each person ``on_time`` tasks done on time: the same score."""
    for person in people_list:
        for _ in range(on_time):
            add_task(deadline=in_month(10), done_on=in_month(10), assignee=person)


def test_a_unit_where_everyone_scores_in_the_same_band_is_flagged(
    client, office, people, month, in_month, add_task
):
    # given six people of Văn phòng, all with 82 points (the "tốt" band)
    staff = [people.lanhdao_vp, people.canbo_vp, people.canbo_vp2, *office]
    same_points(add_task, in_month, staff)

    services.scores_compute(month=month, actor=None)

    round_ = vp_round()
    assert round_.flat_scores
    assert (round_.points_min, round_.points_median, round_.points_max) == (82, 82, 82)
    client.force_login(people.bithu_da)
    page = client.get(round_.get_absolute_url()).content.decode()
    assert 'id="flat-flag"' in page
    assert "Cả 6 người có điểm đều cùng một mức điểm." in page


def test_one_person_in_another_band_lifts_the_flag(
    office, people, month, in_month, add_task
):
    staff = [people.lanhdao_vp, people.canbo_vp, people.canbo_vp2, *office]
    same_points(add_task, in_month, staff[:-1])
    same_points(add_task, in_month, staff[-1:], on_time=5)  # 90: another band

    services.scores_compute(month=month, actor=None)

    assert not vp_round().flat_scores


def test_too_few_people_to_tell_is_not_flagged(people, month, in_month, add_task):
    # two scored people of the same band: below the minimum of 3
    same_points(add_task, in_month, [people.canbo_vp, people.canbo_vp2])
    services.scores_compute(month=month, actor=None)
    assert not vp_round().flat_scores


def test_exactly_three_people_in_the_same_band_are_enough_to_flag(
    people, month, in_month, add_task
):
    same_points(
        add_task, in_month, [people.lanhdao_vp, people.canbo_vp, people.canbo_vp2]
    )
    services.scores_compute(month=month, actor=None)
    assert vp_round().flat_scores


def test_a_leader_who_gives_everyone_the_same_level_is_flagged(
    people, month, in_month, add_task
):
    services.scores_compute(month=month, actor=None)
    for person in (people.lanhdao_vp, people.canbo_vp, people.canbo_vp2):
        score = PersonScore.objects.get(person=person, round__unit__code="HN.DA.VP")
        services.score_self_assess(
            actor=person, score=score, level="good", comment="Xong"
        )
        leader = people.bithu_da
        assert not vp_round().flat_levels
        services.score_leader_assess(
            actor=leader, score=score, level="excellent", comment="Tốt"
        )
    assert vp_round().flat_levels


def test_the_spread_and_distribution_are_on_the_unit_page(
    client, people, month, in_month, add_task
):
    # canbo_vp: 5 on time and 1 overdue → 80; canbo_vp2: 1 overdue → 70
    same_points(add_task, in_month, [people.canbo_vp], on_time=5)
    add_task(deadline=in_month(3))
    add_task(deadline=in_month(3), assignee=people.canbo_vp2)
    services.scores_compute(month=month, actor=None)

    client.force_login(people.lanhdao_vp)
    page = client.get(vp_round().get_absolute_url()).content.decode()
    assert 'data-spread="min">70<' in page
    assert 'data-spread="max">80<' in page
    assert '<meter min="0" max="2" value="1">' in page
