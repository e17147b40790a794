"""Quy tắc chấm điểm: the admins' page for the score rules. It shows the
rules in force and every earlier version; a change is typed into the form,
previewed on last month (current and proposed score of every person and
unit, and the difference), then saved as a new version and applied. The
months not yet confirmed are computed again; confirmed ones are frozen."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.forms.models import model_to_dict
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.views import View

from tasks.calendar import local_today

from .. import permissions, selectors, services
from ..choices import ScoreInput
from ..forms import RuleSetForm
from ..models import RuleSet
from ..preview import rules_preview
from ..rules import RULE_FIELDS
from .common import HtmxLoginRequiredMixin, add_errors, done, render_page


class RulesView(HtmxLoginRequiredMixin, View):
    http_method_names = ["get", "post", "head", "options"]

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not permissions.can_edit_rules(
            request.user
        ):
            raise PermissionDenied(_("Trang này dành cho quản trị hệ thống."))
        return super().dispatch(request, *args, **kwargs)

    def context(self, form, **extra):
        current = RuleSet.objects.filter(is_active=True).first()
        inputs = [
            (
                key,
                label,
                form[f"{key}_points"],
                form[f"{key}_cap"],
            )
            for key, label in ScoreInput.choices
        ]
        return {
            "form": form,
            "inputs": inputs,
            "current": current,
            "versions": list(RuleSet.objects.select_related("created_by")[:30]),
            "preview_month": selectors.previous_month(local_today()),
            **extra,
        }

    def get(self, request):
        current = services.active_rule_set()
        initial = (
            model_to_dict(current, fields=["name", *RULE_FIELDS]) if current else {}
        )
        initial["note"] = ""
        form = RuleSetForm(initial=initial)
        return render_page(request, "appraisal/rules.html", self.context(form))

    def post(self, request):
        form = RuleSetForm(request.POST)
        action = request.POST.get("action", "preview")
        if not form.is_valid():
            return render_page(
                request, "appraisal/rules.html", self.context(form), status=400
            )
        if action == "save":
            try:
                rule_set = services.rule_set_publish(
                    actor=request.user,
                    values=form.rule_values(),
                    note=form.cleaned_data["note"],
                    name=form.cleaned_data["name"],
                )
            except ValidationError as exc:
                add_errors(form, exc)
                return render_page(
                    request, "appraisal/rules.html", self.context(form), status=400
                )
            return done(
                request,
                reverse("appraisal:rules"),
                _(
                    "Đã lưu và áp dụng bộ quy tắc số %(v)s; điểm các tháng chưa chốt "
                    "đã được tính lại."
                )
                % {"v": rule_set.version},
            )
        current = services.active_rule_set()
        candidate = RuleSet(version=0, **form.rule_values())
        today = local_today()
        preview = rules_preview(
            candidate, current, selectors.previous_month(today), today
        )
        return render_page(
            request, "appraisal/rules.html", self.context(form, preview=preview)
        )


urlpatterns = [path("rules/", RulesView.as_view(), name="rules")]
