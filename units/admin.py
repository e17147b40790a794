"""Admin for the unit tree, people and their memberships.

Also the admin building blocks the other apps reuse (dependencies run
``units`` ← ``directives`` ← ``tasks``): a history admin whose history page
runs a fixed number of queries whatever its length, a paginator that
estimates the size of huge unfiltered tables, and a "this unit and every
unit under it" sidebar filter that never lists the whole tree.
"""

import datetime
from collections import defaultdict

from django import forms
from django.contrib import admin, messages
from django.contrib.admin import ActionLocation, helpers
from django.contrib.admin.widgets import AutocompleteSelect
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import DEFAULT_DB_ALIAS, connections, models, transaction
from django.db.models import Exists, OuterRef, Q
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.functional import cached_property
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.text import capfirst
from django.utils.timezone import localtime
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin
from simple_history.template_utils import HistoricalRecordContextHelper

from . import reorganise
from .choices import Role
from .forms_reorganise import MergeForm, RenameForm, SplitForm
from .models import CommitteeRole, Membership, Unit, UnitSuccession, User

# --- shared building blocks --------------------------------------------------


class ReadableContextHelper(HistoricalRecordContextHelper):
    """History diffs in words: choice labels, yes/no, dates as d/m/Y."""

    def prepare_delta_change_value(self, change, value):
        field = self.model._meta.get_field(change.field)
        if field.choices and not field.is_relation:
            return dict(field.flatchoices).get(value, value)
        if isinstance(value, bool):
            return gettext("Có") if value else gettext("Không")
        if isinstance(value, datetime.datetime):
            return date_format(localtime(value), "d/m/Y H:i")
        if isinstance(value, datetime.date):
            return date_format(value, "d/m/Y")
        return super().prepare_delta_change_value(change, value)


class HistoryAdmin(SimpleHistoryAdmin):
    """SimpleHistoryAdmin whose history page costs the same few queries for
    ten rows or a hundred.

    simple-history's own page builds each row's label from a fresh model
    instance (one query per foreign key in ``__str__``) and diffs
    many-to-many fields with two queries per row. Here the label reuses the
    foreign keys already joined on the history rows, and many-to-many rows of
    the whole page are read in one query per field.
    """

    object_history_list_template = "admin/tracker/object_history_list.html"
    history_list_per_page = 50
    # Relations of the related objects that the rows' labels and diffs name.
    history_related: list[str] = []

    def get_historical_record_context_helper(self, request, historical_record):
        return ReadableContextHelper(self.model, historical_record)

    def get_history_queryset(self, request, history_manager, pk_name, object_id):
        # As simple-history's own, but never a bare select_related() (which
        # follows every relation, and is deprecated) on a model whose history
        # tracks no foreign key.
        related = [
            field.name
            for field in history_manager.model.tracked_fields
            if isinstance(field, models.ForeignKey)
        ]
        return history_manager.filter(**{pk_name: object_id}).select_related(
            "history_user", *related, *self.history_related
        )

    def revert_disabled(self, request, obj=None):
        # Reverting would write around the services (tasks) and treebeard
        # (units): the history is for reading.
        return True

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        if request.method == "POST":
            raise PermissionDenied
        return super().history_form_view(request, object_id, version_id, extra_context)

    def set_history_delta_changes(
        self, request, historical_records, foreign_keys_are_objs=True
    ):
        records = list(historical_records)
        if not records:
            return
        m2m_fields = list(records[0]._history_m2m_fields)
        m2m_values = {
            field.name: self._m2m_values(records, field) for field in m2m_fields
        }
        excluded = [field.name for field in m2m_fields]
        previous = None
        for current in records:
            current.history_label = self._history_label(current)
            if previous is not None:
                delta = previous.diff_against(
                    current,
                    excluded_fields=excluded,
                    foreign_keys_are_objs=foreign_keys_are_objs,
                )
                helper = self.get_historical_record_context_helper(request, previous)
                changes = helper.context_for_delta_changes(delta)
                for field in m2m_fields:
                    old = m2m_values[field.name].get(current.history_id, [])
                    new = m2m_values[field.name].get(previous.history_id, [])
                    if [o.pk for o in old] != [n.pk for n in new]:
                        changes.append(
                            {
                                "field": capfirst(field.verbose_name),
                                "old": ", ".join(map(str, old)) or "—",
                                "new": ", ".join(map(str, new)) or "—",
                            }
                        )
                previous.history_delta_changes = changes
            previous = current

    @staticmethod
    def _m2m_values(records, field) -> dict[int, list]:
        """history_id → the related objects on that record, in one query."""
        history_model = type(records[0])
        m2m_history_model = getattr(history_model, field.name).model
        target = field.m2m_reverse_field_name()
        rows = (
            m2m_history_model._default_manager.filter(
                history_id__in=[r.history_id for r in records]
            )
            .select_related(target)
            .order_by(f"{target}_id")
        )
        values: dict[int, list] = defaultdict(list)
        for row in rows:
            values[row.history_id].append(getattr(row, target))
        return values

    @staticmethod
    def _history_label(record) -> str:
        """The object as it was, named with the related objects that the
        history query already joined (no query of its own)."""
        instance = record.history_object
        cached = record._state.fields_cache
        for field in instance._meta.concrete_fields:
            if field.many_to_one and field.name in cached:
                instance._state.fields_cache[field.name] = cached[field.name]
        return str(instance)


