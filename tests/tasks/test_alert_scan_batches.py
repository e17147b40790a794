"""How the ladder scan cuts its work on PostgreSQL: one INSERT … SELECT
for all the steps per range of task ids, each range holding a bounded
number of tasks to alert, and no statement spent on ids with none."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tasks import alerts
from tasks.choices import AlertKind
from tasks.models import Alert, LadderStep

pytestmark = pytest.mark.usefixtures("send_enqueues")


@pytest.fixture
def ladder(db):
    alerts.install_default_ladder()


@pytest.fixture
def overdue_only(ladder):
    LadderStep.objects.exclude(kind=AlertKind.OVERDUE).update(is_active=False)


def ledger_writes(queries):
    return [
        q["sql"]
        for q in queries
        if "INSERT INTO tasks_alert" in q["sql"] and "ON CONFLICT" in q["sql"]
    ]


def scan_capturing(**kwargs):
    with CaptureQueriesContext(connection) as ctx:
        run = alerts.alerts_scan_overdue(**kwargs)
    return run, ledger_writes(ctx.captured_queries)


@pytest.mark.usefixtures("overdue_only")
def test_a_range_holds_at_most_a_batch_of_tasks(overdue_task):
    # given ten overdue tasks with consecutive ids
    for days in range(1, 11):
        overdue_task(days=days)

    # when the scan runs with batches of four tasks
    run, writes = scan_capturing(batch_size=4)

    # then it writes three ranges (4 + 4 + 2) and alerts every task once
    assert run.created_count == 20
    assert len(writes) == 3
    assert alerts.alerts_scan_overdue(batch_size=4).created_count == 0


@pytest.mark.usefixtures("overdue_only")
def test_ids_with_no_task_to_alert_cost_no_statement(
    overdue_task, make_task, today, settings
):
    # given three overdue tasks, ten tasks due next year, three more overdue
    # tasks (ids in that order), and ranges of at most four ids
    first = [overdue_task(days=d) for d in (1, 2, 3)]
    for _ in range(10):
        make_task(deadline=today + datetime.timedelta(days=365))
    last = [overdue_task(days=d) for d in (4, 5, 6)]
    assert last[0].pk - first[0].pk == 13

    # when the scan runs
    settings.TRACKER_ALERT_SCAN_ID_RANGE = 4
    run, writes = scan_capturing()

    # then the ten ids between the two groups cost nothing: two ranges, not
    # the four that cover sixteen ids four at a time
    assert len(writes) == 2
    assert run.created_count == 12


@pytest.mark.usefixtures("ladder")
def test_all_the_steps_of_a_range_are_written_by_one_statement(make_task):
    # given tasks at every step of the default ladder on Friday 20 March 2026
    d = datetime.date
    for deadline in (d(2026, 3, 24), d(2026, 3, 19), d(2026, 3, 16), d(2026, 3, 6)):
        made = make_task(start_date=d(2026, 2, 23), deadline=deadline)
        Alert.objects.filter(task=made).delete()

    # when the scan runs that day
    run, writes = scan_capturing(today=d(2026, 3, 20))

    # then one statement writes due soon, overdue and both escalations
    assert len(writes) == 1
    kinds = set(Alert.objects.filter(step__isnull=False).values_list("kind", "step"))
    assert {k for k, _ in kinds} == {"due_soon", "overdue", "escalation"}
    assert len({s for _, s in kinds}) == 4
    assert run.created_count == Alert.objects.filter(step__isnull=False).count()
