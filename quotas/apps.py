from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class QuotasConfig(AppConfig):
    name = "quotas"
    verbose_name = _("Việc khó và định mức")

    def ready(self):
        from tasks.dashboard_panels import register

        from .panels import quota_panel

        register("quotas", quota_panel)
