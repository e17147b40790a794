"""The admin's forms for merging, splitting and renaming units.

Each form checks what a person typed, with Vietnamese messages, then
``save(actor=…)`` calls the service in ``units.reorganise`` — the same
function the demo seeder calls. A merge into a new unit creates it in the
same transaction, so a refused merge leaves no unit behind.
"""

from django import forms
from django.contrib import admin
from django.contrib.admin.widgets import AutocompleteSelect, AutocompleteSelectMultiple
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from . import reorganise
from .choices import UnitKind
from .models import Membership, Unit

NEW, EXISTING = "new", "existing"


def _unit_autocomplete(multiple=False):
    # The admin's autocomplete view authorises the lookup through a foreign
    # key to Unit; Membership.unit is that key (as in units.admin).
    widget = AutocompleteSelectMultiple if multiple else AutocompleteSelect
    return widget(Membership._meta.get_field("unit"), admin.site)


class ReorganiseForm(forms.Form):
    """The date and the legal basis every reorganisation needs."""

    effective_date = forms.DateField(
        label=_("Có hiệu lực từ ngày"),
        help_text=_(
            "Ngày đầu tiên đơn vị kế thừa nhận công việc; đơn vị cũ hoạt động "
            "đến hết ngày hôm trước."
        ),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={
            "required": _("Cần nhập ngày có hiệu lực."),
            "invalid": _("Ngày có hiệu lực không hợp lệ."),
        },
    )
    reason = forms.CharField(
        label=_("Căn cứ"),
        max_length=500,
        required=False,
        help_text=_("Ví dụ: Nghị quyết của Ủy ban Thường vụ Quốc hội về sắp xếp."),
        widget=forms.TextInput(attrs={"size": 80}),
    )

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.units = units

    def main_fields(self):
        """The form's own fields (not the per-item choices of a split)."""
        return [
            self[name]
            for name in self.fields
            if not name.startswith(("task_", "member_"))
        ]

    def save(self, *, actor) -> reorganise.ReorganisationResult:
        """Run the service; a refusal becomes the form's errors (and is
        raised again, so that the caller shows the form)."""
        try:
            with transaction.atomic():
                return self.run(actor=actor)
        except ValidationError as exc:
            self.add_error(None, exc)
            raise

    def run(self, *, actor):  # pragma: no cover - each form has its own
        raise NotImplementedError


class MergeForm(ReorganiseForm):
    mode = forms.ChoiceField(
        label=_("Đơn vị kế thừa"),
        choices=[
            (NEW, _("Thành lập đơn vị mới")),
            (EXISTING, _("Sáp nhập vào một đơn vị đang hoạt động")),
        ],
        initial=NEW,
        widget=forms.RadioSelect,
    )
    successor = forms.ModelChoiceField(
        queryset=Unit.objects.filter(is_active=True),
        required=False,
        label=_("Đơn vị đang hoạt động"),
        widget=_unit_autocomplete(),
        error_messages={"invalid_choice": _("Đơn vị này không còn hoạt động.")},
    )
    name = forms.CharField(label=_("Tên đơn vị mới"), max_length=255, required=False)
    short_name = forms.CharField(label=_("Tên ngắn"), max_length=100, required=False)
    code = forms.CharField(
        label=_("Mã đơn vị mới"),
        max_length=50,
        required=False,
        help_text=_("Mã duy nhất, ví dụ HN.XDA"),
    )
    kind = forms.ChoiceField(
        label=_("Loại đơn vị"), choices=UnitKind.choices, required=False
    )
    parent = forms.ModelChoiceField(
        queryset=Unit.objects.filter(is_active=True),
        required=False,
        label=_("Đơn vị cấp trên"),
        widget=_unit_autocomplete(),
        error_messages={"invalid_choice": _("Đơn vị này không còn hoạt động.")},
    )
    roll_up = forms.BooleanField(
        label=_("Cộng số liệu cũ vào đơn vị kế thừa"),
        required=False,
        initial=True,
        help_text=_(
            "Bảng điều hành kỳ hiện tại cộng kết quả trước đây của các đơn vị "
            "sáp nhập vào dòng của đơn vị kế thừa."
        ),
    )

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, units=units, **kwargs)
        parents = {Unit.objects.get_parent(u) for u in units if u.depth > 1}
        if len(parents) == 1 and "parent" not in self.initial:
            self.initial["parent"] = parents.pop()
        kinds = {u.kind for u in units}
        if len(kinds) == 1:
            self.initial.setdefault("kind", kinds.pop())

    def clean(self):
        data = super().clean()
        if data.get("mode") == EXISTING:
            if not data.get("successor") and "successor" not in self.errors:
                self.add_error("successor", _("Chọn đơn vị kế thừa."))
            return data
        if not (data.get("name") or "").strip():
            self.add_error("name", _("Cần nhập tên đơn vị mới."))
        code = (data.get("code") or "").strip()
        if not code:
            self.add_error("code", _("Cần nhập mã đơn vị mới."))
        elif Unit.objects.filter(code=code).exists():
            self.add_error(
                "code",
                _("Mã “%(code)s” đã được dùng cho một đơn vị khác; hãy chọn mã khác.")
                % {"code": code},
            )
        if not data.get("kind"):
            self.add_error("kind", _("Chọn loại đơn vị."))
        if not data.get("parent") and "parent" not in self.errors:
            self.add_error("parent", _("Chọn đơn vị cấp trên của đơn vị mới."))
        return data

    def run(self, *, actor):
        data = self.cleaned_data
        successor = data["successor"] if data["mode"] == EXISTING else None
        if successor is None:
            successor = Unit(
                name=data["name"].strip(),
                short_name=(data["short_name"] or "").strip(),
                code=data["code"].strip(),
                kind=data["kind"],
                valid_from=data["effective_date"],
            )
            successor._history_user = actor
            successor._change_reason = str(_("Thành lập đơn vị để sáp nhập"))
            Unit.objects.add_child(data["parent"], instance=successor)
        return reorganise.merge_units(
            actor=actor,
            predecessors=self.units,
            successor=successor,
            effective_date=data["effective_date"],
            reason=data["reason"],
            roll_up=data["roll_up"],
        )


