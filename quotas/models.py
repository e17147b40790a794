"""Hard tasks (việc khó, việc mới) and the quota each person registers.

Every period (a year by default) each person takes on a number of hard
tasks that depends on their role in the Party committee: the standing
committee's permanent members three, its members two, grassroots cadres at
least one (the numbers are rows, per period and role, that admins change).
A person registers a task of theirs; a leader of the task's unit confirms
that it really is hard, or refuses with a reason. Only confirmed
registrations count. Writes go through ``quotas.services``.
"""

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from .choices import STANDING_STATUSES, RegistrationStatus


class QuotaPeriod(models.Model):
    """A period in which hard tasks are registered and counted, with the
    last day to register. A registration made on that day counts."""

    name = models.CharField(
        _("tên kỳ"), max_length=100, help_text=_("Ví dụ: Năm 2026.")
    )
    start = models.DateField(_("từ ngày"))
    end = models.DateField(_("đến ngày"))
    registration_deadline = models.DateField(
        _("hạn đăng ký"),
        help_text=_(
            "Ngày cuối cùng được đăng ký việc khó của kỳ (đăng ký trong ngày này "
            "vẫn được tính)."
        ),
    )
    created_at = models.DateTimeField(_("ngày tạo"), auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("kỳ đăng ký việc khó")
        verbose_name_plural = _("kỳ đăng ký việc khó")
        ordering = ["-start"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end__gte=F("start")),
                name="quotaperiod_end_after_start",
                violation_error_message=_("Ngày kết thúc phải sau ngày bắt đầu."),
            ),
            models.CheckConstraint(
                condition=Q(registration_deadline__gte=F("start"))
                & Q(registration_deadline__lte=F("end")),
                name="quotaperiod_deadline_inside",
                violation_error_message=_("Hạn đăng ký phải nằm trong kỳ."),
            ),
            models.CheckConstraint(
                condition=~Q(name=""),
                name="quotaperiod_name_required",
                violation_error_message=_("Cần nhập tên kỳ."),
            ),
            models.UniqueConstraint(
                fields=["start"],
                name="quotaperiod_unique_start",
                violation_error_message=_("Đã có một kỳ bắt đầu từ ngày này."),
            ),
        ]

    def __str__(self):
        return self.name


