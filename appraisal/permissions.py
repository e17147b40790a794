"""Who may see and do what with scores and classifications, written once:
views use them to refuse (404 for what the user may not see, 403 for what
they may see but not do), templates to hide buttons, services to enforce.

- A person's monthly score and classification: the person, the leaders
  over the unit (``Scope.leads``) and the committee reviewers whose scope
  covers it. Colleagues never see each other's.
- A unit's round, its own score and classification: the leaders over it
  and the reviewers covering it (its staff see only their own row).
- Self-assessment: the person. The leader's assessment: a leader over the
  unit other than the person; for a person who leads the unit, also a
  committee reviewer covering it (the committee judges the heads).
  Confirmation: a leader over the unit or a reviewer covering it, never the
  person.
- Cross-evaluation: the people of the unit's month, of each other.
- Classification proposals and decisions: the committee — reviewers
  covering the unit — and admins; never about oneself.
- The score rules: admins with the right to add rule sets.
"""

from units.choices import Role
from units.scope import get_scope

from .choices import SeatRole


def _authenticated(user) -> bool:
    return getattr(user, "is_authenticated", False)


def covers_unit(user, unit) -> bool:
    """A leader over the unit, or a reviewer whose scope covers it."""
    if not _authenticated(user):
        return False
    scope = get_scope(user)
    return scope.is_all or scope.covers_path(unit.path)


def is_reviewer_over(user, unit) -> bool:
    if not _authenticated(user):
        return False
    scope = get_scope(user)
    return scope.is_all or scope.covers_path(unit.path, roles=(Role.REVIEWER,))


def leads(user, unit) -> bool:
    return _authenticated(user) and get_scope(user).leads(unit)


def can_view_round(user, round_) -> bool:
    return covers_unit(user, round_.unit)


def can_view_score(user, score) -> bool:
    return _authenticated(user) and (
        score.person_id == user.pk or covers_unit(user, score.round.unit)
    )


def can_self_assess(user, score) -> bool:
    return (
        _authenticated(user)
        and score.person_id == user.pk
        and score.leader_at is None
        and score.confirmed_at is None
    )


def may_assess(user, score) -> bool:
    """The role of the leader's assessment, whatever the step."""
    if not _authenticated(user) or score.person_id == user.pk:
        return False
    unit = score.round.unit
    if leads(user, unit):
        return True
    return score.role == SeatRole.LEADER and is_reviewer_over(user, unit)


def can_assess(user, score) -> bool:
    return (
        may_assess(user, score)
        and score.self_at is not None
        and score.confirmed_at is None
    )


def may_confirm(user, score) -> bool:
    if not _authenticated(user) or score.person_id == user.pk:
        return False
    return covers_unit(user, score.round.unit)


def can_confirm(user, score) -> bool:
    return (
        may_confirm(user, score)
        and score.leader_at is not None
        and score.confirmed_at is None
    )


def can_recompute(user, unit) -> bool:
    """Compute a unit's month again: a leader over it, or an admin."""
    return leads(user, unit)


def can_edit_rules(user) -> bool:
    return _authenticated(user) and user.has_perm("appraisal.add_ruleset")


def can_view_classification(user, classification) -> bool:
    return _authenticated(user) and (
        classification.person_id == user.pk or covers_unit(user, classification.unit)
    )


def can_propose(user, unit) -> bool:
    """Draw up (again) the proposals of a subtree: the committee."""
    return is_reviewer_over(user, unit)


def may_decide(user, classification) -> bool:
    return (
        _authenticated(user)
        and classification.person_id != user.pk
        and is_reviewer_over(user, classification.unit)
    )


def can_decide(user, classification) -> bool:
    return may_decide(user, classification) and classification.decided_at is None
