from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords
from treebeard.mp_tree import MP_Node, MP_NodeManager, MP_NodeQuerySet

from .choices import Role, UnitKind


class User(AbstractUser):
    """A person who signs in: district staff, a unit leader, a committee
    reviewer or an admin. What they may see comes from their memberships."""

    full_name = models.CharField(_("họ và tên"), max_length=150)
    position = models.CharField(
        _("chức vụ"),
        max_length=150,
        blank=True,
        help_text=_("Ví dụ: Phó Chủ tịch UBND huyện, chuyên viên Văn phòng."),
    )

    objects = UserManager()
    history = HistoricalRecords(excluded_fields=["password", "last_login"])

    class Meta:
        verbose_name = _("người dùng")
        verbose_name_plural = _("người dùng")
        ordering = ["full_name", "username"]

    def __str__(self):
        return self.full_name or self.get_username()

    def get_full_name(self):
        return self.full_name or super().get_full_name() or self.get_username()


class UnitQuerySet(MP_NodeQuerySet):
    def subtree_of(self, unit: "Unit") -> "UnitQuerySet":
        """This unit and every unit under it: one indexed prefix query."""
        return self.filter(path__startswith=unit.path)

    def active(self) -> "UnitQuerySet":
        return self.filter(is_active=True)


class UnitManager(MP_NodeManager.from_queryset(UnitQuerySet)):
    def get_queryset(self) -> UnitQuerySet:
        # treebeard's manager builds its own queryset class; keep ours (and
        # treebeard's ordering by path) so that our methods are available.
        return UnitQuerySet(self.model, using=self._db).order_by("path")


class Unit(MP_Node):
    """A node of the organisation tree: the city committee, a district
    committee, a People's Committee, a department, a ward or commune, a Party
    organisation. Stored as a materialised path so that "this unit and all
    under it" is a single indexed prefix match."""

    name = models.CharField(_("tên đơn vị"), max_length=255)
    short_name = models.CharField(_("tên ngắn"), max_length=100, blank=True)
    code = models.CharField(
        _("mã đơn vị"),
        max_length=50,
        unique=True,
        help_text=_("Mã duy nhất, ví dụ HN.DA.UBND"),
    )
    kind = models.CharField(_("loại đơn vị"), max_length=32, choices=UnitKind.choices)
    head = models.ForeignKey(
        "units.User",
        verbose_name=_("người đứng đầu"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="headed_units",
    )
    is_active = models.BooleanField(_("đang hoạt động"), default=True)

    node_order_by = ["name"]
    objects = UnitManager()
    history = HistoricalRecords(excluded_fields=["path", "depth", "numchild"])

    class Meta:
        verbose_name = _("đơn vị")
        verbose_name_plural = _("đơn vị")
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=UnitKind.values),
                name="unit_kind_valid",
                violation_error_message=_("Loại đơn vị không hợp lệ."),
            ),
        ]
        indexes = [
            # LIKE 'prefix%' uses this index whatever the database collation.
            models.Index(
                fields=["path"],
                opclasses=["varchar_pattern_ops"],
                name="unit_path_prefix_idx",
            ),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("admin:units_unit_change", args=[self.pk])


# The roles the article names (Hànộimới, 22/10/2023), seeded by migration
# 0002 and re-installed by ``quotas.services.install_defaults``: (code, name,
# order). Admins rename or add roles afterwards.
DEFAULT_COMMITTEE_ROLES = (
    ("thuong-truc", "Thường trực cấp ủy", 1),
    ("uy-vien-btv", "Ủy viên Ban Thường vụ", 2),
    ("can-bo-co-so", "Cán bộ cơ sở", 3),
)


class CommitteeRole(models.Model):
    """A person's place in the Party committee (cấp ủy), as the committee's
    own rules name it: a permanent member of the standing committee
    (thường trực), a standing committee member (ủy viên ban thường vụ), a
    grassroots cadre (cán bộ cơ sở) … Rows, so that admins add or rename
    roles; other apps (the hard-task quotas) hang their rules on them."""

    code = models.SlugField(
        _("mã"),
        max_length=50,
        unique=True,
        help_text=_("Mã ngắn, không dấu, không đổi sau khi dùng, ví dụ thuong-truc."),
    )
    name = models.CharField(_("tên vai trò"), max_length=150)
    order = models.PositiveSmallIntegerField(
        _("thứ tự"),
        default=0,
        help_text=_("Vai trò cao hơn có số nhỏ hơn; dùng để sắp xếp."),
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("vai trò trong cấp ủy")
        verbose_name_plural = _("vai trò trong cấp ủy")
        ordering = ["order", "name"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(name=""),
                name="committeerole_name_required",
                violation_error_message=_("Cần nhập tên vai trò."),
            ),
        ]

    def __str__(self):
        return self.name


class Membership(models.Model):
    """A person's place in a unit with a role. A leader's or reviewer's scope
    is the unit's whole subtree; a staff member works in the unit itself."""

    user = models.ForeignKey(
        "units.User",
        verbose_name=_("người dùng"),
        on_delete=models.CASCADE,
        related_name="memberships",
    )
    unit = models.ForeignKey(
        "units.Unit",
        verbose_name=_("đơn vị"),
        on_delete=models.PROTECT,
        related_name="memberships",
    )
    role = models.CharField(_("vai trò"), max_length=16, choices=Role.choices)
    title = models.CharField(
        _("chức danh trong đơn vị"),
        max_length=150,
        blank=True,
        help_text=_("Ví dụ: Bí thư, Phó Chủ tịch, Chánh Văn phòng."),
    )
    committee_role = models.ForeignKey(
        "units.CommitteeRole",
        verbose_name=_("vai trò trong cấp ủy"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="memberships",
        help_text=_(
            "Thường trực, ủy viên ban thường vụ, cán bộ cơ sở …: quyết định số "
            "việc khó phải đăng ký. Để trống nếu không áp dụng."
        ),
    )
    created_at = models.DateTimeField(_("ngày tạo"), auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("thành viên đơn vị")
        verbose_name_plural = _("thành viên đơn vị")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "unit", "role"],
                name="membership_unique_user_unit_role",
                violation_error_message=_(
                    "Người này đã có vai trò đó trong đơn vị này."
                ),
            ),
            models.CheckConstraint(
                condition=Q(role__in=Role.values),
                name="membership_role_valid",
                violation_error_message=_("Vai trò không hợp lệ."),
            ),
        ]
        indexes = [
            models.Index(fields=["unit", "role"], name="membership_unit_role_idx")
        ]

    def __str__(self):
        return f"{self.user} — {self.get_role_display()} — {self.unit}"
