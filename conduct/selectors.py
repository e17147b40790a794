"""The buck-passing record (đùn đẩy), read from the transfer history.

Computed on read, never stored: every number and flag here comes from the
done transfers (``tasks.Transfer``, status done) at the moment it is asked,
so a flag cannot drift from the history — a new transfer shows at once, with
no job to wait for and nothing to rebuild. The cost is fixed: the active
rules (one query) and the hops (one query), whatever the number of tasks,
units or people; everything else is counted in Python over those rows.

Definitions (the same on the dashboard panel and the record pages):

- A *hop* is a done transfer that passes the task on: a hand-back to the
  assigner (even one who leads the same unit), or a transfer to another
  unit. A transfer to another person of the same unit is a reassignment,
  not a hop.
- The hop belongs to the unit it left (``from_unit``) and to the person who
  asked for it or made it (``requested_by``): the one who passed it on.
- *Moves out*: hops of the subject. *Pushed up*: those that went up — a
  hand-back, or a transfer to a unit above the one that held the task.
- *Bounce*: a hop to another unit that already held the task (A → B → A).
- *Held*: from the task's arrival in the unit it left (its assignment, or
  the previous hop) to the hop; in days, median and average.
- A hop counts in a period when it was decided in it (Hanoi dates).

Rules (``conduct.ConductRule``, admins' rows):

- moves out: a subject with at least ``threshold`` moves out within any
  ``window_days`` consecutive calendar days (both ends included); the window
  must end in the period (the moves before the period that fall in such a
  window are shown too);
- bounce: any bounce in the period;
- quick hand-back: a hop pushed up no more than ``working_days`` working
  days (Vietnam's calendar) after the task arrived.

A flag is one rule, one subject (a unit or a person), and the hops that
triggered it, each with its task's whole path: the units in order, with the
date the task reached each.
"""

import datetime
import statistics
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Q
from django.utils import timezone

from tasks.calendar import add_working_days
from tasks.choices import TransferKind, TransferStatus
from tasks.models import Transfer
from units.models import Unit

from .choices import RuleKind, RuleSubject
from .models import ConductRule

UNIT, PERSON = "unit", "person"


@dataclass
class Hop:
    pk: int
    task_id: int
    task_title: str
    kind: str
    from_unit_id: int
    from_name: str
    from_path: str
    to_unit_id: int
    to_name: str
    to_path: str
    person_id: int
    person_name: str
    at: datetime.datetime
    arrived: datetime.datetime
    is_up: bool = False
    is_bounce: bool = False

    @property
    def held_days(self) -> float:
        return max((self.at - self.arrived).total_seconds(), 0) / 86400

    @property
    def day(self) -> datetime.date:
        return timezone.localtime(self.at).date()

    @property
    def arrival_day(self) -> datetime.date:
        return timezone.localtime(self.arrived).date()


@dataclass
class PathStep:
    unit_id: int
    unit_name: str
    day: datetime.date
    kind: str = ""  # how the task got there: "" (assigned), transfer, hand-back


@dataclass
class TaskPath:
    task_id: int
    title: str
    steps: list[PathStep]


@dataclass
class Flag:
    rule: ConductRule
    subject: str  # UNIT or PERSON
    subject_id: int
    subject_name: str
    hops: list[Hop] = field(default_factory=list)
    paths: list[TaskPath] = field(default_factory=list)

    @property
    def unit_path(self) -> str:
        """Where the flag is counted: the unit the last triggering hop
        left."""
        return self.hops[-1].from_path

    @property
    def unit_id(self) -> int:
        return self.hops[-1].from_unit_id


@dataclass
class Metrics:
    moves_out: int = 0
    pushed_up: int = 0
    bounces: int = 0
    held: list[float] = field(default_factory=list)

    def add(self, hop: Hop) -> None:
        self.moves_out += 1
        self.pushed_up += hop.is_up
        self.bounces += hop.is_bounce
        self.held.append(hop.held_days)

    @property
    def held_median(self) -> float | None:
        return statistics.median(self.held) if self.held else None

    @property
    def held_average(self) -> float | None:
        return statistics.fmean(self.held) if self.held else None


@dataclass
class SubjectRow:
    subject_id: int
    name: str
    metrics: Metrics
    flags: int = 0
    path: str = ""  # units: the unit's path


@dataclass
class Record:
    start: datetime.date
    end: datetime.date
    total: Metrics
    units: list[SubjectRow]
    people: list[SubjectRow]
    flags: list[Flag]
    rules: list[ConductRule]


# --- reading the hops -------------------------------------------------------


HOP_FIELDS = (
    "pk",
    "task_id",
    "task__title",
    "task__assigned_at",
    "kind",
    "from_unit_id",
    "from_unit__name",
    "from_unit__path",
    "to_unit_id",
    "to_unit__name",
    "to_unit__path",
    "requested_by_id",
    "requested_by__full_name",
    "requested_by__username",
    "requested_at",
    "decided_at",
)


