"""Monthly scoring pages: the index (one's own months, and the rounds of
the units one leads or follows), a person's month (the score and how it was
computed, the steps self-assessment → leader → confirmed), a unit's round
(who is where, the spread of scores, the "cào bằng" flags) and the
cross-evaluation form.

Checks, in order: signed in; the object is visible to the user (else 404,
like a missing id); the user has the role for the action (else 403); the
form is valid and the service agrees (else 400 with the messages, what was
typed kept).
"""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from tasks.calendar import local_today
from units.models import Unit
from units.scope import get_scope

from .. import permissions, rules, selectors, services
from ..choices import Level, PeerCriterion, ScoreInput
from ..forms import (
    ConfirmForm,
    LeaderAssessForm,
    PeerForm,
    SelfAssessForm,
    parse_month,
)
from ..models import PeerRating, PersonScore, ScoringRound
from .common import HtmxLoginRequiredMixin, add_errors, done, render_page

ROUNDS_LIMIT = 300
STEP_LABELS = {
    "waiting_self": gettext_lazy("Chưa tự đánh giá"),
    "waiting_leader": gettext_lazy("Chờ lãnh đạo đánh giá"),
    "waiting_confirm": gettext_lazy("Chờ xác nhận"),
    "confirmed": gettext_lazy("Đã xác nhận"),
}


def active_bands() -> list:
    return services.active_bands()


def breakdown_rows(breakdown: dict) -> list[dict]:
    """The breakdown's lines with their labels, for the table."""
    labels = dict(ScoreInput.choices)
    rows = []
    for line in breakdown.get("lines", []):
        rows.append({**line, "label": labels.get(line["key"], line["key"])})
    return rows


def level_label(value: str) -> str:
    return Level(value).label if value in Level.values else ""


def step_label(step: str) -> str:
    return str(STEP_LABELS.get(step, ""))


def month_nav(month: datetime.date, today: datetime.date) -> dict:
    last = selectors.previous_month(today)
    following = selectors.month_end(month) + datetime.timedelta(days=1)
    return {
        "previous": selectors.previous_month(month),
        "next": following if following <= last else None,
    }


# --- the index ---------------------------------------------------------------------


class IndexView(HtmxLoginRequiredMixin, View):
    """Chấm điểm tháng: the user's own months and, for leaders and
    reviewers, the rounds of their units for the month chosen."""

    http_method_names = ["get", "head", "options"]

    def get(self, request, *args, **kwargs):
        today = local_today()
        scope = get_scope(request.user)
        notices = []
        last = selectors.previous_month(today)
        month = parse_month(request.GET.get("month"))
        if request.GET.get("month") and month is None:
            notices.append(_("Tháng không hợp lệ; đang hiển thị tháng trước."))
        if month is not None and month > last:
            notices.append(
                _("Chỉ chấm điểm tháng đã kết thúc; đang hiển thị tháng trước.")
            )
            month = None
        month = month or last

        node = None
        unit_param = request.GET.get("unit")
        if unit_param:
            try:
                node = Unit.objects.get(pk=int(unit_param))
            except (ValueError, Unit.DoesNotExist):
                raise Http404(_("Không có đơn vị này.")) from None
            if not permissions.covers_unit(request.user, node):
                raise Http404(_("Không có đơn vị này trong phạm vi bạn theo dõi."))
        follows = scope.is_all or bool(scope.subtree_paths)
        flat_only = request.GET.get("flat") == "1"
        rounds = []
        if follows:
            qs = selectors.rounds_in_scope(
                scope, month, path=node.path if node else None
            )
            if flat_only:
                qs = qs.filter(Q(flat_scores=True) | Q(flat_levels=True))
            rounds = list(qs[: ROUNDS_LIMIT + 1])
        mine = list(selectors.scores_of_person(request.user)[:24])
        context = {
            "month": month,
            "nav": month_nav(month, today),
            "notices": notices,
            "node": node,
            "follows": follows,
            "flat_only": flat_only,
            "rounds": rounds[:ROUNDS_LIMIT],
            "rounds_cut": len(rounds) > ROUNDS_LIMIT,
            "totals": {
                "people": sum(r.people for r in rounds[:ROUNDS_LIMIT]),
                "self_assessed": sum(r.self_assessed for r in rounds[:ROUNDS_LIMIT]),
                "leader_assessed": sum(
                    r.leader_assessed for r in rounds[:ROUNDS_LIMIT]
                ),
                "confirmed": sum(r.confirmed for r in rounds[:ROUNDS_LIMIT]),
                "flat": sum(
                    1 for r in rounds[:ROUNDS_LIMIT] if r.flat_scores or r.flat_levels
                ),
            },
            "mine": mine,
            "mine_now": [s for s in mine if s.round.month == month],
            "step_labels": STEP_LABELS,
            "can_edit_rules": permissions.can_edit_rules(request.user),
        }
        return render_page(request, "appraisal/index.html", context)


