"""The alert ledger: the ladder scan and the e-mail send.

The scan selects by state — open tasks whose deadline that counts has
reached a step of the ladder, with no alert of that step yet for (task, that
deadline, recipient) — so a rerun finds nothing left, and a tick lost while
the broker was down is caught up by the next one. Rows are written by
``INSERT … SELECT … ON CONFLICT DO NOTHING`` (``bulk_create(
ignore_conflicts=True)`` off PostgreSQL) against the ledger's partial
unique constraint: that, not a lock, is what makes two scans at once, a
second beat or a retried job harmless. Each step alerts each of its
recipients once per task and deadline. The scan never writes to task rows.

Catch-up window. An alert tells someone that something has just happened:
a task has become overdue, or has stayed overdue long enough to go up a
rung. A step is written from its day (the deadline plus the step's working
days) until ``TRACKER_ALERT_CATCH_UP_WORKING_DAYS`` working days after it
(``DEFAULT_CATCH_UP_WORKING_DAYS``, 10: two working weeks; None: for ever).
Within the window a late scan — beats lost while Redis was down, workers
stopped over a long weekend — writes every step it missed, once. After it
the step is history, not news, and is not written: on the first scan of an
installation that imports a backlog, a task overdue for 100 days does not
mail its assignee "overdue", its unit head "+3 days" and every reviewer
above it "+10 days" at once; it is shown as overdue (with its days) in
every list, dashboard and export, which is where a backlog is read. Each
step has its own window, so a later step whose day is recent is still
written. Working days, not calendar days: Tết does not close a window.
Due soon needs no window (it ends at the deadline), and requests for
explanation follow the same rule from their own due date. A new deadline
(an approved extension) opens a fresh ladder, windows included.

The send e-mails ledger rows not sent yet, one row per short transaction,
each row locked with ``SELECT … FOR UPDATE SKIP LOCKED`` so that two
senders never take the same row. Delivery is at least once: a worker killed
after the mail server accepted a message but before the commit sends that
one message again on the next run; nothing else is ever sent twice.

``email_attempts`` counts tries; a row stops being tried when it reaches
``TRACKER_ALERT_EMAIL_MAX_ATTEMPTS`` (5 unless set). Rows that can never be
sent — a recipient without an e-mail address, or a task that is no longer
in the state the alert speaks of (done, cancelled, deadline extended) by
the time the send runs — are given up at once: ``emailed_at`` stays empty
(no mail went out), ``email_attempts`` is set to the maximum and
``last_error`` says why. The alert is still shown in the app.
"""

import datetime
import logging
import smtplib

from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.core.mail import EmailMultiAlternatives, mailers
from django.db import connection, transaction
from django.db.models import F
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from units.choices import Role
from units.models import Membership, Unit

from .calendar import add_working_days, latest_deadline_reached
from .choices import (
    LEADER_ROLES,
    SCAN_ALERT_KINDS,
    AlertKind,
    EmailMode,
    LadderRole,
    LadderTrack,
    ScanStatus,
    TaskStatus,
    Timeliness,
)
from .models import (
    Alert,
    AlertPreference,
    ExplanationRequest,
    LadderStep,
    ScanRun,
    Task,
)

logger = logging.getLogger(__name__)

SCAN_OVERDUE_JOB = "tasks.scan_overdue"
SEND_PENDING_JOB = "tasks.send_pending_alerts"
SEND_DIGEST_JOB = "tasks.send_alert_digests"

# How many working days after its day a ladder step is still written when
# no scan wrote it on time (see the module docstring).
DEFAULT_CATCH_UP_WORKING_DAYS = 10

# After this many failures in a row (not counting a refused address) the
# mail server is taken to be down: the run stops and the next one retries.
CONSECUTIVE_FAILURES_TO_STOP = 3

# Which timeliness class a ledger kind speaks of: the send re-checks it.
_KIND_TIMELINESS = {
    AlertKind.OVERDUE: Timeliness.OVERDUE,
    AlertKind.ESCALATION: Timeliness.OVERDUE,
    AlertKind.DUE_SOON: Timeliness.DUE_SOON,
}


def max_email_attempts() -> int:
    return getattr(settings, "TRACKER_ALERT_EMAIL_MAX_ATTEMPTS", 5)


# --- scan runs ---------------------------------------------------------------


def _start_run(job: str) -> ScanRun:
    return ScanRun.objects.create(job=job, started_at=timezone.now())


