"""Admin of supervision: the catalogue of breaches (edited here), teams with
their targets, visits with their findings and remediation links (read and
corrected here; the pages write through ``supervision.services``)."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from units.admin import HistoryAdmin

from .models import Finding, FindingTask, Target, Team, ViolationItem, Visit


class CreatedByAdmin(HistoryAdmin):
    """Rows added here are created by the admin who adds them."""

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)

    def save_formset(self, request, form, formset, change):
        for obj in formset.save(commit=False):
            if obj.pk is None and hasattr(obj, "created_by_id"):
                obj.created_by = request.user
            obj.save()
        for obj in formset.deleted_objects:
            obj.delete()
        formset.save_m2m()


@admin.register(ViolationItem)
class ViolationItemAdmin(HistoryAdmin):
    """The catalogue. An item already used in findings is switched off
    (``is_active``) rather than deleted: the findings keep naming it."""

    list_display = ["code", "text", "order", "is_active"]
    list_editable = ["order", "is_active"]
    list_filter = ["is_active"]
    search_fields = ["code", "text"]
    ordering = ["order", "code"]


class TargetInline(admin.TabularInline):
    model = Target
    fields = ["unit", "kind", "head_person"]
    autocomplete_fields = ["unit", "head_person"]
    extra = 0
    verbose_name_plural = _("đối tượng giám sát")

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("unit", "head_person")


@admin.register(Team)
class TeamAdmin(CreatedByAdmin):
    list_display = ["name", "owner_unit", "leader", "start_date", "end_date"]
    list_select_related = ["owner_unit", "leader"]
    list_filter = ["start_date"]
    search_fields = ["name", "owner_unit__name", "leader__full_name"]
    autocomplete_fields = ["owner_unit", "leader", "members"]
    readonly_fields = ["created_by", "created_at"]
    inlines = [TargetInline]


@admin.register(Target)
class TargetAdmin(HistoryAdmin):
    list_display = ["__str__", "team", "kind"]
    list_select_related = ["team", "unit", "head_person"]
    list_filter = ["kind"]
    search_fields = ["unit__name", "team__name", "head_person__full_name"]
    autocomplete_fields = ["team", "unit", "head_person"]


class FindingInline(admin.StackedInline):
    model = Finding
    fields = ["description", "violations", "other_violation", "unit", "severity"]
    autocomplete_fields = ["unit", "violations"]
    extra = 0
    show_change_link = True

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("unit")


@admin.register(Visit)
class VisitAdmin(CreatedByAdmin):
    list_display = [
        "team",
        "target",
        "kind",
        "status",
        "planned_date",
        "visited_on",
        "filed_at",
    ]
    list_select_related = ["team", "target__unit", "target__head_person"]
    list_filter = ["kind", "status"]
    search_fields = ["team__name", "target__unit__name", "subject", "summary"]
    autocomplete_fields = ["team", "target"]
    readonly_fields = ["created_by", "created_at", "filed_by", "filed_at"]
    date_hierarchy = "visited_on"
    inlines = [FindingInline]


class FindingTaskInline(admin.TabularInline):
    model = FindingTask
    fields = ["task", "created_by", "created_at"]
    readonly_fields = ["task", "created_by", "created_at"]
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        # Remediation tasks are created on the finding's page, with their
        # five rõ, through the task service.
        return False


@admin.register(Finding)
class FindingAdmin(CreatedByAdmin):
    list_display = ["__str__", "visit", "unit", "severity"]
    list_select_related = ["visit__team", "visit__target__unit", "unit"]
    list_filter = ["severity", "violations"]
    search_fields = ["description", "other_violation", "unit__name"]
    autocomplete_fields = ["visit", "unit", "violations"]
    readonly_fields = ["created_by", "created_at"]
    inlines = [FindingTaskInline]


@admin.register(FindingTask)
class FindingTaskAdmin(HistoryAdmin):
    list_display = ["finding", "task", "created_by", "created_at"]
    list_select_related = ["finding", "task", "created_by"]
    readonly_fields = ["finding", "task", "created_by", "created_at"]

    def has_add_permission(self, request):
        return False
