from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ConductConfig(AppConfig):
    name = "conduct"
    verbose_name = _("Dấu hiệu đùn đẩy")

    def ready(self):
        from tasks.dashboard_panels import register

        from .panels import conduct_slot

        register("conduct", conduct_slot)
