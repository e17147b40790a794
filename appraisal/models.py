"""Accountability: monthly scores, their assessment, cross-evaluation and
the period's classification.

- ``RuleSet``: the weights and caps of the monthly score, a versioned row;
  exactly one is active. A rule set that has been active is never edited:
  a change is a new version (previewed first on the rules page).
- ``ScoringRound``: one unit's month — the unit's own score, and the state
  of its people's assessment (counted here so that lists and the dashboard
  read one row per unit).
- ``PersonScore``: one person's month in one unit — the score computed from
  the tasks, and the steps self-assessment → leader's assessment →
  confirmed. Confirmed, it is frozen with the rules it used.
- ``PeerRating``: one colleague's short rating of another (đánh giá chéo).
- ``ClassificationRuleSet`` and its ``ClassificationBand`` rows: the levels
  of Quy định 366-QĐ/TW (2025) as rows admins change; versioned like the
  score rules.
- ``ClassificationPeriod`` and ``Classification``: the proposed level for
  each person and unit of a year or quarter, and the committee's decision,
  frozen with a copy of the rules it used.

Which tasks are "a month's tasks" is defined in ``appraisal.selectors``.
"""

from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from .choices import Level, PeriodKind, SeatRole

POINTS = {"max_digits": 4, "decimal_places": 1}


