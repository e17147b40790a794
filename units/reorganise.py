"""Reorganisation of the unit tree: merge, split and rename.

Since 1 July 2025 Vietnam governs through two tiers: districts were
abolished, communes and wards merged. A reorganised unit is not edited in
place — the past keeps it as it was. Each service here closes the old unit
(``valid_to`` = the day before the effective date, ``is_active`` off),
links it to its successor(s) with ``UnitSuccession`` rows, and hands its
*live* work on:

* open tasks it leads (the successor becomes the lead unit) and open tasks
  it helps with (the successor replaces it among the coordinating units);
* its memberships (a person who already has that role in the successor
  keeps that one, and the old one ends);
* what still waits on it: pending transfer requests, unanswered requests
  for explanation, hard-task registrations waiting for confirmation.

Supervision that is still live follows too: the targets of teams still
at work on the effective date (and today) — with the planned visits not
made yet — and the open findings about the unit (``FindingState``: no
remediation task yet, or one that is neither done nor cancelled). A target
that already has a visit on record stays, with that record, and a new one
(or the team's existing one, never a duplicate) takes the planned visits.

Done and cancelled tasks, decided requests, scores and classifications,
visit records (filed or being written) and closed findings stay with the
unit that did the work. Alerts belong to tasks and people, so an alert of
a moved task is still delivered and now leads to a task of the successor;
the next scans address the successor's head and reviewers.

A reorganisation is not a transfer: it writes no ``Transfer`` row and
leaves the buck-passing counters (``transfer_count``, ``moved_up``) alone.
Lead units change by a plain save, which the dashboard cells' trigger
follows (``tasks.rollups.check`` finds no drift afterwards). Every row that
moves gets a history row with the actor and the reason, for example
"Sáp nhập Phường A vào Phường B từ 01/07/2025 (căn cứ …)".

Dependencies normally run ``units`` ← ``tasks``; reorganisation is the one
place where the unit tree reaches the apps that hang on it, so those
models are imported inside the functions, never when ``units`` loads.

Each service runs in one transaction, validates everything before writing,
and raises ``ValidationError`` with Vietnamese messages — nothing changed —
when the reorganisation cannot be done. The demo seeder calls them too::

    merge_units(actor=admin, predecessors=[a, b], successor=c,
                effective_date=datetime.date(2025, 7, 1), reason="…")
"""

import datetime
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from .choices import SuccessionKind
from .models import Membership, Unit, UnitSuccession, User
from .scope import clear_scope_cache

# django-simple-history's change reason column holds 100 characters.
REASON_LENGTH = 100


@dataclass
class ReorganisationResult:
    """What a reorganisation moved, for the admin's message and the tests."""

    kind: str
    successions: list[UnitSuccession] = field(default_factory=list)
    tasks: int = 0
    coordinations: int = 0  # open tasks whose coordinating units changed
    memberships: int = 0
    requests: int = 0
    alerts: int = 0
    targets: int = 0  # supervision targets of teams still at work
    visits: int = 0  # planned visits (not made yet) of those targets
    findings: int = 0  # open supervision findings about the unit
    # A request that names two merged units, or a task that two of them
    # helped with, counts once.
    _seen: set = field(default_factory=set, repr=False)

    def count_request(self, request) -> None:
        key = (type(request).__name__, request.pk)
        if key not in self._seen:
            self._seen.add(key)
            self.requests += 1

    def count_coordination(self, task_id: int) -> None:
        if ("coordination", task_id) not in self._seen:
            self._seen.add(("coordination", task_id))
            self.coordinations += 1

    @property
    def successors(self) -> list[Unit]:
        seen: dict[int, Unit] = {}
        for link in self.successions:
            seen.setdefault(link.successor_id, link.successor)
        return list(seen.values())


@dataclass
class PendingWork:
    """The live work of one unit, exactly as a reorganisation would move it:
    what the admin's confirmation page lists before anything is done."""

    unit: Unit
    led_tasks: list = field(default_factory=list)
    coordinated_tasks: list = field(default_factory=list)
    memberships: list = field(default_factory=list)
    requests: int = 0
    alerts: int = 0
    targets: list = field(default_factory=list)  # with ``planned_visits``
    findings: list = field(default_factory=list)

    @property
    def task_ids(self) -> list[int]:
        return [t.pk for t in self.led_tasks] + [t.pk for t in self.coordinated_tasks]

    @property
    def planned_visits(self) -> int:
        return sum(t.planned_visits for t in self.targets)


