"""Every write of the hard-task quotas goes through these functions: the
pages, the admin and the demo call the same ones.

Each owns its transaction, locks the rows it moves (the task first, then
the registration: the order ``tasks.services`` uses), checks the actor's
permission (``quotas.permissions``), and records who and why in the
history (django-simple-history).
"""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tasks import permissions as task_permissions
from tasks import services as task_services
from tasks.calendar import local_today
from tasks.choices import TaskStatus
from tasks.models import Task
from units.models import DEFAULT_COMMITTEE_ROLES, CommitteeRole, User

from . import permissions
from .choices import STANDING_STATUSES, RegistrationStatus
from .models import QuotaPeriod, Registration, ReminderStep, RoleQuota

# The article's numbers (Hànộimới, 22/10/2023), by committee role code, for
# the first period only: every later period starts from the one before it,
# and admins change the rows of each period.
DEFAULT_MINIMUMS = {"thuong-truc": 3, "uy-vien-btv": 2, "can-bo-co-so": 1}


def _require(allowed: bool, message: str) -> None:
    if not allowed:
        raise PermissionDenied(message)


def _save_with_history(obj, *, actor: User | None, reason: str) -> None:
    obj._history_user = actor
    obj._change_reason = reason[:100]
    obj.save()


def _require_admin(actor: User, perm: str) -> None:
    _require(
        actor is not None and actor.is_active and actor.has_perm(perm),
        _("Chỉ quản trị viên được thay đổi cấu hình việc khó."),
    )


# --- defaults -------------------------------------------------------------------

DEFAULT_REMINDER_DAYS = (10, 3)


def install_defaults() -> None:
    """The committee roles and reminder steps the data migrations seed,
    added again where missing (a database emptied by a test's flush, a demo
    on a database whose rows were removed). Never changes an existing row."""
    for code, name, order in DEFAULT_COMMITTEE_ROLES:
        CommitteeRole.objects.get_or_create(
            code=code, defaults={"name": name, "order": order}
        )
    for days in DEFAULT_REMINDER_DAYS:
        ReminderStep.objects.get_or_create(working_days_before=days)


# --- periods, quotas, reminder steps (the admins' rows) ----------------------


def check_period(period: QuotaPeriod) -> None:
    period.full_clean()
    overlapping = QuotaPeriod.objects.filter(
        start__lte=period.end, end__gte=period.start
    ).exclude(pk=period.pk)
    clash = overlapping.first()
    if clash is not None:
        raise ValidationError(
            {
                "start": _("Kỳ này trùng thời gian với kỳ “%(name)s”.")
                % {"name": clash.name}
            }
        )


@transaction.atomic
def period_create(
    *,
    actor: User | None,
    name: str,
    start: datetime.date,
    end: datetime.date,
    registration_deadline: datetime.date,
    check_permission: bool = True,
) -> QuotaPeriod:
    """Create a period and its quotas: a copy of the rows of the period
    before it, or, for the very first period, the article's numbers for the
    roles that exist. Admins then change the rows of this period alone."""
    if check_permission:
        _require_admin(actor, "quotas.add_quotaperiod")
    # Periods are created rarely; serialise them so that two admins cannot
    # create overlapping ones at once.
    list(QuotaPeriod.objects.select_for_update().order_by("pk").values("pk"))
    period = QuotaPeriod(
        name=(name or "").strip(),
        start=start,
        end=end,
        registration_deadline=registration_deadline,
    )
    check_period(period)
    _save_with_history(period, actor=actor, reason=_("Tạo kỳ đăng ký việc khó"))
    previous = (
        QuotaPeriod.objects.filter(start__lt=period.start)
        .exclude(pk=period.pk)
        .order_by("-start")
        .first()
    )
    if previous is not None:
        rows = [
            (q.committee_role, q.minimum)
            for q in previous.quotas.select_related("committee_role")
        ]
        reason = _("Sao chép định mức từ kỳ “%(name)s”") % {"name": previous.name}
    else:
        roles = CommitteeRole.objects.filter(code__in=DEFAULT_MINIMUMS)
        rows = [(role, DEFAULT_MINIMUMS[role.code]) for role in roles]
        reason = _("Định mức mặc định")
    for role, minimum in rows:
        quota = RoleQuota(period=period, committee_role=role, minimum=minimum)
        _save_with_history(quota, actor=actor, reason=reason)
    return period


