"""Every write of supervision goes through these functions: the pages, the
demo and the tests call the same ones.

Each owns its transaction, locks the visit it changes (``select_for_update``)
so that a record cannot be edited while it is being filed, checks the
actor's permission (``supervision.permissions``), and records who and why
in the history (django-simple-history). Remediation tasks are created by
``tasks.services.task_create``, so they carry all five rõ and count like any
task.
"""

import datetime
from collections.abc import Iterable, Sequence

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tasks import services as task_services
from tasks.calendar import local_today
from tasks.models import Task
from units.models import Membership, Unit, User

from . import permissions
from .catalogue import DEFAULT_VIOLATIONS
from .choices import Severity, TargetKind, Topic, VisitKind, VisitStatus
from .models import Finding, FindingTask, Target, Team, ViolationItem, Visit


def _require(allowed: bool, message: str) -> None:
    if not allowed:
        raise PermissionDenied(message)


def _save(obj, *, actor: User | None, reason: str) -> None:
    obj._history_user = actor
    obj._change_reason = reason[:100]
    obj.full_clean(validate_constraints=True, validate_unique=False)
    obj.save()


def _text(value) -> str:
    return (value or "").strip()


def install_defaults() -> None:
    """The catalogue the data migration seeds, added again where missing (a
    database emptied by a test's flush). Never changes an existing item."""
    for order, (code, text) in enumerate(DEFAULT_VIOLATIONS, start=1):
        ViolationItem.objects.get_or_create(
            code=code, defaults={"text": text, "order": order}
        )


def _lock_visit(visit: Visit) -> Visit:
    return (
        Visit.objects.select_for_update(of=("self",))
        .select_related("team__owner_unit", "target__unit")
        .get(pk=visit.pk)
    )


# --- teams, targets, the plan -----------------------------------------------------


@transaction.atomic
def team_create(
    *,
    actor: User,
    name: str,
    owner_unit: Unit,
    leader: User | None,
    members: Sequence[User] = (),
    start_date: datetime.date | None,
    end_date: datetime.date | None,
    note: str = "",
) -> Team:
    """Set up a team of the owner unit's committee. A leader of the owner
    unit (or above) does it."""
    _require(
        permissions.can_create_team(actor, owner_unit),
        _("Chỉ lãnh đạo cấp ủy thành lập đoàn mới lập được đoàn giám sát."),
    )
    errors = {}
    if not _text(name):
        errors["name"] = _("Cần nhập tên đoàn.")
    if leader is None:
        errors["leader"] = _("Cần chọn trưởng đoàn.")
    if start_date is None:
        errors["start_date"] = _("Cần nhập ngày bắt đầu.")
    if end_date is None:
        errors["end_date"] = _("Cần nhập ngày kết thúc.")
    elif start_date and end_date < start_date:
        errors["end_date"] = _("Ngày kết thúc không được trước ngày bắt đầu.")
    if errors:
        raise ValidationError(errors)
    team = Team(
        name=_text(name),
        owner_unit=owner_unit,
        leader=leader,
        start_date=start_date,
        end_date=end_date,
        note=_text(note),
        created_by=actor,
    )
    _save(team, actor=actor, reason=_("Thành lập đoàn giám sát"))
    team.members.set([m for m in members if m.pk != leader.pk])
    return team


@transaction.atomic
def target_add(
    *,
    actor: User,
    team: Team,
    unit: Unit | None,
    kind: str,
    head_person: User | None = None,
) -> Target:
    """Add a target: a Party organisation, or the head of a unit, under the
    owner unit. For a head, the person defaults to the unit's head."""
    _require(
        permissions.can_manage_targets(actor, team),
        _("Chỉ lãnh đạo cấp ủy thành lập đoàn mới thêm được đối tượng giám sát."),
    )
    if unit is None:
        raise ValidationError({"unit": _("Cần chọn đơn vị được giám sát.")})
    owner = team.owner_unit
    if not unit.path.startswith(owner.path) or unit.pk == owner.pk:
        raise ValidationError(
            {
                "unit": _("Đơn vị được giám sát phải là đơn vị trực thuộc “%(o)s”.")
                % {"o": owner.name}
            }
        )
    if kind not in TargetKind.values:
        raise ValidationError({"kind": _("Hãy chọn tổ chức đảng hoặc người đứng đầu.")})
    if kind == TargetKind.HEAD:
        head_person = head_person or unit.head
        if head_person is None:
            raise ValidationError(
                {"head_person": _("Đơn vị chưa có người đứng đầu: hãy chọn người.")}
            )
        if not Membership.objects.filter(user=head_person, unit=unit).exists():
            raise ValidationError(
                {
                    "head_person": _("%(p)s không thuộc đơn vị “%(u)s”.")
                    % {"p": head_person, "u": unit.name}
                }
            )
    else:
        head_person = None
    if Target.objects.filter(team=team, unit=unit, kind=kind).exists():
        raise ValidationError(
            {"unit": _("Đoàn đã có đối tượng giám sát này ở đơn vị này.")}
        )
    target = Target(team=team, unit=unit, kind=kind, head_person=head_person)
    _save(target, actor=actor, reason=_("Thêm đối tượng giám sát"))
    return target