# --- what moves ------------------------------------------------------------------


def _open_led_tasks(unit: Unit):
    from tasks.choices import OPEN_STATUSES
    from tasks.models import Task

    return Task.objects.filter(lead_unit=unit, status__in=OPEN_STATUSES)


def _open_coordinated_tasks(unit: Unit):
    from tasks.choices import OPEN_STATUSES
    from tasks.models import Task

    return Task.objects.filter(
        coordinating_units=unit, status__in=OPEN_STATUSES
    ).exclude(lead_unit=unit)


def _pending_transfers(unit: Unit):
    from tasks.choices import TransferStatus
    from tasks.models import Transfer

    return Transfer.objects.filter(
        Q(from_unit=unit) | Q(to_unit=unit), status=TransferStatus.PENDING
    )


def _open_explanations(unit: Unit):
    from tasks.models import ExplanationRequest

    return ExplanationRequest.objects.filter(unit=unit, answered_at__isnull=True)


def _pending_registrations(unit: Unit):
    from quotas.choices import RegistrationStatus
    from quotas.models import Registration

    return Registration.objects.filter(unit=unit, status=RegistrationStatus.PENDING)


def _pending_alerts(task_ids: Iterable[int]):
    """Alerts of these tasks still to be read or e-mailed: they follow their
    task, so after the move they lead to a task of the successor."""
    from tasks.choices import SCAN_ALERT_KINDS
    from tasks.models import Alert

    return Alert.objects.filter(task_id__in=list(task_ids)).filter(
        Q(read_at__isnull=True) | Q(emailed_at__isnull=True, kind__in=SCAN_ALERT_KINDS)
    )


def _live_targets(unit: Unit, effective_date: datetime.date | None = None):
    """The unit's supervision targets in teams still at work on the
    effective date and today: a team that has finished keeps its targets."""
    from supervision.models import Target

    day = max(effective_date or timezone.localdate(), timezone.localdate())
    return Target.objects.filter(unit=unit, team__end_date__gte=day)


def _open_findings(unit: Unit):
    """Findings about the unit still being remedied, by the definition of
    ``supervision.selectors.with_state``: closed once they have a
    remediation task and every one not cancelled is done."""
    from supervision.models import Finding
    from supervision.selectors import with_state

    closed = (
        with_state(Finding.objects.filter(unit=unit))
        .filter(tasks_total__gt=0, tasks_done=F("tasks_total"))
        .values("pk")
    )
    return Finding.objects.filter(unit=unit).exclude(pk__in=closed)


def pending_work(unit: Unit) -> PendingWork:
    """The open tasks, members, pending requests, alerts, supervision
    targets and open findings that a merge, split or rename of ``unit``
    would hand on (a fixed number of queries). Targets are those of teams
    still at work today; the date typed in may leave out a team that ends
    before it."""
    from supervision.choices import VisitStatus

    led = list(
        _open_led_tasks(unit).select_related("assignee").order_by("deadline", "pk")
    )
    coordinated = list(
        _open_coordinated_tasks(unit)
        .select_related("assignee", "lead_unit")
        .order_by("deadline", "pk")
    )
    members = list(
        Membership.objects.filter(unit=unit)
        .select_related("user")
        .order_by("user__full_name", "role")
    )
    work = PendingWork(
        unit=unit, led_tasks=led, coordinated_tasks=coordinated, memberships=members
    )
    work.requests = (
        _pending_transfers(unit).count()
        + _open_explanations(unit).count()
        + _pending_registrations(unit).count()
    )
    work.alerts = _pending_alerts([t.pk for t in led]).count() if led else 0
    work.targets = list(
        _live_targets(unit)
        .select_related("team", "head_person")
        .annotate(
            planned_visits=Count("visits", filter=Q(visits__status=VisitStatus.PLANNED))
        )
        .order_by("team__name", "team_id", "kind")
    )
    work.findings = list(
        _open_findings(unit).select_related("visit__team").order_by("visit_id", "pk")
    )
    return work


# --- checks -------------------------------------------------------------------------


def _day(value: datetime.date) -> str:
    return value.strftime("%d/%m/%Y")


