"""Who may read the dashboards, and for which part of the tree.

Reviewers and leaders read the dashboards of their own subtree; a unit
outside it is a 404, as if it did not exist; staff without either role get
a 403; superusers read every unit. Everything is read-only."""

import pytest
from django.urls import reverse

from .conftest import DASHBOARD, EXPORT

OK, FORBIDDEN, NOT_FOUND = 200, 403, 404
ALL_TIME = {"period": "custom", "date_from": "2000-01-01", "date_to": "2100-12-31"}

# (who, unit asked for — None for the default, expected answer)
MATRIX = [
    ("thuongtruc", None, OK),
    ("thuongtruc", "dong_anh", OK),
    ("thuongtruc", "tay_ho", OK),
    ("vanphong_da", None, OK),
    ("vanphong_da", "vp", OK),
    ("vanphong_da", "city", NOT_FOUND),
    ("vanphong_da", "tay_ho", NOT_FOUND),
    ("bithu_da", None, OK),
    ("bithu_da", "co_loa", OK),
    ("bithu_da", "tay_ho", NOT_FOUND),
    ("lanhdao_vp", None, OK),
    ("lanhdao_vp", "dong_anh", NOT_FOUND),
    ("bithu_th", "dong_anh", NOT_FOUND),
    ("canbo_vp", None, FORBIDDEN),
    ("canbo_vp", "vp", FORBIDDEN),
    ("canbo_th", None, FORBIDDEN),
    ("admin", None, OK),
    ("admin", "tay_ho", OK),
    ("admin", "co_loa", OK),
]


@pytest.mark.parametrize("url", [DASHBOARD, EXPORT], ids=["page", "export"])
@pytest.mark.parametrize(("who", "unit", "expected"), MATRIX)
def test_dashboard_answers_each_role_for_each_part_of_the_tree(
    client, tree, people, directive, url, who, unit, expected
):
    # Given a signed-in user
    client.force_login(getattr(people, who))
    params = {"unit": getattr(tree, unit).pk} if unit else {}

    # When they open the dashboard (or its export) for that unit
    response = client.get(url, params)

    # Then they get the page, a 403 or a 404
    assert response.status_code == expected


@pytest.mark.parametrize("url", [DASHBOARD, EXPORT], ids=["page", "export"])
def test_signed_out_visitors_are_sent_to_sign_in(client, directive, url):
    response = client.get(url)
    assert response.status_code == 302
    assert "/login" in response["Location"] or "dang-nhap" in response["Location"]


@pytest.mark.parametrize("url", [DASHBOARD, EXPORT], ids=["page", "export"])
@pytest.mark.parametrize("who", ["thuongtruc", "bithu_da", "admin"])
def test_dashboards_are_read_only(client, people, directive, url, who):
    client.force_login(getattr(people, who))
    assert client.post(url, {"unit": 1}).status_code == 405


PEOPLE = reverse("tasks:dashboard_people")


def test_a_district_reviewer_starts_at_the_district_and_sees_only_its_units(
    client, tree, people, directive, add_task, read
):
    # Given tasks in Đông Anh's units and in Tây Hồ
    add_task(tree.vp, "overdue")
    add_task(tree.co_loa, "overdue")
    add_task(tree.tay_ho, "overdue")
    client.force_login(people.vanphong_da)

    # When the district's reviewer opens the dashboard
    response = client.get(DASHBOARD, ALL_TIME)

    # Then it shows Đông Anh and its two units, and counts only their tasks
    page = read.html(response)
    assert "Huyện ủy Đông Anh" in page
    assert set(read.unit_rows(response)) == {
        str(tree.vp.pk),
        str(tree.co_loa.pk),
        "total",
    }
    assert read.overview(response)["overdue"] == "2"
    assert "Quận ủy Tây Hồ" not in page


def test_a_unit_unknown_to_everyone_is_a_404(client, people, directive):
    client.force_login(people.admin)
    assert client.get(DASHBOARD, {"unit": 987654}).status_code == 404


def test_people_section_is_shown_to_leaders_only(
    client, tree, people, directive, add_task
):
    # Given tasks of two people of Đông Anh and one of Tây Hồ
    add_task(tree.vp, "overdue")
    add_task(tree.co_loa, "done_late")
    add_task(tree.tay_ho, "overdue")

    # When Đông Anh's leader opens the dashboard, it offers the people's
    # report, loaded after the page (and a link to it without JavaScript)
    client.force_login(people.bithu_da)
    page = client.get(DASHBOARD, ALL_TIME).content.decode()
    assert 'id="h-people"' in page
    assert f'hx-get="{PEOPLE}?' in page

    # Then the report lists the people of Đông Anh's units, nobody from Tây Hồ
    for headers in ({}, {"HX-Request": "true"}):
        report = client.get(PEOPLE, ALL_TIME, headers=headers).content.decode()
        assert f'data-person="{people.canbo_vp.pk}"' in report
        assert f'data-person="{people.canbo_cl.pk}"' in report
        assert f'data-person="{people.canbo_th.pk}"' not in report
    # (the fragment for htmx is the section alone, the page has the layout)
    assert (
        "<html"
        not in client.get(
            PEOPLE, ALL_TIME, headers={"HX-Request": "true"}
        ).content.decode()
    )

    # And the district's reviewer, who is not a leader, gets neither
    client.force_login(people.vanphong_da)
    page = client.get(DASHBOARD).content.decode()
    assert 'id="h-people"' not in page
    assert client.get(PEOPLE).status_code == 403


def test_people_are_left_out_of_a_reviewers_export(client, people, directive, read):
    client.force_login(people.vanphong_da)
    book = read.workbook(client.get(EXPORT))
    assert "Cá nhân" not in book.sheetnames

    client.force_login(people.bithu_da)
    book = read.workbook(client.get(EXPORT))
    assert "Cá nhân" in book.sheetnames