class SplitForm(ReorganiseForm):
    """Successors, then — once they are chosen — one choice per open task
    and per member, among them (empty: the default successor)."""

    successors = forms.ModelMultipleChoiceField(
        queryset=Unit.objects.filter(is_active=True),
        label=_("Các đơn vị kế thừa"),
        widget=_unit_autocomplete(multiple=True),
        help_text=_(
            "Ít nhất hai đơn vị đang hoạt động (tạo các đơn vị mới trước bằng "
            "“Thêm đơn vị”)."
        ),
        error_messages={
            "required": _("Chọn các đơn vị kế thừa."),
            "invalid_choice": _("Đơn vị số %(value)s không còn hoạt động."),
            "invalid_pk_value": _("Đơn vị không hợp lệ."),
        },
    )
    default_successor = forms.ChoiceField(
        label=_("Đơn vị nhận mặc định"),
        required=False,
        help_text=_("Nhận mọi nhiệm vụ và thành viên không chọn riêng."),
    )

    def __init__(self, *args, units, work, **kwargs):
        super().__init__(*args, units=units, **kwargs)
        self.work = work
        self.chosen = self._chosen_successors()
        choices = [(str(u.pk), u.name) for u in self.chosen]
        self.fields["default_successor"].choices = [("", "—"), *choices]
        invalid = _("Hãy chọn một trong các đơn vị kế thừa đã chọn ở trên.")
        self.fields["default_successor"].error_messages["invalid_choice"] = invalid
        item_choices = [("", _("— mặc định —")), *choices]
        for key, _item in self.items():
            self.fields[key] = forms.ChoiceField(
                choices=item_choices,
                required=False,
                error_messages={"invalid_choice": invalid},
            )

    def _chosen_successors(self) -> list[Unit]:
        if self.is_bound:
            raw = self.data.getlist(self.add_prefix("successors"))
        else:
            raw = [getattr(u, "pk", u) for u in self.initial.get("successors", [])]
        ids = [int(v) for v in raw if str(v).isdigit()]
        found = {u.pk: u for u in Unit.objects.filter(pk__in=ids, is_active=True)}
        return [found[i] for i in dict.fromkeys(ids) if i in found]

    def items(self):
        """(field name, task or membership) for each item to place."""
        for task in self.work.led_tasks + self.work.coordinated_tasks:
            yield f"task_{task.pk}", task
        for membership in self.work.memberships:
            yield f"member_{membership.pk}", membership

    def item_field(self, item):
        """The bound choice for a task or a membership of the unit."""
        kind = "member" if isinstance(item, Membership) else "task"
        return self[f"{kind}_{item.pk}"]

    def clean(self):
        data = super().clean()
        if len(data.get("successors") or []) >= 2 and not data.get("default_successor"):
            self.add_error(
                "default_successor",
                _("Chọn đơn vị nhận mặc định trong các đơn vị kế thừa."),
            )
        return data

    def run(self, *, actor):
        data = self.cleaned_data
        by_id = {str(u.pk): u for u in data["successors"]}
        targets = {"task": {}, "member": {}}
        for key, item in self.items():
            chosen = data.get(key)
            if chosen:
                kind = key.split("_")[0]
                targets[kind][item.pk] = by_id.get(chosen) or Unit.objects.get(
                    pk=chosen
                )
        return reorganise.split_unit(
            actor=actor,
            predecessor=self.units[0],
            # in the order the admin chose them
            successors=[u for u in self.chosen if u in data["successors"]],
            effective_date=data["effective_date"],
            reason=data["reason"],
            # A split unit keeps its own row on the dashboards: its record
            # cannot be divided among its successors (units.succession).
            roll_up=False,
            task_targets=targets["task"],
            member_targets=targets["member"],
            default_successor=by_id.get(data["default_successor"]),
        )


class RenameForm(ReorganiseForm):
    name = forms.CharField(
        label=_("Tên mới"),
        max_length=255,
        error_messages={"required": _("Cần nhập tên mới của đơn vị.")},
    )
    short_name = forms.CharField(
        label=_("Tên ngắn mới"), max_length=100, required=False
    )
    code = forms.CharField(
        label=_("Mã đơn vị mới"),
        max_length=50,
        help_text=_("Mã của đơn vị cũ vẫn giữ cho đơn vị cũ; nhập một mã chưa dùng."),
        error_messages={"required": _("Cần nhập mã đơn vị mới.")},
    )

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, units=units, **kwargs)
        unit = units[0]
        self.initial.setdefault("name", unit.name)
        self.initial.setdefault("short_name", unit.short_name)

    def clean_code(self):
        code = self.cleaned_data["code"].strip()
        if Unit.objects.filter(code=code).exists():
            raise ValidationError(
                _("Mã “%(code)s” đã được dùng cho một đơn vị khác; hãy chọn mã khác.")
                % {"code": code},
                code="code_taken",
            )
        return code

    def run(self, *, actor):
        data = self.cleaned_data
        return reorganise.rename_unit(
            actor=actor,
            unit=self.units[0],
            name=data["name"],
            short_name=data["short_name"],
            code=data["code"],
            effective_date=data["effective_date"],
            reason=data["reason"],
        )
