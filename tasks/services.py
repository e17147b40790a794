"""Every write to a task goes through these functions: views, admin actions,
jobs and management commands call the same ones.

Each service owns its transaction, locks the task row it moves
(``select_for_update``), checks the actor's permission and the task's
version, records who and why in the history, and defers side effects that
leave the database to ``transaction.on_commit``.
"""

import datetime
from collections.abc import Iterable, Sequence

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from directives.models import Directive, DirectiveItem
from units.choices import Role
from units.models import Membership, Unit, User
from units.text import fold_vietnamese

from . import permissions
from .choices import (
    OPEN_STATUSES,
    WORKING_STATUSES,
    AlertKind,
    ExtensionStatus,
    ReportKind,
    TaskStatus,
    TransferKind,
    TransferStatus,
)
from .models import (
    EvidenceFile,
    ExplanationRequest,
    ExtensionRequest,
    ProgressReport,
    Task,
    Transfer,
)
from .notify import notify

ALLOWED_TRANSITIONS: dict[str, frozenset[str]] = {
    TaskStatus.ASSIGNED: frozenset(
        {TaskStatus.IN_PROGRESS, TaskStatus.SUBMITTED, TaskStatus.CANCELLED}
    ),
    TaskStatus.IN_PROGRESS: frozenset({TaskStatus.SUBMITTED, TaskStatus.CANCELLED}),
    TaskStatus.SUBMITTED: frozenset(
        {TaskStatus.DONE, TaskStatus.IN_PROGRESS, TaskStatus.CANCELLED}
    ),
    TaskStatus.DONE: frozenset(),
    TaskStatus.CANCELLED: frozenset(),
}


# Also shown by the admin's task form, which checks it before saving.
ASSIGN_OUTSIDE_SCOPE = gettext_lazy(
    "Bạn chỉ được giao nhiệm vụ cho đơn vị thuộc phạm vi mình lãnh đạo."
)


class ConflictError(Exception):
    """The task changed since the user opened it; nothing was saved."""

    def __init__(self, task: Task):
        self.task = task
        super().__init__(
            _(
                "Nhiệm vụ vừa được người khác cập nhật. Nội dung bạn nhập vẫn được "
                "giữ lại bên dưới; hãy xem thay đổi mới rồi lưu lại."
            )
        )


# --- helpers -----------------------------------------------------------------


def _lock(task: Task | int, expected_version: int | None) -> Task:
    pk = task.pk if isinstance(task, Task) else task
    # ``of=("self",)``: FOR UPDATE on a join would also lock the lead unit's
    # row, so every write to any task of a unit would wait for the others.
    locked = (
        Task.objects.select_for_update(of=("self",))
        .select_related("lead_unit")
        .get(pk=pk)
    )
    if expected_version is not None and locked.version != expected_version:
        raise ConflictError(locked)
    return locked


def _require(allowed: bool, message: str) -> None:
    if not allowed:
        raise PermissionDenied(message)


def _check_move(task: Task, to_status: str) -> None:
    """Refuse a change of state the task's life does not allow, saying why.

    Checked before the actor's permission, so that a leader who tries to
    approve work not yet submitted hears that, not "no permission"."""
    if to_status not in ALLOWED_TRANSITIONS[task.status]:
        raise ValidationError(
            _("Không thể chuyển nhiệm vụ từ “%(from)s” sang “%(to)s”.")
            % {
                "from": TaskStatus(task.status).label,
                "to": TaskStatus(to_status).label,
            },
            code="invalid_transition",
        )


def _move(task: Task, to_status: str) -> None:
    _check_move(task, to_status)
    task.status = to_status


_TASK_FK_FIELDS = [
    f.name for f in Task._meta.get_fields() if f.many_to_one and f.concrete
]


def _save(task: Task, *, actor: User, reason: str) -> None:
    """Validate, bump the version, save, and record who and why."""
    task.search_text = fold_vietnamese(f"{task.title} {task.description}")
    task.version += 1
    # Every CheckConstraint is checked above in Python with a message for the
    # user and enforced again by the database; re-querying each one (and
    # each foreign key) here cost ~25 queries per save.
    task.full_clean(
        exclude=["coordinating_units", *_TASK_FK_FIELDS], validate_constraints=False
    )
    task._history_user = actor
    task._change_reason = reason[:100]
    task.save()


def _create_with_history(model, *, actor: User, reason: str = "", **values):
    """Create a row with the actor (and reason) in its history row, also
    outside a request (jobs, commands) where no middleware sets them."""
    obj = model(**values)
    obj._history_user = actor
    if reason:
        obj._change_reason = reason[:100]
    obj.save()
    return obj


def _save_with_history(obj, *, actor: User, reason: str = "") -> None:
    obj._history_user = actor
    if reason:
        obj._change_reason = reason[:100]
    obj.save()