class RoleQuota(models.Model):
    """How many hard tasks a person with one committee role must have
    confirmed in one period. A role without a row has no quota."""

    period = models.ForeignKey(
        "quotas.QuotaPeriod",
        verbose_name=_("kỳ"),
        on_delete=models.CASCADE,
        related_name="quotas",
    )
    committee_role = models.ForeignKey(
        "units.CommitteeRole",
        verbose_name=_("vai trò trong cấp ủy"),
        on_delete=models.PROTECT,
        related_name="quotas",
    )
    minimum = models.PositiveSmallIntegerField(
        _("số việc khó tối thiểu"),
        help_text=_("Số việc khó được xác nhận mà mỗi người có vai trò này phải có."),
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("định mức việc khó")
        verbose_name_plural = _("định mức việc khó")
        ordering = ["period", "committee_role__order"]
        constraints = [
            models.UniqueConstraint(
                fields=["period", "committee_role"],
                name="rolequota_unique_period_role",
                violation_error_message=_("Vai trò này đã có định mức trong kỳ."),
            ),
        ]

    def __str__(self):
        return f"{self.period} — {self.committee_role}: {self.minimum}"


class ReminderStep(models.Model):
    """A reminder before the registration deadline: so many working days
    before it, people still short of their quota are reminded, once per
    person, period and step."""

    working_days_before = models.PositiveSmallIntegerField(
        _("số ngày làm việc trước hạn"),
        unique=True,
        help_text=_("Ví dụ 10: nhắc khi còn 10 ngày làm việc đến hạn đăng ký."),
    )
    is_active = models.BooleanField(_("đang áp dụng"), default=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("bước nhắc đăng ký việc khó")
        verbose_name_plural = _("lịch nhắc đăng ký việc khó")
        ordering = ["-working_days_before"]

    def __str__(self):
        return _("%(n)d ngày làm việc trước hạn đăng ký") % {
            "n": self.working_days_before
        }


class Registration(models.Model):
    """A person's registration of one task as a hard task they take on in a
    period, and the leader's decision on it."""

    period = models.ForeignKey(
        "quotas.QuotaPeriod",
        verbose_name=_("kỳ"),
        on_delete=models.PROTECT,
        related_name="registrations",
    )
    person = models.ForeignKey(
        "units.User",
        verbose_name=_("người đăng ký"),
        on_delete=models.PROTECT,
        related_name="hard_task_registrations",
    )
    task = models.ForeignKey(
        "tasks.Task",
        verbose_name=_("nhiệm vụ"),
        on_delete=models.PROTECT,
        related_name="quota_registrations",
    )
    unit = models.ForeignKey(
        "units.Unit",
        verbose_name=_("đơn vị xác nhận"),
        on_delete=models.PROTECT,
        related_name="hard_task_registrations",
        help_text=_(
            "Đơn vị chủ trì nhiệm vụ khi đăng ký: lãnh đạo đơn vị này hoặc cấp "
            "trên xác nhận."
        ),
    )
    reason = models.TextField(_("vì sao là việc khó"))
    status = models.CharField(
        _("trạng thái"),
        max_length=16,
        choices=RegistrationStatus.choices,
        default=RegistrationStatus.PENDING,
    )
    registered_at = models.DateTimeField(_("thời điểm đăng ký"))
    registered_on = models.DateField(
        _("ngày đăng ký"), help_text=_("Ngày (giờ Hà Nội) so với hạn đăng ký.")
    )
    decided_by = models.ForeignKey(
        "units.User",
        verbose_name=_("người quyết định"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="hard_task_decisions",
    )
    decided_at = models.DateTimeField(_("thời điểm quyết định"), null=True, blank=True)
    refusal_reason = models.TextField(_("lý do không xác nhận"), blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("đăng ký việc khó")
        verbose_name_plural = _("đăng ký việc khó")
        ordering = ["-registered_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=RegistrationStatus.values),
                name="registration_status_valid",
            ),
            models.CheckConstraint(
                condition=~Q(reason=""),
                name="registration_reason_required",
                violation_error_message=_("Cần nêu vì sao đây là việc khó."),
            ),
            models.CheckConstraint(
                condition=(
                    Q(status=RegistrationStatus.PENDING)
                    & Q(decided_by__isnull=True, decided_at__isnull=True)
                )
                | (
                    ~Q(status=RegistrationStatus.PENDING)
                    & Q(decided_by__isnull=False, decided_at__isnull=False)
                ),
                name="registration_decision_complete",
                violation_error_message=_(
                    "Đăng ký đã quyết định phải có người và thời điểm quyết định."
                ),
            ),
            models.CheckConstraint(
                condition=~Q(status=RegistrationStatus.REFUSED) | ~Q(refusal_reason=""),
                name="registration_refusal_has_reason",
                violation_error_message=_("Cần nêu lý do không xác nhận."),
            ),
            models.CheckConstraint(
                condition=~Q(decided_by=F("person")),
                name="registration_not_decided_by_registrant",
                violation_error_message=_(
                    "Người đăng ký không tự xác nhận việc khó của mình."
                ),
            ),
            models.UniqueConstraint(
                fields=["period", "person", "task"],
                condition=Q(status__in=STANDING_STATUSES),
                name="registration_once_per_period_person_task",
                violation_error_message=_(
                    "Bạn đã đăng ký nhiệm vụ này là việc khó trong kỳ."
                ),
            ),
        ]
        indexes = [
            models.Index(
                fields=["period", "person", "status"],
                name="registration_period_person_idx",
            ),
            models.Index(
                fields=["unit", "registered_at"],
                name="registration_pending_unit_idx",
                condition=Q(status=RegistrationStatus.PENDING),
            ),
        ]

    def __str__(self):
        return f"{self.person} — {self.task}"


class QuotaReminder(models.Model):
    """The reminder ledger: one row per period, person and reminder step,
    written by the scan (``quotas.reminders``) with a unique key, so that a
    second scan, a second beat or a retried job writes nothing twice. The
    row is listed on the person's "Việc khó" page and e-mailed by the send
    job; its ``alert`` is the line in the person's notification bell."""

    period = models.ForeignKey(
        "quotas.QuotaPeriod",
        verbose_name=_("kỳ"),
        on_delete=models.CASCADE,
        related_name="reminders",
    )
    person = models.ForeignKey(
        "units.User",
        verbose_name=_("người được nhắc"),
        on_delete=models.CASCADE,
        related_name="quota_reminders",
    )
    step = models.ForeignKey(
        "quotas.ReminderStep",
        verbose_name=_("bước nhắc"),
        on_delete=models.PROTECT,
        related_name="reminders",
    )
    minimum = models.PositiveSmallIntegerField(_("định mức"))
    confirmed = models.PositiveSmallIntegerField(_("đã xác nhận"))
    pending = models.PositiveSmallIntegerField(_("chờ xác nhận"))
    created_at = models.DateTimeField(_("thời điểm nhắc"), auto_now_add=True)
    emailed_at = models.DateTimeField(_("đã gửi thư lúc"), null=True, blank=True)
    email_attempts = models.PositiveSmallIntegerField(_("số lần gửi thư"), default=0)
    last_error = models.TextField(_("lỗi gửi gần nhất"), blank=True)
    alert = models.OneToOneField(
        "tasks.Alert",
        verbose_name=_("thông báo trong ứng dụng"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="quota_reminder",
        help_text=_("Dòng của lời nhắc trong chuông thông báo của người được nhắc."),
    )

    class Meta:
        verbose_name = _("lời nhắc đăng ký việc khó")
        verbose_name_plural = _("lời nhắc đăng ký việc khó")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["period", "person", "step"],
                name="quotareminder_once_per_period_person_step",
            ),
        ]
        indexes = [
            models.Index(
                fields=["created_at"],
                name="quotareminder_unsent_idx",
                condition=Q(emailed_at__isnull=True),
            ),
            models.Index(fields=["person", "period"], name="quotareminder_person_idx"),
        ]

    def __str__(self):
        return f"{self.period} — {self.person} — {self.step}"

    @property
    def missing(self) -> int:
        """Registrations still needed when the reminder was written."""
        return max(self.minimum - self.confirmed - self.pending, 0)