# --- a person's month ----------------------------------------------------------------


def load_score(request, pk) -> PersonScore:
    score = get_object_or_404(
        PersonScore.objects.select_related(
            "round",
            "round__unit",
            "round__rule_set",
            "person",
            "leader_by",
            "confirmed_by",
            "rule_set",
        ),
        pk=pk,
    )
    if not permissions.can_view_score(request.user, score):
        raise Http404(_("Không có điểm này trong phạm vi bạn được xem."))
    return score


def score_context(request, score, **forms) -> dict:
    user = request.user
    bands = active_bands()
    rule_set = score.round.rule_set
    peer = selectors.peer_summary(score.round_id, score.person_id)
    least = rule_set.peer_min_raters if rule_set else 2
    history = list(
        score.history.select_related("history_user").order_by("history_date", "pk")
    )
    context = {
        "score": score,
        "round": score.round,
        "unit": score.round.unit,
        "rows": breakdown_rows(score.breakdown),
        "breakdown": score.breakdown,
        "band": rules.band_for_points(score.points, bands),
        "bands": rules.ordered_bands(bands),
        "step": step_label(score.step),
        "levels": {
            "self": level_label(score.self_level),
            "leader": level_label(score.leader_level),
            "confirmed": level_label(score.confirmed_level),
        },
        "peer": peer,
        "peer_shown": peer["raters"] >= least,
        "peer_least": least,
        "peer_criteria": PeerCriterion.choices,
        "history": history,
        "can_view_round": permissions.can_view_round(user, score.round),
        "is_self": score.person_id == user.pk,
    }
    if permissions.can_self_assess(user, score):
        context["self_form"] = forms.get("self_form") or SelfAssessForm(
            initial={"level": score.self_level, "comment": score.self_comment}
        )
    if permissions.can_assess(user, score):
        context["leader_form"] = forms.get("leader_form") or LeaderAssessForm(
            initial={
                "level": score.leader_level or score.self_level,
                "comment": score.leader_comment,
            }
        )
    if permissions.can_confirm(user, score):
        context["confirm_form"] = forms.get("confirm_form") or ConfirmForm(
            initial={"level": score.leader_level}
        )
    context.update({k: v for k, v in forms.items() if v is not None})
    return context


class ScoreView(HtmxLoginRequiredMixin, View):
    http_method_names = ["get", "head", "options"]

    def get(self, request, pk):
        score = load_score(request, pk)
        return render_page(
            request, "appraisal/score.html", score_context(request, score)
        )


class ScoreActionView(HtmxLoginRequiredMixin, View):
    """A POST that moves one step of a person's month."""

    http_method_names = ["post", "options"]
    form_class = None
    form_name = ""
    partial = ""

    def allowed(self, user, score) -> bool:
        raise NotImplementedError

    def perform(self, user, score, data):
        raise NotImplementedError

    def post(self, request, pk):
        score = load_score(request, pk)
        if not self.allowed(request.user, score):
            raise PermissionDenied(_("Bạn không làm được bước này với điểm này."))
        form = self.form_class(request.POST)
        if form.is_valid():
            try:
                message = self.perform(request.user, score, form.cleaned_data)
            except ValidationError as exc:
                add_errors(form, exc)
            else:
                return done(request, score.get_absolute_url(), message)
        score = load_score(request, pk)
        context = score_context(request, score, **{self.form_name: form})
        context[self.form_name] = form
        return render_page(
            request, "appraisal/score.html", context, partial=self.partial, status=400
        )


