"""Reorganisation carries the supervision that is still live: the targets
of teams still at work (with their planned visits) and the open findings
follow the successor; visit records, closed findings and finished teams
stay with the old unit; a team never ends up targeting a unit twice the
same way; the people of the old unit see the findings about their new
unit once filed.

tests/supervision/conftest.py's team of Đông Anh (led by lanhdao_vp, with
canbo_vp2), its targets in Cổ Loa (the Party organisation, and its head
canbo_cl) and a planned visit to the organisation in five days; Cổ Loa
merges (or splits) into the communes of tests/units/test_reorganise.py.
"""

# The fixtures of tests/supervision/conftest.py and test_reorganise.py are
# imported to be used here, so pytest's parameters share their names.
# ruff: noqa: F401, F811

import datetime

import pytest
from django.contrib.messages import get_messages
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from supervision import services
from supervision.choices import TargetKind, VisitStatus
from supervision.models import Finding, Target
from tasks import services as task_services
from tests.factories import UserFactory, add_member
from tests.supervision.conftest import (
    add_finding,
    catalogue,
    finish,
    record,
    remediate,
    sup,
)
from units.choices import Role
from units.reorganise import merge_units, rename_unit, split_unit

from .test_reorganise import (
    BASIS,
    JULY_1,
    fresh,
    new_commune,
    second_commune,
)

CHANGELIST = reverse("admin:units_unit_changelist")


def merge(tree, people, successor, *predecessors):
    return merge_units(
        actor=people.admin,
        predecessors=list(predecessors) or [tree.co_loa],
        successor=successor,
        effective_date=JULY_1,
        reason=BASIS,
    )


def plan(sup, people, target, *, in_days=10):
    return services.visit_plan(
        actor=people.lanhdao_vp,
        team=sup.team,
        target=target,
        planned_date=sup.today + datetime.timedelta(days=in_days),
    )


def file(sup, people, visit=None):
    return services.visit_file(actor=people.lanhdao_vp, visit=visit or sup.visit)


# --- targets ---------------------------------------------------------------------


def test_targets_without_a_record_move_with_their_planned_visits(
    tree, people, sup, new_commune
):
    # given the team targets Cổ Loa and its head, and plans a visit there
    result = merge(tree, people, new_commune)

    # then both targets are the commune's, the plan follows, no target added
    assert fresh(sup.org).unit == new_commune
    assert fresh(sup.head).unit == new_commune
    assert fresh(sup.visit).target == sup.org
    assert Target.objects.filter(team=sup.team).count() == 2
    assert (result.targets, result.visits, result.findings) == (2, 1, 0)
    # the commune has no head of its own: the team still names canbo_cl
    assert sup.head.head_person == people.canbo_cl
    latest = sup.org.history.latest()
    assert latest.history_user == people.admin
    assert latest.history_change_reason.startswith(
        "Sáp nhập UBND xã Cổ Loa vào Xã Đông Anh từ 01/07/2025"
    )


def test_a_head_target_names_the_successors_head(tree, people, sup, new_commune):
    head = UserFactory(username="bithu_xda", full_name="Chu Văn Xã")
    add_member(head, new_commune, Role.LEADER)
    new_commune.head = head
    new_commune.save()

    merge(tree, people, new_commune)

    target = fresh(sup.head)
    assert (target.unit, target.head_person) == (new_commune, head)


def test_a_filed_visit_stays_and_the_plan_goes_to_a_new_target(
    tree, people, sup, new_commune
):
    # given the planned visit to Cổ Loa was made and filed, a draft surprise
    # inspection is being written, and a second visit is planned
    record(sup, people)
    file(sup, people)
    surprise = services.inspection_create(
        actor=people.canbo_vp2,
        team=sup.team,
        target=sup.org,
        visited_on=sup.today,
        subject="Giờ làm việc",
    )
    later = plan(sup, people, sup.org)

    result = merge(tree, people, new_commune)

    # then the records stay with Cổ Loa's target, as they were
    assert fresh(sup.org).unit == tree.co_loa
    assert fresh(sup.visit).target == sup.org
    assert fresh(sup.visit).status == VisitStatus.FILED
    assert fresh(surprise).target == sup.org
    # and the plan goes to the team's new target in the commune
    moved = Target.objects.get(
        team=sup.team, unit=new_commune, kind=TargetKind.ORGANISATION
    )
    assert fresh(later).target == moved
    assert later.status == VisitStatus.PLANNED
    assert result.visits == 1
    assert result.targets == 2  # the organisation and the head