def _finish_run(run: ScanRun, *, error: BaseException | None = None) -> None:
    run.finished_at = timezone.now()
    if error is None:
        run.status = ScanStatus.OK
    else:
        run.status = ScanStatus.FAILED
        text = str(error) if isinstance(error, _MailServerDown) else None
        run.error = (text or f"{type(error).__name__}: {error}")[:4000]
    try:
        run.save(
            update_fields=[
                "finished_at",
                "status",
                "created_count",
                "sent_count",
                "failed_count",
                "error",
            ]
        )
    except Exception:
        # The database may be what failed; the job's own error is the one
        # that matters, so it is the one re-raised.
        if error is None:
            raise
        logger.exception("Could not record the failure of scan run %s", run.pk)


# --- the ladder scan ---------------------------------------------------------


# The default ladder (a data migration installs it on a fresh database):
# (track, kind, working days — None: the due-soon window —, recipients).
DEFAULT_LADDER = [
    ("task", "due_soon", None, {"to_assignee": True}),
    ("task", "overdue", 0, {"to_assignee": True, "to_leader": True}),
    ("task", "escalation", 3, {"to_unit_head": True, "to_assigner": True}),
    ("task", "escalation", 10, {"to_reviewers": True}),
    (
        "explanation",
        "explanation_overdue",
        0,
        {"to_assignee": True, "to_leader": True, "to_unit_head": True},
    ),
    (
        "explanation",
        "explanation_overdue",
        3,
        {"to_requester": True, "to_unit_head": True},
    ),
]


def install_default_ladder(step_model=None) -> list:
    """Create the default ladder unless some ladder exists. ``step_model``:
    the historical model, when called from a migration."""
    step_model = step_model or LadderStep
    if step_model.objects.exists():
        return []
    due_soon_days = getattr(settings, "TRACKER_DUE_SOON_WORKING_DAYS", 3)
    return [
        step_model.objects.create(
            track=track,
            kind=kind,
            working_days=due_soon_days if days is None else days,
            **recipients,
        )
        for track, kind, days, recipients in DEFAULT_LADDER
    ]


def active_steps(track: str = LadderTrack.TASK) -> list[LadderStep]:
    return list(LadderStep.objects.filter(track=track, is_active=True))


def step_due_soon_boundary(today: datetime.date, working_days: int) -> datetime.date:
    """Deadlines on or before this date have at most ``working_days``
    working days left (the same rule as ``querysets.due_soon_boundary``)."""
    return add_working_days(today, working_days + 1) - datetime.timedelta(days=1)


def catch_up_working_days() -> int | None:
    """For how many working days after its day a step is still written
    (``TRACKER_ALERT_CATCH_UP_WORKING_DAYS``; None: for ever)."""
    return getattr(
        settings, "TRACKER_ALERT_CATCH_UP_WORKING_DAYS", DEFAULT_CATCH_UP_WORKING_DAYS
    )


def step_day(deadline: datetime.date, working_days: int) -> datetime.date:
    """The first day a step of ``working_days`` after the deadline applies:
    the day after the deadline for 0 (overdue as soon as it has passed),
    else the ``working_days``-th working day after it."""
    if working_days == 0:
        return deadline + datetime.timedelta(days=1)
    return add_working_days(deadline, working_days)


def earliest_fresh_deadline(
    today: datetime.date, working_days: int, catch_up: int
) -> datetime.date:
    """The earliest deadline whose step (``working_days`` after it) is
    still news on ``today``: its step day at most ``catch_up`` working days
    ago, ``add_working_days(step_day(d), catch_up) >= today``. Both are
    monotonic in ``d``, so every later deadline is news as well."""
    one_day = datetime.timedelta(days=1)
    day = today
    while add_working_days(step_day(day - one_day, working_days), catch_up) >= today:
        day -= one_day
    return day


def step_window(
    step: LadderStep, today: datetime.date
) -> tuple[str, datetime.date | None, datetime.date]:
    """(timeliness class, earliest deadline or None, latest deadline) of the
    tasks a step applies to on ``today``.

    Due soon: due soon today (so not before today), with at most the
    step's working days left. Overdue and escalations: overdue today, the
    step's working days after the deadline reached, and — the catch-up rule
    of the module docstring — not more than ``catch_up_working_days()``
    working days after that."""
    if step.kind == AlertKind.DUE_SOON:
        latest = step_due_soon_boundary(today, step.working_days)
        return Timeliness.DUE_SOON, today, latest
    latest = latest_deadline_reached(today, step.working_days)
    catch_up = catch_up_working_days()
    if catch_up is None:
        return Timeliness.OVERDUE, None, latest
    earliest = earliest_fresh_deadline(today, step.working_days, catch_up)
    return Timeliness.OVERDUE, earliest, latest


def _in_window(qs, earliest: datetime.date | None, latest: datetime.date):
    qs = qs.filter(deadline__lte=latest)
    return qs if earliest is None else qs.filter(deadline__gte=earliest)


