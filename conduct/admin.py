"""Admin of the buck-passing rules. Writes go through ``conduct.services``
(permission, lock, history)."""

from django.contrib import admin

from units.admin import HistoryAdmin

from . import services
from .models import ConductRule


@admin.register(ConductRule)
class ConductRuleAdmin(HistoryAdmin):
    """A rule flags a pattern in the transfer history; switch a rule off
    rather than delete it to keep its history readable."""

    list_display = [
        "name",
        "kind",
        "applies_to",
        "threshold",
        "window_days",
        "working_days",
        "is_active",
    ]
    list_filter = ["kind", "is_active"]
    fields = list(services.RULE_FIELDS)
    actions = None

    def save_model(self, request, obj, form, change):
        saved = services.rule_save(
            actor=request.user,
            rule=obj,
            **{name: form.cleaned_data[name] for name in services.RULE_FIELDS},
        )
        obj.pk = saved.pk

    def delete_model(self, request, obj):
        services.rule_delete(actor=request.user, rule=obj)
