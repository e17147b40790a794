"""Forms of the accountability pages. They check the shape of what was
typed, with Vietnamese messages; the rules themselves are the services'."""

import datetime

from django import forms
from django.utils.translation import gettext_lazy as _

from units.models import User

from .choices import Level, PeerCriterion, PeriodKind
from .models import RuleSet
from .rules import RULE_FIELDS


class OwnIdsMixin:
    """Field ids of their own (``leader_level_0`` …), so that several forms
    on one page never share an id and each label finds its field."""

    id_prefix = ""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", f"{self.id_prefix}_%s")
        super().__init__(*args, **kwargs)


LEVEL_REQUIRED = {"required": _("Hãy chọn một mức đánh giá.")}


def level_field(label):
    """A choice among the four classification levels, as radio buttons."""
    return forms.ChoiceField(
        label=label,
        choices=Level.choices,
        widget=forms.RadioSelect,
        error_messages={**LEVEL_REQUIRED, "invalid_choice": _("Mức không hợp lệ.")},
    )


SCALE = [(str(n), str(n)) for n in range(1, 6)]


class SelfAssessForm(OwnIdsMixin, forms.Form):
    id_prefix = "self"
    level = level_field(_("Mức tự đánh giá"))
    comment = forms.CharField(
        label=_("Tự nhận xét"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        error_messages={"required": _("Hãy viết vài dòng tự nhận xét.")},
        help_text=_("Việc đã làm được, việc còn chậm và lý do."),
    )


class LeaderAssessForm(OwnIdsMixin, forms.Form):
    id_prefix = "leader"
    level = level_field(_("Mức lãnh đạo đánh giá"))
    comment = forms.CharField(
        label=_("Nhận xét của lãnh đạo"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        required=False,
        help_text=_("Bắt buộc khi khác mức cán bộ tự đánh giá."),
    )


class ConfirmForm(OwnIdsMixin, forms.Form):
    id_prefix = "confirm"
    level = level_field(_("Mức xác nhận"))
    note = forms.CharField(
        label=_("Ý kiến"),
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=2000,
        required=False,
        help_text=_("Bắt buộc khi khác mức lãnh đạo đã đánh giá."),
    )


class PeerForm(OwnIdsMixin, forms.Form):
    id_prefix = "peer"
    evaluated = forms.ModelChoiceField(
        label=_("Đồng nghiệp"),
        queryset=User.objects.none(),
        empty_label=_("— chọn đồng nghiệp —"),
        error_messages={
            "required": _("Hãy chọn đồng nghiệp được đánh giá."),
            "invalid_choice": _("Người này không có tên trong đợt chấm điểm."),
        },
    )
    responsibility = forms.TypedChoiceField(
        label=PeerCriterion.RESPONSIBILITY.label,
        choices=SCALE,
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Chấm từ 1 đến 5."),
            "invalid_choice": _("Chấm từ 1 đến 5."),
        },
    )
    cooperation = forms.TypedChoiceField(
        label=PeerCriterion.COOPERATION.label,
        choices=SCALE,
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Chấm từ 1 đến 5."),
            "invalid_choice": _("Chấm từ 1 đến 5."),
        },
    )
    quality = forms.TypedChoiceField(
        label=PeerCriterion.QUALITY.label,
        choices=SCALE,
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Chấm từ 1 đến 5."),
            "invalid_choice": _("Chấm từ 1 đến 5."),
        },
    )

    def __init__(self, *args, colleagues=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["evaluated"].queryset = User.objects.filter(
            pk__in=[u.pk for u in colleagues]
        ).order_by("full_name")


class RuleSetForm(forms.ModelForm):
    """The score rules, as a new version: previewed on last month, then
    saved and applied."""

    class Meta:
        model = RuleSet
        fields = ["name", *RULE_FIELDS, "note"]
        widgets = {"note": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["note"].help_text = _(
            "Bắt buộc khi lưu: vì sao thay đổi, căn cứ văn bản nào."
        )
        for name, field in self.fields.items():
            if name.endswith("_cap"):
                field.help_text = _("Để trống: không giới hạn.")
            if isinstance(field, forms.DecimalField):
                field.error_messages["invalid"] = _(
                    "Hãy nhập một số, ví dụ 2 hoặc 2.5."
                )
                field.error_messages["max_digits"] = _("Số quá lớn (tối đa 999.9).")
                field.error_messages["max_decimal_places"] = _(
                    "Chỉ một chữ số sau dấu thập phân."
                )
                field.widget.attrs.setdefault("inputmode", "decimal")

    def clean(self):
        cleaned = super().clean()
        base = cleaned.get("base_points")
        if base is not None and not 0 <= base <= 100:
            self.add_error("base_points", _("Điểm nền phải từ 0 đến 100."))
        for name, value in cleaned.items():
            if (
                name.endswith("_points") or name.endswith("_cap")
            ) and value is not None:
                if value < 0:
                    self.add_error(name, _("Không được âm."))
        for name in ("peer_min_raters", "peer_max_targets"):
            if cleaned.get(name) == 0:
                self.add_error(name, _("Phải từ 1 trở lên."))
        return cleaned

    def rule_values(self) -> dict:
        return {name: self.cleaned_data[name] for name in RULE_FIELDS}


class DecideForm(OwnIdsMixin, forms.Form):
    id_prefix = "decide"
    level = level_field(_("Mức cấp ủy quyết định"))
    reason = forms.CharField(
        label=_("Lý do"),
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=2000,
        required=False,
        help_text=_("Bắt buộc khi khác mức đề xuất."),
    )


def parse_month(value: str | None) -> datetime.date | None:
    """ "2026-10" (the browser's month field) or "10/2026" → 1/10/2026."""
    value = (value or "").strip()
    for fmt in ("%Y-%m", "%m/%Y"):
        try:
            return datetime.datetime.strptime(value, fmt).date().replace(day=1)
        except ValueError:
            continue
    return None


class PeriodForm(forms.Form):
    """The classification list's GET parameters; a bad one falls back to
    its default and is reported."""

    year = forms.IntegerField(
        required=False,
        min_value=2000,
        max_value=2100,
        error_messages={
            "invalid": _("Năm không hợp lệ."),
            "min_value": _("Năm phải từ 2000 đến 2100."),
            "max_value": _("Năm phải từ 2000 đến 2100."),
        },
    )
    quarter = forms.TypedChoiceField(
        required=False,
        choices=[("", _("Cả năm")), ("1", "I"), ("2", "II"), ("3", "III"), ("4", "IV")],
        coerce=int,
        empty_value=None,
        error_messages={"invalid_choice": _("Quý phải từ 1 đến 4.")},
    )
    unit = forms.IntegerField(
        required=False,
        min_value=1,
        error_messages={
            "invalid": _("Mã đơn vị không hợp lệ."),
            "min_value": _("Mã đơn vị không hợp lệ."),
        },
    )

    def value(self, name):
        return self.cleaned_data.get(name) if name not in self.errors else None

    @property
    def kind(self) -> str:
        return PeriodKind.QUARTER if self.value("quarter") else PeriodKind.YEAR
