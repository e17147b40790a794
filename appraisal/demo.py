"""Demo data of the accountability app, called at the end of
``manage.py seed_demo``: last month's scores computed from the demo tasks,
a round in progress, a month before it fully confirmed, and the year's
classification proposal.

In Văn phòng Huyện ủy Đông Anh (the demo login ``canbo.dongan`` works
there) the month before last is confirmed for everyone; last month's round
is in progress: Tạ Thu Hà waits for confirmation (``lanhdao.dongan`` may
confirm), the head Phan Thị Thủy waits for her leader's assessment
(``lanhdao.dongan``), ``canbo.dongan`` has not assessed himself yet but has
had two colleagues' cross-evaluation. The committee (``thuongtruc``) has
drawn up the year's proposals; ``vanphong.dongan`` has decided one.

Safe to run again: a month is computed only when it has no round yet, each
step only when it has not happened, the proposal only when the year has
none, the decision only when there is none.
"""

import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from units.models import Unit, User

from . import selectors, services
from .models import ClassificationPeriod, PeerRating, PersonScore, ScoringRound

UNIT = "HN.DA.VP"
STAFF = "canbo.dongan"


def _moment(day: datetime.date, hour: int = 9) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


def _month(today: datetime.date, back: int) -> datetime.date:
    month = today.replace(day=1)
    for _step_back in range(back):
        month = selectors.previous_month(month)
    return month


def _row(month, username) -> PersonScore | None:
    return (
        PersonScore.objects.filter(
            round__unit__code=UNIT, round__month=month, person__username=username
        )
        .select_related("round", "round__unit")
        .first()
    )


def _step(clock_at, day, hour, fn, **kwargs) -> None:
    with clock_at(_moment(day, hour)):
        fn(**kwargs)


def _assess(clock_at, month, username, users, *, upto: str, leader, confirmer=None):
    """Move one person's month up to "self", "leader" or "confirmed"."""
    score = _row(month, username)
    if score is None:
        return
    first = selectors.month_end(month) + datetime.timedelta(days=2)
    if score.self_at is None:
        _step(
            clock_at,
            first,
            9,
            services.score_self_assess,
            actor=users[username],
            score=score,
            level="good",
            comment="Hoàn thành các việc được giao; chủ động phối hợp với các ban.",
        )
    if upto == "self":
        return
    score = _row(month, username)
    if score.leader_at is None:
        _step(
            clock_at,
            first + datetime.timedelta(days=2),
            10,
            services.score_leader_assess,
            actor=leader,
            score=score,
            level="good",
            comment="",
        )
    if upto == "leader":
        return
    score = _row(month, username)
    if score.confirmed_at is None:
        _step(
            clock_at,
            first + datetime.timedelta(days=4),
            14,
            services.score_confirm,
            actor=confirmer or leader,
            score=score,
        )


def _peer(round_, evaluator, evaluated, values) -> None:
    if PeerRating.objects.filter(
        round=round_, evaluator=evaluator, evaluated=evaluated
    ).exists():
        return
    responsibility, cooperation, quality = values
    services.peer_rate(
        actor=evaluator,
        round=round_,
        evaluated=evaluated,
        responsibility=responsibility,
        cooperation=cooperation,
        quality=quality,
    )


def seed(stdout) -> None:
    from tasks.management.commands.seed_demo import clock_at

    today = timezone.localdate()
    unit = Unit.objects.filter(code=UNIT).first()
    names = ["thuypt", "hatt", STAFF, "lanhdao.dongan", "vanphong.dongan", "thuongtruc"]
    users = {u.username: u for u in User.objects.filter(username__in=names)}
    if unit is None or len(users) < len(names):
        stdout.write(_("Chấm điểm: thiếu đơn vị hoặc tài khoản mẫu, bỏ qua."))
        return
    before_last, last = _month(today, 2), _month(today, 1)

    for month in (before_last, last):
        if not ScoringRound.objects.filter(month=month).exists():
            services.scores_compute(month=month, actor=None, today=today)

    with transaction.atomic():
        # The month before last: everyone confirmed.
        _assess(
            clock_at,
            before_last,
            STAFF,
            users,
            upto="confirmed",
            leader=users["thuypt"],
            confirmer=users["lanhdao.dongan"],
        )
        _assess(
            clock_at,
            before_last,
            "hatt",
            users,
            upto="confirmed",
            leader=users["thuypt"],
            confirmer=users["lanhdao.dongan"],
        )
        _assess(
            clock_at,
            before_last,
            "thuypt",
            users,
            upto="confirmed",
            leader=users["lanhdao.dongan"],
            confirmer=users["vanphong.dongan"],
        )
        # Last month: in progress.
        _assess(clock_at, last, "hatt", users, upto="leader", leader=users["thuypt"])
        _assess(
            clock_at, last, "thuypt", users, upto="self", leader=users["lanhdao.dongan"]
        )
        round_ = ScoringRound.objects.get(unit=unit, month=last)
        with clock_at(_moment(selectors.month_end(last) + datetime.timedelta(days=3))):
            _peer(round_, users["hatt"], users[STAFF], (4, 4, 5))
            _peer(round_, users["thuypt"], users[STAFF], (4, 5, 4))
            _peer(round_, users["hatt"], users["thuypt"], (5, 5, 4))

    year = last.year
    period = ClassificationPeriod.objects.filter(
        start=datetime.date(year, 1, 1), end=datetime.date(year, 12, 31)
    ).first()
    if period is None or period.proposed_at is None:
        city = Unit.objects.filter(code="HN").first()
        period = services.classification_propose(
            actor=users["thuongtruc"], kind="year", year=year, unit=city, today=today
        )
    # One decision, for a person of Đông Anh proposed "tốt".
    decided = (
        period.classifications.filter(
            unit__path__startswith=unit.path[: Unit.steplen * 2],
            person__isnull=False,
            proposed_level="good",
        )
        .order_by("unit__path", "person__username")
        .first()
    )
    if (
        decided is not None
        and not period.classifications.filter(decided_at__isnull=False).exists()
    ):
        services.classification_decide(
            actor=users["vanphong.dongan"],
            classification=decided,
            level=decided.proposed_level,
        )

    rounds = ScoringRound.objects.filter(month=last)
    stdout.write(
        _(
            "Chấm điểm: tháng %(m)s có %(r)s đợt chấm điểm, %(p)s người, %(s)s "
            "đã tự đánh giá; đề xuất phân loại năm %(y)s: %(c)s dòng, %(d)s đã "
            "quyết định."
        )
        % {
            "m": last.strftime("%m/%Y"),
            "r": rounds.count(),
            "p": sum(r.people for r in rounds),
            "s": sum(r.self_assessed for r in rounds),
            "y": year,
            "c": period.classifications.count(),
            "d": period.classifications.filter(decided_at__isnull=False).count(),
        }
    )
