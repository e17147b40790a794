from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords
from treebeard.mp_tree import MP_Node, MP_NodeManager, MP_NodeQuerySet

from .choices import Role, SuccessionKind, UnitKind


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
    # Raised by PostgreSQL triggers (tasks migration 0013) in the same
    # transaction as every write that changes what this user's pages show;
    # the cached "Việc của tôi" page is keyed on it (tasks.page_cache).
    view_version = models.PositiveBigIntegerField(
        _("phiên bản dữ liệu hiển thị"),
        default=0,
        db_default=0,
        editable=False,
    )

    objects = UserManager()
    history = HistoricalRecords(
        excluded_fields=["password", "last_login", "view_version"]
    )

    class Meta:
        verbose_name = _("người dùng")
        verbose_name_plural = _("người dùng")
        ordering = ["full_name", "username"]

    def __str__(self):
        return self.full_name or self.get_username()

    def get_full_name(self):
        return self.name_from(
            self.full_name, self.first_name, self.last_name, self.get_username()
        )

    @staticmethod
    def name_from(full_name: str, first_name: str, last_name: str, username: str):
        """The name a person goes by, from the columns (for rows read
        without the model): the full name, else first and last, else the
        username."""
        return full_name or f"{first_name} {last_name}".strip() or username


class UnitQuerySet(MP_NodeQuerySet):
    def subtree_of(self, unit: "Unit") -> "UnitQuerySet":
        """This unit and every unit under it: one indexed prefix query."""
        return self.filter(path__startswith=unit.path)

    def active(self) -> "UnitQuerySet":
        return self.filter(is_active=True)

    def valid_during(self, start, end) -> "UnitQuerySet":
        """Units that existed on some day from ``start`` to ``end`` (both
        included): the tree as it was in that period. A unit without dates
        has always existed and still does."""
        return self.filter(
            Q(valid_from__isnull=True) | Q(valid_from__lte=end),
            Q(valid_to__isnull=True) | Q(valid_to__gte=start),
        )

    def valid_on(self, day) -> "UnitQuerySet":
        return self.valid_during(day, day)


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
    valid_from = models.DateField(
        _("hoạt động từ ngày"),
        null=True,
        blank=True,
        help_text=_("Ngày đơn vị được thành lập; để trống nếu có từ trước."),
    )
    valid_to = models.DateField(
        _("hoạt động đến ngày"),
        null=True,
        blank=True,
        help_text=_(
            "Ngày cuối cùng đơn vị còn hoạt động (trước khi sáp nhập, chia tách "
            "hoặc đổi tên); để trống nếu vẫn đang hoạt động."
        ),
    )

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
            models.CheckConstraint(
                condition=Q(valid_from__isnull=True)
                | Q(valid_to__isnull=True)
                | Q(valid_to__gte=F("valid_from")),
                name="unit_valid_dates_ordered",
                violation_error_message=_(
                    "Ngày kết thúc hoạt động không được trước ngày bắt đầu."
                ),
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


class UnitSuccession(models.Model):
    """One link of a reorganisation: ``predecessor`` passed its work on to
    ``successor`` from ``effective_date``. A merge is several links into one
    successor, a split several out of one predecessor, a rename one link to
    the unit under its new name. Done tasks stay with the unit that did them;
    ``roll_up`` says whether the current period's dashboards count the
    predecessor's record in its successor's row."""

    predecessor = models.ForeignKey(
        Unit,
        verbose_name=_("đơn vị trước"),
        on_delete=models.PROTECT,
        related_name="successor_links",
    )
    successor = models.ForeignKey(
        Unit,
        verbose_name=_("đơn vị kế thừa"),
        on_delete=models.PROTECT,
        related_name="predecessor_links",
    )
    kind = models.CharField(
        _("hình thức"), max_length=16, choices=SuccessionKind.choices
    )
    effective_date = models.DateField(
        _("có hiệu lực từ ngày"),
        help_text=_("Ngày đầu tiên đơn vị kế thừa nhận công việc."),
    )
    roll_up = models.BooleanField(
        _("cộng số liệu vào đơn vị kế thừa"),
        default=True,
        help_text=_(
            "Bảng điều hành kỳ hiện tại cộng kết quả cũ của đơn vị trước vào "
            "dòng của đơn vị kế thừa."
        ),
    )
    reason = models.CharField(
        _("căn cứ"),
        max_length=500,
        blank=True,
        help_text=_("Ví dụ: Nghị quyết của Ủy ban Thường vụ Quốc hội về sắp xếp."),
    )
    created_by = models.ForeignKey(
        "units.User",
        verbose_name=_("người thực hiện"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("thời điểm ghi"), auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("liên kết kế thừa đơn vị")
        verbose_name_plural = _("liên kết kế thừa đơn vị")
        ordering = ["-effective_date", "predecessor__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["predecessor", "successor"],
                name="unit_succession_unique",
                violation_error_message=_("Hai đơn vị này đã có liên kết kế thừa."),
            ),
            models.CheckConstraint(
                condition=~Q(predecessor=F("successor")),
                name="unit_succession_not_self",
                violation_error_message=_("Một đơn vị không thể kế thừa chính nó."),
            ),
            models.CheckConstraint(
                condition=Q(kind__in=SuccessionKind.values),
                name="unit_succession_kind_valid",
                violation_error_message=_("Hình thức sắp xếp không hợp lệ."),
            ),
        ]

    def __str__(self):
        return f"{self.predecessor} → {self.successor} ({self.effective_date:%d/%m/%Y})"


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
