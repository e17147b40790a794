"""Phân loại: the proposed level of each person and unit for a year or a
quarter, the committee's decision, the Excel export and a print sheet per
person.

The list shows what the user may see: their own rows, and the rows of the
units their scope covers. The committee (reviewers covering the unit) and
admins draw up the proposals and decide; a decided row is frozen with the
rules it used.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import path, reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views import View

from tasks.calendar import local_today
from units.models import Unit
from units.scope import get_scope

from .. import permissions, selectors, services
from ..choices import Level
from ..exports import classifications_workbook
from ..forms import DecideForm, PeriodForm
from ..models import Classification, ClassificationPeriod, PersonScore, ScoringRound
from .common import HtmxLoginRequiredMixin, add_errors, done, render_page

LIST_LIMIT = 500
EXPORT_LIMIT = 20000
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def criteria_label(key: str) -> str:
    labels = {
        "points": _("Điểm bình quân các tháng"),
        "on_time": _("Tỷ lệ việc đúng hạn (%)"),
        "behind": _("Tỷ lệ việc chậm tiến độ (%)"),
        "beyond": _("Tỷ lệ việc vượt yêu cầu (%)"),
    }
    return labels.get(key, key)


def default_node(user, scope) -> Unit | None:
    """The top of the user's scope (the first one), or None for admins and
    for staff."""
    if scope.is_all or not scope.subtree_paths:
        return None
    top = sorted(scope.subtree_paths, key=len)[0]
    return Unit.objects.filter(path=top).first()


class PeriodMixin:
    """The period and node of a list (GET) or a proposal (POST)."""

    def read_params(self, data):
        form = self.params = PeriodForm(data)
        form.is_valid()
        self.notices = [str(e) for errors in form.errors.values() for e in errors]
        today = local_today()
        self.year = form.value("year") or today.year
        self.quarter = form.value("quarter")
        self.kind = form.kind
        self.start, self.end = services.period_span(self.kind, self.year, self.quarter)
        self.scope = get_scope(self.request.user)
        unit_id = form.value("unit")
        if unit_id is not None:
            self.node = Unit.objects.filter(pk=unit_id).first()
            if self.node is None or not permissions.covers_unit(
                self.request.user, self.node
            ):
                raise Http404(_("Không có đơn vị này trong phạm vi bạn theo dõi."))
        else:
            self.node = default_node(self.request.user, self.scope)

    def query(self, **extra) -> str:
        params = {"year": self.year}
        if self.quarter:
            params["quarter"] = self.quarter
        if self.node is not None:
            params["unit"] = self.node.pk
        params.update(extra)
        return urlencode(params)

    def period(self):
        return ClassificationPeriod.objects.filter(
            start=self.start, end=self.end
        ).first()

    def rows(self, period, limit):
        if period is None:
            return []
        qs = selectors.classifications_visible(
            self.request.user,
            self.scope,
            period,
            path=self.node.path if self.node else None,
        )
        return list(qs[:limit])


class ClassificationListView(PeriodMixin, HtmxLoginRequiredMixin, View):
    http_method_names = ["get", "head", "options"]

    def get(self, request):
        self.read_params(request.GET)
        period = self.period()
        rows = self.rows(period, LIST_LIMIT + 1)
        totals = selectors.group_totals(rows[:LIST_LIMIT])
        context = {
            "params": self.params,
            "notices": self.notices,
            "year": self.year,
            "quarter": self.quarter,
            "years": range(local_today().year, local_today().year - 6, -1),
            "node": self.node,
            "period": period,
            "period_label": (
                period.label
                if period
                else ClassificationPeriod(
                    kind=self.kind, start=self.start, end=self.end
                ).label
            ),
            "rows": rows[:LIST_LIMIT],
            "cut": len(rows) > LIST_LIMIT,
            "totals": [
                (value, label, totals.get(value, 0)) for value, label in Level.choices
            ],
            "undecided": totals.get("none", 0),
            "can_propose": (
                permissions.can_propose(request.user, self.node)
                if self.node is not None
                else self.scope.is_all
            ),
            "export_url": (
                f"{reverse('appraisal:classifications_export')}?{self.query()}"
            ),
            "propose_url": reverse("appraisal:classification_propose"),
            "quarters": [(1, "I"), (2, "II"), (3, "III"), (4, "IV")],
        }
        return render_page(request, "appraisal/classifications.html", context)


class ProposeView(PeriodMixin, HtmxLoginRequiredMixin, View):
    http_method_names = ["post", "options"]

    def post(self, request):
        self.read_params(request.POST)
        allowed = (
            permissions.can_propose(request.user, self.node)
            if self.node is not None
            else self.scope.is_all
        )
        if not allowed:
            raise PermissionDenied(
                _("Chỉ cấp ủy (thường trực, văn phòng) được lập đề xuất phân loại.")
            )
        url = f"{reverse('appraisal:classifications')}?{self.query()}"
        if self.notices:
            return render_page(
                request,
                "appraisal/error.html",
                {"errors": self.notices, "back": url},
                status=400,
            )
        try:
            period = services.classification_propose(
                actor=request.user,
                kind=self.kind,
                year=self.year,
                quarter=self.quarter,
                unit=self.node,
            )
        except ValidationError as exc:
            return render_page(
                request,
                "appraisal/error.html",
                {"errors": exc.messages, "back": url},
                status=400,
            )
        return done(
            request,
            url,
            _("Đã lập đề xuất phân loại %(p)s; các phân loại đã quyết định giữ nguyên.")
            % {"p": period.label},
        )


def load_classification(request, pk) -> Classification:
    row = get_object_or_404(
        Classification.objects.select_related(
            "period", "unit", "person", "group_unit", "rule_set", "decided_by"
        ),
        pk=pk,
    )
    if not permissions.can_view_classification(request.user, row):
        raise Http404(_("Không có phân loại này trong phạm vi bạn được xem."))
    return row


def months_of(row: Classification) -> list:
    """The monthly scores the period's record is made of."""
    period = row.period
    if row.person_id:
        return list(
            PersonScore.objects.filter(
                person_id=row.person_id,
                round__unit_id=row.unit_id,
                round__month__gte=period.start,
                round__month__lte=period.end,
            )
            .select_related("round")
            .order_by("round__month")
        )
    return list(
        ScoringRound.objects.filter(
            unit_id=row.unit_id, month__gte=period.start, month__lte=period.end
        ).order_by("month")
    )


