"""Which tasks a dashboard counts: the directive (with its plans), the
period; and what a bad parameter does (a message and the default, a 404 for
a unit that is not there — never a server error)."""

import datetime

import pytest
from django.conf import settings

from directives.choices import DirectiveKind, DirectiveStatus
from tasks.views.dashboards import Sort
from tests.factories import DirectiveFactory

from .conftest import DASHBOARD, EXPORT


def counts(read, response):
    return {k: int(v) for k, v in read.overview(response).items() if v.isdigit()}


@pytest.fixture
def march_and_april(tree, add_task):
    """Tasks due in March and April 2026 (in the past or the future,
    whatever today is)."""
    add_task(tree.vp, "done_on_time", deadline=datetime.date(2026, 3, 10))
    add_task(tree.vp, "done_late", deadline=datetime.date(2026, 3, 31))
    add_task(tree.co_loa, "done_on_time", deadline=datetime.date(2026, 4, 1))


@pytest.mark.parametrize(
    ("params", "expected_total"),
    [
        ({"period": "month", "year": 2026, "month": 3}, 2),
        ({"period": "month", "year": 2026, "month": 4}, 1),
        ({"period": "month", "year": 2026, "month": 5}, 0),
        ({"period": "quarter", "year": 2026, "quarter": 1}, 2),
        ({"period": "quarter", "year": 2026, "quarter": 2}, 1),
        ({"period": "year", "year": 2026}, 3),
        ({"period": "year", "year": 2025}, 0),
        (
            {"period": "custom", "date_from": "2026-03-31", "date_to": "2026-04-01"},
            2,
        ),
    ],
)
def test_period_counts_tasks_whose_deadline_falls_in_it(
    client, people, directive, march_and_april, read, params, expected_total
):
    client.force_login(people.thuongtruc)
    response = client.get(DASHBOARD, params)
    assert response.status_code == 200
    assert counts(read, response)["total"] == expected_total


def test_period_definition_is_written_on_the_page(client, people, directive, read):
    client.force_login(people.thuongtruc)
    page = read.html(
        client.get(DASHBOARD, {"period": "quarter", "year": 2026, "quarter": 2})
    )
    assert "Quý II/2026" in page
    assert "01/04/2026" in page and "30/06/2026" in page
    assert "hạn đang áp dụng" in page
    assert "Tỷ lệ hoàn thành đúng hạn" in page and "Tỷ lệ hoàn thành" in page


def test_directive_counts_its_plans_and_not_other_documents(
    client, tree, people, directive, add_task, read
):
    # Given a district plan that carries out the directive, and another directive
    plan = DirectiveFactory(
        number="KH-DA",
        kind=DirectiveKind.PLAN,
        parent=directive,
        issuing_unit=tree.dong_anh,
    )
    other = DirectiveFactory(number="99-CT/TU", issuing_unit=tree.city)
    day = datetime.date(2026, 6, 1)
    add_task(tree.vp, "done_on_time", deadline=day)
    add_task(tree.vp, "done_on_time", deadline=day, directive=plan)
    add_task(tree.vp, "done_on_time", deadline=day, directive=other)
    client.force_login(people.thuongtruc)
    year = {"period": "year", "year": 2026}

    # Then the directive counts its own task and its plan's
    assert (
        counts(read, client.get(DASHBOARD, {**year, "directive": directive.pk}))[
            "total"
        ]
        == 2
    )
    # And the plan alone counts its own
    assert (
        counts(read, client.get(DASHBOARD, {**year, "directive": plan.pk}))["total"]
        == 1
    )
    # And the other directive only its own
    assert (
        counts(read, client.get(DASHBOARD, {**year, "directive": other.pk}))["total"]
        == 1
    )


def test_default_directive_is_the_newest_in_force_not_a_plan_or_a_closed_one(
    client, tree, people, directive, read
):
    DirectiveFactory(
        number="KH-MOI",
        kind=DirectiveKind.PLAN,
        parent=directive,
        issuing_unit=tree.dong_anh,
        issue_date=datetime.date(2026, 1, 1),
    )
    DirectiveFactory(
        number="01-CT/TU",
        issuing_unit=tree.city,
        issue_date=datetime.date(2026, 2, 1),
        status=DirectiveStatus.CLOSED,
    )
    client.force_login(people.thuongtruc)
    page = read.html(client.get(DASHBOARD))
    assert '<p class="dash-subject">' in page
    subject = page[page.index('<p class="dash-subject">') :][:200]
    assert "24-CT/TU" in subject


BAD = [
    ({"unit": "abc"}, "Mã đơn vị không hợp lệ."),
    ({"directive": "999999"}, "Không tìm thấy văn bản chỉ đạo số 999999"),
    ({"directive": "abc"}, "Mã văn bản chỉ đạo không hợp lệ."),
    ({"period": "month", "month": "13"}, "Tháng phải là một số từ 1 đến 12."),
    ({"period": "month", "month": "0"}, "Tháng phải là một số từ 1 đến 12."),
    ({"period": "quarter", "quarter": "5"}, "Quý phải là một số từ 1 đến 4."),
    ({"period": "year", "year": "99999"}, "Năm phải từ 2000 đến 2100."),
    ({"period": "weekly"}, "Loại kỳ “weekly” không có."),
    (
        {"period": "custom", "date_from": "2026-05-01", "date_to": "2026-04-01"},
        "“Từ ngày” phải trước hoặc bằng “Đến ngày”.",
    ),
    ({"period": "custom", "date_from": "31/02/2026"}, "“Từ ngày” không phải một ngày."),
    ({"period": "custom"}, "Kỳ tùy chọn cần cả “Từ ngày” và “Đến ngày”."),
    ({"sort": "evil"}, "Không sắp xếp được theo “evil”."),
]