def _check_predecessor(unit: Unit, effective_date: datetime.date) -> list[str]:
    errors = []
    if not unit.is_active or unit.valid_to is not None:
        if unit.valid_to is not None:
            errors.append(
                _(
                    "Đơn vị “%(unit)s” đã ngừng hoạt động từ ngày %(day)s, không "
                    "sắp xếp lại được nữa."
                )
                % {"unit": unit, "day": _day(unit.valid_to + datetime.timedelta(1))}
            )
        else:
            errors.append(
                _("Đơn vị “%(unit)s” đã ngừng hoạt động, không sắp xếp lại được nữa.")
                % {"unit": unit}
            )
    if unit.valid_from is not None and effective_date <= unit.valid_from:
        errors.append(
            _(
                "Ngày có hiệu lực phải sau ngày đơn vị “%(unit)s” bắt đầu hoạt động "
                "(%(day)s)."
            )
            % {"unit": unit, "day": _day(unit.valid_from)}
        )
    children = list(
        Unit.objects.filter(
            path__startswith=unit.path, depth=unit.depth + 1, is_active=True
        ).values_list("name", flat=True)
    )
    if children:
        errors.append(
            _(
                "Đơn vị “%(unit)s” còn %(count)d đơn vị trực thuộc đang hoạt động "
                "(%(names)s): hãy sắp xếp các đơn vị cấp dưới trước."
            )
            % {"unit": unit, "count": len(children), "names": ", ".join(children)}
        )
    return errors


def _check_successor(unit: Unit, effective_date: datetime.date) -> list[str]:
    if not unit.is_active or (
        unit.valid_to is not None and unit.valid_to < effective_date
    ):
        return [
            _(
                "Đơn vị kế thừa “%(unit)s” không còn hoạt động vào ngày %(day)s: "
                "hãy chọn một đơn vị đang hoạt động."
            )
            % {"unit": unit, "day": _day(effective_date)}
        ]
    if unit.valid_from is not None and unit.valid_from > effective_date:
        return [
            _(
                "Đơn vị kế thừa “%(unit)s” chỉ bắt đầu hoạt động từ ngày %(from)s, "
                "sau ngày có hiệu lực %(day)s."
            )
            % {
                "unit": unit,
                "from": _day(unit.valid_from),
                "day": _day(effective_date),
            }
        ]
    return []


def _check_date(effective_date) -> list[str]:
    if not isinstance(effective_date, datetime.date):
        return [_("Cần nhập ngày có hiệu lực.")]
    return []


def _raise(errors: list[str]) -> None:
    if errors:
        raise ValidationError(errors)


def _lock(units: Iterable[Unit]) -> dict[int, Unit]:
    """Lock the units' rows and read them again, in id order (no deadlock
    between two admins reorganising overlapping units)."""
    ids = sorted({u.pk for u in units})
    locked = Unit.objects.select_for_update().filter(pk__in=ids).order_by("pk")
    return {u.pk: u for u in locked}


# --- moving ----------------------------------------------------------------------


def _reason(text: str, basis: str) -> str:
    basis = (basis or "").strip()
    if basis:
        text = _("%(text)s (căn cứ %(basis)s)") % {"text": text, "basis": basis}
    if len(text) > REASON_LENGTH:
        text = text[: REASON_LENGTH - 1] + "…"
    return text


def _save(obj, *, actor: User, reason: str, **kwargs) -> None:
    obj._history_user = actor
    obj._change_reason = reason
    obj.save(**kwargs)