class RuleSet(models.Model):
    """The rules of the monthly score: a base, then for each input (tasks
    done on time, hard tasks done, done late, overdue at month end, returned,
    extended) points per task and a cap. The result is kept between 0 and
    100. A unit's counts are first converted to a number of tasks
    (``unit_per_tasks``) so that big and small units compare."""

    version = models.PositiveIntegerField(_("phiên bản"), unique=True)
    name = models.CharField(_("tên"), max_length=200, blank=True)
    note = models.TextField(
        _("lý do thay đổi"),
        blank=True,
        help_text=_("Vì sao có phiên bản này: ai đề nghị, căn cứ văn bản nào."),
    )
    is_active = models.BooleanField(_("đang áp dụng"), default=False)
    base_points = models.DecimalField(
        _("điểm nền"),
        default=80,
        help_text=_("Điểm khởi đầu của người có nhiệm vụ tính điểm trong tháng."),
        **POINTS,
    )
    on_time_points = models.DecimalField(
        _("cộng mỗi việc hoàn thành đúng hạn"), default=2, **POINTS
    )
    on_time_cap = models.DecimalField(
        _("cộng tối đa (đúng hạn)"), default=10, null=True, blank=True, **POINTS
    )
    hard_done_points = models.DecimalField(
        _("cộng mỗi việc khó hoàn thành"), default=5, **POINTS
    )
    hard_done_cap = models.DecimalField(
        _("cộng tối đa (việc khó)"), default=10, null=True, blank=True, **POINTS
    )
    late_points = models.DecimalField(
        _("trừ mỗi việc hoàn thành quá hạn"), default=5, **POINTS
    )
    late_cap = models.DecimalField(
        _("trừ tối đa (hoàn thành quá hạn)"),
        default=30,
        null=True,
        blank=True,
        **POINTS,
    )
    overdue_points = models.DecimalField(
        _("trừ mỗi việc quá hạn chưa xong cuối tháng"), default=10, **POINTS
    )
    overdue_cap = models.DecimalField(
        _("trừ tối đa (quá hạn)"), default=40, null=True, blank=True, **POINTS
    )
    returned_points = models.DecimalField(
        _("trừ mỗi lần bị trả lại"), default=2, **POINTS
    )
    returned_cap = models.DecimalField(
        _("trừ tối đa (bị trả lại)"), default=10, null=True, blank=True, **POINTS
    )
    extended_points = models.DecimalField(
        _("trừ mỗi việc phải gia hạn"), default=1, **POINTS
    )
    extended_cap = models.DecimalField(
        _("trừ tối đa (gia hạn)"), default=5, null=True, blank=True, **POINTS
    )
    overdue_every_month = models.BooleanField(
        _("việc quá hạn bị trừ mỗi tháng còn quá hạn"),
        default=True,
        help_text=_(
            "Bật: việc quá hạn bị trừ ở mọi tháng mà cuối tháng vẫn chưa xong. "
            "Tắt: chỉ trừ ở tháng có hạn hoàn thành."
        ),
    )
    hard_needs_on_time = models.BooleanField(
        _("chỉ cộng việc khó hoàn thành đúng hạn"), default=True
    )
    unit_per_tasks = models.PositiveSmallIntegerField(
        _("quy đổi điểm đơn vị trên số việc"),
        default=10,
        help_text=_(
            "Số việc của đơn vị được quy đổi về con số này trước khi nhân điểm, "
            "để đơn vị nhiều việc và ít việc so sánh được. 0: không quy đổi."
        ),
    )
    flat_min_people = models.PositiveSmallIntegerField(
        _("số người tối thiểu để xét cào bằng"),
        default=3,
        help_text=_(
            "Đơn vị có ít nhất chừng này người có điểm mà mọi người cùng một "
            "mức thì bị đánh dấu “cào bằng”."
        ),
    )
    peer_min_raters = models.PositiveSmallIntegerField(
        _("số người đánh giá chéo tối thiểu để hiện kết quả"),
        default=2,
        help_text=_(
            "Dưới số này người được đánh giá chưa thấy kết quả, để không đoán "
            "được ai đã đánh giá."
        ),
    )
    peer_max_targets = models.PositiveSmallIntegerField(
        _("số đồng nghiệp tối đa mỗi người đánh giá mỗi tháng"), default=3
    )
    created_by = models.ForeignKey(
        "units.User",
        verbose_name=_("người tạo"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("ngày tạo"), auto_now_add=True)
    activated_at = models.DateTimeField(_("áp dụng từ"), null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("bộ quy tắc chấm điểm")
        verbose_name_plural = _("bộ quy tắc chấm điểm")
        ordering = ["-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["is_active"],
                condition=Q(is_active=True),
                name="ruleset_one_active",
                violation_error_message=_("Chỉ một bộ quy tắc được áp dụng."),
            ),
            models.CheckConstraint(
                condition=Q(base_points__gte=0, base_points__lte=100),
                name="ruleset_base_0_100",
                violation_error_message=_("Điểm nền phải từ 0 đến 100."),
            ),
            models.CheckConstraint(
                condition=Q(on_time_points__gte=0)
                & Q(hard_done_points__gte=0)
                & Q(late_points__gte=0)
                & Q(overdue_points__gte=0)
                & Q(returned_points__gte=0)
                & Q(extended_points__gte=0),
                name="ruleset_points_not_negative",
                violation_error_message=_("Điểm cộng, trừ không được âm."),
            ),
            models.CheckConstraint(
                condition=(Q(on_time_cap__isnull=True) | Q(on_time_cap__gte=0))
                & (Q(hard_done_cap__isnull=True) | Q(hard_done_cap__gte=0))
                & (Q(late_cap__isnull=True) | Q(late_cap__gte=0))
                & (Q(overdue_cap__isnull=True) | Q(overdue_cap__gte=0))
                & (Q(returned_cap__isnull=True) | Q(returned_cap__gte=0))
                & (Q(extended_cap__isnull=True) | Q(extended_cap__gte=0)),
                name="ruleset_caps_not_negative",
                violation_error_message=_("Mức tối đa không được âm."),
            ),
            models.CheckConstraint(
                condition=Q(peer_min_raters__gte=1) & Q(peer_max_targets__gte=1),
                name="ruleset_peer_at_least_one",
                violation_error_message=_("Số người đánh giá chéo phải từ 1 trở lên."),
            ),
        ]

    def __str__(self):
        label = _("Bộ quy tắc chấm điểm số %(v)s") % {"v": self.version}
        return f"{label} — {self.name}" if self.name else label


class ScoringRound(models.Model):
    """One unit's month: the unit's own score from the tasks it leads, and
    how far its people's assessment has gone. The counters are kept by the
    services that move the steps, under this row's lock."""

    unit = models.ForeignKey(
        "units.Unit",
        verbose_name=_("đơn vị"),
        on_delete=models.PROTECT,
        related_name="scoring_rounds",
    )
    month = models.DateField(_("tháng"), help_text=_("Ngày đầu tháng."))
    rule_set = models.ForeignKey(
        "appraisal.RuleSet",
        verbose_name=_("bộ quy tắc"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="rounds",
    )
    # the unit's own score
    counted = models.PositiveIntegerField(_("số việc tính điểm"), default=0)
    on_time = models.PositiveIntegerField(_("đúng hạn"), default=0)
    hard_done = models.PositiveIntegerField(_("việc khó hoàn thành"), default=0)
    late = models.PositiveIntegerField(_("hoàn thành quá hạn"), default=0)
    overdue = models.PositiveIntegerField(_("quá hạn cuối tháng"), default=0)
    returned = models.PositiveIntegerField(_("bị trả lại"), default=0)
    extended = models.PositiveIntegerField(_("phải gia hạn"), default=0)
    points = models.DecimalField(_("điểm"), null=True, blank=True, **POINTS)
    breakdown = models.JSONField(_("cách tính"), default=dict, blank=True)
    # the people's assessment
    people = models.PositiveIntegerField(_("số người"), default=0)
    scored = models.PositiveIntegerField(_("số người có điểm"), default=0)
    self_assessed = models.PositiveIntegerField(_("đã tự đánh giá"), default=0)
    leader_assessed = models.PositiveIntegerField(_("lãnh đạo đã đánh giá"), default=0)
    confirmed = models.PositiveIntegerField(_("đã xác nhận"), default=0)
    points_min = models.DecimalField(
        _("điểm thấp nhất"), null=True, blank=True, **POINTS
    )
    points_median = models.DecimalField(
        _("điểm trung vị"), null=True, blank=True, **POINTS
    )
    points_max = models.DecimalField(
        _("điểm cao nhất"), null=True, blank=True, **POINTS
    )
    flat_scores = models.BooleanField(
        _("điểm cào bằng"),
        default=False,
        help_text=_("Mọi người có điểm đều cùng một mức điểm."),
    )
    flat_levels = models.BooleanField(
        _("xếp loại cào bằng"),
        default=False,
        help_text=_("Lãnh đạo đánh giá mọi người cùng một mức."),
    )
    computed_at = models.DateTimeField(_("tính lúc"), null=True, blank=True)
    computed_by = models.ForeignKey(
        "units.User",
        verbose_name=_("người tính"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    frozen_at = models.DateTimeField(
        _("chốt lúc"),
        null=True,
        blank=True,
        help_text=_("Khi mọi người đã được xác nhận: điểm đơn vị không tính lại."),
    )

    history = HistoricalRecords(excluded_fields=["breakdown"])

    class Meta:
        verbose_name = _("đợt chấm điểm tháng")
        verbose_name_plural = _("đợt chấm điểm tháng")
        ordering = ["-month", "unit__path"]
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "month"],
                name="round_unique_unit_month",
                violation_error_message=_("Đơn vị đã có đợt chấm điểm tháng này."),
            ),
            models.CheckConstraint(
                condition=Q(month__day=1),
                name="round_month_first_day",
                violation_error_message=_("Tháng được ghi bằng ngày đầu tháng."),
            ),
            models.CheckConstraint(
                condition=Q(points__isnull=True) | Q(points__gte=0, points__lte=100),
                name="round_points_0_100",
            ),
        ]
        indexes = [models.Index(fields=["month"], name="round_month_idx")]

    def __str__(self):
        return f"{self.unit} — {self.month:%m/%Y}"

    def get_absolute_url(self):
        return reverse("appraisal:round", args=[self.pk])

    @property
    def waiting_self(self) -> int:
        return self.people - self.self_assessed

    @property
    def waiting_leader(self) -> int:
        return self.self_assessed - self.leader_assessed

    @property
    def waiting_confirm(self) -> int:
        return self.leader_assessed - self.confirmed

    @property
    def is_complete(self) -> bool:
        return self.people > 0 and self.confirmed == self.people


class PersonScore(models.Model):
    """One person's month in one unit: the score from the tasks they carry
    for that unit, then self-assessment → the leader's assessment →
    confirmed. Each step keeps who and when (and the history keeps every
    change). Once confirmed the row is frozen: a later computation or a new
    rule set leaves it as it is."""

    round = models.ForeignKey(
        "appraisal.ScoringRound",
        verbose_name=_("đợt chấm điểm"),
        on_delete=models.PROTECT,
        related_name="scores",
    )
    person = models.ForeignKey(
        "units.User",
        verbose_name=_("cán bộ"),
        on_delete=models.PROTECT,
        related_name="monthly_scores",
    )
    role = models.CharField(
        _("vị trí"), max_length=16, choices=SeatRole.choices, default=SeatRole.STAFF
    )
    rule_set = models.ForeignKey(
        "appraisal.RuleSet",
        verbose_name=_("bộ quy tắc"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="scores",
    )
    counted = models.PositiveIntegerField(_("số việc tính điểm"), default=0)
    on_time = models.PositiveIntegerField(_("đúng hạn"), default=0)
    hard_done = models.PositiveIntegerField(_("việc khó hoàn thành"), default=0)
    late = models.PositiveIntegerField(_("hoàn thành quá hạn"), default=0)
    overdue = models.PositiveIntegerField(_("quá hạn cuối tháng"), default=0)
    returned = models.PositiveIntegerField(_("bị trả lại"), default=0)
    extended = models.PositiveIntegerField(_("phải gia hạn"), default=0)
    points = models.DecimalField(_("điểm"), null=True, blank=True, **POINTS)
    breakdown = models.JSONField(_("cách tính"), default=dict, blank=True)
    computed_at = models.DateTimeField(_("tính lúc"), null=True, blank=True)
    # self-assessment
    self_level = models.CharField(
        _("tự đánh giá"), max_length=16, choices=Level.choices, blank=True
    )
    self_comment = models.TextField(_("tự nhận xét"), blank=True)
    self_at = models.DateTimeField(_("tự đánh giá lúc"), null=True, blank=True)
    # the leader's assessment
    leader_level = models.CharField(
        _("lãnh đạo đánh giá"), max_length=16, choices=Level.choices, blank=True
    )
    leader_comment = models.TextField(_("nhận xét của lãnh đạo"), blank=True)
    leader_by = models.ForeignKey(
        "units.User",
        verbose_name=_("lãnh đạo đánh giá"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    leader_at = models.DateTimeField(_("lãnh đạo đánh giá lúc"), null=True, blank=True)
    # confirmation
    confirmed_level = models.CharField(
        _("mức được xác nhận"), max_length=16, choices=Level.choices, blank=True
    )
    confirm_note = models.TextField(_("ý kiến khi xác nhận"), blank=True)
    confirmed_by = models.ForeignKey(
        "units.User",
        verbose_name=_("người xác nhận"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    confirmed_at = models.DateTimeField(_("xác nhận lúc"), null=True, blank=True)

    history = HistoricalRecords(
        excluded_fields=[
            "counted",
            "on_time",
            "hard_done",
            "late",
            "overdue",
            "returned",
            "extended",
            "breakdown",
            "computed_at",
        ]
    )

    class Meta:
        verbose_name = _("điểm tháng của cá nhân")
        verbose_name_plural = _("điểm tháng của cá nhân")
        ordering = ["round", "person__full_name"]
        constraints = [
            models.UniqueConstraint(
                fields=["round", "person"],
                name="personscore_unique_round_person",
                violation_error_message=_("Người này đã có điểm trong đợt này."),
            ),
            models.CheckConstraint(
                condition=Q(role__in=SeatRole.values), name="personscore_role_valid"
            ),
            models.CheckConstraint(
                condition=(Q(self_level="") | Q(self_level__in=Level.values))
                & (Q(leader_level="") | Q(leader_level__in=Level.values))
                & (Q(confirmed_level="") | Q(confirmed_level__in=Level.values)),
                name="personscore_levels_valid",
            ),
            models.CheckConstraint(
                condition=Q(points__isnull=True) | Q(points__gte=0, points__lte=100),
                name="personscore_points_0_100",
            ),
            # The steps come in order, each with its level.
            models.CheckConstraint(
                condition=Q(self_at__isnull=True) | ~Q(self_level=""),
                name="personscore_self_has_level",
            ),
            models.CheckConstraint(
                condition=Q(leader_at__isnull=True)
                | (
                    Q(self_at__isnull=False)
                    & ~Q(leader_level="")
                    & Q(leader_by__isnull=False)
                ),
                name="personscore_leader_after_self",
                violation_error_message=_(
                    "Lãnh đạo đánh giá sau khi cán bộ tự đánh giá."
                ),
            ),
            models.CheckConstraint(
                condition=Q(confirmed_at__isnull=True)
                | (
                    Q(leader_at__isnull=False)
                    & ~Q(confirmed_level="")
                    & Q(confirmed_by__isnull=False)
                ),
                name="personscore_confirm_after_leader",
                violation_error_message=_("Chỉ xác nhận sau khi lãnh đạo đã đánh giá."),
            ),
            models.CheckConstraint(
                condition=~Q(leader_by=F("person")) & ~Q(confirmed_by=F("person")),
                name="personscore_not_own_judge",
                violation_error_message=_(
                    "Không ai tự đánh giá thay lãnh đạo hay tự xác nhận cho mình."
                ),
            ),
        ]
        indexes = [
            models.Index(fields=["person", "round"], name="personscore_person_idx")
        ]

    def __str__(self):
        return f"{self.person} — {self.round}"

    def get_absolute_url(self):
        return reverse("appraisal:score", args=[self.pk])

    @property
    def step(self) -> str:
        """Where the person's month stands, for lists."""
        if self.confirmed_at:
            return "confirmed"
        if self.leader_at:
            return "waiting_confirm"
        if self.self_at:
            return "waiting_leader"
        return "waiting_self"


class PeerRating(models.Model):
    """A colleague's short rating of another in the same unit's month
    (đánh giá chéo), 1 to 5 on each criterion. The person rated sees only
    the averages, and only once enough colleagues have rated them; the admin
    shows who gave each rating, for audit."""

    round = models.ForeignKey(
        "appraisal.ScoringRound",
        verbose_name=_("đợt chấm điểm"),
        on_delete=models.PROTECT,
        related_name="peer_ratings",
    )
    evaluator = models.ForeignKey(
        "units.User",
        verbose_name=_("người đánh giá"),
        on_delete=models.PROTECT,
        related_name="peer_ratings_given",
    )
    evaluated = models.ForeignKey(
        "units.User",
        verbose_name=_("người được đánh giá"),
        on_delete=models.PROTECT,
        related_name="peer_ratings_received",
    )
    responsibility = models.PositiveSmallIntegerField(_("tinh thần trách nhiệm"))
    cooperation = models.PositiveSmallIntegerField(_("phối hợp với đồng nghiệp"))
    quality = models.PositiveSmallIntegerField(_("chất lượng, tiến độ công việc"))
    created_at = models.DateTimeField(_("thời điểm"), auto_now_add=True)
    updated_at = models.DateTimeField(_("sửa lần cuối"), auto_now=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("đánh giá chéo")
        verbose_name_plural = _("đánh giá chéo")
        ordering = ["round", "evaluated", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["round", "evaluator", "evaluated"],
                name="peer_unique_once_per_month",
                violation_error_message=_(
                    "Bạn đã đánh giá đồng nghiệp này trong tháng; hãy sửa đánh giá cũ."
                ),
            ),
            models.CheckConstraint(
                condition=~Q(evaluator=F("evaluated")),
                name="peer_not_self",
                violation_error_message=_("Không tự đánh giá chéo cho mình."),
            ),
            models.CheckConstraint(
                condition=Q(responsibility__gte=1, responsibility__lte=5)
                & Q(cooperation__gte=1, cooperation__lte=5)
                & Q(quality__gte=1, quality__lte=5),
                name="peer_ratings_1_5",
                violation_error_message=_("Mỗi tiêu chí chấm từ 1 đến 5."),
            ),
        ]
        indexes = [
            models.Index(fields=["round", "evaluated"], name="peer_round_evaluated_idx")
        ]

    def __str__(self):
        return f"{self.round}: {self.evaluated}"


class ClassificationRuleSet(models.Model):
    """The rules of the period's classification: the bands (rows of
    ``ClassificationBand``), what counts as "beyond requirements", and the
    quota of "xuất sắc". Versioned; one active; once used by a proposal it
    is never edited, a change is a new version."""

    version = models.PositiveIntegerField(_("phiên bản"), unique=True)
    name = models.CharField(_("tên"), max_length=200, blank=True)
    note = models.TextField(_("lý do thay đổi"), blank=True)
    is_active = models.BooleanField(_("đang áp dụng"), default=False)
    beyond_hard_tasks = models.BooleanField(
        _("việc khó hoàn thành đúng hạn là vượt yêu cầu"), default=True
    )
    beyond_ahead_days = models.PositiveSmallIntegerField(
        _("hoàn thành sớm ít nhất (ngày) là vượt yêu cầu"),
        default=5,
        help_text=_(
            "Việc hoàn thành trước hạn ít nhất chừng này ngày được tính là vượt "
            "yêu cầu. 0: không tính theo cách này."
        ),
    )
    excellent_quota_pct = models.DecimalField(
        _("tỷ lệ “xuất sắc” tối đa (%)"),
        default=20,
        null=True,
        blank=True,
        help_text=_(
            "Trong mỗi tổ chức, số “xuất sắc” không quá tỷ lệ này của số người "
            "(đơn vị) đạt mức “tốt” trở lên. Để trống: không giới hạn."
        ),
        **POINTS,
    )
    created_by = models.ForeignKey(
        "units.User",
        verbose_name=_("người tạo"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("ngày tạo"), auto_now_add=True)
    activated_at = models.DateTimeField(_("áp dụng từ"), null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("bộ quy tắc phân loại")
        verbose_name_plural = _("bộ quy tắc phân loại")
        ordering = ["-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["is_active"],
                condition=Q(is_active=True),
                name="classruleset_one_active",
                violation_error_message=_("Chỉ một bộ quy tắc phân loại được áp dụng."),
            ),
            models.CheckConstraint(
                condition=Q(excellent_quota_pct__isnull=True)
                | Q(excellent_quota_pct__gte=0, excellent_quota_pct__lte=100),
                name="classruleset_quota_0_100",
                violation_error_message=_("Tỷ lệ phải từ 0 đến 100%."),
            ),
        ]

    def __str__(self):
        label = _("Bộ quy tắc phân loại số %(v)s") % {"v": self.version}
        return f"{label} — {self.name}" if self.name else label

    @property
    def is_used(self) -> bool:
        return self.activated_at is not None


class ClassificationBand(models.Model):
    """One level and what it takes: at least so many points (the average of
    the period's monthly scores), a share of tasks on time, at most a share
    behind schedule, a share beyond requirements. An empty condition is not
    checked. The lowest level takes everyone the others do not."""

    rule_set = models.ForeignKey(
        "appraisal.ClassificationRuleSet",
        verbose_name=_("bộ quy tắc"),
        on_delete=models.CASCADE,
        related_name="bands",
    )
    level = models.CharField(_("mức"), max_length=16, choices=Level.choices)
    min_points = models.DecimalField(_("điểm từ"), **POINTS)
    min_on_time_pct = models.DecimalField(
        _("đúng hạn ít nhất (%)"), null=True, blank=True, **POINTS
    )
    max_behind_pct = models.DecimalField(
        _("chậm tiến độ nhiều nhất (%)"), null=True, blank=True, **POINTS
    )
    min_beyond_pct = models.DecimalField(
        _("vượt yêu cầu ít nhất (%)"), null=True, blank=True, **POINTS
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("mức phân loại")
        verbose_name_plural = _("các mức phân loại")
        ordering = ["rule_set", "-min_points"]
        constraints = [
            models.UniqueConstraint(
                fields=["rule_set", "level"],
                name="band_unique_level",
                violation_error_message=_("Mỗi mức chỉ có một dòng."),
            ),
            models.CheckConstraint(
                condition=Q(level__in=Level.values), name="band_level_valid"
            ),
            models.CheckConstraint(
                condition=Q(min_points__gte=0, min_points__lte=100)
                & (
                    Q(min_on_time_pct__isnull=True)
                    | Q(min_on_time_pct__gte=0, min_on_time_pct__lte=100)
                )
                & (
                    Q(max_behind_pct__isnull=True)
                    | Q(max_behind_pct__gte=0, max_behind_pct__lte=100)
                )
                & (
                    Q(min_beyond_pct__isnull=True)
                    | Q(min_beyond_pct__gte=0, min_beyond_pct__lte=100)
                ),
                name="band_values_0_100",
                violation_error_message=_("Điểm và tỷ lệ phải từ 0 đến 100."),
            ),
        ]

    def __str__(self):
        return f"{self.get_level_display()} — {self.min_points}"


class ClassificationPeriod(models.Model):
    """A year or a quarter that people and units are classified for."""

    kind = models.CharField(_("loại kỳ"), max_length=16, choices=PeriodKind.choices)
    start = models.DateField(_("từ ngày"))
    end = models.DateField(_("đến ngày"))
    rule_set = models.ForeignKey(
        "appraisal.ClassificationRuleSet",
        verbose_name=_("bộ quy tắc của lần đề xuất gần nhất"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="periods",
    )
    proposed_at = models.DateTimeField(_("đề xuất lúc"), null=True, blank=True)
    proposed_by = models.ForeignKey(
        "units.User",
        verbose_name=_("người lập đề xuất"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("kỳ phân loại")
        verbose_name_plural = _("kỳ phân loại")
        ordering = ["-start", "kind"]
        constraints = [
            models.UniqueConstraint(
                fields=["start", "end"], name="classperiod_unique_span"
            ),
            models.CheckConstraint(
                condition=Q(kind__in=PeriodKind.values), name="classperiod_kind_valid"
            ),
            models.CheckConstraint(
                condition=Q(end__gte=F("start")), name="classperiod_end_after_start"
            ),
        ]

    def __str__(self):
        return self.label

    @property
    def label(self) -> str:
        if self.kind == PeriodKind.QUARTER:
            quarter = (self.start.month + 2) // 3
            roman = {1: "I", 2: "II", 3: "III", 4: "IV"}[quarter]
            return _("Quý %(q)s/%(y)s") % {"q": roman, "y": self.start.year}
        return _("Năm %(y)s") % {"y": self.start.year}


class Classification(models.Model):
    """The proposed level of one person in one unit (``person`` set) or of
    one unit (``person`` empty) for a period, from the period's record, and
    the committee's decision. A decided row is frozen: a new proposal run
    or a changed rule set never rewrites it, and ``rules_snapshot`` keeps
    the rules it was decided under."""

    period = models.ForeignKey(
        "appraisal.ClassificationPeriod",
        verbose_name=_("kỳ"),
        on_delete=models.PROTECT,
        related_name="classifications",
    )
    unit = models.ForeignKey(
        "units.Unit",
        verbose_name=_("đơn vị"),
        on_delete=models.PROTECT,
        related_name="classifications",
    )
    person = models.ForeignKey(
        "units.User",
        verbose_name=_("cán bộ"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="classifications",
        help_text=_("Để trống: phân loại của đơn vị."),
    )
    group_unit = models.ForeignKey(
        "units.Unit",
        verbose_name=_("tổ chức xét tỷ lệ"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text=_(
            "Tỷ lệ “xuất sắc” được xét trong tổ chức này: đơn vị của cán bộ, "
            "hoặc đơn vị cấp trên của đơn vị."
        ),
    )
    rule_set = models.ForeignKey(
        "appraisal.ClassificationRuleSet",
        verbose_name=_("bộ quy tắc"),
        on_delete=models.PROTECT,
        related_name="classifications",
    )
    months_scored = models.PositiveSmallIntegerField(_("số tháng có điểm"), default=0)
    avg_points = models.DecimalField(
        _("điểm bình quân"), null=True, blank=True, **POINTS
    )
    counted = models.PositiveIntegerField(_("số việc tính"), default=0)
    on_time = models.PositiveIntegerField(_("đúng hạn"), default=0)
    late = models.PositiveIntegerField(_("hoàn thành quá hạn"), default=0)
    overdue = models.PositiveIntegerField(_("quá hạn cuối kỳ"), default=0)
    beyond = models.PositiveIntegerField(_("vượt yêu cầu"), default=0)
    criteria_level = models.CharField(
        _("mức theo tiêu chí"),
        max_length=16,
        choices=Level.choices,
        blank=True,
        help_text=_("Mức cao nhất đạt đủ tiêu chí, trước khi xét tỷ lệ."),
    )
    proposed_level = models.CharField(
        _("mức đề xuất"), max_length=16, choices=Level.choices, blank=True
    )
    over_quota = models.BooleanField(
        _("vượt tỷ lệ “xuất sắc”"),
        default=False,
        help_text=_(
            "Đạt tiêu chí “xuất sắc” nhưng vượt tỷ lệ của tổ chức: đề xuất mức "
            "“tốt”, cấp ủy quyết định."
        ),
    )
    checks = models.JSONField(_("đối chiếu tiêu chí"), default=dict, blank=True)
    proposed_at = models.DateTimeField(_("đề xuất lúc"))
    decided_level = models.CharField(
        _("mức cấp ủy quyết định"), max_length=16, choices=Level.choices, blank=True
    )
    decision_reason = models.TextField(_("lý do"), blank=True)
    decided_by = models.ForeignKey(
        "units.User",
        verbose_name=_("người quyết định"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("quyết định lúc"), null=True, blank=True)
    rules_snapshot = models.JSONField(_("quy tắc đã áp dụng"), default=dict, blank=True)

    history = HistoricalRecords(excluded_fields=["checks", "rules_snapshot"])

    class Meta:
        verbose_name = _("phân loại")
        verbose_name_plural = _("phân loại")
        ordering = ["period", "unit__path", "person__full_name"]
        constraints = [
            models.UniqueConstraint(
                fields=["period", "unit"],
                condition=Q(person__isnull=True),
                name="classification_unique_unit",
            ),
            models.UniqueConstraint(
                fields=["period", "unit", "person"],
                condition=Q(person__isnull=False),
                name="classification_unique_person",
            ),
            models.CheckConstraint(
                condition=(Q(criteria_level="") | Q(criteria_level__in=Level.values))
                & (Q(proposed_level="") | Q(proposed_level__in=Level.values))
                & (Q(decided_level="") | Q(decided_level__in=Level.values)),
                name="classification_levels_valid",
            ),
            models.CheckConstraint(
                condition=Q(decided_at__isnull=True)
                | (~Q(decided_level="") & Q(decided_by__isnull=False)),
                name="classification_decision_complete",
            ),
            models.CheckConstraint(
                condition=Q(decided_at__isnull=True)
                | Q(decided_level=F("proposed_level"))
                | ~Q(decision_reason=""),
                name="classification_change_has_reason",
                violation_error_message=_(
                    "Cần nêu lý do khi quyết định khác mức đề xuất."
                ),
            ),
        ]
        indexes = [
            models.Index(fields=["person", "period"], name="classification_person_idx")
        ]

    def __str__(self):
        subject = self.person or self.unit
        return f"{subject} — {self.period}"

    def get_absolute_url(self):
        return reverse("appraisal:classification", args=[self.pk])

    @property
    def is_decided(self) -> bool:
        return self.decided_at is not None

    @property
    def level(self) -> str:
        """The level that stands: the committee's, else the proposal."""
        return self.decided_level or self.proposed_level
