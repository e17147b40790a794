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


# Ledger kinds: unique per (task, deadline, kind, recipient) and e-mailed.
SCAN_ALERT_KINDS = (AlertKind.DUE_SOON, AlertKind.OVERDUE, AlertKind.ESCALATION)
# In-app notifications of events; shown by the bell, not e-mailed.
EVENT_ALERT_KINDS = tuple(k for k in AlertKind if k not in SCAN_ALERT_KINDS)


class ScanStatus(models.TextChoices):
    RUNNING = "running", _("Đang chạy")
    OK = "ok", _("Thành công")
    FAILED = "failed", _("Lỗi")
