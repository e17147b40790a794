"""Admin for tasks and the records of their life.

A task is created and edited only through ``tasks.services`` (so the five
"rõ", the permission rules, the version check, the history user and the
reason all apply): the forms here run the service's own checks and show its
Vietnamese messages, and ``save_form`` calls the service. Status, dates,
people and units never change here; they move through the app's actions
(extensions, transfers, reassignment, approval). Reports, extensions,
transfers, alerts and scan runs are for reading.
"""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import HttpResponseRedirect
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from units.admin import EstimatedCountPaginator, HistoryAdmin, SubtreeListFilter
from units.text import fold_vietnamese

from . import permissions, services
from .choices import OPEN_STATUSES, Timeliness
from .models import (
    Alert,
    AlertPreference,
    CalendarDay,
    EvidenceFile,
    ExplanationRequest,
    ExtensionRequest,
    LadderStep,
    ProgressReport,
    ScanRun,
    Task,
    Transfer,
)

# The arguments of ``services.validate_five_clear``, which are also form fields.
FIVE_CLEAR_FIELDS = [
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
]
# What ``services.task_update`` may change.
EDITABLE_FIELDS = [
    "title",
    "description",
    "expected_result",
    "directive_item",
    "coordinating_units",
    "is_hard",
    "is_hot",
]
DETAIL_RELATED = [
    "lead_unit",
    "assignee",
    "accountable_leader",
    "assigned_by",
    "directive",
    "directive_item__directive",
    "flagged_by",
]


# --- filters -----------------------------------------------------------------


class TimelinessListFilter(admin.SimpleListFilter):
    """The derived timeliness class, with the same SQL as every list,
    dashboard, export and alert (``TaskQuerySet.filter_timeliness``)."""

    title = _("tình trạng thời hạn")
    parameter_name = "timeliness"

    def lookups(self, request, model_admin):
        return Timeliness.choices

    def queryset(self, request, queryset):
        if self.value() in Timeliness.values:
            return queryset.filter_timeliness(self.value())
        return queryset


class LeadUnitSubtreeListFilter(SubtreeListFilter):
    title = _("đơn vị chủ trì (kể cả cấp dưới)")
    path_lookup = "lead_unit__path"


# --- forms -------------------------------------------------------------------


def missing_ro_messages() -> dict[str, str]:
    """The service's own message for each "rõ" left empty, by field."""
    try:
        services.validate_five_clear(
            **{name: None for name in FIVE_CLEAR_FIELDS}
            | {"title": "", "description": "", "expected_result": ""}
        )
    except ValidationError as exc:
        return {field: errors[0].message for field, errors in exc.error_dict.items()}
    return {}


class ServiceForm(forms.ModelForm):
    """A task form checked by the services' rules, with their Vietnamese
    messages; the model's validation would only repeat the same rules in
    less helpful words, so it is not run here (the service runs it)."""

    # The signed-in admin; ``TaskAdmin.get_form`` sets it on each request's
    # form class.
    actor = None

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # An empty "rõ" is reported as the service reports it.
        for name, message in missing_ro_messages().items():
            if name in self.fields:
                self.fields[name].required = True
                self.fields[name].error_messages["required"] = message

    def add_service_error(self, exc: ValidationError) -> None:
        """Attach the service's messages to their fields where the form
        shows that field, and above the form otherwise."""
        if not hasattr(exc, "error_dict"):
            self.add_error(None, exc)
            return
        for field, errors in exc.error_dict.items():
            if field in self.fields and field not in self.errors:
                self.add_error(field, errors)
            elif field not in self.fields:
                self.add_error(None, errors)


class TaskAddForm(ServiceForm):
    reason = forms.CharField(
        label=_("Ghi chú khi giao"),
        required=False,
        max_length=100,
        help_text=_("Ghi vào lịch sử; để trống sẽ ghi “Giao nhiệm vụ”."),
    )

    class Meta:
        model = Task
        fields = [*FIVE_CLEAR_FIELDS, "coordinating_units", "is_hard", "is_hot"]

    def _post_clean(self):
        data = self.cleaned_data
        lead_unit = data.get("lead_unit")
        if lead_unit is not None and not permissions.can_assign(self.actor, lead_unit):
            self.add_error("lead_unit", services.ASSIGN_OUTSIDE_SCOPE)
        try:
            services.validate_five_clear(
                **{name: data.get(name) for name in FIVE_CLEAR_FIELDS}
            )
        except ValidationError as exc:
            self.add_service_error(exc)