def test_no_duplicate_target_when_the_team_already_targets_the_successor(
    tree, people, sup, new_commune
):
    # given the team targets the commune's organisation already
    existing = services.target_add(
        actor=people.bithu_da,
        team=sup.team,
        unit=new_commune,
        kind=TargetKind.ORGANISATION,
    )

    result = merge(tree, people, new_commune)

    # then it keeps one target there, which takes Cổ Loa's planned visit
    targets = Target.objects.filter(
        team=sup.team, unit=new_commune, kind=TargetKind.ORGANISATION
    )
    assert list(targets) == [existing]
    assert fresh(sup.visit).target == existing
    assert not Target.objects.filter(pk=sup.org.pk).exists()
    assert sup.org.history.latest().history_type == "-"
    assert result.targets == 2 and result.visits == 1


def test_two_merged_units_targeted_alike_become_one_target(
    tree, people, sup, new_commune
):
    # given the team also targets the office's organisation, with a plan
    office = services.target_add(
        actor=people.bithu_da,
        team=sup.team,
        unit=tree.vp,
        kind=TargetKind.ORGANISATION,
    )
    office_visit = plan(sup, people, office)

    merge(tree, people, new_commune, tree.vp, tree.co_loa)

    target = Target.objects.get(
        team=sup.team, unit=new_commune, kind=TargetKind.ORGANISATION
    )
    assert {fresh(sup.visit).target, fresh(office_visit).target} == {target}
    assert Target.objects.filter(team=sup.team).count() == 2  # and the head


def test_a_finished_team_keeps_its_targets(tree, people, sup, new_commune, today):
    # given a team that ended yesterday, which targeted Cổ Loa
    old_team = services.team_create(
        actor=people.bithu_da,
        name="Đoàn giám sát năm trước",
        owner_unit=tree.dong_anh,
        leader=people.lanhdao_vp,
        start_date=today - datetime.timedelta(days=200),
        end_date=today - datetime.timedelta(days=1),
    )
    old_target = services.target_add(
        actor=people.bithu_da,
        team=old_team,
        unit=tree.co_loa,
        kind=TargetKind.ORGANISATION,
    )

    result = merge(tree, people, new_commune)

    assert fresh(old_target).unit == tree.co_loa
    assert fresh(sup.org).unit == new_commune
    assert result.targets == 2


# --- findings --------------------------------------------------------------------


def test_open_findings_move_and_closed_ones_stay(
    tree, people, sup, new_commune, catalogue
):
    # given a filed visit with four findings about Cổ Loa
    record(sup, people)
    untreated = add_finding(sup, people, description="Chưa có nhiệm vụ khắc phục")
    in_hand = add_finding(sup, people, description="Nhiệm vụ đang làm")
    remedied = add_finding(sup, people, description="Đã khắc phục xong")
    dropped = add_finding(sup, people, description="Nhiệm vụ đã hủy")
    file(sup, people)
    open_task = remediate(sup, tree, people, in_hand)
    done_task = finish(remediate(sup, tree, people, remedied), people, on=sup.today)
    task_services.task_cancel(
        actor=people.bithu_da,
        task=remediate(sup, tree, people, dropped),
        reason="Trùng nhiệm vụ khác",
    )

    result = merge(tree, people, new_commune)

    # then the three still being remedied are about the commune
    assert fresh(untreated).unit == new_commune
    assert fresh(in_hand).unit == new_commune
    assert fresh(dropped).unit == new_commune
    assert fresh(open_task).lead_unit == new_commune
    # and the one remedied stays with Cổ Loa, as does its task
    assert fresh(remedied).unit == tree.co_loa
    assert fresh(done_task).lead_unit == tree.co_loa
    assert result.findings == 3
    assert untreated.history.latest().history_change_reason.startswith(
        "Sáp nhập UBND xã Cổ Loa vào Xã Đông Anh"
    )
    # the filed record itself is unchanged
    assert fresh(sup.visit).target.unit == tree.co_loa


def test_the_people_moved_see_the_findings_about_their_unit_once_filed(
    client, tree, people, sup, new_commune
):
    # given a record of Cổ Loa being written, with a finding
    record(sup, people)
    finding = add_finding(sup, people)

    # when Cổ Loa merges into the commune before the record is filed
    merge(tree, people, new_commune)

    # then canbo_cl, now of the commune, does not see it yet
    assert people.canbo_cl.memberships.get().unit == new_commune
    client.force_login(people.canbo_cl)
    assert client.get(finding.get_absolute_url()).status_code == 404
    page = client.get(reverse("supervision:findings")).text
    assert finding.description not in page

    # and once filed, he sees the finding about his new unit
    file(sup, people)
    assert fresh(finding).unit == new_commune
    assert list(Finding.objects.visible_to(people.canbo_cl)) == [finding]
    assert client.get(finding.get_absolute_url()).status_code == 200
    page = client.get(reverse("supervision:findings")).text
    assert finding.description in page


# --- split and rename ------------------------------------------------------------


