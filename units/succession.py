"""Where a closed unit's record is counted after a reorganisation.

A unit merged into another, or renamed, keeps the tasks it did (done work
stays with the unit that did it); on the current period's dashboards its
record is counted in its successor's row when the admin chose so
(``UnitSuccession.roll_up``). A unit split among several successors keeps
its own row: its past cannot be divided among them.

``Rollup`` is that choice for one day, read in one query: the rolled
predecessors (closed before the day, with exactly one roll-up successor),
each with the unit its record ends up in (following renames and merges of
the successor in turn). A task's *effective place* is the final successor
of the nearest rolled predecessor among its lead unit and the units above
it, else the lead unit itself. A dashboard row for a unit counts the tasks
whose effective place lies in that unit's subtree; ``region_coefficients``
says the same in terms of whole subtrees (the dashboard cells), and
``subtree_q`` as a filter on task rows (the task list, the panels), so the
two agree.
"""

import datetime
from dataclasses import dataclass, field

from django.db.models import Case, CharField, F, Q, Value, When

from .sql import fetch_rows


@dataclass(frozen=True)
class Rollup:
    # (predecessor path, final successor path), the longest path first: the
    # nearest rolled predecessor of a unit is the first one its path starts
    # with.
    moves: tuple[tuple[str, str], ...] = ()
    # unit id by path, for every predecessor and final successor
    ids: dict[str, int] = field(default_factory=dict)
    # the rolled predecessors' names by final successor id, for the rows
    names: dict[int, list[str]] = field(default_factory=dict)

    def __bool__(self) -> bool:
        return bool(self.moves)

    def _maximal_under(self, path: str) -> list[str]:
        """Rolled predecessors strictly under ``path`` with no other rolled
        predecessor between them and ``path``."""
        under = [p for p, _f in self.moves if p != path and p.startswith(path)]
        return [p for p in under if not any(q != p and p.startswith(q) for q in under)]

    def _inside_moved(self, path: str) -> bool:
        return any(path.startswith(p) for p, _f in self.moves)

    def _regions(self, path: str) -> list[str]:
        """The places whose own tasks (their subtree less the rolled
        predecessors under them) count under ``path``."""
        regions = [] if self._inside_moved(path) else [path]
        regions += [p for p, f in self.moves if f.startswith(path)]
        return regions

    def touches(self, path: str) -> bool:
        """Whether the roll-up changes anything under ``path`` (a node)."""
        return any(
            p.startswith(path) or f.startswith(path) or path.startswith(p)
            for p, f in self.moves
        )

    def readable_by(self, scope) -> "Rollup":
        """The moves of records the user may read (``Scope.reads_path``):
        what a dashboard counts, the task list can open."""
        if scope.is_all:
            return self
        moves = tuple((p, f) for p, f in self.moves if scope.reads_path(p))
        if len(moves) == len(self.moves):
            return self
        return Rollup(moves=moves, ids=self.ids, names=self.names)

    def region_coefficients(self, path: str) -> dict[str, int]:
        """The tasks counted under ``path`` as a signed sum of whole
        subtrees: {subtree path: +1 or −1 (summed)}."""
        coefficients: dict[str, int] = {}
        for region in self._regions(path):
            coefficients[region] = coefficients.get(region, 0) + 1
            for inner in self._maximal_under(region):
                coefficients[inner] = coefficients.get(inner, 0) - 1
        return {p: c for p, c in coefficients.items() if c}

    def subtree_q(self, path: str, prefix: str = "lead_unit__") -> Q:
        """Tasks whose effective place lies under ``path``."""
        key = f"{prefix}path__startswith"
        regions = self._regions(path)
        if not regions:
            return Q(pk__in=[])
        q = None
        for region in regions:
            part = Q(**{key: region})
            for inner in self._maximal_under(region):
                part &= ~Q(**{key: inner})
            q = part if q is None else q | part
        return q

    def effective_path(self, field_name: str = "lead_unit__path"):
        """The effective place's path as an expression, for grouping."""
        if not self.moves:
            return F(field_name)
        return Case(
            *(
                When(**{f"{field_name}__startswith": p}, then=Value(f))
                for p, f in self.moves
            ),
            default=F(field_name),
            output_field=CharField(),
        )


NO_ROLLUP = Rollup()

# ``UnitSuccession`` rows with ``roll_up``: (predecessor id, path, name,
# whether it closed before the day, successor id, path).
ROLLUP_LINKS_SQL = """
    SELECT s.predecessor_id, p.path, p.name,
           (p.valid_to IS NOT NULL AND p.valid_to < %s), s.successor_id, n.path
    FROM units_unitsuccession s
    JOIN units_unit p ON p.id = s.predecessor_id
    JOIN units_unit n ON n.id = s.successor_id
    WHERE s.roll_up = %s
    ORDER BY s.predecessor_id, s.successor_id
"""


def rollup_on(day: datetime.date) -> Rollup:
    """The roll-up in force on ``day``: one query (written out: every
    dashboard of the current period reads it)."""
    links = fetch_rows(ROLLUP_LINKS_SQL, [day, True])
    successors: dict[int, list[tuple[int, str]]] = {}
    info: dict[int, tuple[str, str, bool]] = {}
    for pred, path, name, closed, succ, succ_path in links:
        successors.setdefault(pred, []).append((succ, succ_path))
        info[pred] = (path, name, bool(closed))
    rolled = {
        pred: targets[0]
        for pred, targets in successors.items()
        if len(targets) == 1 and info[pred][2]
    }
    moves, ids, names = [], {}, {}
    for pred, (succ, succ_path) in rolled.items():
        seen = {pred}
        while succ in rolled and succ not in seen:
            seen.add(succ)
            succ, succ_path = rolled[succ]
        path, name, _closed = info[pred]
        moves.append((path, succ_path))
        ids[path], ids[succ_path] = pred, succ
        names.setdefault(succ, []).append(name)
    moves.sort(key=lambda move: (-len(move[0]), move[0]))
    for found in names.values():
        found.sort()
    return Rollup(moves=tuple(moves), ids=ids, names=names)
