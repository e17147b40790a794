"""The Excel export: every table of the page, the same numbers, the filter
written on top, and no formula smuggled in through a task title."""

import datetime

import pytest
from django.urls import reverse

from tasks.exports import neutralise

from .conftest import DASHBOARD, EXPORT

DAY = datetime.timedelta(days=1)


@pytest.fixture
def some_tasks(tree, add_task, add_transfer, today):
    add_task(tree.vp, "overdue", title='=HYPERLINK("http://evil.example","bấm")')
    add_task(tree.vp, "done_on_time")
    add_task(tree.co_loa, "done_late", is_hard=True)
    moved = add_task(tree.co_loa, "overdue", title="Giải quyết đơn thư tồn đọng")
    add_transfer(moved, tree.vp, tree.dong_anh)
    add_transfer(moved, tree.dong_anh, tree.co_loa)
    add_task(tree.tay_ho, "overdue")


def cells(book, title):
    return [c for row in book[title].iter_rows() for c in row if c.value is not None]


def test_export_has_a_sheet_per_table_with_the_filter_on_top(
    client, people, tree, directive, some_tasks, read, today
):
    client.force_login(people.bithu_da)
    response = client.get(EXPORT, {"period": "year", "year": today.year})
    book = read.workbook(response)

    assert book.sheetnames == [
        "Tổng quan",
        "Đơn vị",
        "Diễn biến",
        "Quá hạn",
        "Việc khó",
        "Đùn đẩy",
        "Cá nhân",
    ]
    top = read.sheet_rows(book, "Đơn vị")[:6]
    text = " ".join(str(v) for row in top for v in row if v)
    assert "24-CT/TU" in text
    assert f"Năm {today.year}" in text
    assert "Huyện ủy Đông Anh" in text
    assert "Ngày xuất" in text and today.strftime("%d/%m/%Y") in text
    assert 'filename="bang-theo-doi-' in response["Content-Disposition"]


def test_a_formula_in_a_task_title_is_written_as_text(
    client, people, directive, some_tasks, read
):
    client.force_login(people.bithu_da)
    book = read.workbook(
        client.get(
            EXPORT,
            {"period": "custom", "date_from": "2000-01-01", "date_to": "2100-01-01"},
        )
    )

    titles = [c for c in cells(book, "Quá hạn") if "HYPERLINK" in str(c.value)]
    assert titles, "the overdue task is listed"
    for cell in titles:
        assert cell.data_type == "s"
        assert cell.value.startswith("'=HYPERLINK")


@pytest.mark.parametrize(
    ("text", "written"),
    [
        ("=1+1", "'=1+1"),
        ("+84 912", "'+84 912"),
        ("-5", "'-5"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\t=cmd", "'\t=cmd"),
        ("Bình thường", "Bình thường"),
        (12, 12),
    ],
)
def test_neutralise_prefixes_text_a_spreadsheet_would_run(text, written):
    assert neutralise(text) == written


def test_export_repeats_the_numbers_of_the_page(
    client, people, tree, directive, some_tasks, read, today
):
    # Given the page and its export for the same filter
    client.force_login(people.bithu_da)
    params = {
        "period": "custom",
        "date_from": (today - 100 * DAY).isoformat(),
        "date_to": (today + 100 * DAY).isoformat(),
    }
    page = client.get(DASHBOARD, params)
    book = read.workbook(client.get(EXPORT, params))
    overview = read.overview(page)

    # Then the overview's classes and rates are the same
    rows = read.sheet_rows(book, "Tổng quan")
    by_label = {row[0]: row for row in rows if row and row[0]}
    assert by_label["Quá hạn"][1] == int(overview["overdue"]) == 2
    assert by_label["Hoàn thành đúng hạn"][1] == int(overview["done_on_time"])
    assert by_label["Hoàn thành quá hạn"][1] == int(overview["done_late"])
    assert by_label["Tổng số nhiệm vụ của kỳ"][1] == int(overview["total"])

    # And the backlog, the hard tasks, buck-passing and people match too
    html = read.html(page)
    backlog = read.sheet_rows(book, "Quá hạn")
    assert backlog[6][1] == 2
    assert 'data-metric="backlog" data-value="2"' in html
    hard = {row[0]: row[1] for row in read.sheet_rows(book, "Việc khó")[6:9]}
    assert hard["Số việc khó của kỳ"] == 1
    assert 'data-metric="hard" data-value="1"' in html
    buck = read.sheet_rows(book, "Đùn đẩy")
    assert buck[6][1] == 1
    assert 'data-metric="buck" data-value="1"' in html
    path = [row[5] for row in buck[8:] if row[0] == "Giải quyết đơn thư tồn đọng"]
    assert path == ["Văn phòng Huyện ủy Đông Anh → Huyện ủy Đông Anh → UBND xã Cổ Loa"]
    people_rows = {row[0]: row[1:] for row in read.sheet_rows(book, "Cá nhân")[7:]}
    assert people_rows["Nguyễn Cán Bộ"] == (2, 1, 0, 1)
    assert people_rows["Vũ Cổ Loa"] == (2, 0, 1, 1)
    report = client.get(reverse("tasks:dashboard_people"), params)
    assert f'data-person="{people.canbo_vp.pk}"' in report.content.decode()
