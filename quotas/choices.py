from django.db import models
from django.utils.translation import gettext_lazy as _


class RegistrationStatus(models.TextChoices):
    PENDING = "pending", _("Chờ lãnh đạo xác nhận")
    CONFIRMED = "confirmed", _("Đã xác nhận là việc khó")
    REFUSED = "refused", _("Không xác nhận")


# A registration that still stands: one per person, task and period.
STANDING_STATUSES = (RegistrationStatus.PENDING, RegistrationStatus.CONFIRMED)
