"""Pages of supervision.

- ``supervision:index`` — the teams the user may see with their coverage;
  for a supervised unit, the filed records about it and the dates of the
  planned supervision (never a record before it is filed).
- ``supervision:team_create`` — leaders: set up a team of their unit.
- ``supervision:team`` — members, targets, the plan of visits, coverage;
  ``target_add`` and ``plan`` post its forms.
- ``supervision:inspect`` — record a surprise inspection (kiểm tra đột xuất).
- ``supervision:visit`` — a visit's record and findings; ``record``,
  ``finding_add`` and ``file`` post its forms.
- ``supervision:finding`` — one finding, its remediation tasks and state;
  ``remediate`` creates a task with all five rõ.
- ``supervision:findings`` — the filed findings, filtered: where the
  summary's numbers lead.
- ``supervision:summary`` (``summary_print``, ``summary_export``) — the
  supervision summary (Tổng hợp giám sát), its print view and .xlsx.
- ``supervision:task_finding`` — on a task's page (htmx slot): the finding
  the task remedies, if any.

Every object is looked up through ``<Model>.objects.visible_to(user)``: one
out of reach is a 404, like a missing id; one in sight but not the user's to
change is a 403. Forms post without JavaScript (redirect on success, the
page again with messages and a 400 on bad input).
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from tasks.calendar import local_today
from tasks.forms_assign import apply_service_errors, initial_from
from tasks.models import Task
from tasks.views.mixins import HtmxLoginRequiredMixin

from . import permissions, selectors, services
from .choices import FindingState, VisitStatus
from .exports import summary_workbook
from .forms import (
    FindingForm,
    InspectionForm,
    PlanForm,
    RecordForm,
    RemediationForm,
    TargetForm,
    TeamForm,
)
from .models import Finding, FindingTask, Target, Team, ViolationItem, Visit

LIST_LIMIT = 500
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _visible_team(user, pk) -> Team:
    return get_object_or_404(
        Team.objects.visible_to(user)
        .select_related("owner_unit", "leader")
        .prefetch_related("members"),
        pk=pk,
    )


def _visible_visit(user, pk) -> Visit:
    return get_object_or_404(
        Visit.objects.visible_to(user).select_related(
            "team__owner_unit",
            "team__leader",
            "target__unit",
            "target__head_person",
            "filed_by",
            "created_by",
        ),
        pk=pk,
    )


def _visible_finding(user, pk) -> Finding:
    return get_object_or_404(
        selectors.with_state(Finding.objects.visible_to(user)).select_related(
            "visit__team__owner_unit",
            "visit__team__leader",
            "visit__target__unit",
            "visit__target__head_person",
            "unit",
        ),
        pk=pk,
    )


def _refuse(allowed: bool, message: str) -> None:
    if not allowed:
        raise PermissionDenied(message)


# --- the index ------------------------------------------------------------------


class IndexView(HtmxLoginRequiredMixin, View):
    template_name = "supervision/index.html"

    def get(self, request):
        user = request.user
        coverage = selectors.coverage_rows(Team.objects.visible_to(user))
        return render(
            request,
            self.template_name,
            {
                "coverage": coverage,
                "plans": selectors.plans_for_unit(user),
                "filed": selectors.filed_for_unit(user),
                "may_set_up": permissions.may_set_up_teams(user),
                "follows": permissions.follows_supervision(user),
            },
        )


class TeamCreateView(HtmxLoginRequiredMixin, View):
    template_name = "supervision/team_form.html"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not permissions.may_set_up_teams(
            request.user
        ):
            raise PermissionDenied(_("Chỉ lãnh đạo cấp ủy mới lập đoàn giám sát."))
        return super().dispatch(request, *args, **kwargs)

    def get(self, request):
        return self.render(TeamForm(user=request.user))

    def post(self, request):
        form = TeamForm(request.POST, user=request.user)
        if form.is_valid():
            try:
                team = services.team_create(actor=request.user, **form.cleaned_data)
            except ValidationError as exc:
                apply_service_errors(form, exc)
            else:
                messages.success(
                    request, _("Đã lập đoàn “%(name)s”.") % {"name": team.name}
                )
                return redirect(team)
        return self.render(form, status=400)

    def render(self, form, status=200):
        return render(self.request, self.template_name, {"form": form}, status=status)


# --- a team -----------------------------------------------------------------------


def team_page(request, team, *, target_form=None, plan_form=None, status=200):
    user = request.user
    targets = list(
        Target.objects.filter(team=team)
        .select_related("unit", "head_person")
        .order_by("unit__path", "kind")
    )
    visits = list(
        Visit.objects.filter(team=team)
        .select_related("target__unit", "target__head_person")
        .order_by("planned_date", "visited_on", "pk")
    )
    coverage = selectors.coverage_rows(Team.objects.filter(pk=team.pk))[0]
    can_targets = permissions.can_manage_targets(user, team)
    can_plan = permissions.can_plan(user, team)
    if can_targets and target_form is None:
        target_form = TargetForm(team=team)
    if can_plan and plan_form is None:
        plan_form = PlanForm(team=team, targets=targets)
    return render(
        request,
        "supervision/team.html",
        {
            "team": team,
            "members": list(team.members.all()),
            "targets": targets,
            "visits": visits,
            "coverage": coverage,
            "target_form": target_form if can_targets else None,
            "plan_form": plan_form if can_plan else None,
            "can_inspect": permissions.can_inspect(user, team),
            "is_committee": permissions.is_committee(user, team),
        },
        status=status,
    )


class TeamView(HtmxLoginRequiredMixin, View):
    def get(self, request, pk):
        return team_page(request, _visible_team(request.user, pk))


class TeamFormPostView(HtmxLoginRequiredMixin, View):
    """A form of the team page, posted: allowed → service → back to the
    team page; bad input → the team page again with the form (400)."""

    form_class = None
    form_name = ""  # the form's name in ``team_page``
    success_message = ""

    def allowed(self, user, team) -> bool:
        raise NotImplementedError

    def refusal(self) -> str:
        raise NotImplementedError

    def save(self, user, team, data) -> None:
        raise NotImplementedError

    def post(self, request, pk):
        team = _visible_team(request.user, pk)
        _refuse(self.allowed(request.user, team), self.refusal())
        form = self.form_class(request.POST, team=team)
        if form.is_valid():
            try:
                self.save(request.user, team, form.cleaned_data)
            except ValidationError as exc:
                apply_service_errors(form, exc)
            else:
                messages.success(request, self.success_message)
                return redirect(team)
        return team_page(request, team, status=400, **{self.form_name: form})


class TargetAddView(TeamFormPostView):
    form_class = TargetForm
    form_name = "target_form"
    success_message = gettext_lazy("Đã thêm đối tượng giám sát.")

    def allowed(self, user, team):
        return permissions.can_manage_targets(user, team)

    def refusal(self):
        return _("Chỉ lãnh đạo cấp ủy thành lập đoàn mới thêm được đối tượng giám sát.")

    def save(self, user, team, data):
        services.target_add(actor=user, team=team, **data)


class PlanView(TeamFormPostView):
    form_class = PlanForm
    form_name = "plan_form"
    success_message = gettext_lazy("Đã đưa đợt giám sát vào kế hoạch.")

    def allowed(self, user, team):
        return permissions.can_plan(user, team)

    def refusal(self):
        return _("Chỉ trưởng đoàn hoặc lãnh đạo cấp ủy lập được kế hoạch giám sát.")

    def save(self, user, team, data):
        services.visit_plan(actor=user, team=team, **data)


class InspectionCreateView(HtmxLoginRequiredMixin, View):
    template_name = "supervision/inspect.html"

    def team(self, request, pk) -> Team:
        team = _visible_team(request.user, pk)
        _refuse(
            permissions.can_inspect(request.user, team),
            _("Chỉ thành viên đoàn hoặc lãnh đạo cấp ủy ghi được kiểm tra đột xuất."),
        )
        return team

    def get(self, request, pk):
        team = self.team(request, pk)
        form = InspectionForm(team=team, initial={"visited_on": local_today()})
        return self.render(team, form)

    def post(self, request, pk):
        team = self.team(request, pk)
        form = InspectionForm(request.POST, team=team)
        if form.is_valid():
            try:
                visit = services.inspection_create(
                    actor=request.user, team=team, **form.cleaned_data
                )
            except ValidationError as exc:
                apply_service_errors(form, exc)
            else:
                messages.success(
                    request,
                    _(
                        "Đã ghi kiểm tra đột xuất. Đơn vị chỉ thấy biên bản sau khi "
                        "trưởng đoàn hoàn thành."
                    ),
                )
                return redirect(visit)
        return self.render(team, form, status=400)

    def render(self, team, form, status=200):
        return render(
            self.request,
            self.template_name,
            {"team": team, "form": form},
            status=status,
        )


# --- a visit ------------------------------------------------------------------------


def visit_page(request, visit, *, record_form=None, finding_form=None, status=200):
    user = request.user
    findings = list(
        selectors.with_state(Finding.objects.filter(visit=visit))
        .select_related("unit")
        .prefetch_related("violations")
        .order_by("pk")
    )
    for finding in findings:
        finding.state = selectors.state_of(finding)
    can_record = permissions.can_record(user, visit)
    if can_record:
        if record_form is None:
            record_form = RecordForm(
                initial={
                    "visited_on": visit.visited_on or local_today(),
                    "topics": visit.topics,
                    "subject": visit.subject,
                    "summary": visit.summary,
                }
            )
        if finding_form is None and visit.status == VisitStatus.DRAFT:
            finding_form = FindingForm(visit=visit)
    return render(
        request,
        "supervision/visit.html",
        {
            "visit": visit,
            "team": visit.team,
            "findings": findings,
            "record_form": record_form if can_record else None,
            "finding_form": finding_form if can_record else None,
            "can_file": permissions.can_file(user, visit),
            "in_team_view": permissions.can_view_team(user, visit.team),
        },
        status=status,
    )


class VisitView(HtmxLoginRequiredMixin, View):
    def get(self, request, pk):
        return visit_page(request, _visible_visit(request.user, pk))


class VisitWriteMixin(HtmxLoginRequiredMixin):
    def visit(self, request, pk) -> Visit:
        visit = _visible_visit(request.user, pk)
        _refuse(
            permissions.can_record(request.user, visit),
            _("Biên bản đã hoàn thành hoặc bạn không thuộc đoàn giám sát này."),
        )
        return visit


class VisitRecordView(VisitWriteMixin, View):
    def post(self, request, pk):
        visit = self.visit(request, pk)
        form = RecordForm(request.POST)
        if form.is_valid():
            try:
                services.visit_record(
                    actor=request.user, visit=visit, **form.cleaned_data
                )
            except ValidationError as exc:
                apply_service_errors(form, exc)
            else:
                messages.success(request, _("Đã lưu biên bản."))
                return redirect(visit)
        return visit_page(request, visit, record_form=form, status=400)


class FindingAddView(VisitWriteMixin, View):
    def post(self, request, pk):
        visit = self.visit(request, pk)
        form = FindingForm(request.POST, visit=visit)
        if form.is_valid():
            try:
                services.finding_add(
                    actor=request.user,
                    visit=visit,
                    violations=list(form.cleaned_data["violations"]),
                    other_violation=form.cleaned_data["other_violation"],
                    description=form.cleaned_data["description"],
                    unit=form.cleaned_data["unit"],
                    severity=form.cleaned_data["severity"],
                )
            except ValidationError as exc:
                apply_service_errors(form, exc)
            else:
                messages.success(request, _("Đã ghi phát hiện."))
                return redirect(visit)
        return visit_page(request, visit, finding_form=form, status=400)


class VisitFileView(HtmxLoginRequiredMixin, View):
    def post(self, request, pk):
        visit = _visible_visit(request.user, pk)
        if visit.status == VisitStatus.FILED or not permissions.can_file(
            request.user, visit
        ):
            if visit.status == VisitStatus.PLANNED and permissions.can_record(
                request.user, visit
            ):
                messages.error(request, _("Chưa ghi biên bản: chưa thể hoàn thành."))
                return visit_page(request, visit, status=400)
            raise PermissionDenied(
                _("Chỉ trưởng đoàn hoặc lãnh đạo cấp ủy hoàn thành được biên bản.")
            )
        services.visit_file(actor=request.user, visit=visit)
        messages.success(
            request,
            _("Đã hoàn thành biên bản; đơn vị được giám sát đã xem được kết quả."),
        )
        return redirect(visit)


# --- findings -----------------------------------------------------------------------


class FindingView(HtmxLoginRequiredMixin, View):
    def get(self, request, pk):
        finding = _visible_finding(request.user, pk)
        return finding_page(request, finding)


def finding_page(request, finding, *, status=200):
    today = local_today()
    tasks = list(
        Task.objects.filter(supervision_link__finding=finding)
        .with_timeliness(today)
        .select_related("lead_unit", "assignee", "accountable_leader")
        .order_by("deadline", "pk")
    )
    return render(
        request,
        "supervision/finding.html",
        {
            "finding": finding,
            "visit": finding.visit,
            "state": selectors.state_of(finding),
            "violations": list(finding.violations.all()),
            "tasks": tasks,
            "can_remediate": permissions.can_remediate(request.user, finding),
            "today": today,
        },
        status=status,
    )


class RemediationView(HtmxLoginRequiredMixin, View):
    template_name = "supervision/remediate.html"

    def finding(self, request, pk) -> Finding:
        finding = _visible_finding(request.user, pk)
        _refuse(
            permissions.can_remediate(request.user, finding),
            _(
                "Chỉ trưởng đoàn hoặc lãnh đạo cấp ủy tạo được nhiệm vụ khắc phục, "
                "sau khi biên bản đã hoàn thành."
            ),
        )
        return finding

    def get(self, request, pk):
        finding = self.finding(request, pk)
        initial = initial_from(RemediationForm, request.GET)
        initial.setdefault("lead_unit", finding.unit_id)
        initial.setdefault("description", finding.description)
        form = RemediationForm(user=request.user, finding=finding, initial=initial)
        return self.render(finding, form)

    def post(self, request, pk):
        finding = self.finding(request, pk)
        if "refresh" in request.POST:
            initial = initial_from(RemediationForm, request.POST)
            form = RemediationForm(user=request.user, finding=finding, initial=initial)
            return self.render(finding, form)
        form = RemediationForm(request.POST, user=request.user, finding=finding)
        if form.is_valid():
            try:
                task = services.remediation_create(
                    actor=request.user, finding=finding, **form.service_kwargs()
                )
            except ValidationError as exc:
                apply_service_errors(form, exc)
            else:
                messages.success(
                    request,
                    _("Đã giao nhiệm vụ khắc phục “%(title)s”.")
                    % {"title": task.title},
                )
                return redirect(finding)
        return self.render(finding, form, status=400)

    def render(self, finding, form, status=200):
        return render(
            self.request,
            self.template_name,
            {"finding": finding, "form": form},
            status=status,
        )


def _int(raw):
    if raw in (None, ""):
        return None
    try:
        return int(raw)
    except (TypeError, ValueError):
        raise Http404(_("Bộ lọc không hợp lệ.")) from None


def filters_from(params) -> selectors.FindingFilters:
    violation = params.get("violation") or None
    if violation not in (None, selectors.OTHER):
        violation = str(_int(violation))
    state = params.get("state") or None
    if state not in (None, *FindingState.values):
        raise Http404(_("Bộ lọc không hợp lệ."))
    return selectors.FindingFilters(
        team=_int(params.get("team")),
        violation=violation,
        unit=_int(params.get("unit")),
        state=state,
    )


class FindingListView(HtmxLoginRequiredMixin, View):
    template_name = "supervision/findings.html"

    def get(self, request):
        filters = filters_from(request.GET)
        rows = selectors.finding_list(request.user, filters, limit=LIST_LIMIT + 1)
        for row in rows:
            row.state = selectors.state_of(row)
        labels = []
        if filters.team:
            team = Team.objects.visible_to(request.user).filter(pk=filters.team).first()
            labels.append(_("Đoàn: %(v)s") % {"v": team or "—"})
        if filters.violation == selectors.OTHER:
            labels.append(_("Biểu hiện khác (ngoài danh mục)"))
        elif filters.violation:
            item = ViolationItem.objects.filter(pk=filters.violation).first()
            labels.append(_("Biểu hiện: %(v)s") % {"v": item or "—"})
        if filters.unit:
            from units.models import Unit

            unit = Unit.objects.filter(pk=filters.unit).first()
            labels.append(_("Đơn vị: %(v)s") % {"v": unit or "—"})
        if filters.state:
            labels.append(FindingState(filters.state).label)
        return render(
            request,
            self.template_name,
            {
                "rows": rows[:LIST_LIMIT],
                "truncated": len(rows) > LIST_LIMIT,
                "labels": labels,
                "filters": filters,
            },
        )


# --- the summary ----------------------------------------------------------------------


class SummaryMixin(HtmxLoginRequiredMixin):
    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not permissions.follows_supervision(
            request.user
        ):
            raise PermissionDenied(
                _("Trang này dành cho lãnh đạo và cán bộ theo dõi của cấp ủy.")
            )
        return super().dispatch(request, *args, **kwargs)


class SummaryView(SummaryMixin, View):
    template_name = "supervision/summary.html"

    def get(self, request):
        data = selectors.summary(request.user)
        return render(
            request,
            self.template_name,
            {"data": data, "now": timezone.localtime(), "OTHER": selectors.OTHER},
        )


class SummaryPrintView(SummaryView):
    template_name = "supervision/summary_print.html"


class SummaryExportView(SummaryMixin, View):
    def get(self, request):
        data = selectors.summary(request.user)
        content = summary_workbook(
            data, user_name=request.user.get_full_name(), generated=timezone.localtime()
        )
        response = HttpResponse(content, content_type=XLSX)
        name = f"tong-hop-giam-sat-{data.today:%Y%m%d}.xlsx"
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        return response


# --- the task page's slot ---------------------------------------------------------


class TaskFindingView(HtmxLoginRequiredMixin, View):
    """The finding a task remedies, for the task's page: a fragment for
    htmx (204 when the task remedies none), else a redirect to the finding.
    The task must be visible to the user; the finding is linked only when
    they may see it too."""

    def get(self, request, pk):
        task = get_object_or_404(Task.objects.visible_to(request.user), pk=pk)
        link = (
            FindingTask.objects.filter(task=task)
            .select_related(
                "finding__visit__team__owner_unit",
                "finding__visit__target__unit",
                "finding__unit",
            )
            .first()
        )
        finding = link.finding if link else None
        visible = finding is not None and permissions.can_view_finding(
            request.user, finding
        )
        if not request.htmx:
            if not visible:
                raise Http404(_("Nhiệm vụ này không gắn với phát hiện giám sát nào."))
            return redirect(finding)
        if finding is None:
            return HttpResponse(status=204)
        return render(
            request,
            "supervision/partials/_task_finding.html",
            {"finding": finding, "visible": visible},
        )