def _check_target(team: Team, target: Target | None) -> Target:
    if target is None or target.team_id != team.pk:
        raise ValidationError({"target": _("Hãy chọn một đối tượng của đoàn.")})
    return target


@transaction.atomic
def visit_plan(
    *,
    actor: User,
    team: Team,
    target: Target | None,
    planned_date: datetime.date | None,
) -> Visit:
    """Put a supervision visit on the team's plan, on a date within the
    team's period."""
    _require(
        permissions.can_plan(actor, team),
        _("Chỉ trưởng đoàn hoặc lãnh đạo cấp ủy lập được kế hoạch giám sát."),
    )
    target = _check_target(team, target)
    if planned_date is None:
        raise ValidationError({"planned_date": _("Cần nhập ngày dự kiến.")})
    if not team.start_date <= planned_date <= team.end_date:
        raise ValidationError(
            {
                "planned_date": _(
                    "Ngày dự kiến phải trong thời gian hoạt động của đoàn "
                    "(%(s)s – %(e)s)."
                )
                % {"s": f"{team.start_date:%d/%m/%Y}", "e": f"{team.end_date:%d/%m/%Y}"}
            }
        )
    visit = Visit(
        team=team,
        target=target,
        kind=VisitKind.PLANNED,
        status=VisitStatus.PLANNED,
        planned_date=planned_date,
        created_by=actor,
    )
    _save(visit, actor=actor, reason=_("Lập kế hoạch giám sát"))
    return visit


def _record_fields(
    visited_on: datetime.date | None, topics: Iterable[str], subject: str
) -> tuple[datetime.date, list[str], str]:
    errors = {}
    topics = [t for t in Topic.values if t in set(topics or ())]
    subject = _text(subject)
    if visited_on is None:
        errors["visited_on"] = _("Cần nhập ngày giám sát, kiểm tra.")
    elif visited_on > local_today():
        errors["visited_on"] = _("Ngày giám sát, kiểm tra không được sau hôm nay.")
    if not topics and not subject:
        errors["subject"] = _(
            "Cần ghi đã kiểm tra nội dung gì (chọn nội dung hoặc ghi cụ thể)."
        )
    if errors:
        raise ValidationError(errors)
    return visited_on, topics, subject


@transaction.atomic
def inspection_create(
    *,
    actor: User,
    team: Team,
    target: Target | None,
    visited_on: datetime.date | None,
    topics: Iterable[str] = (),
    subject: str = "",
    summary: str = "",
) -> Visit:
    """Record a surprise inspection (kiểm tra đột xuất): no plan, no notice.
    It stays a draft, unseen by the unit, until the team leader files it."""
    _require(
        permissions.can_inspect(actor, team),
        _("Chỉ thành viên đoàn hoặc lãnh đạo cấp ủy ghi được kiểm tra đột xuất."),
    )
    target = _check_target(team, target)
    visited_on, topics, subject = _record_fields(visited_on, topics, subject)
    visit = Visit(
        team=team,
        target=target,
        kind=VisitKind.SURPRISE,
        status=VisitStatus.DRAFT,
        visited_on=visited_on,
        topics=topics,
        subject=subject,
        summary=_text(summary),
        created_by=actor,
    )
    _save(visit, actor=actor, reason=_("Kiểm tra đột xuất"))
    return visit


@transaction.atomic
def visit_record(
    *,
    actor: User,
    visit: Visit,
    visited_on: datetime.date | None,
    topics: Iterable[str] = (),
    subject: str = "",
    summary: str = "",
) -> Visit:
    """Write (or correct) a visit's record: when, what was checked, the
    summary. A planned visit becomes a draft record. Refused once filed."""
    visit = _lock_visit(visit)
    _require(
        permissions.can_record(actor, visit),
        _("Biên bản đã hoàn thành hoặc bạn không thuộc đoàn giám sát này."),
    )
    visit.visited_on, visit.topics, visit.subject = _record_fields(
        visited_on, topics, subject
    )
    visit.summary = _text(summary)
    visit.status = VisitStatus.DRAFT
    _save(visit, actor=actor, reason=_("Ghi biên bản giám sát, kiểm tra"))
    return visit


