"""Who may do what in supervision, written once: views use these to refuse
(or 404), templates to hide buttons, services to enforce. The same rules,
as queries, are ``supervision.querysets``.

- The committee of a team: superusers, and leaders or reviewers whose scope
  covers the team's owner unit. They see everything of the team, drafts
  included. Reviewers are read-only everywhere.
- The team's leader and members see their team and record its visits; the
  team leader (or a leader of the owner unit) files a visit.
- The supervised unit — members of the target unit, and leaders or
  reviewers whose scope covers it — sees a visit and its findings only once
  filed. A surprise inspection, or a draft record, is a 404 for them; of a
  planned supervision they see only the plan's date.
- Teams, targets: leaders of the owner unit (admins in the Django admin);
  the plan of visits: those, or the team leader.
- Remediation tasks from a finding of a filed visit: the team leader or a
  leader of the owner unit, for a lead unit in the finding's unit's subtree
  that they lead (``tasks.services.task_create`` has the last word).
"""

from units.choices import Role
from units.scope import get_scope

from .choices import VisitStatus


def _signed_in(user) -> bool:
    return getattr(user, "is_authenticated", False)


def is_committee(user, team) -> bool:
    if not _signed_in(user):
        return False
    return get_scope(user).covers_path(
        team.owner_unit.path, roles=(Role.LEADER, Role.REVIEWER)
    )


def is_committee_leader(user, team) -> bool:
    return _signed_in(user) and get_scope(user).leads(team.owner_unit)


def member_ids(team) -> frozenset[int]:
    """The team's members, read once per team object."""
    cached = getattr(team, "_member_ids", None)
    if cached is None:
        if "members" in getattr(team, "_prefetched_objects_cache", {}):
            cached = frozenset(m.pk for m in team.members.all())
        else:
            cached = frozenset(team.members.values_list("pk", flat=True))
        team._member_ids = cached
    return cached


def in_team(user, team) -> bool:
    return _signed_in(user) and (
        user.pk == team.leader_id or user.pk in member_ids(team)
    )


def is_supervised(user, unit) -> bool:
    """One of the user's own units, or in a subtree they lead or follow."""
    if not _signed_in(user):
        return False
    scope = get_scope(user)
    return unit.pk in scope.unit_ids or scope.covers_path(unit.path)


def follows_supervision(user) -> bool:
    """Leaders and reviewers (and superusers) read the supervision summary."""
    scope = get_scope(user)
    return _signed_in(user) and (scope.is_all or bool(scope.subtree_paths))


def may_set_up_teams(user) -> bool:
    """A leader somewhere (or a superuser): may set up a team of his unit."""
    scope = get_scope(user)
    return _signed_in(user) and (scope.is_all or bool(scope.leader_paths))


def can_create_team(user, owner_unit) -> bool:
    return _signed_in(user) and get_scope(user).leads(owner_unit)


def can_view_team(user, team) -> bool:
    return is_committee(user, team) or in_team(user, team)


def can_manage_targets(user, team) -> bool:
    return is_committee_leader(user, team)


def can_plan(user, team) -> bool:
    return is_committee_leader(user, team) or (
        _signed_in(user) and user.pk == team.leader_id
    )


def can_inspect(user, team) -> bool:
    """Record a surprise inspection: the team, or a leader of the owner."""
    return in_team(user, team) or is_committee_leader(user, team)


def can_view_visit(user, visit) -> bool:
    if can_view_team(user, visit.team):
        return True
    return visit.status == VisitStatus.FILED and is_supervised(user, visit.target.unit)


def can_record(user, visit) -> bool:
    """Write the record and add findings, until the visit is filed."""
    return visit.status != VisitStatus.FILED and can_inspect(user, visit.team)


def can_file(user, visit) -> bool:
    return (
        visit.status == VisitStatus.DRAFT
        and _signed_in(user)
        and (user.pk == visit.team.leader_id or is_committee_leader(user, visit.team))
    )


def can_view_finding(user, finding) -> bool:
    visit = finding.visit
    if can_view_visit(user, visit):
        return True
    return visit.status == VisitStatus.FILED and is_supervised(user, finding.unit)


def leads_within(user, unit) -> bool:
    """The user leads this unit, a unit above it, or some unit under it:
    there is a unit in its subtree they may assign work to."""
    if not _signed_in(user):
        return False
    scope = get_scope(user)
    return scope.is_all or any(
        unit.path.startswith(p) or p.startswith(unit.path) for p in scope.leader_paths
    )


def can_remediate(user, finding) -> bool:
    visit = finding.visit
    if visit.status != VisitStatus.FILED or not _signed_in(user):
        return False
    team = visit.team
    if user.pk != team.leader_id and not is_committee_leader(user, team):
        return False
    return leads_within(user, finding.unit)
