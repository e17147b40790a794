from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from .choices import DirectiveKind, DirectiveStatus


class DirectiveQuerySet(models.QuerySet):
    def in_force(self):
        return self.filter(status=DirectiveStatus.IN_FORCE)


class Directive(models.Model):
    """A directive, resolution, conclusion or plan of a Party committee. A
    district's plan that carries out a city directive is a directive whose
    parent is that directive, so tasks of the plan count toward both."""

    number = models.CharField(
        _("số, ký hiệu"), max_length=50, help_text=_("Ví dụ: 24-CT/TU")
    )
    kind = models.CharField(
        _("loại văn bản"), max_length=16, choices=DirectiveKind.choices
    )
    title = models.CharField(_("trích yếu"), max_length=500)
    issuing_unit = models.ForeignKey(
        "units.Unit",
        verbose_name=_("cơ quan ban hành"),
        on_delete=models.PROTECT,
        related_name="issued_directives",
    )
    issue_date = models.DateField(_("ngày ban hành"))
    summary = models.TextField(_("tóm tắt nội dung"), blank=True)
    status = models.CharField(
        _("trạng thái"),
        max_length=16,
        choices=DirectiveStatus.choices,
        default=DirectiveStatus.IN_FORCE,
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("thực hiện văn bản"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="plans",
        help_text=_(
            "Với kế hoạch thực hiện: chỉ thị, nghị quyết mà kế hoạch này triển khai."
        ),
    )

    objects = DirectiveQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("văn bản chỉ đạo")
        verbose_name_plural = _("văn bản chỉ đạo")
        ordering = ["-issue_date", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["number", "issuing_unit"],
                name="directive_unique_number_per_issuer",
                violation_error_message=_(
                    "Cơ quan này đã có văn bản mang số, ký hiệu đó."
                ),
            ),
            models.CheckConstraint(
                condition=Q(kind__in=DirectiveKind.values),
                name="directive_kind_valid",
                violation_error_message=_("Loại văn bản không hợp lệ."),
            ),
            models.CheckConstraint(
                condition=Q(status__in=DirectiveStatus.values),
                name="directive_status_valid",
                violation_error_message=_("Trạng thái văn bản không hợp lệ."),
            ),
            models.CheckConstraint(
                condition=~Q(parent=models.F("pk")),
                name="directive_not_own_parent",
                violation_error_message=_("Văn bản không thể thực hiện chính nó."),
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} số {self.number}"

    def family_ids(self) -> list[int]:
        """This directive and every plan under it, at any depth."""
        ids, frontier = [self.pk], [self.pk]
        while frontier:
            frontier = list(
                Directive.objects.filter(parent_id__in=frontier).values_list(
                    "pk", flat=True
                )
            )
            ids.extend(frontier)
        return ids


class DirectiveItem(models.Model):
    """One requirement inside a directive (a numbered point of its text),
    which tasks carry out."""

    directive = models.ForeignKey(
        "directives.Directive",
        verbose_name=_("văn bản"),
        on_delete=models.CASCADE,
        related_name="items",
    )
    number = models.CharField(_("mục"), max_length=20, help_text=_("Ví dụ: 1, 2.a"))
    content = models.TextField(_("nội dung yêu cầu"))
    order = models.PositiveIntegerField(_("thứ tự"), default=0)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("mục của văn bản")
        verbose_name_plural = _("mục của văn bản")
        ordering = ["directive", "order", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["directive", "number"],
                name="directive_item_unique_number",
                violation_error_message=_("Văn bản đã có mục mang số này."),
            ),
        ]

    def __str__(self):
        return f"{self.directive.number} — mục {self.number}"