def _move_work(
    *,
    actor: User,
    predecessor: Unit,
    route,
    effective_date: datetime.date,
    reason: str,
    result: ReorganisationResult,
) -> None:
    """Hand ``predecessor``'s live work on. ``route(kind, id)`` names the
    successor for a task (``"task"``, given the task id), a membership
    (``"member"``), a supervision target (``"target"``) or finding
    (``"finding"``)."""
    from tasks.choices import TransferStatus
    from tasks.models import Task

    through = Task.coordinating_units.through
    # Lock the tasks first, in id order, as the task services do.
    led = {
        t.pk: t for t in _open_led_tasks(predecessor).select_for_update().order_by("pk")
    }
    coordinated_ids = list(
        _open_coordinated_tasks(predecessor).order_by("pk").values_list("pk", flat=True)
    )
    touched = dict(led)
    if coordinated_ids:
        touched.update(
            (t.pk, t)
            for t in Task.objects.select_for_update()
            .filter(pk__in=coordinated_ids)
            .order_by("pk")
        )
    new_lead = {pk: route("task", pk).pk for pk in led}
    new_unit_of_task = {pk: route("task", pk).pk for pk in touched}

    # Coordinating units first, straight on the link table, so that the one
    # history row each task gets below shows them as they now are.
    current = set(
        through.objects.filter(task_id__in=list(touched)).values_list(
            "task_id", "unit_id"
        )
    )
    for task_id, lead_id in new_lead.items():
        if (task_id, lead_id) in current:
            # The successor helped with this task; now it leads it.
            through.objects.filter(task_id=task_id, unit_id=lead_id).delete()
            result.count_coordination(task_id)
    for task_id in coordinated_ids:
        target = new_unit_of_task[task_id]
        rows = through.objects.filter(task_id=task_id, unit_id=predecessor.pk)
        if (task_id, target) in current or touched[task_id].lead_unit_id == target:
            rows.delete()
        else:
            rows.update(unit_id=target)
        result.count_coordination(task_id)

    for task_id, task in touched.items():
        if task_id in new_lead:
            task.lead_unit_id = new_lead[task_id]
        task.version += 1
        _save(
            task,
            actor=actor,
            reason=reason,
            update_fields=["lead_unit", "version", "updated_at"],
        )
    result.tasks += len(led)
    result.alerts += _pending_alerts(led).count() if led else 0

    def task_target(task_id: int) -> int:
        if task_id in new_lead:
            return new_lead[task_id]
        return route("task", task_id).pk

    now = timezone.now()
    for transfer in _pending_transfers(predecessor).select_for_update().order_by("pk"):
        target = task_target(transfer.task_id)
        if transfer.from_unit_id == predecessor.pk:
            transfer.from_unit_id = target
        if transfer.to_unit_id == predecessor.pk:
            transfer.to_unit_id = target
        if transfer.from_unit_id == transfer.to_unit_id:
            # Both ends are now the same unit: nothing is left to transfer.
            transfer.status = TransferStatus.REJECTED
            transfer.decided_by, transfer.decided_at = actor, now
            transfer.decision_note = reason
        _save(transfer, actor=actor, reason=reason)
        result.count_request(transfer)
    for request in _open_explanations(predecessor).select_for_update().order_by("pk"):
        request.unit_id = task_target(request.task_id)
        _save(request, actor=actor, reason=reason)
        result.count_request(request)
    for registration in (
        _pending_registrations(predecessor).select_for_update().order_by("pk")
    ):
        registration.unit_id = task_target(registration.task_id)
        _save(registration, actor=actor, reason=reason)
        result.count_request(registration)

    members = Membership.objects.select_for_update().filter(unit=predecessor)
    members = list(members.select_related("user").order_by("pk"))
    targets = {m.pk: route("member", m.pk).pk for m in members}
    existing = set(
        Membership.objects.filter(
            user_id__in=[m.user_id for m in members],
            unit_id__in=set(targets.values()),
        ).values_list("user_id", "unit_id", "role")
    )
    for membership in members:
        target = targets[membership.pk]
        key = (membership.user_id, target, membership.role)
        membership._history_user = actor
        membership._change_reason = reason
        if key in existing:
            # Already has that seat in the successor: the old one ends.
            membership.delete()
        else:
            membership.unit_id = target
            membership.save()
            existing.add(key)
        clear_scope_cache(membership.user)
        result.memberships += 1
    clear_scope_cache(actor)
    _move_supervision(
        actor=actor,
        predecessor=predecessor,
        route=route,
        effective_date=effective_date,
        reason=reason,
        result=result,
    )


