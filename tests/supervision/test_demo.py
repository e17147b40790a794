"""The supervision demo on the database ``manage.py seed_demo`` builds: the
article's picture at a smaller scale, and a second run that adds nothing."""

import io

import pytest
from django.core.management import call_command
from django.db import transaction

from supervision import demo
from supervision.choices import FindingState, TargetKind, VisitKind, VisitStatus
from supervision.models import Finding, Target, Team, Visit
from supervision.selectors import state_of, with_state
from tasks.choices import TaskStatus
from tasks.models import Task


@pytest.fixture(scope="module")
def seeded(django_db_setup, django_db_blocker):
    """seed_demo, then the supervision demo twice, once for the module."""
    with django_db_blocker.unblock(), transaction.atomic():
        call_command("seed_demo", stdout=io.StringIO())
        first, second = io.StringIO(), io.StringIO()
        demo.seed(first)
        counts = (Team.objects.count(), Visit.objects.count(), Task.objects.count())
        demo.seed(second)
        yield {
            "first": first.getvalue(),
            "second": second.getvalue(),
            "counts": counts,
        }
        transaction.set_rollback(True)


@pytest.fixture
def world(seeded, db):
    return seeded


def test_a_second_run_adds_nothing(world):
    assert "bỏ qua" in world["second"]
    assert world["counts"] == (
        Team.objects.count(),
        Visit.objects.count(),
        Task.objects.count(),
    )


def test_a_committee_with_three_teams_over_organisations_and_heads(world):
    teams = list(Team.objects.all())
    assert len(teams) == 3
    assert len({t.owner_unit_id for t in teams}) == 1
    owner = teams[0].owner_unit
    assert owner.is_active
    kinds = set(Target.objects.values_list("kind", flat=True))
    assert kinds == {TargetKind.ORGANISATION, TargetKind.HEAD}
    for target in Target.objects.select_related("unit"):
        assert target.unit.path.startswith(owner.path) and target.unit != owner
        assert target.unit.is_active


def test_a_plan_a_filed_visit_and_surprise_inspections_filed_and_not(world):
    planned = Visit.objects.filter(kind=VisitKind.PLANNED)
    assert planned.filter(status=VisitStatus.PLANNED).count() >= 3
    filed = planned.get(status=VisitStatus.FILED)
    assert filed.findings.count() == 2
    assert all(f.violations.exists() for f in filed.findings.all())
    surprise = Visit.objects.filter(kind=VisitKind.SURPRISE)
    assert sorted(surprise.values_list("status", flat=True)) == [
        VisitStatus.DRAFT,
        VisitStatus.FILED,
    ]


def test_one_finding_has_a_task_done_on_time_and_one_open(world):
    finding = next(f for f in with_state(Finding.objects.all()) if f.tasks_total == 2)
    tasks = Task.objects.filter(supervision_link__finding=finding)
    statuses = sorted(tasks.values_list("status", flat=True))
    assert statuses == sorted([TaskStatus.DONE, TaskStatus.ASSIGNED])
    done = tasks.get(status=TaskStatus.DONE)
    assert done.completed_on <= done.deadline
    assert state_of(finding) == FindingState.OPEN
    for task in tasks:
        assert task.lead_unit == finding.unit
        assert task.expected_result and task.accountable_leader_id
