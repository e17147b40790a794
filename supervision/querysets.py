"""Who sees which supervision rows, in the query: every page starts from
``<Model>.objects.visible_to(user)``, so a row outside the user's reach is a
404, exactly like a missing id. The same rules, for one object, are the
predicates of ``supervision.permissions``.

- The committee — superusers, and leaders or reviewers whose scope covers
  the team's owner unit — sees everything of the team, drafts included.
- The team's leader and members see their team and every visit of it.
- The supervised unit — its members, and leaders or reviewers whose scope
  covers it — sees a visit and its findings only once filed.
"""

from django.db import models
from django.db.models import Exists, OuterRef, Q

from units.scope import get_scope

from .choices import VisitStatus


def _team_q(user, prefix: str = "") -> Q:
    """Teams the user belongs to or whose owner unit is in their scope."""
    scope = get_scope(user)
    from .models import Team

    members = Team.members.through.objects.filter(
        team_id=OuterRef(f"{prefix}pk"),
        user_id=user.pk,
    )
    q = Q(**{f"{prefix}leader_id": user.pk}) | Q(Exists(members))
    q |= scope.path_q(f"{prefix}owner_unit__", scope.subtree_paths)
    return q


def supervised_q(user, unit_prefix: str) -> Q:
    """The unit at ``unit_prefix`` is one of the user's own units, or in
    the subtree of a unit they lead or follow."""
    scope = get_scope(user)
    q = Q(**{f"{unit_prefix}id__in": list(scope.unit_ids)})
    return q | scope.path_q(unit_prefix, scope.subtree_paths)


class TeamQuerySet(models.QuerySet):
    def visible_to(self, user) -> "TeamQuerySet":
        scope = get_scope(user)
        if scope.is_all:
            return self.all()
        if not getattr(user, "is_authenticated", False):
            return self.none()
        return self.filter(_team_q(user))


class VisitQuerySet(models.QuerySet):
    def visible_to(self, user) -> "VisitQuerySet":
        scope = get_scope(user)
        if scope.is_all:
            return self.all()
        if not getattr(user, "is_authenticated", False):
            return self.none()
        filed = Q(status=VisitStatus.FILED) & supervised_q(user, "target__unit__")
        return self.filter(_team_q(user, "team__") | filed)

    def filed(self) -> "VisitQuerySet":
        return self.filter(status=VisitStatus.FILED)


class FindingQuerySet(models.QuerySet):
    def visible_to(self, user) -> "FindingQuerySet":
        scope = get_scope(user)
        if scope.is_all:
            return self.all()
        if not getattr(user, "is_authenticated", False):
            return self.none()
        filed = Q(visit__status=VisitStatus.FILED) & (
            supervised_q(user, "visit__target__unit__") | supervised_q(user, "unit__")
        )
        return self.filter(_team_q(user, "visit__team__") | filed)