def _required_text(value: str, message: str, field: str) -> str:
    value = (value or "").strip()
    if not value:
        raise ValidationError({field: message})
    return value


def _attach_files(report: ProgressReport, files: Iterable, actor: User) -> None:
    for upload in files or ():
        EvidenceFile.objects.create(
            report=report,
            file=upload,
            original_name=getattr(upload, "name", "tep")[:255],
            content_type=(getattr(upload, "content_type", "") or "")[:100],
            size=getattr(upload, "size", 0) or 0,
            uploaded_by=actor,
        )


def is_member(user: User, unit: Unit) -> bool:
    """Someone who can be given the unit's work: its staff or its leaders.
    A reviewer's seat is for following the work, not for doing it."""
    return Membership.objects.filter(
        user=user, unit=unit, role__in=(Role.STAFF, Role.LEADER)
    ).exists()


def is_leader_over(user: User, unit: Unit) -> bool:
    """A leader of this unit or of a unit above it."""
    paths = [
        unit.path[:i] for i in range(Unit.steplen, len(unit.path) + 1, Unit.steplen)
    ]
    return Membership.objects.filter(
        user=user, role=Role.LEADER, unit__path__in=paths
    ).exists()


def validate_five_clear(
    *,
    title: str,
    description: str,
    directive: Directive | None,
    directive_item: DirectiveItem | None,
    lead_unit: Unit | None,
    assignee: User | None,
    accountable_leader: User | None,
    start_date: datetime.date | None,
    deadline: datetime.date | None,
    expected_result: str,
) -> None:
    """Raise one ValidationError naming every missing "rõ", in Vietnamese."""
    errors: dict[str, list[str]] = {}

    def add(field: str, message: str) -> None:
        errors.setdefault(field, []).append(message)

    if not (title or "").strip():
        add("title", _("Thiếu rõ việc: chưa có tên nhiệm vụ."))
    if not (description or "").strip():
        add("description", _("Thiếu rõ việc: chưa có nội dung công việc."))
    if directive is None:
        add(
            "directive",
            _("Thiếu rõ việc: chưa chọn văn bản chỉ đạo mà nhiệm vụ thực hiện."),
        )
    elif directive_item is not None and directive_item.directive_id != directive.pk:
        add("directive_item", _("Mục đã chọn không thuộc văn bản chỉ đạo này."))
    if lead_unit is None:
        add("lead_unit", _("Thiếu rõ người: chưa chọn đơn vị chủ trì."))
    if assignee is None:
        add("assignee", _("Thiếu rõ người: chưa chọn người thực hiện."))
    elif lead_unit is not None and not is_member(assignee, lead_unit):
        add(
            "assignee",
            _("Người thực hiện phải là cán bộ của đơn vị chủ trì “%(unit)s”.")
            % {"unit": lead_unit.name},
        )
    if start_date is None:
        add("start_date", _("Thiếu rõ tiến độ: chưa có ngày bắt đầu."))
    if deadline is None:
        add("deadline", _("Thiếu rõ tiến độ: chưa có hạn hoàn thành."))
    if start_date and deadline and deadline < start_date:
        add("deadline", _("Hạn hoàn thành không được trước ngày bắt đầu."))
    if not (expected_result or "").strip():
        add(
            "expected_result", _("Thiếu rõ kết quả: chưa có kết quả, sản phẩm dự kiến.")
        )
    if accountable_leader is None:
        add(
            "accountable_leader",
            _("Thiếu rõ trách nhiệm: chưa chọn lãnh đạo chịu trách nhiệm."),
        )
    elif lead_unit is not None and not is_leader_over(accountable_leader, lead_unit):
        add(
            "accountable_leader",
            _(
                "Lãnh đạo chịu trách nhiệm phải là lãnh đạo của đơn vị chủ trì "
                "hoặc đơn vị cấp trên."
            ),
        )
    if errors:
        raise ValidationError(errors)


