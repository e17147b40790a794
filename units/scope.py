"""Who may see which units: computed once per request from memberships.

A leader's or reviewer's scope is the subtree of each unit they belong to in
that role; a staff member's is the unit itself. Superusers see everything.

Leaders and reviewers of a unit that took over another in a reorganisation
(``UnitSuccession``) also *read* the closed unit's record — its tasks and
its dashboards, nothing more: ``inherited_paths``, kept apart from the
subtrees, so that no right to act and no other page follows from it.
"""

from dataclasses import dataclass, field

from django.db.models import Q

from .choices import Role
from .sql import fetch_rows


@dataclass(frozen=True)
class Scope:
    is_all: bool = False
    leader_paths: tuple[str, ...] = ()
    reviewer_paths: tuple[str, ...] = ()
    staff_unit_ids: tuple[int, ...] = ()
    unit_ids: frozenset[int] = field(default_factory=frozenset)
    # closed predecessors of the units led or followed: read-only
    inherited_paths: tuple[str, ...] = ()

    @property
    def subtree_paths(self) -> tuple[str, ...]:
        return self.leader_paths + self.reviewer_paths

    def path_q(self, prefix: str, paths: tuple[str, ...]) -> Q:
        """OR of ``<prefix>path__startswith`` for each path (empty: nothing)."""
        q = Q(pk__in=[])
        for path in paths:
            q |= Q(**{f"{prefix}path__startswith": path})
        return q

    def covers_path(self, path: str, *, roles: tuple[str, ...] | None = None) -> bool:
        if self.is_all:
            return True
        paths: tuple[str, ...] = ()
        if roles is None or Role.LEADER in roles:
            paths += self.leader_paths
        if roles is None or Role.REVIEWER in roles:
            paths += self.reviewer_paths
        return any(path.startswith(p) for p in paths)

    def reads_path(self, path: str) -> bool:
        """Whether the user may read the tasks and dashboards of the unit at
        ``path``: their subtrees, and the closed units those took over."""
        return self.covers_path(path) or any(
            path.startswith(p) for p in self.inherited_paths
        )

    def leads(self, unit) -> bool:
        """True when the user is a leader of this unit or one above it."""
        return self.is_all or any(unit.path.startswith(p) for p in self.leader_paths)


def collapse_paths(paths: set[str]) -> tuple[str, ...]:
    """Drop paths already covered by an ancestor path in the same set."""
    kept: list[str] = []
    for path in sorted(paths, key=len):
        if not any(path.startswith(k) for k in kept):
            kept.append(path)
    return tuple(sorted(kept))


# The user's memberships in active units, each with the paths of its unit's
# predecessors (``Membership`` → ``Unit`` ← ``UnitSuccession.successor``).
MEMBERSHIPS_SQL = """
    SELECT m.role, m.unit_id, u.path, p.path
    FROM units_membership m
    JOIN units_unit u ON u.id = m.unit_id
    LEFT JOIN units_unitsuccession s ON s.successor_id = u.id
    LEFT JOIN units_unit p ON p.id = s.predecessor_id
    WHERE m.user_id = %s AND u.is_active = %s
"""


def get_scope(user) -> Scope:
    """The user's scope, cached on the user object for the request."""
    if not getattr(user, "is_authenticated", False):
        return Scope()
    cached = getattr(user, "_tracker_scope", None)
    if cached is not None:
        return cached
    if user.is_superuser:
        scope = Scope(is_all=True)
    else:
        leader, reviewer, staff, ids = set(), set(), set(), set()
        inherited = set()
        # One query: a membership comes once per predecessor of its unit.
        # (Written out: every page reads it, and the ORM's building and
        # compiling of its four joins cost more than the query.)
        rows = fetch_rows(MEMBERSHIPS_SQL, [user.pk, True])
        for role, unit_id, path, predecessor_path in rows:
            ids.add(unit_id)
            if role == Role.LEADER:
                leader.add(path)
            elif role == Role.REVIEWER:
                reviewer.add(path)
            else:
                staff.add(unit_id)
            if predecessor_path and role in (Role.LEADER, Role.REVIEWER):
                inherited.add(predecessor_path)
        subtrees = collapse_paths(leader | reviewer)
        scope = Scope(
            leader_paths=collapse_paths(leader),
            reviewer_paths=collapse_paths(reviewer),
            staff_unit_ids=tuple(sorted(staff)),
            unit_ids=frozenset(ids),
            inherited_paths=tuple(
                p
                for p in collapse_paths(inherited)
                if not any(p.startswith(s) for s in subtrees)
            ),
        )
    user._tracker_scope = scope
    return scope


def clear_scope_cache(user) -> None:
    if hasattr(user, "_tracker_scope"):
        del user._tracker_scope
