"""The rules that flag possible buck-passing (đùn đẩy) in the transfer
history. Flags themselves are not stored: ``conduct.selectors`` derives them
from the done transfers (``tasks.Transfer``) each time they are read, so
they can never disagree with the history they come from."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from .choices import RuleKind, RuleSubject


class ConductRule(models.Model):
    """One rule that flags a pattern of passing work on: so many tasks
    moved out within so many days, a task that came back to a unit that
    already held it, or a task pushed back up within so many working days
    of arriving. Admins add, change or switch off rules; a rule applies to
    units, to people (who asked for or made the move), or to both."""

    name = models.CharField(
        _("tên quy tắc"),
        max_length=150,
        help_text=_("Hiện trên cờ, ví dụ: Chuyển đi từ 3 nhiệm vụ trong 90 ngày."),
    )
    kind = models.CharField(_("loại"), max_length=32, choices=RuleKind.choices)
    applies_to = models.CharField(
        _("áp dụng cho"),
        max_length=16,
        choices=RuleSubject.choices,
        default=RuleSubject.BOTH,
    )
    threshold = models.PositiveSmallIntegerField(
        _("số lần chuyển"),
        default=3,
        help_text=_("Chuyển đi nhiều: cờ khi có từ chừng này lần chuyển đi."),
    )
    window_days = models.PositiveSmallIntegerField(
        _("trong số ngày"),
        default=90,
        help_text=_("Chuyển đi nhiều: trong bao nhiêu ngày (theo lịch) liên tiếp."),
    )
    working_days = models.PositiveSmallIntegerField(
        _("số ngày làm việc"),
        default=2,
        help_text=_(
            "Đẩy ngược lên ngay: cờ khi trả lại hoặc chuyển lên cấp trên trong "
            "chừng này ngày làm việc kể từ khi nhận."
        ),
    )
    is_active = models.BooleanField(_("đang áp dụng"), default=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("quy tắc nhận diện đùn đẩy")
        verbose_name_plural = _("quy tắc nhận diện đùn đẩy")
        ordering = ["kind", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=RuleKind.values),
                name="conductrule_kind_valid",
            ),
            models.CheckConstraint(
                condition=Q(applies_to__in=RuleSubject.values),
                name="conductrule_subject_valid",
            ),
            models.CheckConstraint(
                condition=~Q(name=""),
                name="conductrule_name_required",
                violation_error_message=_("Cần nhập tên quy tắc."),
            ),
            models.CheckConstraint(
                condition=~Q(kind=RuleKind.MOVES_OUT)
                | (Q(threshold__gte=1) & Q(window_days__gte=1)),
                name="conductrule_moves_out_has_window",
                violation_error_message=_(
                    "Quy tắc chuyển đi nhiều cần số lần chuyển và số ngày từ 1 trở lên."
                ),
            ),
        ]

    def __str__(self):
        return self.name