class EstimatedCountPaginator(Paginator):
    """On PostgreSQL, an unfiltered list of a very large table shows the
    planner's row estimate instead of running COUNT(*) over millions of
    rows; any filter or search gives an exact count again."""

    exact_below = 100_000

    @cached_property
    def count(self):
        query = getattr(self.object_list, "query", None)
        connection = connections[getattr(self.object_list, "db", DEFAULT_DB_ALIAS)]
        if (
            query is not None
            and connection.vendor == "postgresql"
            and not query.where
            and not query.distinct
        ):
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT reltuples::bigint FROM pg_class WHERE oid = %s::regclass",
                    [query.model._meta.db_table],
                )
                row = cursor.fetchone()
            if row and row[0] >= self.exact_below:
                return row[0]
        return super().count


class SubtreeListFilter(admin.SimpleListFilter):
    """A unit and every unit under it, chosen by ``?unit=<id>``.

    The sidebar lists only the top two levels of the tree (the city and its
    districts), never the two thousand units; any deeper unit works through
    the same parameter (links, bookmarks) and is then shown as chosen.
    Subclasses name the path lookup or override ``filter_subtree``.
    """

    title = _("đơn vị (kể cả cấp dưới)")
    parameter_name = "unit"
    path_lookup = "path"
    listed_depth = 2

    def lookups(self, request, model_admin):
        value = self.value()
        condition = Q(depth__lte=self.listed_depth)
        if value and value.isdigit():
            condition |= Q(pk=int(value))
        units = Unit.objects.filter(condition).only("name", "path", "depth")
        self.units_by_id = {str(unit.pk): unit for unit in units.order_by("path")}
        indent = "\u2003"
        return [
            (key, f"{indent * (unit.depth - 1)}{unit.name}")
            for key, unit in self.units_by_id.items()
        ]

    def queryset(self, request, queryset):
        value = self.value()
        if not value:
            return queryset
        unit = self.units_by_id.get(value)
        if unit is None:
            return queryset.none()
        return self.filter_subtree(queryset, unit.path)

    def filter_subtree(self, queryset, path: str):
        return queryset.filter(**{f"{self.path_lookup}__startswith": path})


def unit_autocomplete_widget() -> AutocompleteSelect:
    """An autocomplete for a unit in a form field that is not a foreign key
    of the form's model. The admin's autocomplete view needs some foreign key
    to Unit to authorise the lookup; Membership.unit is that key."""
    return AutocompleteSelect(Membership._meta.get_field("unit"), admin.site)


# --- units ---------------------------------------------------------------------


