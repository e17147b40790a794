"""Every write of the accountability app goes through these functions:
views, admin actions, jobs, the demo and the tests call the same ones.

Each owns its transaction, locks what it moves (a month's rounds, a round
then the person's row, a classification period or row), checks the actor's
permission (``appraisal.permissions``) and records who and why in the
history (django-simple-history: ``_history_user`` and ``_change_reason``,
or the bulk helpers with a default user and reason).

A month is computed set-based: two queries count every unit's and person's
tasks (``appraisal.selectors.month_counts``), and the rows are written in
bulk. Confirmed rows are frozen: a computation, a new rule set or a new
proposal run never rewrites them.
"""

import datetime
import statistics
from collections import defaultdict
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import (
    bulk_create_with_history,
    bulk_update_with_history,
)

from tasks.calendar import local_today
from units.choices import Role
from units.models import Membership, Unit, User
from units.scope import get_scope

from . import permissions, rules, selectors
from .choices import Level, PeriodKind, SeatRole
from .models import (
    Classification,
    ClassificationBand,
    ClassificationPeriod,
    ClassificationRuleSet,
    PeerRating,
    PersonScore,
    RuleSet,
    ScoringRound,
)

SCORE_FIELDS = [
    "counted",
    "on_time",
    "hard_done",
    "late",
    "overdue",
    "returned",
    "extended",
    "points",
    "breakdown",
    "rule_set",
]
ROUND_STAT_FIELDS = [
    "people",
    "scored",
    "self_assessed",
    "leader_assessed",
    "confirmed",
    "points_min",
    "points_median",
    "points_max",
    "flat_scores",
    "flat_levels",
]
BATCH = 1000


def _require(allowed: bool, message: str) -> None:
    if not allowed:
        raise PermissionDenied(message)


def _save(obj, *, actor, reason: str) -> None:
    obj._history_user = actor
    obj._change_reason = reason[:100]
    obj.save()


def _level(value: str, field: str) -> str:
    if value not in Level.values:
        raise ValidationError({field: _("Hãy chọn một mức đánh giá.")})
    return value


def _text(value: str) -> str:
    return (value or "").strip()


# The bands of Quy định 366-QĐ/TW (2025): level, points from, on time at
# least %, behind at most %, beyond requirements at least %.
DEFAULT_BANDS = (
    (Level.EXCELLENT, Decimal(90), Decimal(100), None, Decimal(30)),
    (Level.GOOD, Decimal(70), Decimal(100), None, None),
    (Level.DONE, Decimal(50), None, Decimal(20), None),
    (Level.NOT_DONE, Decimal(0), None, None, None),
)


def install_defaults() -> None:
    """The rules in force on a fresh install (as the data migration 0002
    writes them), written again when there is no rule set at all — after a
    test database flush, say. Rule sets that exist are never touched."""
    now = timezone.now()
    try:
        with transaction.atomic():
            if not RuleSet.objects.exists():
                RuleSet.objects.create(
                    version=1,
                    name="Mặc định",
                    note="Bộ quy tắc ban đầu của hệ thống.",
                    is_active=True,
                    activated_at=now,
                )
            if not ClassificationRuleSet.objects.exists():
                rule_set = ClassificationRuleSet.objects.create(
                    version=1,
                    name="Theo Quy định 366-QĐ/TW (2025)",
                    note="Các mức phân loại ban đầu của hệ thống.",
                    is_active=True,
                    activated_at=now,
                )
                for level, points, on_time, behind, beyond in DEFAULT_BANDS:
                    ClassificationBand.objects.create(
                        rule_set=rule_set,
                        level=level,
                        min_points=points,
                        min_on_time_pct=on_time,
                        max_behind_pct=behind,
                        min_beyond_pct=beyond,
                    )
    except IntegrityError:
        pass  # written at the same moment by another request


def active_rule_set() -> RuleSet:
    rule_set = RuleSet.objects.filter(is_active=True).first()
    if rule_set is None:
        install_defaults()
        rule_set = RuleSet.objects.filter(is_active=True).first()
    if rule_set is None:
        raise ValidationError(
            _("Chưa có bộ quy tắc chấm điểm nào đang áp dụng; hãy báo quản trị.")
        )
    return rule_set


