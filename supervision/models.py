"""Supervision teams (đoàn giám sát) and surprise inspections (kiểm tra đột
xuất), whose findings become remediation tasks.

A committee sets up teams; each team supervises targets — Party
organisations and the heads of units — on a plan of visits. A visit's
record says what was checked and what was found; each finding names the
breaches from a catalogue the admins keep, and may create remediation tasks
with all five rõ, which then count like any task. A surprise inspection is
recorded the same way, without notice: the unit sees it only once filed.

Writes go through ``supervision.services``; who sees what is
``supervision.querysets`` (in the query) and ``supervision.permissions``
(for one object).
"""

from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from .choices import Severity, TargetKind, VisitKind, VisitStatus
from .querysets import FindingQuerySet, TeamQuerySet, VisitQuerySet


class ViolationItem(models.Model):
    """One kind of breach of discipline or public-service ethics, as a
    directive's appendix lists them: a code and a text. Admins keep the
    catalogue; an item that was used is switched off, not deleted."""

    code = models.CharField(
        _("mã"),
        max_length=20,
        unique=True,
        help_text=_("Mã ngắn để tra cứu, ví dụ VP01."),
    )
    text = models.TextField(_("biểu hiện vi phạm"))
    order = models.PositiveSmallIntegerField(_("thứ tự"), default=0)
    is_active = models.BooleanField(_("đang áp dụng"), default=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("biểu hiện vi phạm")
        verbose_name_plural = _("danh mục biểu hiện vi phạm")
        ordering = ["order", "code"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(code="") & ~Q(text=""),
                name="violationitem_code_text_required",
                violation_error_message=_("Cần nhập mã và nội dung biểu hiện."),
            ),
        ]

    def __str__(self):
        return f"{self.code}. {self.text}"


