"""Fixtures for the hard-task quota tests, on the tree of tests/conftest.py::

    Thành ủy Hà Nội            reviewer thuongtruc
    ├── Huyện ủy Đông Anh      leader bithu_da (thường trực: 3),
    │                          reviewer vanphong_da
    │   ├── Văn phòng          leader lanhdao_vp (ủy viên BTV: 2),
    │   │                      staff canbo_vp, canbo_vp2 (cán bộ cơ sở: 1)
    │   └── UBND xã Cổ Loa     staff canbo_cl (cán bộ cơ sở: 1)
    └── Quận ủy Tây Hồ         leader bithu_th (thường trực: 3),
                               staff canbo_th (cán bộ cơ sở: 1)

The period is the year 2026, registration until 15/12/2026 (a Tuesday).
"""

import datetime

import pytest

from quotas import services
from quotas.models import QuotaPeriod
from units.models import CommitteeRole, Membership

DEADLINE = datetime.date(2026, 12, 15)
ROLES = {
    "bithu_da": "thuong-truc",
    "lanhdao_vp": "uy-vien-btv",
    "canbo_vp": "can-bo-co-so",
    "canbo_vp2": "can-bo-co-so",
    "canbo_cl": "can-bo-co-so",
    "bithu_th": "thuong-truc",
    "canbo_th": "can-bo-co-so",
}


@pytest.fixture(autouse=True)
def defaults(db):
    """The rows the data migrations seed: a transactional test elsewhere (the
    browser's) may have flushed them away."""
    from conduct.services import install_default_rules

    services.install_defaults()
    install_default_rules()


@pytest.fixture
def roles(db):
    return {role.code: role for role in CommitteeRole.objects.all()}


@pytest.fixture
def with_roles(people, roles):
    """Each person's membership carries their committee role."""
    for username, code in ROLES.items():
        Membership.objects.filter(user=getattr(people, username)).update(
            committee_role=roles[code]
        )
    return people


@pytest.fixture
def period(with_roles) -> QuotaPeriod:
    return services.period_create(
        actor=None,
        name="Năm 2026",
        start=datetime.date(2026, 1, 1),
        end=datetime.date(2026, 12, 31),
        registration_deadline=DEADLINE,
        check_permission=False,
    )


@pytest.fixture
def open_day():
    """A day inside the registration window."""
    return datetime.date(2026, 11, 20)


@pytest.fixture
def register(people, open_day):
    """``register(task, person)`` → a pending registration."""

    def _register(task, person=None, *, on=None, reason="Vướng mắc kéo dài"):
        return services.registration_create(
            actor=person or people.canbo_vp,
            task=task,
            reason=reason,
            today=on or open_day,
        )

    return _register


@pytest.fixture
def confirmed(register, people):
    """``confirmed(task, person)`` → a registration confirmed by the leader
    of the task's unit (lanhdao_vp for Văn phòng, else bithu_da / bithu_th)."""

    def _confirmed(task, person=None, *, by=None, on=None):
        registration = register(task, person, on=on)
        leader = by or _leader_for(people, task, registration.person)
        return services.registration_confirm(actor=leader, registration=registration)

    return _confirmed


def _leader_for(people, task, person):
    path = task.lead_unit.path
    for leader in (people.lanhdao_vp, people.bithu_da, people.bithu_th, people.admin):
        from units.scope import get_scope

        if leader.pk != person.pk and get_scope(leader).leads(task.lead_unit):
            return leader
    raise AssertionError(f"no leader for {path}")
