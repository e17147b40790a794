"""The permission predicates of tasks/permissions.py, as one table of
(role, action, state) → answer, and their agreement with
``Task.objects.visible_to``: nobody may act on a task they cannot see."""

import pytest
from django.contrib.auth.models import AnonymousUser

from tasks import permissions, services
from tasks.choices import TaskStatus
from tasks.models import Task

EVERYONE = [
    "admin",
    "thuongtruc",
    "bithu_da",
    "vanphong_da",
    "lanhdao_vp",
    "canbo_vp",
    "canbo_vp2",
    "canbo_cl",
    "bithu_th",
    "canbo_th",
]
MANAGERS = {"admin", "bithu_da", "lanhdao_vp"}
VIEWERS = MANAGERS | {"thuongtruc", "vanphong_da", "canbo_vp", "canbo_vp2"}
OPEN = (TaskStatus.ASSIGNED, TaskStatus.IN_PROGRESS, TaskStatus.SUBMITTED)
WORKING = (TaskStatus.ASSIGNED, TaskStatus.IN_PROGRESS)

# who may do what to an office task assigned to canbo_vp, in each state
MATRIX = {
    "can_view_task": {state: VIEWERS for state in TaskStatus.values},
    "can_manage": {state: MANAGERS for state in TaskStatus.values},
    "can_work_on": {
        state: {"canbo_vp"} if state in WORKING else set()
        for state in TaskStatus.values
    },
    "can_request_extension": {
        state: {"canbo_vp"} if state in OPEN else set() for state in TaskStatus.values
    },
    "can_decide": {
        state: MANAGERS if state == TaskStatus.SUBMITTED else set()
        for state in TaskStatus.values
    },
    "can_cancel": {
        state: MANAGERS if state in OPEN else set() for state in TaskStatus.values
    },
    "can_transfer": {
        state: MANAGERS if state in WORKING else set() for state in TaskStatus.values
    },
}
CASES = [
    (predicate, state, allowed)
    for predicate, by_state in MATRIX.items()
    for state, allowed in by_state.items()
]


@pytest.fixture
def office_task_in(make_task, people, workflow):
    made = {}

    def _get(state):
        if state not in made:
            task = make_task()
            if state == TaskStatus.IN_PROGRESS:
                services.task_start(actor=people.canbo_vp, task=task)
            elif state == TaskStatus.SUBMITTED:
                workflow.submit(task)
            elif state == TaskStatus.DONE:
                workflow.done(task)
            elif state == TaskStatus.CANCELLED:
                services.task_cancel(actor=people.lanhdao_vp, task=task, reason="R")
            made[state] = Task.objects.select_related("lead_unit").get(pk=task.pk)
        return made[state]

    return _get


@pytest.mark.parametrize(
    ("predicate", "state", "allowed"),
    CASES,
    ids=[f"{p}-{s}" for p, s, _ in CASES],
)
def test_permission_matrix(office_task_in, people, predicate, state, allowed):
    # given an office task assigned to canbo_vp, in this state
    task = office_task_in(state)
    # then exactly these people may do this to it
    check = getattr(permissions, predicate)
    assert {who for who in EVERYONE if check(getattr(people, who), task)} == allowed


ASSIGN = {
    "admin": {"city", "dong_anh", "vp", "co_loa", "tay_ho"},
    "bithu_da": {"dong_anh", "vp", "co_loa"},
    "lanhdao_vp": {"vp"},
    "bithu_th": {"tay_ho"},
}


@pytest.mark.parametrize("who", EVERYONE)
def test_only_leaders_assign_and_only_inside_their_subtree(tree, people, who):
    user = getattr(people, who)
    units = {"city", "dong_anh", "vp", "co_loa", "tay_ho"}
    allowed = {
        name for name in units if permissions.can_assign(user, getattr(tree, name))
    }
    assert allowed == ASSIGN.get(who, set())


def test_anonymous_may_do_nothing(office_task_in, tree):
    anonymous = AnonymousUser()
    for state in TaskStatus.values:
        task = office_task_in(state)
        for predicate in MATRIX:
            assert not getattr(permissions, predicate)(anonymous, task), predicate
    assert not permissions.can_assign(anonymous, tree.vp)


# --- agreement with visible_to -----------------------------------------------


@pytest.fixture
def everyone(people, tasks_by_unit):
    return [getattr(people, who) for who in [*EVERYONE, "bithu_tp"]]


def test_can_view_task_agrees_with_visible_to(everyone, tasks_by_unit):
    tasks = list(Task.objects.select_related("lead_unit"))
    assert len(tasks) == 7
    for user in everyone:
        seen = set(Task.objects.visible_to(user).values_list("pk", flat=True))
        for task in tasks:
            assert permissions.can_view_task(user, task) is (task.pk in seen), (
                user.username,
                task.lead_unit.code,
            )


@pytest.mark.parametrize(
    "predicate",
    ["can_manage", "can_work_on", "can_decide", "can_cancel", "can_transfer"],
)
def test_nobody_may_act_on_a_task_they_cannot_see(
    everyone, tasks_by_unit, people, workflow, predicate
):
    # given tasks in every state across the tree
    workflow.submit(tasks_by_unit.vp2, actor=people.canbo_vp2)
    services.task_start(actor=people.canbo_cl, task=tasks_by_unit.co_loa)
    tasks = list(Task.objects.select_related("lead_unit"))
    for user in everyone:
        seen = set(Task.objects.visible_to(user).values_list("pk", flat=True))
        for task in tasks:
            if getattr(permissions, predicate)(user, task):
                assert task.pk in seen, (user.username, task.lead_unit.code)


def test_managing_a_task_is_assigning_in_its_lead_unit(everyone, tasks_by_unit):
    for user in everyone:
        for task in Task.objects.select_related("lead_unit"):
            assert permissions.can_manage(user, task) is permissions.can_assign(
                user, task.lead_unit
            )


@pytest.mark.parametrize("who", ["thuongtruc", "vanphong_da"])
def test_reviewers_see_but_never_act(tasks_by_unit, people, workflow, who):
    workflow.submit(tasks_by_unit.vp)
    reviewer = getattr(people, who)
    seen = Task.objects.visible_to(reviewer).select_related("lead_unit")
    assert seen.exists()
    for task in seen:
        assert permissions.can_view_task(reviewer, task)
        for predicate in (
            "can_manage",
            "can_work_on",
            "can_decide",
            "can_cancel",
            "can_transfer",
            "can_request_extension",
        ):
            assert not getattr(permissions, predicate)(reviewer, task), predicate


def test_a_leader_cannot_decide_on_their_own_work(make_task, people, workflow):
    task = make_task(assignee=people.lanhdao_vp)
    workflow.submit(task, actor=people.lanhdao_vp)
    task = Task.objects.select_related("lead_unit").get(pk=task.pk)
    assert permissions.can_manage(people.lanhdao_vp, task)
    assert not permissions.can_decide(people.lanhdao_vp, task)
    assert permissions.can_decide(people.bithu_da, task)