def active_classification_rules() -> ClassificationRuleSet:
    rule_set = ClassificationRuleSet.objects.filter(is_active=True).first()
    if rule_set is None:
        install_defaults()
        rule_set = ClassificationRuleSet.objects.filter(is_active=True).first()
    if rule_set is None:
        raise ValidationError(
            _("Chưa có bộ quy tắc phân loại nào đang áp dụng; hãy báo quản trị.")
        )
    return rule_set


def active_bands() -> list:
    """The bands in force (a query; the defaults written when none)."""
    bands = list(ClassificationBand.objects.filter(rule_set__is_active=True))
    if not bands:
        bands = list(active_classification_rules().bands.all())
    return bands


def _bands():
    return active_bands()


def month_label(month: datetime.date) -> str:
    return _("tháng %(m)02d/%(y)s") % {"m": month.month, "y": month.year}


# --- computing a month ------------------------------------------------------------


def _score_values(row, score: rules.Score) -> None:
    inputs = score.inputs
    row.counted = score.counted
    row.on_time = inputs["on_time"]
    row.hard_done = inputs["hard_done"]
    row.late = inputs["late"]
    row.overdue = inputs["overdue"]
    row.returned = inputs["returned"]
    row.extended = inputs["extended"]
    row.points = score.points
    row.breakdown = score.breakdown


def round_stats(round_: ScoringRound, rows, rule_set, bands) -> None:
    """The round's counters, spread and "cào bằng" flags from its people's
    rows (in memory: no query)."""
    rows = list(rows)
    points = sorted(r.points for r in rows if r.points is not None)
    round_.people = len(rows)
    round_.scored = len(points)
    round_.self_assessed = sum(1 for r in rows if r.self_at)
    round_.leader_assessed = sum(1 for r in rows if r.leader_at)
    round_.confirmed = sum(1 for r in rows if r.confirmed_at)
    if points:
        round_.points_min, round_.points_max = points[0], points[-1]
        round_.points_median = Decimal(statistics.median(points)).quantize(rules.TENTH)
    else:
        round_.points_min = round_.points_median = round_.points_max = None
    least = rule_set.flat_min_people if rule_set else 3
    round_.flat_scores = (
        len(points) >= least
        and len({rules.band_for_points(p, bands) for p in points}) == 1
    )
    levels = [r.confirmed_level or r.leader_level for r in rows if r.leader_at]
    round_.flat_levels = (
        len(rows) >= least and len(levels) == len(rows) and len(set(levels)) == 1
    )


def _seats(unit_ids=None) -> dict[tuple[int, int], str]:
    """(unit, person) → how they sit there, for every staff and leader seat
    of an active unit: one query."""
    qs = Membership.objects.filter(
        role__in=(Role.STAFF, Role.LEADER), unit__is_active=True
    )
    if unit_ids is not None:
        qs = qs.filter(unit_id__in=list(unit_ids))
    seats: dict[tuple[int, int], str] = {}
    for unit_id, user_id, role in qs.values_list("unit_id", "user_id", "role"):
        key = (unit_id, user_id)
        if role == Role.LEADER or key not in seats:
            seats[key] = SeatRole.LEADER if role == Role.LEADER else SeatRole.STAFF
    return seats


def _check_month(month: datetime.date, today: datetime.date) -> datetime.date:
    start = selectors.month_start(month)
    if start >= selectors.month_start(today):
        raise ValidationError(
            _("Chỉ chấm điểm tháng đã kết thúc (trước %(m)s).")
            % {"m": month_label(selectors.month_start(today))}
        )
    return start


