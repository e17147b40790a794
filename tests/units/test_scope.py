"""Who sees what: units/scope.py and ``Task.objects.visible_to``.

Leaders and reviewers see the tasks led by any unit of their subtrees;
staff see their unit's tasks, tasks assigned to them and tasks their unit
coordinates; superusers see all; anonymous users nothing."""

import pytest
from django.contrib.auth.models import AnonymousUser

from tasks.models import Task
from tests.factories import UserFactory, add_member
from units.choices import Role
from units.models import Membership, Unit, User
from units.scope import Scope, clear_scope_cache, get_scope


@pytest.fixture
def world(tasks_by_unit):
    """One task per unit (see ``tasks_by_unit`` in tests/conftest.py)."""
    return tasks_by_unit


ALL = {"vp", "vp2", "coord", "co_loa", "dong_anh", "tay_ho", "city"}
DONG_ANH = {"vp", "vp2", "coord", "co_loa", "dong_anh"}
OFFICE = {"vp", "vp2", "coord"}

VISIBLE = [
    ("admin", ALL),
    ("thuongtruc", ALL),  # reviewer of the city
    ("bithu_tp", ALL),  # leader of the city
    ("bithu_da", DONG_ANH),  # leader of a district
    ("vanphong_da", DONG_ANH),  # reviewer of a district
    ("lanhdao_vp", OFFICE),  # leader of a unit without units below
    ("canbo_vp", OFFICE),  # staff: their unit's tasks
    ("canbo_vp2", OFFICE),
    ("canbo_cl", {"co_loa", "coord"}),  # staff: their unit's and coordinated
    ("bithu_th", {"tay_ho"}),
    ("canbo_th", {"tay_ho"}),
]


def visible(world, user) -> set[str]:
    names = {getattr(world, name).pk: name for name in ALL}
    return {
        names[pk] for pk in Task.objects.visible_to(user).values_list("pk", flat=True)
    }


@pytest.mark.parametrize(("who", "expected"), VISIBLE, ids=[w for w, _ in VISIBLE])
def test_each_role_sees_exactly_its_scope(world, people, who, expected):
    assert visible(world, getattr(people, who)) == expected


def test_anonymous_sees_nothing(world):
    assert not Task.objects.visible_to(AnonymousUser()).exists()


def test_a_user_without_memberships_sees_nothing(world):
    assert visible(world, UserFactory(username="ngoai")) == set()


def test_staff_see_a_task_assigned_to_them_after_leaving_its_unit(world, people, tree):
    # given a commune officer who moves to Tây Hồ, still holding a Cổ Loa task
    Membership.objects.filter(user=people.canbo_cl).delete()
    add_member(people.canbo_cl, tree.tay_ho, Role.STAFF)
    mover = User.objects.get(pk=people.canbo_cl.pk)
    # then they see that task and Tây Hồ's, and no other Cổ Loa work
    assert visible(world, mover) == {"co_loa", "tay_ho"}


def test_a_leader_whose_unit_closes_keeps_sight_of_tasks_they_do_or_answer_for(
    world, people, tree
):
    # given the district committee is made inactive (merged away)
    Unit.objects.filter(pk=tree.dong_anh.pk).update(is_active=False)
    leader = User.objects.get(pk=people.bithu_da.pk)
    # then its former leader no longer sees the subtree, only the task they
    # do (dong_anh) and the one they answer for (co_loa)
    assert visible(world, leader) == {"co_loa", "dong_anh"}


def test_coordinating_units_grant_sight_to_staff_only_of_that_unit(world, people):
    assert "coord" in visible(world, people.canbo_cl)
    assert "coord" not in visible(world, people.canbo_th)


@pytest.mark.parametrize(
    ("who", "unit", "expected"),
    [
        # a reviewer of an inactive district loses it
        ("vanphong_da", "dong_anh", set()),
        # staff of an inactive unit keep only what is assigned to them
        ("canbo_vp", "vp", {"vp"}),
        # a leader of an inactive office keeps only what they answer for
        ("bithu_th", "tay_ho", {"tay_ho"}),
        # an inactive unit below does not take the district's sight away
        ("vanphong_da", "co_loa", DONG_ANH),
    ],
)
def test_inactive_units_grant_no_scope(world, people, tree, who, unit, expected):
    Unit.objects.filter(pk=getattr(tree, unit).pk).update(is_active=False)
    user = User.objects.get(pk=getattr(people, who).pk)
    assert visible(world, user) == expected


def test_the_unit_tree_decides_not_the_order_of_memberships(world, people, tree):
    # given the office's leader is also made a reviewer of Tây Hồ
    add_member(people.lanhdao_vp, tree.tay_ho, Role.REVIEWER)
    user = User.objects.get(pk=people.lanhdao_vp.pk)
    assert visible(world, user) == OFFICE | {"tay_ho"}


# --- the scope object --------------------------------------------------------


def test_scope_of_a_leader_is_their_subtree_paths(people, tree):
    scope = get_scope(people.bithu_da)
    assert scope.leader_paths == (tree.dong_anh.path,)
    assert scope.reviewer_paths == ()
    assert scope.staff_unit_ids == ()
    assert scope.leads(tree.vp) and scope.leads(tree.co_loa)
    assert scope.leads(tree.dong_anh)
    assert not scope.leads(tree.city) and not scope.leads(tree.tay_ho)


def test_scope_collapses_a_subtree_already_covered(people, tree):
    add_member(people.bithu_da, tree.vp, Role.LEADER)
    user = User.objects.get(pk=people.bithu_da.pk)
    assert get_scope(user).leader_paths == (tree.dong_anh.path,)


def test_a_reviewer_covers_paths_but_leads_nothing(people, tree):
    scope = get_scope(people.vanphong_da)
    assert scope.covers_path(tree.vp.path)
    assert scope.covers_path(tree.vp.path, roles=(Role.REVIEWER,))
    assert not scope.covers_path(tree.vp.path, roles=(Role.LEADER,))
    assert not scope.covers_path(tree.tay_ho.path)
    assert not scope.leads(tree.vp)


def test_staff_scope_is_their_unit_alone(people, tree):
    scope = get_scope(people.canbo_vp)
    assert scope.staff_unit_ids == (tree.vp.pk,)
    assert scope.subtree_paths == ()
    assert not scope.covers_path(tree.vp.path)
    assert not scope.leads(tree.vp)


def test_superuser_scope_is_everything(people, tree):
    scope = get_scope(people.admin)
    assert scope.is_all
    assert scope.leads(tree.tay_ho) and scope.covers_path(tree.co_loa.path)


def test_anonymous_scope_is_empty():
    assert get_scope(AnonymousUser()) == Scope()


def test_scope_is_computed_once_per_user_object(
    people, tree, django_assert_num_queries
):
    user = User.objects.get(pk=people.canbo_vp.pk)
    with django_assert_num_queries(1):
        get_scope(user)
        get_scope(user)
    # a new membership shows once the cache is cleared
    add_member(user, tree.co_loa, Role.STAFF)
    assert tree.co_loa.pk not in get_scope(user).staff_unit_ids
    clear_scope_cache(user)
    assert tree.co_loa.pk in get_scope(user).staff_unit_ids


def test_visible_to_is_one_query(world, people, django_assert_num_queries):
    user = User.objects.get(pk=people.canbo_cl.pk)
    get_scope(user)
    with django_assert_num_queries(1):
        list(Task.objects.visible_to(user))