def test_a_split_gives_targets_and_findings_to_the_default_successor(
    tree, people, sup, new_commune, second_commune
):
    record(sup, people)
    finding = add_finding(sup, people)
    file(sup, people)
    later = plan(sup, people, sup.head)

    result = split_unit(
        actor=people.admin,
        predecessor=tree.co_loa,
        successors=[new_commune, second_commune],
        effective_date=JULY_1,
        reason=BASIS,
        member_targets={people.canbo_cl.memberships.get().pk: new_commune},
        default_successor=second_commune,
    )

    assert fresh(finding).unit == second_commune
    assert fresh(sup.head).unit == second_commune
    assert fresh(later).target == sup.head
    # the organisation's visit is on record: a new target takes over there
    assert fresh(sup.org).unit == tree.co_loa
    assert Target.objects.filter(team=sup.team, unit=second_commune).count() == 2
    assert (result.targets, result.visits, result.findings) == (2, 1, 1)


def test_a_rename_hands_the_supervision_to_the_renamed_unit(tree, people, sup):
    record(sup, people)
    finding = add_finding(sup, people)

    result = rename_unit(
        actor=people.admin,
        unit=tree.co_loa,
        name="UBND phường Cổ Loa",
        short_name="",
        code="HN.PCL",
        effective_date=JULY_1,
        reason=BASIS,
    )

    renamed = result.successors[0]
    assert fresh(finding).unit == renamed
    assert fresh(sup.head).unit == renamed
    # the record being written stays with the old name's target
    assert fresh(sup.visit).target == sup.org
    assert fresh(sup.org).unit == tree.co_loa
    assert result.findings == 1


def test_a_refused_merge_moves_no_supervision(tree, people, sup, new_commune):
    record(sup, people)
    finding = add_finding(sup, people)
    with pytest.raises(ValidationError, match="không thể là một trong"):
        merge(tree, people, tree.co_loa, tree.co_loa)
    assert fresh(finding).unit == tree.co_loa
    assert fresh(sup.org).unit == tree.co_loa


# --- the admin -------------------------------------------------------------------


@pytest.fixture
def admin_client(client, people):
    client.force_login(people.admin)
    return client


def action(client, units, **data):
    payload = {
        "action": "merge_selected",
        "_selected_action": [u.pk for u in units],
        **data,
    }
    return client.post(CHANGELIST, payload)


def test_the_preview_lists_the_targets_and_open_findings(
    admin_client, tree, people, sup
):
    record(sup, people)
    add_finding(sup, people, description="Hồ sơ một cửa trễ hạn")

    text = action(admin_client, [tree.co_loa]).text

    assert (
        "Giám sát: 2 đối tượng giám sát của các đoàn đang hoạt động (0 đợt giám "
        "sát theo kế hoạch chưa thực hiện), 1 phát hiện đang khắc phục." in text
    )
    assert "Đoàn giám sát số 1" in text
    assert "Hồ sơ một cửa trễ hạn" in text
    assert fresh(sup.org).unit == tree.co_loa


def test_the_success_message_counts_the_supervision_moved(
    admin_client, tree, people, sup, new_commune
):
    response = action(
        admin_client,
        [tree.co_loa],
        apply="1",
        mode="existing",
        successor=new_commune.pk,
        effective_date="2025-07-01",
    )

    assert response.status_code == 302
    (message,) = [str(m) for m in get_messages(response.wsgi_request)]
    assert message.endswith(
        "Giám sát: chuyển 2 đối tượng giám sát, 1 đợt giám sát theo kế hoạch chưa "
        "thực hiện, 0 phát hiện đang khắc phục."
    )
    assert fresh(sup.org).unit == new_commune


def test_the_preview_costs_the_same_queries_for_one_finding_and_for_ten(
    admin_client, tree, people, sup
):
    record(sup, people)

    def queries():
        with CaptureQueriesContext(connection) as captured:
            response = action(admin_client, [tree.co_loa])
        assert response.status_code == 200
        return len(captured.captured_queries), response

    add_finding(sup, people)
    few, _response = queries()
    for n in range(9):
        add_finding(sup, people, description=f"Phát hiện số {n + 2}")
        services.target_add(
            actor=people.bithu_da,
            team=services.team_create(
                actor=people.bithu_da,
                name=f"Đoàn {n + 2}",
                owner_unit=tree.dong_anh,
                leader=people.lanhdao_vp,
                start_date=sup.today,
                end_date=sup.today + datetime.timedelta(days=30),
            ),
            unit=tree.co_loa,
            kind=TargetKind.ORGANISATION,
        )
    many, response = queries()

    assert many == few
    work = response.context["works"][0]
    assert (len(work.findings), len(work.targets)) == (10, 11)