def _compute_month(
    *,
    month: datetime.date,
    actor: User | None,
    unit: Unit | None = None,
    today: datetime.date | None = None,
) -> dict:
    today = today or local_today()
    start = _check_month(month, today)
    rule_set = active_rule_set()
    bands = _bands()
    unit_ids = [unit.pk] if unit is not None else None
    counts = selectors.month_counts(start, today, unit_ids=unit_ids)
    seats = _seats(unit_ids)
    keys = set(counts) | set(seats)
    units_in = sorted({u for u, _p in keys} | set(unit_ids or ()))
    now = timezone.now()

    ScoringRound.objects.bulk_create(
        [ScoringRound(unit_id=u, month=start) for u in units_in],
        ignore_conflicts=True,
        batch_size=BATCH,
    )
    # Every write to a round (assessments, peer ratings) locks it first: a
    # computation waits for them, and they for it.
    rounds = {
        r.unit_id: r
        for r in ScoringRound.objects.select_for_update()
        .filter(month=start, unit_id__in=units_in)
        .order_by("pk")
    }
    PersonScore.objects.bulk_create(
        [
            PersonScore(
                round=rounds[u], person_id=p, role=seats.get((u, p), SeatRole.STAFF)
            )
            for u, p in sorted(keys)
        ],
        ignore_conflicts=True,
        batch_size=BATCH,
    )
    rows_by_round = defaultdict(list)
    for row in PersonScore.objects.filter(round__in=list(rounds.values())):
        rows_by_round[row.round_id].append(row)

    changed, frozen = [], 0
    for round_ in rounds.values():
        for row in rows_by_round[round_.pk]:
            if row.confirmed_at is not None:
                frozen += 1
                continue
            key = (round_.unit_id, row.person_id)
            score = rules.compute_score(counts.get(key, rules.MonthCounts()), rule_set)
            _score_values(row, score)
            row.rule_set = rule_set
            row.role = seats.get(key, row.role)
            row.computed_at = now
            changed.append(row)
    PersonScore.objects.bulk_update(
        changed, [*SCORE_FIELDS, "role", "computed_at"], batch_size=BATCH
    )

    unit_counts: dict[int, rules.MonthCounts] = defaultdict(rules.MonthCounts)
    for (u, _p), value in counts.items():
        unit_counts[u] = unit_counts[u] + value
    open_rounds = [r for r in rounds.values() if r.frozen_at is None]
    for round_ in open_rounds:
        score = rules.compute_score(unit_counts[round_.unit_id], rule_set, unit=True)
        _score_values(round_, score)
        round_.rule_set = rule_set
        round_.computed_at, round_.computed_by = now, actor
        round_stats(round_, rows_by_round[round_.pk], rule_set, bands)
    bulk_update_with_history(
        open_rounds,
        ScoringRound,
        [*SCORE_FIELDS, *ROUND_STAT_FIELDS, "computed_at", "computed_by"],
        batch_size=BATCH,
        default_user=actor,
        default_change_reason=(
            _("Tính điểm %(m)s theo bộ quy tắc số %(v)s")
            % {"m": month_label(start), "v": rule_set.version}
        )[:100],
    )
    return {
        "month": start,
        "rounds": len(open_rounds),
        "people": len(changed),
        "frozen": frozen,
        "rule_set": rule_set.version,
    }


@transaction.atomic
def scores_compute(
    *,
    month: datetime.date,
    actor: User | None,
    unit: Unit | None = None,
    today: datetime.date | None = None,
) -> dict:
    """Compute (again) a past month's scores: every unit, or one unit. The
    people's rows and the unit's round are created when missing; confirmed
    rows are left as they are. The same tasks give the same numbers.

    ``actor`` None is the system (the nightly job, the demo); a person must
    lead the unit (every unit: be an admin)."""
    if actor is not None:
        _require(
            permissions.can_recompute(actor, unit)
            if unit is not None
            else get_scope(actor).is_all,
            _("Chỉ lãnh đạo đơn vị hoặc quản trị được tính lại điểm."),
        )
    return _compute_month(month=month, actor=actor, unit=unit, today=today)


def open_months() -> list[datetime.date]:
    """Months with a round not yet frozen: the ones a new rule set
    recomputes."""
    return list(
        ScoringRound.objects.filter(frozen_at__isnull=True)
        .values_list("month", flat=True)
        .distinct()
        .order_by("month")
    )


# --- the steps of a person's month ------------------------------------------------


def _lock_score(score: PersonScore | int) -> tuple[ScoringRound, PersonScore]:
    """Lock the round, then the person's row (the order every service
    uses)."""
    pk = score.pk if isinstance(score, PersonScore) else score
    round_id = PersonScore.objects.values_list("round_id", flat=True).get(pk=pk)
    round_ = (
        ScoringRound.objects.select_for_update(of=("self",))
        .select_related("unit", "rule_set")
        .get(pk=round_id)
    )
    locked = PersonScore.objects.select_for_update().get(pk=pk)
    locked.round = round_
    return round_, locked