@pytest.mark.parametrize("url", [DASHBOARD, EXPORT], ids=["page", "export"])
@pytest.mark.parametrize(("params", "message"), BAD)
def test_a_bad_parameter_is_reported_and_its_default_used(
    client, people, directive, read, url, params, message
):
    client.force_login(people.thuongtruc)
    response = client.get(url, params)
    assert response.status_code == 200
    if url == DASHBOARD:
        page = read.html(response)
        assert "Một số tham số không hợp lệ" in page
        assert message.replace("“", "&ldquo;")[:10] in page or message in page


def test_bad_dates_fall_back_to_this_year(client, people, directive, read, today):
    client.force_login(people.thuongtruc)
    page = read.html(
        client.get(
            DASHBOARD,
            {"period": "custom", "date_from": "2026-05-01", "date_to": "2026-04-01"},
        )
    )
    assert f"Năm {today.year}" in page


def test_a_13th_month_shows_this_year_month_instead(
    client, people, directive, read, today
):
    client.force_login(people.thuongtruc)
    page = read.html(client.get(DASHBOARD, {"period": "month", "month": "13"}))
    assert f"Tháng {today.month:02d}/{today.year}" in page


@pytest.mark.parametrize("unit", ["999999", "0"])
def test_a_unit_that_does_not_exist_is_a_404_or_a_message(
    client, people, directive, unit
):
    client.force_login(people.thuongtruc)
    response = client.get(DASHBOARD, {"unit": unit})
    assert response.status_code in (200, 404)
    assert response.status_code == (404 if unit == "999999" else 200)


def test_without_any_directive_the_page_says_so(client, people, tree):
    client.force_login(people.thuongtruc)
    response = client.get(DASHBOARD)
    assert response.status_code == 200
    assert "Chưa có văn bản chỉ đạo nào" in response.content.decode()
    assert client.get(EXPORT).status_code == 200


def test_sorting_by_a_column_orders_the_units(
    client, tree, people, directive, add_task, read
):
    add_task(tree.tay_ho, "overdue")
    add_task(tree.tay_ho, "overdue")
    add_task(tree.vp, "overdue")
    client.force_login(people.thuongtruc)
    params = {"period": "custom", "date_from": "2000-01-01", "date_to": "2100-01-01"}
    desc = read.html(
        client.get(DASHBOARD, {**params, "sort": "overdue", "order": "desc"})
    )
    asc = read.html(
        client.get(DASHBOARD, {**params, "sort": "overdue", "order": "asc"})
    )
    first = f'data-unit="{tree.tay_ho.pk}"'
    second = f'data-unit="{tree.dong_anh.pk}"'
    assert desc.index(first) < desc.index(second)
    assert asc.index(second) < asc.index(first)


def test_the_unit_table_offers_sorting_only_where_there_are_units_under(
    client, tree, people, directive, add_task, read
):
    add_task(tree.vp, "overdue")
    client.force_login(people.thuongtruc)
    params = {"period": "custom", "date_from": "2000-01-01", "date_to": "2100-01-01"}

    district = read.html(client.get(DASHBOARD, {**params, "unit": tree.dong_anh.pk}))
    leaf = read.html(client.get(DASHBOARD, {**params, "unit": tree.vp.pk}))

    assert district.count('class="sort-link"') == len(Sort.choices)
    assert 'aria-sort="ascending"' in district
    # The office has no units under it: its table's headers are plain text,
    # and its own row and total are still there.
    assert 'class="sort-link"' not in leaf and "aria-sort" not in leaf
    assert '<th scope="col" class="num">Tổng số</th>' in leaf
    assert 'data-unit="total"' in leaf


@pytest.mark.parametrize("url", [DASHBOARD, EXPORT], ids=["page", "export"])
def test_dashboard_and_export_work_in_english_too(
    client, tree, people, directive, add_task, url
):
    add_task(tree.vp, "overdue")
    client.force_login(people.thuongtruc)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = client.get(url, {"period": "quarter", "quarter": "2"})
    assert response.status_code == 200
    if url == DASHBOARD:
        assert '<html lang="en">' in response.content.decode()


def test_the_overview_and_the_unit_table_speak_english(
    client, tree, people, directive, add_task, read
):
    # Built in Python (tasks/dashboard_html.py): its words are the
    # catalogue's too.
    add_task(tree.vp, "overdue")
    add_task(tree.vp, "done_on_time")
    client.force_login(people.thuongtruc)
    params = {"period": "custom", "date_from": "2000-01-01", "date_to": "2100-01-01"}

    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"  # the switch's cookie
    page = read.html(client.get(DASHBOARD, params))

    for words in ("target 100%", "tasks due", "overdue, unfinished", "Total — "):
        assert words in page
    for words in ("mục tiêu", "nhiệm vụ đã đến hạn", "Cộng"):
        assert words not in page
