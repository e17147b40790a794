"""Shared fixtures: a small unit tree and one user per role.

Tree::

    Thành ủy Hà Nội (city)            reviewer: thuongtruc (whole city)
    ├── Huyện ủy Đông Anh (district)  leader: bithu_da, reviewer: vanphong_da
    │   ├── Văn phòng HU Đông Anh     leader: lanhdao_vp, staff: canbo_vp, canbo_vp2
    │   └── UBND xã Cổ Loa            staff: canbo_cl
    └── Quận ủy Tây Hồ (district)     leader: bithu_th, staff: canbo_th
"""

import datetime
from types import SimpleNamespace

import pytest
from django.utils import timezone

from directives.models import Directive
from tasks import services
from units.choices import Role, UnitKind

from .factories import DirectiveFactory, DirectiveItemFactory, UserFactory, add_member, make_unit


@pytest.fixture
def tree(db):
    city = make_unit("Thành ủy Hà Nội", kind=UnitKind.CITY_COMMITTEE, code="HN")
    dong_anh = make_unit(
        "Huyện ủy Đông Anh", parent=city, kind=UnitKind.DISTRICT_COMMITTEE, code="HN.DA"
    )
    vp = make_unit("Văn phòng Huyện ủy Đông Anh", parent=dong_anh, code="HN.DA.VP")
    co_loa = make_unit("UBND xã Cổ Loa", parent=dong_anh, kind=UnitKind.COMMUNE, code="HN.DA.CL")
    tay_ho = make_unit(
        "Quận ủy Tây Hồ", parent=city, kind=UnitKind.DISTRICT_COMMITTEE, code="HN.TH"
    )
    for unit in (city, dong_anh, vp, co_loa, tay_ho):
        unit.refresh_from_db()
    return SimpleNamespace(city=city, dong_anh=dong_anh, vp=vp, co_loa=co_loa, tay_ho=tay_ho)


@pytest.fixture
def people(tree):
    def user(username, full_name, unit, role):
        u = UserFactory(username=username, full_name=full_name)
        add_member(u, unit, role)
        return u

    return SimpleNamespace(
        thuongtruc=user("thuongtruc", "Trần Thường Trực", tree.city, Role.REVIEWER),
        bithu_da=user("bithu_da", "Lê Bí Thư", tree.dong_anh, Role.LEADER),
        vanphong_da=user("vanphong_da", "Phạm Văn Phòng", tree.dong_anh, Role.REVIEWER),
        lanhdao_vp=user("lanhdao_vp", "Hoàng Lãnh Đạo", tree.vp, Role.LEADER),
        canbo_vp=user("canbo_vp", "Nguyễn Cán Bộ", tree.vp, Role.STAFF),
        canbo_vp2=user("canbo_vp2", "Đỗ Thị Hoa", tree.vp, Role.STAFF),
        canbo_cl=user("canbo_cl", "Vũ Cổ Loa", tree.co_loa, Role.STAFF),
        bithu_th=user("bithu_th", "Bùi Tây Hồ", tree.tay_ho, Role.LEADER),
        canbo_th=user("canbo_th", "Đinh Văn Hồ", tree.tay_ho, Role.STAFF),
        admin=UserFactory(
            username="admin", full_name="Quản Trị", is_staff=True, is_superuser=True
        ),
    )


@pytest.fixture
def directive(tree) -> Directive:
    return DirectiveFactory(number="24-CT/TU", issuing_unit=tree.city)


@pytest.fixture
def directive_item(directive):
    return DirectiveItemFactory(directive=directive, number="1")


@pytest.fixture
def today():
    return timezone.localdate()


@pytest.fixture
def make_task(tree, people, directive):
    """Create a task through the service, as lanhdao_vp assigning canbo_vp."""

    def _make(**overrides):
        today = timezone.localdate()
        values = dict(
            actor=people.lanhdao_vp,
            title="Rà soát quy chế làm việc theo “5 rõ”",
            description="Sửa đổi quy chế làm việc của cơ quan",
            directive=directive,
            lead_unit=tree.vp,
            assignee=people.canbo_vp,
            accountable_leader=people.lanhdao_vp,
            start_date=today - datetime.timedelta(days=10),
            deadline=today + datetime.timedelta(days=20),
            expected_result="Quy chế sửa đổi được ban hành",
        )
        values.update(overrides)
        return services.task_create(**values)

    return _make
