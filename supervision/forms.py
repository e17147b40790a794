"""Forms of supervision. The services have the last word; their Vietnamese
messages are shown at the fields (``apply_service_errors``)."""

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from tasks.forms_assign import (
    DATE_INPUT_FORMATS,
    TEXT_MAX_LENGTH,
    TaskAssignForm,
    leader_units,
)
from units.models import Membership, Unit, User
from units.scope import get_scope

from .choices import Severity, TargetKind, Topic
from .models import Target, ViolationItem

PEOPLE_LIMIT = 500
DATE_ERRORS = {
    "invalid": _("Ngày không hợp lệ: nhập theo dạng ngày/tháng/năm, ví dụ 31/12/2026.")
}


def _date(label, **kwargs):
    return forms.DateField(
        label=label,
        input_formats=DATE_INPUT_FORMATS,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={**DATE_ERRORS, "required": _("Cần nhập ngày.")},
        **kwargs,
    )


def people_choices(units_q: Q) -> list[tuple[int, str]]:
    """Active people with a seat in the units, once each, by name."""
    rows = (
        Membership.objects.filter(units_q, user__is_active=True)
        .order_by("user__full_name", "user__username")
        .values_list("user_id", "user__full_name", "user__username", "unit__name")
    )
    seen, choices = set(), []
    for pk, name, username, unit in rows[: PEOPLE_LIMIT * 3]:
        if pk in seen:
            continue
        seen.add(pk)
        choices.append((pk, f"{name or username} ({username}) — {unit}"))
    return choices[:PEOPLE_LIMIT]


