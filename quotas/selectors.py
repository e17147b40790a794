"""Reads of the hard-task quotas: who owes how many hard tasks in a period,
how many are confirmed, who is short — for the pages, the dashboard panel,
the reminders and other apps.

The rules, in one place:

- A person's quota in a period comes from the committee roles on their
  memberships (``units.Membership.committee_role``) and the period's rows
  (``RoleQuota``). With several roles, the largest quota applies, and the
  person is counted in the unit of the membership that carries it (ties: the
  higher role, then the older membership). Inactive people and memberships
  of closed units do not count. A role without a row, or with 0, owes
  nothing.
- Only confirmed registrations count, and not those whose task was
  cancelled. A registration counts whenever it is confirmed, as long as it
  was made by the registration deadline (the deadline day included; the
  services refuse later ones).
- Short: fewer confirmed than the quota.

Read API for other apps (``appraisal``), stable and documented:

- ``period_on(day)`` → the ``QuotaPeriod`` that contains ``day``, or None.
- ``person_quotas(period, path=None, user_ids=None)`` → ``list[PersonQuota]``
  (one query): each person with a quota, their unit, role, quota, confirmed
  and pending counts.
- ``confirmed_registrations(start=None, end=None, user_ids=None)`` → a
  queryset of confirmed ``Registration`` rows (task not cancelled), decided
  between ``start`` and ``end`` (dates, inclusive, Hanoi time), with
  ``person_id``, ``task_id``, ``period_id`` and ``decided_at``.
"""

import datetime
from dataclasses import dataclass

from django.db.models import (
    Case,
    Count,
    F,
    IntegerField,
    OuterRef,
    Q,
    Subquery,
    Sum,
    Value,
    When,
    Window,
)
from django.db.models.functions import Coalesce, RowNumber, Substr
from django.utils import timezone

from tasks.choices import TaskStatus
from units.models import Membership, Unit
from units.sql import fetch_models

from .choices import RegistrationStatus
from .models import QuotaPeriod, Registration, RoleQuota


@dataclass(frozen=True)
class PersonQuota:
    user_id: int
    name: str
    username: str
    unit_id: int
    unit_name: str
    unit_path: str
    role: str
    minimum: int
    confirmed: int
    pending: int

    @property
    def missing(self) -> int:
        return max(self.minimum - self.confirmed, 0)

    @property
    def is_short(self) -> bool:
        return self.confirmed < self.minimum


# The columns ``period_on`` reads, in order.
PERIOD_FIELDS = ("id", "name", "start", "end", "registration_deadline", "created_at")


def period_on(day: datetime.date) -> QuotaPeriod | None:
    """The period that contains ``day`` (the latest one if several do).
    Written out: every dashboard reads it (on the side, where the ORM's
    building and compiling of it held the interpreter longer than the page
    waits for the query)."""
    found = fetch_models(
        QuotaPeriod,
        PERIOD_FIELDS,
        'SELECT id, name, start, "end", registration_deadline, created_at'
        ' FROM quotas_quotaperiod WHERE start <= %s AND "end" >= %s'
        " ORDER BY start DESC, id DESC LIMIT 1",
        [day, day],
    )
    return found[0] if found else None


def counted_registrations(period_id):
    """Registrations of the period that count: confirmed, task not
    cancelled."""
    return Registration.objects.filter(
        period_id=period_id, status=RegistrationStatus.CONFIRMED
    ).exclude(task__status=TaskStatus.CANCELLED)


def _count_of(qs):
    """A correlated ``COUNT(*)`` of ``qs`` per person, 0 when none."""
    counted = (
        qs.filter(person_id=OuterRef("user_id"))
        .order_by()
        .values("person_id")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(counted, output_field=IntegerField()), Value(0))


def quota_memberships(period_id):
    """One membership per person who owes hard tasks in the period: the one
    whose committee role carries the largest quota. Annotated with
    ``minimum``, ``confirmed`` and ``pending``."""
    minimum = (
        RoleQuota.objects.filter(
            period_id=period_id, committee_role_id=OuterRef("committee_role_id")
        )
        .order_by()
        .values("minimum")[:1]
    )
    ranked = (
        Membership.objects.filter(
            committee_role__isnull=False,
            unit__is_active=True,
            user__is_active=True,
        )
        .annotate(minimum=Subquery(minimum, output_field=IntegerField()))
        .filter(minimum__gt=0)
        .annotate(
            rank=Window(
                RowNumber(),
                partition_by=[F("user_id")],
                order_by=[
                    F("minimum").desc(),
                    F("committee_role__order").asc(),
                    F("pk").asc(),
                ],
            )
        )
        .filter(rank=1)
    )
    pending = Registration.objects.filter(
        period_id=period_id, status=RegistrationStatus.PENDING
    ).exclude(task__status=TaskStatus.CANCELLED)
    return Membership.objects.filter(pk__in=ranked.values("pk")).annotate(
        minimum=Subquery(minimum, output_field=IntegerField()),
        confirmed=_count_of(counted_registrations(period_id)),
        pending=_count_of(pending),
    )


