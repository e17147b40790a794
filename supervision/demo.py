"""Demo data of supervision, for ``manage.py seed_demo`` (to be called at its
end, after the units, people and directives exist). Safe to run again: the
teams are found by their names, and nothing is added twice.

The article's picture at a smaller scale: a committee sets up three
supervision teams over the Party organisations and heads of its units, with
a plan of visits; a filed visit whose findings name breaches from the
catalogue, one finding with two remediation tasks (one done on time, one
open); a surprise inspection filed and one not filed yet.

Nothing here names a unit code: the committee is the active unit with a
leader and the most active units under it (the demo tree is reorganised
over time), its targets are the units under it, Party organisations and
communes first. Every write goes through ``supervision.services`` and
``tasks.services``.
"""

import datetime

from django.db import transaction
from django.db.models import Case, Count, IntegerField, Q, Value, When

from directives.models import Directive
from tasks import services as task_services
from tasks.calendar import local_today
from units.choices import Role, UnitKind
from units.models import Membership, Unit, User

from . import services
from .choices import TargetKind, Topic, VisitStatus
from .models import Target, Team, ViolationItem, Visit

TEAM_NAMES = ("Đoàn giám sát số 1", "Đoàn giám sát số 2", "Đoàn giám sát số 3")
TARGET_KINDS = (
    UnitKind.PARTY_ORGANISATION,
    UnitKind.COMMUNE,
    UnitKind.PEOPLES_COMMITTEE,
    UnitKind.DEPARTMENT,
)


class _Out:
    def write(self, text):  # a seed without a console
        pass


def _documented_first(prefix: str, field: str = "username"):
    """Order the demo's documented logins (lanhdao.…, canbo.…) first."""
    return Case(
        When(**{f"{field}__startswith": prefix}, then=Value(0)),
        default=Value(1),
        output_field=IntegerField(),
    )


def _leader_of(unit) -> User | None:
    return (
        User.objects.filter(
            is_active=True,
            memberships__unit=unit,
            memberships__role=Role.LEADER,
        )
        .order_by(_documented_first("lanhdao."), "username")
        .first()
    )


def _committee() -> tuple[Unit, User] | None:
    """The active unit with an active leader that has the most active units
    under it (not the root when another will do)."""
    led = (
        Unit.objects.filter(
            is_active=True,
            memberships__role=Role.LEADER,
            memberships__user__is_active=True,
        )
        .distinct()
        .order_by("depth", "path")
    )
    best, best_count = None, 0
    for unit in led:
        count = Unit.objects.filter(
            path__startswith=unit.path, depth__gt=unit.depth, is_active=True
        ).count()
        better = count > best_count or (
            count >= 6 and best is not None and best.depth == 1 and unit.depth > 1
        )
        if count >= 3 and (best is None or better):
            best, best_count = unit, count
    if best is None:
        return None
    return best, _leader_of(best)


def _targets(owner: Unit) -> list[Unit]:
    units = list(
        Unit.objects.filter(
            path__startswith=owner.path, depth__gt=owner.depth, is_active=True
        )
        .annotate(
            people=Count("memberships", filter=Q(memberships__user__is_active=True))
        )
        .filter(people__gt=0)
        .order_by("depth", "path")
    )
    rank = {kind: i for i, kind in enumerate(TARGET_KINDS)}
    units.sort(key=lambda u: (rank.get(u.kind, len(rank)), u.depth, u.path))
    return units[:6]


def _person_of(unit: Unit, *, roles=(Role.STAFF, Role.LEADER)) -> User | None:
    return (
        User.objects.filter(
            is_active=True, memberships__unit=unit, memberships__role__in=roles
        )
        .order_by("memberships__role", "username")
        .first()
    )


