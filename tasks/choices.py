from django.db import models
from django.utils.translation import gettext_lazy as _


class TaskStatus(models.TextChoices):
    ASSIGNED = "assigned", _("Mới giao")
    IN_PROGRESS = "in_progress", _("Đang thực hiện")
    SUBMITTED = "submitted", _("Chờ xác nhận")
    DONE = "done", _("Hoàn thành")
    CANCELLED = "cancelled", _("Đã hủy")


OPEN_STATUSES = (TaskStatus.ASSIGNED, TaskStatus.IN_PROGRESS, TaskStatus.SUBMITTED)
WORKING_STATUSES = (TaskStatus.ASSIGNED, TaskStatus.IN_PROGRESS)


class Timeliness(models.TextChoices):
    ON_TRACK = "on_track", _("Trong hạn")
    DUE_SOON = "due_soon", _("Sắp đến hạn")
    OVERDUE = "overdue", _("Quá hạn")
    DONE_ON_TIME = "done_on_time", _("Hoàn thành đúng hạn")
    DONE_LATE = "done_late", _("Hoàn thành quá hạn")


OPEN_TIMELINESS = (Timeliness.ON_TRACK, Timeliness.DUE_SOON, Timeliness.OVERDUE)
DONE_TIMELINESS = (Timeliness.DONE_ON_TIME, Timeliness.DONE_LATE)


class ReportKind(models.TextChoices):
    PROGRESS = "progress", _("Báo cáo tiến độ")
    SUBMISSION = "submission", _("Báo cáo hoàn thành")
    RETURN = "return", _("Trả lại")
    APPROVAL = "approval", _("Xác nhận hoàn thành")


class ExtensionStatus(models.TextChoices):
    PENDING = "pending", _("Chờ quyết định")
    APPROVED = "approved", _("Đã chấp thuận")
    REJECTED = "rejected", _("Không chấp thuận")
    WITHDRAWN = "withdrawn", _("Đã rút")


class TransferKind(models.TextChoices):
    TRANSFER = "transfer", _("Chuyển đơn vị")
    HAND_BACK = "hand_back", _("Trả lại người giao")


class TransferStatus(models.TextChoices):
    PENDING = "pending", _("Chờ quyết định")
    DONE = "done", _("Đã chuyển")
    REJECTED = "rejected", _("Không chấp thuận")


class AlertKind(models.TextChoices):
    # Written by the scans: at most one per task, deadline and recipient.
    DUE_SOON = "due_soon", _("Sắp đến hạn")
    OVERDUE = "overdue", _("Quá hạn")
    ESCALATION = "escalation", _("Cảnh báo vượt cấp")
    # Written by the services as things happen: they may repeat.
    ASSIGNED = "assigned", _("Giao việc")
    SUBMITTED = "submitted", _("Báo cáo hoàn thành")
    RETURNED = "returned", _("Trả lại")
    APPROVED = "approved", _("Xác nhận hoàn thành")
    EXTENSION_REQUESTED = "extension_requested", _("Đề nghị gia hạn")
    EXTENSION_DECIDED = "extension_decided", _("Quyết định gia hạn")
    TRANSFER_REQUESTED = "transfer_requested", _("Đề nghị chuyển giao")
    TRANSFERRED = "transferred", _("Chuyển giao")
    CANCELLED = "cancelled", _("Hủy nhiệm vụ")
    EXPLANATION_REQUESTED = "explanation_requested", _("Yêu cầu giải trình")
    EXPLANATION_ANSWERED = "explanation_answered", _("Đã giải trình")
    # Written by the scans for a request for explanation left unanswered.
    EXPLANATION_OVERDUE = "explanation_overdue", _("Chậm giải trình")
    # About no task: written by the quota reminders (``quotas.reminders``),
    # once per person, period and reminder step; e-mailed by that ledger.
    REGISTRATION_REMINDER = "registration_reminder", _("Nhắc đăng ký việc khó")


# Ledger kinds: written by the scans from the ladder, unique per (task,
# deadline, ladder step, recipient), and e-mailed.
SCAN_ALERT_KINDS = (
    AlertKind.DUE_SOON,
    AlertKind.OVERDUE,
    AlertKind.ESCALATION,
    AlertKind.EXPLANATION_OVERDUE,
)
# In-app notifications of events; shown by the bell, not e-mailed.
EVENT_ALERT_KINDS = tuple(k for k in AlertKind if k not in SCAN_ALERT_KINDS)


class ScanStatus(models.TextChoices):
    RUNNING = "running", _("Đang chạy")
    OK = "ok", _("Thành công")
    FAILED = "failed", _("Lỗi")


class CalendarDayKind(models.TextChoices):
    DAY_OFF = "day_off", _("Ngày nghỉ")
    WORKING_DAY = "working_day", _("Ngày làm việc (làm bù)")


class LadderTrack(models.TextChoices):
    TASK = "task", _("Hạn của nhiệm vụ")
    EXPLANATION = "explanation", _("Hạn giải trình")


class LadderRole(models.TextChoices):
    """Who an alert of a ladder step is addressed to, and in which capacity."""

    ASSIGNEE = "assignee", _("người thực hiện")
    LEADER = "leader", _("lãnh đạo chịu trách nhiệm")
    UNIT_HEAD = "unit_head", _("người đứng đầu đơn vị chủ trì")
    ASSIGNER = "assigner", _("người giao")
    REVIEWER = "reviewer", _("thường trực theo dõi")
    REQUESTER = "requester", _("người yêu cầu giải trình")


# Addressed to someone as a leader: such an escalation is always e-mailed.
LEADER_ROLES = (
    LadderRole.LEADER,
    LadderRole.UNIT_HEAD,
    LadderRole.ASSIGNER,
    LadderRole.REVIEWER,
    LadderRole.REQUESTER,
)


class EmailMode(models.TextChoices):
    IMMEDIATE = "immediate", _("Gửi thư ngay từng cảnh báo")
    DIGEST = "digest", _("Gửi một thư tổng hợp mỗi ngày")
    OFF = "off", _("Không gửi thư (chỉ xem trong ứng dụng)")