def _refresh_round(round_: ScoringRound, *, actor, reason: str) -> None:
    rows = list(PersonScore.objects.filter(round=round_))
    round_stats(round_, rows, round_.rule_set, _bands())
    fields = list(ROUND_STAT_FIELDS)
    if round_.is_complete and round_.frozen_at is None:
        round_.frozen_at = timezone.now()
        fields.append("frozen_at")
        _save(round_, actor=actor, reason=reason)
    else:
        ScoringRound.objects.filter(pk=round_.pk).update(
            **{f: getattr(round_, f) for f in fields}
        )


@transaction.atomic
def score_self_assess(
    *, actor: User, score: PersonScore, level: str, comment: str
) -> PersonScore:
    """The person assesses their own month: a level and a short comment.
    They may change it until their leader has assessed them."""
    round_, score = _lock_score(score)
    _require(
        score.person_id == actor.pk, _("Chỉ người được chấm điểm mới tự đánh giá.")
    )
    if score.leader_at is not None:
        raise ValidationError(
            _("Lãnh đạo đã đánh giá tháng này; không sửa tự đánh giá được nữa.")
        )
    level = _level(level, "level")
    comment = _text(comment)
    if not comment:
        raise ValidationError({"comment": _("Hãy viết vài dòng tự nhận xét.")})
    score.self_level, score.self_comment = level, comment
    score.self_at = timezone.now()
    _save(
        score,
        actor=actor,
        reason=_("Tự đánh giá: %(l)s") % {"l": Level(level).label},
    )
    _refresh_round(round_, actor=actor, reason=_("Tự đánh giá"))
    return score


@transaction.atomic
def score_leader_assess(
    *, actor: User, score: PersonScore, level: str, comment: str = ""
) -> PersonScore:
    """A leader over the unit assesses the person's month, after the
    self-assessment; a comment is required when the level differs from the
    person's own. It may be changed until the month is confirmed."""
    round_, score = _lock_score(score)
    _require(
        permissions.may_assess(actor, score),
        _("Bạn không phải lãnh đạo đánh giá người này."),
    )
    if score.confirmed_at is not None:
        raise ValidationError(_("Tháng này của người này đã được xác nhận."))
    if score.self_at is None:
        raise ValidationError(_("Người này chưa tự đánh giá; lãnh đạo đánh giá sau."))
    level = _level(level, "level")
    comment = _text(comment)
    if level != score.self_level and not comment:
        raise ValidationError(
            {
                "comment": _(
                    "Mức đánh giá khác với mức người này tự đánh giá: hãy nêu lý do."
                )
            }
        )
    score.leader_level, score.leader_comment = level, comment
    score.leader_by, score.leader_at = actor, timezone.now()
    _save(
        score,
        actor=actor,
        reason=_("Lãnh đạo đánh giá: %(l)s") % {"l": Level(level).label},
    )
    _refresh_round(round_, actor=actor, reason=_("Lãnh đạo đánh giá"))
    return score


@transaction.atomic
def score_confirm(
    *, actor: User, score: PersonScore, level: str = "", note: str = ""
) -> PersonScore:
    """The unit's leader or the committee confirms the month: the leader's
    level, or another with a reason. The row is then frozen with its score,
    the rules it used and its breakdown."""
    round_, score = _lock_score(score)
    _require(
        permissions.may_confirm(actor, score),
        _("Chỉ lãnh đạo đơn vị hoặc cấp ủy được xác nhận, không tự xác nhận."),
    )
    if score.confirmed_at is not None:
        raise ValidationError(_("Tháng này của người này đã được xác nhận."))
    if score.leader_at is None:
        raise ValidationError(_("Lãnh đạo chưa đánh giá; chưa xác nhận được."))
    level = _level(level or score.leader_level, "level")
    note = _text(note)
    if level != score.leader_level and not note:
        raise ValidationError(
            {"note": _("Mức xác nhận khác với mức lãnh đạo đánh giá: hãy nêu lý do.")}
        )
    score.confirmed_level, score.confirm_note = level, note
    score.confirmed_by, score.confirmed_at = actor, timezone.now()
    _save(
        score,
        actor=actor,
        reason=_("Xác nhận: %(l)s") % {"l": Level(level).label},
    )
    _refresh_round(round_, actor=actor, reason=_("Mọi người đã được xác nhận"))
    return score


# --- cross-evaluation -------------------------------------------------------------