def _move_supervision(
    *,
    actor: User,
    predecessor: Unit,
    route,
    effective_date: datetime.date,
    reason: str,
    result: ReorganisationResult,
) -> None:
    """Hand on ``predecessor``'s live supervision: its targets in teams
    still at work, with their planned visits, and its open findings.
    ``route("target", id)`` and ``route("finding", id)`` name the successor.

    A target with no visit on record moves as it is (its planned visits
    with it). One that has a visit recorded stays with that record, and
    its planned visits go to the team's target of the successor — the one
    the team already has (at most one per team, unit and kind), or a new
    one. A target left without any visit is then not needed twice: it is
    deleted, with a history row."""
    from supervision.choices import TargetKind, VisitStatus
    from supervision.models import Finding, Target, Visit

    targets = list(
        _live_targets(predecessor, effective_date)
        .select_for_update(of=("self",))
        .order_by("pk")
    )
    if targets:
        successor_of = {t.pk: route("target", t.pk) for t in targets}
        existing = {
            (t.team_id, t.unit_id, t.kind): t
            for t in Target.objects.filter(
                team_id__in={t.team_id for t in targets},
                unit_id__in={u.pk for u in successor_of.values()},
            )
        }
        planned = defaultdict(list)
        recorded = set()
        for visit in (
            Visit.objects.select_for_update(of=("self",))
            .filter(target__in=targets)
            .order_by("pk")
        ):
            if visit.status == VisitStatus.PLANNED:
                planned[visit.target_id].append(visit)
            else:
                recorded.add(visit.target_id)
        for target in targets:
            visits = planned[target.pk]
            successor = successor_of[target.pk]
            key = (target.team_id, successor.pk, target.kind)
            kept = existing.get(key)
            head_id = (
                successor.head_id or target.head_person_id
                if target.kind == TargetKind.HEAD
                else None
            )
            if kept is None and target.pk not in recorded:
                target.unit = successor
                target.head_person_id = head_id
                _save(target, actor=actor, reason=reason)
                existing[key] = target
            else:
                if kept is None:
                    kept = Target(
                        team_id=target.team_id,
                        unit=successor,
                        kind=target.kind,
                        head_person_id=head_id,
                    )
                    _save(kept, actor=actor, reason=reason)
                    existing[key] = kept
                for visit in visits:
                    visit.target = kept
                    _save(visit, actor=actor, reason=reason)
                if target.pk not in recorded:
                    target._history_user = actor
                    target._change_reason = reason
                    target.delete()
            result.targets += 1
            result.visits += len(visits)

    open_ids = list(_open_findings(predecessor).values_list("pk", flat=True))
    for finding in (
        Finding.objects.select_for_update().filter(pk__in=open_ids).order_by("pk")
    ):
        finding.unit = route("finding", finding.pk)
        _save(finding, actor=actor, reason=reason)
        result.findings += 1


def _close(
    *,
    actor: User,
    predecessor: Unit,
    successors: Sequence[Unit],
    kind: str,
    effective_date: datetime.date,
    basis: str,
    roll_up: bool,
    reason: str,
    result: ReorganisationResult,
) -> None:
    predecessor.valid_to = effective_date - datetime.timedelta(days=1)
    predecessor.is_active = False
    _save(predecessor, actor=actor, reason=reason)
    for successor in successors:
        link = UnitSuccession(
            predecessor=predecessor,
            successor=successor,
            kind=kind,
            effective_date=effective_date,
            roll_up=roll_up,
            reason=(basis or "").strip()[:500],
            created_by=actor,
        )
        _save(link, actor=actor, reason=reason)
        result.successions.append(link)


def _open_successor(
    successor: Unit, *, actor: User, effective_date: datetime.date, reason: str
) -> None:
    """Date a successor that begins with this reorganisation. One that
    already has work from before the date existed already: leaving its
    start empty keeps it in the dashboards of past periods."""
    from tasks.models import Task

    if successor.valid_from is not None:
        return
    if Task.objects.filter(lead_unit=successor, start_date__lt=effective_date).exists():
        return
    successor.valid_from = effective_date
    _save(successor, actor=actor, reason=reason)


# --- the services -------------------------------------------------------------------


