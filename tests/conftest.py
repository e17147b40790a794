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
from django.conf import settings
from django.utils import timezone, translation

from config import side_reads
from directives.models import Directive
from tasks import calendar, services
from units.choices import Role, UnitKind

from .factories import (
    DirectiveFactory,
    DirectiveItemFactory,
    UserFactory,
    add_member,
    make_unit,
)


@pytest.fixture(autouse=True)
def site_language():
    """Each test starts in the site's language: a request served in English
    (LocaleMiddleware activates the user's language for the thread and
    leaves it) must not change what the next test reads."""
    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


DB_FIXTURES = {
    "db",
    "transactional_db",
    "django_db_reset_sequences",
    "django_db_serialized_rollback",
}


@pytest.fixture(autouse=True)
def calendar_as_committed(request, django_db_setup, django_db_blocker):
    """Each test that uses the database starts with the admins' calendar
    table as committed. A test's ``CalendarDay`` rows are read into memory
    when saved and stay there after the rollback; reloading at setup (not
    at teardown, which may run before the rollback) keeps an extra day off
    from delaying the next test's escalations. A test without the database
    does not touch it (an open connection there outlives the session and
    the test database cannot be dropped)."""
    if request.node.get_closest_marker("django_db") or DB_FIXTURES & set(
        request.fixturenames
    ):
        with django_db_blocker.unblock():
            calendar.reload()


@pytest.fixture(scope="session", autouse=True)
def side_reads_closed(django_db_setup):
    """The dashboards' side reads (config.side_reads) keep a connection open
    in each of their threads: closed before the test database is dropped."""
    yield
    side_reads.shutdown()


@pytest.fixture
def tree(db):
    city = make_unit("Thành ủy Hà Nội", kind=UnitKind.CITY_COMMITTEE, code="HN")
    dong_anh = make_unit(
        "Huyện ủy Đông Anh", parent=city, kind=UnitKind.DISTRICT_COMMITTEE, code="HN.DA"
    )
    vp = make_unit("Văn phòng Huyện ủy Đông Anh", parent=dong_anh, code="HN.DA.VP")
    co_loa = make_unit(
        "UBND xã Cổ Loa", parent=dong_anh, kind=UnitKind.COMMUNE, code="HN.DA.CL"
    )
    tay_ho = make_unit(
        "Quận ủy Tây Hồ", parent=city, kind=UnitKind.DISTRICT_COMMITTEE, code="HN.TH"
    )
    for unit in (city, dong_anh, vp, co_loa, tay_ho):
        unit.refresh_from_db()
    return SimpleNamespace(
        city=city, dong_anh=dong_anh, vp=vp, co_loa=co_loa, tay_ho=tay_ho
    )


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


@pytest.fixture
def workflow(people):
    """Move a task along its life through the services, as its people would:
    ``workflow.submit(task, on=date)``, ``workflow.done(task, on=date)``.
    Each returns the task as saved."""

    def submit(task, *, on=None, actor=None):
        return services.task_submit(
            actor=actor or people.canbo_vp,
            task=task,
            actual_result="Đã ban hành quy chế sửa đổi",
            today=on,
        )

    def done(task, *, on=None, actor=None, approver=None):
        submit(task, on=on, actor=actor)
        return services.task_approve(actor=approver or people.lanhdao_vp, task=task)

    return SimpleNamespace(submit=submit, done=done)


@pytest.fixture
def tasks_by_unit(tree, people, make_task):
    """One task led by each unit, and one office task that Cổ Loa helps with.

    ======== ============ ============= ====================
    name     lead unit    assignee      coordinating units
    ======== ============ ============= ====================
    vp       Văn phòng    canbo_vp
    vp2      Văn phòng    canbo_vp2
    coord    Văn phòng    canbo_vp2     Cổ Loa
    co_loa   Cổ Loa       canbo_cl
    dong_anh Đông Anh     bithu_da
    tay_ho   Tây Hồ       canbo_th
    city     Thành ủy     bithu_tp
    ======== ============ ============= ====================

    Adds ``people.bithu_tp``, a leader of the city committee.
    """
    bithu_tp = UserFactory(username="bithu_tp", full_name="Đặng Thành Phố")
    add_member(bithu_tp, tree.city, Role.LEADER)
    da = dict(actor=people.bithu_da, accountable_leader=people.bithu_da)
    tasks = SimpleNamespace(
        vp=make_task(),
        vp2=make_task(assignee=people.canbo_vp2),
        coord=make_task(assignee=people.canbo_vp2, coordinating_units=[tree.co_loa]),
        co_loa=make_task(lead_unit=tree.co_loa, assignee=people.canbo_cl, **da),
        dong_anh=make_task(lead_unit=tree.dong_anh, assignee=people.bithu_da, **da),
        tay_ho=make_task(
            actor=people.bithu_th,
            lead_unit=tree.tay_ho,
            assignee=people.canbo_th,
            accountable_leader=people.bithu_th,
        ),
        city=make_task(
            actor=bithu_tp,
            lead_unit=tree.city,
            assignee=bithu_tp,
            accountable_leader=bithu_tp,
        ),
    )
    people.bithu_tp = bithu_tp
    return tasks