class MembershipInline(admin.TabularInline):
    model = Membership
    fields = ["user", "role", "title", "committee_role"]
    autocomplete_fields = ["user"]
    extra = 0
    verbose_name = _("thành viên")
    verbose_name_plural = _("thành viên đơn vị")

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("user", "unit")


class SuccessionInline(admin.TabularInline):
    """The reorganisation links of a unit, read-only: they are written by
    the merge, split and rename actions, never by hand."""

    model = UnitSuccession
    extra = 0
    can_delete = False
    link_fields = ["kind", "effective_date", "roll_up", "reason", "created_by"]

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .select_related("predecessor", "successor", "created_by")
        )


class PredecessorLinkInline(SuccessionInline):
    fk_name = "successor"
    fields = readonly_fields = ["predecessor", *SuccessionInline.link_fields]
    verbose_name = _("đơn vị trước sắp xếp")
    verbose_name_plural = _("Tiếp nhận công việc từ các đơn vị trước sắp xếp")


class SuccessorLinkInline(SuccessionInline):
    fk_name = "predecessor"
    fields = readonly_fields = ["successor", *SuccessionInline.link_fields]
    verbose_name = _("đơn vị kế thừa")
    verbose_name_plural = _("Chuyển giao công việc cho các đơn vị kế thừa")


class ActivityListFilter(admin.SimpleListFilter):
    title = _("hoạt động")
    parameter_name = "hoat_dong"

    def lookups(self, request, model_admin):
        return [("active", _("Đang hoạt động")), ("closed", _("Đã giải thể"))]

    def queryset(self, request, queryset):
        if self.value() == "active":
            return queryset.filter(is_active=True)
        if self.value() == "closed":
            return queryset.filter(is_active=False)
        return queryset


