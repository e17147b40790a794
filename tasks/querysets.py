"""Reusable reads over tasks. Timeliness is defined here, once, as a single
SQL ``CASE`` over the latest approved deadline; every list, dashboard,
export and alert scan uses it."""

import datetime

from django.conf import settings
from django.db import models
from django.db.models import Case, Exists, F, OuterRef, Q, Value, When

from units.scope import get_scope

from .calendar import add_working_days, local_today
from .choices import OPEN_STATUSES, SCAN_ALERT_KINDS, TaskStatus, Timeliness


def due_soon_boundary(today: datetime.date) -> datetime.date:
    """Deadlines on or before this date are "due soon": at most N working
    days are left before them.

    That is every day before the (N+1)-th working day after ``today``: a
    deadline that falls on a weekend or a holiday (Tết) right after the N-th
    working day leaves no more working time than the N-th working day
    itself, so it is due soon too."""
    n = settings.TRACKER_DUE_SOON_WORKING_DAYS
    return add_working_days(today, n + 1) - datetime.timedelta(days=1)


def timeliness_expression(today: datetime.date) -> Case:
    """The one definition of timeliness.

    Done: on time when the completion date is on or before the latest
    approved deadline, late otherwise. Submitted work that reached the leader
    by the deadline is not overdue while it waits. Open work: overdue after
    the deadline, due soon within N working days, else within deadline.
    Cancelled tasks have no timeliness (NULL).
    """
    soon = due_soon_boundary(today)
    return Case(
        When(status=TaskStatus.CANCELLED, then=Value(None)),
        When(
            status=TaskStatus.DONE,
            completed_on__lte=F("deadline"),
            then=Value(Timeliness.DONE_ON_TIME.value),
        ),
        When(status=TaskStatus.DONE, then=Value(Timeliness.DONE_LATE.value)),
        When(
            status=TaskStatus.SUBMITTED,
            submitted_on__lte=F("deadline"),
            then=Value(Timeliness.ON_TRACK.value),
        ),
        When(deadline__lt=today, then=Value(Timeliness.OVERDUE.value)),
        When(deadline__lte=soon, then=Value(Timeliness.DUE_SOON.value)),
        default=Value(Timeliness.ON_TRACK.value),
        output_field=models.CharField(max_length=16, null=True),
    )


def _index_hint(klass: str, today: datetime.date) -> Q:
    """A necessary condition for each class that the indexes can serve.

    It never decides a row's class (the CASE above does); it only lets
    PostgreSQL skip rows that cannot be in the class."""
    if klass == Timeliness.OVERDUE:
        return Q(status__in=OPEN_STATUSES, deadline__lt=today)
    if klass == Timeliness.DUE_SOON:
        return Q(status__in=OPEN_STATUSES, deadline__gte=today)
    if klass == Timeliness.ON_TRACK:
        return Q(status__in=OPEN_STATUSES)
    return Q(status=TaskStatus.DONE)


class TaskQuerySet(models.QuerySet):
    # The day the "timeliness" annotation was computed for, carried along
    # the chain so that a later filter uses the same day for its index hint.
    _timeliness_today: datetime.date | None = None

    def _clone(self):
        clone = super()._clone()
        clone._timeliness_today = self._timeliness_today
        return clone

    def with_timeliness(self, today: datetime.date | None = None) -> "TaskQuerySet":
        today = today or local_today()
        qs = self.annotate(timeliness=timeliness_expression(today))
        qs._timeliness_today = today
        return qs

    def filter_timeliness(
        self, *classes: str, today: datetime.date | None = None
    ) -> "TaskQuerySet":
        """Tasks whose timeliness is one of ``classes``.

        On a queryset already annotated by ``with_timeliness(day)`` (and no
        other ``today`` given) the filter keeps that day, so the rows are
        exactly those whose annotation shows one of the classes."""
        annotated = "timeliness" in self.query.annotations
        if annotated and today in (None, self._timeliness_today):
            qs, today = self, self._timeliness_today
        else:
            qs = self.with_timeliness(today)
            today = qs._timeliness_today
        if today is None:
            # Annotated by hand with an unknown day: no hint, the CASE decides.
            return qs.filter(timeliness__in=list(classes))
        hint = Q(pk__in=[])
        for klass in classes:
            hint |= _index_hint(klass, today)
        return qs.filter(hint, timeliness__in=list(classes))

    def overdue(self, today: datetime.date | None = None) -> "TaskQuerySet":
        return self.filter_timeliness(Timeliness.OVERDUE, today=today)

    def open(self) -> "TaskQuerySet":
        return self.filter(status__in=OPEN_STATUSES)

    def in_subtree(self, unit) -> "TaskQuerySet":
        return self.filter(lead_unit__path__startswith=unit.path)

    def visible_to(self, user) -> "TaskQuerySet":
        """Tasks the user may see. Leaders and reviewers: every task led by a
        unit in their subtrees. Staff: their unit's tasks, tasks assigned to
        them, tasks their unit coordinates. Superusers: all."""
        scope = get_scope(user)
        if scope.is_all:
            return self.all()
        if not getattr(user, "is_authenticated", False):
            return self.none()
        q = Q(assignee_id=user.pk) | Q(accountable_leader_id=user.pk)
        q |= scope.path_q("lead_unit__", scope.subtree_paths + scope.inherited_paths)
        if scope.staff_unit_ids:
            q |= Q(lead_unit_id__in=scope.staff_unit_ids)
            coordinated = self.model.coordinating_units.through.objects.filter(
                task_id=OuterRef("pk"), unit_id__in=scope.staff_unit_ids
            )
            q |= Q(Exists(coordinated))
        return self.filter(q)


class AlertQuerySet(models.QuerySet):
    def of_recipient(self, user) -> "AlertQuerySet":
        """The user's own alerts, newest first, with what a list shows."""
        return (
            self.filter(recipient=user)
            .select_related("task", "actor")
            .order_by("-created_at", "-pk")
        )

    def unread_for(self, user) -> "AlertQuerySet":
        return self.filter(recipient=user, read_at__isnull=True)

    def unsent(self) -> "AlertQuerySet":
        """Ledger alerts still to be e-mailed (event rows are in-app only)."""
        return self.filter(emailed_at__isnull=True, kind__in=SCAN_ALERT_KINDS)