class TaskChangeForm(ServiceForm):
    expected_version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    reason = forms.CharField(
        label=_("Lý do thay đổi"),
        required=False,
        max_length=100,
        help_text=_("Ghi vào lịch sử cùng tên bạn và thời điểm."),
    )

    class Meta:
        model = Task
        fields = EDITABLE_FIELDS

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "expected_version" in self.fields:
            self.fields["expected_version"].initial = self.instance.version

    @property
    def changed_content(self) -> list[str]:
        return [name for name in self.changed_data if name in EDITABLE_FIELDS]

    def _post_clean(self):
        task, data = self.instance, self.cleaned_data
        if not self.changed_content:
            return
        if data.get("expected_version") not in (None, task.version):
            self.add_error(None, str(services.ConflictError(task)))
            return
        if task.status not in OPEN_STATUSES or not permissions.can_manage(
            self.actor, task
        ):
            self.add_error(None, gettext("Bạn không có quyền sửa nhiệm vụ này."))
            return
        values = {name: getattr(task, name) for name in FIVE_CLEAR_FIELDS}
        values.update({k: v for k, v in data.items() if k in FIVE_CLEAR_FIELDS})
        try:
            services.validate_five_clear(**values)
        except ValidationError as exc:
            self.add_service_error(exc)


# --- read-only inlines on the task page ---------------------------------------


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False
    show_change_link = True
    related = ()

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def get_readonly_fields(self, request, obj=None):
        return self.fields

    def get_queryset(self, request):
        return super().get_queryset(request).select_related(*self.related)


class ProgressReportInline(ReadOnlyInline):
    model = ProgressReport
    fields = ["created_at", "kind", "author", "percent", "note"]
    related = ["author"]


class ExtensionRequestInline(ReadOnlyInline):
    model = ExtensionRequest
    fields = [
        "requested_at",
        "requested_by",
        "previous_deadline",
        "new_deadline",
        "reason",
        "status",
        "decided_by",
        "decided_at",
    ]
    related = ["requested_by", "decided_by"]


class TransferInline(ReadOnlyInline):
    model = Transfer
    fields = [
        "requested_at",
        "kind",
        "status",
        "from_unit",
        "to_unit",
        "from_assignee",
        "to_assignee",
        "reason",
        "requested_by",
        "decided_by",
    ]
    related = [
        "from_unit",
        "to_unit",
        "from_assignee",
        "to_assignee",
        "requested_by",
        "decided_by",
    ]


# --- tasks -------------------------------------------------------------------

RO_NGUOI = _("Rõ người")
RO_VIEC = _("Rõ việc")
RO_TIEN_DO = _("Rõ tiến độ")
RO_KET_QUA = _("Rõ kết quả")
RO_TRACH_NHIEM = _("Rõ trách nhiệm")

ADD_FIELDSETS = [
    (RO_NGUOI, {"fields": ["assignee", "lead_unit", "coordinating_units"]}),
    (RO_VIEC, {"fields": ["title", "description", "directive", "directive_item"]}),
    (RO_TIEN_DO, {"fields": ["start_date", "deadline"]}),
    (RO_KET_QUA, {"fields": ["expected_result"]}),
    (
        RO_TRACH_NHIEM,
        {
            "fields": ["accountable_leader"],
            "description": _("Người giao là bạn, thời điểm giao là lúc lưu."),
        },
    ),
    (_("Phân loại"), {"fields": ["is_hard", "is_hot"]}),
    (None, {"fields": ["reason"]}),
]
CHANGE_FIELDSETS = [
    (RO_NGUOI, {"fields": ["assignee", "lead_unit", "coordinating_units"]}),
    (RO_VIEC, {"fields": ["title", "description", "directive", "directive_item"]}),
    (
        RO_TIEN_DO,
        {"fields": ["start_date", "original_deadline", "deadline", "progress"]},
    ),
    (RO_KET_QUA, {"fields": ["expected_result", "actual_result"]}),
    (RO_TRACH_NHIEM, {"fields": ["accountable_leader", "assigned_by", "assigned_at"]}),
    (_("Phân loại"), {"fields": ["is_hard", "is_hot", "flagged_by", "flagged_at"]}),
    (
        _("Trạng thái"),
        {
            "fields": [
                "status",
                "timeliness_label",
                "submitted_on",
                "completed_on",
                "completed_at",
                "version",
                "created_at",
                "updated_at",
            ]
        },
    ),
]
CHANGE_FIELDS = [name for _title, opts in CHANGE_FIELDSETS for name in opts["fields"]]
SAVE_FIELDSET = (
    _("Lưu thay đổi"),
    {
        "fields": ["reason", "expected_version"],
        "description": _(
            "Hạn, người thực hiện và đơn vị chủ trì chỉ thay đổi qua gia hạn, "
            "giao lại hoặc chuyển giao trong ứng dụng."
        ),
    },
)


