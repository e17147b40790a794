"""Page-sized reads of supervision. The summary page, its print view and
its .xlsx export call ``summary``; the findings list calls
``finding_list``; both start from ``Finding.objects.visible_to(user)`` on
filed records with the same state definition (``with_state``), so that a
number on the summary and the list it links to cannot differ.
"""

import datetime
from dataclasses import dataclass, field

from django.db.models import Count, Max, Q

from tasks.calendar import local_today
from tasks.choices import TaskStatus, Timeliness
from tasks.models import Task

from .choices import FindingState, VisitKind, VisitStatus
from .models import Finding, Team, ViolationItem, Visit

OTHER = "other"  # the findings-list filter for breaches outside the catalogue


def with_state(findings):
    """Findings with their remediation counts and computed state.

    Cancelled tasks count neither way. A finding is closed when it has at
    least one task and every one of them is done; ``closed_on`` is then the
    last completion date."""
    live = ~Q(remediations__task__status=TaskStatus.CANCELLED)
    return findings.annotate(
        tasks_total=Count("remediations", filter=live, distinct=True),
        tasks_done=Count(
            "remediations",
            filter=Q(remediations__task__status=TaskStatus.DONE),
            distinct=True,
        ),
        last_done_on=Max(
            "remediations__task__completed_on",
            filter=Q(remediations__task__status=TaskStatus.DONE),
        ),
    )


def state_of(finding) -> str:
    if finding.tasks_total and finding.tasks_done == finding.tasks_total:
        return FindingState.CLOSED
    return FindingState.OPEN


def filed_findings(user):
    return Finding.objects.visible_to(user).filter(visit__status=VisitStatus.FILED)


@dataclass
class FindingFilters:
    team: int | None = None
    violation: str | None = None  # an item id, or OTHER
    unit: int | None = None
    state: str | None = None

    def query(self) -> dict:
        values = {
            "team": self.team,
            "violation": self.violation,
            "unit": self.unit,
            "state": self.state,
        }
        return {k: v for k, v in values.items() if v not in (None, "")}


def finding_list(user, filters: FindingFilters, *, limit: int | None = None):
    """The filed findings the user may see, narrowed by the filters, with
    state, visit, team and unit, and the catalogue items (prefetched)."""
    qs = filed_findings(user)
    if filters.team:
        qs = qs.filter(visit__team_id=filters.team)
    if filters.unit:
        qs = qs.filter(unit_id=filters.unit)
    if filters.violation == OTHER:
        qs = qs.exclude(other_violation="")
    elif filters.violation:
        qs = qs.filter(violations__id=filters.violation)
    rows = (
        with_state(qs)
        .select_related("visit__team", "visit__target__unit", "unit")
        .prefetch_related("violations")
        .order_by("-visit__visited_on", "-pk")
    )
    result = [row for row in rows if _keep(row, filters.state)]
    if limit is not None:
        return result[:limit]
    return result


def _keep(row, state) -> bool:
    return not state or state_of(row) == state


# --- the summary --------------------------------------------------------------------


@dataclass
class CoverageRow:
    team: Team
    targets: int
    scheduled: int  # targets with a planned supervision visit
    visited: int  # targets whose planned supervision visit is filed
    surprise: int  # surprise inspections filed
    findings: int = 0
    remediation: "Remediation" = None

    @property
    def rate(self):
        return round(self.visited * 100 / self.targets, 1) if self.targets else None


@dataclass
class Remediation:
    total: int = 0
    done_on_time: int = 0
    done_late: int = 0
    overdue: int = 0
    open: int = 0

    @property
    def fallen_due(self) -> int:
        return self.done_on_time + self.done_late + self.overdue

    @property
    def rate(self):
        due = self.fallen_due
        return round(self.done_on_time * 100 / due, 1) if due else None


@dataclass
class CountRow:
    key: str
    label: str
    findings: int = 0
    open: int = 0
    closed: int = 0


@dataclass
class Summary:
    today: datetime.date
    coverage: list[CoverageRow] = field(default_factory=list)
    by_violation: list[CountRow] = field(default_factory=list)
    by_unit: list[CountRow] = field(default_factory=list)
    remediation: Remediation = field(default_factory=Remediation)
    findings: int = 0
    open_findings: int = 0


def coverage_rows(teams) -> list[CoverageRow]:
    """Per team, in one query: targets, those on the plan, those visited
    (a filed supervision visit), and surprise inspections filed."""
    planned = Q(targets__visits__kind=VisitKind.PLANNED)
    filed_planned = planned & Q(targets__visits__status=VisitStatus.FILED)
    rows = (
        teams.select_related("owner_unit", "leader")
        .annotate(
            n_targets=Count("targets", distinct=True),
            n_scheduled=Count("targets", filter=planned, distinct=True),
            n_visited=Count("targets", filter=filed_planned, distinct=True),
            n_surprise=Count(
                "visits",
                filter=Q(
                    visits__kind=VisitKind.SURPRISE,
                    visits__status=VisitStatus.FILED,
                ),
                distinct=True,
            ),
        )
        .order_by("owner_unit__path", "name", "pk")
    )
    return [
        CoverageRow(
            team=t,
            targets=t.n_targets,
            scheduled=t.n_scheduled,
            visited=t.n_visited,
            surprise=t.n_surprise,
        )
        for t in rows
    ]


