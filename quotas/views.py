"""Pages of the hard-task quotas.

- ``quotas:mine`` — one's own quota in the current period, registrations
  and their decisions, reminders, and the form to register a task.
- ``quotas:register`` — register an existing task of one's own (assignee
  or accountable leader).
- ``quotas:register_new`` — leaders: create a task with its five rõ and
  register it at once.
- ``quotas:review`` — leaders: the registrations waiting for their
  decision.
- ``quotas:decide`` — one registration; its leaders confirm or refuse it.
- ``quotas:short`` — who is short of their quota in a unit's subtree:
  names for leaders over it, numbers per unit for reviewers.

Forms post normally without JavaScript (a redirect on success, the page
again with the messages and a 400 on bad input); with htmx the form is
swapped in place (400 on bad input) and a success redirects the browser.
Every page's query count is fixed (pinned in tests/quotas/test_views.py).
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View
from django_htmx.http import HttpResponseClientRedirect

from tasks.calendar import local_today
from tasks.forms_assign import apply_service_errors, initial_from
from tasks.permissions import is_leader
from tasks.views.mixins import HtmxLoginRequiredMixin
from units.models import Unit
from units.scope import get_scope

from . import permissions, services
from .choices import RegistrationStatus
from .forms import RegisterForm, RegisterNewForm
from .models import QuotaPeriod, QuotaReminder, Registration
from .selectors import (
    period_on,
    person_quota,
    person_quotas,
    quota_memberships,
)

NAMES_LIMIT = 500
REVIEW_LIMIT = 200


def _done(request, url: str):
    if request.htmx:
        return HttpResponseClientRedirect(url)
    return redirect(url)


def _current_period(today):
    """The period of today, or else the latest one (to show a past record)."""
    return period_on(today) or QuotaPeriod.objects.order_by("-start").first()


class MineView(HtmxLoginRequiredMixin, View):
    template_name = "quotas/mine.html"

    def get(self, request):
        user, today = request.user, local_today()
        period = _current_period(today)
        context = {
            "period": period,
            "today": today,
            "can_create": is_leader(user),
            "may_register": permissions.may_register(user),
        }
        if period is not None:
            registrations = list(
                Registration.objects.filter(period=period, person=user)
                .select_related("task", "unit", "decided_by")
                .order_by("-registered_at", "-pk")
            )
            context.update(
                quota=person_quota(period, user),
                registrations=registrations,
                reminders=list(
                    QuotaReminder.objects.filter(period=period, person=user)
                    .select_related("step")
                    .order_by("-created_at")[:5]
                ),
                is_open=period.start <= today <= period.registration_deadline,
                form=RegisterForm(user=user, period=period),
            )
        if permissions.decides_anything(user):
            context["to_decide"] = reviewable(user).count()
        return render(request, self.template_name, context)


def reviewable(user):
    """Pending registrations in units the user leads, not their own."""
    scope = get_scope(user)
    qs = Registration.objects.filter(status=RegistrationStatus.PENDING).exclude(
        person=user
    )
    if not scope.is_all:
        qs = qs.filter(scope.path_q("unit__", scope.leader_paths))
    return qs


class RegistrantMixin(HtmxLoginRequiredMixin):
    """Staff and leaders register hard tasks; a reviewer's seat (Thường
    trực, Văn phòng theo dõi) is for following the work, not doing it."""

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not permissions.may_register(request.user):
            raise PermissionDenied(
                _("Chỉ cán bộ, lãnh đạo đơn vị mới đăng ký việc khó.")
            )
        return super().dispatch(request, *args, **kwargs)


class RegisterView(RegistrantMixin, View):
    template_name = "quotas/register.html"
    partial_template_name = "quotas/partials/_register_form.html"

    def get(self, request):
        period = period_on(local_today())
        initial = {"task": request.GET.get("task")} if request.GET.get("task") else {}
        form = RegisterForm(user=request.user, period=period, initial=initial)
        return self.render(form, period)

    def post(self, request):
        period = period_on(local_today())
        form = RegisterForm(request.POST, user=request.user, period=period)
        if form.is_valid():
            try:
                registration = services.registration_create(
                    actor=request.user,
                    task=form.cleaned_data["task"],
                    reason=form.cleaned_data["reason"],
                )
            except ValidationError as exc:
                apply_service_errors(form, exc)
            else:
                messages.success(
                    request,
                    _(
                        "Đã đăng ký “%(title)s” là việc khó; chờ lãnh đạo đơn vị "
                        "xác nhận."
                    )
                    % {"title": registration.task.title},
                )
                return _done(request, reverse("quotas:mine"))
        return self.render(form, period, status=400)

    def render(self, form, period, status=200):
        template = self.partial_template_name if self.request.htmx else None
        return render(
            self.request,
            template or self.template_name,
            {"form": form, "period": period},
            status=status,
        )


class LeaderOnlyMixin(HtmxLoginRequiredMixin):
    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not permissions.decides_anything(
            request.user
        ):
            raise PermissionDenied(_("Trang này dành cho lãnh đạo đơn vị."))
        return super().dispatch(request, *args, **kwargs)


class RegisterNewView(LeaderOnlyMixin, View):
    template_name = "quotas/register_new.html"

    def get(self, request):
        initial = initial_from(RegisterNewForm, request.GET)
        return self.render(RegisterNewForm(user=request.user, initial=initial))

    def post(self, request):
        if "refresh" in request.POST:
            initial = initial_from(RegisterNewForm, request.POST)
            return self.render(RegisterNewForm(user=request.user, initial=initial))
        form = RegisterNewForm(request.POST, user=request.user)
        if form.is_valid():
            try:
                registration = services.registration_create_with_task(
                    actor=request.user,
                    reason=form.cleaned_data.get("reason", ""),
                    **form.service_kwargs(),
                )
            except ValidationError as exc:
                apply_service_errors(form, exc)
            else:
                messages.success(
                    request,
                    _(
                        "Đã giao nhiệm vụ “%(title)s” và đăng ký là việc khó của "
                        "bạn; chờ lãnh đạo xác nhận."
                    )
                    % {"title": registration.task.title},
                )
                return redirect("quotas:mine")
        return self.render(form, status=400)

    def render(self, form, status=200):
        return render(self.request, self.template_name, {"form": form}, status=status)


class ReviewView(LeaderOnlyMixin, View):
    template_name = "quotas/review.html"

    def get(self, request):
        qs = reviewable(request.user)
        rows = list(
            qs.select_related("task", "unit", "person", "period").order_by(
                "registered_at", "pk"
            )[:REVIEW_LIMIT]
        )
        return render(
            request,
            self.template_name,
            {"rows": rows, "total": len(rows), "limit": REVIEW_LIMIT},
        )


def visible_registration(user, pk) -> Registration:
    """The registration, if the user may see it: the person who registered
    it, a leader or reviewer over its unit, a superuser. Else 404."""
    registration = get_object_or_404(
        Registration.objects.select_related(
            "task", "unit", "person", "period", "decided_by"
        ),
        pk=pk,
    )
    scope = get_scope(user)
    if registration.person_id == user.pk or scope.covers_path(registration.unit.path):
        return registration
    raise Http404(_("Không tìm thấy đăng ký việc khó này."))


class DecideView(HtmxLoginRequiredMixin, View):
    template_name = "quotas/decide.html"
    partial_template_name = "quotas/partials/_decide_form.html"

    def get(self, request, pk):
        registration = visible_registration(request.user, pk)
        return self.render(registration, {})

    def post(self, request, pk):
        registration = visible_registration(request.user, pk)
        if not permissions.can_decide(request.user, registration):
            raise PermissionDenied(
                _(
                    "Chỉ lãnh đạo đơn vị (hoặc cấp trên) xác nhận việc khó, và không "
                    "ai tự xác nhận việc khó của mình."
                )
            )
        decision = request.POST.get("decision", "")
        reason = request.POST.get("refusal_reason", "")
        errors: dict[str, list[str]] = {}
        try:
            if decision == "confirm":
                services.registration_confirm(
                    actor=request.user, registration=registration
                )
                messages.success(
                    request,
                    _("Đã xác nhận “%(title)s” là việc khó của %(who)s.")
                    % {"title": registration.task.title, "who": registration.person},
                )
            elif decision == "refuse":
                services.registration_refuse(
                    actor=request.user, registration=registration, reason=reason
                )
                messages.success(
                    request,
                    _("Đã trả lời %(who)s: không xác nhận là việc khó.")
                    % {"who": registration.person},
                )
            else:
                errors[""] = [_("Hãy chọn xác nhận hoặc không xác nhận.")]
        except ValidationError as exc:
            if hasattr(exc, "error_dict"):
                errors = {k: [str(m) for m in v] for k, v in exc.message_dict.items()}
            else:
                errors[""] = [str(m) for m in exc.messages]
        if not errors:
            return _done(request, reverse("quotas:review"))
        registration.refresh_from_db()
        return self.render(
            registration, errors, reason=reason, status=400, partial=request.htmx
        )

    def render(self, registration, errors, *, reason="", status=200, partial=False):
        return render(
            self.request,
            self.partial_template_name if partial else self.template_name,
            {
                "registration": registration,
                "can_decide": registration.status == RegistrationStatus.PENDING
                and permissions.can_decide(self.request.user, registration),
                "errors": errors.get("", []),
                "reason_errors": errors.get("refusal_reason", []),
                "reason": reason,
            },
            status=status,
        )


class ShortView(HtmxLoginRequiredMixin, View):
    """Who is short of their quota in a unit's subtree, in a period."""

    template_name = "quotas/short.html"

    def get(self, request):
        user = request.user
        scope = get_scope(user)
        if not permissions.follows_units(user):
            raise PermissionDenied(
                _("Trang này dành cho lãnh đạo và cán bộ theo dõi của cấp ủy.")
            )
        unit = self._unit(scope, request.GET.get("unit"))
        period = self._period(request.GET.get("period"))
        context = {"unit": unit, "period": period}
        if period is not None and unit is not None:
            if permissions.sees_names(user, unit):
                people = person_quotas(
                    period, path=unit.path, short_only=True, limit=NAMES_LIMIT + 1
                )
                context.update(
                    with_names=True,
                    people=people[:NAMES_LIMIT],
                    truncated=len(people) > NAMES_LIMIT,
                )
            else:
                context.update(with_names=False, units=self._by_unit(period, unit))
        return render(request, self.template_name, context)

    @staticmethod
    def _unit(scope, raw):
        if raw:
            try:
                pk = int(raw)
            except (TypeError, ValueError):
                raise Http404(_("Mã đơn vị không hợp lệ.")) from None
            unit = Unit.objects.filter(pk=pk).first()
            if unit is None or not scope.covers_path(unit.path):
                raise Http404(_("Không có đơn vị này trong phạm vi bạn theo dõi."))
            return unit
        if scope.is_all:
            return Unit.objects.filter(depth=1).order_by("path").first()
        return Unit.objects.filter(path=min(scope.subtree_paths)).first()

    @staticmethod
    def _period(raw):
        if raw:
            try:
                pk = int(raw)
            except (TypeError, ValueError):
                raise Http404(_("Kỳ không hợp lệ.")) from None
            period = QuotaPeriod.objects.filter(pk=pk).first()
            if period is None:
                raise Http404(_("Không có kỳ đăng ký này."))
            return period
        return _current_period(local_today())

    @staticmethod
    def _by_unit(period, unit):
        """People with a quota and those short, per unit of the subtree that
        has anyone short: numbers only."""
        from django.db.models import F

        return list(
            quota_memberships(period.pk)
            .filter(unit__path__startswith=unit.path)
            .order_by()
            .values("unit_id", "unit__name", "unit__path")
            .annotate(
                people=Count("pk"),
                short=Count("pk", filter=Q(confirmed__lt=F("minimum"))),
            )
            .filter(short__gt=0)
            .order_by("unit__path")
        )
