from django.db import models
from django.utils.translation import gettext_lazy as _


class Level(models.TextChoices):
    """The four levels of Quy định 366-QĐ/TW (2025), used for a month's
    assessment and for the period's classification alike. Ordered from the
    highest."""

    EXCELLENT = "excellent", _("Hoàn thành xuất sắc nhiệm vụ")
    GOOD = "good", _("Hoàn thành tốt nhiệm vụ")
    DONE = "done", _("Hoàn thành nhiệm vụ")
    NOT_DONE = "not_done", _("Không hoàn thành nhiệm vụ")


LEVEL_ORDER = tuple(Level.values)  # highest first


class SeatRole(models.TextChoices):
    """How a person sits in the unit whose round they are in."""

    STAFF = "staff", _("Cán bộ, công chức")
    LEADER = "leader", _("Lãnh đạo đơn vị")


class PeriodKind(models.TextChoices):
    YEAR = "year", _("Năm")
    QUARTER = "quarter", _("Quý")


class ScoreInput(models.TextChoices):
    """The inputs of a monthly score, in the order the breakdown shows them.
    Bonuses first, then deductions."""

    ON_TIME = "on_time", _("Hoàn thành đúng hạn")
    HARD_DONE = "hard_done", _("Việc khó hoàn thành")
    LATE = "late", _("Hoàn thành quá hạn")
    OVERDUE = "overdue", _("Quá hạn, chưa hoàn thành cuối tháng")
    RETURNED = "returned", _("Bị trả lại")
    EXTENDED = "extended", _("Phải gia hạn")


BONUS_INPUTS = (ScoreInput.ON_TIME, ScoreInput.HARD_DONE)
DEDUCTION_INPUTS = (
    ScoreInput.LATE,
    ScoreInput.OVERDUE,
    ScoreInput.RETURNED,
    ScoreInput.EXTENDED,
)


class PeerCriterion(models.TextChoices):
    RESPONSIBILITY = "responsibility", _("Tinh thần trách nhiệm")
    COOPERATION = "cooperation", _("Phối hợp với đồng nghiệp")
    QUALITY = "quality", _("Chất lượng, tiến độ công việc")
