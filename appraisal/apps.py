from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AppraisalConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "appraisal"
    verbose_name = _("Chấm điểm, đánh giá, phân loại")

    def ready(self):
        from tasks.dashboard_panels import register

        from .panels import scoring_panel

        register("appraisal", scoring_panel)