class Team(models.Model):
    """A supervision team set up by a committee (the owner unit): a leader,
    members, the period it works in. Its targets and plan of visits hang on
    it."""

    name = models.CharField(_("tên đoàn"), max_length=255)
    owner_unit = models.ForeignKey(
        "units.Unit",
        verbose_name=_("cấp ủy thành lập"),
        on_delete=models.PROTECT,
        related_name="supervision_teams",
        help_text=_(
            "Cấp ủy ra quyết định thành lập đoàn; đối tượng giám sát thuộc "
            "phạm vi cấp ủy này."
        ),
    )
    leader = models.ForeignKey(
        "units.User",
        verbose_name=_("trưởng đoàn"),
        on_delete=models.PROTECT,
        related_name="led_supervision_teams",
    )
    members = models.ManyToManyField(
        "units.User",
        verbose_name=_("thành viên"),
        blank=True,
        related_name="supervision_teams",
    )
    start_date = models.DateField(_("hoạt động từ ngày"))
    end_date = models.DateField(_("đến ngày"))
    note = models.TextField(_("ghi chú"), blank=True)
    created_by = models.ForeignKey(
        "units.User",
        verbose_name=_("người lập"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("thời điểm lập"), auto_now_add=True)

    objects = TeamQuerySet.as_manager()
    history = HistoricalRecords(m2m_fields=[members])

    class Meta:
        verbose_name = _("đoàn giám sát")
        verbose_name_plural = _("đoàn giám sát")
        ordering = ["-start_date", "name", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(name=""),
                name="supervisionteam_name_required",
                violation_error_message=_("Cần nhập tên đoàn."),
            ),
            models.CheckConstraint(
                condition=Q(end_date__gte=F("start_date")),
                name="supervisionteam_dates_ordered",
                violation_error_message=_(
                    "Ngày kết thúc không được trước ngày bắt đầu."
                ),
            ),
        ]
        indexes = [
            models.Index(fields=["owner_unit", "-start_date"], name="team_owner_idx")
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("supervision:team", args=[self.pk])


class Target(models.Model):
    """What a team supervises: a Party organisation, or the head of a unit
    (the person is named when known)."""

    team = models.ForeignKey(
        "supervision.Team",
        verbose_name=_("đoàn"),
        on_delete=models.CASCADE,
        related_name="targets",
    )
    unit = models.ForeignKey(
        "units.Unit",
        verbose_name=_("đơn vị"),
        on_delete=models.PROTECT,
        related_name="supervision_targets",
    )
    kind = models.CharField(_("đối tượng"), max_length=16, choices=TargetKind.choices)
    head_person = models.ForeignKey(
        "units.User",
        verbose_name=_("người đứng đầu"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="supervised_as_head",
        help_text=_("Chỉ với đối tượng là người đứng đầu."),
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("đối tượng giám sát")
        verbose_name_plural = _("đối tượng giám sát")
        ordering = ["team", "unit__path", "kind"]
        constraints = [
            models.UniqueConstraint(
                fields=["team", "unit", "kind"],
                name="supervisiontarget_unique_team_unit_kind",
                violation_error_message=_(
                    "Đoàn đã có đối tượng giám sát này ở đơn vị này."
                ),
            ),
            models.CheckConstraint(
                condition=Q(kind__in=TargetKind.values),
                name="supervisiontarget_kind_valid",
            ),
            models.CheckConstraint(
                condition=Q(kind=TargetKind.HEAD) | Q(head_person__isnull=True),
                name="supervisiontarget_head_only_for_head",
                violation_error_message=_(
                    "Chỉ ghi người đứng đầu khi đối tượng là người đứng đầu."
                ),
            ),
        ]

    def __str__(self):
        if self.kind == TargetKind.HEAD:
            who = self.head_person or _("người đứng đầu")
            return f"{who} — {self.unit}"
        return str(self.unit)


class Visit(models.Model):
    """One visit of a team to a target: planned on a date (supervision) or
    made without notice (surprise inspection), then recorded — what was
    checked, the summary, the findings — and filed by the team leader.
    A filed record is read-only; only remediation tasks are added to it."""

    team = models.ForeignKey(
        "supervision.Team",
        verbose_name=_("đoàn"),
        on_delete=models.PROTECT,
        related_name="visits",
    )
    target = models.ForeignKey(
        "supervision.Target",
        verbose_name=_("đối tượng"),
        on_delete=models.PROTECT,
        related_name="visits",
    )
    kind = models.CharField(_("hình thức"), max_length=16, choices=VisitKind.choices)
    status = models.CharField(
        _("trạng thái"),
        max_length=16,
        choices=VisitStatus.choices,
        default=VisitStatus.PLANNED,
    )
    planned_date = models.DateField(_("ngày dự kiến"), null=True, blank=True)
    visited_on = models.DateField(_("ngày giám sát, kiểm tra"), null=True, blank=True)
    topics = models.JSONField(
        _("nội dung kiểm tra"),
        default=list,
        blank=True,
        help_text=_("Mã các nội dung đã chọn (thủ tục hành chính, giờ giấc …)."),
    )
    subject = models.TextField(_("nội dung đã kiểm tra"), blank=True)
    summary = models.TextField(_("kết luận chung"), blank=True)
    created_by = models.ForeignKey(
        "units.User",
        verbose_name=_("người lập"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("thời điểm lập"), auto_now_add=True)
    filed_by = models.ForeignKey(
        "units.User",
        verbose_name=_("người hoàn thành biên bản"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    filed_at = models.DateTimeField(_("thời điểm hoàn thành"), null=True, blank=True)

    objects = VisitQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("đợt giám sát, kiểm tra")
        verbose_name_plural = _("đợt giám sát, kiểm tra")
        ordering = ["-visited_on", "-planned_date", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=VisitKind.values),
                name="visit_kind_valid",
            ),
            models.CheckConstraint(
                condition=Q(status__in=VisitStatus.values),
                name="visit_status_valid",
            ),
            models.CheckConstraint(
                condition=~Q(kind=VisitKind.PLANNED) | Q(planned_date__isnull=False),
                name="visit_planned_has_date",
                violation_error_message=_(
                    "Đợt giám sát theo kế hoạch cần ngày dự kiến."
                ),
            ),
            models.CheckConstraint(
                condition=Q(kind=VisitKind.PLANNED) | ~Q(status=VisitStatus.PLANNED),
                name="visit_surprise_never_planned",
                violation_error_message=_(
                    "Kiểm tra đột xuất không báo trước nên không có kế hoạch."
                ),
            ),
            models.CheckConstraint(
                condition=Q(status=VisitStatus.PLANNED) | Q(visited_on__isnull=False),
                name="visit_recorded_has_date",
                violation_error_message=_("Cần ghi ngày giám sát, kiểm tra."),
            ),
            models.CheckConstraint(
                condition=(
                    Q(status=VisitStatus.FILED)
                    & Q(filed_at__isnull=False, filed_by__isnull=False)
                )
                | (
                    ~Q(status=VisitStatus.FILED)
                    & Q(filed_at__isnull=True, filed_by__isnull=True)
                ),
                name="visit_filed_complete",
                violation_error_message=_(
                    "Biên bản đã hoàn thành phải có người và thời điểm hoàn thành."
                ),
            ),
        ]
        indexes = [
            models.Index(fields=["team", "status"], name="visit_team_status_idx"),
            models.Index(fields=["target", "status"], name="visit_target_status_idx"),
        ]

    def __str__(self):
        when = self.visited_on or self.planned_date
        label = VisitKind(self.kind).label if self.kind in VisitKind.values else ""
        return f"{label} — {self.target} ({when:%d/%m/%Y})" if when else str(label)

    def get_absolute_url(self):
        return reverse("supervision:visit", args=[self.pk])

    @property
    def is_filed(self) -> bool:
        return self.status == VisitStatus.FILED

    @property
    def topic_labels(self) -> list[str]:
        from .choices import Topic

        return [str(Topic(t).label) for t in self.topics if t in Topic.values]


class Finding(models.Model):
    """What a visit found: the breaches picked from the catalogue (or
    another one described in words), the unit concerned, and how serious.
    Its state — open or closed — is computed from its remediation tasks
    (``supervision.selectors``), never stored."""

    visit = models.ForeignKey(
        "supervision.Visit",
        verbose_name=_("đợt giám sát, kiểm tra"),
        on_delete=models.PROTECT,
        related_name="findings",
    )
    violations = models.ManyToManyField(
        "supervision.ViolationItem",
        verbose_name=_("biểu hiện vi phạm"),
        blank=True,
        related_name="findings",
    )
    other_violation = models.CharField(
        _("biểu hiện khác"),
        max_length=500,
        blank=True,
        help_text=_("Khi biểu hiện không có trong danh mục."),
    )
    description = models.TextField(_("nội dung phát hiện"))
    unit = models.ForeignKey(
        "units.Unit",
        verbose_name=_("đơn vị liên quan"),
        on_delete=models.PROTECT,
        related_name="supervision_findings",
    )
    severity = models.CharField(
        _("mức độ"), max_length=16, choices=Severity.choices, blank=True
    )
    created_by = models.ForeignKey(
        "units.User",
        verbose_name=_("người ghi"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("thời điểm ghi"), auto_now_add=True)

    objects = FindingQuerySet.as_manager()
    history = HistoricalRecords(m2m_fields=[violations])

    class Meta:
        verbose_name = _("phát hiện giám sát")
        verbose_name_plural = _("phát hiện giám sát")
        ordering = ["visit", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(description=""),
                name="finding_description_required",
                violation_error_message=_("Cần ghi nội dung phát hiện."),
            ),
            models.CheckConstraint(
                condition=Q(severity="") | Q(severity__in=Severity.values),
                name="finding_severity_valid",
            ),
        ]

    def __str__(self):
        text = " ".join(self.description.split())
        return text if len(text) <= 80 else text[:79].rstrip() + "…"

    def get_absolute_url(self):
        return reverse("supervision:finding", args=[self.pk])


class FindingTask(models.Model):
    """A remediation task created from a finding. A task remedies at most
    one finding, so the link reads both ways: the finding's tasks, and on
    the task's page the finding it answers."""

    finding = models.ForeignKey(
        "supervision.Finding",
        verbose_name=_("phát hiện"),
        on_delete=models.PROTECT,
        related_name="remediations",
    )
    task = models.OneToOneField(
        "tasks.Task",
        verbose_name=_("nhiệm vụ khắc phục"),
        on_delete=models.PROTECT,
        related_name="supervision_link",
    )
    created_by = models.ForeignKey(
        "units.User",
        verbose_name=_("người tạo"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("thời điểm tạo"), auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("nhiệm vụ khắc phục")
        verbose_name_plural = _("nhiệm vụ khắc phục")
        ordering = ["finding", "pk"]

    def __str__(self):
        return f"{self.finding} → {self.task_id}"