def step_tasks(step: LadderStep, today: datetime.date):
    """The tasks a ladder step applies to on ``today``: the timeliness class
    of its kind (the one definition, ``filter_timeliness``) in the step's
    window of deadlines (``step_window``)."""
    klass, earliest, latest = step_window(step, today)
    return _in_window(
        Task.objects.filter_timeliness(klass, today=today), earliest, latest
    )


def overdue_tasks_missing_alerts(today: datetime.date):
    """Open tasks past their deadline: what the overdue step applies to
    (kept for callers that want the overdue set)."""
    return Task.objects.filter_timeliness(Timeliness.OVERDUE, today=today)


def _role_columns(step: LadderStep) -> list[tuple[str, str]]:
    """(recipient column of the candidate row, role) for the step's direct
    recipients; reviewers are looked up separately."""
    columns = {
        LadderRole.ASSIGNEE: "c_assignee",
        LadderRole.LEADER: "c_leader",
        LadderRole.UNIT_HEAD: "c_head",
        LadderRole.ASSIGNER: "c_assigner",
    }
    return [(columns[r], r) for r in step.roles if r in columns]


def _is_mandatory(step: LadderStep, role: str) -> bool:
    return step.is_escalation and role in LEADER_ROLES


_CANDIDATE_COLUMNS = {
    "c_id": F("pk"),
    "c_deadline": F("deadline"),
    "c_assignee": F("assignee_id"),
    "c_leader": F("accountable_leader_id"),
    "c_assigner": F("assigned_by_id"),
    "c_head": F("lead_unit__head_id"),
    "c_path": F("lead_unit__path"),
}


def _candidates(windows: list, today: datetime.date):
    """The tasks some step applies to: the timeliness classes of the steps,
    deadlines in the union of their windows. Each step's own window is
    applied to these rows in SQL (``_insert_select_sql``)."""
    classes = sorted({klass for _step, (klass, _lo, _hi) in windows})
    earliest = [lo for _step, (_klass, lo, _hi) in windows]
    qs = Task.objects.filter_timeliness(*classes, today=today).order_by()
    return _in_window(
        qs,
        None if None in earliest else min(earliest),
        max(hi for _step, (_klass, _lo, hi) in windows),
    )


def _reviewer_paths() -> tuple[list[str], list[int]]:
    """(unit path, user id) of every reviewer of an active unit, as two
    arrays for the SQL path: a reviewer alerted about a task is one whose
    unit's path is a prefix of the task's lead unit's path."""
    pairs = list(
        Membership.objects.filter(role=Role.REVIEWER, unit__is_active=True)
        .order_by()
        .values_list("unit__path", "user_id")
    )
    return [p for p, _u in pairs], [u for _p, u in pairs]