class SelfAssessView(ScoreActionView):
    form_class = SelfAssessForm
    form_name = "self_form"
    partial = "self-form"

    def allowed(self, user, score):
        return score.person_id == user.pk

    def perform(self, user, score, data):
        services.score_self_assess(
            actor=user, score=score, level=data["level"], comment=data["comment"]
        )
        return _("Đã gửi tự đánh giá; chờ lãnh đạo đánh giá.")


class LeaderAssessView(ScoreActionView):
    form_class = LeaderAssessForm
    form_name = "leader_form"
    partial = "leader-form"

    def allowed(self, user, score):
        return permissions.may_assess(user, score)

    def perform(self, user, score, data):
        services.score_leader_assess(
            actor=user, score=score, level=data["level"], comment=data["comment"]
        )
        return _("Đã ghi đánh giá của lãnh đạo; chờ xác nhận.")


class ConfirmView(ScoreActionView):
    form_class = ConfirmForm
    form_name = "confirm_form"
    partial = "confirm-form"

    def allowed(self, user, score):
        return permissions.may_confirm(user, score)

    def perform(self, user, score, data):
        services.score_confirm(
            actor=user, score=score, level=data["level"], note=data["note"]
        )
        return _("Đã xác nhận; điểm và mức đánh giá tháng này được chốt.")


# --- a unit's round ---------------------------------------------------------------


def load_round(request, pk) -> ScoringRound:
    return get_object_or_404(
        ScoringRound.objects.select_related("unit", "rule_set", "computed_by"), pk=pk
    )


def require_round_view(request, round_, member) -> None:
    """Leaders and reviewers see a round; its own staff are refused (403:
    they see their own row, not their colleagues'); anyone else gets 404."""
    if permissions.can_view_round(request.user, round_):
        return
    if member is not None:
        raise PermissionDenied(
            _("Trang đợt chấm điểm dành cho lãnh đạo và cấp ủy theo dõi.")
        )
    raise Http404(_("Không có đợt chấm điểm này trong phạm vi của bạn."))


class RoundView(HtmxLoginRequiredMixin, View):
    http_method_names = ["get", "head", "options"]

    def get(self, request, pk):
        round_ = load_round(request, pk)
        member = PersonScore.objects.filter(round=round_, person=request.user).first()
        require_round_view(request, round_, member)
        bands = active_bands()
        scores = list(
            PersonScore.objects.filter(round=round_)
            .select_related("person")
            .order_by("person__full_name", "pk")
        )
        raters = selectors.peer_counts(round_.pk)
        by_band = {b.level: 0 for b in rules.ordered_bands(bands)}
        points = []
        for s in scores:
            s.band = rules.band_for_points(s.points, bands)
            s.step_text = step_label(s.step)
            s.raters = raters.get(s.person_id, 0)
            if s.points is not None:
                points.append(s.points)
                by_band[s.band] = by_band.get(s.band, 0) + 1
        context = {
            "round": round_,
            "unit": round_.unit,
            "scores": scores,
            "rows": breakdown_rows(round_.breakdown),
            "breakdown": round_.breakdown,
            "band": rules.band_for_points(round_.points, bands),
            "bands": [
                {
                    "level": b.level,
                    "label": Level(b.level).label,
                    "count": by_band[b.level],
                }
                for b in rules.ordered_bands(bands)
            ],
            "bins": selectors.distribution(points),
            "scored": len(points),
            "member": member,
            "can_recompute": permissions.can_recompute(request.user, round_.unit)
            and round_.frozen_at is None,
            "flat_min": round_.rule_set.flat_min_people if round_.rule_set else 3,
        }
        return render_page(request, "appraisal/round.html", context)


class RecomputeView(HtmxLoginRequiredMixin, View):
    http_method_names = ["post", "options"]

    def post(self, request, pk):
        round_ = load_round(request, pk)
        member = PersonScore.objects.filter(round=round_, person=request.user).first()
        require_round_view(request, round_, member)
        if not permissions.can_recompute(request.user, round_.unit):
            raise PermissionDenied(_("Chỉ lãnh đạo đơn vị được tính lại điểm."))
        try:
            result = services.scores_compute(
                month=round_.month, actor=request.user, unit=round_.unit
            )
        except ValidationError as exc:
            context = {"round": round_, "errors": exc.messages}
            return render_page(request, "appraisal/error.html", context, status=400)
        return done(
            request,
            round_.get_absolute_url(),
            _("Đã tính lại điểm cho %(n)s người; %(f)s người đã chốt giữ nguyên.")
            % {"n": result["people"], "f": result["frozen"]},
        )


