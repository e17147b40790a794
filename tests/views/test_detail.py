"""The task page: who sees it, what it shows, and what it costs."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tasks import services
from tasks.choices import TransferKind

# The page's queries: session, user, the user's memberships (scope); the
# task with its people, units and timeliness; coordinating units, reports,
# their files, extensions, transfers; history rows, the coordinating units of
# every history row, then the users and the units the history names (one
# query per model); and the unread count of the bell in base.html.
DETAIL_QUERIES = 14


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")


def pdf(name="bao-cao.pdf"):
    return SimpleUploadedFile(name, b"%PDF-1.7\n% minh chung\n", "application/pdf")


def detail(task):
    return reverse("tasks:detail", args=[task.pk])


@pytest.mark.parametrize(
    "who",
    [
        "canbo_vp",  # the assignee
        "canbo_vp2",  # staff of the lead unit
        "lanhdao_vp",  # leader of the lead unit
        "bithu_da",  # leader of the unit above
        "vanphong_da",  # reviewer of the district
        "thuongtruc",  # reviewer of the city
        "admin",
    ],
)
def test_people_in_scope_see_the_task_page(client, people, make_task, who):
    task = make_task()
    client.force_login(getattr(people, who))
    response = client.get(detail(task))
    assert response.status_code == 200
    assert task.title in response.content.decode()


@pytest.mark.parametrize("who", ["canbo_cl", "bithu_th", "canbo_th"])
def test_people_out_of_scope_get_404_like_a_missing_task(
    client, people, make_task, who
):
    task = make_task()
    client.force_login(getattr(people, who))
    assert client.get(detail(task)).status_code == 404


def test_nonexistent_task_is_404(client, people):
    client.force_login(people.admin)
    assert client.get(reverse("tasks:detail", args=[999999])).status_code == 404


def test_anonymous_visitor_is_sent_to_sign_in(client, make_task):
    task = make_task()
    response = client.get(detail(task))
    assert response.status_code == 302
    assert reverse("login") in response["Location"]


def test_coordinating_unit_staff_see_the_task(client, people, tree, make_task):
    task = make_task(coordinating_units=[tree.co_loa])
    client.force_login(people.canbo_cl)
    html = client.get(detail(task)).content.decode()
    assert "UBND xã Cổ Loa" in html


def test_task_page_shows_the_five_clear_and_the_whole_record(
    client, people, tree, make_task
):
    # given a task with a report and a file, an approved extension, a
    # transfer and back, and a history
    task = make_task(
        accountable_leader=people.bithu_da,
        start_date=datetime.date(2026, 12, 1),
        deadline=datetime.date(2026, 12, 10),
    )
    services.task_report_progress(
        actor=people.canbo_vp,
        task=task,
        percent=40,
        note="Đã có dự thảo",
        files=[pdf("Dự thảo quy chế.pdf")],
    )
    ext = services.extension_request(
        actor=people.canbo_vp,
        task=task,
        new_deadline=datetime.date(2026, 12, 20),
        reason="Chờ ý kiến các ban",
    )
    services.extension_approve(actor=people.lanhdao_vp, extension=ext, note="Đồng ý")
    services.task_transfer(
        actor=people.bithu_da,
        task=task,
        to_unit=tree.co_loa,
        to_assignee=people.canbo_cl,
        reason="Xã nắm địa bàn",
    )
    # when a reviewer opens it
    client.force_login(people.thuongtruc)
    response = client.get(detail(task))
    html = response.content.decode()
    # then the five "rõ" are grouped and named
    for heading in (
        "Rõ người",
        "Rõ việc",
        "Rõ tiến độ",
        "Rõ kết quả",
        "Rõ trách nhiệm",
    ):
        assert heading in html
    assert "Quy chế sửa đổi được ban hành" in html  # expected result
    assert "Lê Bí Thư" in html  # accountable leader
    # status, timeliness, progress bar
    assert "badge st-assigned" in html
    assert 'class="badge tl-' in html
    assert '<progress id="task-progress" class="progress" value="40" max="100">' in html
    # the deadline history: original, the request, who decided, the one that counts
    assert "10/12/2026 → 20/12/2026" in html
    assert "Đã chấp thuận" in html
    assert "Quyết định: Hoàng Lãnh Đạo" in html
    assert "<strong>20/12/2026</strong>" in html
    # the report with its file, downloaded through the checked view
    assert "Đã có dự thảo" in html
    evidence = task.reports.get().files.get()
    assert reverse("tasks:evidence", args=[evidence.pk]) in html
    assert "Dự thảo quy chế.pdf" in html
    assert "/media" not in html
    # the path between units, with the reason
    assert (
        "Văn phòng Huyện ủy Đông Anh (Nguyễn Cán Bộ) → UBND xã Cổ Loa (Vũ Cổ Loa)"
        in html
    )
    assert "Xã nắm địa bàn" in html
    # and the history in plain Vietnamese
    assert "Hạn hoàn thành: 10/12/2026 → 20/12/2026" in html
    assert "Người thực hiện: Nguyễn Cán Bộ → Vũ Cổ Loa" in html
    assert "Lý do: Gia hạn đến 20/12/2026" in html


def test_overdue_task_says_how_many_days_overdue(client, people, make_task, today):
    task = make_task(
        start_date=today - datetime.timedelta(days=30),
        deadline=today - datetime.timedelta(days=3),
    )
    client.force_login(people.canbo_vp)
    html = client.get(detail(task)).content.decode()
    assert "quá hạn 3 ngày" in html
    assert "badge tl-overdue" in html


def test_pending_requests_are_announced_on_the_page(client, people, tree, make_task):
    task = make_task()
    services.extension_request(
        actor=people.canbo_vp,
        task=task,
        new_deadline=task.deadline + datetime.timedelta(days=5),
        reason="Chờ số liệu",
    )
    services.transfer_request(
        actor=people.canbo_vp,
        task=task,
        kind=TransferKind.TRANSFER,
        reason="Việc của xã",
        to_unit=tree.co_loa,
    )
    client.force_login(people.lanhdao_vp)
    html = client.get(detail(task)).content.decode()
    assert "Đang chờ quyết định: Nguyễn Cán Bộ đề nghị gia hạn đến" in html
    assert "đề nghị chuyển nhiệm vụ sang UBND xã Cổ Loa" in html
    assert reverse("tasks:extension_approve", args=[task.pk]) in html
    assert reverse("tasks:transfer_reject", args=[task.pk]) in html


# --- the cost of the page -----------------------------------------------------------


def grow(task, people, tree, n):
    """Add n of everything the page lists: reports with files, decided
    extensions, transfers there and back, coordinating units, history."""
    for i in range(n):
        services.task_report_progress(
            actor=people.canbo_vp,
            task=task,
            percent=10 + i,
            note=f"Báo cáo lần {i}",
            files=[pdf(f"Biên bản {i}.pdf"), pdf(f"Phụ lục {i}.pdf")],
        )
    for i in range(n):
        task.refresh_from_db()
        ext = services.extension_request(
            actor=people.canbo_vp,
            task=task,
            new_deadline=task.deadline + datetime.timedelta(days=1),
            reason=f"Lý do {i}",
        )
        if i % 2:
            services.extension_reject(
                actor=people.lanhdao_vp, extension=ext, note="Không"
            )
        else:
            services.extension_approve(actor=people.lanhdao_vp, extension=ext)
    for i in range(n):
        there = i % 2 == 0
        services.task_transfer(
            actor=people.bithu_da,
            task=task,
            to_unit=tree.co_loa if there else tree.vp,
            to_assignee=people.canbo_cl if there else people.canbo_vp,
            reason=f"Chuyển lần {i}",
        )
    services.task_update(
        actor=people.bithu_da,
        task=task,
        coordinating_units=[tree.co_loa] if n % 2 == 0 else [tree.tay_ho],
        description=f"Nội dung sửa lần {n}",
    )


def count_queries(client, task):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(detail(task))
    assert response.status_code == 200
    return len(ctx.captured_queries)


def test_task_page_query_count_is_pinned(client, people, tree, make_task):
    task = make_task(accountable_leader=people.bithu_da)
    grow(task, people, tree, 2)
    client.force_login(people.bithu_da)
    client.get(detail(task))  # warm the session
    assert count_queries(client, task) == DETAIL_QUERIES


def test_task_page_query_count_does_not_grow_with_the_record(
    client, people, tree, make_task
):
    # given a small task and a task with many more rows of every kind
    small = make_task(accountable_leader=people.bithu_da)
    grow(small, people, tree, 2)
    big = make_task(accountable_leader=people.bithu_da, title="Nhiệm vụ lớn")
    grow(big, people, tree, 8)
    assert big.reports.count() > 4 * small.reports.count() - 1
    assert big.history.count() > 2 * small.history.count()
    client.force_login(people.bithu_da)
    client.get(detail(small))
    # then both pages cost the same number of queries
    assert count_queries(client, big) == count_queries(client, small)
