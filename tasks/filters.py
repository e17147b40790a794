"""The filter form of the task lists ("Việc của tôi", "Việc của đơn vị").

A plain GET form: it works without JavaScript, and htmx sends the same
fields. Bad input never fails the page: each invalid field gets a message
and is left out, the valid ones still apply.

Query budget: one query for the directives (choices and the directive's
plans), one for the units when the unit choice or the search needs them.
"""

from functools import cached_property

from django import forms
from django.db.models import Case, IntegerField, Q, QuerySet, Value, When
from django.utils.translation import gettext_lazy as _

from directives.models import Directive
from units.models import Unit
from units.scope import get_scope
from units.succession import rollup_on
from units.text import fold_vietnamese

from .calendar import local_today
from .choices import OPEN_STATUSES, TaskStatus, Timeliness

# The status filter's choice for every task that is not cancelled (what the
# dashboards count).
NOT_CANCELLED = "live"

DATE_INPUT_FORMATS = ["%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y"]
BAD_DATE = _("Ngày không hợp lệ. Hãy nhập theo dạng ngày/tháng/năm, ví dụ 31/12/2026.")

STATUS_ORDER = [
    TaskStatus.ASSIGNED,
    TaskStatus.IN_PROGRESS,
    TaskStatus.SUBMITTED,
    TaskStatus.DONE,
    TaskStatus.CANCELLED,
]


class Sort:
    DEFAULT = ""
    DEADLINE = "deadline"
    DEADLINE_DESC = "-deadline"
    TITLE = "title"
    STATUS = "status"
    UPDATED = "-updated"

    choices = [
        (DEFAULT, _("Quá hạn trước, rồi theo hạn")),
        (DEADLINE, _("Hạn gần nhất trước")),
        (DEADLINE_DESC, _("Hạn xa nhất trước")),
        (TITLE, _("Tên nhiệm vụ (A–Z)")),
        (STATUS, _("Trạng thái")),
        (UPDATED, _("Mới cập nhật")),
    ]


def _date_field(label):
    return forms.DateField(
        label=label,
        required=False,
        input_formats=DATE_INPUT_FORMATS,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"invalid": BAD_DATE},
    )