@transaction.atomic
def peer_rate(
    *,
    actor: User,
    round: ScoringRound,  # noqa: A002 — the domain's word
    evaluated: User,
    responsibility: int,
    cooperation: int,
    quality: int,
) -> PeerRating:
    """A colleague rates another of the same unit's month, 1 to 5 on each
    criterion. Each person rates at most ``peer_max_targets`` colleagues a
    month (changing an earlier rating does not count again); a person whose
    month is confirmed is no longer rated."""
    round_ = (
        ScoringRound.objects.select_for_update(of=("self",))
        .select_related("rule_set")
        .get(pk=round.pk)
    )
    people = dict(
        PersonScore.objects.filter(round=round_).values_list(
            "person_id", "confirmed_at"
        )
    )
    _require(
        actor.pk in people,
        _("Chỉ cán bộ có tên trong đợt chấm điểm của đơn vị được đánh giá chéo."),
    )
    if evaluated.pk == actor.pk:
        raise ValidationError({"evaluated": _("Không tự đánh giá chéo cho mình.")})
    if evaluated.pk not in people:
        raise ValidationError(
            {"evaluated": _("Người này không có tên trong đợt chấm điểm của đơn vị.")}
        )
    if people[evaluated.pk] is not None:
        raise ValidationError(
            {"evaluated": _("Tháng này của người này đã được xác nhận.")}
        )
    values = {}
    for name, value in (
        ("responsibility", responsibility),
        ("cooperation", cooperation),
        ("quality", quality),
    ):
        try:
            value = int(value)
        except (TypeError, ValueError):
            value = 0
        if not 1 <= value <= 5:
            raise ValidationError({name: _("Chấm từ 1 đến 5.")})
        values[name] = value
    rating = PeerRating.objects.filter(
        round=round_, evaluator=actor, evaluated=evaluated
    ).first()
    if rating is None:
        limit = round_.rule_set.peer_max_targets if round_.rule_set else 3
        given = PeerRating.objects.filter(round=round_, evaluator=actor).count()
        if given >= limit:
            raise ValidationError(
                {
                    "evaluated": _(
                        "Mỗi tháng bạn đánh giá tối đa %(n)s đồng nghiệp; bạn có thể "
                        "sửa các đánh giá đã gửi."
                    )
                    % {"n": limit}
                }
            )
        rating = PeerRating(round=round_, evaluator=actor, evaluated=evaluated)
        reason = _("Đánh giá chéo")
    else:
        reason = _("Sửa đánh giá chéo")
    for name, value in values.items():
        setattr(rating, name, value)
    _save(rating, actor=actor, reason=reason)
    return rating


# --- the score rules --------------------------------------------------------------


def _recompute_open_months(actor, today=None) -> list[dict]:
    today = today or local_today()
    current = selectors.month_start(today)
    return [
        _compute_month(month=m, actor=actor, today=today)
        for m in open_months()
        if m < current
    ]


@transaction.atomic
def rule_set_publish(
    *, actor: User, values: dict, note: str, name: str = "", today=None
) -> RuleSet:
    """Save the rules as a new version and apply it: the previous version is
    kept (read-only), and the months not yet confirmed are computed again
    with the new rules. Confirmed months keep their numbers."""
    _require(
        permissions.can_edit_rules(actor),
        _("Chỉ quản trị được thay đổi quy tắc chấm điểm."),
    )
    note = _text(note)
    if not note:
        raise ValidationError({"note": _("Hãy nêu lý do thay đổi quy tắc.")})
    current = RuleSet.objects.select_for_update().filter(is_active=True).first()
    version = (RuleSet.objects.aggregate(v=Max("version"))["v"] or 0) + 1
    rule_set = RuleSet(version=version, name=_text(name), note=note, **values)
    rule_set.created_by = actor
    rule_set.full_clean(exclude=["is_active"], validate_constraints=False)
    if current is not None:
        current.is_active = False
        _save(
            current, actor=actor, reason=_("Thay bằng phiên bản %(v)s") % {"v": version}
        )
    rule_set.is_active = True
    rule_set.activated_at = timezone.now()
    _save(rule_set, actor=actor, reason=_("Áp dụng phiên bản %(v)s") % {"v": version})
    _recompute_open_months(actor, today)
    return rule_set


