"""Who owes how many hard tasks, what counts, and who is short: the rules
of ``quotas.selectors``, at their boundaries."""

import datetime

import pytest

from quotas import services
from quotas.models import RoleQuota
from quotas.selectors import person_quota, person_quotas, shortfalls_by_unit
from tasks import services as task_services
from tests.factories import add_member
from units.choices import Role
from units.models import Membership, Unit


def quota_of(period, user):
    found = person_quota(period, user)
    return None if found is None else (found.minimum, found.confirmed, found.pending)


def test_the_first_period_gets_the_articles_quotas_per_role(period, people):
    # given the roles of the article on the memberships, the period's quotas
    # are 3 for the standing committee's permanent members, 2 for its
    # members and 1 for grassroots cadres
    assert quota_of(period, people.bithu_da) == (3, 0, 0)
    assert quota_of(period, people.lanhdao_vp) == (2, 0, 0)
    assert quota_of(period, people.canbo_vp) == (1, 0, 0)
    # and people without a committee role owe nothing
    assert quota_of(period, people.thuongtruc) is None


def test_the_quota_is_the_periods_row_for_the_role_not_a_constant(
    period, people, roles
):
    # when an admin raises the cadres' quota for this period
    services.role_quota_save(
        actor=people.admin,
        period=period,
        committee_role=roles["can-bo-co-so"],
        minimum=2,
    )

    # then cadres owe two
    assert quota_of(period, people.canbo_vp) == (2, 0, 0)
    # and a role set to 0 owes nothing
    services.role_quota_save(
        actor=people.admin,
        period=period,
        committee_role=roles["uy-vien-btv"],
        minimum=0,
    )
    assert quota_of(period, people.lanhdao_vp) is None


def test_with_two_roles_the_largest_quota_applies_in_its_own_unit(
    period, people, roles, tree
):
    # given canbo_cl, a cadre of Cổ Loa, also a standing committee member
    # in Văn phòng
    extra = add_member(people.canbo_cl, tree.vp, Role.LEADER)
    Membership.objects.filter(pk=extra.pk).update(committee_role=roles["uy-vien-btv"])

    # then he owes two, and is counted once, in Văn phòng
    found = person_quotas(period, user_ids=[people.canbo_cl.pk])
    assert [(p.minimum, p.unit_id) for p in found] == [(2, tree.vp.pk)]


def test_inactive_people_and_closed_units_owe_nothing(period, people, tree):
    people.canbo_vp2.is_active = False
    people.canbo_vp2.save()
    tree.co_loa.is_active = False
    tree.co_loa.save()

    assert quota_of(period, people.canbo_vp2) is None
    assert quota_of(period, people.canbo_cl) is None


def test_only_confirmed_registrations_count(
    period, people, make_task, register, confirmed
):
    # given one registration waiting, one refused and one confirmed
    waiting = register(make_task(title="Việc khó chờ xác nhận"))
    refused = register(make_task(title="Việc khó bị từ chối"))
    services.registration_refuse(
        actor=people.lanhdao_vp, registration=refused, reason="Việc thường xuyên"
    )
    assert quota_of(period, people.canbo_vp) == (1, 0, 1)

    # when the leader confirms a third
    confirmed(make_task(title="Việc khó được xác nhận"))

    # then only that one counts, and canbo_vp has met the quota of 1
    assert quota_of(period, people.canbo_vp) == (1, 1, 1)
    assert not person_quota(period, people.canbo_vp).is_short
    assert waiting.status == "pending"


def test_a_confirmed_hard_task_that_is_cancelled_no_longer_counts(
    period, people, make_task, confirmed
):
    task = make_task()
    confirmed(task)
    assert quota_of(period, people.canbo_vp) == (1, 1, 0)

    task_services.task_cancel(actor=people.lanhdao_vp, task=task, reason="Trùng việc")

    assert quota_of(period, people.canbo_vp) == (1, 0, 0)
    assert person_quota(period, people.canbo_vp).is_short


@pytest.mark.parametrize(
    ("confirmed_count", "short"), [(1, True), (2, False), (3, False)]
)
def test_short_means_fewer_confirmed_than_the_quota(
    period, people, make_task, confirmed, confirmed_count, short
):
    # lanhdao_vp owes two, as a standing committee member
    for i in range(confirmed_count):
        confirmed(
            make_task(
                title=f"Việc khó {i}",
                assignee=people.lanhdao_vp,
                accountable_leader=people.bithu_da,
            ),
            people.lanhdao_vp,
            by=people.bithu_da,
        )

    found = person_quota(period, people.lanhdao_vp)

    assert found.confirmed == confirmed_count
    assert found.is_short is short
    assert found.missing == max(2 - confirmed_count, 0)


def test_shortfalls_are_counted_per_child_unit_and_for_the_nodes_own_people(
    period, people, tree, make_task, confirmed
):
    # given canbo_vp has met the quota, and everyone else has nothing
    confirmed(make_task())

    rows = shortfalls_by_unit(period, tree.dong_anh.path, [tree.vp, tree.co_loa])

    by_name = {("own" if r.own else r.name): r for r in rows}
    # Đông Anh itself: bithu_da (short)
    assert (by_name["own"].people, by_name["own"].short) == (1, 1)
    # Văn phòng: lanhdao_vp (short by 2), canbo_vp (met), canbo_vp2 (short)
    vp = by_name[tree.vp.name]
    assert (vp.people, vp.met, vp.short, vp.missing) == (3, 1, 2, 3)
    # Cổ Loa: canbo_cl (short)
    assert (by_name[tree.co_loa.name].people, by_name[tree.co_loa.name].short) == (1, 1)


def test_shortfalls_never_count_people_of_other_units(period, tree):
    rows = shortfalls_by_unit(period, tree.dong_anh.path, [tree.vp, tree.co_loa])

    # Tây Hồ's two people are not in Đông Anh's numbers
    assert sum(r.people for r in rows) == 5


def test_a_unit_closed_in_a_reorganisation_has_no_row_of_zeros(period, tree):
    # Cổ Loa merged away: its people moved on, the unit closed
    Membership.objects.filter(unit=tree.co_loa).delete()
    Unit.objects.filter(pk=tree.co_loa.pk).update(is_active=False)
    tree.co_loa.refresh_from_db()

    rows = shortfalls_by_unit(period, tree.dong_anh.path, [tree.vp, tree.co_loa])

    assert [r.name for r in rows if not r.own] == [tree.vp.name]


def test_a_period_copies_the_quotas_of_the_period_before(period, people, roles):
    services.role_quota_save(
        actor=people.admin,
        period=period,
        committee_role=roles["can-bo-co-so"],
        minimum=2,
    )

    following = services.period_create(
        actor=people.admin,
        name="Năm 2027",
        start=datetime.date(2027, 1, 1),
        end=datetime.date(2027, 12, 31),
        registration_deadline=datetime.date(2027, 3, 31),
    )

    copied = dict(
        RoleQuota.objects.filter(period=following).values_list(
            "committee_role__code", "minimum"
        )
    )
    assert copied == {"thuong-truc": 3, "uy-vien-btv": 2, "can-bo-co-so": 2}
    # and the new period's rows are its own
    services.role_quota_save(
        actor=people.admin,
        period=following,
        committee_role=roles["thuong-truc"],
        minimum=4,
    )
    assert (
        RoleQuota.objects.get(
            period=period, committee_role=roles["thuong-truc"]
        ).minimum
        == 3
    )