def _insert_select_sql(
    windows: list, candidates, reviewers
) -> tuple[str | None, list, list]:
    """One ``INSERT … SELECT … ON CONFLICT DO NOTHING`` writing the alerts
    of every step in ``windows`` — (step, its window) pairs — for the tasks
    of ``candidates`` (a queryset compiled by the ORM, so the timeliness
    definition is the one in ``tasks.querysets``) whose ids are in a range:
    the SQL ends with the range's two bounds as parameters, ``lo <= id <
    hi``, between the two lists of parameters returned with it. The tasks
    of the range are read once for all the steps.

    One candidate row per (step, task, recipient): the assignee and the
    leader being one person gives one row, the mandatory role winning. The
    look-up in the ledger keeps a rerun from proposing (and burning ids on)
    rows the ledger has; ``ON CONFLICT DO NOTHING`` settles a race with
    another scan. The look-up is a ``LATERAL`` subquery with ``LIMIT 1``,
    not a ``NOT EXISTS``: PostgreSQL cannot turn it into a join that hashes
    the ledger, so each proposed row costs one probe of the ledger's key,
    whatever the ledger's size and however stale its statistics (in the
    middle of a first run they say it is empty while it fills up)."""
    inner = candidates.values(**_CANDIDATE_COLUMNS, c_class=F("timeliness"))
    inner_sql, inner_params = inner.query.sql_with_params()
    parts, params = [], []
    for step, (klass, earliest, latest) in windows:
        where = "t.c_class = %s AND t.c_deadline <= %s"
        where_params = [klass.value, latest]
        if earliest is not None:
            where += " AND t.c_deadline >= %s"
            where_params.append(earliest)
        for column, role in _role_columns(step):
            parts.append(
                f"SELECT %s, %s, t.c_id, t.c_deadline, t.{column}, %s, %s "
                f"FROM t WHERE {where}"
            )
            params += [step.pk, step.kind, role.value, _is_mandatory(step, role)]
            params += where_params
        if step.to_reviewers and reviewers[0]:
            # Each ancestor's path (a prefix of the task's unit's path, one
            # tree step at a time) is looked up among the reviewers' units.
            steplen = Unit.steplen
            parts.append(
                "SELECT %s, %s, t.c_id, t.c_deadline, v.user_id, %s, %s FROM t "
                "CROSS JOIN LATERAL "
                f"generate_series({steplen}, length(t.c_path), {steplen}) g "
                "JOIN unnest(%s::text[], %s::bigint[]) AS v(path, user_id) "
                "ON v.path = substr(t.c_path, 1, g) "
                f"WHERE {where}"
            )
            params += [
                step.pk,
                step.kind,
                LadderRole.REVIEWER.value,
                _is_mandatory(step, LadderRole.REVIEWER),
                *reviewers,
                *where_params,
            ]
    if not parts:
        # Nobody to alert: reviewers only, and no unit has any.
        return None, [], []
    alert = Alert._meta.db_table
    sql = (
        f"WITH t AS MATERIALIZED (SELECT * FROM ({inner_sql}) c "
        "WHERE c.c_id >= %s AND c.c_id < %s), "
        "r(step_id, kind, task_id, deadline, recipient_id, role, mandatory) AS ("
        + " UNION ALL ".join(parts)
        + f") INSERT INTO {alert} (task_id, deadline, kind, step_id, recipient_id, "
        "role, mandatory, message, created_at, email_attempts, last_error) "
        "SELECT DISTINCT ON (r.step_id, r.task_id, r.recipient_id) r.task_id, "
        "r.deadline, r.kind, r.step_id, r.recipient_id, r.role, r.mandatory, '', "
        "%s, 0, '' FROM r LEFT JOIN LATERAL ("
        f"SELECT 1 AS found FROM {alert} a WHERE a.step_id IS NOT NULL "
        "AND a.step_id = r.step_id AND a.task_id = r.task_id "
        "AND a.deadline = r.deadline AND a.recipient_id = r.recipient_id LIMIT 1"
        ") ledger ON true "
        "WHERE r.recipient_id IS NOT NULL AND ledger.found IS NULL "
        "ORDER BY r.step_id, r.task_id, r.recipient_id, r.mandatory DESC "
        "ON CONFLICT DO NOTHING"
    )
    return sql, inner_params, [*params, timezone.now()]


def _id_ranges(candidates, batch_size: int, id_span: int):
    """Ranges ``[lo, hi)`` of task ids, each holding at most ``batch_size``
    candidate tasks whose ids lie within ``id_span`` of its first one;
    stretches of ids without a candidate cost nothing. The first range
    starts at 0 and the last ends after the largest id, so a task that
    becomes a candidate while the scan runs is in some range. Reads the
    candidates' ids in chunks: memory stays flat."""
    ids = candidates.order_by("pk").values_list("pk", flat=True)
    lo, first, count = 0, None, 0
    for pk in ids.iterator(chunk_size=max(batch_size, 2000)):
        if first is not None and (count >= batch_size or pk - first >= id_span):
            yield lo, pk
            lo, count = pk, 0
        if count == 0:
            first = pk
        count += 1
    if first is not None:
        yield lo, _MAX_ID


# Above every bigint id: the upper bound of the last range.
_MAX_ID = 2**63 - 1


def _scan_steps_sql(
    steps: list[LadderStep], today: datetime.date, batch_size: int, id_span: int
) -> int:
    """The task steps on PostgreSQL: one ``INSERT … SELECT`` for all the
    steps per range of task ids (``_id_ranges``), each its own short
    statement and transaction, so memory stays flat and no transaction
    holds the ledger."""
    if not steps:
        return 0
    windows = [(step, step_window(step, today)) for step in steps]
    candidates = _candidates(windows, today)
    reviewers = _reviewer_paths() if any(s.to_reviewers for s in steps) else None
    sql, before, after = _insert_select_sql(windows, candidates, reviewers)
    if sql is None:
        return 0
    created = 0
    # The ranges (a few numbers) are listed before writing, so that no
    # cursor stays open across the writes' commits.
    for lo, hi in list(_id_ranges(candidates, batch_size, id_span)):
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(sql, [*before, lo, hi, *after])
            created += max(cursor.rowcount, 0)
    return created


def _reviewers_by_path() -> dict[str, list[int]]:
    rows = Membership.objects.filter(
        role=Role.REVIEWER, unit__is_active=True
    ).values_list("unit__path", "user_id")
    found: dict[str, list[int]] = {}
    for path, user_id in rows:
        found.setdefault(path, []).append(user_id)
    return found