@transaction.atomic
def finding_add(
    *,
    actor: User,
    visit: Visit,
    violations: Sequence[ViolationItem] = (),
    other_violation: str = "",
    description: str,
    unit: Unit | None = None,
    severity: str = "",
) -> Finding:
    """Add a finding to a recorded visit that is not filed yet: at least one
    breach from the catalogue, or another described in words; the unit
    concerned is the target's unit or one under it."""
    visit = _lock_visit(visit)
    _require(
        permissions.can_record(actor, visit),
        _("Biên bản đã hoàn thành hoặc bạn không thuộc đoàn giám sát này."),
    )
    if visit.status != VisitStatus.DRAFT:
        raise ValidationError(
            _("Hãy ghi biên bản (ngày, nội dung kiểm tra) trước khi thêm phát hiện.")
        )
    errors = {}
    other_violation = _text(other_violation)
    violations = list(violations or ())
    if not violations and not other_violation:
        errors["violations"] = _(
            "Chọn ít nhất một biểu hiện vi phạm trong danh mục, hoặc ghi biểu hiện "
            "khác."
        )
    if any(not item.is_active for item in violations):
        errors["violations"] = _("Có biểu hiện đã ngừng áp dụng trong danh mục.")
    if not _text(description):
        errors["description"] = _("Cần ghi nội dung phát hiện.")
    target_unit = visit.target.unit
    unit = unit or target_unit
    if not unit.path.startswith(target_unit.path):
        errors["unit"] = _(
            "Đơn vị liên quan phải là “%(u)s” hoặc đơn vị trực thuộc."
        ) % {"u": target_unit.name}
    if severity and severity not in Severity.values:
        errors["severity"] = _("Mức độ không hợp lệ.")
    if errors:
        raise ValidationError(errors)
    finding = Finding(
        visit=visit,
        other_violation=other_violation,
        description=_text(description),
        unit=unit,
        severity=severity or "",
        created_by=actor,
    )
    _save(finding, actor=actor, reason=_("Ghi phát hiện"))
    finding.violations.set(violations)
    return finding


@transaction.atomic
def visit_file(*, actor: User, visit: Visit) -> Visit:
    """The team leader (or a leader of the owner unit) files the record:
    from now on it is read-only, and the supervised unit sees it."""
    visit = _lock_visit(visit)
    if visit.status == VisitStatus.FILED:
        raise ValidationError(_("Biên bản này đã hoàn thành."))
    if visit.status != VisitStatus.DRAFT:
        raise ValidationError(_("Chưa ghi biên bản: chưa thể hoàn thành."))
    _require(
        permissions.can_file(actor, visit),
        _("Chỉ trưởng đoàn hoặc lãnh đạo cấp ủy hoàn thành được biên bản."),
    )
    visit.status = VisitStatus.FILED
    visit.filed_by = actor
    visit.filed_at = timezone.now()
    _save(visit, actor=actor, reason=_("Hoàn thành biên bản"))
    return visit


# --- remediation --------------------------------------------------------------------


@transaction.atomic
def remediation_create(*, actor: User, finding: Finding, **task_fields) -> Task:
    """Create a remediation task for a finding of a filed visit, with all
    five rõ, through ``tasks.services.task_create``; its lead unit is the
    finding's unit or one under it. The link reads both ways."""
    visit = _lock_visit(finding.visit)
    finding.visit = visit
    _require(
        permissions.can_remediate(actor, finding),
        _(
            "Chỉ trưởng đoàn hoặc lãnh đạo cấp ủy tạo được nhiệm vụ khắc phục, sau "
            "khi biên bản đã hoàn thành."
        ),
    )
    lead_unit = task_fields.get("lead_unit")
    if lead_unit is not None and not lead_unit.path.startswith(finding.unit.path):
        raise ValidationError(
            {
                "lead_unit": _("Đơn vị chủ trì phải là “%(u)s” hoặc đơn vị trực thuộc.")
                % {"u": finding.unit.name}
            }
        )
    task = task_services.task_create(
        actor=actor,
        reason=_("Khắc phục phát hiện giám sát"),
        **task_fields,
    )
    link = FindingTask(finding=finding, task=task, created_by=actor)
    _save(link, actor=actor, reason=_("Nhiệm vụ khắc phục"))
    return task
