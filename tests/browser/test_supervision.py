"""Supervision in the browser: the team leader records a planned visit,
picks a breach from the catalogue and files the record; the district's
leader gives the finding a remediation task with its five rõ; the
supervised commune's cadre then reads the finding and its task, while a
surprise inspection not yet filed stays out of his sight."""

import datetime
import re

import pytest
from playwright.sync_api import expect

from supervision import services
from supervision.choices import TargetKind, Topic, VisitStatus
from supervision.models import Finding, FindingTask

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]


@pytest.fixture
def team(tree, people, today):
    """Đông Anh's team, led by lanhdao_vp, targeting Cổ Loa's Party
    organisation, with a visit planned for today and a surprise inspection
    of Cổ Loa recorded by canbo_vp2 but not filed."""
    services.install_defaults()  # the flush of transactional tests removed them
    team = services.team_create(
        actor=people.bithu_da,
        name="Đoàn giám sát Chỉ thị 24",
        owner_unit=tree.dong_anh,
        leader=people.lanhdao_vp,
        members=[people.canbo_vp2],
        start_date=today - datetime.timedelta(days=7),
        end_date=today + datetime.timedelta(days=60),
    )
    target = services.target_add(
        actor=people.bithu_da,
        team=team,
        unit=tree.co_loa,
        kind=TargetKind.ORGANISATION,
    )
    team.planned = services.visit_plan(
        actor=people.lanhdao_vp, team=team, target=target, planned_date=today
    )
    team.surprise = services.inspection_create(
        actor=people.canbo_vp2,
        team=team,
        target=target,
        visited_on=today,
        topics=[Topic.HOURS],
    )
    team.surprise_finding = services.finding_add(
        actor=people.canbo_vp2,
        visit=team.surprise,
        other_violation="Bộ phận một cửa đóng cửa sớm",
        description="Bộ phận một cửa đóng cửa lúc 16 giờ",
    )
    return team


def test_a_filed_finding_gets_a_task_and_the_unit_sees_both_but_not_the_draft(
    signed_in, team, tree, people, directive, today
):
    # given the team leader on the planned visit's page
    leader = signed_in("lanhdao_vp")
    leader.goto(team.planned.get_absolute_url())

    # when he writes the record
    leader.get_by_label("Ngày giám sát, kiểm tra").fill(today.isoformat())
    leader.get_by_label("Giải quyết thủ tục hành chính", exact=True).check()
    leader.get_by_label("Nội dung đã kiểm tra (ghi cụ thể)").fill(
        "Sổ theo dõi hồ sơ đất đai tại bộ phận một cửa"
    )
    leader.get_by_role("button", name="Lưu biên bản").click()
    expect(leader.locator(".messages")).to_contain_text("Đã lưu biên bản.")

    # and a finding with a breach picked from the catalogue
    leader.get_by_role("checkbox", name=re.compile(r"VP03\. Giải quyết hồ sơ")).check()
    leader.get_by_label("Nội dung phát hiện", exact=True).fill(
        "3 hồ sơ đất đai trả kết quả trễ hạn quá 10 ngày"
    )
    leader.get_by_role("button", name="Ghi phát hiện").click()
    expect(leader.locator(".messages")).to_contain_text("Đã ghi phát hiện.")
    findings = leader.locator("ul.supervision-findings li")
    expect(findings).to_contain_text("3 hồ sơ đất đai trả kết quả trễ hạn")
    expect(findings).to_contain_text("VP03")

    # and files it
    leader.get_by_role("button", name="Hoàn thành biên bản").click()
    expect(leader.locator(".messages")).to_contain_text("Đã hoàn thành biên bản")
    expect(leader.get_by_role("button", name="Lưu biên bản")).to_have_count(0)
    finding = Finding.objects.get(visit=team.planned)

    # when the district's leader creates the remediation task, five rõ
    committee = signed_in("bithu_da")
    committee.goto(finding.get_absolute_url())
    committee.get_by_role("link", name="Tạo nhiệm vụ khắc phục").click()
    committee.get_by_label("Tên nhiệm vụ").fill("Trả kết quả các hồ sơ đất đai trễ hạn")
    committee.get_by_label("Văn bản chỉ đạo").select_option(str(directive.pk))
    expect(committee.get_by_label("Đơn vị chủ trì")).to_have_value(str(tree.co_loa.pk))
    committee.get_by_label("Người thực hiện").select_option(str(people.canbo_cl.pk))
    deadline = today + datetime.timedelta(days=15)
    committee.get_by_label("Hạn hoàn thành").fill(deadline.isoformat())
    committee.get_by_label("Kết quả, sản phẩm dự kiến").fill(
        "Không còn hồ sơ trễ hạn; xin lỗi người dân bằng văn bản"
    )
    committee.get_by_label("Lãnh đạo chịu trách nhiệm").select_option(
        str(people.bithu_da.pk)
    )
    committee.get_by_role("button", name="Giao nhiệm vụ khắc phục").click()

    # then the finding's page lists the task
    expect(committee.locator(".messages")).to_contain_text(
        "Đã giao nhiệm vụ khắc phục “Trả kết quả các hồ sơ đất đai trễ hạn”."
    )
    link = FindingTask.objects.get(finding=finding)
    assert (link.task.lead_unit, link.task.assignee) == (tree.co_loa, people.canbo_cl)
    assert link.task.accountable_leader == people.bithu_da

    # when the commune's cadre opens supervision
    cadre = signed_in("canbo_cl")
    cadre.goto("/supervision/findings/")

    # then he sees the filed finding, not the surprise inspection's draft
    rows = cadre.locator("table.supervision-findings-table tbody tr")
    expect(rows).to_have_count(1)
    expect(rows).to_contain_text("3 hồ sơ đất đai trả kết quả trễ hạn")
    expect(rows).to_contain_text("0/1")
    rows.get_by_role("link").click()
    task_row = cadre.locator(f'tr[data-task="{link.task.pk}"]')
    expect(task_row).to_contain_text("Trả kết quả các hồ sơ đất đai trễ hạn")
    expect(task_row).to_contain_text(people.canbo_cl.full_name)
    task_row.get_by_role("link").click()
    expect(cadre.locator("h1")).to_contain_text("Trả kết quả các hồ sơ đất đai")

    # and the draft inspection and its finding are not found at all
    cadre.goto("/supervision/")
    expect(cadre.locator(f'[data-visit="{team.planned.pk}"]')).to_have_count(1)
    expect(cadre.locator(f'[data-visit="{team.surprise.pk}"]')).to_have_count(0)
    response = cadre.goto(team.surprise.get_absolute_url())
    assert response.status == 404
    response = cadre.goto(team.surprise_finding.get_absolute_url())
    assert response.status == 404
    team.surprise.refresh_from_db()
    assert team.surprise.status == VisitStatus.DRAFT
