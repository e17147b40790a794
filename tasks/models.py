import os

from django.db import models
from django.db.backends.signals import connection_created
from django.db.models import F, Q
from django.db.models.signals import post_delete, post_migrate, post_save
from django.dispatch import receiver
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from .choices import (
    OPEN_STATUSES,
    SCAN_ALERT_KINDS,
    AlertKind,
    CalendarDayKind,
    EmailMode,
    ExtensionStatus,
    LadderRole,
    LadderTrack,
    ReportKind,
    ScanStatus,
    TaskStatus,
    TransferKind,
    TransferStatus,
)
from .querysets import AlertQuerySet, TaskQuerySet


class Task(models.Model):
    """A nhiệm vụ: one piece of work that carries out a directive, with the
    "5 rõ" — a named person and lead unit (rõ người), the work stated (rõ
    việc), start and deadline (rõ tiến độ), the expected result (rõ kết
    quả) and the accountable leader (rõ trách nhiệm). Its status moves only
    through ``tasks.services``; its timeliness is derived in SQL."""

    # rõ việc
    title = models.CharField(_("tên nhiệm vụ"), max_length=500)
    description = models.TextField(_("nội dung công việc"))
    directive = models.ForeignKey(
        "directives.Directive",
        verbose_name=_("văn bản chỉ đạo"),
        on_delete=models.PROTECT,
        related_name="tasks",
    )
    directive_item = models.ForeignKey(
        "directives.DirectiveItem",
        verbose_name=_("mục của văn bản"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="tasks",
    )
    # rõ người
    lead_unit = models.ForeignKey(
        "units.Unit",
        verbose_name=_("đơn vị chủ trì"),
        on_delete=models.PROTECT,
        related_name="led_tasks",
    )
    coordinating_units = models.ManyToManyField(
        "units.Unit",
        verbose_name=_("đơn vị phối hợp"),
        blank=True,
        related_name="coordinated_tasks",
    )
    assignee = models.ForeignKey(
        "units.User",
        verbose_name=_("người thực hiện"),
        on_delete=models.PROTECT,
        related_name="assigned_tasks",
    )
    # rõ tiến độ
    start_date = models.DateField(_("ngày bắt đầu"))
    original_deadline = models.DateField(_("hạn ban đầu"))
    deadline = models.DateField(
        _("hạn hoàn thành"),
        help_text=_(
            "Hạn đang áp dụng: hạn ban đầu hoặc hạn gia hạn đã duyệt gần nhất."
        ),
    )
    progress = models.PositiveSmallIntegerField(_("tiến độ (%)"), default=0)
    # rõ kết quả
    expected_result = models.TextField(_("kết quả, sản phẩm dự kiến"))
    actual_result = models.TextField(_("kết quả thực tế"), blank=True)
    # rõ trách nhiệm
    accountable_leader = models.ForeignKey(
        "units.User",
        verbose_name=_("lãnh đạo chịu trách nhiệm"),
        on_delete=models.PROTECT,
        related_name="accountable_tasks",
    )
    assigned_by = models.ForeignKey(
        "units.User",
        verbose_name=_("người giao"),
        on_delete=models.PROTECT,
        related_name="given_tasks",
    )
    assigned_at = models.DateTimeField(_("thời điểm giao"))
    # life
    status = models.CharField(
        _("trạng thái"),
        max_length=16,
        choices=TaskStatus.choices,
        default=TaskStatus.ASSIGNED,
    )
    submitted_on = models.DateField(_("ngày báo cáo hoàn thành"), null=True, blank=True)
    completed_on = models.DateField(_("ngày hoàn thành"), null=True, blank=True)
    completed_at = models.DateTimeField(_("thời điểm xác nhận"), null=True, blank=True)
    is_hard = models.BooleanField(_("việc khó"), default=False)
    is_hot = models.BooleanField(_("việc nóng"), default=False)
    flagged_by = models.ForeignKey(
        "units.User",
        verbose_name=_("người đăng ký việc khó/nóng"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="flagged_tasks",
    )
    flagged_at = models.DateTimeField(_("thời điểm đăng ký"), null=True, blank=True)
    search_text = models.TextField(_("chuỗi tìm kiếm"), blank=True, editable=False)
    # Counters the dashboards read instead of the transfer and extension
    # tables; ``tasks.services`` keeps them with the rows they count, and
    # ``tasks.rollups.check`` proves they agree.
    transfer_count = models.PositiveSmallIntegerField(
        _("số lần chuyển đơn vị"), default=0, editable=False
    )
    extension_count = models.PositiveSmallIntegerField(
        _("số lần được gia hạn"), default=0, editable=False
    )
    moved_up = models.BooleanField(
        _("đã bị đẩy lên trên"),
        default=False,
        editable=False,
        help_text=_(
            "Đã trả lại người giao, hoặc chuyển lên một đơn vị cấp trên của "
            "đơn vị đang giữ."
        ),
    )
    version = models.PositiveIntegerField(
        _("phiên bản"),
        default=1,
        help_text=_("Tăng mỗi lần lưu, để phát hiện hai người sửa cùng lúc."),
    )
    created_at = models.DateTimeField(_("ngày tạo"), auto_now_add=True)
    updated_at = models.DateTimeField(_("cập nhật lần cuối"), auto_now=True)

    objects = TaskQuerySet.as_manager()
    history = HistoricalRecords(
        m2m_fields=[coordinating_units],
        excluded_fields=[
            "search_text",
            "updated_at",
            "transfer_count",
            "extension_count",
            "moved_up",
        ],
    )

    class Meta:
        verbose_name = _("nhiệm vụ")
        verbose_name_plural = _("nhiệm vụ")
        ordering = ["deadline", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=TaskStatus.values),
                name="task_status_valid",
                violation_error_message=_("Trạng thái nhiệm vụ không hợp lệ."),
            ),
            models.CheckConstraint(
                condition=~Q(title=""),
                name="task_title_required",
                violation_error_message=_("Thiếu rõ việc: chưa có tên nhiệm vụ."),
            ),
            models.CheckConstraint(
                condition=~Q(description=""),
                name="task_description_required",
                violation_error_message=_("Thiếu rõ việc: chưa có nội dung công việc."),
            ),
            models.CheckConstraint(
                condition=~Q(expected_result=""),
                name="task_expected_result_required",
                violation_error_message=_(
                    "Thiếu rõ kết quả: chưa có kết quả, sản phẩm dự kiến."
                ),
            ),
            models.CheckConstraint(
                condition=Q(deadline__gte=F("start_date"))
                & Q(original_deadline__gte=F("start_date")),
                name="task_deadline_after_start",
                violation_error_message=_(
                    "Hạn hoàn thành không được trước ngày bắt đầu."
                ),
            ),
            models.CheckConstraint(
                condition=Q(progress__lte=100),
                name="task_progress_at_most_100",
                violation_error_message=_("Tiến độ không được vượt quá 100%."),
            ),
            models.CheckConstraint(
                condition=~Q(status=TaskStatus.DONE)
                | (Q(completed_on__isnull=False) & ~Q(actual_result="")),
                name="task_done_has_result",
                violation_error_message=_(
                    "Nhiệm vụ hoàn thành phải có ngày hoàn thành và kết quả thực tế."
                ),
            ),
            models.CheckConstraint(
                condition=Q(version__gte=1),
                name="task_version_positive",
            ),
        ]
        indexes = [
            models.Index(
                fields=["lead_unit", "status", "deadline"],
                name="task_unit_status_deadline_idx",
            ),
            models.Index(
                fields=["assignee", "deadline"], name="task_assignee_deadline_idx"
            ),
            models.Index(
                fields=["deadline"],
                name="task_open_deadline_idx",
                condition=Q(status__in=OPEN_STATUSES),
            ),
            models.Index(
                fields=["directive", "status"], name="task_directive_status_idx"
            ),
            models.Index(
                fields=["accountable_leader", "deadline"],
                name="task_leader_deadline_idx",
            ),
            # The dashboards' panels: hard tasks, and possible buck-passing.
            models.Index(
                fields=["deadline", "id"],
                name="task_hard_deadline_idx",
                condition=Q(is_hard=True),
            ),
            models.Index(
                fields=["deadline", "id"],
                name="task_moved_deadline_idx",
                condition=Q(transfer_count__gt=1) | Q(moved_up=True),
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("tasks:detail", args=[self.pk])

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES


def evidence_upload_to(instance, filename: str) -> str:
    # The stored name is ours; the user's original name (Vietnamese kept)
    # is in ``original_name`` and is what downloads are served as.
    _, ext = os.path.splitext(filename)
    token = os.urandom(8).hex()
    folder = f"evidence/{instance.report.task_id}/{instance.report_id}"
    return f"{folder}/{token}{ext.lower()}"


class ProgressReport(models.Model):
    """An entry on a task's timeline: a progress report with a percentage and
    a note, a completion report, or a leader's return or approval."""

    task = models.ForeignKey(
        "tasks.Task",
        verbose_name=_("nhiệm vụ"),
        on_delete=models.CASCADE,
        related_name="reports",
    )
    kind = models.CharField(
        _("loại"),
        max_length=16,
        choices=ReportKind.choices,
        default=ReportKind.PROGRESS,
    )
    author = models.ForeignKey(
        "units.User",
        verbose_name=_("người báo cáo"),
        on_delete=models.PROTECT,
        related_name="progress_reports",
    )
    percent = models.PositiveSmallIntegerField(_("tiến độ (%)"))
    note = models.TextField(_("nội dung"), blank=True)
    created_at = models.DateTimeField(_("thời điểm"), auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("báo cáo tiến độ")
        verbose_name_plural = _("báo cáo tiến độ")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(percent__lte=100),
                name="report_percent_at_most_100",
                violation_error_message=_("Tiến độ không được vượt quá 100%."),
            ),
            models.CheckConstraint(
                condition=Q(kind__in=ReportKind.values),
                name="report_kind_valid",
            ),
        ]
        indexes = [
            models.Index(fields=["task", "-created_at"], name="report_task_time_idx")
        ]

    def __str__(self):
        return f"{self.get_kind_display()} — {self.percent}%"


class EvidenceFile(models.Model):
    """A file attached to a report as evidence. Stored outside the web root
    and served only through a permission-checked view."""

    report = models.ForeignKey(
        "tasks.ProgressReport",
        verbose_name=_("báo cáo"),
        on_delete=models.CASCADE,
        related_name="files",
    )
    file = models.FileField(_("tệp"), upload_to=evidence_upload_to, max_length=300)
    original_name = models.CharField(_("tên tệp"), max_length=255)
    content_type = models.CharField(_("kiểu tệp"), max_length=100)
    size = models.PositiveBigIntegerField(_("dung lượng (byte)"))
    uploaded_by = models.ForeignKey(
        "units.User",
        verbose_name=_("người tải lên"),
        on_delete=models.PROTECT,
        related_name="evidence_files",
    )
    uploaded_at = models.DateTimeField(_("thời điểm tải lên"), auto_now_add=True)

    class Meta:
        verbose_name = _("tệp minh chứng")
        verbose_name_plural = _("tệp minh chứng")
        ordering = ["uploaded_at", "pk"]

    def __str__(self):
        return self.original_name


class ExtensionRequest(models.Model):
    """A request to move a task's deadline. Once approved, its new deadline
    becomes the task's deadline; the original and every request stay."""

    task = models.ForeignKey(
        "tasks.Task",
        verbose_name=_("nhiệm vụ"),
        on_delete=models.CASCADE,
        related_name="extensions",
    )
    requested_by = models.ForeignKey(
        "units.User",
        verbose_name=_("người đề nghị"),
        on_delete=models.PROTECT,
        related_name="extension_requests",
    )
    requested_at = models.DateTimeField(_("thời điểm đề nghị"), auto_now_add=True)
    previous_deadline = models.DateField(_("hạn trước khi gia hạn"))
    new_deadline = models.DateField(_("hạn đề nghị"))
    reason = models.TextField(_("lý do"))
    status = models.CharField(
        _("trạng thái"),
        max_length=16,
        choices=ExtensionStatus.choices,
        default=ExtensionStatus.PENDING,
    )
    decided_by = models.ForeignKey(
        "units.User",
        verbose_name=_("người quyết định"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="extension_decisions",
    )
    decided_at = models.DateTimeField(_("thời điểm quyết định"), null=True, blank=True)
    decision_note = models.TextField(_("ý kiến"), blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("đề nghị gia hạn")
        verbose_name_plural = _("đề nghị gia hạn")
        ordering = ["-requested_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(new_deadline__gt=F("previous_deadline")),
                name="extension_moves_deadline_later",
                violation_error_message=_("Hạn đề nghị phải sau hạn hiện tại."),
            ),
            models.CheckConstraint(
                condition=~Q(reason=""),
                name="extension_reason_required",
                violation_error_message=_("Cần nêu lý do gia hạn."),
            ),
            models.CheckConstraint(
                condition=Q(status__in=ExtensionStatus.values),
                name="extension_status_valid",
            ),
            models.UniqueConstraint(
                fields=["task"],
                condition=Q(status="pending"),
                name="extension_one_pending_per_task",
                violation_error_message=_(
                    "Nhiệm vụ đã có một đề nghị gia hạn đang chờ quyết định."
                ),
            ),
        ]

    def __str__(self):
        return f"{self.task} → {self.new_deadline:%d/%m/%Y}"


class Transfer(models.Model):
    """A hop of a task between units or people: a transfer to another unit,
    or a hand-back to the person who assigned it. Always with a reason. The
    hops together are the task's path, read for possible buck-passing."""

    task = models.ForeignKey(
        "tasks.Task",
        verbose_name=_("nhiệm vụ"),
        on_delete=models.CASCADE,
        related_name="transfers",
    )
    kind = models.CharField(_("hình thức"), max_length=16, choices=TransferKind.choices)
    status = models.CharField(
        _("trạng thái"),
        max_length=16,
        choices=TransferStatus.choices,
        default=TransferStatus.DONE,
    )
    from_unit = models.ForeignKey(
        "units.Unit",
        verbose_name=_("từ đơn vị"),
        on_delete=models.PROTECT,
        related_name="transfers_out",
    )
    to_unit = models.ForeignKey(
        "units.Unit",
        verbose_name=_("đến đơn vị"),
        on_delete=models.PROTECT,
        related_name="transfers_in",
    )
    from_assignee = models.ForeignKey(
        "units.User",
        verbose_name=_("người thực hiện trước"),
        on_delete=models.PROTECT,
        related_name="transfers_from",
    )
    to_assignee = models.ForeignKey(
        "units.User",
        verbose_name=_("người thực hiện mới"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="transfers_to",
    )
    reason = models.TextField(_("lý do"))
    requested_by = models.ForeignKey(
        "units.User",
        verbose_name=_("người đề nghị"),
        on_delete=models.PROTECT,
        related_name="transfer_requests",
    )
    requested_at = models.DateTimeField(_("thời điểm đề nghị"), auto_now_add=True)
    decided_by = models.ForeignKey(
        "units.User",
        verbose_name=_("người quyết định"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="transfer_decisions",
    )
    decided_at = models.DateTimeField(_("thời điểm quyết định"), null=True, blank=True)
    decision_note = models.TextField(_("ý kiến"), blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("chuyển giao nhiệm vụ")
        verbose_name_plural = _("chuyển giao nhiệm vụ")
        ordering = ["requested_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(reason=""),
                name="transfer_reason_required",
                violation_error_message=_("Cần nêu lý do chuyển giao."),
            ),
            models.CheckConstraint(
                condition=Q(kind__in=TransferKind.values),
                name="transfer_kind_valid",
            ),
            models.CheckConstraint(
                condition=Q(status__in=TransferStatus.values),
                name="transfer_status_valid",
            ),
            models.UniqueConstraint(
                fields=["task"],
                condition=Q(status="pending"),
                name="transfer_one_pending_per_task",
                violation_error_message=_(
                    "Nhiệm vụ đã có một đề nghị chuyển giao đang chờ quyết định."
                ),
            ),
        ]
        indexes = [
            models.Index(fields=["task", "requested_at"], name="transfer_task_time_idx")
        ]

    def __str__(self):
        return f"{self.task}: {self.from_unit} → {self.to_unit}"


class Alert(models.Model):
    """A notification to one person, shown by the bell and, for the ledger
    kinds, sent by e-mail. Almost every alert is about one task; a reminder
    to register hard tasks is about none and carries its own link instead.

    Ledger kinds (due soon, overdue, escalation) are written by the scans:
    one row per task, deadline, kind and recipient, a rule the database
    enforces, which is what makes a rerun, a second beat or a retried job
    harmless. Event kinds (assigned, returned, approved …) are written by
    the services as things happen and may repeat."""

    task = models.ForeignKey(
        "tasks.Task",
        verbose_name=_("nhiệm vụ"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="alerts",
    )
    link = models.CharField(
        _("đường dẫn"),
        max_length=300,
        blank=True,
        # the scans write rows with INSERT … SELECT: the database fills it
        db_default="",
        help_text=_("Trang cần mở, với cảnh báo không gắn với nhiệm vụ nào."),
    )
    kind = models.CharField(
        _("loại cảnh báo"), max_length=32, choices=AlertKind.choices
    )
    deadline = models.DateField(
        _("hạn được cảnh báo"),
        help_text=_("Hạn của nhiệm vụ tại thời điểm tạo cảnh báo."),
    )
    recipient = models.ForeignKey(
        "units.User",
        verbose_name=_("người nhận"),
        on_delete=models.CASCADE,
        related_name="alerts",
    )
    actor = models.ForeignKey(
        "units.User",
        verbose_name=_("người thực hiện thao tác"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        # indexed where set (alert_actor_idx): ledger rows have no actor
        db_index=False,
        related_name="alerts_caused",
        help_text=_("Ai gây ra sự việc; trống với cảnh báo do hệ thống quét."),
    )
    message = models.CharField(_("nội dung ngắn"), max_length=500, blank=True)
    step = models.ForeignKey(
        "tasks.LadderStep",
        verbose_name=_("bước cảnh báo"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        # the ledger's key leads with the step and serves its lookups
        db_index=False,
        related_name="alerts",
        help_text=_("Bước của thang cảnh báo đã tạo cảnh báo này (do hệ thống quét)."),
    )
    role = models.CharField(
        _("gửi với tư cách"),
        max_length=16,
        choices=LadderRole.choices,
        blank=True,
    )
    mandatory = models.BooleanField(
        _("bắt buộc gửi thư"),
        default=False,
        help_text=_(
            "Cảnh báo vượt cấp gửi người nhận với tư cách lãnh đạo: "
            "luôn gửi thư, không tắt được."
        ),
    )
    created_at = models.DateTimeField(_("thời điểm tạo"), auto_now_add=True)
    read_at = models.DateTimeField(_("đã đọc lúc"), null=True, blank=True)
    emailed_at = models.DateTimeField(_("đã gửi thư lúc"), null=True, blank=True)
    email_attempts = models.PositiveSmallIntegerField(_("số lần gửi thư"), default=0)
    last_error = models.TextField(_("lỗi gửi gần nhất"), blank=True)

    objects = AlertQuerySet.as_manager()

    class Meta:
        verbose_name = _("cảnh báo")
        verbose_name_plural = _("cảnh báo")
        ordering = ["-created_at", "-pk"]
        constraints = [
            # The ledger's key: a step of the ladder alerts a person once
            # about a task and deadline. A new deadline (an approved
            # extension) is a new key, so the ladder starts again. The step
            # comes first: the index then also finds a step's alerts (the
            # PROTECT check), and a scan's rows, written step by step in
            # task order, land next to each other.
            models.UniqueConstraint(
                fields=["step", "task", "deadline", "recipient"],
                condition=Q(step__isnull=False),
                name="alert_once_per_task_deadline_step_recipient",
            ),
            models.CheckConstraint(
                condition=Q(kind__in=AlertKind.values),
                name="alert_kind_valid",
            ),
            # An alert leads somewhere: to its task, or to its own page.
            models.CheckConstraint(
                condition=Q(task__isnull=False) | ~Q(link=""),
                name="alert_task_or_link",
            ),
        ]
        indexes = [
            models.Index(
                fields=["recipient", "-created_at"],
                name="alert_unread_idx",
                condition=Q(read_at__isnull=True),
            ),
            models.Index(
                fields=["created_at"],
                name="alert_unsent_idx",
                condition=Q(emailed_at__isnull=True, kind__in=SCAN_ALERT_KINDS),
            ),
            # Event rows name who acted; the scans' rows (most of the table)
            # do not, and stay out of this index.
            models.Index(
                fields=["actor"],
                name="alert_actor_idx",
                condition=Q(actor__isnull=False),
            ),
        ]

    def __str__(self):
        about = self.task_id or self.link
        return f"{self.get_kind_display()}: {about} → {self.recipient_id}"

    @property
    def target_url(self) -> str:
        """Where the bell's entry leads: the task, or the alert's own page."""
        return self.task.get_absolute_url() if self.task_id else self.link

    @property
    def title(self) -> str:
        """The entry's headline: the task's title, or the message."""
        return self.task.title if self.task_id else self.message


class ScanRun(models.Model):
    """One run of an alert scan or send job, for the admins' view of the
    background work: when, how long, how many alerts, and any failure."""

    job = models.CharField(_("công việc"), max_length=64)
    started_at = models.DateTimeField(_("bắt đầu"))
    finished_at = models.DateTimeField(_("kết thúc"), null=True, blank=True)
    status = models.CharField(
        _("kết quả"),
        max_length=16,
        choices=ScanStatus.choices,
        default=ScanStatus.RUNNING,
    )
    created_count = models.PositiveIntegerField(_("số cảnh báo tạo"), default=0)
    sent_count = models.PositiveIntegerField(_("số thư đã gửi"), default=0)
    failed_count = models.PositiveIntegerField(
        _("số thư chưa gửi được"),
        default=0,
        help_text=_("Thư gặp lỗi hoặc không có người nhận; lỗi ghi ở từng cảnh báo."),
    )
    error = models.TextField(_("lỗi"), blank=True)

    class Meta:
        verbose_name = _("lượt quét cảnh báo")
        verbose_name_plural = _("lượt quét cảnh báo")
        ordering = ["-started_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=ScanStatus.values),
                name="scanrun_status_valid",
            ),
        ]
        indexes = [
            models.Index(fields=["job", "-started_at"], name="scanrun_job_time_idx")
        ]

    def __str__(self):
        return f"{self.job} {self.started_at:%d/%m/%Y %H:%M}"

    @property
    def duration(self):
        if self.finished_at:
            return self.finished_at - self.started_at
        return None


class CalendarDay(models.Model):
    """An exception to the calendar of Vietnam for one date, kept by the
    admins each year: an extra day off the government grants (a bridge
    next to a holiday), or a weekend day worked in exchange (làm bù).
    Public holidays themselves (Tết, Giỗ Tổ Hùng Vương …) come from the
    ``holidays`` library and need no row."""

    date = models.DateField(_("ngày"), unique=True)
    kind = models.CharField(_("loại"), max_length=16, choices=CalendarDayKind.choices)
    note = models.CharField(_("ghi chú"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("ngày nghỉ / làm bù")
        verbose_name_plural = _("lịch nghỉ bù, làm bù")
        ordering = ["-date"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=CalendarDayKind.values),
                name="calendarday_kind_valid",
            ),
        ]

    def __str__(self):
        return f"{self.date:%d/%m/%Y} — {self.get_kind_display()}"


class LadderStep(models.Model):
    """One step of the alert ladder: which alert, how many working days
    before (due soon) or after (overdue, escalation) the deadline, and to
    whom. Each step alerts each of its recipients once per task and
    deadline; an approved extension gives a new deadline and so a fresh
    ladder. Steps are rows so that admins change the ladder, not the code;
    a step that has sent alerts is switched off, not deleted."""

    track = models.CharField(
        _("theo hạn"),
        max_length=16,
        choices=LadderTrack.choices,
        default=LadderTrack.TASK,
    )
    kind = models.CharField(
        _("loại cảnh báo"),
        max_length=32,
        choices=[
            (k.value, k.label)
            for k in (
                AlertKind.DUE_SOON,
                AlertKind.OVERDUE,
                AlertKind.ESCALATION,
                AlertKind.EXPLANATION_OVERDUE,
            )
        ],
    )
    working_days = models.PositiveSmallIntegerField(
        _("số ngày làm việc"),
        default=0,
        help_text=_(
            "Sắp đến hạn: số ngày làm việc còn lại trước hạn. Quá hạn, vượt cấp: "
            "số ngày làm việc sau hạn (0 = ngay khi quá hạn)."
        ),
    )
    to_assignee = models.BooleanField(_("gửi người thực hiện"), default=False)
    to_leader = models.BooleanField(_("gửi lãnh đạo chịu trách nhiệm"), default=False)
    to_unit_head = models.BooleanField(
        _("gửi người đứng đầu đơn vị chủ trì"), default=False
    )
    to_assigner = models.BooleanField(_("gửi người giao"), default=False)
    to_reviewers = models.BooleanField(
        _("gửi thường trực theo dõi có phạm vi"), default=False
    )
    to_requester = models.BooleanField(_("gửi người yêu cầu giải trình"), default=False)
    is_active = models.BooleanField(_("đang áp dụng"), default=True)

    class Meta:
        verbose_name = _("bước cảnh báo")
        verbose_name_plural = _("thang cảnh báo")
        ordering = ["track", "kind", "working_days", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(track__in=LadderTrack.values),
                name="ladderstep_track_valid",
            ),
            models.CheckConstraint(
                condition=(
                    Q(track=LadderTrack.TASK)
                    & Q(
                        kind__in=[
                            AlertKind.DUE_SOON,
                            AlertKind.OVERDUE,
                            AlertKind.ESCALATION,
                        ]
                    )
                )
                | Q(track=LadderTrack.EXPLANATION, kind=AlertKind.EXPLANATION_OVERDUE),
                name="ladderstep_kind_fits_track",
                violation_error_message=_(
                    "Hạn nhiệm vụ dùng các loại sắp đến hạn, quá hạn, vượt cấp; "
                    "hạn giải trình dùng loại chậm giải trình."
                ),
            ),
            models.CheckConstraint(
                condition=Q(to_assignee=True)
                | Q(to_leader=True)
                | Q(to_unit_head=True)
                | Q(to_assigner=True)
                | Q(to_reviewers=True)
                | Q(to_requester=True),
                name="ladderstep_has_recipient",
                violation_error_message=_("Chọn ít nhất một người nhận."),
            ),
        ]

    def __str__(self):
        if self.kind == AlertKind.DUE_SOON:
            when = _("%(n)d ngày làm việc trước hạn") % {"n": self.working_days}
        elif self.working_days:
            when = _("%(n)d ngày làm việc sau hạn") % {"n": self.working_days}
        else:
            when = _("khi quá hạn")
        return f"{self.get_kind_display()} — {when}"

    @property
    def roles(self) -> list[str]:
        pairs = (
            (self.to_assignee, LadderRole.ASSIGNEE),
            (self.to_leader, LadderRole.LEADER),
            (self.to_unit_head, LadderRole.UNIT_HEAD),
            (self.to_assigner, LadderRole.ASSIGNER),
            (self.to_reviewers, LadderRole.REVIEWER),
            (self.to_requester, LadderRole.REQUESTER),
        )
        return [role for on, role in pairs if on]

    @property
    def is_escalation(self) -> bool:
        return self.kind in (AlertKind.ESCALATION, AlertKind.EXPLANATION_OVERDUE)

    def clean(self):
        from django.conf import settings
        from django.core.exceptions import ValidationError

        limit = settings.TRACKER_DUE_SOON_WORKING_DAYS
        if self.kind == AlertKind.DUE_SOON and self.working_days > limit:
            raise ValidationError(
                {
                    "working_days": _(
                        "Không quá %(n)d ngày làm việc: khoảng “sắp đến hạn” của "
                        "hệ thống (TRACKER_DUE_SOON_WORKING_DAYS)."
                    )
                    % {"n": limit}
                }
            )
        if self.track == LadderTrack.TASK and self.to_requester:
            raise ValidationError({"to_requester": _("Chỉ dùng cho hạn giải trình.")})


class AlertPreference(models.Model):
    """How one person wants alert e-mails: one mail per alert, one digest a
    day at a chosen hour, or none (the bell only). Escalations addressed to
    them as a leader are e-mailed at once whatever they choose."""

    user = models.OneToOneField(
        "units.User",
        verbose_name=_("người dùng"),
        on_delete=models.CASCADE,
        related_name="alert_preference",
    )
    email_mode = models.CharField(
        _("cách nhận thư"),
        max_length=16,
        choices=EmailMode.choices,
        default=EmailMode.IMMEDIATE,
    )
    digest_hour = models.PositiveSmallIntegerField(
        _("giờ gửi thư tổng hợp"),
        default=7,
        help_text=_("Giờ trong ngày (0–23, giờ Hà Nội)."),
    )

    class Meta:
        verbose_name = _("cách nhận cảnh báo")
        verbose_name_plural = _("cách nhận cảnh báo")
        constraints = [
            models.CheckConstraint(
                condition=Q(email_mode__in=EmailMode.values),
                name="alertpreference_mode_valid",
            ),
            models.CheckConstraint(
                condition=Q(digest_hour__lte=23),
                name="alertpreference_hour_valid",
                violation_error_message=_("Giờ gửi từ 0 đến 23."),
            ),
        ]

    def __str__(self):
        return f"{self.user}: {self.get_email_mode_display()}"


class ExplanationRequest(models.Model):
    """A request for explanation (yêu cầu giải trình) from a reviewer or a
    leader to the lead unit of an overdue task, and the unit's answer.
    Unanswered past its due date, it climbs its own ladder of alerts."""

    task = models.ForeignKey(
        "tasks.Task",
        verbose_name=_("nhiệm vụ"),
        on_delete=models.CASCADE,
        related_name="explanations",
    )
    unit = models.ForeignKey(
        "units.Unit",
        verbose_name=_("đơn vị giải trình"),
        on_delete=models.PROTECT,
        related_name="explanation_requests",
    )
    requested_by = models.ForeignKey(
        "units.User",
        verbose_name=_("người yêu cầu"),
        on_delete=models.PROTECT,
        related_name="explanations_requested",
    )
    requested_at = models.DateTimeField(_("thời điểm yêu cầu"))
    question = models.TextField(_("nội dung yêu cầu"))
    due_date = models.DateField(_("hạn giải trình"))
    answer = models.TextField(_("nội dung giải trình"), blank=True)
    answered_by = models.ForeignKey(
        "units.User",
        verbose_name=_("người giải trình"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="explanations_answered",
    )
    answered_at = models.DateTimeField(_("thời điểm giải trình"), null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("yêu cầu giải trình")
        verbose_name_plural = _("yêu cầu giải trình")
        ordering = ["requested_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(question=""),
                name="explanation_question_required",
                violation_error_message=_("Chưa có nội dung yêu cầu giải trình."),
            ),
            models.CheckConstraint(
                condition=Q(answered_at__isnull=True)
                | (~Q(answer="") & Q(answered_by__isnull=False)),
                name="explanation_answer_complete",
                violation_error_message=_(
                    "Giải trình phải có nội dung và người giải trình."
                ),
            ),
            # One open request per task at a time.
            models.UniqueConstraint(
                fields=["task"],
                condition=Q(answered_at__isnull=True),
                name="explanation_one_open_per_task",
                violation_error_message=_(
                    "Nhiệm vụ đang có một yêu cầu giải trình chưa được trả lời."
                ),
            ),
        ]
        indexes = [
            models.Index(
                fields=["due_date"],
                name="explanation_open_due_idx",
                condition=Q(answered_at__isnull=True),
            )
        ]

    def __str__(self):
        return f"{self.task}: {self.question[:50]}"

    @property
    def is_answered(self) -> bool:
        return self.answered_at is not None


@receiver([post_save, post_delete], sender=CalendarDay)
def _calendar_changed(using="default", **kwargs):
    from .calendar import changed

    changed(using)


@receiver(connection_created)
def _calendar_on_connect(connection, **kwargs):
    from .calendar import reload_quietly

    if connection.alias == "default":
        reload_quietly(connection.alias)


@receiver(post_migrate)
def _calendar_after_migrate(using="default", **kwargs):
    from .calendar import reload_quietly

    reload_quietly(using)


class CellBucket(models.TextChoices):
    """A task's state in the dashboard cells: what its timeliness is made
    of, without today (``tasks_cell_bucket`` in migration 0008)."""

    OPEN = "open", _("đang làm")
    WAITING = "waiting", _("đã báo cáo đúng hạn, chờ duyệt")
    DONE_ON_TIME = "done_on_time", _("hoàn thành đúng hạn")
    DONE_LATE = "done_late", _("hoàn thành quá hạn")
    CANCELLED = "cancelled", _("đã hủy")


class DashboardDayCell(models.Model):
    """Tasks counted in advance for the unit table: how many tasks of one
    directive led by a unit in the subtree of ``node`` (the unit itself
    included) have a deadline on one day and are in one state, and how many
    of them were extended or moved to another unit. Every task is counted in
    the cell of its lead unit and of each unit above it.

    Nothing in a cell depends on today, so a dashboard adds cells up with
    today's rules (``tasks.selectors``). On PostgreSQL a trigger on
    ``tasks_task`` keeps the cells in the transaction of every write
    (migration 0008); ``manage.py dashboard_cells --check`` compares them with
    the tasks, ``--rebuild`` recounts them."""

    directive = models.ForeignKey(
        "directives.Directive",
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
    )
    node = models.ForeignKey(
        "units.Unit",
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
    )
    deadline = models.DateField()
    bucket = models.CharField(max_length=16, choices=CellBucket.choices)
    is_hard = models.BooleanField()
    tasks = models.IntegerField(default=0)
    # Tasks with at least one approved extension; moved at least once.
    extended = models.IntegerField(default=0)
    moved = models.IntegerField(default=0)

    class Meta:
        verbose_name = _("ô số liệu theo ngày")
        verbose_name_plural = _("ô số liệu theo ngày")
        # The unique key (covering the counts) is created by migration 0008,
        # on PostgreSQL only.

    def __str__(self):
        return f"{self.node_id}/{self.deadline:%Y-%m-%d}/{self.bucket}"


class DashboardMonthCell(models.Model):
    """The same counts per deadline month, with the month the task was done
    and the month an on-time submission was made that still waits for
    approval: the trend reads them, and the unit table reads them for the
    whole months today cannot split (wholly past, or wholly after the "due
    soon" days). Kept and checked like ``DashboardDayCell``."""

    directive = models.ForeignKey(
        "directives.Directive",
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
    )
    node = models.ForeignKey(
        "units.Unit",
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
    )
    deadline_month = models.DateField()
    bucket = models.CharField(max_length=16, choices=CellBucket.choices)
    is_hard = models.BooleanField()
    completed_month = models.DateField(null=True)
    waiting_month = models.DateField(null=True)
    tasks = models.IntegerField(default=0)
    # Tasks with at least one approved extension; moved at least once.
    extended = models.IntegerField(default=0)
    moved = models.IntegerField(default=0)

    class Meta:
        verbose_name = _("ô số liệu theo tháng")
        verbose_name_plural = _("ô số liệu theo tháng")
        # The unique key (NULLS NOT DISTINCT) is created by migration 0008,
        # on PostgreSQL only.
        indexes = [
            models.Index(
                fields=["node", "deadline_month"], name="monthcell_node_month_idx"
            ),
        ]

    def __str__(self):
        return f"{self.node_id}/{self.deadline_month:%Y-%m}/{self.bucket}"
