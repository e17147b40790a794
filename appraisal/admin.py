"""Admin for accountability: mostly for reading and audit.

Scores, rounds, classifications and their periods are written only by
``appraisal.services`` (computations, the steps of the month, proposals,
decisions) and are read-only here. Cross-evaluations show who gave each
rating: the audit the person rated never sees. Score rules are changed on
the app's own page (with a preview on last month); here an earlier version
may be applied again. Classification rules are edited here as drafts (a new
version), then applied with the action; a version once applied is
read-only, and a copy makes the next draft.
"""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Max
from django.shortcuts import redirect
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from units.admin import HistoryAdmin

from . import services
from .models import (
    Classification,
    ClassificationBand,
    ClassificationPeriod,
    ClassificationRuleSet,
    PeerRating,
    PersonScore,
    RuleSet,
    ScoringRound,
)


class ReadOnlyAdmin(HistoryAdmin):
    """Shown, never changed here: the services write these rows."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


def _report(request, exc: Exception) -> None:
    text = "; ".join(exc.messages) if isinstance(exc, ValidationError) else str(exc)
    messages.error(request, text)


@admin.register(RuleSet)
class RuleSetAdmin(ReadOnlyAdmin):
    list_display = (
        "version",
        "name",
        "is_active",
        "base_points",
        "activated_at",
        "created_by",
    )
    list_select_related = ("created_by",)
    actions = ["apply_again"]

    def has_add_permission(self, request, obj=None):
        return request.user.has_perm("appraisal.add_ruleset")

    def add_view(self, request, form_url="", extra_context=None):
        # A new version is typed and previewed on the app's page.
        return redirect("appraisal:rules")

    @admin.action(
        description=_("Áp dụng lại phiên bản đã chọn (tính lại các tháng chưa chốt)"),
        permissions=["add"],
    )
    def apply_again(self, request, queryset):
        if queryset.count() != 1:
            messages.error(request, gettext("Hãy chọn đúng một phiên bản."))
            return
        try:
            rule_set = services.rule_set_activate(
                actor=request.user, rule_set=queryset.get()
            )
        except (ValidationError, PermissionDenied) as exc:
            _report(request, exc)
            return
        messages.success(
            request,
            gettext("Đã áp dụng lại bộ quy tắc số %(v)s.") % {"v": rule_set.version},
        )


class BandInline(admin.TabularInline):
    model = ClassificationBand
    extra = 0
    fields = (
        "level",
        "min_points",
        "min_on_time_pct",
        "max_behind_pct",
        "min_beyond_pct",
    )

    def _draft(self, obj):
        return obj is None or obj.activated_at is None

    def has_add_permission(self, request, obj=None):
        return self._draft(obj) and super().has_add_permission(request, obj)

    def has_change_permission(self, request, obj=None):
        return self._draft(obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return self._draft(obj) and super().has_delete_permission(request, obj)


@admin.register(ClassificationRuleSet)
class ClassificationRuleSetAdmin(HistoryAdmin):
    list_display = (
        "version",
        "name",
        "is_active",
        "excellent_quota_pct",
        "beyond_ahead_days",
        "activated_at",
    )
    list_select_related = ("created_by",)
    fields = (
        "name",
        "note",
        "beyond_hard_tasks",
        "beyond_ahead_days",
        "excellent_quota_pct",
        "version",
        "is_active",
        "activated_at",
        "created_by",
    )
    inlines = [BandInline]
    actions = ["apply", "copy_as_draft"]

    readonly_fields = ("version", "is_active", "activated_at", "created_by")

    def has_change_permission(self, request, obj=None):
        # A version once applied is for reading: a change is a new draft.
        if obj is not None and obj.activated_at is not None:
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        if obj.activated_at is not None:
            raise PermissionDenied
        if not change:
            latest = ClassificationRuleSet.objects.aggregate(v=Max("version"))["v"]
            obj.version = (latest or 0) + 1
            obj.created_by = request.user
        super().save_model(request, obj, form, change)

    @admin.action(description=_("Áp dụng bộ quy tắc phân loại đã chọn"))
    def apply(self, request, queryset):
        if queryset.count() != 1:
            messages.error(request, gettext("Hãy chọn đúng một phiên bản."))
            return
        try:
            rule_set = services.classification_rules_activate(
                actor=request.user, rule_set=queryset.get()
            )
        except (ValidationError, PermissionDenied) as exc:
            _report(request, exc)
            return
        messages.success(
            request,
            gettext("Đã áp dụng bộ quy tắc phân loại số %(v)s.")
            % {"v": rule_set.version},
        )

    @admin.action(description=_("Sao chép thành bản nháp mới để sửa"))
    def copy_as_draft(self, request, queryset):
        if queryset.count() != 1:
            messages.error(request, gettext("Hãy chọn đúng một phiên bản."))
            return
        try:
            draft = services.classification_rules_copy(
                actor=request.user, rule_set=queryset.get()
            )
        except (ValidationError, PermissionDenied) as exc:
            _report(request, exc)
            return
        messages.success(
            request,
            gettext("Đã tạo bản nháp số %(v)s; sửa rồi áp dụng.")
            % {"v": draft.version},
        )


@admin.register(ClassificationBand)
class ClassificationBandAdmin(ReadOnlyAdmin):
    list_display = (
        "rule_set",
        "level",
        "min_points",
        "min_on_time_pct",
        "max_behind_pct",
        "min_beyond_pct",
    )
    list_select_related = ("rule_set",)
    list_filter = ("rule_set",)


@admin.register(ScoringRound)
class ScoringRoundAdmin(ReadOnlyAdmin):
    list_display = (
        "unit",
        "month",
        "points",
        "people",
        "self_assessed",
        "leader_assessed",
        "confirmed",
        "flat_scores",
        "flat_levels",
    )
    list_select_related = ("unit",)
    list_filter = ("month", "flat_scores", "flat_levels")
    search_fields = ("unit__name", "unit__code")
    date_hierarchy = "month"


@admin.register(PersonScore)
class PersonScoreAdmin(ReadOnlyAdmin):
    list_display = (
        "person",
        "round",
        "points",
        "self_level",
        "leader_level",
        "confirmed_level",
        "confirmed_at",
    )
    list_select_related = ("person", "round", "round__unit")
    list_filter = ("round__month", "confirmed_level")
    search_fields = ("person__full_name", "person__username", "round__unit__name")
    history_related = ["round__unit"]


@admin.register(PeerRating)
class PeerRatingAdmin(ReadOnlyAdmin):
    """The audit of cross-evaluation: who rated whom, and how."""

    list_display = (
        "round",
        "evaluated",
        "evaluator",
        "responsibility",
        "cooperation",
        "quality",
        "updated_at",
    )
    list_select_related = ("round", "round__unit", "evaluated", "evaluator")
    list_filter = ("round__month",)
    search_fields = (
        "evaluated__full_name",
        "evaluator__full_name",
        "round__unit__name",
    )
    history_related = ["round__unit"]


@admin.register(ClassificationPeriod)
class ClassificationPeriodAdmin(ReadOnlyAdmin):
    list_display = ("label", "kind", "start", "end", "rule_set", "proposed_at")
    list_select_related = ("rule_set",)


@admin.register(Classification)
class ClassificationAdmin(ReadOnlyAdmin):
    list_display = (
        "period",
        "unit",
        "person",
        "avg_points",
        "proposed_level",
        "over_quota",
        "decided_level",
        "decided_by",
    )
    list_select_related = ("period", "unit", "person", "decided_by")
    list_filter = ("period", "proposed_level", "decided_level", "over_quota")
    search_fields = ("person__full_name", "unit__name")
