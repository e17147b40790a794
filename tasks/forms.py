"""Forms of the actions on a task. Each carries the task's version (hidden)
so that the service can tell when someone else changed the task first.

Forms only read and check what the user typed; every write goes through
``tasks.services``.
"""

import datetime

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from units.models import Membership, Unit, User
from units.scope import get_scope

from .models import ExtensionRequest, Transfer
from .uploads import ACCEPT_ATTR, limits_text, validate_evidence_files

TEXT_MAX = 4000
DATE_INPUT_FORMATS = ["%Y-%m-%d", "%d/%m/%Y"]


def _textarea(rows: int = 3) -> forms.Textarea:
    return forms.Textarea(attrs={"rows": rows})


def _required_text(label, message, *, required: bool = True) -> forms.CharField:
    return forms.CharField(
        label=label,
        required=required,
        max_length=TEXT_MAX,
        widget=_textarea(),
        error_messages={
            "required": message,
            "max_length": _("Nội dung quá dài (tối đa %(limit_value)d ký tự)."),
        },
    )


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class EvidenceFilesField(forms.FileField):
    """Several evidence files in one input, checked by ``tasks.uploads``."""

    def __init__(self, **kwargs):
        kwargs.setdefault(
            "widget", MultipleFileInput(attrs={"accept": ACCEPT_ATTR, "multiple": True})
        )
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, list | tuple):
            uploads = [single(d, initial) for d in data if d]
        else:
            uploads = [single(data, initial)] if data else []
        return validate_evidence_files(uploads)


class UnitChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        indent = "— " * max(obj.depth - 1, 0)
        return f"{indent}{obj.name}"


class UserChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        if obj.position:
            return f"{obj} ({obj.position})"
        return str(obj)