def _recipients(step: LadderStep, row: dict, reviewers: dict) -> dict[int, tuple]:
    """recipient id → (role, mandatory) for one candidate row (the ORM path)."""
    found: dict[int, tuple] = {}
    for column, role in _role_columns(step):
        user_id = row[column]
        if user_id is None:
            continue
        mandatory = _is_mandatory(step, role)
        if user_id not in found or (mandatory and not found[user_id][1]):
            found[user_id] = (role, mandatory)
    if step.to_reviewers:
        mandatory = _is_mandatory(step, LadderRole.REVIEWER)
        for path, users in reviewers.items():
            if row["c_path"].startswith(path):
                for user_id in users:
                    if user_id not in found or (mandatory and not found[user_id][1]):
                        found[user_id] = (LadderRole.REVIEWER, mandatory)
    return found


def _scan_step_orm(step: LadderStep, today: datetime.date, batch_size: int) -> int:
    """The step on other databases (SQLite): keyset batches through the ORM,
    ``bulk_create(ignore_conflicts=True)`` against the ledger's key."""
    reviewers = _reviewers_by_path() if step.to_reviewers else {}
    candidates = (
        step_tasks(step, today)
        .order_by("pk")
        .values(
            c_id=F("pk"),
            c_deadline=F("deadline"),
            c_assignee=F("assignee_id"),
            c_leader=F("accountable_leader_id"),
            c_assigner=F("assigned_by_id"),
            c_head=F("lead_unit__head_id"),
            c_path=F("lead_unit__path"),
        )
    )
    created, last_pk = 0, 0
    while True:
        batch = list(candidates.filter(pk__gt=last_pk)[:batch_size])
        if not batch:
            return created
        last_pk = batch[-1]["c_id"]
        existing = set(
            Alert.objects.filter(
                step=step, task_id__in=[r["c_id"] for r in batch]
            ).values_list("task_id", "deadline", "recipient_id")
        )
        rows = [
            Alert(
                task_id=row["c_id"],
                deadline=row["c_deadline"],
                kind=step.kind,
                step=step,
                recipient_id=user_id,
                role=role,
                mandatory=mandatory,
            )
            for row in batch
            for user_id, (role, mandatory) in _recipients(step, row, reviewers).items()
            if (row["c_id"], row["c_deadline"], user_id) not in existing
        ]
        with transaction.atomic():
            Alert.objects.bulk_create(rows, ignore_conflicts=True)
        created += len(rows)
        if len(batch) < batch_size:
            return created


def _scan_explanations(step: LadderStep, today: datetime.date) -> int:
    """Unanswered requests for explanation past their own due date (plus
    the step's working days): alerts keyed on the request's due date. The
    requests are few; the ORM does it on every database."""
    cutoff = latest_deadline_reached(today, step.working_days)
    requests = ExplanationRequest.objects.filter(
        answered_at__isnull=True, due_date__lt=today, due_date__lte=cutoff
    )
    catch_up = catch_up_working_days()
    if catch_up is not None:
        requests = requests.filter(
            due_date__gte=earliest_fresh_deadline(today, step.working_days, catch_up)
        )
    requests = requests.exclude(task__status=TaskStatus.CANCELLED).select_related(
        "task", "unit"
    )
    reviewers = _reviewers_by_path() if step.to_reviewers else {}
    rows = []
    for request in requests.iterator(chunk_size=2000):
        task = request.task
        row = {
            "c_assignee": task.assignee_id,
            "c_leader": task.accountable_leader_id,
            "c_assigner": task.assigned_by_id,
            "c_head": request.unit.head_id,
            "c_path": request.unit.path,
        }
        found = _recipients(step, row, reviewers)
        if step.to_requester:
            found[request.requested_by_id] = (
                LadderRole.REQUESTER,
                _is_mandatory(step, LadderRole.REQUESTER),
            )
        rows.extend(
            Alert(
                task_id=task.pk,
                deadline=request.due_date,
                kind=step.kind,
                step=step,
                recipient_id=user_id,
                role=role,
                mandatory=mandatory,
                message=_("Yêu cầu giải trình chưa được trả lời."),
            )
            for user_id, (role, mandatory) in found.items()
        )
    existing = set(
        Alert.objects.filter(
            step=step, task_id__in={a.task_id for a in rows}
        ).values_list("task_id", "deadline", "recipient_id")
    )
    rows = [a for a in rows if (a.task_id, a.deadline, a.recipient_id) not in existing]
    with transaction.atomic():
        created = Alert.objects.bulk_create(rows, ignore_conflicts=True)
    if connection.vendor == "postgresql":
        # Rows a concurrent scan wrote first come back without a primary key.
        return sum(1 for a in created if a.pk is not None)
    return len(rows)


def uses_insert_select() -> bool:
    return connection.vendor == "postgresql"