@transaction.atomic
def period_update(*, actor: User, period: QuotaPeriod, **fields) -> QuotaPeriod:
    """Change a period's name, dates or registration deadline."""
    _require_admin(actor, "quotas.change_quotaperiod")
    period = QuotaPeriod.objects.select_for_update().get(pk=period.pk)
    editable = {"name", "start", "end", "registration_deadline"}
    unknown = set(fields) - editable
    if unknown:
        raise ValueError(f"Not editable: {sorted(unknown)}")
    for name, value in fields.items():
        setattr(period, name, value.strip() if isinstance(value, str) else value)
    check_period(period)
    _save_with_history(period, actor=actor, reason=_("Cập nhật kỳ đăng ký việc khó"))
    return period


@transaction.atomic
def role_quota_save(
    *, actor: User, period: QuotaPeriod, committee_role: CommitteeRole, minimum: int
) -> RoleQuota:
    """Set the quota of one role in one period (created if missing)."""
    _require_admin(actor, "quotas.change_rolequota")
    if minimum is None or int(minimum) < 0:
        raise ValidationError({"minimum": _("Định mức là một số từ 0 trở lên.")})
    quota = (
        RoleQuota.objects.select_for_update()
        .filter(period=period, committee_role=committee_role)
        .first()
    ) or RoleQuota(period=period, committee_role=committee_role)
    old = quota.minimum if quota.pk else None
    quota.minimum = int(minimum)
    quota.full_clean(validate_unique=False)
    reason = (
        _("Định mức %(role)s: %(old)s → %(new)s")
        % {"role": committee_role.name, "old": old, "new": quota.minimum}
        if old is not None
        else _("Định mức %(role)s: %(new)s")
        % {"role": committee_role.name, "new": quota.minimum}
    )
    _save_with_history(quota, actor=actor, reason=reason)
    return quota


@transaction.atomic
def role_quota_delete(*, actor: User, quota: RoleQuota) -> None:
    """Remove a role's quota from a period: the role owes nothing then."""
    _require_admin(actor, "quotas.delete_rolequota")
    quota = RoleQuota.objects.select_for_update().get(pk=quota.pk)
    quota._history_user = actor
    quota._change_reason = _("Bỏ định mức")
    quota.delete()


@transaction.atomic
def reminder_step_save(
    *, actor: User, step: ReminderStep, working_days_before: int, is_active: bool
) -> ReminderStep:
    """Add or change a reminder step (so many working days before the
    registration deadline)."""
    _require_admin(actor, "quotas.change_reminderstep")
    if step.pk:
        step = ReminderStep.objects.select_for_update().get(pk=step.pk)
    step.working_days_before = working_days_before
    step.is_active = is_active
    step.full_clean()
    _save_with_history(step, actor=actor, reason=_("Cập nhật lịch nhắc"))
    return step


# --- registering --------------------------------------------------------------


def open_period(today: datetime.date) -> QuotaPeriod:
    """The period one registers in today, or a ValidationError saying why
    there is none."""
    period = (
        QuotaPeriod.objects.filter(start__lte=today, end__gte=today)
        .order_by("-start")
        .first()
    )
    if period is None:
        raise ValidationError(
            _("Chưa có kỳ đăng ký việc khó nào đang mở; hãy liên hệ quản trị viên.")
        )
    if today > period.registration_deadline:
        raise ValidationError(
            _("Đã hết hạn đăng ký việc khó của kỳ “%(name)s” (hạn %(d)s).")
            % {
                "name": period.name,
                "d": period.registration_deadline.strftime("%d/%m/%Y"),
            }
        )
    return period


def _lock_task(task: Task | int) -> Task:
    pk = task.pk if isinstance(task, Task) else task
    return (
        Task.objects.select_for_update(of=("self",))
        .select_related("lead_unit")
        .get(pk=pk)
    )


@transaction.atomic
def registration_create(
    *,
    actor: User,
    task: Task,
    reason: str,
    today: datetime.date | None = None,
) -> Registration:
    """The actor registers a task of theirs (as assignee or accountable
    leader) as a hard task they take on in the period open today. It waits
    for a leader of the task's unit to confirm it. Locks the task."""
    today = today or local_today()
    task = _lock_task(task)
    _require(
        permissions.can_register(actor, task),
        _(
            "Chỉ người thực hiện hoặc lãnh đạo chịu trách nhiệm của một nhiệm vụ "
            "đang thực hiện mới đăng ký được nhiệm vụ đó là việc khó."
        ),
    )
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Cần nêu vì sao đây là việc khó.")})
    period = open_period(today)
    if Registration.objects.filter(
        period=period, person=actor, task=task, status__in=STANDING_STATUSES
    ).exists():
        raise ValidationError(
            {"task": _("Bạn đã đăng ký nhiệm vụ này là việc khó trong kỳ.")}
        )
    now = timezone.now()
    registration = Registration(
        period=period,
        person=actor,
        task=task,
        unit=task.lead_unit,
        reason=reason,
        registered_at=now,
        registered_on=today,
    )
    try:
        with transaction.atomic():
            _save_with_history(registration, actor=actor, reason=_("Đăng ký việc khó"))
    except IntegrityError as exc:
        raise ValidationError(
            {"task": _("Bạn đã đăng ký nhiệm vụ này là việc khó trong kỳ.")}
        ) from exc
    return registration


