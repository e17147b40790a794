"""Permission predicates, written once: views use them to refuse, templates
to hide buttons, services to enforce. Reviewers change nothing, with one
explicit exception: they may ask the lead unit of an overdue task to
explain (``can_request_explanation``)."""

from units.choices import Role
from units.scope import get_scope

from .choices import OPEN_STATUSES, WORKING_STATUSES, TaskStatus


def is_leader(user) -> bool:
    scope = get_scope(user)
    return scope.is_all or bool(scope.leader_paths)


def is_reviewer(user) -> bool:
    return bool(get_scope(user).reviewer_paths)


def can_view_task(user, task) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    scope = get_scope(user)
    if scope.is_all or user.pk in (task.assignee_id, task.accountable_leader_id):
        return True
    if scope.reads_path(task.lead_unit.path):
        return True
    if task.lead_unit_id in scope.staff_unit_ids:
        return True
    return task.coordinating_units.filter(pk__in=scope.staff_unit_ids).exists()


def can_assign(user, unit) -> bool:
    """Leaders create and assign tasks inside their own subtree."""
    return getattr(user, "is_authenticated", False) and get_scope(user).leads(unit)


def can_manage(user, task) -> bool:
    """Approve, return, transfer, reassign, decide requests: a leader of the
    lead unit or a unit above it."""
    return can_assign(user, task.lead_unit)


def can_work_on(user, task) -> bool:
    """Report progress, submit, ask for an extension or a transfer: the
    assignee, while the task is being worked on."""
    return (
        getattr(user, "is_authenticated", False)
        and task.assignee_id == user.pk
        and task.status in WORKING_STATUSES
    )


def can_report(user, task) -> bool:
    return can_work_on(user, task)


def can_submit(user, task) -> bool:
    return can_work_on(user, task)


def can_request_extension(user, task) -> bool:
    return (
        getattr(user, "is_authenticated", False)
        and task.assignee_id == user.pk
        and task.status in OPEN_STATUSES
    )


def can_review(user, task) -> bool:
    """Judge the work on a task: a leader over the lead unit who is not the
    one who did it. A leader who is the assignee is judged by a leader above."""
    return can_manage(user, task) and task.assignee_id != user.pk


def can_decide(user, task) -> bool:
    """Approve or return submitted work."""
    return task.status == TaskStatus.SUBMITTED and can_review(user, task)


def can_decide_extension(user, task, extension) -> bool:
    """Approve or reject an extension request: a leader over the lead unit,
    never on a request of their own."""
    return can_manage(user, task) and extension.requested_by_id != user.pk


def can_cancel(user, task) -> bool:
    if task.status not in OPEN_STATUSES or not getattr(user, "is_authenticated", False):
        return False
    return task.assigned_by_id == user.pk or can_manage(user, task)


def can_transfer(user, task) -> bool:
    return task.status in WORKING_STATUSES and can_manage(user, task)


def _is_overdue(task) -> bool:
    from .calendar import local_today

    if task.status not in OPEN_STATUSES:
        return False
    if task.status == TaskStatus.SUBMITTED and task.submitted_on is not None:
        # Submitted on time and waiting for the leader is not overdue.
        if task.submitted_on <= task.deadline:
            return False
    return task.deadline < local_today()


def can_request_explanation(user, task) -> bool:
    """Ask the lead unit of an overdue task to explain (yêu cầu giải trình):
    a committee reviewer whose scope covers the task — the one write a
    reviewer may do — or a leader over the lead unit; never the assignee,
    who is the one to answer."""
    if not getattr(user, "is_authenticated", False) or task.assignee_id == user.pk:
        return False
    if not _is_overdue(task):
        return False
    scope = get_scope(user)
    return scope.is_all or scope.covers_path(
        task.lead_unit.path, roles=(Role.LEADER, Role.REVIEWER)
    )


def can_answer_explanation(user, task, explanation) -> bool:
    """Answer a request for explanation on the task page: the assignee, or
    a leader (or the head) of the unit asked."""
    if not getattr(user, "is_authenticated", False) or explanation is None:
        return False
    if explanation.answered_at is not None:
        return False
    if task.assignee_id == user.pk or explanation.unit.head_id == user.pk:
        return True
    # A leader of the unit asked itself — not a leader above it, who is
    # rather the one who asks.
    return explanation.unit.memberships.filter(user=user, role=Role.LEADER).exists()