class UnitForm(forms.ModelForm):
    """The unit's own fields plus its parent, chosen by autocomplete. The
    admin turns a change of parent (or of name, which orders siblings) into
    a tree move."""

    parent = forms.ModelChoiceField(
        queryset=Unit.objects.all(),
        required=False,
        label=_("Đơn vị cấp trên"),
        help_text=_(
            "Để trống với đơn vị gốc. Đổi đơn vị cấp trên sẽ chuyển đơn vị này "
            "cùng mọi đơn vị trực thuộc sang vị trí mới trong cây."
        ),
        widget=unit_autocomplete_widget(),
    )

    class Meta:
        model = Unit
        fields = [
            "name",
            "short_name",
            "code",
            "kind",
            "parent",
            "head",
            "is_active",
            "valid_from",
        ]
        widgets = {
            "valid_from": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk and (self.instance.depth or 0) > 1:
            self.initial.setdefault("parent", Unit.objects.get_parent(self.instance))

    def clean_parent(self):
        parent = self.cleaned_data.get("parent")
        if parent is not None and self.instance.pk:
            if parent.path.startswith(self.instance.path):
                raise forms.ValidationError(
                    _(
                        "Không thể đặt đơn vị vào dưới chính nó hoặc dưới một đơn "
                        "vị trực thuộc nó."
                    ),
                    code="parent_in_subtree",
                )
        return parent


@admin.register(Unit)
class UnitAdmin(HistoryAdmin):
    form = UnitForm
    list_display = [
        "tree_name",
        "code",
        "kind",
        "head",
        "is_active",
        "active_period",
        "subunits",
    ]
    # The name cell holds its own link, so the indentation stays outside it.
    list_display_links = None
    list_select_related = ["head"]
    list_filter = ["kind", ActivityListFilter, SubtreeListFilter]
    search_fields = ["name", "short_name", "code"]
    ordering = ["path"]
    autocomplete_fields = ["head"]
    inlines = [MembershipInline, PredecessorLinkInline, SuccessorLinkInline]
    list_per_page = 100
    show_facets = admin.ShowFacets.NEVER
    actions = ["merge_selected", "split_selected", "rename_selected"]
    readonly_fields = ["last_day"]
    fieldsets = [
        (None, {"fields": ["name", "short_name", "code", "kind"]}),
        (_("Vị trí trong cây"), {"fields": ["parent"]}),
        (
            _("Lãnh đạo và hoạt động"),
            {"fields": ["head", "is_active", "valid_from", "last_day"]},
        ),
    ]

    @admin.display(description=_("tên đơn vị"), ordering="path")
    def tree_name(self, unit):
        indent = mark_safe("&emsp;" * (unit.depth - 1))
        marker = "↳ " if unit.depth > 1 else ""
        url = reverse("admin:units_unit_change", args=[unit.pk])
        return format_html('{}{}<a href="{}">{}</a>', indent, marker, url, unit.name)

    @admin.display(description=_("đơn vị trực thuộc"), ordering="numchild")
    def subunits(self, unit):
        if not unit.numchild:
            return "—"
        return format_html(
            '<a href="?{}={}">{}</a>',
            SubtreeListFilter.parameter_name,
            unit.pk,
            unit.numchild,
        )

    @admin.display(description=_("hoạt động đến ngày"))
    def last_day(self, unit):
        # Set by the merge, split and rename actions, never typed in.
        if unit.valid_to is None:
            return "—"
        return date_format(unit.valid_to, "d/m/Y")

    @admin.display(description=_("thời gian hoạt động"))
    def active_period(self, unit):
        if unit.valid_from and unit.valid_to:
            start = date_format(unit.valid_from, "d/m/Y")
            return f"{start} – {date_format(unit.valid_to, 'd/m/Y')}"
        if unit.valid_to:
            return _("đến %(day)s") % {"day": date_format(unit.valid_to, "d/m/Y")}
        if unit.valid_from:
            return _("từ %(day)s") % {"day": date_format(unit.valid_from, "d/m/Y")}
        return "—"

    # --- reorganisation (units.reorganise) ---------------------------------

    def get_actions(self, request, action_location=ActionLocation.CHANGE_LIST):
        actions = super().get_actions(request, action_location)
        # Deleting units in bulk would delete whole subtrees with their
        # history; a unit that ends is merged, split or renamed instead.
        actions.pop("delete_selected", None)
        return actions

    @admin.action(description=_("Sáp nhập các đơn vị đã chọn…"), permissions=["change"])
    def merge_selected(self, request, queryset):
        return self._reorganise(
            request, queryset, MergeForm, title=_("Sáp nhập đơn vị")
        )

    @admin.action(description=_("Chia tách đơn vị…"), permissions=["change"])
    def split_selected(self, request, queryset):
        return self._reorganise(
            request, queryset, SplitForm, title=_("Chia tách đơn vị"), single=True
        )

    @admin.action(description=_("Đổi tên đơn vị…"), permissions=["change"])
    def rename_selected(self, request, queryset):
        return self._reorganise(
            request, queryset, RenameForm, title=_("Đổi tên đơn vị"), single=True
        )

    def _reorganise(self, request, queryset, form_class, *, title, single=False):
        """The confirmation page of a reorganisation: what will move, unit
        by unit, and the form. "Xác nhận" runs the service; a refusal or a
        mistake shows the page again with what was typed."""
        if not self.has_change_permission(request):
            raise PermissionDenied
        units = list(queryset.order_by("path"))
        if single and len(units) != 1:
            self.message_user(
                request,
                gettext("%(action)s: hãy chọn đúng một đơn vị.") % {"action": title},
                messages.ERROR,
            )
            return None
        works = [reorganise.pending_work(unit) for unit in units]
        kwargs = {"units": units}
        if form_class is SplitForm:
            kwargs["work"] = works[0]
        if "apply" in request.POST:
            form = form_class(request.POST, **kwargs)
            if form.is_valid():
                try:
                    result = form.save(actor=request.user)
                except ValidationError:
                    pass
                else:
                    self.message_user(
                        request, self._done_message(result, form), messages.SUCCESS
                    )
                    return None
        elif "refresh" in request.POST:
            # The successors were chosen: the page again, with a choice among
            # them for each task and member, and no errors yet.
            initial = {key: request.POST.get(key) for key in request.POST}
            initial["successors"] = request.POST.getlist("successors")
            form = form_class(initial=initial, **kwargs)
        else:
            form = form_class(**kwargs)
        choose = form.item_field if form_class is SplitForm else lambda item: None
        sections = [
            {
                "work": work,
                "tasks": [
                    (task, task.lead_unit_id == work.unit.pk, choose(task))
                    for task in work.led_tasks + work.coordinated_tasks
                ],
                "members": [(m, choose(m)) for m in work.memberships],
            }
            for work in works
        ]
        context = {
            **self.admin_site.each_context(request),
            "title": title,
            "opts": self.opts,
            "units": units,
            "works": works,
            "sections": sections,
            "form": form,
            "action": request.POST.get("action"),
            "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
            "media": self.media + form.media,
            "is_split": form_class is SplitForm,
        }
        return TemplateResponse(request, "admin/units/reorganise.html", context)

    @staticmethod
    def _done_message(result, form) -> str:
        day = date_format(form.cleaned_data["effective_date"], "d/m/Y")
        successors = ", ".join(f"“{unit}”" for unit in result.successors)
        if isinstance(form, MergeForm):
            what = gettext("Đã sáp nhập %(units)s vào %(successor)s từ %(day)s") % {
                "units": ", ".join(f"“{unit}”" for unit in form.units),
                "successor": successors,
                "day": day,
            }
        elif isinstance(form, SplitForm):
            what = gettext(
                "Đã chia tách “%(unit)s” thành %(successors)s từ %(day)s"
            ) % {
                "unit": form.units[0],
                "successors": successors,
                "day": day,
            }
        else:
            what = gettext("Đã đổi tên “%(unit)s” thành %(successor)s từ %(day)s") % {
                "unit": form.units[0],
                "successor": successors,
                "day": day,
            }
        moved = gettext(
            "chuyển %(tasks)d nhiệm vụ đang thực hiện, %(coordinations)d lượt phối "
            "hợp, %(memberships)d thành viên, %(requests)d đề nghị đang chờ; "
            "%(alerts)d cảnh báo chưa gửi đi theo nhiệm vụ."
        ) % {
            "tasks": result.tasks,
            "coordinations": result.coordinations,
            "memberships": result.memberships,
            "requests": result.requests,
            "alerts": result.alerts,
        }
        if result.targets or result.visits or result.findings:
            # Said only when the unit was under supervision, so that the
            # message of an ordinary unit stays short.
            moved += " " + gettext(
                "Giám sát: chuyển %(targets)d đối tượng giám sát, %(visits)d đợt "
                "giám sát theo kế hoạch chưa thực hiện, %(findings)d phát hiện "
                "đang khắc phục."
            ) % {
                "targets": result.targets,
                "visits": result.visits,
                "findings": result.findings,
            }
        return f"{what}: {moved}"

    def has_delete_permission(self, request, obj=None):
        # Deleting a node deletes its whole subtree; a unit that has units
        # under it is closed (is_active) or its children moved first.
        if obj is not None and obj.numchild:
            return False
        return super().has_delete_permission(request, obj)

    @transaction.atomic
    def save_model(self, request, obj, form, change):
        """Place the unit in the tree with treebeard, then save it once with
        the user and a reason, so that every move leaves a history row
        (treebeard's own ``move()`` writes none)."""
        parent = form.cleaned_data.get("parent")
        obj._history_user = request.user
        if not change:
            obj._change_reason = gettext("Tạo đơn vị")
            if parent is None:
                Unit.objects.add_root(instance=obj)
            else:
                Unit.objects.add_child(parent, instance=obj)
            return

        old_parent = form.initial.get("parent")
        moved = getattr(old_parent, "pk", None) != getattr(parent, "pk", None)
        if moved or "name" in form.changed_data:
            # The tree is ordered by name, so a rename may move it among
            # its siblings too.
            if parent is not None:
                Unit.objects.move(obj, parent, pos="sorted-child")
            else:
                first_root = Unit.objects.get_first_root_node()
                Unit.objects.move(obj, first_root, pos="sorted-sibling")
        if moved:
            reason = gettext("Chuyển đơn vị: “%(old)s” → “%(new)s”") % {
                "old": old_parent or gettext("gốc"),
                "new": parent or gettext("gốc"),
            }
        else:
            reason = gettext("Cập nhật đơn vị")
        obj._change_reason = reason[:100]
        obj.save()


# --- people --------------------------------------------------------------------


class UserMembershipInline(admin.TabularInline):
    model = Membership
    fields = ["unit", "role", "title", "committee_role"]
    autocomplete_fields = ["unit"]
    extra = 0
    verbose_name = _("vai trò trong đơn vị")
    verbose_name_plural = _("đơn vị và vai trò")

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("unit", "user")


class RoleListFilter(admin.SimpleListFilter):
    title = _("vai trò")
    parameter_name = "role"

    def lookups(self, request, model_admin):
        return Role.choices

    def queryset(self, request, queryset):
        if self.value() not in Role.values:
            return queryset
        memberships = Membership.objects.filter(user=OuterRef("pk"), role=self.value())
        return queryset.filter(Exists(memberships))


class UserSubtreeListFilter(SubtreeListFilter):
    """People with a membership in the unit or any unit under it."""

    def filter_subtree(self, queryset, path):
        memberships = Membership.objects.filter(
            user=OuterRef("pk"), unit__path__startswith=path
        )
        return queryset.filter(Exists(memberships))


@admin.register(User)
class UserAdmin(HistoryAdmin, DjangoUserAdmin):
    fieldsets = [
        (None, {"fields": ["username", "password"]}),
        (_("Thông tin cá nhân"), {"fields": ["full_name", "position", "email"]}),
        (_("Quyền"), {"fields": ["is_active", "is_staff", "is_superuser"]}),
        (
            _("Nhóm và quyền chi tiết"),
            {"classes": ["collapse"], "fields": ["groups", "user_permissions"]},
        ),
        (_("Thời điểm"), {"fields": ["last_login", "date_joined"]}),
    ]
    add_fieldsets = [
        (
            None,
            {
                "classes": ["wide"],
                "fields": [
                    "username",
                    "full_name",
                    "position",
                    "email",
                    "usable_password",
                    "password1",
                    "password2",
                ],
            },
        ),
    ]
    list_display = [
        "username",
        "full_name",
        "position",
        "email",
        "is_staff",
        "is_active",
    ]
    list_filter = [
        RoleListFilter,
        UserSubtreeListFilter,
        "is_staff",
        "is_superuser",
        "is_active",
    ]
    search_fields = ["username", "full_name", "email"]
    ordering = ["full_name", "username"]
    readonly_fields = ["last_login", "date_joined"]
    inlines = [UserMembershipInline]
    show_full_result_count = False
    show_facets = admin.ShowFacets.NEVER


class MembershipSubtreeListFilter(SubtreeListFilter):
    path_lookup = "unit__path"


@admin.register(Membership)
class MembershipAdmin(HistoryAdmin):
    list_display = ["user", "unit", "role", "title", "committee_role", "created_at"]
    list_select_related = ["user", "unit", "committee_role"]
    list_filter = ["role", MembershipSubtreeListFilter]
    search_fields = ["user__username", "user__full_name", "unit__name", "unit__code"]
    autocomplete_fields = ["user", "unit"]
    show_full_result_count = False
    show_facets = admin.ShowFacets.NEVER


@admin.register(CommitteeRole)
class CommitteeRoleAdmin(HistoryAdmin):
    """The roles a membership may carry in the Party committee (thường trực,
    ủy viên ban thường vụ, cán bộ cơ sở …). A role in use cannot be deleted
    (its memberships and quotas protect it); rename it instead."""

    list_display = ["name", "code", "order"]
    list_editable = ["order"]
    search_fields = ["name", "code"]
    ordering = ["order", "name"]
    actions = None