def _team_people(owner: Unit, leader: User) -> list[User]:
    """People of the committee's own unit (or just under it) for the teams."""
    rows = (
        Membership.objects.filter(
            unit__path__startswith=owner.path,
            unit__depth__lte=owner.depth + 1,
            user__is_active=True,
        )
        .exclude(user=leader)
        .annotate(documented=_documented_first("canbo.", "user__username"))
        .order_by("documented", "unit__depth", "role", "user__username")
        .values_list("user_id", flat=True)
    )
    seen: list[int] = []
    for pk in rows:
        if pk not in seen:
            seen.append(pk)
    by_pk = User.objects.in_bulk(seen[:6])
    return [by_pk[pk] for pk in seen[:6]]


def seed(stdout=None) -> None:
    stdout = stdout or _Out()
    services.install_defaults()
    found = _committee()
    if found is None or found[1] is None:
        stdout.write("Giám sát: chưa có đơn vị nào có lãnh đạo và đơn vị trực thuộc.")
        return
    owner, boss = found
    if Team.objects.filter(owner_unit=owner, name__in=TEAM_NAMES).exists():
        stdout.write(f"Giám sát: các đoàn của {owner.name} đã có, bỏ qua.")
        return
    directive = Directive.objects.order_by("pk").first()
    targets = _targets(owner)
    if not targets or directive is None:
        stdout.write("Giám sát: chưa có đơn vị trực thuộc hoặc văn bản chỉ đạo.")
        return
    with transaction.atomic():
        _seed(owner, boss, targets, directive, stdout)


def _seed(owner, boss, units, directive, stdout) -> None:
    today = local_today()
    people = _team_people(owner, boss)
    items = {item.code: item for item in ViolationItem.objects.filter(is_active=True)}
    catalogue = list(items.values())

    def item(code, index):
        return items.get(code) or catalogue[index % len(catalogue)]

    teams = []
    for index, name in enumerate(TEAM_NAMES):
        members = people[index * 2 : index * 2 + 2]
        leader = boss if index == 0 or not members else members[0]
        team = services.team_create(
            actor=boss,
            name=name,
            owner_unit=owner,
            leader=leader,
            members=[m for m in members if m != leader],
            start_date=today - datetime.timedelta(days=60),
            end_date=today + datetime.timedelta(days=90),
            note="Quyết định thành lập của Ban Thường vụ (dữ liệu mẫu).",
        )
        teams.append(team)
    # targets: the units shared out among the teams, the organisation and,
    # where the unit has a leader, its head too
    by_team: dict[int, list[Target]] = {t.pk: [] for t in teams}
    for index, unit in enumerate(units):
        team = teams[index % len(teams)]
        by_team[team.pk].append(
            services.target_add(
                actor=boss, team=team, unit=unit, kind=TargetKind.ORGANISATION
            )
        )
        head = unit.head or _leader_of(unit)
        if (
            head is not None
            and Membership.objects.filter(user=head, unit=unit).exists()
        ):
            by_team[team.pk].append(
                services.target_add(
                    actor=boss,
                    team=team,
                    unit=unit,
                    kind=TargetKind.HEAD,
                    head_person=head,
                )
            )
    # the plan: every target of each team, one week apart
    visits: dict[int, list[Visit]] = {t.pk: [] for t in teams}
    for team in teams:
        for n, target in enumerate(by_team[team.pk]):
            visits[team.pk].append(
                services.visit_plan(
                    actor=boss,
                    team=team,
                    target=target,
                    planned_date=today + datetime.timedelta(days=7 * n - 20),
                )
            )
    # team 1: its first visit recorded and filed, with two findings
    first_team = teams[0]
    visit = visits[first_team.pk][0]
    services.visit_record(
        actor=first_team.leader,
        visit=visit,
        visited_on=visit.planned_date,
        topics=[Topic.PROCEDURES, Topic.DOSSIERS],
        subject="Việc giải quyết hồ sơ tại bộ phận một cửa và sổ theo dõi hồ sơ.",
        summary="Cơ bản chấp hành; còn hồ sơ trễ hạn chưa có văn bản xin lỗi.",
    )
    late = services.finding_add(
        actor=first_team.leader,
        visit=visit,
        violations=[item("VP03", 2), item("VP04", 3)],
        description=(
            "5 hồ sơ đất đai quá hạn từ 7 đến 15 ngày, chưa có văn bản xin lỗi "
            "người dân; hồ sơ phải bổ sung nhiều lần."
        ),
        severity="serious",
    )
    services.finding_add(
        actor=first_team.leader,
        visit=visit,
        violations=[item("VP16", 15)],
        description="Bảng niêm yết thủ tục chưa cập nhật phí, lệ phí mới.",
        severity="minor",
    )
    services.visit_file(actor=first_team.leader, visit=visit)
    late.refresh_from_db()
    _remediate(late, boss, directive, today, stdout)
    # team 2: a surprise inspection, filed
    second = teams[1]
    target = by_team[second.pk][0] if by_team[second.pk] else by_team[first_team.pk][0]
    inspector = second if by_team[second.pk] else first_team
    surprise = services.inspection_create(
        actor=inspector.leader,
        team=inspector,
        target=target,
        visited_on=today - datetime.timedelta(days=3),
        topics=[Topic.HOURS, Topic.ATTITUDE],
        subject="Kiểm tra lúc 8 giờ 15 sáng, không báo trước.",
        summary="2 cán bộ chưa có mặt đúng giờ.",
    )
    services.finding_add(
        actor=inspector.leader,
        visit=surprise,
        violations=[item("VP06", 5)],
        description="2 cán bộ bộ phận một cửa đến muộn 20 phút, không báo cáo.",
    )
    services.visit_file(actor=boss, visit=surprise)
    # team 3: a surprise inspection recorded, not filed yet (the unit does
    # not see it)
    third = teams[2] if by_team[teams[2].pk] else first_team
    services.inspection_create(
        actor=third.leader,
        team=third,
        target=by_team[third.pk][0],
        visited_on=today - datetime.timedelta(days=1),
        topics=[Topic.ATTITUDE],
        subject="Tiếp công dân buổi sáng.",
        summary="Đang tổng hợp ý kiến người dân.",
    )
    filed = Visit.objects.filter(team__in=teams, status=VisitStatus.FILED).count()
    stdout.write(
        f"Giám sát: {len(teams)} đoàn của {owner.name}, "
        f"{sum(len(v) for v in by_team.values())} đối tượng, {filed} biên bản đã "
        "hoàn thành."
    )