def alerts_scan_overdue(
    *,
    today: datetime.date | None = None,
    batch_size: int | None = None,
    enqueue_send: bool = True,
) -> ScanRun:
    """Walk the alert ladder: write every alert that is due and not written.

    For each active step (due soon, overdue, escalations; then the steps of
    unanswered requests for explanation), each recipient the step names
    gets one alert per task and deadline — the ledger's key — so a rerun
    finds nothing left, and a task done, cancelled or extended meanwhile is
    no longer selected. A step missed for longer than the catch-up window
    is not written (see the module docstring). On PostgreSQL the task steps
    are one ``INSERT … SELECT … ON CONFLICT DO NOTHING`` per range of task
    ids, all steps at once; elsewhere keyset batches through the ORM, step
    by step. Never writes to task rows.

    Records a ``ScanRun``. When rows were created (and ``enqueue_send``),
    the e-mail send is enqueued after commit; a broker failure there is
    logged and left to the next beat of the send job.
    """
    today = today or timezone.localdate()
    batch_size = batch_size or settings.TRACKER_ALERT_BATCH_SIZE
    id_range = settings.TRACKER_ALERT_SCAN_ID_RANGE
    run = _start_run(SCAN_OVERDUE_JOB)
    try:
        steps = active_steps(LadderTrack.TASK)
        if uses_insert_select():
            run.created_count += _scan_steps_sql(steps, today, batch_size, id_range)
        else:
            for step in steps:
                run.created_count += _scan_step_orm(step, today, batch_size)
        for step in active_steps(LadderTrack.EXPLANATION):
            run.created_count += _scan_explanations(step, today)
    except Exception as exc:
        _finish_run(run, error=exc)
        raise
    _finish_run(run)
    logger.info("Alert scan for %s: %d alert(s) created", today, run.created_count)
    if run.created_count and enqueue_send:
        transaction.on_commit(_enqueue_send)
    return run


def _enqueue_send() -> None:
    from .jobs import enqueue_send  # jobs import this module

    enqueue_send()


# --- the e-mail send ---------------------------------------------------------

SENT, FAILED, GIVEN_UP, SKIPPED = "sent", "failed", "given_up", "skipped"


class _MailServerDown(Exception):
    pass


def alerts_send_pending(*, limit: int = 500) -> ScanRun:
    """E-mail ledger alerts not sent yet, oldest first, at most ``limit``.

    Each alert is locked (``SKIP LOCKED``: another sender's rows are left to
    it) and re-checked in its own transaction, then one message is sent and
    the row marked. A failed send records the error and the attempt and is
    retried by a later run, up to the maximum attempts. Records a
    ``ScanRun`` with the counts.
    """
    run = _start_run(SEND_PENDING_JOB)
    today = timezone.localdate()
    maximum = max_email_attempts()
    mailer = None
    failures_in_a_row = 0
    try:
        mailer = mailers.default
        pending = list(
            Alert.objects.filter(
                kind__in=SCAN_ALERT_KINDS,
                emailed_at__isnull=True,
                email_attempts__lt=maximum,
            )
            # Digest readers get theirs from the digest, bar the mandatory.
            .exclude(
                mandatory=False,
                recipient__alert_preference__email_mode=EmailMode.DIGEST,
            )
            .order_by("created_at", "pk")
            .values_list("pk", flat=True)[:limit]
        )
        for pk in pending:
            outcome, refused = _send_one(
                pk, mailer=mailer, today=today, maximum=maximum
            )
            if outcome == SENT:
                run.sent_count += 1
                failures_in_a_row = 0
            elif outcome in (FAILED, GIVEN_UP):
                run.failed_count += 1
                if outcome == FAILED and not refused:
                    failures_in_a_row += 1
                    _close_quietly(mailer)
            if failures_in_a_row >= CONSECUTIVE_FAILURES_TO_STOP:
                raise _MailServerDown(
                    _("Dừng sau %(n)d lần gửi thư lỗi liên tiếp; lượt sau sẽ gửi tiếp.")
                    % {"n": failures_in_a_row}
                )
    except _MailServerDown as exc:
        # Shown as a failed run, but not raised: the rows keep their errors
        # and the next beat of this job tries them again.
        _close_quietly(mailer)
        _finish_run(run, error=exc)
        return run
    except Exception as exc:
        _close_quietly(mailer)
        _finish_run(run, error=exc)
        raise
    _close_quietly(mailer)
    _finish_run(run)
    logger.info("Alert send: %d sent, %d not sent", run.sent_count, run.failed_count)
    return run


def _close_quietly(mailer) -> None:
    if mailer is None:
        return
    try:
        mailer.close()
    except Exception:
        logger.debug("Closing the mailer failed", exc_info=True)


