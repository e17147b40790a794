"""The rules of supervision at their boundaries: who sets up what, what a
record needs, filing makes it read-only, a finding's remediation tasks carry
the five rõ, and its state follows its tasks."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from supervision import services
from supervision.choices import FindingState, TargetKind, VisitKind, VisitStatus
from supervision.models import Finding, FindingTask
from supervision.selectors import state_of, with_state
from tasks.choices import TaskStatus

from .conftest import (
    add_finding,
    filed_finding,
    finish,
    record,
    remediate,
    remediation_kwargs,
)


def state(finding):
    return state_of(with_state(Finding.objects.filter(pk=finding.pk)).get())


def test_only_a_leader_of_the_owner_unit_sets_up_a_team(tree, people, today):
    for actor in (people.lanhdao_vp, people.vanphong_da, people.bithu_th):
        with pytest.raises(PermissionDenied):
            services.team_create(
                actor=actor,
                name="Đoàn",
                owner_unit=tree.dong_anh,
                leader=people.lanhdao_vp,
                start_date=today,
                end_date=today,
            )


def test_a_team_ending_before_it_starts_is_refused_in_vietnamese(tree, people, today):
    with pytest.raises(ValidationError) as exc:
        services.team_create(
            actor=people.bithu_da,
            name="Đoàn",
            owner_unit=tree.dong_anh,
            leader=people.lanhdao_vp,
            start_date=today,
            end_date=today - datetime.timedelta(days=1),
        )
    assert (
        "Ngày kết thúc không được trước ngày bắt đầu."
        in exc.value.message_dict["end_date"]
    )


def test_a_target_must_be_under_the_owner_unit_and_not_twice(sup, tree, people):
    with pytest.raises(ValidationError) as exc:
        services.target_add(
            actor=people.bithu_da,
            team=sup.team,
            unit=tree.tay_ho,
            kind=TargetKind.ORGANISATION,
        )
    assert "trực thuộc" in exc.value.message_dict["unit"][0]
    with pytest.raises(ValidationError) as exc:
        services.target_add(
            actor=people.bithu_da,
            team=sup.team,
            unit=tree.co_loa,
            kind=TargetKind.ORGANISATION,
        )
    assert "đã có đối tượng" in exc.value.message_dict["unit"][0]


def test_a_head_target_names_a_person_of_the_unit(sup, tree, people):
    with pytest.raises(ValidationError) as exc:
        services.target_add(
            actor=people.bithu_da,
            team=sup.team,
            unit=tree.vp,
            kind=TargetKind.HEAD,
            head_person=people.canbo_cl,
        )
    assert "không thuộc đơn vị" in exc.value.message_dict["head_person"][0]
    target = services.target_add(
        actor=people.bithu_da,
        team=sup.team,
        unit=tree.vp,
        kind=TargetKind.HEAD,
        head_person=people.lanhdao_vp,
    )
    assert target.head_person == people.lanhdao_vp


def test_the_plan_date_must_fall_in_the_team_period_both_ends_included(sup, people):
    team = sup.team
    for day in (team.start_date, team.end_date):
        visit = services.visit_plan(
            actor=people.lanhdao_vp, team=team, target=sup.head, planned_date=day
        )
        assert visit.status == VisitStatus.PLANNED
    for day in (
        team.start_date - datetime.timedelta(days=1),
        team.end_date + datetime.timedelta(days=1),
    ):
        with pytest.raises(ValidationError) as exc:
            services.visit_plan(
                actor=people.lanhdao_vp, team=team, target=sup.head, planned_date=day
            )
        assert (
            "thời gian hoạt động của đoàn" in exc.value.message_dict["planned_date"][0]
        )


def test_a_member_plans_nothing_but_records_the_visit(sup, people):
    with pytest.raises(PermissionDenied):
        services.visit_plan(
            actor=people.canbo_vp2,
            team=sup.team,
            target=sup.org,
            planned_date=sup.today,
        )
    visit = record(sup, people)
    assert visit.status == VisitStatus.DRAFT
    assert visit.visited_on == sup.today


def test_a_record_needs_what_was_checked_and_no_future_date(sup, people):
    with pytest.raises(ValidationError) as exc:
        record(sup, people, topics=[], subject=" ")
    assert "đã kiểm tra nội dung gì" in exc.value.message_dict["subject"][0]
    with pytest.raises(ValidationError) as exc:
        record(sup, people, visited_on=sup.today + datetime.timedelta(days=1))
    assert "không được sau hôm nay" in exc.value.message_dict["visited_on"][0]
    sup.visit.refresh_from_db()
    assert sup.visit.status == VisitStatus.PLANNED


def test_a_finding_needs_a_breach_from_the_catalogue_or_another_in_words(sup, people):
    record(sup, people)
    with pytest.raises(ValidationError) as exc:
        add_finding(sup, people, violations=[], other_violation="  ")
    assert "Chọn ít nhất một biểu hiện" in exc.value.message_dict["violations"][0]
    finding = add_finding(
        sup, people, violations=[], other_violation="Niêm yết phí sai"
    )
    assert finding.unit == sup.org.unit


def test_a_finding_waits_for_the_record_and_a_switched_off_item_is_refused(sup, people):
    with pytest.raises(ValidationError):
        add_finding(sup, people)
    record(sup, people)
    item = sup.catalogue["VP05"]
    item.is_active = False
    item.save()
    with pytest.raises(ValidationError) as exc:
        add_finding(sup, people, violations=[item])
    assert "ngừng áp dụng" in exc.value.message_dict["violations"][0]


def test_a_finding_about_a_unit_outside_the_target_is_refused(sup, tree, people):
    record(sup, people)
    with pytest.raises(ValidationError) as exc:
        add_finding(sup, people, unit=tree.vp)
    assert "Cổ Loa" in exc.value.message_dict["unit"][0]


def test_only_the_team_leader_or_a_committee_leader_files(sup, people):
    record(sup, people)
    for actor in (people.canbo_vp2, people.vanphong_da, people.thuongtruc):
        with pytest.raises(PermissionDenied):
            services.visit_file(actor=actor, visit=sup.visit)
    visit = services.visit_file(actor=people.lanhdao_vp, visit=sup.visit)
    assert visit.status == VisitStatus.FILED
    assert visit.filed_by == people.lanhdao_vp and visit.filed_at is not None


def test_a_filed_record_is_read_only(sup, people):
    filed_finding(sup, people)
    with pytest.raises(PermissionDenied):
        record(sup, people, summary="Sửa sau khi hoàn thành")
    with pytest.raises(PermissionDenied):
        add_finding(sup, people)
    with pytest.raises(ValidationError):
        services.visit_file(actor=people.lanhdao_vp, visit=sup.visit)


def test_a_planned_visit_cannot_be_filed_before_it_is_recorded(sup, people):
    with pytest.raises(ValidationError) as exc:
        services.visit_file(actor=people.lanhdao_vp, visit=sup.visit)
    assert "Chưa ghi biên bản" in exc.value.messages[0]


def test_a_surprise_inspection_is_a_draft_without_a_plan(sup, people):
    visit = services.inspection_create(
        actor=people.canbo_vp2,
        team=sup.team,
        target=sup.org,
        visited_on=sup.today,
        topics=["attitude", "not-a-topic"],
        subject="",
    )
    assert (visit.kind, visit.status) == (VisitKind.SURPRISE, VisitStatus.DRAFT)
    assert visit.planned_date is None and visit.topics == ["attitude"]
    with pytest.raises(PermissionDenied):
        services.inspection_create(
            actor=people.canbo_cl,
            team=sup.team,
            target=sup.org,
            visited_on=sup.today,
            subject="Giờ giấc",
        )


def test_remediation_tasks_need_a_filed_visit_and_carry_the_five_clear(
    sup, tree, people
):
    record(sup, people)
    finding = add_finding(sup, people)
    with pytest.raises(PermissionDenied):
        remediate(sup, tree, people, finding)
    services.visit_file(actor=people.lanhdao_vp, visit=sup.visit)
    finding.refresh_from_db()
    with pytest.raises(ValidationError) as exc:
        remediate(sup, tree, people, finding, expected_result="", assignee=None)
    assert "Thiếu rõ kết quả" in exc.value.message_dict["expected_result"][0]
    assert "Thiếu rõ người" in exc.value.message_dict["assignee"][0]
    assert not FindingTask.objects.exists()
    task = remediate(sup, tree, people, finding)
    assert task.supervision_link.finding == finding
    assert list(finding.remediations.values_list("task", flat=True)) == [task.pk]


def test_the_lead_unit_of_a_remediation_task_is_the_finding_unit_or_under_it(
    sup, tree, people
):
    finding = filed_finding(sup, people)
    with pytest.raises(ValidationError) as exc:
        remediate(
            sup,
            tree,
            people,
            finding,
            lead_unit=tree.vp,
            assignee=people.canbo_vp,
        )
    assert "Đơn vị chủ trì phải là" in exc.value.message_dict["lead_unit"][0]


def test_a_team_leader_who_leads_nothing_there_creates_no_task(sup, tree, people):
    # lanhdao_vp leads the team but not Cổ Loa: task_create would refuse him
    finding = filed_finding(sup, people)
    with pytest.raises(PermissionDenied):
        services.remediation_create(
            actor=people.lanhdao_vp,
            finding=finding,
            **remediation_kwargs(sup, tree, people),
        )
    with pytest.raises(PermissionDenied):
        services.remediation_create(
            actor=people.thuongtruc,
            finding=finding,
            **remediation_kwargs(sup, tree, people),
        )


def test_a_finding_is_open_until_all_its_tasks_are_done(sup, tree, people):
    finding = filed_finding(sup, people)
    assert state(finding) == FindingState.OPEN  # no task yet
    first = remediate(sup, tree, people, finding)
    second = remediate(sup, tree, people, finding, title="Công khai thủ tục")
    finish(first, people, on=sup.today)
    assert state(finding) == FindingState.OPEN
    later = sup.today + datetime.timedelta(days=1)
    finish(second, people, on=later)
    row = with_state(Finding.objects.filter(pk=finding.pk)).get()
    assert state_of(row) == FindingState.CLOSED
    assert row.last_done_on == later


def test_a_cancelled_task_counts_neither_way(sup, tree, people):
    from tasks import services as task_services

    finding = filed_finding(sup, people)
    done = remediate(sup, tree, people, finding)
    dropped = remediate(sup, tree, people, finding, title="Trùng việc")
    task_services.task_cancel(actor=people.bithu_da, task=dropped, reason="Trùng")
    assert state(finding) == FindingState.OPEN
    finish(done, people, on=sup.today)
    assert state(finding) == FindingState.CLOSED
    done.refresh_from_db()
    assert done.status == TaskStatus.DONE