class TeamForm(forms.Form):
    name = forms.CharField(
        label=_("Tên đoàn"),
        max_length=255,
        error_messages={"required": _("Cần nhập tên đoàn.")},
    )
    owner_unit = forms.ModelChoiceField(
        label=_("Cấp ủy thành lập đoàn"),
        queryset=Unit.objects.none(),
        error_messages={
            "required": _("Hãy chọn cấp ủy thành lập đoàn."),
            "invalid_choice": _("Đơn vị này không thuộc phạm vi bạn lãnh đạo."),
        },
    )
    leader = forms.ModelChoiceField(
        label=_("Trưởng đoàn"),
        queryset=User.objects.filter(is_active=True),
        error_messages={
            "required": _("Cần chọn trưởng đoàn."),
            "invalid_choice": _("Người này không có trong danh sách."),
        },
    )
    members = forms.ModelMultipleChoiceField(
        label=_("Thành viên"),
        queryset=User.objects.filter(is_active=True),
        required=False,
        error_messages={"invalid_choice": _("Có người không có trong danh sách.")},
    )
    start_date = _date(_("Hoạt động từ ngày"))
    end_date = _date(_("Đến ngày"))
    note = forms.CharField(
        label=_("Ghi chú (quyết định thành lập …)"),
        max_length=TEXT_MAX_LENGTH,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        units = leader_units(user).order_by("path")
        self.fields["owner_unit"].queryset = units
        self.fields["owner_unit"].widget.choices = [("", _("— Chọn —"))] + list(
            units.values_list("pk", "name")[:PEOPLE_LIMIT]
        )
        scope = get_scope(user)
        q = Q() if scope.is_all else scope.path_q("unit__", scope.leader_paths)
        people = people_choices(q)
        self.fields["leader"].widget.choices = [("", _("— Chọn —"))] + people
        self.fields["members"].widget.choices = people
        self.fields["members"].widget.attrs["size"] = 8


class TargetForm(forms.Form):
    unit = forms.ModelChoiceField(
        label=_("Đơn vị"),
        queryset=Unit.objects.none(),
        error_messages={
            "required": _("Cần chọn đơn vị được giám sát."),
            "invalid_choice": _("Đơn vị này không trực thuộc cấp ủy thành lập đoàn."),
        },
    )
    kind = forms.ChoiceField(
        label=_("Đối tượng"),
        choices=TargetKind.choices,
        error_messages={"required": _("Hãy chọn tổ chức đảng hoặc người đứng đầu.")},
    )
    head_person = forms.ModelChoiceField(
        label=_("Người đứng đầu"),
        queryset=User.objects.filter(is_active=True),
        required=False,
        help_text=_("Để trống: người đứng đầu ghi trong danh mục đơn vị."),
        error_messages={"invalid_choice": _("Người này không có trong danh sách.")},
    )

    def __init__(self, *args, team, **kwargs):
        super().__init__(*args, **kwargs)
        units = (
            Unit.objects.filter(path__startswith=team.owner_unit.path, is_active=True)
            .exclude(pk=team.owner_unit_id)
            .order_by("path")
        )
        self.fields["unit"].queryset = units
        self.fields["unit"].widget.choices = [("", _("— Chọn —"))] + [
            (pk, name) for pk, name in units.values_list("pk", "name")[:PEOPLE_LIMIT]
        ]
        q = Q(unit__path__startswith=team.owner_unit.path) & ~Q(
            unit_id=team.owner_unit_id
        )
        self.fields["head_person"].widget.choices = [
            ("", _("— Theo danh mục —"))
        ] + people_choices(q)


class PlanForm(forms.Form):
    target = forms.ModelChoiceField(
        label=_("Đối tượng"),
        queryset=Target.objects.none(),
        error_messages={
            "required": _("Hãy chọn một đối tượng của đoàn."),
            "invalid_choice": _("Hãy chọn một đối tượng của đoàn."),
        },
    )
    planned_date = _date(_("Ngày dự kiến"))

    def __init__(self, *args, team, targets=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["target"].queryset = Target.objects.filter(team=team)
        rows = (
            targets
            if targets is not None
            else list(
                self.fields["target"].queryset.select_related("unit", "head_person")
            )
        )
        self.fields["target"].widget.choices = [("", _("— Chọn —"))] + [
            (t.pk, f"{t} — {t.get_kind_display()}") for t in rows
        ]


class RecordForm(forms.Form):
    visited_on = _date(_("Ngày giám sát, kiểm tra"))
    topics = forms.MultipleChoiceField(
        label=_("Nội dung kiểm tra"),
        choices=Topic.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": _("Nội dung kiểm tra không hợp lệ.")},
    )
    subject = forms.CharField(
        label=_("Nội dung đã kiểm tra (ghi cụ thể)"),
        max_length=TEXT_MAX_LENGTH,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    summary = forms.CharField(
        label=_("Kết luận chung"),
        max_length=TEXT_MAX_LENGTH,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class InspectionForm(RecordForm):
    """A surprise inspection: which target, and its record at once."""

    def __init__(self, *args, team, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["target"] = PlanForm(team=team).fields["target"]
        self.order_fields(["target", "visited_on", "topics", "subject", "summary"])


class FindingForm(forms.Form):
    violations = forms.ModelMultipleChoiceField(
        label=_("Biểu hiện vi phạm (theo danh mục)"),
        queryset=ViolationItem.objects.filter(is_active=True),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "invalid_choice": _("Biểu hiện này không có hoặc đã ngừng áp dụng."),
            "invalid_pk_value": _("Biểu hiện vi phạm không hợp lệ."),
        },
    )
    other_violation = forms.CharField(
        label=_("Biểu hiện khác (ngoài danh mục)"), max_length=500, required=False
    )
    description = forms.CharField(
        label=_("Nội dung phát hiện"),
        max_length=TEXT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Cần ghi nội dung phát hiện.")},
    )
    unit = forms.ModelChoiceField(
        label=_("Đơn vị liên quan"),
        queryset=Unit.objects.none(),
        required=False,
        help_text=_("Để trống: đơn vị được giám sát."),
        error_messages={
            "invalid_choice": _(
                "Đơn vị liên quan phải là đơn vị được giám sát hoặc đơn vị trực thuộc."
            )
        },
    )
    severity = forms.ChoiceField(
        label=_("Mức độ"),
        choices=[("", _("— Không ghi —")), *Severity.choices],
        required=False,
    )

    def __init__(self, *args, visit, items=None, **kwargs):
        super().__init__(*args, **kwargs)
        unit = visit.target.unit
        units = Unit.objects.filter(path__startswith=unit.path).order_by("path")
        self.fields["unit"].queryset = units
        self.fields["unit"].widget.choices = [("", _("— Đơn vị được giám sát —"))] + [
            (pk, name) for pk, name in units.values_list("pk", "name")[:PEOPLE_LIMIT]
        ]
        items = (
            items
            if items is not None
            else list(ViolationItem.objects.filter(is_active=True))
        )
        self.fields["violations"].widget.choices = [(i.pk, str(i)) for i in items]


class RemediationForm(TaskAssignForm):
    """A remediation task with its five rõ; the lead unit is the finding's
    unit or one under it that the user leads."""

    def __init__(self, *args, user, finding, **kwargs):
        super().__init__(*args, user=user, **kwargs)
        units = leader_units(user).filter(path__startswith=finding.unit.path)
        allowed = set(units.values_list("pk", flat=True))
        self.fields["lead_unit"].queryset = units
        self.fields["lead_unit"].error_messages["invalid_choice"] = _(
            "Đơn vị chủ trì phải là đơn vị có phát hiện hoặc đơn vị trực thuộc, "
            "thuộc phạm vi bạn lãnh đạo."
        )
        choices = self.fields["lead_unit"].widget.choices
        self.fields["lead_unit"].widget.choices = [
            (pk, label) for pk, label in choices if pk == "" or pk in allowed
        ]