def _still_relevant(alert: Alert, today: datetime.date) -> bool:
    if alert.kind == AlertKind.EXPLANATION_OVERDUE:
        return ExplanationRequest.objects.filter(
            task_id=alert.task_id, due_date=alert.deadline, answered_at__isnull=True
        ).exists()
    klass = _KIND_TIMELINESS.get(alert.kind)
    if klass is None:
        return True
    return (
        Task.objects.filter_timeliness(klass, today=today)
        .filter(pk=alert.task_id, deadline=alert.deadline)
        .exists()
    )


def _give_up(alert: Alert, reason: str, maximum: int) -> None:
    alert.email_attempts = max(alert.email_attempts, maximum)
    alert.last_error = reason
    alert.save(update_fields=["email_attempts", "last_error"])


def _send_one(
    pk: int, *, mailer, today: datetime.date, maximum: int
) -> tuple[str, bool]:
    """Send one alert's e-mail in its own transaction. Returns the outcome
    and whether a failure was the server refusing that address."""
    with transaction.atomic():
        alert = (
            Alert.objects.select_for_update(skip_locked=True, of=("self",))
            .select_related("task", "task__lead_unit", "recipient")
            .filter(pk=pk, emailed_at__isnull=True, email_attempts__lt=maximum)
            .first()
        )
        if alert is None:
            # Sent meanwhile, or being sent right now by another worker.
            return SKIPPED, False
        if not alert.recipient.email:
            _give_up(alert, _("Người nhận chưa có địa chỉ thư điện tử."), maximum)
            return GIVEN_UP, False
        if not alert.mandatory and email_mode(alert.recipient) == EmailMode.OFF:
            _give_up(
                alert,
                _("Người nhận chọn không nhận thư (chỉ xem trong ứng dụng)."),
                maximum,
            )
            return GIVEN_UP, False
        if not _still_relevant(alert, today):
            _give_up(
                alert,
                _(
                    "Không gửi: nhiệm vụ đã hoàn thành, bị hủy hoặc đã đổi hạn "
                    "trước khi thư được gửi."
                ),
                maximum,
            )
            return GIVEN_UP, False
        alert.email_attempts += 1
        try:
            sent = mailer.send_messages([build_alert_email(alert, today=today)])
            if not sent:
                raise smtplib.SMTPException(_("Máy chủ thư không nhận thư."))
        except SoftTimeLimitExceeded:
            raise
        except Exception as exc:
            alert.last_error = f"{type(exc).__name__}: {exc}"[:2000]
            alert.save(update_fields=["email_attempts", "last_error"])
            logger.warning("Alert %s: e-mail failed: %s", alert.pk, alert.last_error)
            return FAILED, isinstance(exc, smtplib.SMTPRecipientsRefused)
        alert.emailed_at = timezone.now()
        alert.last_error = ""
        alert.save(update_fields=["emailed_at", "email_attempts", "last_error"])
        return SENT, False


def email_mode(user) -> str:
    try:
        return user.alert_preference.email_mode
    except AlertPreference.DoesNotExist:
        return EmailMode.IMMEDIATE


def _role_label(alert: Alert) -> str:
    task = alert.task
    if alert.role:
        return str(LadderRole(alert.role).label)
    if alert.recipient_id == task.assignee_id:
        return _("người thực hiện")
    if alert.recipient_id == task.accountable_leader_id:
        return _("lãnh đạo chịu trách nhiệm")
    return ""


# --- the daily digest ---------------------------------------------------------


def last_digest_moment(hour: int, now: datetime.datetime) -> datetime.datetime:
    """The latest local ``hour``:00 at or before ``now``."""
    local = timezone.localtime(now)
    moment = local.replace(hour=hour, minute=0, second=0, microsecond=0)
    if moment > local:
        moment -= datetime.timedelta(days=1)
    return moment


def alerts_send_digests(*, now: datetime.datetime | None = None) -> ScanRun:
    """One e-mail a day per person who chose the digest, at their hour.

    Selected by state, not by clock ticks: a digest reader's ledger alerts
    not e-mailed yet and created before their latest digest hour are due,
    so a beat tick lost while the broker was down is caught up by the next.
    Each person's alerts are locked (``SKIP LOCKED``) and marked sent in one
    transaction with the message. Mandatory alerts never wait for a digest.
    """
    now = now or timezone.now()
    today = timezone.localdate(now)
    maximum = max_email_attempts()
    run = _start_run(SEND_DIGEST_JOB)
    mailer = None
    try:
        mailer = mailers.default
        readers = AlertPreference.objects.filter(
            email_mode=EmailMode.DIGEST
        ).values_list("user_id", "digest_hour")
        for user_id, hour in readers:
            cutoff = last_digest_moment(hour, now)
            sent, failed = _send_digest(
                user_id, cutoff=cutoff, mailer=mailer, today=today, maximum=maximum
            )
            run.sent_count += sent
            run.failed_count += failed
    except Exception as exc:
        _close_quietly(mailer)
        _finish_run(run, error=exc)
        raise
    _close_quietly(mailer)
    _finish_run(run)
    return run