@admin.register(Task)
class TaskAdmin(HistoryAdmin):
    list_display = [
        "title",
        "lead_unit",
        "assignee",
        "deadline",
        "status",
        "timeliness_label",
        "is_hard",
    ]
    list_select_related = ["lead_unit", "assignee"]
    list_filter = [
        "status",
        TimelinessListFilter,
        "directive",
        "is_hard",
        LeadUnitSubtreeListFilter,
    ]
    search_fields = ["title"]
    date_hierarchy = "deadline"
    autocomplete_fields = [
        "assignee",
        "lead_unit",
        "coordinating_units",
        "directive",
        "directive_item",
        "accountable_leader",
    ]
    inlines = [ProgressReportInline, ExtensionRequestInline, TransferInline]
    show_full_result_count = False
    show_facets = admin.ShowFacets.NEVER
    actions = None
    history_related = ["directive_item__directive"]

    def get_queryset(self, request):
        return super().get_queryset(request).with_timeliness()

    def get_object(self, request, object_id, from_field=None):
        # The page shows every person and unit of the task read-only (each a
        # link): join them here rather than once each while rendering.
        queryset = self.get_queryset(request).select_related(*DETAIL_RELATED)
        field = (
            self.model._meta.pk
            if from_field is None
            else self.model._meta.get_field(from_field)
        )
        try:
            return queryset.get(**{field.name: field.to_python(object_id)})
        except (self.model.DoesNotExist, ValidationError, ValueError):
            return None

    def get_search_results(self, request, queryset, search_term):
        """The title as typed, or without diacritics ("ra soat" finds
        "Rà soát") through the folded search text the services keep."""
        term = search_term.strip()
        if not term:
            return queryset, False
        matches = Q(title__icontains=term) | Q(
            search_text__contains=fold_vietnamese(term)
        )
        return queryset.filter(matches), False

    @admin.display(description=_("tình trạng thời hạn"), ordering="timeliness")
    def timeliness_label(self, task):
        value = getattr(task, "timeliness", None)
        return Timeliness(value).label if value else None

    # --- forms: everything goes through the services ---

    def is_editable(self, request, obj) -> bool:
        return obj.status in OPEN_STATUSES and permissions.can_manage(request.user, obj)

    def get_fieldsets(self, request, obj=None):
        if obj is None:
            return ADD_FIELDSETS
        if self.is_editable(request, obj):
            return [*CHANGE_FIELDSETS, SAVE_FIELDSET]
        return CHANGE_FIELDSETS

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return []
        if self.is_editable(request, obj):
            return [name for name in CHANGE_FIELDS if name not in EDITABLE_FIELDS]
        return CHANGE_FIELDS

    def get_inlines(self, request, obj):
        return self.inlines if obj is not None else []

    def get_form(self, request, obj=None, change=False, **kwargs):
        kwargs["form"] = TaskChangeForm if obj is not None else TaskAddForm
        form = super().get_form(request, obj, change=change, **kwargs)
        form.actor = request.user
        return form

    def save_form(self, request, form, change):
        """Create or update through the service; the form has already run
        the service's checks, so this normally cannot refuse."""
        data = form.cleaned_data
        if not change:
            return services.task_create(
                actor=request.user,
                **{name: data.get(name) for name in FIVE_CLEAR_FIELDS},
                coordinating_units=list(data.get("coordinating_units") or ()),
                is_hard=bool(data.get("is_hard")),
                is_hot=bool(data.get("is_hot")),
                reason=data.get("reason", ""),
            )
        changed = form.changed_content
        if not changed:
            return form.instance
        values = {name: data[name] for name in changed}
        if "coordinating_units" in values:
            values["coordinating_units"] = list(values["coordinating_units"])
        return services.task_update(
            actor=request.user,
            task=form.instance,
            expected_version=data.get("expected_version"),
            reason=data.get("reason", ""),
            **values,
        )

    def save_model(self, request, obj, form, change):
        """Saved by the service in ``save_form``, with user and reason. A
        deadline on a day off is saved, with a warning."""
        from .forms_assign import deadline_warnings

        if "deadline" in form.changed_data or not change:
            for warning in deadline_warnings(form.cleaned_data.get("deadline")):
                messages.warning(request, warning)

    def save_related(self, request, form, formsets, change):
        # The service set the coordinating units; the inlines are read-only
        # (saving them writes nothing but lets the change message be built).
        for formset in formsets:
            self.save_formset(request, form, formset, change=change)

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except (ValidationError, services.ConflictError) as exc:
            # The form ran the same checks a moment earlier: the task or a
            # membership changed in between. The transaction was rolled back.
            text = " ".join(exc.messages) if hasattr(exc, "messages") else str(exc)
            self.message_user(request, text, messages.ERROR)
            return HttpResponseRedirect(request.get_full_path())

    def has_delete_permission(self, request, obj=None):
        # A task is cancelled, with a reason, never deleted: its record
        # counts in the statistics and the history.
        return False


