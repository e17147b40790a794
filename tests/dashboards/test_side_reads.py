"""The dashboard reads its three lists and the other apps' panels on a second
connection while it counts and renders (``config.side_reads``). The page
must not be able to tell: the same HTML in both languages, the same
statements in all, an error still an error, links still under the site's
address, and a page inside a transaction still reading what it wrote.

These tests commit (``transaction=True``): the side connection cannot see
what an open test transaction wrote, so the other dashboard tests, which
run inside one, read everything in the request thread.
"""

import re
import threading
import time

import pytest
from django.conf import settings
from django.db import connection, connections, transaction
from django.test.utils import CaptureQueriesContext, override_settings
from django.urls import reverse, set_script_prefix
from django.utils import translation

from config import side_reads
from tasks import selectors
from units.sql import fetch_rows

from .conftest import DASHBOARD, EXPORT

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="side reads run on PostgreSQL only"
    ),
]

PERIOD = {"period": "custom", "date_from": "2000-01-01", "date_to": "2100-12-31"}


def _same_parts(html: str) -> str:
    """The page less what differs from one response to the next anyway: the
    masked CSRF token, the CSP nonce and the minute it was printed."""
    html = re.sub(r'(csrfmiddlewaretoken" value=")[^"]+', r"\1", html)
    html = re.sub(r'("X-CSRFToken": ")[^"]+', r"\1", html)
    html = re.sub(r'nonce="[^"]+"', "", html)
    return re.sub(r"\d\d:\d\d \d\d/\d\d/\d{4}", "", html)


def _page(client, params, *, side_reads_on: bool, language="vi"):
    # The language switch's cookie (the browser's Accept-Language is not
    # followed: units.middleware).
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    with override_settings(TRACKER_SIDE_READS=side_reads_on):
        response = client.get(DASHBOARD, params)
    assert response.status_code == 200
    assert f'<html lang="{language}">' in response.content.decode()
    return response


@pytest.fixture
def side_jobs(monkeypatch):
    """What ran on the side: (function, statements, in another thread)."""
    jobs = []
    real_run = side_reads._run

    def run(state, fn, args, kwargs):
        with CaptureQueriesContext(connections["default"]) as captured:
            result = real_run(state, fn, args, kwargs)
        elsewhere = threading.current_thread() is not threading.main_thread()
        jobs.append((fn.__name__, len(captured), elsewhere))
        return result

    monkeypatch.setattr(side_reads, "_run", run)
    return jobs


@pytest.mark.parametrize(
    ("who", "unit", "language"),
    [
        ("thuongtruc", None, "vi"),
        ("bithu_da", "dong_anh", "vi"),
        ("vanphong_da", "dong_anh", "en"),
        ("thuongtruc", "vp", "en"),
    ],
)
def test_the_page_is_the_same_with_the_lists_read_on_the_side(
    client, tree, people, random_tasks, side_jobs, who, unit, language
):
    client.force_login(getattr(people, who))
    params = dict(PERIOD, **({"unit": getattr(tree, unit).pk} if unit else {}))

    alone = _page(client, params, side_reads_on=False, language=language)
    assert side_jobs == []
    beside = _page(client, params, side_reads_on=True, language=language)

    # The unit table with the trend, the three lists and the panels ran in
    # other threads...
    ran = sorted(name for name, _n, elsewhere in side_jobs if elsewhere)
    assert ran == [
        "backlog_tasks",
        "buck_passing",
        "hard_tasks",
        "panels_for",
        "table_and_trend",
    ]
    # ... and the page shows the same, lists included (the random tasks
    # put lines in each of them).
    assert _same_parts(beside.content.decode()) == _same_parts(alone.content.decode())
    data = beside.context["data"]
    assert data.backlog.lines and data.hard.lines and data.buck.lines
    assert data.backlog == alone.context["data"].backlog
    assert data.buck == alone.context["data"].buck


def test_the_export_is_the_same_with_the_lists_read_on_the_side(
    client, tree, people, random_tasks, read, side_jobs
):
    client.force_login(people.bithu_da)
    params = dict(PERIOD, unit=tree.dong_anh.pk)
    books = []
    for on in (False, True):
        with override_settings(TRACKER_SIDE_READS=on):
            response = client.get(EXPORT, params)
        assert response.status_code == 200
        book = read.workbook(response)
        sheets = {title: read.sheet_rows(book, title) for title in book.sheetnames}
        # Less the minute each was written.
        stamped = [
            row for rows in sheets.values() for row in rows if row[0] == "Ngày xuất"
        ]
        assert stamped
        books.append(
            {
                title: [row for row in rows if row not in stamped]
                for title, rows in sheets.items()
            }
        )
    assert {name for name, _n, elsewhere in side_jobs if elsewhere} == {
        "table_and_trend",
        "backlog_tasks",
        "hard_tasks",
        "buck_passing",
    }
    alone, beside = books
    assert beside == alone
    # Every list has rows below its header (else the comparison proves little).
    assert all(len(rows) > 3 for rows in beside.values())