def _send_digest(user_id, *, cutoff, mailer, today, maximum) -> tuple[int, int]:
    with transaction.atomic():
        due = list(
            Alert.objects.select_for_update(skip_locked=True, of=("self",))
            .select_related("task", "task__lead_unit", "recipient")
            .filter(
                recipient_id=user_id,
                kind__in=SCAN_ALERT_KINDS,
                mandatory=False,
                emailed_at__isnull=True,
                email_attempts__lt=maximum,
                created_at__lt=cutoff,
            )
            .order_by("created_at", "pk")
        )
        if not due:
            return 0, 0
        recipient = due[0].recipient
        if not recipient.email:
            for alert in due:
                _give_up(alert, _("Người nhận chưa có địa chỉ thư điện tử."), maximum)
            return 0, len(due)
        items = []
        for alert in due:
            if _still_relevant(alert, today):
                items.append(alert)
            else:
                _give_up(
                    alert,
                    _("Không gửi: nhiệm vụ đã thay đổi trước giờ gửi thư tổng hợp."),
                    maximum,
                )
        if not items:
            return 0, len(due)
        try:
            sent = mailer.send_messages(
                [build_digest_email(recipient, items, today=today)]
            )
            if not sent:
                raise smtplib.SMTPException(_("Máy chủ thư không nhận thư."))
        except SoftTimeLimitExceeded:
            raise
        except Exception as exc:
            error = f"{type(exc).__name__}: {exc}"[:2000]
            Alert.objects.filter(pk__in=[a.pk for a in items]).update(
                email_attempts=F("email_attempts") + 1, last_error=error
            )
            return 0, len(due)
        Alert.objects.filter(pk__in=[a.pk for a in items]).update(
            emailed_at=timezone.now(),
            email_attempts=F("email_attempts") + 1,
            last_error="",
        )
        return len(items), len(due) - len(items)


def _alert_context(alert: Alert, today: datetime.date) -> dict:
    task = alert.task
    return {
        "alert": alert,
        "task": task,
        "unit": task.lead_unit,
        "deadline": alert.deadline,
        "days_overdue": max((today - alert.deadline).days, 0),
        "is_overdue": alert.kind in (AlertKind.OVERDUE, AlertKind.ESCALATION),
        "is_explanation": alert.kind == AlertKind.EXPLANATION_OVERDUE,
        "recipient_role": _role_label(alert),
        "task_url": settings.SITE_URL + task.get_absolute_url(),
    }


def build_digest_email(recipient, items, *, today) -> EmailMultiAlternatives:
    context = {
        "recipient": recipient,
        "items": [_alert_context(a, today) for a in items],
        "count": len(items),
        "today": today,
        "site_url": settings.SITE_URL,
    }
    with translation.override(settings.LANGUAGE_CODE):
        subject = render_to_string("tasks/email/digest_subject.txt", context)
        text = render_to_string("tasks/email/digest.txt", context)
        html = render_to_string("tasks/email/digest.html", context)
    message = EmailMultiAlternatives(
        subject=" ".join(subject.split())[:250],
        body=text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[recipient.email],
    )
    message.attach_alternative(html, "text/html")
    return message


def build_alert_email(alert: Alert, *, today: datetime.date) -> EmailMultiAlternatives:
    """The e-mail of one ledger alert, in the site's language (Vietnamese):
    subject, plain text and HTML from ``templates/tasks/email/``."""
    recipient = alert.recipient
    context = {
        **_alert_context(alert, today),
        "recipient": recipient,
        "site_url": settings.SITE_URL,
    }
    with translation.override(settings.LANGUAGE_CODE):
        subject = render_to_string("tasks/email/alert_subject.txt", context)
        text = render_to_string("tasks/email/alert.txt", context)
        html = render_to_string("tasks/email/alert.html", context)
    message = EmailMultiAlternatives(
        subject=" ".join(subject.split())[:250],
        body=text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[recipient.email],
    )
    message.attach_alternative(html, "text/html")
    return message


# --- reading in the app --------------------------------------------------------


def alert_mark_read(*, alert: Alert) -> Alert:
    """Mark one alert read. The first reading time stays: a second call, or
    a concurrent one, changes nothing."""
    if alert.read_at is None:
        now = timezone.now()
        Alert.objects.filter(pk=alert.pk, read_at__isnull=True).update(read_at=now)
        alert.read_at = now
    return alert


def alert_mark_all_read(*, user) -> int:
    """Mark every unread alert of the user read; returns how many."""
    return Alert.objects.unread_for(user).update(read_at=timezone.now())