@transaction.atomic
def rule_set_activate(*, actor: User, rule_set: RuleSet, today=None) -> RuleSet:
    """Apply an earlier version again (the admin's way back)."""
    _require(
        permissions.can_edit_rules(actor),
        _("Chỉ quản trị được thay đổi quy tắc chấm điểm."),
    )
    locked = list(
        RuleSet.objects.select_for_update()
        .filter(is_active=True)
        .exclude(pk=rule_set.pk)
    )
    for current in locked:
        current.is_active = False
        _save(
            current,
            actor=actor,
            reason=_("Thay bằng phiên bản %(v)s") % {"v": rule_set.version},
        )
    rule_set = RuleSet.objects.select_for_update().get(pk=rule_set.pk)
    rule_set.is_active = True
    rule_set.activated_at = rule_set.activated_at or timezone.now()
    _save(
        rule_set,
        actor=actor,
        reason=_("Áp dụng lại phiên bản %(v)s") % {"v": rule_set.version},
    )
    _recompute_open_months(actor, today)
    return rule_set


@transaction.atomic
def classification_rules_activate(
    *, actor: User, rule_set: ClassificationRuleSet
) -> ClassificationRuleSet:
    """Apply a classification rule set (a new version, or an earlier one).
    It must have a band for each of the four levels. Decided
    classifications keep the rules they were decided under."""
    _require(
        permissions.can_edit_rules(actor),
        _("Chỉ quản trị được thay đổi quy tắc phân loại."),
    )
    rule_set = ClassificationRuleSet.objects.select_for_update().get(pk=rule_set.pk)
    have = set(rule_set.bands.values_list("level", flat=True))
    if have != set(Level.values):
        raise ValidationError(_("Bộ quy tắc phân loại cần đủ một dòng cho mỗi mức."))
    for current in (
        ClassificationRuleSet.objects.select_for_update()
        .filter(is_active=True)
        .exclude(pk=rule_set.pk)
    ):
        current.is_active = False
        _save(
            current,
            actor=actor,
            reason=_("Thay bằng phiên bản %(v)s") % {"v": rule_set.version},
        )
    rule_set.is_active = True
    rule_set.activated_at = rule_set.activated_at or timezone.now()
    _save(
        rule_set,
        actor=actor,
        reason=_("Áp dụng phiên bản %(v)s") % {"v": rule_set.version},
    )
    return rule_set


@transaction.atomic
def classification_rules_copy(
    *, actor: User, rule_set: ClassificationRuleSet
) -> ClassificationRuleSet:
    """A new draft version with the rules and bands of ``rule_set``, to be
    edited and then applied."""
    _require(
        permissions.can_edit_rules(actor),
        _("Chỉ quản trị được thay đổi quy tắc phân loại."),
    )
    ClassificationRuleSet.objects.select_for_update().filter(is_active=True).first()
    version = (ClassificationRuleSet.objects.aggregate(v=Max("version"))["v"] or 0) + 1
    draft = ClassificationRuleSet(
        version=version,
        name=rule_set.name,
        note="",
        beyond_hard_tasks=rule_set.beyond_hard_tasks,
        beyond_ahead_days=rule_set.beyond_ahead_days,
        excellent_quota_pct=rule_set.excellent_quota_pct,
        created_by=actor,
    )
    _save(
        draft,
        actor=actor,
        reason=_("Bản nháp chép từ phiên bản %(v)s") % {"v": rule_set.version},
    )
    for band in rule_set.bands.all():
        copy = ClassificationBand(
            rule_set=draft,
            level=band.level,
            min_points=band.min_points,
            min_on_time_pct=band.min_on_time_pct,
            max_behind_pct=band.max_behind_pct,
            min_beyond_pct=band.min_beyond_pct,
        )
        _save(copy, actor=actor, reason=_("Chép mức phân loại"))
    return draft


# --- classification ---------------------------------------------------------------


def period_span(kind: str, year: int, quarter: int | None = None):
    if kind == PeriodKind.QUARTER:
        if quarter not in (1, 2, 3, 4):
            raise ValidationError({"quarter": _("Quý phải từ 1 đến 4.")})
        start = datetime.date(year, 3 * quarter - 2, 1)
        return start, selectors.month_end(datetime.date(year, 3 * quarter, 1))
    return datetime.date(year, 1, 1), datetime.date(year, 12, 31)


