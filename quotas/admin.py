"""Admin of the hard-task quotas: periods with their quotas per committee
role, the reminder steps; registrations and reminders to read (they are
written from the pages, through ``quotas.services``).

Writes from the admin call the services too (history with who and why)."""

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from units.admin import HistoryAdmin

from . import services
from .models import QuotaPeriod, QuotaReminder, Registration, ReminderStep, RoleQuota


class RoleQuotaInline(admin.TabularInline):
    model = RoleQuota
    fields = ["committee_role", "minimum"]
    extra = 0
    verbose_name = _("định mức")
    verbose_name_plural = _("định mức theo vai trò trong cấp ủy")

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("committee_role")


class QuotaPeriodForm(forms.ModelForm):
    """The period's own fields, checked as the service checks them (dates,
    and no overlap with another period), so that the admin shows the
    message at the form instead of failing on save."""

    class Meta:
        model = QuotaPeriod
        fields = ["name", "start", "end", "registration_deadline"]

    def clean(self):
        cleaned = super().clean()
        if not self.errors:
            candidate = QuotaPeriod(
                pk=self.instance.pk,
                **{name: cleaned.get(name) for name in self.Meta.fields},
            )
            candidate._state.adding = self.instance._state.adding
            try:
                services.check_period(candidate)
            except ValidationError as exc:
                self.add_error(None, exc)
        return cleaned


@admin.register(QuotaPeriod)
class QuotaPeriodAdmin(HistoryAdmin):
    """A new period copies the quotas of the period before it (the first
    one gets the article's 3 / 2 / 1); its own quotas are changed on its
    page afterwards."""

    form = QuotaPeriodForm
    list_display = ["name", "start", "end", "registration_deadline"]
    fields = ["name", "start", "end", "registration_deadline"]
    ordering = ["-start"]
    actions = None

    def get_inlines(self, request, obj):
        # On creation the service copies the rows; they are edited after.
        return [RoleQuotaInline] if obj is not None else []

    def save_model(self, request, obj, form, change):
        values = {name: form.cleaned_data[name] for name in self.fields}
        if change:
            saved = services.period_update(actor=request.user, period=obj, **values)
        else:
            saved = services.period_create(actor=request.user, **values)
        obj.pk = saved.pk

    def save_formset(self, request, form, formset, change):
        if formset.model is not RoleQuota:
            return super().save_formset(request, form, formset, change)
        formset.save(commit=False)
        for quota in formset.deleted_objects:
            services.role_quota_delete(actor=request.user, quota=quota)
        for inline_form in formset.forms:
            if inline_form in formset.deleted_forms or not inline_form.has_changed():
                continue
            data = inline_form.cleaned_data
            services.role_quota_save(
                actor=request.user,
                period=form.instance,
                committee_role=data["committee_role"],
                minimum=data["minimum"],
            )


@admin.register(RoleQuota)
class RoleQuotaAdmin(HistoryAdmin):
    """One role's quota in one period (also editable on the period's page).
    Saved through the service, which keeps who and the old and new value."""

    list_display = ["period", "committee_role", "minimum"]
    list_select_related = ["period", "committee_role"]
    list_filter = ["period"]
    fields = ["period", "committee_role", "minimum"]
    actions = None

    def save_model(self, request, obj, form, change):
        saved = services.role_quota_save(
            actor=request.user,
            period=form.cleaned_data["period"],
            committee_role=form.cleaned_data["committee_role"],
            minimum=form.cleaned_data["minimum"],
        )
        obj.pk = saved.pk

    def delete_model(self, request, obj):
        services.role_quota_delete(actor=request.user, quota=obj)


@admin.register(ReminderStep)
class ReminderStepAdmin(HistoryAdmin):
    list_display = ["__str__", "working_days_before", "is_active"]
    fields = ["working_days_before", "is_active"]
    actions = None

    def save_model(self, request, obj, form, change):
        services.reminder_step_save(
            actor=request.user,
            step=obj,
            working_days_before=form.cleaned_data["working_days_before"],
            is_active=form.cleaned_data["is_active"],
        )


class ReadOnlyMixin:
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Registration)
class RegistrationAdmin(ReadOnlyMixin, HistoryAdmin):
    list_display = [
        "person",
        "task",
        "period",
        "status",
        "registered_on",
        "decided_by",
        "decided_at",
    ]
    list_select_related = ["person", "task", "period", "decided_by"]
    list_filter = ["period", "status"]
    search_fields = ["person__username", "person__full_name", "task__title"]
    show_full_result_count = False
    show_facets = admin.ShowFacets.NEVER


@admin.register(QuotaReminder)
class QuotaReminderAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = [
        "person",
        "period",
        "step",
        "minimum",
        "confirmed",
        "pending",
        "created_at",
        "emailed_at",
        "last_error",
    ]
    list_select_related = ["person", "period", "step"]
    list_filter = ["period", "step"]
    search_fields = ["person__username", "person__full_name"]
    show_full_result_count = False
    show_facets = admin.ShowFacets.NEVER
