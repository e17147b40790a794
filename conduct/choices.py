from django.db import models
from django.utils.translation import gettext_lazy as _


class RuleKind(models.TextChoices):
    MOVES_OUT = "moves_out", _("Chuyển đi nhiều nhiệm vụ trong thời gian ngắn")
    BOUNCE = "bounce", _("Nhiệm vụ quay lại đơn vị đã từng giữ nó (A → B → A)")
    QUICK_HAND_BACK = "quick_hand_back", _("Đẩy ngược lên cấp trên ngay sau khi nhận")


class RuleSubject(models.TextChoices):
    BOTH = "both", _("Đơn vị và cá nhân")
    UNIT = "unit", _("Đơn vị")
    PERSON = "person", _("Cá nhân")