def rules_snapshot(rule_set: ClassificationRuleSet, bands) -> dict:
    return {
        "version": rule_set.version,
        "beyond_hard_tasks": rule_set.beyond_hard_tasks,
        "beyond_ahead_days": rule_set.beyond_ahead_days,
        "excellent_quota_pct": rules._text(rule_set.excellent_quota_pct),
        "bands": [
            {
                "level": b.level,
                "min_points": rules._text(b.min_points),
                "min_on_time_pct": rules._text(b.min_on_time_pct),
                "max_behind_pct": rules._text(b.max_behind_pct),
                "min_beyond_pct": rules._text(b.min_beyond_pct),
            }
            for b in rules.ordered_bands(bands)
        ],
    }


@transaction.atomic
def classification_propose(
    *,
    actor: User | None,
    kind: str,
    year: int,
    quarter: int | None = None,
    unit: Unit | None = None,
    today: datetime.date | None = None,
) -> ClassificationPeriod:
    """Draw up the proposed level of every person and unit under ``unit``
    (everyone: ``unit`` None, admins only) for a year or quarter.

    Set-based: the period's tasks (one query), its monthly points (two),
    the people it had (one), the units and their parents (two), the rows
    already there (one); then rows written in bulk. Rows the committee has
    decided are left as they are. A unit's own row is proposed with its
    parent's subtree, since its quota is counted among its siblings.

    The quota: in each organisation (a person's unit; a unit's parent) at
    most ``excellent_quota_pct`` of those who reach "tốt" or better may be
    proposed "xuất sắc"; the highest average points keep it, the others are
    proposed "tốt" and marked for the committee (``over_quota``), equals at
    the cut all marked."""
    if actor is not None:
        _require(
            permissions.can_propose(actor, unit)
            if unit is not None
            else get_scope(actor).is_all,
            _("Chỉ cấp ủy (thường trực, văn phòng) được lập đề xuất phân loại."),
        )
    today = today or local_today()
    start, end = period_span(kind, year, quarter)
    if start > today:
        raise ValidationError(_("Kỳ này chưa bắt đầu."))
    period, _created = ClassificationPeriod.objects.get_or_create(
        start=start, end=end, defaults={"kind": kind}
    )
    period = ClassificationPeriod.objects.select_for_update().get(pk=period.pk)
    rule_set = active_classification_rules()
    bands = list(rule_set.bands.all())
    path = unit.path if unit is not None else None

    counts = selectors.period_counts(
        start,
        end,
        today,
        beyond_hard=rule_set.beyond_hard_tasks,
        beyond_ahead_days=rule_set.beyond_ahead_days,
        path=path,
    )
    person_points, unit_points = selectors.period_points(start, end, path=path)
    seated = selectors.round_people_in_period(start, end, path=path)
    person_keys = {k for k, v in counts.items() if v.counted} | set(person_points)
    person_keys |= seated
    unit_counts: dict[int, selectors.PeriodCounts] = defaultdict(selectors.PeriodCounts)
    for (u, _p), value in counts.items():
        unit_counts[u] = unit_counts[u] + value
    unit_ids = {u for u, _p in person_keys} | set(unit_points)
    unit_ids |= {u for u, v in unit_counts.items() if v.counted}
    paths = dict(Unit.objects.filter(pk__in=unit_ids).values_list("pk", "path"))
    step = Unit.steplen
    parent_paths = {p[:-step] for p in paths.values() if len(p) > step}
    parent_ids = dict(
        Unit.objects.filter(path__in=parent_paths).values_list("path", "pk")
    )

    subjects = {}  # (unit, person or None) → (record, group)
    for u, p in person_keys:
        c = counts.get((u, p), selectors.PeriodCounts())
        avg, n = person_points.get((u, p), (None, 0))
        subjects[(u, p)] = (
            rules.Record(
                selectors.average(avg),
                n,
                c.counted,
                c.on_time,
                c.late,
                c.overdue,
                c.beyond,
            ),
            u,
        )
    for u in unit_ids:
        own = paths.get(u)
        if own is None:
            continue
        parent = parent_ids.get(own[:-step]) if len(own) > step else None
        if path and own == path and len(own) > step:
            continue  # the node's own row is proposed with its siblings
        c = unit_counts.get(u, selectors.PeriodCounts())
        avg, n = unit_points.get(u, (None, 0))
        subjects[(u, None)] = (
            rules.Record(
                selectors.average(avg),
                n,
                c.counted,
                c.on_time,
                c.late,
                c.overdue,
                c.beyond,
            ),
            parent,
        )

    existing = {}
    qs = Classification.objects.filter(period=period)
    if path:
        qs = qs.filter(unit__path__startswith=path)
    for row in qs:
        existing[(row.unit_id, row.person_id)] = row

    proposals = {}
    for key, (record, group) in subjects.items():
        row = existing.get(key)
        if row is not None and row.decided_at is not None:
            proposals[key] = (row.criteria_level, row.avg_points, group, None)
            continue
        level, table = rules.criteria_level(record, bands)
        proposals[key] = (level, record.avg_points, group, table)

    # The quota, in each organisation (persons and units apart).
    groups = defaultdict(list)
    for key, (level, points, group, _table) in proposals.items():
        groups[(group, key[1] is None)].append((key, level, points))
    marked = set()
    for members in groups.values():
        reach_good = sum(
            1 for _k, lvl, _p in members if lvl in (Level.EXCELLENT, Level.GOOD)
        )
        candidates = [
            (k, p) for k, lvl, p in members if lvl == Level.EXCELLENT and p is not None
        ]
        allowance = rules.quota_allowance(reach_good, rule_set.excellent_quota_pct)
        marked |= rules.over_quota(candidates, allowance)

    now = timezone.now()
    to_create, to_update = [], []
    for key, (record, group) in subjects.items():
        level, _points, _group, table = proposals[key]
        if table is None:
            continue  # decided: frozen
        row = existing.get(key) or Classification(
            period=period, unit_id=key[0], person_id=key[1]
        )
        row.group_unit_id = group
        row.rule_set = rule_set
        row.months_scored = record.months_scored
        row.avg_points = record.avg_points
        row.counted, row.on_time = record.counted, record.on_time
        row.late, row.overdue, row.beyond = record.late, record.overdue, record.beyond
        row.criteria_level = level
        row.over_quota = key in marked
        row.proposed_level = (
            rules.level_below_excellent(table) if row.over_quota else level
        )
        row.checks = {"bands": table}
        row.proposed_at = now
        (to_update if row.pk else to_create).append(row)
    reason = (_("Đề xuất phân loại %(p)s") % {"p": period.label})[:100]
    bulk_create_with_history(
        to_create,
        Classification,
        batch_size=BATCH,
        default_user=actor,
        default_change_reason=reason,
    )
    bulk_update_with_history(
        to_update,
        Classification,
        [
            "group_unit",
            "rule_set",
            "months_scored",
            "avg_points",
            "counted",
            "on_time",
            "late",
            "overdue",
            "beyond",
            "criteria_level",
            "over_quota",
            "proposed_level",
            "checks",
            "proposed_at",
        ],
        batch_size=BATCH,
        default_user=actor,
        default_change_reason=reason,
    )
    period.rule_set = rule_set
    period.proposed_at, period.proposed_by = now, actor
    _save(period, actor=actor, reason=reason)
    return period


@transaction.atomic
def classification_decide(
    *, actor: User, classification: Classification, level: str, reason: str = ""
) -> Classification:
    """The committee confirms the proposal, or decides another level with a
    reason. The row is frozen from then on, with a copy of the rules."""
    row = (
        Classification.objects.select_for_update(of=("self",))
        .select_related("unit", "rule_set")
        .get(pk=classification.pk)
    )
    _require(
        permissions.may_decide(actor, row),
        _("Chỉ cấp ủy có phạm vi được quyết định phân loại, không tự quyết cho mình."),
    )
    if row.decided_at is not None:
        raise ValidationError(_("Phân loại này đã được quyết định."))
    level = _level(level, "level")
    reason = _text(reason)
    if level != row.proposed_level and not reason:
        raise ValidationError(
            {"reason": _("Mức quyết định khác mức đề xuất: hãy nêu lý do.")}
        )
    row.decided_level, row.decision_reason = level, reason
    row.decided_by, row.decided_at = actor, timezone.now()
    row.rules_snapshot = rules_snapshot(row.rule_set, row.rule_set.bands.all())
    _save(
        row,
        actor=actor,
        reason=_("Cấp ủy quyết định: %(l)s") % {"l": Level(level).label},
    )
    return row