class ActionForm(forms.Form):
    """Base: the hidden version, and the task and user the form is for."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    has_files = False

    def __init__(self, *args, task, user, **kwargs):
        self.task = task
        self.user = user
        kwargs.setdefault("initial", {})
        kwargs["initial"].setdefault("version", task.version)
        super().__init__(*args, **kwargs)
        self.fields["version"].error_messages.update(
            {
                "required": _("Thiếu phiên bản của nhiệm vụ: hãy tải lại trang."),
                "invalid": _("Phiên bản của nhiệm vụ không hợp lệ: hãy tải lại trang."),
                "min_value": _(
                    "Phiên bản của nhiệm vụ không hợp lệ: hãy tải lại trang."
                ),
            }
        )


class StartForm(ActionForm):
    pass


class ProgressForm(ActionForm):
    has_files = True

    percent = forms.IntegerField(
        label=_("Tiến độ (%)"),
        min_value=0,
        max_value=99,
        widget=forms.NumberInput(
            attrs={"min": 0, "max": 99, "step": 1, "inputmode": "numeric"}
        ),
        help_text=_("Từ 0 đến 99. Khi xong việc, hãy dùng “Báo cáo hoàn thành”."),
        error_messages={
            "required": _("Cần nhập tiến độ (%)."),
            "invalid": _("Tiến độ phải là một số nguyên từ 0 đến 99."),
            "min_value": _("Tiến độ không được nhỏ hơn 0%%."),
            "max_value": _(
                "Tiến độ tối đa 99%%; khi xong việc, hãy dùng “Báo cáo hoàn thành”."
            ),
        },
    )
    note = _required_text(_("Nội dung báo cáo"), "", required=False)
    files = EvidenceFilesField(label=_("Tệp minh chứng"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["files"].help_text = limits_text()
        if not self.is_bound:
            self.fields["percent"].initial = min(self.task.progress, 99)


class SubmitForm(ActionForm):
    has_files = True

    actual_result = _required_text(
        _("Kết quả thực tế"), _("Cần nêu kết quả thực tế khi báo cáo hoàn thành.")
    )
    note = _required_text(_("Ghi chú"), "", required=False)
    files = EvidenceFilesField(label=_("Tệp minh chứng"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["files"].help_text = limits_text()
        self.fields["actual_result"].help_text = _("Kết quả dự kiến: %(expected)s") % {
            "expected": self.task.expected_result
        }


class ExtensionRequestForm(ActionForm):
    new_deadline = forms.DateField(
        label=_("Hạn đề nghị"),
        input_formats=DATE_INPUT_FORMATS,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={
            "required": _("Cần chọn hạn đề nghị."),
            "invalid": _("Ngày không hợp lệ: hãy nhập một ngày có thật (dd/mm/yyyy)."),
        },
    )
    reason = _required_text(_("Lý do gia hạn"), _("Cần nêu lý do gia hạn."))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["new_deadline"].help_text = _("Hạn hiện tại: %(d)s.") % {
            "d": self.task.deadline.strftime("%d/%m/%Y")
        }
        earliest = max(
            timezone.localdate(), self.task.deadline + datetime.timedelta(days=1)
        )
        self.fields["new_deadline"].widget.attrs["min"] = earliest.isoformat()

    def clean_new_deadline(self):
        value = self.cleaned_data["new_deadline"]
        today = timezone.localdate()
        if value < today:
            raise ValidationError(
                _("Hạn đề nghị không được ở quá khứ (hôm nay là %(d)s).")
                % {"d": today.strftime("%d/%m/%Y")}
            )
        if value <= self.task.deadline:
            raise ValidationError(
                _("Hạn đề nghị phải sau hạn hiện tại (%(d)s).")
                % {"d": self.task.deadline.strftime("%d/%m/%Y")}
            )
        if value > today + datetime.timedelta(days=3660):
            raise ValidationError(_("Hạn đề nghị quá xa (hơn 10 năm)."))
        return value


class HandBackForm(ActionForm):
    reason = _required_text(
        _("Lý do trả lại người giao"), _("Cần nêu lý do trả lại nhiệm vụ.")
    )


class TransferRequestForm(ActionForm):
    to_unit = UnitChoiceField(
        label=_("Đơn vị đề nghị chuyển đến"),
        queryset=Unit.objects.none(),
        empty_label=_("— Chọn đơn vị —"),
        error_messages={
            "required": _("Cần chọn đơn vị muốn chuyển đến."),
            "invalid_choice": _("Đơn vị đã chọn không có trong danh sách."),
        },
    )
    reason = _required_text(_("Lý do"), _("Cần nêu lý do chuyển giao."))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to_unit"].queryset = (
            Unit.objects.filter(is_active=True)
            .exclude(pk=self.task.lead_unit_id)
            .order_by("path")
        )


class ApproveForm(ActionForm):
    comment = _required_text(_("Ý kiến"), "", required=False)


class ReturnForm(ActionForm):
    comment = _required_text(
        _("Lý do trả lại, việc cần làm tiếp"), _("Cần nêu lý do trả lại.")
    )


class _PendingChoiceField(forms.ModelChoiceField):
    widget = forms.HiddenInput


class ExtensionDecisionForm(ActionForm):
    """Approve or reject the pending extension request. The request's id
    travels with the form so that a decision is never applied to another
    request than the one the leader read."""

    note_required = False

    extension = _PendingChoiceField(
        queryset=ExtensionRequest.objects.none(),
        error_messages={
            "required": _("Thiếu đề nghị gia hạn."),
            "invalid_choice": _(
                "Đề nghị gia hạn không có hoặc không thuộc nhiệm vụ này."
            ),
        },
    )
    note = _required_text(
        _("Ý kiến"), _("Cần nêu lý do không chấp thuận."), required=False
    )

    def __init__(self, *args, pending=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.pending = pending
        self.fields["extension"].queryset = ExtensionRequest.objects.filter(
            task=self.task
        )
        if pending is not None:
            self.fields["extension"].initial = pending.pk
        self.fields["note"].required = self.note_required


class ExtensionRejectForm(ExtensionDecisionForm):
    note_required = True


class TransferDecisionForm(ActionForm):
    note_required = False

    transfer = _PendingChoiceField(
        queryset=Transfer.objects.none(),
        error_messages={
            "required": _("Thiếu đề nghị chuyển giao."),
            "invalid_choice": _(
                "Đề nghị chuyển giao không có hoặc không thuộc nhiệm vụ này."
            ),
        },
    )
    note = _required_text(
        _("Ý kiến"), _("Cần nêu lý do không chấp thuận."), required=False
    )

    def __init__(self, *args, pending=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.pending = pending
        self.fields["transfer"].queryset = Transfer.objects.filter(task=self.task)
        if pending is not None:
            self.fields["transfer"].initial = pending.pk
        self.fields["note"].required = self.note_required


class TransferApproveForm(TransferDecisionForm):
    to_assignee = UserChoiceField(
        label=_("Người thực hiện ở đơn vị nhận"),
        queryset=User.objects.none(),
        required=False,
        empty_label=_("— Chọn người thực hiện —"),
        error_messages={
            "invalid_choice": _("Người đã chọn không thuộc đơn vị nhận."),
        },
    )
    field_order = ["version", "transfer", "to_assignee", "note"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        pending = self.pending
        if pending is None or pending.to_assignee_id is not None:
            # A hand-back goes to the assigner: nobody to choose.
            del self.fields["to_assignee"]
            return
        self.fields["to_assignee"].required = True
        self.fields["to_assignee"].error_messages["required"] = _(
            "Cần chọn người thực hiện ở đơn vị nhận."
        )
        self.fields["to_assignee"].queryset = (
            User.objects.filter(memberships__unit_id=pending.to_unit_id, is_active=True)
            .distinct()
            .order_by("full_name", "username")
        )
        self.fields["to_assignee"].help_text = _("Cán bộ của %(unit)s.") % {
            "unit": pending.to_unit.name
        }


class TransferRejectForm(TransferDecisionForm):
    note_required = True


class MembershipChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.unit.name} — {obj.user}"


class TransferForm(ActionForm):
    """A leader moves the task to another unit and a person there, among
    the units they lead. One choice names both (a person in a unit)."""

    target = MembershipChoiceField(
        label=_("Đơn vị và người thực hiện mới"),
        queryset=Membership.objects.none(),
        empty_label=_("— Chọn đơn vị, người thực hiện —"),
        error_messages={
            "required": _("Cần chọn đơn vị và người thực hiện mới."),
            "invalid_choice": _(
                "Lựa chọn không có trong danh sách đơn vị bạn lãnh đạo."
            ),
        },
    )
    reason = _required_text(_("Lý do chuyển giao"), _("Cần nêu lý do chuyển giao."))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        scope = get_scope(self.user)
        members = Membership.objects.filter(
            unit__is_active=True, user__is_active=True
        ).select_related("unit", "user")
        if not scope.is_all:
            members = members.filter(scope.path_q("unit__", scope.leader_paths))
        members = members.exclude(
            unit_id=self.task.lead_unit_id, user_id=self.task.assignee_id
        )
        self.fields["target"].queryset = members.order_by(
            "unit__path", "user__full_name", "pk"
        )
        self.fields["target"].help_text = _(
            "Nếu lãnh đạo chịu trách nhiệm hiện tại không phụ trách đơn vị nhận, "
            "bạn sẽ là lãnh đạo chịu trách nhiệm."
        )


class ReassignForm(ActionForm):
    assignee = UserChoiceField(
        label=_("Người thực hiện mới"),
        queryset=User.objects.none(),
        empty_label=_("— Chọn người thực hiện —"),
        error_messages={
            "required": _("Cần chọn người thực hiện mới."),
            "invalid_choice": _("Người đã chọn không thuộc đơn vị chủ trì."),
        },
    )
    reason = _required_text(_("Lý do giao lại"), _("Cần nêu lý do giao lại."))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assignee"].queryset = (
            User.objects.filter(
                memberships__unit_id=self.task.lead_unit_id, is_active=True
            )
            .exclude(pk=self.task.assignee_id)
            .distinct()
            .order_by("full_name", "username")
        )


class CancelForm(ActionForm):
    reason = _required_text(_("Lý do hủy"), _("Cần nêu lý do hủy nhiệm vụ."))


class ExplanationRequestForm(ActionForm):
    """A reviewer or a leader asks the lead unit to explain the delay."""

    question = _required_text(
        _("Nội dung yêu cầu giải trình"),
        _("Cần nêu nội dung yêu cầu giải trình."),
    )


class ExplanationAnswerForm(ActionForm):
    """The lead unit answers the pending request for explanation."""

    answer = _required_text(
        _("Nội dung giải trình"), _("Cần nhập nội dung giải trình.")
    )
