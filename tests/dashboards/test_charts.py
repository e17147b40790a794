"""The charts are SVG drawn on the server: one bar per unit, one group per
month, colours from classes (the CSP allows no inline style or script)."""

import re

from .conftest import DASHBOARD

ALL_TIME = {"period": "custom", "date_from": "2000-01-01", "date_to": "2100-12-31"}


def test_unit_chart_has_one_bar_per_child_unit_with_its_classes(
    client, tree, people, directive, add_task, read
):
    # Given tasks in both districts, two classes in Đông Anh
    add_task(tree.vp, "overdue")
    add_task(tree.co_loa, "done_on_time")
    add_task(tree.tay_ho, "on_track")
    client.force_login(people.thuongtruc)

    # When the city's reviewer opens the dashboard
    page = read.html(client.get(DASHBOARD, ALL_TIME))

    # Then the unit chart has a bar for each district
    chart = page[page.index('class="chart unit-chart"') :]
    chart = chart[: chart.index("</svg>")]
    bars = re.findall(r'<g class="bar" data-unit="(\d+)">', chart)
    assert sorted(bars) == sorted([str(tree.dong_anh.pk), str(tree.tay_ho.pk)])
    # And Đông Anh's bar is split into its two classes, Tây Hồ's is whole
    da = chart[chart.index(f'data-unit="{tree.dong_anh.pk}"') :]
    da = da[: da.index("</g>")]
    assert re.findall(r'class="seg (tl-\w+)"', da) == ["tl-overdue", "tl-done_on_time"]
    th = chart[chart.index(f'data-unit="{tree.tay_ho.pk}"') :]
    th = th[: th.index("</g>")]
    assert re.findall(r'class="seg (tl-\w+)"', th) == ["tl-on_track"]
    # … and fills the whole track: 100% within deadline
    track = re.search(r'class="bar-track"[^>]* width="([\d.]+)"', th).group(1)
    segment = re.search(r'class="seg tl-on_track"[^>]* width="([\d.]+)"', th).group(1)
    assert float(segment) == float(track)


def test_trend_chart_has_twelve_months_and_the_table_beside(
    client, tree, people, directive, add_task, read
):
    add_task(tree.vp, "done_late")
    client.force_login(people.thuongtruc)
    page = read.html(client.get(DASHBOARD))

    chart = page[page.index('class="chart trend-chart"') :]
    chart = chart[: chart.index("</svg>")]
    assert len(re.findall(r'<g class="bar-group"', chart)) == 12
    assert page.count('<tr data-month="') == 12
    assert 'role="img"' in chart and "<title" in chart and "<desc" in chart


def test_page_has_no_inline_style_or_script(client, people, directive, read):
    client.force_login(people.thuongtruc)
    page = read.html(client.get(DASHBOARD))
    assert 'style="' not in page
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", page)
    assert "css/dashboards.css" in page


def test_print_view_keeps_the_numbers_and_drops_the_filters(
    client, people, directive, add_task, tree, read
):
    add_task(tree.vp, "overdue")
    client.force_login(people.thuongtruc)
    page = read.html(client.get(DASHBOARD, {**ALL_TIME, "print": "1"}))
    assert "print-layout" in page
    assert "dash-filters" not in page
    assert 'data-metric="overdue" data-value="1"' in page