# --- cross-evaluation -------------------------------------------------------------


class PeerView(HtmxLoginRequiredMixin, View):
    """Đánh giá chéo: the people of a unit's month rate a few colleagues.
    Only they may open it; they see their own ratings, never others'."""

    http_method_names = ["get", "post", "head", "options"]

    def setup_round(self, request, pk):
        self.round = load_round(request, pk)
        people = list(
            PersonScore.objects.filter(round=self.round)
            .select_related("person")
            .order_by("person__full_name")
        )
        self.me = next((s for s in people if s.person_id == request.user.pk), None)
        if self.me is None:
            if permissions.can_view_round(request.user, self.round):
                raise PermissionDenied(
                    _(
                        "Chỉ cán bộ có tên trong đợt chấm điểm của đơn vị được "
                        "đánh giá chéo."
                    )
                )
            raise Http404(_("Không có đợt chấm điểm này trong phạm vi của bạn."))
        self.colleagues = [
            s.person
            for s in people
            if s.person_id != request.user.pk and not s.confirmed_at
        ]

    def context(self, request, form):
        given = list(
            PeerRating.objects.filter(round=self.round, evaluator=request.user)
            .select_related("evaluated")
            .order_by("evaluated__full_name")
        )
        rule_set = self.round.rule_set
        return {
            "round": self.round,
            "unit": self.round.unit,
            "form": form,
            "given": given,
            "limit": rule_set.peer_max_targets if rule_set else 3,
            "least": rule_set.peer_min_raters if rule_set else 2,
            "criteria": PeerCriterion.choices,
            "my_score": self.me,
        }

    def get(self, request, pk):
        self.setup_round(request, pk)
        initial = {}
        wanted = request.GET.get("evaluated")
        if wanted and wanted.isdigit():
            rating = PeerRating.objects.filter(
                round=self.round, evaluator=request.user, evaluated_id=int(wanted)
            ).first()
            initial = {"evaluated": int(wanted)}
            if rating:
                initial.update(
                    responsibility=str(rating.responsibility),
                    cooperation=str(rating.cooperation),
                    quality=str(rating.quality),
                )
        form = PeerForm(initial=initial, colleagues=self.colleagues)
        return render_page(request, "appraisal/peer.html", self.context(request, form))

    def post(self, request, pk):
        self.setup_round(request, pk)
        form = PeerForm(request.POST, colleagues=self.colleagues)
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.peer_rate(
                    actor=request.user,
                    round=self.round,
                    evaluated=data["evaluated"],
                    responsibility=data["responsibility"],
                    cooperation=data["cooperation"],
                    quality=data["quality"],
                )
            except ValidationError as exc:
                add_errors(form, exc)
            else:
                return done(
                    request,
                    reverse("appraisal:peer", args=[self.round.pk]),
                    _("Đã ghi đánh giá chéo cho %(p)s.") % {"p": data["evaluated"]},
                )
        return render_page(
            request,
            "appraisal/peer.html",
            self.context(request, form),
            partial="peer-form",
            status=400,
        )


urlpatterns = [
    path("", IndexView.as_view(), name="index"),
    path("scores/<int:pk>/", ScoreView.as_view(), name="score"),
    path("scores/<int:pk>/self/", SelfAssessView.as_view(), name="self_assess"),
    path("scores/<int:pk>/assess/", LeaderAssessView.as_view(), name="leader_assess"),
    path("scores/<int:pk>/confirm/", ConfirmView.as_view(), name="confirm"),
    path("rounds/<int:pk>/", RoundView.as_view(), name="round"),
    path("rounds/<int:pk>/recompute/", RecomputeView.as_view(), name="recompute"),
    path("rounds/<int:pk>/peer/", PeerView.as_view(), name="peer"),
]
