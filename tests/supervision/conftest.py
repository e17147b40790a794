"""A supervision team of Đông Anh (tests/conftest.py's tree) and its plan.

- team: set up by bithu_da (leader of Đông Anh), led by lanhdao_vp, with
  canbo_vp2 as a member; active from 30 days ago to 60 days ahead.
- targets: Cổ Loa as a Party organisation, and its head canbo_cl.
- a planned visit to Cổ Loa in 5 days' time.
"""

import datetime
from types import SimpleNamespace

import pytest

from supervision import services
from supervision.choices import TargetKind, Topic
from supervision.models import ViolationItem
from tasks import services as task_services


@pytest.fixture
def catalogue(db):
    services.install_defaults()
    return {item.code: item for item in ViolationItem.objects.all()}


@pytest.fixture
def sup(tree, people, today, catalogue, directive):
    team = services.team_create(
        actor=people.bithu_da,
        name="Đoàn giám sát số 1",
        owner_unit=tree.dong_anh,
        leader=people.lanhdao_vp,
        members=[people.canbo_vp2],
        start_date=today - datetime.timedelta(days=30),
        end_date=today + datetime.timedelta(days=60),
    )
    org = services.target_add(
        actor=people.bithu_da, team=team, unit=tree.co_loa, kind=TargetKind.ORGANISATION
    )
    head = services.target_add(
        actor=people.bithu_da,
        team=team,
        unit=tree.co_loa,
        kind=TargetKind.HEAD,
        head_person=people.canbo_cl,
    )
    visit = services.visit_plan(
        actor=people.lanhdao_vp,
        team=team,
        target=org,
        planned_date=today + datetime.timedelta(days=5),
    )
    return SimpleNamespace(
        team=team,
        org=org,
        head=head,
        visit=visit,
        catalogue=catalogue,
        directive=directive,
        today=today,
    )


def record(sup, people, visit=None, **overrides):
    values = dict(
        actor=people.canbo_vp2,
        visit=visit or sup.visit,
        visited_on=sup.today,
        topics=[Topic.PROCEDURES, Topic.HOURS],
        subject="Bộ phận một cửa",
        summary="Còn hồ sơ trễ hạn",
    )
    values.update(overrides)
    return services.visit_record(**values)


def add_finding(sup, people, visit=None, **overrides):
    values = dict(
        actor=people.canbo_vp2,
        visit=visit or sup.visit,
        violations=[sup.catalogue["VP03"]],
        description="3 hồ sơ đất đai trễ hạn quá 10 ngày",
    )
    values.update(overrides)
    return services.finding_add(**values)


def filed_finding(sup, people):
    """The planned visit recorded and filed, with one finding."""
    record(sup, people)
    finding = add_finding(sup, people)
    services.visit_file(actor=people.lanhdao_vp, visit=sup.visit)
    finding.refresh_from_db()
    return finding


def remediation_kwargs(sup, tree, people, **overrides):
    values = dict(
        title="Giải quyết dứt điểm hồ sơ trễ hạn",
        description="Rà soát, trả kết quả các hồ sơ trễ hạn",
        directive=sup.directive,
        lead_unit=tree.co_loa,
        assignee=people.canbo_cl,
        accountable_leader=people.bithu_da,
        start_date=sup.today,
        deadline=sup.today + datetime.timedelta(days=15),
        expected_result="Không còn hồ sơ trễ hạn",
    )
    values.update(overrides)
    return values


def remediate(sup, tree, people, finding, **overrides):
    return services.remediation_create(
        actor=people.bithu_da,
        finding=finding,
        **remediation_kwargs(sup, tree, people, **overrides),
    )


def finish(task, people, *, on):
    task_services.task_submit(
        actor=task.assignee, task=task, actual_result="Đã trả kết quả", today=on
    )
    return task_services.task_approve(actor=people.bithu_da, task=task)
