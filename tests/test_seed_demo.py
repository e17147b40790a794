"""``manage.py seed_demo``: the demo logins, the directive and its plans,
tasks in every timeliness class, and a second run that changes nothing.

The command is run once per module inside a transaction that is rolled back
at the end; each test runs in its own savepoint on top of it.
"""

import datetime
from collections import Counter
from io import StringIO

import pytest
from django.contrib.auth import authenticate
from django.core.management import call_command
from django.db import transaction
from django.test import RequestFactory
from django.utils import timezone

from directives.choices import DirectiveKind
from directives.models import Directive, DirectiveItem
from tasks import demo_data, permissions, services
from tasks.choices import (
    ExtensionStatus,
    ReportKind,
    TaskStatus,
    Timeliness,
    TransferKind,
    TransferStatus,
)
from tasks.models import ExtensionRequest, ProgressReport, Task, Transfer
from units.choices import Role
from units.models import Membership, Unit, User
from units.scope import get_scope

PASSWORD = "ChiThi24@2026"

EXPECTED_LOGINS = {
    # username: {(unit code, role)}
    "admin": set(),
    "thuongtruc": {("HN", Role.REVIEWER)},
    "vanphong.dongan": {("HN.DA", Role.REVIEWER)},
    "lanhdao.dongan": {("HN.DA", Role.LEADER)},
    "canbo.dongan": {("HN.DA.VP", Role.STAFF)},
    "lanhdao.sontay": {("HN.ST", Role.LEADER)},
    "canbo.sontay": {("HN.ST.VP", Role.STAFF)},
}


