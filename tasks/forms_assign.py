"""Forms for assigning tasks: the one-by-one form with the five "rõ", and the
Excel upload.

Every select is validated against a queryset (one indexed lookup on submit)
but its options are built by ``AssignOptions`` from a fixed number of
``values_list`` queries, however many units and people the leader's scope
holds. The service (``services.validate_five_clear`` / ``task_create``) has
the last word and its Vietnamese messages are the ones shown at the fields.
"""

import datetime
from dataclasses import dataclass
from functools import cached_property

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from directives.choices import DirectiveKind, DirectiveStatus
from directives.models import Directive, DirectiveItem
from units.choices import Role
from units.models import Membership, Unit, User
from units.scope import get_scope

from . import services
from .models import Task

# Long free text (description, expected result) is capped so that a pasted
# document cannot bloat the row; the model fields are unbounded TextFields.
TEXT_MAX_LENGTH = 10_000
DATE_INPUT_FORMATS = ["%Y-%m-%d", "%d/%m/%Y"]
FIVE_CLEAR_FIELDS = (
    "title",
    "description",
    "directive",
    "directive_item",
    "lead_unit",
    "assignee",
    "accountable_leader",
    "start_date",
    "deadline",
    "expected_result",
)
LABEL_MAX = 90


def _short(text: str, limit: int = LABEL_MAX) -> str:
    text = " ".join((text or "").split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _to_int(value) -> int | None:
    try:
        return int(str(value).strip())
    except (TypeError, ValueError):
        return None


def ancestor_paths(path: str) -> list[str]:
    """The path of a unit and of every unit above it."""
    step = Unit.steplen
    return [path[:i] for i in range(step, len(path) + 1, step)]


def leader_units(user):
    """Active units in which the user may assign: their leader subtrees."""
    scope = get_scope(user)
    # Not .active(): treebeard's manager returns its own queryset class, so
    # UnitQuerySet methods are not reachable through Unit.objects.
    units = Unit.objects.filter(is_active=True)
    if scope.is_all:
        return units
    return units.filter(scope.path_q("", scope.leader_paths))


@dataclass(frozen=True)
class UnitRow:
    pk: int
    name: str
    code: str
    path: str
    depth: int


class AssignOptions:
    """The options of the assignment selects for one leader, each list from
    a single query. Used by the form, the htmx option endpoint and the Excel
    template's reference sheet."""

    def __init__(self, user):
        self.user = user
        self.scope = get_scope(user)

    # --- units ---------------------------------------------------------------

    @cached_property
    def units(self) -> list[UnitRow]:
        rows = leader_units(self.user).order_by("path")
        return [
            UnitRow(*values)
            for values in rows.values_list("pk", "name", "code", "path", "depth")
        ]

    @cached_property
    def unit_by_id(self) -> dict[int, UnitRow]:
        return {unit.pk: unit for unit in self.units}

    def unit_choices(self) -> list[tuple[int, str]]:
        top = min((unit.depth for unit in self.units), default=1)
        return [
            (unit.pk, f"{'— ' * (unit.depth - top)}{unit.name} ({unit.code})")
            for unit in self.units
        ]

    def default_unit_id(self) -> int | None:
        """The leader's own unit when they lead exactly one subtree."""
        if self.scope.is_all or len(self.scope.leader_paths) != 1:
            return None
        root = self.scope.leader_paths[0]
        return next((u.pk for u in self.units if u.path == root), None)

    def _unit_path(self, unit_id: int | None) -> str | None:
        if unit_id is None:
            return None
        if "units" in self.__dict__:
            unit = self.unit_by_id.get(unit_id)
            return unit.path if unit else None
        return (
            leader_units(self.user)
            .filter(pk=unit_id)
            .values_list("path", flat=True)
            .first()
        )

    # --- people --------------------------------------------------------------

    def assignee_choices(self, unit_id) -> list[tuple[int, str]]:
        """Active members of the lead unit (only a unit in the scope)."""
        unit_id = _to_int(unit_id)
        if unit_id is None:
            return []
        if "units" in self.__dict__ and unit_id not in self.unit_by_id:
            return []
        rows = (
            Membership.objects.filter(unit_id=unit_id, user__is_active=True)
            .filter(leader_units_q(self.user))
            .order_by("user__full_name", "user__username")
            .values_list("user_id", "user__full_name", "user__username", "title")
        )
        return _people(rows)

    def leader_choices(self, unit_id) -> list[tuple[int, str]]:
        """Leaders of the lead unit or of a unit above it; without a lead
        unit, the leaders of the user's own units and above."""
        path = self._unit_path(_to_int(unit_id))
        if path is not None:
            paths = ancestor_paths(path)
        elif self.scope.is_all:
            paths = None
        else:
            paths = sorted(
                {p for root in self.scope.leader_paths for p in ancestor_paths(root)}
            )
        rows = Membership.objects.filter(role=Role.LEADER, user__is_active=True)
        if paths is None:
            rows = rows.filter(unit__depth=1)
        else:
            rows = rows.filter(unit__path__in=paths)
        rows = rows.order_by("unit__path", "user__full_name").values_list(
            "user_id", "user__full_name", "user__username", "unit__name"
        )
        return _people(rows)

    # --- directives ----------------------------------------------------------

    def directive_choices(self) -> list[tuple[int, str]]:
        rows = Directive.objects.in_force().values_list("pk", "kind", "number", "title")
        return [
            (pk, _short(f"{DirectiveKind(kind).label} {number}: {title}"))
            for pk, kind, number, title in rows
        ]

    def item_choices(self, directive_id) -> list:
        """Items of the directive; with no directive chosen, the items of
        every directive in force, grouped by directive."""
        rows = DirectiveItem.objects.filter(directive__status=DirectiveStatus.IN_FORCE)
        directive_id = _to_int(directive_id)
        if directive_id is not None:
            rows = rows.filter(directive_id=directive_id)
        rows = rows.order_by("directive__number", "directive_id", "order", "number")
        values = rows.values_list(
            "pk", "number", "content", "directive_id", "directive__number"
        )
        if directive_id is not None:
            return [
                (pk, _short(f"{num}. {content}")) for pk, num, content, *_ in values
            ]
        groups: dict[int, tuple[str, list]] = {}
        for pk, num, content, parent_id, parent_number in values:
            group = groups.setdefault(parent_id, (parent_number, []))
            group[1].append((pk, _short(f"{num}. {content}")))
        return list(groups.values())


def leader_units_q(user):
    """A filter on ``unit__path`` that keeps only the user's leader subtrees."""
    scope = get_scope(user)
    active = Q(unit__is_active=True)
    if scope.is_all:
        return active
    return scope.path_q("unit__", scope.leader_paths) & active


def _people(rows) -> list[tuple[int, str]]:
    """(user id, label) once per person, in the rows' order."""
    seen: set[int] = set()
    choices = []
    for user_id, full_name, username, extra in rows:
        if user_id in seen:
            continue
        seen.add(user_id)
        label = f"{full_name or username} ({username})"
        choices.append((user_id, f"{label} — {extra}" if extra else label))
    return choices


def apply_service_errors(form: forms.Form, exc: ValidationError) -> None:
    """Show a service's ValidationError at the form's fields (unknown keys
    and plain messages go to the top of the form)."""
    if not hasattr(exc, "error_dict"):
        form.add_error(None, exc)
        return
    for field, errors in exc.error_dict.items():
        target = field if field in form.fields else None
        for error in errors:
            form.add_error(target, error)


def _select_attrs(url: str, field: str, source: str, *, required: bool) -> dict:
    """htmx: the select refreshes its own options when ``source`` changes."""
    attrs = {
        "hx-get": f"{url}?field={field}",
        "hx-trigger": f"change from:#id_{source}",
        "hx-include": f"#id_{source}",
        "hx-target": "this",
        "hx-swap": "innerHTML",
    }
    if required:
        attrs["required"] = True
    return attrs


class TaskAssignForm(forms.Form):
    """A task with its five "rõ". Django-level ``required`` is off: the
    service says which rõ is missing, in one place, and the browser's own
    ``required`` attribute is only a convenience."""

    title = forms.CharField(
        label=_("Tên nhiệm vụ"), max_length=Task._meta.get_field("title").max_length
    )
    description = forms.CharField(
        label=_("Nội dung công việc"),
        max_length=TEXT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    directive = forms.ModelChoiceField(
        label=_("Văn bản chỉ đạo"),
        queryset=Directive.objects.none(),
        help_text=_("Chỉ thị, nghị quyết hoặc kế hoạch đang thực hiện."),
        error_messages={
            "invalid_choice": _(
                "Văn bản chỉ đạo không tồn tại hoặc không còn hiệu lực."
            )
        },
    )
    directive_item = forms.ModelChoiceField(
        label=_("Mục của văn bản"),
        queryset=DirectiveItem.objects.none(),
        required=False,
        error_messages={
            "invalid_choice": _("Mục đã chọn không thuộc văn bản chỉ đạo này.")
        },
    )
    lead_unit = forms.ModelChoiceField(
        label=_("Đơn vị chủ trì"),
        queryset=Unit.objects.none(),
        error_messages={
            "invalid_choice": _("Đơn vị này không thuộc phạm vi bạn lãnh đạo.")
        },
    )
    assignee = forms.ModelChoiceField(
        label=_("Người thực hiện"),
        queryset=User.objects.none(),
        help_text=_("Cán bộ của đơn vị chủ trì."),
        error_messages={"invalid_choice": _("Người thực hiện không hợp lệ.")},
    )
    coordinating_units = forms.ModelMultipleChoiceField(
        label=_("Đơn vị phối hợp"),
        queryset=Unit.objects.none(),
        required=False,
        help_text=_("Không bắt buộc; có thể chọn nhiều đơn vị."),
        error_messages={
            "invalid_choice": _(
                "Đơn vị phối hợp không hợp lệ hoặc không thuộc phạm vi bạn lãnh đạo."
            ),
            "invalid_pk_value": _("Đơn vị phối hợp không hợp lệ."),
        },
    )
    start_date = forms.DateField(
        label=_("Ngày bắt đầu"),
        input_formats=DATE_INPUT_FORMATS,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={
            "invalid": _(
                "Ngày không hợp lệ: nhập theo dạng ngày/tháng/năm, ví dụ 31/12/2026."
            )
        },
    )
    deadline = forms.DateField(
        label=_("Hạn hoàn thành"),
        input_formats=DATE_INPUT_FORMATS,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={
            "invalid": _(
                "Ngày không hợp lệ: nhập theo dạng ngày/tháng/năm, ví dụ 31/12/2026."
            )
        },
    )
    expected_result = forms.CharField(
        label=_("Kết quả, sản phẩm dự kiến"),
        max_length=TEXT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    accountable_leader = forms.ModelChoiceField(
        label=_("Lãnh đạo chịu trách nhiệm"),
        queryset=User.objects.none(),
        help_text=_("Lãnh đạo của đơn vị chủ trì hoặc đơn vị cấp trên."),
        error_messages={"invalid_choice": _("Lãnh đạo chịu trách nhiệm không hợp lệ.")},
    )
    is_hard = forms.BooleanField(label=_("Việc khó"), required=False)
    is_hot = forms.BooleanField(label=_("Việc nóng"), required=False)

    GROUPS = (
        (_("Rõ việc"), ("title", "description", "directive", "directive_item")),
        (_("Rõ người"), ("lead_unit", "assignee", "coordinating_units")),
        (_("Rõ tiến độ"), ("start_date", "deadline")),
        (_("Rõ kết quả"), ("expected_result",)),
        (_("Rõ trách nhiệm"), ("accountable_leader",)),
        (_("Phân loại"), ("is_hard", "is_hot")),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.options = AssignOptions(user)
        url = reverse("tasks:assign_options")
        fields = self.fields
        for name in FIVE_CLEAR_FIELDS:
            fields[name].required = False
            if name != "directive_item":
                fields[name].widget.attrs["required"] = True

        fields["directive"].queryset = Directive.objects.in_force()
        fields["directive_item"].queryset = DirectiveItem.objects.filter(
            directive__status=DirectiveStatus.IN_FORCE
        )
        fields["lead_unit"].queryset = leader_units(user)
        fields["coordinating_units"].queryset = leader_units(user)
        # Any active person validates here; membership of the lead unit and
        # leadership above it are the service's rules, with its messages.
        fields["assignee"].queryset = User.objects.filter(is_active=True)
        fields["accountable_leader"].queryset = User.objects.filter(is_active=True)

        if not self.is_bound:
            self.initial.setdefault("start_date", timezone.localdate())
            if "lead_unit" not in self.initial:
                default_unit = self.options.default_unit_id()
                if default_unit is not None:
                    self.initial["lead_unit"] = default_unit
        lead_unit = self._raw("lead_unit")
        empty = [("", _("— Chọn —"))]
        fields["directive"].widget.choices = [("", _("— Chọn văn bản —"))] + (
            self.options.directive_choices()
        )
        fields["directive_item"].widget.choices = [("", _("— Không chọn mục —"))] + (
            self.options.item_choices(self._raw("directive"))
        )
        fields["directive_item"].widget.attrs.update(
            _select_attrs(url, "directive_item", "directive", required=False)
        )
        unit_choices = self.options.unit_choices()
        fields["lead_unit"].widget.choices = [("", _("— Chọn đơn vị —"))] + unit_choices
        fields["coordinating_units"].widget.choices = unit_choices
        fields["coordinating_units"].widget.attrs["size"] = min(
            8, max(3, len(unit_choices))
        )
        assignees = self.options.assignee_choices(lead_unit)
        fields["assignee"].widget.choices = (
            empty + assignees
            if assignees
            else [("", _("— Chọn đơn vị chủ trì trước —"))]
        )
        fields["assignee"].widget.attrs.update(
            _select_attrs(url, "assignee", "lead_unit", required=True)
        )
        fields["accountable_leader"].widget.choices = (
            empty + self.options.leader_choices(lead_unit)
        )
        fields["accountable_leader"].widget.attrs.update(
            _select_attrs(url, "accountable_leader", "lead_unit", required=True)
        )

    def _raw(self, name: str):
        """The value of a field as typed (bound) or preset (unbound)."""
        if self.is_bound:
            return self.data.get(self.add_prefix(name))
        value = self.initial.get(name)
        return getattr(value, "pk", value)

    @property
    def grouped_fields(self):
        return [
            (legend, [self[name] for name in names]) for legend, names in self.GROUPS
        ]

    def clean(self):
        cleaned = super().clean()
        self.warnings = deadline_warnings(cleaned.get("deadline"))
        if self.warnings:
            # Shown next to the field whenever the form is shown again.
            self.fields["deadline"].help_text = " ".join(self.warnings)
        try:
            services.validate_five_clear(
                **{name: cleaned.get(name) for name in FIVE_CLEAR_FIELDS}
            )
        except ValidationError as exc:
            # A field that already failed (a bad date, a unit out of scope)
            # keeps its own message rather than "missing".
            for field, errors in exc.error_dict.items():
                if field not in self._errors:
                    for error in errors:
                        self.add_error(field, error)
        return cleaned

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        return {
            **{name: data.get(name) for name in FIVE_CLEAR_FIELDS},
            "coordinating_units": list(data.get("coordinating_units") or ()),
            "is_hard": bool(data.get("is_hard")),
            "is_hot": bool(data.get("is_hot")),
        }


def deadline_warnings(deadline) -> list[str]:
    """A warning — never a refusal — when a deadline falls on a day off (a
    weekend, a public holiday such as Tết, or a day off in the admins'
    table): work cannot be handed in that day."""
    from .calendar import add_working_days, day_off_reason, is_working_day

    if deadline is None or is_working_day(deadline):
        return []
    before = deadline
    while not is_working_day(before):
        before -= datetime.timedelta(days=1)
    return [
        _(
            "Lưu ý: hạn hoàn thành %(d)s là ngày nghỉ (%(why)s). Ngày làm việc "
            "gần nhất trước đó là %(before)s, sau đó là %(after)s."
        )
        % {
            "d": deadline.strftime("%d/%m/%Y"),
            "why": day_off_reason(deadline),
            "before": before.strftime("%d/%m/%Y"),
            "after": add_working_days(deadline, 1).strftime("%d/%m/%Y"),
        }
    ]


def initial_from(form_class, data) -> dict:
    """Initial values from submitted data, read the way each widget reads
    its own (lists for multiple selects): to redisplay without errors."""
    return {
        name: field.widget.value_from_datadict(data, {}, name)
        for name, field in form_class.base_fields.items()
        if name in data
    }


def import_max_bytes() -> int:
    return getattr(settings, "TRACKER_IMPORT_MAX_BYTES", 5 * 1024 * 1024)


class ImportUploadForm(forms.Form):
    file = forms.FileField(
        label=_("Tệp Excel (.xlsx)"),
        widget=forms.ClearableFileInput(
            attrs={
                "accept": ".xlsx,application/vnd.openxmlformats-officedocument."
                "spreadsheetml.sheet"
            }
        ),
        error_messages={
            "required": _("Hãy chọn tệp Excel (.xlsx) để tải lên."),
            "empty": _("Tệp tải lên trống."),
        },
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        name = (upload.name or "").lower()
        if not name.endswith(".xlsx"):
            raise ValidationError(
                _("Chỉ nhận tệp Excel .xlsx (tệp mẫu tải về từ trang này)."),
                code="extension",
            )
        limit = import_max_bytes()
        if upload.size > limit:
            raise ValidationError(
                _("Tệp quá lớn: tối đa %(mb)s MB.") % {"mb": limit // (1024 * 1024)},
                code="size",
            )
        return upload
