"""A dashboard costs the same number of queries whatever the data: no query
per unit, per person or per task.

Counted in the request's thread: inside the test's transaction the side
reads (config.side_reads) run there too. Outside one, the lists and the
panels run on a second connection, the same statements
(test_side_reads.py counts both connections)."""

import datetime

import pytest
from django.urls import reverse

from tasks import calendar
from tasks.choices import ExtensionStatus, TransferKind

from .conftest import DASHBOARD, EXPORT

DAY = datetime.timedelta(days=1)

# session, user, the user's memberships (scope), directives, the units
# around the node (breadcrumb and children), the reorganisations whose
# records roll up into successors (a period that runs to today), then the
# selector: the counts
# per child (from the dashboard cells, tasks extended and moved included),
# the monthly trend and backlog size (one UNION), the overdue backlog, hard
# tasks, flagged buck-passing and their hops; and the bell's unread count.
# … then the panels other apps add (tasks.dashboard_panels): hard-task
# quotas (1 here, with no registration period yet), the month's scoring
# round (1); the buck-passing flags load after the page (0).
PANEL_QUERIES = 1 + 1
REVIEWER_QUERIES = 13 + PANEL_QUERIES
# … and the node itself, asked for by ?unit=.
WITH_UNIT = REVIEWER_QUERIES + 1
# A leader's page costs the same: the people are a report loaded after it.
LEADER_QUERIES = WITH_UNIT
# The export: no bell, no panels, and the people (records, then names).
EXPORT_QUERIES = LEADER_QUERIES - 1 - PANEL_QUERIES + 2
# The people report: session, user, memberships, directives, the node, the
# units around it, the reorganisations, the records, the names, the bell
# (not in the htmx fragment, which has no layout).
PEOPLE_QUERIES = 10
PEOPLE = reverse("tasks:dashboard_people")


@pytest.fixture
def workload(tree, add_task, add_extension, add_transfer, today):
    """``workload(n)``: n tasks in each state in each unit, every third one
    extended, every fourth moved twice (flagged as possible buck-passing)."""

    def _make(n):
        made = 0
        for unit in (tree.city, tree.dong_anh, tree.vp, tree.co_loa, tree.tay_ho):
            for state in (
                "on_track",
                "overdue",
                "done_on_time",
                "done_late",
                "waiting",
            ):
                for i in range(n):
                    task = add_task(unit, state, is_hard=i % 2 == 0)
                    made += 1
                    if made % 3 == 0:
                        add_extension(task, ExtensionStatus.APPROVED)
                    if made % 4 == 0:
                        add_transfer(task, tree.vp, tree.co_loa)
                        add_transfer(task, tree.co_loa, unit, TransferKind.TRANSFER)

    return _make


def warm(client, url, params):
    """Load the admins' holiday table before measuring, so that the
    measured request never pays for reading it, whatever ran before."""
    calendar.clear_cache()
    client.get(url, params)


PERIOD = {"period": "custom", "date_from": "2000-01-01", "date_to": "2100-12-31"}


@pytest.mark.parametrize(
    ("who", "unit", "expected"),
    [
        ("thuongtruc", None, REVIEWER_QUERIES),
        ("thuongtruc", "dong_anh", WITH_UNIT),
        ("bithu_da", "dong_anh", LEADER_QUERIES),
    ],
)
def test_dashboard_query_count_is_fixed_and_does_not_grow_with_rows(
    client,
    tree,
    people,
    directive,
    workload,
    django_assert_num_queries,
    who,
    unit,
    expected,
):
    client.force_login(getattr(people, who))
    params = dict(PERIOD, **({"unit": getattr(tree, unit).pk} if unit else {}))

    # Given a few tasks
    workload(1)
    warm(client, DASHBOARD, params)
    with django_assert_num_queries(expected):
        assert client.get(DASHBOARD, params).status_code == 200

    # And ten times as many, across the same units
    workload(10)
    warm(client, DASHBOARD, params)
    with django_assert_num_queries(expected):
        assert client.get(DASHBOARD, params).status_code == 200


def test_export_query_count_is_fixed(
    client, tree, people, directive, workload, django_assert_num_queries
):
    client.force_login(people.bithu_da)
    params = dict(PERIOD, unit=tree.dong_anh.pk)
    workload(1)
    warm(client, EXPORT, params)
    with django_assert_num_queries(EXPORT_QUERIES):
        assert client.get(EXPORT, params).status_code == 200
    workload(8)
    warm(client, EXPORT, params)
    with django_assert_num_queries(EXPORT_QUERIES):
        assert client.get(EXPORT, params).status_code == 200


@pytest.mark.parametrize("htmx", [False, True])
def test_people_report_query_count_is_fixed(
    client, tree, people, directive, workload, django_assert_num_queries, htmx
):
    client.force_login(people.bithu_da)
    params = dict(PERIOD, unit=tree.dong_anh.pk)
    headers = {"HX-Request": "true"} if htmx else {}
    expected = PEOPLE_QUERIES - 1 if htmx else PEOPLE_QUERIES
    workload(1)
    warm(client, PEOPLE, params)
    with django_assert_num_queries(expected):
        assert client.get(PEOPLE, params, headers=headers).status_code == 200
    workload(8)
    warm(client, PEOPLE, params)
    with django_assert_num_queries(expected):
        assert client.get(PEOPLE, params, headers=headers).status_code == 200
