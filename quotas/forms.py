"""Forms of the hard-task registration. The services have the last word;
their Vietnamese messages are shown at the fields."""

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from tasks.choices import OPEN_STATUSES
from tasks.forms_assign import TEXT_MAX_LENGTH, TaskAssignForm
from tasks.models import Task

from .choices import STANDING_STATUSES
from .models import Registration

CANDIDATE_LIMIT = 300


def candidate_tasks(user, period):
    """Open tasks the user does or answers for, not yet registered by them
    in the period (standing registrations), nearest deadline first."""
    qs = Task.objects.filter(
        Q(assignee=user) | Q(accountable_leader=user), status__in=OPEN_STATUSES
    )
    if period is not None:
        taken = Registration.objects.filter(
            period=period, person=user, status__in=STANDING_STATUSES
        ).values("task_id")
        qs = qs.exclude(pk__in=taken)
    return qs.order_by("deadline", "pk")


class RegisterForm(forms.Form):
    task = forms.ModelChoiceField(
        label=_("Nhiệm vụ đăng ký là việc khó"),
        queryset=Task.objects.none(),
        empty_label=_("— Chọn nhiệm vụ —"),
        help_text=_(
            "Nhiệm vụ đang thực hiện mà bạn là người thực hiện hoặc lãnh đạo chịu "
            "trách nhiệm."
        ),
        error_messages={
            "required": _("Hãy chọn nhiệm vụ muốn đăng ký."),
            "invalid_choice": _(
                "Nhiệm vụ này không có trong danh sách việc bạn được đăng ký."
            ),
        },
    )
    reason = forms.CharField(
        label=_("Vì sao là việc khó"),
        max_length=TEXT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Ví dụ: vướng mắc kéo dài, nhiều đơn vị liên quan, việc mới."),
        error_messages={"required": _("Cần nêu vì sao đây là việc khó.")},
    )

    def __init__(self, *args, user, period, **kwargs):
        super().__init__(*args, **kwargs)
        qs = candidate_tasks(user, period)
        # Validation looks the chosen id up (one indexed query); the options
        # are one bounded query.
        self.fields["task"].queryset = qs
        self.fields["task"].widget.choices = [("", _("— Chọn nhiệm vụ —"))] + [
            (
                pk,
                _("%(title)s (hạn %(d)s)")
                % {"title": title, "d": f"{deadline:%d/%m/%Y}"},
            )
            for pk, title, deadline in qs.values_list("pk", "title", "deadline")[
                :CANDIDATE_LIMIT
            ]
        ]


class RegisterNewForm(TaskAssignForm):
    """A new task with its five rõ, registered at once as the leader's own
    hard task."""

    reason = forms.CharField(
        label=_("Vì sao là việc khó"),
        max_length=TEXT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )

    GROUPS = (
        (_("Việc khó"), ("reason",)),
        *[group for group in TaskAssignForm.GROUPS if "is_hard" not in group[1]],
        (_("Phân loại"), ("is_hot",)),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, user=user, **kwargs)
        del self.fields["is_hard"]
        self.fields["reason"].widget.attrs["required"] = True
        if not self.is_bound:
            self.initial.setdefault("accountable_leader", user.pk)
