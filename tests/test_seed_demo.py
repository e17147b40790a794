"""``manage.py seed_demo``: the article's 2023 tree closed on 30/6/2025 and
its successors from 1/7/2025 (linked, with the people and open work moved by
the reorganisation services), the demo logins in the successors, the
directive and its plans, tasks in every timeliness class, and a second run
that changes nothing.

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
from units.choices import Role, SuccessionKind
from units.models import Membership, Unit, UnitSuccession, User
from units.scope import get_scope

PASSWORD = "ChiThi24@2026"
LAST_DAY = datetime.date(2025, 6, 30)
FIRST_DAY = datetime.date(2025, 7, 1)
OLD_DISTRICTS = {"HN.ST-2023", "HN.TH-2023", "HN.TT-2023", "HN.DA-2023"}

EXPECTED_LOGINS = {
    # username: {(unit code, role)}, in the units formed on 1/7/2025
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
    models = (Unit, UnitSuccession, User, Membership, Directive, DirectiveItem)
    models += (Task, ProgressReport, ExtensionRequest, Transfer)
    result = {m.__name__: m.objects.count() for m in models}
    for model in models:
        result[f"history of {model.__name__}"] = model.history.count()
    return result


def unit(code: str) -> Unit:
    return Unit.objects.get(code=code)


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


def test_every_active_unit_has_a_head_who_leads_it_and_a_few_staff(seeded):
    active = Unit.objects.filter(code__startswith="HN", is_active=True)
    for current in active:
        assert current.head_id, current.code
        assert Membership.objects.filter(
            unit=current, user_id=current.head_id, role=Role.LEADER
        ).exists(), current.code
    leaves = [
        u
        for u in active
        if not active.filter(path__startswith=u.path).exclude(pk=u.pk).exists()
    ]
    assert len(leaves) >= 20
    for leaf in leaves:
        staff = leaf.memberships.filter(role=Role.STAFF).count()
        assert 1 <= staff <= 3, leaf.code


def test_the_2023_tree_is_history_closed_on_30_june_2025(seeded):
    city = unit("HN")
    in_2024 = Unit.objects.valid_on(datetime.date(2024, 12, 31))

    districts = set(
        in_2024.filter(depth=2, path__startswith=city.path).values_list(
            "code", flat=True
        )
    )

    assert districts == OLD_DISTRICTS
    old = Unit.objects.filter(code__endswith="-2023")
    assert old.count() == 35
    assert set(old.values_list("valid_to", "is_active")) == {(LAST_DAY, False)}
    assert not Membership.objects.filter(unit__in=old).exists()
    assert unit("HN.DA.CL-2023").name == "Xã Cổ Loa"
    assert Unit.objects.get_parent(unit("HN.DA.UBND.PNV-2023")).code == (
        "HN.DA.UBND-2023"
    )
    # the heads of 2023 are still named: the past keeps who led the unit
    assert unit("HN.DA-2023").head.username == "hautd"


def test_the_successors_are_communes_and_wards_under_the_city_from_1_july(seeded):
    today = Unit.objects.valid_on(datetime.date.today())

    top = {u.code: u.name for u in today.filter(depth=2)}

    assert top == {
        "HN.DA": "Đảng ủy xã Đông Anh",
        "HN.PT": "Đảng ủy xã Phúc Thịnh",
        "HN.TL": "Đảng ủy xã Thư Lâm",
        "HN.ST": "Đảng ủy phường Sơn Tây",
        "HN.TTH": "Đảng ủy phường Tùng Thiện",
        "HN.TH": "Đảng ủy phường Tây Hồ",
        "HN.PTU": "Đảng ủy phường Phú Thượng",
        "HN.TT": "Đảng ủy xã Thạch Thất",
        "HN.HB": "Đảng ủy xã Hạ Bằng",
    }
    new = today.exclude(code="HN")
    assert set(new.values_list("valid_from", flat=True)) == {FIRST_DAY}
    assert not new.filter(code__endswith="-2023").exists()
    for code in top:
        assert {"Văn phòng", "UBND"} <= {
            u.name.split(" ")[0] if u.name.startswith("UBND") else "Văn phòng"
            for u in Unit.objects.get_children(unit(code))
            if u.name.startswith(("UBND", "Văn phòng"))
        }, code


def test_every_old_unit_is_linked_to_its_successors(seeded):
    old = Unit.objects.filter(code__endswith="-2023")
    links = UnitSuccession.objects.filter(predecessor__in=old).select_related(
        "predecessor", "successor", "created_by"
    )

    assert {link.predecessor.code for link in links} == set(
        old.values_list("code", flat=True)
    )
    for link in links:
        assert link.effective_date == FIRST_DAY
        assert link.successor.valid_from == FIRST_DAY
        assert link.created_by.username == "admin"
        assert "1656/NQ-UBTVQH15" in link.reason
    # two communes merged into one …
    merged = links.filter(successor__code="HN.DA", kind=SuccessionKind.MERGE)
    assert {link.predecessor.name for link in merged} == {
        "Thị trấn Đông Anh",
        "Xã Uy Nỗ",
    }
    # … and the district committee split among its three successors
    split = links.filter(predecessor__code="HN.DA-2023")
    assert {(link.kind, link.successor.code) for link in split} == {
        (SuccessionKind.SPLIT, "HN.DA"),
        (SuccessionKind.SPLIT, "HN.PT"),
        (SuccessionKind.SPLIT, "HN.TL"),
    }
    # the office carries on as the new commune's office
    office = links.get(predecessor__code="HN.DA.VP-2023")
    assert office.successor.code == "HN.DA.VP"


def test_the_merge_moved_the_people_with_a_history_row(seeded):
    seat = Membership.objects.get(user__username="canbo.dongan")

    steps = list(seat.history.order_by("history_date", "history_id"))

    assert seat.unit.code == "HN.DA.VP"
    assert steps[0].unit.code == "HN.DA.VP-2023"
    moved = next(s for s in steps if s.unit_id == seat.unit_id)
    assert timezone.localdate(moved.history_date) == FIRST_DAY
    assert moved.history_user.username == "admin"
    assert moved.history_change_reason.startswith(
        "Sáp nhập Văn phòng Huyện ủy Đông Anh vào Văn phòng Đảng ủy xã Đông Anh"
    )
    assert user("canbo.dongan").position == "Chuyên viên Văn phòng Đảng ủy xã Đông Anh"
    # people of the two merged communes now work in the one commune
    assert {
        m.user.username
        for m in Membership.objects.filter(unit__code="HN.DA").select_related("user")
    } >= {"ngavt", "dunghv", "loidv", "thanhlt", "hautd", "lanhdao.dongan"}


def test_past_work_stays_with_the_old_units_and_open_work_moved_on(seeded):
    old = Unit.objects.filter(code__endswith="-2023")
    past = Task.objects.filter(start_date__lt=FIRST_DAY)

    assert past.count() >= 10
    done_before = past.filter(status=TaskStatus.DONE, completed_on__lt=FIRST_DAY)
    assert done_before.count() >= 8
    assert set(done_before.values_list("lead_unit_id", flat=True)) <= set(
        old.values_list("pk", flat=True)
    )
    timeliness = set(done_before.with_timeliness().values_list("timeliness", flat=True))
    assert {Timeliness.DONE_ON_TIME, Timeliness.DONE_LATE} <= timeliness
    # two tasks were still open on 30/6/2025: the merge handed them on, and
    # the successor finished them
    handed_on = past.exclude(lead_unit__in=old)
    assert {t.lead_unit.code for t in handed_on.select_related("lead_unit")} == {
        "HN.DA",
        "HN.DA.VP",
    }
    for task in handed_on:
        assert task.status == TaskStatus.DONE
        assert task.completed_on >= FIRST_DAY
        reasons = set(task.history.values_list("history_change_reason", flat=True))
        assert any(r and r.startswith("Sáp nhập") for r in reasons), task.title


def test_current_work_lives_in_the_successors(seeded):
    current = Task.objects.filter(start_date__gte=FIRST_DAY).select_related("lead_unit")

    assert current.count() >= 50
    for task in current:
        assert task.lead_unit.is_active, task.title
        assert task.lead_unit.valid_from == FIRST_DAY, task.title
    assert not Membership.objects.filter(unit__is_active=False).exists()


def test_city_reviewer_sees_every_task(seeded):
    assert Task.objects.visible_to(user("thuongtruc")).count() == Task.objects.count()


def test_district_people_see_only_their_district(seeded):
    dong_anh = Unit.objects.get(code="HN.DA")
    in_dong_anh = Task.objects.in_subtree(dong_anh)

    # and the past of the district it carries on
    past = Task.objects.in_subtree(unit("HN.DA-2023"))
    assert past.exists()

    for username in ("lanhdao.dongan", "vanphong.dongan"):
        seen = Task.objects.visible_to(user(username))
        assert set(seen) == set(in_dong_anh) | set(past), username
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
    # the districts' plans of 2023, and the successors' plans that carry
    # them on after 1/7/2025
    assert {(p.kind, p.issuing_unit.code, p.issue_date.year) for p in plans} == {
        (DirectiveKind.PLAN, "HN.DA-2023", 2023),
        (DirectiveKind.PLAN, "HN.ST-2023", 2023),
        (DirectiveKind.PLAN, "HN.DA", 2025),
        (DirectiveKind.PLAN, "HN.ST", 2025),
    }
    assert all(p.items.exists() for p in plans)


def test_tasks_fall_in_every_timeliness_class(seeded):
    directive = Directive.objects.get(number="24-CT/TU", issuing_unit__code="HN")
    tasks = Task.objects.filter(directive_id__in=directive.family_ids())

    classes = Counter(tasks.with_timeliness().values_list("timeliness", flat=True))

    assert 50 <= tasks.count() <= 80
    for klass in Timeliness.values:
        assert classes[klass] >= 2, (klass, classes)
    assert classes[None] == 1  # the cancelled one


def test_every_task_has_all_five_clear(seeded):
    # Tasks of the closed units were valid when assigned; their people have
    # moved on since, so the rule that the assignee works in the lead unit
    # holds for the units of today.
    tasks = Task.objects.filter(lead_unit__is_active=True).select_related(
        "directive", "directive_item", "lead_unit", "assignee", "accountable_leader"
    )
    assert tasks.count() >= 50
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
    # the directive's own tasks name the item they carry out (the
    # supervision demo's remediation tasks answer a finding instead)
    own = tuple(
        spec["title"].split("{")[0] for spec in demo_data.PAST_TASKS + demo_data.TASKS
    )
    assert Task.objects.filter(directive_item__isnull=False).count() >= len(own)
    for task in Task.objects.all():
        assert task.assignee_id and task.accountable_leader_id, task.title
        assert task.assigned_by_id and task.assigned_at, task.title
        assert task.expected_result, task.title
        if task.title.startswith(own):
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
    assert "35 đơn vị cũ kết thúc hoạt động, 40 liên kết kế thừa (mới 0)" in (
        out.getvalue()
    )