def _remediate(finding, boss, directive, today, stdout) -> None:
    unit = finding.unit
    assignee = _person_of(unit)
    if assignee is None:
        stdout.write(f"Giám sát: {unit.name} chưa có cán bộ để giao việc khắc phục.")
        return
    accountable = boss
    common = dict(
        directive=directive,
        lead_unit=unit,
        assignee=assignee,
        accountable_leader=accountable,
    )
    done = services.remediation_create(
        actor=boss,
        finding=finding,
        title="Giải quyết dứt điểm 5 hồ sơ đất đai quá hạn",
        description="Rà soát, trả kết quả và gửi văn bản xin lỗi người dân.",
        start_date=today - datetime.timedelta(days=18),
        deadline=today - datetime.timedelta(days=4),
        expected_result="5 hồ sơ được trả kết quả, có văn bản xin lỗi.",
        **common,
    )
    services.remediation_create(
        actor=boss,
        finding=finding,
        title="Hướng dẫn hồ sơ đất đai một lần, đầy đủ",
        description="Ban hành phiếu hướng dẫn một lần cho thủ tục đất đai.",
        start_date=today - datetime.timedelta(days=5),
        deadline=today + datetime.timedelta(days=20),
        expected_result="Phiếu hướng dẫn được niêm yết và áp dụng.",
        **common,
    )
    task_services.task_submit(
        actor=assignee,
        task=done,
        actual_result="Đã trả kết quả 5 hồ sơ và gửi văn bản xin lỗi.",
        today=today - datetime.timedelta(days=6),
    )
    approver = boss if boss.pk != assignee.pk else None
    if approver is not None:
        task_services.task_approve(actor=approver, task=done)