@transaction.atomic
def registration_create_with_task(
    *, actor: User, reason: str, today: datetime.date | None = None, **task_fields
) -> Registration:
    """Create a task with all five rõ (``tasks.services.task_create``, so a
    leader only, in their own units), marked hard, and register it, in one
    transaction: nothing is saved unless both succeed. The actor must be the
    new task's assignee or accountable leader."""
    today = today or local_today()
    reason = (reason or "").strip()
    errors = {}
    if not reason:
        errors["reason"] = [_("Cần nêu vì sao đây là việc khó.")]
    if actor not in (
        task_fields.get("assignee"),
        task_fields.get("accountable_leader"),
    ):
        errors["assignee"] = [
            _(
                "Việc khó đăng ký cho chính bạn: bạn phải là người thực hiện hoặc "
                "lãnh đạo chịu trách nhiệm của nhiệm vụ."
            )
        ]
    open_period(today)
    if errors:
        raise ValidationError(errors)
    task_fields["is_hard"] = True
    task = task_services.task_create(
        actor=actor, reason=_("Giao nhiệm vụ (đăng ký việc khó)"), **task_fields
    )
    return registration_create(actor=actor, task=task, reason=reason, today=today)


# --- deciding -----------------------------------------------------------------


def _lock_pending(registration: Registration) -> tuple[Task, Registration]:
    task_id = Registration.objects.values_list("task_id", flat=True).get(
        pk=registration.pk
    )
    task = _lock_task(task_id)
    registration = (
        Registration.objects.select_for_update(of=("self",))
        .select_related("unit", "person", "period")
        .get(pk=registration.pk)
    )
    if registration.status != RegistrationStatus.PENDING:
        raise ValidationError(_("Đăng ký này đã được quyết định."))
    return task, registration


@transaction.atomic
def registration_confirm(
    *, actor: User, registration: Registration, note: str = ""
) -> Registration:
    """A leader of the unit confirms the task is really hard: the
    registration counts toward the person's quota from now on, and the task
    is marked hard (when it is still open and the leader manages it).
    Locks the task, then the registration."""
    task, registration = _lock_pending(registration)
    _require(
        permissions.can_decide(actor, registration),
        _(
            "Chỉ lãnh đạo đơn vị (hoặc cấp trên) xác nhận việc khó, và không ai "
            "tự xác nhận việc khó của mình."
        ),
    )
    if task.status == TaskStatus.CANCELLED:
        raise ValidationError(_("Nhiệm vụ đã bị hủy: không xác nhận được."))
    registration.status = RegistrationStatus.CONFIRMED
    registration.decided_by = actor
    registration.decided_at = timezone.now()
    reason = _("Xác nhận việc khó")
    if note.strip():
        reason = f"{reason}: {note.strip()}"
    _save_with_history(registration, actor=actor, reason=reason)
    if (
        not task.is_hard
        and task.status != TaskStatus.DONE
        and task_permissions.can_manage(actor, task)
    ):
        task_services.task_update(
            actor=actor,
            task=task,
            is_hard=True,
            reason=_("Xác nhận là việc khó (đăng ký của %(who)s)")
            % {"who": registration.person},
        )
    return registration


@transaction.atomic
def registration_refuse(
    *, actor: User, registration: Registration, reason: str
) -> Registration:
    """A leader of the unit says the task is not a hard task, with a
    reason. The registration does not count; the person may register
    another task (or the same one again, with more to say). Locks the task,
    then the registration."""
    _task, registration = _lock_pending(registration)
    _require(
        permissions.can_decide(actor, registration),
        _(
            "Chỉ lãnh đạo đơn vị (hoặc cấp trên) xác nhận việc khó, và không ai "
            "tự xác nhận việc khó của mình."
        ),
    )
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(
            {"refusal_reason": _("Cần nêu lý do không xác nhận là việc khó.")}
        )
    registration.status = RegistrationStatus.REFUSED
    registration.decided_by = actor
    registration.decided_at = timezone.now()
    registration.refusal_reason = reason
    _save_with_history(
        registration,
        actor=actor,
        reason=_("Không xác nhận việc khó: %(r)s") % {"r": reason},
    )
    return registration