def test_the_same_statements_run_split_between_the_connections(
    client, tree, people, random_tasks, side_jobs
):
    client.force_login(people.thuongtruc)
    params = dict(PERIOD, unit=tree.dong_anh.pk)
    _page(client, params, side_reads_on=True)  # warm the holiday table
    side_jobs.clear()

    with CaptureQueriesContext(connection) as alone:
        _page(client, params, side_reads_on=False)
    with CaptureQueriesContext(connection) as here:
        _page(client, params, side_reads_on=True)

    on_the_side = sum(n for _name, n, _elsewhere in side_jobs)
    # The unit table 1 and the trend 1, backlog 1, hard tasks 1,
    # buck-passing 2 (the flags, then the hops of those shown), the panels
    # 2: all moved, none added.
    assert on_the_side == 8
    assert len(here) + on_the_side == len(alone)


def test_an_error_in_a_side_read_is_the_page_error(
    client, tree, people, random_tasks, monkeypatch
):
    client.force_login(people.thuongtruc)

    def broken(*args, **kwargs):
        raise RuntimeError("hard tasks unreadable")

    monkeypatch.setattr(selectors, "hard_tasks", broken)
    # Not an empty list on a page that looks complete, and not a page that
    # hangs: the error, as if it had happened in the request's thread.
    with pytest.raises(RuntimeError, match="hard tasks unreadable"):
        client.get(DASHBOARD, PERIOD)

    monkeypatch.undo()
    assert client.get(DASHBOARD, PERIOD).status_code == 200


def test_links_read_on_the_side_keep_the_sites_address(client, tree, people, add_task):
    """A site served under a path (SCRIPT_NAME): the task links of the lists,
    made in the side thread, carry it like every other link."""
    overdue = add_task(tree.vp, "overdue", is_hard=True)
    plain = reverse("tasks:detail", args=[overdue.pk])
    mine = reverse("tasks:mine")
    client.force_login(people.thuongtruc)
    # What Django's WSGI handler does with SCRIPT_NAME (the test client
    # does not).
    set_script_prefix("/theodoi/")
    try:
        response = client.get(DASHBOARD, PERIOD)
        html = response.content.decode()
    finally:
        set_script_prefix("/")
    assert response.status_code == 200
    # As the menu made in the request's thread...
    assert f'href="/theodoi{mine}"' in html
    # ... the task's links in the overdue list and in the hard tasks.
    assert html.count(f'href="/theodoi{plain}"') == 2
    assert f'href="{plain}"' not in html


def test_a_page_inside_a_transaction_reads_what_the_transaction_wrote(
    client, tree, people, add_task
):
    """Under ``ATOMIC_REQUESTS`` (or any open transaction), another
    connection would not see the transaction's own writes: the lists are
    then read in the request's thread."""
    client.force_login(people.thuongtruc)
    with transaction.atomic():
        overdue = add_task(tree.vp, "overdue", title="Việc chưa lưu hẳn")
        assert not side_reads.enabled()
        response = client.get(DASHBOARD, PERIOD)
        lines = response.context["data"].backlog.lines
        assert [line.pk for line in lines] == [overdue.pk]
        transaction.set_rollback(True)


def test_shutdown_closes_the_side_connections(client, tree, people):
    """The test database is dropped at the end of the run, which PostgreSQL
    refuses while a connection is open: the side threads' are closed."""
    client.force_login(people.thuongtruc)
    assert client.get(DASHBOARD, PERIOD).status_code == 200
    pid = side_reads.run_aside(
        lambda: fetch_rows("SELECT pg_backend_pid()")[0][0]
    ).result()
    assert pid != fetch_rows("SELECT pg_backend_pid()")[0][0]

    def open_backends():
        return {row[0] for row in fetch_rows("SELECT pid FROM pg_stat_activity")}

    assert pid in open_backends()
    side_reads.shutdown()
    # The server ends the backend once the client has closed: soon, not at
    # once.
    deadline = time.monotonic() + 10
    while pid in open_backends() and time.monotonic() < deadline:
        time.sleep(0.05)
    assert pid not in open_backends()
    # And the next page starts a new pool.
    assert client.get(DASHBOARD, PERIOD).status_code == 200


def test_a_side_connection_the_server_dropped_is_replaced(
    client, tree, people, add_task
):
    """A kept side connection the server has since closed (a restart, an
    idle timeout): the page reads its lists again on a new connection
    rather than fail."""
    overdue = add_task(tree.vp, "overdue", is_hard=True)
    client.force_login(people.thuongtruc)
    assert client.get(DASHBOARD, PERIOD).status_code == 200
    # A new pool: its first thread runs this job and keeps the connection.
    side_reads.shutdown()
    pid = side_reads.run_aside(
        lambda: fetch_rows("SELECT pg_backend_pid()")[0][0]
    ).result()
    fetch_rows("SELECT pg_terminate_backend(%s)", [pid])

    response = client.get(DASHBOARD, PERIOD)

    assert response.status_code == 200
    data = response.context["data"]
    assert [line.pk for line in data.backlog.lines] == [overdue.pk]
    assert [line.pk for line in data.hard.lines] == [overdue.pk]


def test_side_reads_follow_the_callers_language():
    with translation.override("en"):
        assert side_reads.run_aside(translation.get_language).result() == "en"
    with translation.override("vi"):
        assert side_reads.run_aside(translation.get_language).result() == "vi"
