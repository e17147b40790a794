"""Who may do what with hard-task registrations, written once: views use
these to refuse, templates to hide buttons, services to enforce.

- Register a task as one's own hard task: its assignee or its accountable
  leader, while the task is open.
- Confirm or refuse a registration: a leader of the unit it was registered
  in (the task's lead unit then) or of a unit above — never the person who
  registered it. Reviewers decide nothing.
- The list of people short of their quota: names for leaders over the unit
  (and superusers); committee reviewers covering the unit see the numbers
  per unit, never names (the dashboards show people to leaders only, and
  so does this).
"""

from tasks.choices import OPEN_STATUSES
from units.choices import Role
from units.scope import get_scope


def _signed_in(user) -> bool:
    return getattr(user, "is_authenticated", False)


def can_register(user, task) -> bool:
    return (
        _signed_in(user)
        and user.pk in (task.assignee_id, task.accountable_leader_id)
        and task.status in OPEN_STATUSES
    )


def can_decide(user, registration) -> bool:
    return (
        _signed_in(user)
        and registration.person_id != user.pk
        and get_scope(user).leads(registration.unit)
    )


def may_register(user) -> bool:
    """Staff or leaders somewhere (or a superuser): people who can hold a
    task. A reviewer's seat alone cannot."""
    scope = get_scope(user)
    return _signed_in(user) and (
        scope.is_all or bool(scope.leader_paths) or bool(scope.staff_unit_ids)
    )


def decides_anything(user) -> bool:
    """A leader somewhere (or a superuser): may have registrations to decide."""
    scope = get_scope(user)
    return _signed_in(user) and (scope.is_all or bool(scope.leader_paths))


def follows_units(user) -> bool:
    """Leaders and reviewers follow the quotas of a subtree."""
    scope = get_scope(user)
    return _signed_in(user) and (scope.is_all or bool(scope.subtree_paths))


def sees_names(user, unit) -> bool:
    scope = get_scope(user)
    return scope.is_all or scope.covers_path(unit.path, roles=(Role.LEADER,))


def sees_counts(user, unit) -> bool:
    return get_scope(user).covers_path(unit.path)