def _bounds(start: datetime.date, end: datetime.date):
    tz = timezone.get_current_timezone()
    low = datetime.datetime.combine(start, datetime.time.min, tz)
    high = datetime.datetime.combine(
        end + datetime.timedelta(days=1), datetime.time.min, tz
    )
    return low, high


def _task_hops(candidates: Q, since: datetime.datetime, until: datetime.datetime):
    """Every done hop of every task that has a candidate hop in
    [since, until): the whole path of those tasks, in order. One query."""
    done = Transfer.objects.filter(status=TransferStatus.DONE)
    tasks = done.filter(candidates, decided_at__gte=since, decided_at__lt=until)
    rows = (
        done.filter(task_id__in=tasks.values("task_id"))
        .order_by("task_id", "requested_at", "pk")
        .values_list(*HOP_FIELDS)
    )
    by_task: dict[int, list[Hop]] = defaultdict(list)
    first: dict[int, tuple] = {}
    for (
        pk,
        task_id,
        title,
        assigned_at,
        kind,
        from_id,
        from_name,
        from_path,
        to_id,
        to_name,
        to_path,
        person_id,
        full_name,
        username,
        requested_at,
        decided_at,
    ) in rows:
        hops = by_task[task_id]
        at = decided_at or requested_at
        if not hops:
            first[task_id] = (from_id, from_name, assigned_at)
        arrived = hops[-1].at if hops else assigned_at
        hops.append(
            Hop(
                pk=pk,
                task_id=task_id,
                task_title=title,
                kind=kind,
                from_unit_id=from_id,
                from_name=from_name,
                from_path=from_path,
                to_unit_id=to_id,
                to_name=to_name,
                to_path=to_path,
                person_id=person_id,
                person_name=full_name or username,
                at=at,
                arrived=min(arrived, at),
            )
        )
    paths: dict[int, TaskPath] = {}
    for task_id, hops in by_task.items():
        from_id, from_name, assigned_at = first[task_id]
        held = {from_id}
        steps = [PathStep(from_id, from_name, timezone.localtime(assigned_at).date())]
        for hop in hops:
            if not is_hop(hop):
                continue
            moved = hop.from_unit_id != hop.to_unit_id
            hop.is_up = hop.kind == TransferKind.HAND_BACK or (
                moved and hop.from_path.startswith(hop.to_path)
            )
            hop.is_bounce = moved and hop.to_unit_id in held
            held.add(hop.to_unit_id)
            steps.append(PathStep(hop.to_unit_id, hop.to_name, hop.day, hop.kind))
        paths[task_id] = TaskPath(task_id, hops[0].task_title, steps)
    return by_task, paths


def is_hop(hop: Hop) -> bool:
    """Passes the task on: to another unit, or back to the assigner."""
    return hop.from_unit_id != hop.to_unit_id or hop.kind == TransferKind.HAND_BACK


# --- the rules ----------------------------------------------------------------


def active_rules() -> list[ConductRule]:
    return list(ConductRule.objects.filter(is_active=True).order_by("kind", "pk"))


def _subjects(rule: ConductRule) -> tuple[str, ...]:
    if rule.applies_to == RuleSubject.UNIT:
        return (UNIT,)
    if rule.applies_to == RuleSubject.PERSON:
        return (PERSON,)
    return (UNIT, PERSON)


def _key(hop: Hop, subject: str) -> tuple[int, str]:
    if subject == UNIT:
        return hop.from_unit_id, hop.from_name
    return hop.person_id, hop.person_name


def _moves_out(rule: ConductRule, hops: list[Hop], low, high) -> list[Hop]:
    """The hops of one subject (in time order) that lie in a window of
    ``window_days`` calendar days (both ends included: 90 days are day 0 to
    day 89) with at least ``threshold`` hops, the window ending in the
    period."""
    window = datetime.timedelta(days=rule.window_days)
    marked: set[int] = set()
    start = 0
    for end, hop in enumerate(hops):
        while hops[start].day <= hop.day - window:
            start += 1
        if end - start + 1 >= rule.threshold and low <= hop.at < high:
            marked.update(range(start, end + 1))
    return [hops[i] for i in sorted(marked)]


def _is_quick(rule: ConductRule, hop: Hop) -> bool:
    return hop.is_up and add_working_days(hop.arrival_day, rule.working_days) >= (
        hop.day
    )


def _flags(rules, hops: list[Hop], in_period: list[Hop], low, high) -> list[Flag]:
    flags: list[Flag] = []
    for rule in rules:
        for subject in _subjects(rule):
            groups: dict[tuple[int, str], list[Hop]] = defaultdict(list)
            if rule.kind == RuleKind.MOVES_OUT:
                for hop in hops:
                    groups[_key(hop, subject)].append(hop)
                triggered = {
                    key: _moves_out(rule, group, low, high)
                    for key, group in groups.items()
                }
            else:
                test = (
                    (lambda h: h.is_bounce)
                    if rule.kind == RuleKind.BOUNCE
                    else (lambda h, r=rule: _is_quick(r, h))
                )
                triggered = defaultdict(list)
                for hop in in_period:
                    if test(hop):
                        triggered[_key(hop, subject)].append(hop)
            for (subject_id, name), found in triggered.items():
                if found:
                    flags.append(Flag(rule, subject, subject_id, name, found))
    return flags