# --- records of a task's life: read-mostly -------------------------------------


class ReadOnlyMixin:
    """Written by the services or the jobs only; here to be found, filtered
    and read. Large tables: no full count, an estimated one when unfiltered."""

    show_full_result_count = False
    show_facets = admin.ShowFacets.NEVER
    paginator = EstimatedCountPaginator
    actions = None

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def get_readonly_fields(self, request, obj=None):
        return self.fields or ()


class EvidenceFileInline(ReadOnlyInline):
    model = EvidenceFile
    fields = ["original_name", "content_type", "size", "uploaded_by", "uploaded_at"]
    related = ["uploaded_by"]
    show_change_link = False


@admin.register(ProgressReport)
class ProgressReportAdmin(ReadOnlyMixin, HistoryAdmin):
    list_display = ["task", "kind", "percent", "author", "created_at"]
    list_select_related = ["task", "author"]
    list_filter = ["kind"]
    search_fields = ["task__title", "note"]
    fields = ["task", "kind", "percent", "note", "author", "created_at"]
    inlines = [EvidenceFileInline]


@admin.register(ExtensionRequest)
class ExtensionRequestAdmin(ReadOnlyMixin, HistoryAdmin):
    list_display = [
        "task",
        "previous_deadline",
        "new_deadline",
        "status",
        "requested_by",
        "requested_at",
        "decided_by",
    ]
    list_select_related = ["task", "requested_by", "decided_by"]
    list_filter = ["status"]
    search_fields = ["task__title", "reason"]
    fields = [
        "task",
        "previous_deadline",
        "new_deadline",
        "reason",
        "requested_by",
        "requested_at",
        "status",
        "decided_by",
        "decided_at",
        "decision_note",
    ]


@admin.register(Transfer)
class TransferAdmin(ReadOnlyMixin, HistoryAdmin):
    list_display = [
        "task",
        "kind",
        "status",
        "from_unit",
        "to_unit",
        "requested_by",
        "requested_at",
    ]
    list_select_related = ["task", "from_unit", "to_unit", "requested_by"]
    list_filter = ["kind", "status"]
    search_fields = ["task__title", "reason"]
    fields = [
        "task",
        "kind",
        "status",
        "from_unit",
        "to_unit",
        "from_assignee",
        "to_assignee",
        "reason",
        "requested_by",
        "requested_at",
        "decided_by",
        "decided_at",
        "decision_note",
    ]