class TaskFilterForm(forms.Form):
    q = forms.CharField(
        label=_("Tìm nhiệm vụ"),
        required=False,
        max_length=200,
        widget=forms.TextInput(
            attrs={
                "type": "search",
                "placeholder": _(
                    "Tên, nội dung, đơn vị… (gõ có dấu hay không dấu đều được)"
                ),
                "autocomplete": "off",
                "enterkeyhint": "search",
            }
        ),
        error_messages={
            "max_length": _("Từ khóa tìm kiếm quá dài (tối đa 200 ký tự).")
        },
    )
    status = forms.ChoiceField(
        label=_("Trạng thái"),
        required=False,
        choices=[
            ("", _("Tất cả trạng thái")),
            (NOT_CANCELLED, _("Mọi trạng thái trừ đã hủy")),
            *TaskStatus.choices,
        ],
        error_messages={
            "invalid_choice": _("Trạng thái “%(value)s” không có trong danh sách.")
        },
    )
    timeliness = forms.ChoiceField(
        label=_("Tình trạng hạn"),
        required=False,
        choices=[("", _("Tất cả")), *Timeliness.choices],
        error_messages={
            "invalid_choice": _("Tình trạng hạn “%(value)s” không có trong danh sách.")
        },
    )
    directive = forms.TypedChoiceField(
        label=_("Văn bản chỉ đạo"),
        required=False,
        coerce=int,
        empty_value=None,
        help_text=_("Gồm cả các kế hoạch thực hiện văn bản đó."),
        error_messages={"invalid_choice": _("Không tìm thấy văn bản chỉ đạo đã chọn.")},
    )
    unit = forms.TypedChoiceField(
        label=_("Đơn vị chủ trì"),
        required=False,
        coerce=int,
        empty_value=None,
        help_text=_("Gồm cả các đơn vị trực thuộc."),
        error_messages={
            "invalid_choice": _("Đơn vị đã chọn không thuộc phạm vi bạn theo dõi.")
        },
    )
    rollup = forms.BooleanField(
        label=_("Tính cả kết quả của đơn vị đã sáp nhập, đổi tên"),
        required=False,
        help_text=_(
            "Như bảng điều hành kỳ hiện tại: kết quả của đơn vị đã giải thể "
            "được tính vào đơn vị kế thừa."
        ),
    )
    deadline_from = _date_field(_("Hạn từ ngày"))
    deadline_to = _date_field(_("Hạn đến ngày"))
    hard = forms.BooleanField(label=_("Chỉ việc khó"), required=False)
    extended = forms.BooleanField(label=_("Chỉ việc đã được gia hạn"), required=False)
    moved = forms.BooleanField(
        label=_("Chỉ việc đã chuyển đơn vị hoặc trả lại"), required=False
    )
    sort = forms.ChoiceField(
        label=_("Sắp xếp"),
        required=False,
        choices=Sort.choices,
        error_messages={"invalid_choice": _("Cách sắp xếp “%(value)s” không có.")},
    )

    def __init__(self, data=None, *, user, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(data, **kwargs)
        self.user = user
        self.scope = get_scope(user)
        self.fields["directive"].choices = [
            ("", _("Tất cả văn bản")),
            *self._directive_choices(),
        ]
        if self.has_unit_filter:
            self.fields["unit"].choices = [
                ("", _("Tất cả đơn vị trong phạm vi")),
                *self._unit_choices(),
            ]
        else:
            del self.fields["unit"]
            del self.fields["rollup"]

    # --- choices ---------------------------------------------------------

    @cached_property
    def _directives(self) -> list[tuple[int, str, str, int | None]]:
        return list(
            Directive.objects.order_by("-issue_date", "number").values_list(
                "pk", "number", "title", "parent_id"
            )
        )

    def _directive_choices(self):
        children: dict[int | None, list] = {}
        known = {row[0] for row in self._directives}
        for row in self._directives:
            parent = row[3] if row[3] in known else None
            children.setdefault(parent, []).append(row)
        choices = []

        def walk(parent, depth):
            for pk, number, title, _parent in children.get(parent, []):
                short = title if len(title) <= 60 else f"{title[:59]}…"
                choices.append((pk, f"{'— ' * depth}{number} · {short}"))
                walk(pk, depth + 1)

        walk(None, 0)
        return choices

    def directive_family(self, pk: int) -> list[int]:
        """This directive and every plan under it, from the rows loaded for
        the choices (no further query)."""
        by_parent: dict[int, list[int]] = {}
        for row_pk, _number, _title, parent in self._directives:
            if parent is not None:
                by_parent.setdefault(parent, []).append(row_pk)
        family, frontier = [pk], [pk]
        while frontier:
            frontier = [
                c for p in frontier for c in by_parent.get(p, []) if c not in family
            ]
            family.extend(frontier)
        return family

    @property
    def has_unit_filter(self) -> bool:
        return self.scope.is_all or bool(self.scope.subtree_paths)

    @cached_property
    def _units(self) -> list[tuple[int, str, str, str, int, bool]]:
        return list(
            Unit.objects.order_by("path").values_list(
                "pk", "name", "short_name", "path", "depth", "is_active"
            )
        )

    def _unit_choices(self):
        paths = self.scope.subtree_paths
        choices = []
        closed = _("ngừng hoạt động")
        for pk, name, _short, path, depth, active in self._units:
            if self.scope.is_all or any(path.startswith(p) for p in paths):
                # A closed unit stays a choice (marked): its tasks, done or
                # moved on, can still be listed, and the dashboards link it.
                label = name if active else f"{name} ({closed})"
                choices.append((pk, f"{'— ' * (depth - 1)}{label}"))
        return choices

    def unit_path(self, pk: int) -> str:
        return next(row[3] for row in self._units if row[0] == pk)

    @cached_property
    def _folded_unit_names(self) -> list[tuple[int, str]]:
        return [(row[0], fold_vietnamese(f"{row[1]} {row[2]}")) for row in self._units]

    def units_matching(self, phrase: str) -> list[int]:
        """Units whose folded name contains the folded phrase."""
        return [pk for pk, folded in self._folded_unit_names if phrase in folded]

    # --- validation --------------------------------------------------------

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("deadline_from"), cleaned.get("deadline_to")
        if start and end and start > end:
            self.add_error(
                "deadline_to", _("“Hạn đến ngày” phải sau hoặc bằng “Hạn từ ngày”.")
            )
        return cleaned

    def value(self, name):
        """A field's cleaned value, or None when it was missing or invalid."""
        if not hasattr(self, "cleaned_data"):
            self.is_valid()
        return self.cleaned_data.get(name) or None

    @property
    def search_phrase(self) -> str:
        """The query folded like ``Task.search_text``: "Đông Anh" → "dong anh"."""
        return fold_vietnamese(self.value("q") or "")

    @property
    def has_advanced_filters(self) -> bool:
        names = (
            "status",
            "directive",
            "unit",
            "rollup",
            "deadline_from",
            "deadline_to",
            "hard",
            "extended",
            "moved",
        )
        return bool(self.errors) or any(
            self.value(n) for n in names if n in self.fields
        )

    # --- applying ------------------------------------------------------------

    def filter_queryset(self, qs: QuerySet) -> QuerySet:
        """Every filter except timeliness, which the list applies after it
        has counted each class (the chips)."""
        if phrase := self.search_phrase:
            # The phrase in the task's title or description, or in the name
            # of the unit that leads it.
            match = Q(search_text__contains=phrase)
            if unit_ids := self.units_matching(phrase):
                match |= Q(lead_unit_id__in=unit_ids)
            qs = qs.filter(match)
        if (status := self.value("status")) == NOT_CANCELLED:
            qs = qs.exclude(status=TaskStatus.CANCELLED)
        elif status:
            qs = qs.filter(status=status)
        if directive := self.value("directive"):
            qs = qs.filter(directive_id__in=self.directive_family(directive))
        if "unit" in self.fields and (unit := self.value("unit")):
            if self.value("rollup"):
                # The dashboard's row of a successor: its subtree with the
                # closed units it took over, less those under it that
                # another unit took over (units.succession).
                rollup = rollup_on(local_today()).readable_by(self.scope)
                qs = qs.filter(rollup.subtree_q(self.unit_path(unit)))
            else:
                qs = qs.filter(lead_unit__path__startswith=self.unit_path(unit))
        if start := self.value("deadline_from"):
            qs = qs.filter(deadline__gte=start)
        if end := self.value("deadline_to"):
            qs = qs.filter(deadline__lte=end)
        if self.value("hard"):
            qs = qs.filter(is_hard=True)
        if self.value("extended"):
            qs = qs.filter(extension_count__gt=0)
        if self.value("moved"):
            qs = qs.filter(transfer_count__gt=0)
        return qs

    def ordering(self) -> list:
        sort = self.value("sort") or Sort.DEFAULT
        if sort == Sort.DEADLINE:
            return ["deadline", "pk"]
        if sort == Sort.DEADLINE_DESC:
            return ["-deadline", "-pk"]
        if sort == Sort.TITLE:
            return ["title", "pk"]
        if sort == Sort.STATUS:
            rank = Case(
                *(When(status=s, then=Value(i)) for i, s in enumerate(STATUS_ORDER)),
                output_field=IntegerField(),
            )
            return [rank, "deadline", "pk"]
        if sort == Sort.UPDATED:
            return ["-updated_at", "-pk"]
        # Default: overdue work first, then open work, then closed work; each
        # by deadline.
        rank = Case(
            When(timeliness=Timeliness.OVERDUE, then=Value(0)),
            When(status__in=OPEN_STATUSES, then=Value(1)),
            default=Value(2),
            output_field=IntegerField(),
        )
        return [rank, "deadline", "pk"]