# --- the record -----------------------------------------------------------------


def record(
    *,
    candidates: Q,
    start: datetime.date,
    end: datetime.date,
    rules: list[ConductRule] | None = None,
) -> Record:
    """Metrics and flags over the hops that match ``candidates`` (a filter
    on ``tasks.Transfer``: a subtree of units, a person within the viewer's
    scope …), decided from ``start`` to ``end``. Two queries at most."""
    rules = active_rules() if rules is None else rules
    low, high = _bounds(start, end)
    longest = max(
        (r.window_days for r in rules if r.kind == RuleKind.MOVES_OUT), default=0
    )
    since = low - datetime.timedelta(days=longest)
    matches = _matcher(candidates)
    by_task, paths = _task_hops(candidates, since, high)
    hops = sorted(
        (
            hop
            for task_hops in by_task.values()
            for hop in task_hops
            if is_hop(hop) and since <= hop.at < high and matches(hop)
        ),
        key=lambda h: (h.at, h.pk),
    )
    in_period = [hop for hop in hops if low <= hop.at]

    total = Metrics()
    units: dict[int, SubjectRow] = {}
    people: dict[int, SubjectRow] = {}
    for hop in in_period:
        total.add(hop)
        unit = units.setdefault(
            hop.from_unit_id,
            SubjectRow(hop.from_unit_id, hop.from_name, Metrics(), path=hop.from_path),
        )
        unit.metrics.add(hop)
        person = people.setdefault(
            hop.person_id, SubjectRow(hop.person_id, hop.person_name, Metrics())
        )
        person.metrics.add(hop)

    flags = _flags(rules, hops, in_period, low, high)
    for flag in flags:
        flag.paths = [
            paths[task_id] for task_id in dict.fromkeys(h.task_id for h in flag.hops)
        ]
        rows = units if flag.subject == UNIT else people
        row = rows.get(flag.subject_id)
        if row is None:
            # flagged by hops before the period only partly: still listed
            first = flag.hops[-1]
            row = rows.setdefault(
                flag.subject_id,
                SubjectRow(
                    flag.subject_id,
                    flag.subject_name,
                    Metrics(),
                    path=first.from_path if flag.subject == UNIT else "",
                ),
            )
        row.flags += 1

    def ordered(rows):
        return sorted(
            rows.values(),
            key=lambda r: (-r.flags, -r.metrics.moves_out, r.name.casefold()),
        )

    flags.sort(key=lambda f: (f.rule.kind, f.rule.pk, f.subject, f.subject_name))
    return Record(start, end, total, ordered(units), ordered(people), flags, rules)


def _matcher(q: Q):
    """``q`` (built by ``subtree``, ``person``, ``within``) tested on a hop in
    Python: the query reads whole paths of tasks, of which only the hops
    that match count."""

    def test(node, hop) -> bool:
        if isinstance(node, Q):
            results = [test(child, hop) for child in node.children]
            if not results:
                value = True
            elif node.connector == Q.AND:
                value = all(results)
            else:
                value = any(results)
            return not value if node.negated else value
        lookup, value = node
        if lookup == "from_unit__path__startswith":
            return hop.from_path.startswith(value)
        if lookup == "requested_by_id":
            return hop.person_id == value
        if lookup == "from_unit_id":
            return hop.from_unit_id == value
        if lookup == "pk__in" and not value:
            return False
        raise ValueError(f"conduct.selectors cannot test {lookup!r} in Python")

    return lambda hop: test(q, hop)


def subtree(path: str) -> Q:
    """Hops out of a unit in the subtree of ``path``."""
    return Q(from_unit__path__startswith=path)


def person(user_id: int) -> Q:
    """Hops asked for or made by one person."""
    return Q(requested_by_id=user_id)


def within(paths: tuple[str, ...]) -> Q:
    """Hops out of a unit inside one of the subtrees (nothing when none)."""
    q = Q(pk__in=[])
    for path in paths:
        q |= subtree(path)
    return q


def flags_by_child(
    flags: list[Flag], node_path: str, children
) -> tuple[dict[int, int], int]:
    """How many flags lie in each child's subtree, and on the node itself."""
    counts = {child.pk: 0 for child in children}
    by_path = {child.path: child.pk for child in children}
    own = 0
    length = len(node_path) + Unit.steplen
    for flag in flags:
        child = by_path.get(flag.unit_path[:length])
        if child is None:
            own += 1
        else:
            counts[child] += 1
    return counts, own