def detail_context(request, row, form=None) -> dict:
    table = []
    for band in row.checks.get("bands", []):
        table.append(
            {
                "level": band["level"],
                "label": Level(band["level"]).label,
                "ok": band["ok"],
                "checks": [
                    {**c, "label": criteria_label(c["criterion"])}
                    for c in band["checks"]
                ],
            }
        )
    months = months_of(row)
    for item in months:
        item.month_value = item.round.month if row.person_id else item.month
    record_pct = {}
    if row.counted:
        for name, part in (
            ("on_time", row.on_time),
            ("behind", row.late + row.overdue),
            ("beyond", row.beyond),
        ):
            record_pct[name] = round(part * 100 / row.counted, 1)
    context = {
        "row": row,
        "table": table,
        "months": months,
        "pct": record_pct,
        "history": list(
            row.history.select_related("history_user").order_by("history_date", "pk")
        ),
        "level_labels": dict(Level.choices),
    }
    if permissions.can_decide(request.user, row):
        context["form"] = form or DecideForm(initial={"level": row.proposed_level})
    return context


class ClassificationView(HtmxLoginRequiredMixin, View):
    http_method_names = ["get", "head", "options"]

    def get(self, request, pk):
        row = load_classification(request, pk)
        return render_page(
            request, "appraisal/classification.html", detail_context(request, row)
        )


class DecideView(HtmxLoginRequiredMixin, View):
    http_method_names = ["post", "options"]

    def post(self, request, pk):
        row = load_classification(request, pk)
        if not permissions.may_decide(request.user, row):
            raise PermissionDenied(
                _("Chỉ cấp ủy có phạm vi được quyết định phân loại, không tự quyết.")
            )
        form = DecideForm(request.POST)
        if form.is_valid():
            try:
                services.classification_decide(
                    actor=request.user,
                    classification=row,
                    level=form.cleaned_data["level"],
                    reason=form.cleaned_data["reason"],
                )
            except ValidationError as exc:
                add_errors(form, exc)
            else:
                return done(
                    request,
                    row.get_absolute_url(),
                    _("Đã ghi quyết định phân loại; kết quả được chốt."),
                )
        row = load_classification(request, pk)
        return render_page(
            request,
            "appraisal/classification.html",
            detail_context(request, row, form),
            partial="decide-form",
            status=400,
        )


class PrintView(HtmxLoginRequiredMixin, View):
    """A sheet to print for one person (or unit): the period's record, the
    months it is made of, the proposal and the decision."""

    http_method_names = ["get", "head", "options"]

    def get(self, request, pk):
        row = load_classification(request, pk)
        context = detail_context(request, row)
        context.pop("form", None)
        context["printed_at"] = timezone.localtime()
        return render_page(request, "appraisal/print.html", context)


class ExportView(PeriodMixin, HtmxLoginRequiredMixin, View):
    """The list as an .xlsx file: the same rows as the page."""

    http_method_names = ["get", "head", "options"]

    def get(self, request):
        self.read_params(request.GET)
        period = self.period()
        rows = self.rows(period, EXPORT_LIMIT)
        label = (
            period.label
            if period
            else ClassificationPeriod(
                kind=self.kind, start=self.start, end=self.end
            ).label
        )
        content = classifications_workbook(
            rows,
            period_label=label,
            node_name=self.node.name if self.node else _("Tất cả đơn vị trong phạm vi"),
        )
        response = HttpResponse(content, content_type=XLSX)
        name = f"phan-loai-{self.year}"
        if self.quarter:
            name += f"-q{self.quarter}"
        response["Content-Disposition"] = f'attachment; filename="{name}.xlsx"'
        return response


urlpatterns = [
    path("classifications/", ClassificationListView.as_view(), name="classifications"),
    path(
        "classifications/propose/",
        ProposeView.as_view(),
        name="classification_propose",
    ),
    path(
        "classifications/export/",
        ExportView.as_view(),
        name="classifications_export",
    ),
    path(
        "classifications/<int:pk>/",
        ClassificationView.as_view(),
        name="classification",
    ),
    path(
        "classifications/<int:pk>/decide/",
        DecideView.as_view(),
        name="classification_decide",
    ),
    path(
        "classifications/<int:pk>/print/",
        PrintView.as_view(),
        name="classification_print",
    ),
]
