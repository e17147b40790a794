"""Every admin changelist answers a superuser with a fixed number of
queries, whether it lists a few rows or many: no query per row."""

import datetime
import itertools
from types import SimpleNamespace

import pytest
from django.urls import reverse
from django.utils import timezone

from tasks.choices import AlertKind, ScanStatus, TransferKind
from tasks.models import Alert, ExtensionRequest, ProgressReport, ScanRun, Transfer
from tests.factories import (
    DirectiveFactory,
    DirectiveItemFactory,
    TaskFactory,
    UserFactory,
    add_member,
    make_unit,
)
from units.choices import Role

serial = itertools.count(1)


def add_units(world, count):
    for _ in range(count):
        n = next(serial)
        make_unit(f"Phòng số {n}", parent=world.tree.tay_ho, code=f"HN.TH.P{n}")


def add_users(world, count):
    for _ in range(count):
        n = next(serial)
        user = UserFactory(username=f"canbo{n}", full_name=f"Cán bộ {n}")
        add_member(user, world.tree.co_loa, Role.STAFF)


def add_directives(world, count):
    for _ in range(count):
        directive = DirectiveFactory(issuing_unit=world.tree.dong_anh)
        directive.parent = world.directive
        directive.save()


def add_directive_items(world, count):
    for _ in range(count):
        DirectiveItemFactory(directive=world.directive, number=f"{next(serial)}")


def add_tasks(world, count):
    """Tasks spread over several units and people, overdue to on track."""
    people, tree = world.people, world.tree
    pairs = [
        (tree.vp, people.canbo_vp),
        (tree.vp, people.canbo_vp2),
        (tree.co_loa, people.canbo_cl),
        (tree.tay_ho, people.canbo_th),
    ]
    today = timezone.localdate()
    tasks = []
    for i in range(count):
        unit, assignee = pairs[i % len(pairs)]
        tasks.append(
            TaskFactory(
                lead_unit=unit,
                assignee=assignee,
                accountable_leader=people.bithu_da,
                assigned_by=people.bithu_da,
                directive=world.directive,
                deadline=today + datetime.timedelta(days=i % 20 - 10),
            )
        )
    return tasks


def add_alerts(world, count):
    for task in add_tasks(world, count):
        Alert.objects.create(
            task=task,
            kind=AlertKind.OVERDUE,
            deadline=task.deadline,
            recipient=task.assignee,
        )


def add_memberships(world, count):
    for _ in range(count):
        user = UserFactory()
        add_member(user, world.tree.vp, Role.STAFF)


def add_reports(world, count):
    for task in add_tasks(world, count):
        ProgressReport.objects.create(task=task, author=task.assignee, percent=30)


def add_extensions(world, count):
    for task in add_tasks(world, count):
        ExtensionRequest.objects.create(
            task=task,
            requested_by=task.assignee,
            previous_deadline=task.deadline,
            new_deadline=task.deadline + datetime.timedelta(days=7),
            reason="Chờ ý kiến của sở",
        )


def add_transfers(world, count):
    for task in add_tasks(world, count):
        Transfer.objects.create(
            task=task,
            kind=TransferKind.TRANSFER,
            from_unit=task.lead_unit,
            to_unit=world.tree.tay_ho,
            from_assignee=task.assignee,
            to_assignee=world.people.canbo_th,
            requested_by=world.people.bithu_da,
            reason="Đúng chức năng của quận",
        )


def add_scan_runs(world, count):
    for _ in range(count):
        ScanRun.objects.create(
            job="tasks.scan_overdue", started_at=timezone.now(), status=ScanStatus.OK
        )


@pytest.fixture
def world(tree, people, directive):
    return SimpleNamespace(tree=tree, people=people, directive=directive)


@pytest.mark.parametrize(
    ("url_name", "add_rows", "expected_queries"),
    [
        pytest.param("admin:units_unit_changelist", add_units, 6, id="units"),
        pytest.param("admin:units_user_changelist", add_users, 5, id="users"),
        pytest.param(
            "admin:units_membership_changelist", add_memberships, 5, id="memberships"
        ),
        pytest.param(
            "admin:directives_directive_changelist", add_directives, 7, id="directives"
        ),
        pytest.param(
            "admin:directives_directiveitem_changelist",
            add_directive_items,
            4,
            id="directive-items",
        ),
        pytest.param("admin:tasks_task_changelist", add_tasks, 8, id="tasks"),
        pytest.param("admin:tasks_alert_changelist", add_alerts, 5, id="alerts"),
        pytest.param(
            "admin:tasks_progressreport_changelist", add_reports, 5, id="reports"
        ),
        pytest.param(
            "admin:tasks_extensionrequest_changelist",
            add_extensions,
            5,
            id="extensions",
        ),
        pytest.param(
            "admin:tasks_transfer_changelist", add_transfers, 5, id="transfers"
        ),
        pytest.param(
            "admin:tasks_scanrun_changelist", add_scan_runs, 6, id="scan-runs"
        ),
    ],
)
def test_changelist_costs_the_same_queries_for_3_rows_and_for_30(
    admin_site_client, world, queries_for, url_name, add_rows, expected_queries
):
    # given a few rows
    add_rows(world, 3)
    url = reverse(url_name)

    # when the superuser opens the list, then it costs a pinned number of queries
    queries, _response = queries_for(admin_site_client, url)
    assert queries == expected_queries

    # given ten times as many rows, then the same number, all rows on the page
    add_rows(world, 27)
    queries, response = queries_for(admin_site_client, url)
    assert queries == expected_queries
    assert len(response.context["cl"].result_list) >= 30