def _validate_task(task: Task) -> None:
    """The five-rõ rules again, for a task whose fields a service changed."""
    validate_five_clear(
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


# --- creating and assigning --------------------------------------------------


@transaction.atomic
def task_create(
    *,
    actor: User,
    title: str,
    description: str,
    directive: Directive | None,
    lead_unit: Unit | None,
    assignee: User | None,
    accountable_leader: User | None,
    start_date: datetime.date | None,
    deadline: datetime.date | None,
    expected_result: str,
    directive_item: DirectiveItem | None = None,
    coordinating_units: Sequence[Unit] = (),
    is_hard: bool = False,
    is_hot: bool = False,
    reason: str = "",
    assigned_at: datetime.datetime | None = None,
) -> Task:
    """Create a task with all five "rõ" and assign it.

    The actor must lead the lead unit or a unit above it. Runs in one
    transaction; nothing is saved unless every rule holds.
    """
    _require(
        permissions.can_assign(actor, lead_unit)
        if lead_unit is not None
        else permissions.is_leader(actor),
        ASSIGN_OUTSIDE_SCOPE,
    )
    validate_five_clear(
        title=title,
        description=description,
        directive=directive,
        directive_item=directive_item,
        lead_unit=lead_unit,
        assignee=assignee,
        accountable_leader=accountable_leader,
        start_date=start_date,
        deadline=deadline,
        expected_result=expected_result,
    )
    now = timezone.now()
    task = Task(
        title=title.strip(),
        description=description.strip(),
        directive=directive,
        directive_item=directive_item,
        lead_unit=lead_unit,
        assignee=assignee,
        accountable_leader=accountable_leader,
        assigned_by=actor,
        assigned_at=assigned_at or now,
        start_date=start_date,
        original_deadline=deadline,
        deadline=deadline,
        expected_result=expected_result.strip(),
        is_hard=is_hard,
        is_hot=is_hot,
        flagged_by=actor if (is_hard or is_hot) else None,
        flagged_at=now if (is_hard or is_hot) else None,
        version=0,
    )
    _save(task, actor=actor, reason=reason or _("Giao nhiệm vụ"))
    if coordinating_units:
        task.coordinating_units.set([u for u in coordinating_units if u != lead_unit])
    notify(
        task=task,
        kind=AlertKind.ASSIGNED,
        recipients=[task.assignee, task.accountable_leader],
        actor=actor,
        message=task.title,
    )
    return task


@transaction.atomic
def task_update(
    *,
    actor: User,
    task: Task,
    expected_version: int | None = None,
    reason: str = "",
    **fields,
) -> Task:
    """Change the content of an open task (title, description, expected
    result, directive item, coordinating units, flags). Deadlines move only
    through extensions; people and units through reassign and transfer."""
    task = _lock(task, expected_version)
    _require(
        permissions.can_manage(actor, task) and task.status in OPEN_STATUSES,
        _("Bạn không có quyền sửa nhiệm vụ này."),
    )
    editable = {
        "title",
        "description",
        "expected_result",
        "directive_item",
        "is_hard",
        "is_hot",
    }
    coordinating = fields.pop("coordinating_units", None)
    unknown = set(fields) - editable
    if unknown:
        raise ValueError(f"Not editable through task_update: {sorted(unknown)}")
    for name, value in fields.items():
        setattr(task, name, value.strip() if isinstance(value, str) else value)
    if {"is_hard", "is_hot"} & set(fields):
        task.flagged_by, task.flagged_at = actor, timezone.now()
    _validate_task(task)
    _save(task, actor=actor, reason=reason or _("Cập nhật nội dung nhiệm vụ"))
    if coordinating is not None:
        task.coordinating_units.set(
            [u for u in coordinating if u.pk != task.lead_unit_id]
        )
    return task


# --- the assignee's work -----------------------------------------------------


@transaction.atomic
def task_start(*, actor: User, task: Task, expected_version: int | None = None) -> Task:
    """The assignee starts work: Mới giao → Đang thực hiện."""
    task = _lock(task, expected_version)
    _check_move(task, TaskStatus.IN_PROGRESS)
    _require(
        permissions.can_work_on(actor, task), _("Bạn không thực hiện nhiệm vụ này.")
    )
    _move(task, TaskStatus.IN_PROGRESS)
    _save(task, actor=actor, reason=_("Bắt đầu thực hiện"))
    return task


@transaction.atomic
def task_report_progress(
    *,
    actor: User,
    task: Task,
    percent: int,
    note: str = "",
    files: Iterable = (),
    expected_version: int | None = None,
) -> ProgressReport:
    """Record a progress report (percent, note, evidence); a task still
    "Mới giao" becomes "Đang thực hiện"."""
    task = _lock(task, expected_version)
    _require(
        permissions.can_report(actor, task), _("Bạn không thực hiện nhiệm vụ này.")
    )
    if percent is None or not 0 <= int(percent) <= 100:
        raise ValidationError({"percent": _("Tiến độ phải từ 0 đến 100%.")})
    percent = int(percent)
    if percent == 100:
        raise ValidationError(
            {
                "percent": _(
                    "Tiến độ 100%: hãy dùng “Báo cáo hoàn thành” để gửi kết quả."
                )
            }
        )
    if task.status == TaskStatus.ASSIGNED:
        _move(task, TaskStatus.IN_PROGRESS)
    task.progress = percent
    _save(task, actor=actor, reason=_("Báo cáo tiến độ %(p)s%%") % {"p": percent})
    report = _create_with_history(
        ProgressReport,
        actor=actor,
        task=task,
        kind=ReportKind.PROGRESS,
        author=actor,
        percent=percent,
        note=note.strip(),
    )
    _attach_files(report, files, actor)
    return report


@transaction.atomic
def task_submit(
    *,
    actor: User,
    task: Task,
    actual_result: str,
    note: str = "",
    files: Iterable = (),
    expected_version: int | None = None,
    today: datetime.date | None = None,
) -> Task:
    """The assignee reports the work done, with the actual result and
    evidence: → Chờ xác nhận. The submission date is what timeliness counts
    once a leader approves."""
    task = _lock(task, expected_version)
    _check_move(task, TaskStatus.SUBMITTED)
    _require(
        permissions.can_submit(actor, task), _("Bạn không thực hiện nhiệm vụ này.")
    )
    actual_result = _required_text(
        actual_result,
        _("Cần nêu kết quả thực tế khi báo cáo hoàn thành."),
        "actual_result",
    )
    _move(task, TaskStatus.SUBMITTED)
    task.actual_result = actual_result
    task.submitted_on = today or timezone.localdate()
    task.progress = 100
    _save(task, actor=actor, reason=_("Báo cáo hoàn thành"))
    notify(
        task=task,
        kind=AlertKind.SUBMITTED,
        recipients=_leaders_of(task),
        actor=actor,
        message=actual_result,
    )
    report = _create_with_history(
        ProgressReport,
        actor=actor,
        task=task,
        kind=ReportKind.SUBMISSION,
        author=actor,
        percent=100,
        note=note.strip() or actual_result,
    )
    _attach_files(report, files, actor)
    return task


@transaction.atomic
def task_approve(
    *, actor: User, task: Task, comment: str = "", expected_version: int | None = None
) -> Task:
    """A leader confirms submitted work: → Hoàn thành. Completion counts
    from the day the work was submitted."""
    task = _lock(task, expected_version)
    _check_move(task, TaskStatus.DONE)
    _require(
        permissions.can_decide(actor, task),
        _("Bạn không có quyền xác nhận nhiệm vụ này."),
    )
    _move(task, TaskStatus.DONE)
    task.completed_on = task.submitted_on or timezone.localdate()
    task.completed_at = timezone.now()
    task.progress = 100
    _save(task, actor=actor, reason=comment or _("Xác nhận hoàn thành"))
    _close_pending_requests(task, actor=actor, reason=_("Nhiệm vụ đã hoàn thành"))
    notify(
        task=task,
        kind=AlertKind.APPROVED,
        recipients=[task.assignee],
        actor=actor,
        message=comment,
    )
    _create_with_history(
        ProgressReport,
        actor=actor,
        task=task,
        kind=ReportKind.APPROVAL,
        author=actor,
        percent=100,
        note=comment.strip(),
    )
    return task


@transaction.atomic
def task_return(
    *, actor: User, task: Task, comment: str, expected_version: int | None = None
) -> Task:
    """A leader returns submitted work with a comment: → Đang thực hiện."""
    task = _lock(task, expected_version)
    if task.status != TaskStatus.SUBMITTED:
        raise ValidationError(
            _("Chỉ trả lại được nhiệm vụ đang chờ xác nhận."), code="invalid_transition"
        )
    _require(
        permissions.can_decide(actor, task),
        _("Bạn không có quyền trả lại nhiệm vụ này."),
    )
    comment = _required_text(comment, _("Cần nêu lý do trả lại."), "comment")
    _move(task, TaskStatus.IN_PROGRESS)
    task.submitted_on = None
    task.progress = min(task.progress, 90)
    _save(task, actor=actor, reason=_("Trả lại: %(c)s") % {"c": comment})
    notify(
        task=task,
        kind=AlertKind.RETURNED,
        recipients=[task.assignee],
        actor=actor,
        message=comment,
    )
    _create_with_history(
        ProgressReport,
        actor=actor,
        task=task,
        kind=ReportKind.RETURN,
        author=actor,
        percent=task.progress,
        note=comment,
    )
    return task


@transaction.atomic
def task_cancel(
    *, actor: User, task: Task, reason: str, expected_version: int | None = None
) -> Task:
    """The assigner (or a leader above) cancels an open task, with a reason."""
    task = _lock(task, expected_version)
    _check_move(task, TaskStatus.CANCELLED)
    _require(
        permissions.can_cancel(actor, task), _("Bạn không có quyền hủy nhiệm vụ này.")
    )
    reason = _required_text(reason, _("Cần nêu lý do hủy nhiệm vụ."), "reason")
    _move(task, TaskStatus.CANCELLED)
    _save(task, actor=actor, reason=_("Hủy: %(r)s") % {"r": reason})
    _close_pending_requests(task, actor=actor, reason=_("Nhiệm vụ đã hủy"), note=reason)
    notify(
        task=task,
        kind=AlertKind.CANCELLED,
        recipients=[task.assignee, task.accountable_leader],
        actor=actor,
        message=reason,
    )
    return task


def _close_pending_requests(
    task: Task, *, actor: User, reason: str, note: str = ""
) -> None:
    """Withdraw the pending extension and transfer requests of a task that
    has just closed. Saved one by one (not ``update()``) so that each keeps
    a history row."""
    now = timezone.now()
    for ext in ExtensionRequest.objects.select_for_update().filter(
        task=task, status=ExtensionStatus.PENDING
    ):
        ext.status = ExtensionStatus.WITHDRAWN
        ext.decided_by, ext.decided_at = actor, now
        ext.decision_note = note or reason
        _save_with_history(ext, actor=actor, reason=reason)
    for transfer in Transfer.objects.select_for_update().filter(
        task=task, status=TransferStatus.PENDING
    ):
        transfer.status = TransferStatus.REJECTED
        transfer.decided_by, transfer.decided_at = actor, now
        transfer.decision_note = note or reason
        _save_with_history(transfer, actor=actor, reason=reason)


def _leaders_of(task: Task) -> list[User]:
    """Who decides on the assignee's requests: the accountable leader and
    the person who assigned the task."""
    return [task.accountable_leader, task.assigned_by]


# --- extensions --------------------------------------------------------------


@transaction.atomic
def extension_request(
    *,
    actor: User,
    task: Task,
    new_deadline: datetime.date,
    reason: str,
    expected_version: int | None = None,
) -> ExtensionRequest:
    """The assignee asks to move the deadline, with a reason."""
    task = _lock(task, expected_version)
    _require(
        permissions.can_request_extension(actor, task),
        _("Chỉ người thực hiện được đề nghị gia hạn nhiệm vụ đang mở."),
    )
    reason = _required_text(reason, _("Cần nêu lý do gia hạn."), "reason")
    if new_deadline is None or new_deadline <= task.deadline:
        raise ValidationError(
            {
                "new_deadline": _("Hạn đề nghị phải sau hạn hiện tại (%(d)s).")
                % {"d": task.deadline.strftime("%d/%m/%Y")}
            }
        )
    if ExtensionRequest.objects.filter(
        task=task, status=ExtensionStatus.PENDING
    ).exists():
        raise ValidationError(
            _("Nhiệm vụ đã có một đề nghị gia hạn đang chờ quyết định.")
        )
    ext = ExtensionRequest(
        task=task,
        requested_by=actor,
        previous_deadline=task.deadline,
        new_deadline=new_deadline,
        reason=reason,
    )
    _save_with_history(
        ext,
        actor=actor,
        reason=_("Đề nghị gia hạn đến %(d)s")
        % {"d": new_deadline.strftime("%d/%m/%Y")},
    )
    notify(
        task=task,
        kind=AlertKind.EXTENSION_REQUESTED,
        recipients=_leaders_of(task),
        actor=actor,
        message=reason,
    )
    return ext


def _lock_extension(extension: ExtensionRequest) -> ExtensionRequest:
    ext = ExtensionRequest.objects.select_for_update().get(pk=extension.pk)
    if ext.status != ExtensionStatus.PENDING:
        raise ValidationError(_("Đề nghị gia hạn này đã được quyết định."))
    return ext


@transaction.atomic
def extension_approve(
    *,
    actor: User,
    extension: ExtensionRequest,
    note: str = "",
    expected_version: int | None = None,
) -> Task:
    """A leader approves: the new deadline becomes the task's deadline (the
    original and this request stay in the record). Locks the task, then the
    request."""
    task = _lock(extension.task_id, expected_version)
    ext = _lock_extension(extension)
    _require(
        permissions.can_decide_extension(actor, task, ext),
        _("Bạn không có quyền quyết định gia hạn."),
    )
    if task.status not in OPEN_STATUSES:
        raise ValidationError(_("Nhiệm vụ đã đóng, không thể gia hạn."))
    ext.status = ExtensionStatus.APPROVED
    ext.decided_by, ext.decided_at, ext.decision_note = (
        actor,
        timezone.now(),
        note.strip(),
    )
    _save_with_history(
        ext,
        actor=actor,
        reason=_("Chấp thuận gia hạn đến %(d)s")
        % {"d": ext.new_deadline.strftime("%d/%m/%Y")},
    )
    task.deadline = ext.new_deadline
    task.extension_count += 1
    _save(
        task,
        actor=actor,
        reason=_("Gia hạn đến %(d)s") % {"d": ext.new_deadline.strftime("%d/%m/%Y")},
    )
    notify(
        task=task,
        kind=AlertKind.EXTENSION_DECIDED,
        recipients=[ext.requested_by, task.assignee],
        actor=actor,
        message=_("Chấp thuận gia hạn đến %(d)s")
        % {"d": ext.new_deadline.strftime("%d/%m/%Y")},
    )
    return task


@transaction.atomic
def extension_reject(
    *,
    actor: User,
    extension: ExtensionRequest,
    note: str,
    expected_version: int | None = None,
) -> ExtensionRequest:
    """A leader refuses an extension, with a note. Locks the task, then the
    request."""
    task = _lock(extension.task_id, expected_version)
    ext = _lock_extension(extension)
    _require(
        permissions.can_decide_extension(actor, task, ext),
        _("Bạn không có quyền quyết định gia hạn."),
    )
    note = _required_text(note, _("Cần nêu lý do không chấp thuận."), "note")
    ext.status = ExtensionStatus.REJECTED
    ext.decided_by, ext.decided_at, ext.decision_note = actor, timezone.now(), note
    _save_with_history(
        ext, actor=actor, reason=_("Không chấp thuận gia hạn: %(n)s") % {"n": note}
    )
    notify(
        task=task,
        kind=AlertKind.EXTENSION_DECIDED,
        recipients=[ext.requested_by],
        actor=actor,
        message=_("Không chấp thuận gia hạn: %(n)s") % {"n": note},
    )
    return ext


# --- transfers, hand-backs, reassignment -------------------------------------


def _apply_transfer(
    task: Task,
    transfer: Transfer,
    actor: User,
    reason: str,
    accountable_leader: User | None = None,
) -> None:
    from_path, to_path = transfer.from_unit.path, transfer.to_unit.path
    went_up = transfer.kind == TransferKind.HAND_BACK or (
        from_path != to_path and from_path.startswith(to_path)
    )
    task.transfer_count += 1
    task.moved_up = task.moved_up or went_up
    task.lead_unit = transfer.to_unit
    task.assignee = transfer.to_assignee or task.assignee
    if accountable_leader is not None:
        task.accountable_leader = accountable_leader
    elif not is_leader_over(task.accountable_leader, task.lead_unit):
        # The leader who answered for the task does not lead the unit it goes
        # to. Handed back: the assigner, who leads that unit, answers now.
        # Transferred: the leader who moves it (who leads both units) does,
        # unless the caller names another.
        task.accountable_leader = (
            task.assigned_by if transfer.kind == TransferKind.HAND_BACK else actor
        )
    if task.status == TaskStatus.IN_PROGRESS:
        task.status = TaskStatus.ASSIGNED
    _validate_task(task)
    _save(task, actor=actor, reason=reason)
    if task.coordinating_units.filter(pk=task.lead_unit_id).exists():
        task.coordinating_units.remove(task.lead_unit)
    notify(
        task=task,
        kind=AlertKind.TRANSFERRED,
        recipients=[task.assignee, transfer.from_assignee, task.accountable_leader],
        actor=actor,
        message=transfer.reason,
    )


@transaction.atomic
def task_transfer(
    *,
    actor: User,
    task: Task,
    to_unit: Unit,
    to_assignee: User,
    reason: str,
    accountable_leader: User | None = None,
    expected_version: int | None = None,
) -> Transfer:
    """A leader moves a task to another unit and person, with a reason. The
    hop is recorded; the actor must lead both the task and the target."""
    task = _lock(task, expected_version)
    _require(
        permissions.can_transfer(actor, task),
        _("Bạn không có quyền chuyển nhiệm vụ này."),
    )
    _require(
        permissions.can_assign(actor, to_unit),
        _("Bạn chỉ được chuyển nhiệm vụ đến đơn vị thuộc phạm vi mình lãnh đạo."),
    )
    reason = _required_text(reason, _("Cần nêu lý do chuyển giao."), "reason")
    if to_unit.pk == task.lead_unit_id and to_assignee.pk == task.assignee_id:
        raise ValidationError(_("Nhiệm vụ đang ở đúng đơn vị và người này."))
    transfer = Transfer(
        task=task,
        kind=TransferKind.TRANSFER,
        status=TransferStatus.DONE,
        from_unit=task.lead_unit,
        to_unit=to_unit,
        from_assignee=task.assignee,
        to_assignee=to_assignee,
        reason=reason,
        requested_by=actor,
        decided_by=actor,
        decided_at=timezone.now(),
    )
    label = _("Chuyển giao: %(r)s") % {"r": reason}
    _apply_transfer(task, transfer, actor, label, accountable_leader)
    _save_with_history(transfer, actor=actor, reason=label)
    return transfer


@transaction.atomic
def task_reassign(
    *,
    actor: User,
    task: Task,
    assignee: User,
    reason: str,
    expected_version: int | None = None,
) -> Task:
    """A leader gives the task to another person of the same lead unit."""
    task = _lock(task, expected_version)
    _require(
        permissions.can_transfer(actor, task),
        _("Bạn không có quyền giao lại nhiệm vụ này."),
    )
    reason = _required_text(reason, _("Cần nêu lý do giao lại."), "reason")
    if not is_member(assignee, task.lead_unit):
        raise ValidationError(
            {"assignee": _("Người thực hiện phải là cán bộ của đơn vị chủ trì.")}
        )
    task.assignee = assignee
    if task.status == TaskStatus.IN_PROGRESS:
        task.status = TaskStatus.ASSIGNED
    _save(task, actor=actor, reason=_("Giao lại: %(r)s") % {"r": reason})
    notify(
        task=task,
        kind=AlertKind.ASSIGNED,
        recipients=[task.assignee],
        actor=actor,
        message=reason,
    )
    return task


@transaction.atomic
def transfer_request(
    *,
    actor: User,
    task: Task,
    kind: str,
    reason: str,
    to_unit: Unit | None = None,
    expected_version: int | None = None,
) -> Transfer:
    """The assignee asks to hand the task back to the assigner, or to have it
    transferred to another unit. A leader decides (``transfer_approve``)."""
    task = _lock(task, expected_version)
    _require(
        permissions.can_work_on(actor, task), _("Bạn không thực hiện nhiệm vụ này.")
    )
    reason = _required_text(reason, _("Cần nêu lý do."), "reason")
    if Transfer.objects.filter(task=task, status=TransferStatus.PENDING).exists():
        raise ValidationError(
            _("Nhiệm vụ đã có một đề nghị chuyển giao đang chờ quyết định.")
        )
    if kind == TransferKind.HAND_BACK:
        to_unit = _assigner_unit(task)
        to_assignee = task.assigned_by
    elif kind == TransferKind.TRANSFER:
        if to_unit is None:
            raise ValidationError({"to_unit": _("Cần chọn đơn vị muốn chuyển đến.")})
        if to_unit.pk == task.lead_unit_id:
            raise ValidationError({"to_unit": _("Nhiệm vụ đang ở đơn vị này.")})
        to_assignee = None
    else:
        raise ValidationError(_("Hình thức chuyển giao không hợp lệ."))
    transfer = Transfer(
        task=task,
        kind=kind,
        status=TransferStatus.PENDING,
        from_unit=task.lead_unit,
        to_unit=to_unit,
        from_assignee=task.assignee,
        to_assignee=to_assignee,
        reason=reason,
        requested_by=actor,
    )
    _save_with_history(
        transfer, actor=actor, reason=_("Đề nghị chuyển giao: %(r)s") % {"r": reason}
    )
    notify(
        task=task,
        kind=AlertKind.TRANSFER_REQUESTED,
        recipients=_leaders_of(task),
        actor=actor,
        message=reason,
    )
    return transfer


def _assigner_unit(task: Task) -> Unit:
    """The unit the assigner leads on the path above (or at) the lead unit."""
    paths = [
        task.lead_unit.path[:i]
        for i in range(Unit.steplen, len(task.lead_unit.path) + 1, Unit.steplen)
    ]
    membership = (
        Membership.objects.filter(
            user_id=task.assigned_by_id, role=Role.LEADER, unit__path__in=paths
        )
        .select_related("unit")
        .order_by("-unit__depth")
        .first()
    )
    return membership.unit if membership else task.lead_unit


def _transfer_task_id(transfer: Transfer) -> int:
    return Transfer.objects.values_list("task_id", flat=True).get(pk=transfer.pk)


@transaction.atomic
def transfer_approve(
    *,
    actor: User,
    transfer: Transfer,
    to_assignee: User | None = None,
    note: str = "",
    accountable_leader: User | None = None,
    expected_version: int | None = None,
) -> Transfer:
    """A leader accepts a requested hand-back or transfer; the task moves.

    Locks the task row, then the request (the order every service uses, so
    that two of them never wait on each other)."""
    task = _lock(_transfer_task_id(transfer), expected_version)
    transfer = Transfer.objects.select_for_update().get(pk=transfer.pk)
    if transfer.status != TransferStatus.PENDING:
        raise ValidationError(_("Đề nghị chuyển giao này đã được quyết định."))
    _require(
        permissions.can_manage(actor, task),
        _("Bạn không có quyền quyết định chuyển giao."),
    )
    if task.status not in WORKING_STATUSES:
        raise ValidationError(
            _("Nhiệm vụ đang ở trạng thái “%(s)s”, không thể chuyển giao.")
            % {"s": TaskStatus(task.status).label}
        )
    _require(
        permissions.can_assign(actor, transfer.to_unit)
        or transfer.kind == TransferKind.HAND_BACK,
        _("Đơn vị nhận không thuộc phạm vi bạn lãnh đạo."),
    )
    transfer.to_assignee = to_assignee or transfer.to_assignee
    if transfer.to_assignee is None:
        raise ValidationError(
            {"to_assignee": _("Cần chọn người thực hiện ở đơn vị nhận.")}
        )
    transfer.status = TransferStatus.DONE
    transfer.decided_by, transfer.decided_at = actor, timezone.now()
    transfer.decision_note = note.strip()
    label = (
        _("Trả lại người giao: %(r)s")
        if transfer.kind == TransferKind.HAND_BACK
        else _("Chuyển giao: %(r)s")
    )
    label = label % {"r": transfer.reason}
    _apply_transfer(task, transfer, actor, label, accountable_leader)
    _save_with_history(transfer, actor=actor, reason=label)
    return transfer


@transaction.atomic
def transfer_reject(
    *,
    actor: User,
    transfer: Transfer,
    note: str,
    expected_version: int | None = None,
) -> Transfer:
    """A leader refuses a requested hand-back or transfer, with a note."""
    task = _lock(_transfer_task_id(transfer), expected_version)
    transfer = Transfer.objects.select_for_update().get(pk=transfer.pk)
    if transfer.status != TransferStatus.PENDING:
        raise ValidationError(_("Đề nghị chuyển giao này đã được quyết định."))
    _require(
        permissions.can_manage(actor, task),
        _("Bạn không có quyền quyết định chuyển giao."),
    )
    note = _required_text(note, _("Cần nêu lý do không chấp thuận."), "note")
    transfer.status = TransferStatus.REJECTED
    transfer.decided_by, transfer.decided_at, transfer.decision_note = (
        actor,
        timezone.now(),
        note,
    )
    _save_with_history(
        transfer,
        actor=actor,
        reason=_("Không chấp thuận chuyển giao: %(n)s") % {"n": note},
    )
    return transfer


# --- requests for explanation ------------------------------------------------


def _explainers_of(task: Task, unit: Unit) -> list[User]:
    """Who answers for the lead unit: the assignee, the accountable leader
    and the head of the unit."""
    return [task.assignee, task.accountable_leader, unit.head]


@transaction.atomic
def explanation_request(
    *,
    actor: User,
    task: Task,
    question: str,
    today: datetime.date | None = None,
) -> ExplanationRequest:
    """A reviewer or a leader asks the lead unit of an overdue task to
    explain. The answer is due a set number of working days later
    (``TRACKER_EXPLANATION_DUE_WORKING_DAYS``); unanswered, it climbs its
    own ladder of alerts. The task row itself is not changed."""
    from django.conf import settings

    from .calendar import add_working_days, local_today

    # Lock the task so that two requests at once queue behind each other.
    task = _lock(task, None)
    _require(
        permissions.can_request_explanation(actor, task),
        _(
            "Chỉ thường trực theo dõi hoặc lãnh đạo có phạm vi được yêu cầu "
            "giải trình, và chỉ với nhiệm vụ quá hạn."
        ),
    )
    question = _required_text(
        question, _("Cần nêu nội dung yêu cầu giải trình."), "question"
    )
    if ExplanationRequest.objects.filter(task=task, answered_at__isnull=True).exists():
        raise ValidationError(
            _("Nhiệm vụ đang có một yêu cầu giải trình chưa được trả lời.")
        )
    today = today or local_today()
    explanation = ExplanationRequest(
        task=task,
        unit=task.lead_unit,
        requested_by=actor,
        requested_at=timezone.now(),
        question=question,
        due_date=add_working_days(today, settings.TRACKER_EXPLANATION_DUE_WORKING_DAYS),
    )
    _save_with_history(explanation, actor=actor, reason=_("Yêu cầu giải trình"))
    notify(
        task=task,
        kind=AlertKind.EXPLANATION_REQUESTED,
        recipients=_explainers_of(task, task.lead_unit),
        actor=actor,
        message=question,
    )
    return explanation


@transaction.atomic
def explanation_answer(
    *, actor: User, explanation: ExplanationRequest, answer: str
) -> ExplanationRequest:
    """The lead unit (its leader or the assignee) answers on the task page.
    The one who asked is told; the request's alerts stop."""
    explanation = (
        ExplanationRequest.objects.select_for_update(of=("self",))
        .select_related("unit", "task", "task__lead_unit")
        .get(pk=explanation.pk)
    )
    if explanation.answered_at is not None:
        raise ValidationError(_("Yêu cầu giải trình này đã được trả lời."))
    task = explanation.task
    _require(
        permissions.can_answer_explanation(actor, task, explanation),
        _("Chỉ người thực hiện hoặc lãnh đạo đơn vị được yêu cầu mới giải trình."),
    )
    explanation.answer = _required_text(
        answer, _("Cần nhập nội dung giải trình."), "answer"
    )
    explanation.answered_by = actor
    explanation.answered_at = timezone.now()
    _save_with_history(explanation, actor=actor, reason=_("Giải trình"))
    notify(
        task=task,
        kind=AlertKind.EXPLANATION_ANSWERED,
        recipients=[explanation.requested_by],
        actor=actor,
        message=explanation.answer,
    )
    return explanation