def remediation_by_team(task_qs, today) -> dict[int, Remediation]:
    """Remediation tasks counted by timeliness, per team, in one query."""
    counts: dict[int, Remediation] = {}
    klass = {
        Timeliness.DONE_ON_TIME: "done_on_time",
        Timeliness.DONE_LATE: "done_late",
        Timeliness.OVERDUE: "overdue",
        Timeliness.ON_TRACK: "open",
        Timeliness.DUE_SOON: "open",
    }
    rows = (
        task_qs.with_timeliness(today)
        .exclude(status=TaskStatus.CANCELLED)
        .values("supervision_link__finding__visit__team_id", "timeliness")
        .annotate(n=Count("pk"))
        .order_by()
    )
    for row in rows:
        entry = counts.setdefault(
            row["supervision_link__finding__visit__team_id"], Remediation()
        )
        name = klass.get(row["timeliness"])
        if name:
            setattr(entry, name, getattr(entry, name) + row["n"])
            entry.total += row["n"]
    return counts


def summary(user, *, today: datetime.date | None = None) -> Summary:
    """The supervision summary of what the user may see: coverage of each
    team, filed findings by breach and by unit, remediation on time."""
    today = today or local_today()
    data = Summary(today=today)
    data.coverage = coverage_rows(Team.objects.visible_to(user))
    findings = list(
        with_state(filed_findings(user))
        .select_related("unit", "visit")
        .order_by("unit__path", "pk")
    )
    ids = [f.pk for f in findings]
    through = Finding.violations.through.objects.filter(finding_id__in=ids)
    items_of: dict[int, list[int]] = {}
    for finding_id, item_id in through.values_list("finding_id", "violationitem_id"):
        items_of.setdefault(finding_id, []).append(item_id)
    items = {
        item.pk: item
        for item in ViolationItem.objects.filter(
            pk__in={i for v in items_of.values() for i in v}
        )
    }
    by_item: dict[str, CountRow] = {}
    by_unit: dict[int, CountRow] = {}
    per_team: dict[int, int] = {}
    for finding in findings:
        closed = state_of(finding) == FindingState.CLOSED
        keys = [str(i) for i in items_of.get(finding.pk, [])]
        if finding.other_violation:
            keys.append(OTHER)
        for key in keys:
            row = by_item.get(key)
            if row is None:
                item = items.get(int(key)) if key != OTHER else None
                row = by_item[key] = CountRow(
                    key, str(item) if item else str(_other_label())
                )
            _count(row, closed)
        unit_row = by_unit.get(finding.unit_id)
        if unit_row is None:
            unit_row = by_unit[finding.unit_id] = CountRow(
                str(finding.unit_id), finding.unit.name
            )
        _count(unit_row, closed)
        per_team[finding.visit.team_id] = per_team.get(finding.visit.team_id, 0) + 1
        data.findings += 1
        data.open_findings += 0 if closed else 1
    order = {item.pk: (item.order, item.code) for item in items.values()}
    data.by_violation = sorted(
        by_item.values(),
        key=lambda r: (
            r.key == OTHER,
            order.get(int(r.key), (0, "")) if r.key != OTHER else (0, ""),
        ),
    )
    data.by_unit = list(by_unit.values())
    tasks = Task.objects.filter(supervision_link__finding__in=[f.pk for f in findings])
    per_team_remediation = remediation_by_team(tasks, today)
    for row in data.coverage:
        row.findings = per_team.get(row.team.pk, 0)
        row.remediation = per_team_remediation.get(row.team.pk, Remediation())
    for entry in per_team_remediation.values():
        for name in ("total", "done_on_time", "done_late", "overdue", "open"):
            total = getattr(data.remediation, name) + getattr(entry, name)
            setattr(data.remediation, name, total)
    return data


def _count(row: CountRow, closed: bool) -> None:
    row.findings += 1
    if closed:
        row.closed += 1
    else:
        row.open += 1


def _other_label():
    from django.utils.translation import gettext

    return gettext("Biểu hiện khác (ngoài danh mục)")


# --- the pages' smaller reads -------------------------------------------------------


def plans_for_unit(user, *, limit: int = 50):
    """Planned supervision of the user's units not filed yet, by teams the
    user is not in: the unit sees the plan's date, not the record."""
    from .querysets import _team_q, supervised_q

    return list(
        Visit.objects.filter(kind=VisitKind.PLANNED)
        .exclude(status=VisitStatus.FILED)
        .filter(supervised_q(user, "target__unit__"))
        .exclude(_team_q(user, "team__"))
        .select_related("team", "target__unit", "target__head_person")
        .order_by("planned_date", "pk")[:limit]
    )


def filed_for_unit(user, *, limit: int = 50):
    """Filed records about the user's units, by teams the user is not in."""
    from .querysets import _team_q

    return list(
        Visit.objects.visible_to(user)
        .filed()
        .exclude(_team_q(user, "team__"))
        .select_related("team", "target__unit", "target__head_person")
        .order_by("-visited_on", "-pk")[:limit]
    )
