from django.db import models
from django.utils.translation import gettext_lazy as _


class TargetKind(models.TextChoices):
    """What a team supervises in a unit: the Party organisation itself, or
    the person at its head (người đứng đầu)."""

    ORGANISATION = "organisation", _("Tổ chức đảng")
    HEAD = "head", _("Người đứng đầu")


class VisitKind(models.TextChoices):
    PLANNED = "planned", _("Giám sát theo kế hoạch")
    SURPRISE = "surprise", _("Kiểm tra đột xuất")


class VisitStatus(models.TextChoices):
    """A planned visit starts on the plan; its record is a draft until the
    team leader files it. A surprise inspection has no plan: it is recorded
    as a draft at once, unseen by the unit until it is filed."""

    PLANNED = "planned", _("Theo kế hoạch")
    DRAFT = "draft", _("Đang ghi biên bản")
    FILED = "filed", _("Đã hoàn thành biên bản")


class Topic(models.TextChoices):
    """What a surprise inspection (or a visit) checks, besides free text."""

    PROCEDURES = "procedures", _("Giải quyết thủ tục hành chính")
    HOURS = "hours", _("Chấp hành giờ giấc làm việc")
    ATTITUDE = "attitude", _("Thái độ, tác phong phục vụ người dân")
    DOSSIERS = "dossiers", _("Hồ sơ, sổ sách, quy chế làm việc")


class Severity(models.TextChoices):
    MINOR = "minor", _("Nhắc nhở, chấn chỉnh")
    SERIOUS = "serious", _("Nghiêm trọng, cần xử lý trách nhiệm")


class FindingState(models.TextChoices):
    """Computed, never stored: open while a finding has no remediation task
    or any of its tasks is not done; closed once it has tasks and all are
    done (cancelled tasks do not count either way)."""

    OPEN = "open", _("Đang khắc phục")
    CLOSED = "closed", _("Đã khắc phục xong")
