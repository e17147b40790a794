from django.db import models
from django.utils.translation import gettext_lazy as _


class UnitKind(models.TextChoices):
    CITY_COMMITTEE = "city_committee", _("Thành ủy")
    DISTRICT_COMMITTEE = "district_committee", _("Quận ủy, huyện ủy, thị ủy")
    PEOPLES_COMMITTEE = "peoples_committee", _("Ủy ban nhân dân")
    DEPARTMENT = "department", _("Phòng, ban, sở, ngành")
    COMMUNE = "commune", _("Phường, xã, thị trấn")
    PARTY_ORGANISATION = "party_organisation", _("Tổ chức cơ sở đảng")


class Role(models.TextChoices):
    STAFF = "staff", _("Cán bộ, công chức")
    LEADER = "leader", _("Lãnh đạo đơn vị")
    REVIEWER = "reviewer", _("Thường trực, Văn phòng (theo dõi)")


class SuccessionKind(models.TextChoices):
    """How a unit passed its work on to another in a reorganisation."""

    MERGE = "merge", _("Sáp nhập")
    SPLIT = "split", _("Chia tách")
    RENAME = "rename", _("Đổi tên")