@transaction.atomic
def merge_units(
    *,
    actor: User,
    predecessors: Sequence[Unit],
    successor: Unit,
    effective_date: datetime.date,
    reason: str,
    roll_up: bool = True,
) -> ReorganisationResult:
    """Merge ``predecessors`` into ``successor`` (an existing unit, not one
    of them) from ``effective_date``, its first day. Each predecessor
    closes the day before and hands its open tasks, memberships and
    pending requests to the successor. Locks the units and the moved rows.
    Refuses with ``ValidationError`` (nothing changed) a predecessor closed
    already, still having active units under it, or started on or after
    the date; a successor that is a predecessor or not active that day."""
    errors = _check_date(effective_date)
    predecessors = list(dict.fromkeys(predecessors))
    if not predecessors:
        errors.append(_("Chọn ít nhất một đơn vị để sáp nhập."))
    if successor is None:
        errors.append(_("Chọn đơn vị kế thừa."))
    _raise(errors)
    locked = _lock([*predecessors, successor])
    successor = locked[successor.pk]
    predecessors = [locked[p.pk] for p in predecessors]
    if successor in predecessors:
        errors.append(
            _("Đơn vị kế thừa “%(unit)s” không thể là một trong các đơn vị sáp nhập.")
            % {"unit": successor}
        )
    for predecessor in predecessors:
        errors += _check_predecessor(predecessor, effective_date)
    if successor not in predecessors:
        errors += _check_successor(successor, effective_date)
    _raise(errors)

    result = ReorganisationResult(kind=SuccessionKind.MERGE)
    for predecessor in predecessors:
        text = _reason(
            _("Sáp nhập %(old)s vào %(new)s từ %(day)s")
            % {"old": predecessor, "new": successor, "day": _day(effective_date)},
            reason,
        )
        _move_work(
            actor=actor,
            predecessor=predecessor,
            route=lambda kind, pk: successor,
            effective_date=effective_date,
            reason=text,
            result=result,
        )
        _close(
            actor=actor,
            predecessor=predecessor,
            successors=[successor],
            kind=SuccessionKind.MERGE,
            effective_date=effective_date,
            basis=reason,
            roll_up=roll_up,
            reason=text,
            result=result,
        )
    _open_successor(
        successor,
        actor=actor,
        effective_date=effective_date,
        reason=_reason(
            _("Thành lập trên cơ sở sáp nhập từ %(day)s")
            % {"day": _day(effective_date)},
            reason,
        ),
    )
    return result


def _check_targets(
    targets: Mapping | None,
    *,
    allowed_ids: set[int],
    successor_ids: set[int],
    unknown_message: str,
) -> list[str]:
    errors = []
    for key, unit in (targets or {}).items():
        if key not in allowed_ids:
            errors.append(unknown_message % {"id": key})
        elif unit is None or unit.pk not in successor_ids:
            errors.append(
                _(
                    "“%(unit)s” không phải là một trong các đơn vị kế thừa đã chọn "
                    "(mục số %(id)s)."
                )
                % {"unit": unit or "—", "id": key}
            )
    return errors


@transaction.atomic
def split_unit(
    *,
    actor: User,
    predecessor: Unit,
    successors: Sequence[Unit],
    effective_date: datetime.date,
    reason: str,
    roll_up: bool = True,
    task_targets: Mapping[int, Unit] | None = None,
    member_targets: Mapping[int, Unit] | None = None,
    default_successor: Unit,
) -> ReorganisationResult:
    """Split ``predecessor`` among two or more existing ``successors`` from
    ``effective_date``. Each open task it leads or helps with goes to the
    successor that ``task_targets`` names for the task's id, each
    membership to the one ``member_targets`` names for the membership's id,
    and everything else to ``default_successor``. Locks the units and the
    moved rows; refuses (nothing changed) as ``merge_units`` does, and
    also fewer than two successors, or a target (default included) that is
    not among the successors."""
    errors = _check_date(effective_date)
    successors = list(dict.fromkeys(successors))
    if len(successors) < 2:
        errors.append(_("Chia tách cần ít nhất hai đơn vị kế thừa."))
    _raise(errors)
    locked = _lock([predecessor, *successors])
    predecessor = locked[predecessor.pk]
    successors = [locked[s.pk] for s in successors]
    successor_ids = {s.pk for s in successors}
    if predecessor.pk in successor_ids:
        errors.append(
            _("Đơn vị “%(unit)s” không thể kế thừa chính nó.") % {"unit": predecessor}
        )
    errors += _check_predecessor(predecessor, effective_date)
    for successor in successors:
        if successor.pk != predecessor.pk:
            errors += _check_successor(successor, effective_date)
    if default_successor is None or default_successor.pk not in successor_ids:
        errors.append(
            _("Đơn vị nhận mặc định phải là một trong các đơn vị kế thừa đã chọn.")
        )
    work_ids = set(_open_led_tasks(predecessor).values_list("pk", flat=True))
    work_ids |= set(_open_coordinated_tasks(predecessor).values_list("pk", flat=True))
    errors += _check_targets(
        task_targets,
        allowed_ids=work_ids,
        successor_ids=successor_ids,
        unknown_message=_(
            "Nhiệm vụ số %(id)s không phải là nhiệm vụ đang thực hiện của đơn vị "
            "được chia tách."
        ),
    )
    errors += _check_targets(
        member_targets,
        allowed_ids=set(
            Membership.objects.filter(unit=predecessor).values_list("pk", flat=True)
        ),
        successor_ids=successor_ids,
        unknown_message=_("Thành viên số %(id)s không thuộc đơn vị được chia tách."),
    )
    _raise(errors)

    by_id = {s.pk: s for s in successors}
    default = by_id[default_successor.pk]
    chosen = {
        "task": {k: by_id[u.pk] for k, u in (task_targets or {}).items()},
        "member": {k: by_id[u.pk] for k, u in (member_targets or {}).items()},
    }
    names = ", ".join(str(s) for s in successors)
    text = _reason(
        _("Chia tách %(old)s thành %(new)s từ %(day)s")
        % {"old": predecessor, "new": names, "day": _day(effective_date)},
        reason,
    )
    result = ReorganisationResult(kind=SuccessionKind.SPLIT)
    _move_work(
        actor=actor,
        predecessor=predecessor,
        # targets and findings go to the default successor
        route=lambda kind, pk: chosen.get(kind, {}).get(pk, default),
        effective_date=effective_date,
        reason=text,
        result=result,
    )
    _close(
        actor=actor,
        predecessor=predecessor,
        successors=successors,
        kind=SuccessionKind.SPLIT,
        effective_date=effective_date,
        basis=reason,
        roll_up=roll_up,
        reason=text,
        result=result,
    )
    for successor in successors:
        _open_successor(
            successor,
            actor=actor,
            effective_date=effective_date,
            reason=_reason(
                _("Thành lập trên cơ sở chia tách %(old)s từ %(day)s")
                % {"old": predecessor, "day": _day(effective_date)},
                reason,
            ),
        )
    return result