@admin.register(EvidenceFile)
class EvidenceFileAdmin(admin.ModelAdmin):
    """Evidence is read here; an admin may delete a file uploaded by
    mistake (for instance one carrying personal data)."""

    list_display = ["original_name", "report", "content_type", "size", "uploaded_by"]
    list_select_related = ["report", "uploaded_by"]
    search_fields = ["original_name", "report__task__title"]
    fields = [
        "original_name",
        "report",
        "content_type",
        "size",
        "uploaded_by",
        "uploaded_at",
    ]
    show_full_result_count = False
    show_facets = admin.ShowFacets.NEVER

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class ReadListFilter(admin.SimpleListFilter):
    title = _("đã đọc")
    parameter_name = "read"

    def lookups(self, request, model_admin):
        return [("yes", _("Đã đọc")), ("no", _("Chưa đọc"))]

    def queryset(self, request, queryset):
        if self.value() in ("yes", "no"):
            return queryset.filter(read_at__isnull=self.value() == "no")
        return queryset


class EmailedListFilter(admin.SimpleListFilter):
    title = _("thư điện tử")
    parameter_name = "emailed"

    def lookups(self, request, model_admin):
        return [("yes", _("Đã gửi")), ("no", _("Chưa gửi"))]

    def queryset(self, request, queryset):
        if self.value() in ("yes", "no"):
            return queryset.filter(emailed_at__isnull=self.value() == "no")
        return queryset


@admin.register(Alert)
class AlertAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = [
        "kind",
        "task",
        "recipient",
        "deadline",
        "created_at",
        "read_at",
        "emailed_at",
        "email_attempts",
    ]
    list_select_related = ["task", "recipient"]
    list_filter = ["kind", ReadListFilter, EmailedListFilter]
    search_fields = [
        "task__title",
        "message",
        "recipient__username",
        "recipient__full_name",
    ]


@admin.register(ScanRun)
class ScanRunAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = [
        "job",
        "started_at",
        "finished_at",
        "duration",
        "status",
        "created_count",
        "sent_count",
        "failed_count",
        "short_error",
    ]
    list_filter = ["status", "job"]
    search_fields = ["job", "error"]

    @admin.display(description=_("lỗi"))
    def short_error(self, run):
        return (run.error or "")[:120]

    @admin.display(description=_("thời gian chạy"))
    def duration(self, run):
        return run.duration


@admin.register(LadderStep)
class LadderStepAdmin(admin.ModelAdmin):
    """The alert ladder, one row per step. A step that has alerted is
    switched off (``is_active``), not deleted."""

    list_display = [
        "__str__",
        "track",
        "kind",
        "working_days",
        "to_assignee",
        "to_leader",
        "to_unit_head",
        "to_assigner",
        "to_reviewers",
        "to_requester",
        "is_active",
    ]
    list_editable = ["working_days", "is_active"]
    list_filter = ["track", "kind", "is_active"]


@admin.register(CalendarDay)
class CalendarDayAdmin(admin.ModelAdmin):
    """Each year's extra days off and make-up working days (public holidays,
    Tết and Giỗ Tổ included, come from the ``holidays`` library)."""

    list_display = ["date", "kind", "note"]
    list_filter = ["kind"]
    date_hierarchy = "date"
    search_fields = ["note"]


@admin.register(AlertPreference)
class AlertPreferenceAdmin(admin.ModelAdmin):
    list_display = ["user", "email_mode", "digest_hour"]
    list_filter = ["email_mode"]
    list_select_related = ["user"]
    search_fields = ["user__username", "user__full_name"]
    autocomplete_fields = ["user"]


@admin.register(ExplanationRequest)
class ExplanationRequestAdmin(ReadOnlyMixin, HistoryAdmin):
    list_display = [
        "task",
        "unit",
        "requested_by",
        "requested_at",
        "due_date",
        "answered_by",
        "answered_at",
    ]
    list_select_related = ["task", "unit", "requested_by", "answered_by"]
    list_filter = [("answered_at", admin.EmptyFieldListFilter)]
    search_fields = ["task__title", "question", "answer"]