def person_quotas(
    period: QuotaPeriod,
    *,
    path: str | None = None,
    user_ids=None,
    short_only: bool = False,
    limit: int | None = None,
) -> list[PersonQuota]:
    """Each person with a quota in the period (in the subtree of ``path``,
    or among ``user_ids``), short first, then by unit and name. One query."""
    qs = quota_memberships(period.pk)
    if path:
        qs = qs.filter(unit__path__startswith=path)
    if user_ids is not None:
        qs = qs.filter(user_id__in=list(user_ids))
    if short_only:
        qs = qs.filter(confirmed__lt=F("minimum"))
    rows = qs.order_by(
        "unit__path", "user__full_name", "user__username", "user_id"
    ).values_list(
        "user_id",
        "user__full_name",
        "user__username",
        "unit_id",
        "unit__name",
        "unit__path",
        "committee_role__name",
        "minimum",
        "confirmed",
        "pending",
    )
    if limit is not None:
        rows = rows[:limit]
    return [
        PersonQuota(
            user_id=user_id,
            name=full_name or username,
            username=username,
            unit_id=unit_id,
            unit_name=unit_name,
            unit_path=unit_path,
            role=role,
            minimum=minimum,
            confirmed=confirmed,
            pending=pending,
        )
        for (
            user_id,
            full_name,
            username,
            unit_id,
            unit_name,
            unit_path,
            role,
            minimum,
            confirmed,
            pending,
        ) in rows
    ]


def person_quota(period: QuotaPeriod, user) -> PersonQuota | None:
    found = person_quotas(period, user_ids=[user.pk])
    return found[0] if found else None


@dataclass
class UnitShortfall:
    """People with a quota in one unit's subtree: how many, how many met it,
    how many are short (and by how many hard tasks in all)."""

    unit_id: int | None
    name: str
    own: bool  # the node's own people, not a child's subtree
    has_children: bool
    people: int = 0
    short: int = 0
    missing: int = 0

    @property
    def met(self) -> int:
        return self.people - self.short


def shortfalls_by_unit(
    period: QuotaPeriod, node_path: str, children: list[Unit]
) -> list[UnitShortfall]:
    """Per child of the node (its whole subtree), and for the node's own
    people, the count of people with a quota, of those short and of the hard
    tasks missing. One grouped query, whatever the number of people."""
    step = Unit.steplen
    prefix_length = len(node_path) + step
    qs = quota_memberships(period.pk)
    if node_path:
        qs = qs.filter(unit__path__startswith=node_path)
    short = Q(confirmed__lt=F("minimum"))
    missing = Case(
        When(short, then=F("minimum") - F("confirmed")),
        default=Value(0),
        output_field=IntegerField(),
    )
    groups = (
        qs.annotate(prefix=Substr("unit__path", 1, prefix_length))
        .order_by()
        .values("prefix")
        .annotate(
            people=Count("pk"),
            short=Count("pk", filter=short),
            missing=Coalesce(Sum(missing), Value(0)),
        )
    )
    by_prefix = {g["prefix"]: g for g in groups}
    rows = []
    if node_path and node_path in by_prefix:
        g = by_prefix[node_path]
        rows.append(
            UnitShortfall(None, "", True, False, g["people"], g["short"], g["missing"])
        )
    for child in children:
        g = by_prefix.get(child.path, {})
        if not g and not child.is_active:
            # a unit closed in a reorganisation: nobody's quota is there
            continue
        rows.append(
            UnitShortfall(
                child.pk,
                child.name,
                False,
                bool(child.numchild),
                g.get("people", 0),
                g.get("short", 0),
                g.get("missing", 0),
            )
        )
    return rows


def confirmed_registrations(
    *,
    start: datetime.date | None = None,
    end: datetime.date | None = None,
    user_ids=None,
):
    """Confirmed registrations (task not cancelled), decided from ``start``
    to ``end`` inclusive (Hanoi dates). For other apps: see the module
    docstring."""
    qs = Registration.objects.filter(status=RegistrationStatus.CONFIRMED).exclude(
        task__status=TaskStatus.CANCELLED
    )
    tz = timezone.get_current_timezone()
    if start is not None:
        qs = qs.filter(
            decided_at__gte=datetime.datetime.combine(start, datetime.time.min, tz)
        )
    if end is not None:
        after = end + datetime.timedelta(days=1)
        qs = qs.filter(
            decided_at__lt=datetime.datetime.combine(after, datetime.time.min, tz)
        )
    if user_ids is not None:
        qs = qs.filter(person_id__in=list(user_ids))
    return qs