@transaction.atomic
def rename_unit(
    *,
    actor: User,
    unit: Unit,
    name: str,
    short_name: str,
    code: str,
    effective_date: datetime.date,
    reason: str,
) -> ReorganisationResult:
    """Rename ``unit`` from ``effective_date``: a new unit with the new
    name and code (same parent, kind and head) takes over its open tasks,
    memberships and pending requests, and the old one closes the day
    before, so that the past keeps the old name. Refuses (nothing changed)
    as ``merge_units`` does, and also an empty name or code, or a code that
    another unit already has. Returns the result; the new unit is
    ``result.successors[0]``."""
    name, short_name, code = (
        (name or "").strip(),
        (short_name or "").strip(),
        (code or "").strip(),
    )
    errors = _check_date(effective_date)
    if not name:
        errors.append(_("Cần nhập tên mới của đơn vị."))
    if not code:
        errors.append(_("Cần nhập mã đơn vị mới."))
    elif Unit.objects.filter(code=code).exists():
        errors.append(
            _("Mã “%(code)s” đã được dùng cho một đơn vị khác; hãy chọn mã khác.")
            % {"code": code}
        )
    _raise(errors)
    unit = _lock([unit])[unit.pk]
    errors += _check_predecessor(unit, effective_date)
    _raise(errors)

    text = _reason(
        _("Đổi tên %(old)s thành %(new)s từ %(day)s")
        % {"old": unit, "new": name, "day": _day(effective_date)},
        reason,
    )
    successor = Unit(
        name=name,
        short_name=short_name,
        code=code,
        kind=unit.kind,
        head_id=unit.head_id,
        valid_from=effective_date,
    )
    successor._history_user = actor
    successor._change_reason = text
    parent = Unit.objects.get_parent(unit, update=True) if unit.depth > 1 else None
    if parent is None:
        Unit.objects.add_root(instance=successor)
    else:
        Unit.objects.add_child(parent, instance=successor)
    result = ReorganisationResult(kind=SuccessionKind.RENAME)
    unit.refresh_from_db()  # its path may have moved among its new sibling
    _move_work(
        actor=actor,
        predecessor=unit,
        route=lambda kind, pk: successor,
        effective_date=effective_date,
        reason=text,
        result=result,
    )
    _close(
        actor=actor,
        predecessor=unit,
        successors=[successor],
        kind=SuccessionKind.RENAME,
        effective_date=effective_date,
        basis=reason,
        roll_up=True,
        reason=text,
        result=result,
    )
    return result