@pytest.fixture(scope="module")
def seed_output(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        out = StringIO()
        call_command("seed_demo", stdout=out)
        yield out.getvalue()
        transaction.set_rollback(True)


@pytest.fixture
def seeded(seed_output, db):
    return seed_output


def user(username: str) -> User:
    return User.objects.get(username=username)


def counts() -> dict[str, int]:
    models = (Unit, User, Membership, Directive, DirectiveItem, Task)
    models += (ProgressReport, ExtensionRequest, Transfer)
    result = {m.__name__: m.objects.count() for m in models}
    for model in (Unit, User, Membership, Directive, DirectiveItem, Task):
        result[f"history of {model.__name__}"] = model.history.count()
    for model in (ProgressReport, ExtensionRequest, Transfer):
        result[f"history of {model.__name__}"] = model.history.count()
    return result


def test_the_documented_logins_are_the_ones_seeded(seeded):
    assert set(demo_data.DEMO_LOGINS) == set(EXPECTED_LOGINS)
    assert demo_data.DEMO_PASSWORD == PASSWORD


@pytest.mark.parametrize("username", sorted(EXPECTED_LOGINS))
def test_each_demo_login_signs_in_with_the_documented_password(seeded, username):
    request = RequestFactory().post("/accounts/login/")

    signed_in = authenticate(request=request, username=username, password=PASSWORD)

    assert signed_in is not None
    assert signed_in.username == username
    assert signed_in.is_active


@pytest.mark.parametrize(("username", "places"), sorted(EXPECTED_LOGINS.items()))
def test_each_demo_login_has_its_role_and_unit(seeded, username, places):
    account = user(username)

    held = set(account.memberships.values_list("unit__code", "role"))

    assert held == places
    assert account.full_name
    assert account.email.endswith("@demo.hanoi.vn")


def test_admin_is_a_superuser_with_admin_access(seeded):
    admin = user("admin")

    assert admin.is_superuser and admin.is_staff
    assert admin.full_name == "Quản trị hệ thống"


def test_every_unit_has_a_head_who_leads_it_and_staff_or_leaders(seeded):
    for unit in Unit.objects.filter(code__startswith="HN"):
        assert unit.head_id, unit.code
        assert Membership.objects.filter(
            unit=unit, user_id=unit.head_id, role=Role.LEADER
        ).exists(), unit.code
    leaf_kinds = ("department", "commune", "party_organisation", "peoples_committee")
    for unit in Unit.objects.filter(kind__in=leaf_kinds):
        staff = unit.memberships.filter(role=Role.STAFF).count()
        assert 1 <= staff <= 3, unit.code


def test_the_unit_tree_has_the_four_districts_under_the_city(seeded):
    city = Unit.objects.get(code="HN")

    districts = {u.code for u in Unit.objects.get_children(city)}

    assert city.kind == "city_committee"
    assert districts == {"HN.ST", "HN.TH", "HN.TT", "HN.DA"}
    internal_affairs = Unit.objects.get(code="HN.DA.UBND.PNV")
    assert Unit.objects.get_parent(internal_affairs).code == "HN.DA.UBND"
    assert Unit.objects.get(code="HN.DA.CL").name == "Xã Cổ Loa"


def test_city_reviewer_sees_every_task(seeded):
    assert Task.objects.visible_to(user("thuongtruc")).count() == Task.objects.count()


def test_district_people_see_only_their_district(seeded):
    dong_anh = Unit.objects.get(code="HN.DA")
    in_dong_anh = Task.objects.in_subtree(dong_anh)

    for username in ("lanhdao.dongan", "vanphong.dongan"):
        seen = Task.objects.visible_to(user(username))
        assert set(seen) == set(in_dong_anh), username
    assert (
        not Task.objects.visible_to(user("canbo.sontay"))
        .filter(pk__in=in_dong_anh)
        .exists()
    )


def test_staff_member_sees_only_tasks_of_their_unit_or_their_own(seeded):
    canbo = user("canbo.dongan")
    office = Unit.objects.get(code="HN.DA.VP")

    seen = Task.objects.visible_to(canbo).prefetch_related("coordinating_units")

    assert 0 < seen.count() < Task.objects.count()
    for task in seen:
        assert (
            task.lead_unit_id == office.pk
            or canbo.pk in (task.assignee_id, task.accountable_leader_id)
            or office in task.coordinating_units.all()
        ), task.title
    assert get_scope(canbo).staff_unit_ids == (office.pk,)


def test_directive_24_and_the_plans_that_carry_it_out(seeded):
    directive = Directive.objects.get(number="24-CT/TU", issuing_unit__code="HN")

    plans = Directive.objects.filter(parent=directive)

    assert directive.kind == DirectiveKind.DIRECTIVE
    assert directive.issue_date == datetime.date(2023, 8, 7)
    assert "kỷ cương" in directive.title
    assert directive.items.count() >= 5
    assert {(p.kind, p.issuing_unit.code) for p in plans} == {
        (DirectiveKind.PLAN, "HN.DA"),
        (DirectiveKind.PLAN, "HN.ST"),
    }
    assert all(p.items.exists() for p in plans)


def test_tasks_fall_in_every_timeliness_class(seeded):
    directive = Directive.objects.get(number="24-CT/TU", issuing_unit__code="HN")
    tasks = Task.objects.filter(directive_id__in=directive.family_ids())

    classes = Counter(tasks.with_timeliness().values_list("timeliness", flat=True))

    assert 30 <= tasks.count() <= 60
    for klass in Timeliness.values:
        assert classes[klass] >= 2, (klass, classes)
    assert classes[None] == 1  # the cancelled one


def test_every_task_has_all_five_clear(seeded):
    tasks = Task.objects.select_related(
        "directive", "directive_item", "lead_unit", "assignee", "accountable_leader"
    )
    for task in tasks:
        services.validate_five_clear(
            title=task.title,
            description=task.description,
            directive=task.directive,
            directive_item=task.directive_item,
            lead_unit=task.lead_unit,
            assignee=task.assignee,
            accountable_leader=task.accountable_leader,
            start_date=task.start_date,
            deadline=task.deadline,
            expected_result=task.expected_result,
        )
        assert task.assigned_by_id and task.assigned_at, task.title
        assert task.directive_item_id, task.title


def test_some_tasks_are_hard_and_some_have_coordinating_units(seeded):
    assert Task.objects.filter(is_hard=True).count() >= 5
    assert Task.objects.filter(is_hard=True, flagged_by__isnull=False).exists()
    assert Task.objects.filter(coordinating_units__isnull=False).distinct().count() >= 3


def test_staff_member_has_tasks_of_several_kinds_of_timeliness(seeded):
    mine = Task.objects.filter(assignee=user("canbo.dongan")).with_timeliness()

    classes = set(mine.values_list("timeliness", flat=True))

    assert {
        Timeliness.ON_TRACK,
        Timeliness.DUE_SOON,
        Timeliness.OVERDUE,
        Timeliness.DONE_ON_TIME,
        Timeliness.DONE_LATE,
    } <= classes


def test_district_leader_has_work_to_approve_and_an_extension_to_decide(seeded):
    leader = user("lanhdao.dongan")
    submitted = Task.objects.filter(status=TaskStatus.SUBMITTED).select_related(
        "lead_unit"
    )
    pending = ExtensionRequest.objects.filter(
        status=ExtensionStatus.PENDING
    ).select_related("task__lead_unit")

    assert any(permissions.can_decide(leader, task) for task in submitted)
    assert any(
        permissions.can_manage(leader, ext.task) and ext.requested_by_id != leader.pk
        for ext in pending
    )


def test_the_life_of_a_task_is_shown_in_every_turn(seeded):
    returned_then_resubmitted = Task.objects.filter(
        status=TaskStatus.SUBMITTED, reports__kind=ReportKind.RETURN
    )
    extended = ExtensionRequest.objects.filter(status=ExtensionStatus.APPROVED)
    transfers = Transfer.objects.filter(status=TransferStatus.DONE)

    assert returned_then_resubmitted.exists()
    assert extended.exists()
    for ext in extended:
        assert ext.task.deadline == ext.new_deadline
        assert ext.task.original_deadline == ext.previous_deadline
    assert transfers.filter(kind=TransferKind.TRANSFER).exists()
    assert transfers.filter(kind=TransferKind.HAND_BACK).exists()
    assert Task.objects.filter(status=TaskStatus.CANCELLED).count() == 1
    assert Task.objects.filter(status=TaskStatus.IN_PROGRESS, progress__gt=0).exists()


def test_history_names_who_acted_and_happened_in_the_past(seeded):
    now = timezone.now()

    assert Task.history.exists()
    assert not Task.history.filter(history_user__isnull=True).exists()
    assert not ProgressReport.history.filter(history_user__isnull=True).exists()
    assert not Task.history.filter(history_date__gt=now).exists()
    assert not ProgressReport.objects.filter(created_at__gt=now).exists()
    # Work done months ago was recorded months ago, not at seeding time.
    assert Task.history.filter(
        history_date__lt=now - datetime.timedelta(days=30)
    ).exists()
    approvals = Task.objects.filter(status=TaskStatus.DONE)
    for task in approvals:
        assert timezone.localdate(task.completed_at) >= task.completed_on, task.title


def test_the_real_clock_is_back_after_seeding(seeded):
    assert abs(
        timezone.now() - datetime.datetime.now(datetime.UTC)
    ) < datetime.timedelta(minutes=1)


def test_the_summary_lists_the_logins(seeded):
    for username in EXPECTED_LOGINS:
        assert username in seeded
    assert PASSWORD in seeded


def test_running_it_again_changes_nothing(seeded):
    before = counts()

    out = StringIO()
    call_command("seed_demo", stdout=out)

    assert counts() == before
    assert "(mới 0)" in out.getvalue()
