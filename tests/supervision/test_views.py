"""The pages, as a user follows them: a team's plan, a visit's record, a
finding, its remediation task; the unit seeing its record only once filed;
bad input shown again with its message; query counts pinned."""

import datetime
import io

import openpyxl
import pytest
from django.urls import reverse

from supervision import services
from supervision.choices import Topic, VisitStatus
from supervision.models import Finding, FindingTask, Visit
from tasks.models import Task

from .conftest import add_finding, filed_finding, finish, remediate


def test_a_team_page_shows_members_targets_and_plan(client, sup, people):
    client.force_login(people.canbo_vp2)
    page = client.get(sup.team.get_absolute_url()).content.decode()
    assert "Đoàn giám sát số 1" in page
    assert "Đỗ Thị Hoa" in page and "Vũ Cổ Loa" in page
    assert f'data-visit="{sup.visit.pk}"' in page
    assert "Đã giám sát 0/2 đối tượng" in page


def test_a_leader_plans_a_visit_and_a_bad_date_is_shown_again(client, sup, people):
    client.force_login(people.bithu_da)
    url = reverse("supervision:plan", args=[sup.team.pk])
    late = sup.team.end_date + datetime.timedelta(days=3)
    response = client.post(
        url, {"target": sup.head.pk, "planned_date": late.isoformat()}
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "thời gian hoạt động của đoàn" in page
    assert f'value="{late.isoformat()}"' in page
    response = client.post(
        url, {"target": sup.head.pk, "planned_date": sup.today.isoformat()}
    )
    assert response.status_code == 302
    assert Visit.objects.filter(target=sup.head, planned_date=sup.today).exists()


def test_a_member_records_adds_a_finding_and_the_leader_files(client, sup, people):
    client.force_login(people.canbo_vp2)
    visit_url = sup.visit.get_absolute_url()
    response = client.post(
        reverse("supervision:record", args=[sup.visit.pk]),
        {
            "visited_on": sup.today.isoformat(),
            "topics": [Topic.PROCEDURES],
            "subject": "Bộ phận một cửa",
            "summary": "",
        },
    )
    assert response.status_code == 302 and response["Location"] == visit_url
    # a finding with no breach is refused, the text kept
    response = client.post(
        reverse("supervision:finding_add", args=[sup.visit.pk]),
        {"description": "Hồ sơ trễ hạn", "other_violation": ""},
    )
    assert response.status_code == 400
    assert "Chọn ít nhất một biểu hiện" in response.content.decode()
    assert "Hồ sơ trễ hạn" in response.content.decode()
    response = client.post(
        reverse("supervision:finding_add", args=[sup.visit.pk]),
        {
            "description": "Hồ sơ trễ hạn",
            "violations": [sup.catalogue["VP03"].pk],
        },
    )
    assert response.status_code == 302
    finding = Finding.objects.get()
    assert finding.unit == sup.org.unit
    # the member may not file
    file_url = reverse("supervision:file", args=[sup.visit.pk])
    assert client.post(file_url).status_code == 403
    client.force_login(people.lanhdao_vp)
    assert client.post(file_url).status_code == 302
    sup.visit.refresh_from_db()
    assert sup.visit.status == VisitStatus.FILED
    # read-only now: no record form, no finding form
    page = client.get(visit_url).content.decode()
    assert "Lưu biên bản" not in page and "Ghi phát hiện" not in page


def test_the_unit_sees_a_surprise_inspection_only_once_filed(client, sup, people):
    visit = services.inspection_create(
        actor=people.canbo_vp2,
        team=sup.team,
        target=sup.org,
        visited_on=sup.today,
        subject="Giờ làm việc",
    )
    finding = add_finding(sup, people, visit=visit)
    client.force_login(people.canbo_cl)
    assert client.get(visit.get_absolute_url()).status_code == 404
    assert client.get(finding.get_absolute_url()).status_code == 404
    index = client.get(reverse("supervision:index")).content.decode()
    assert f'data-visit="{visit.pk}"' not in index
    # of the planned visit, the unit sees the date only
    assert f'data-plan="{sup.visit.pk}"' in index
    assert client.get(sup.visit.get_absolute_url()).status_code == 404
    services.visit_file(actor=people.lanhdao_vp, visit=visit)
    assert client.get(visit.get_absolute_url()).status_code == 200
    assert client.get(finding.get_absolute_url()).status_code == 200
    index = client.get(reverse("supervision:index")).content.decode()
    assert f'data-visit="{visit.pk}"' in index


def test_remediation_form_creates_a_task_with_five_clear_linked_both_ways(
    client, sup, tree, people
):
    finding = filed_finding(sup, people)
    client.force_login(people.bithu_da)
    url = reverse("supervision:remediate", args=[finding.pk])
    page = client.get(url).content.decode()
    assert "Rõ trách nhiệm" in page
    data = {
        "title": "Trả kết quả hồ sơ trễ hạn",
        "description": "Rà soát và trả kết quả",
        "directive": sup.directive.pk,
        "lead_unit": tree.co_loa.pk,
        "assignee": people.canbo_cl.pk,
        "start_date": sup.today.isoformat(),
        "deadline": (sup.today + datetime.timedelta(days=10)).isoformat(),
        "expected_result": "",
        "accountable_leader": people.bithu_da.pk,
    }
    response = client.post(url, data)
    assert response.status_code == 400
    assert "Thiếu rõ kết quả" in response.content.decode()
    assert "Trả kết quả hồ sơ trễ hạn" in response.content.decode()
    data["expected_result"] = "Không còn hồ sơ trễ hạn"
    response = client.post(url, data)
    assert response.status_code == 302
    task = Task.objects.get(title="Trả kết quả hồ sơ trễ hạn")
    assert FindingTask.objects.get(task=task).finding == finding
    page = client.get(finding.get_absolute_url()).content.decode()
    assert f'data-task="{task.pk}"' in page
    # the task's page slot names the finding, with a link
    slot = client.get(
        reverse("supervision:task_finding", args=[task.pk]), HTTP_HX_REQUEST="true"
    )
    assert "Xử lý phát hiện giám sát" in slot.content.decode()
    assert finding.get_absolute_url() in slot.content.decode()
    detail = client.get(task.get_absolute_url()).content.decode()
    assert reverse("supervision:task_finding", args=[task.pk]) in detail


def test_a_task_without_finding_has_an_empty_slot(client, make_task, people):
    task = make_task()
    client.force_login(people.canbo_vp)
    url = reverse("supervision:task_finding", args=[task.pk])
    assert client.get(url, HTTP_HX_REQUEST="true").status_code == 204
    assert client.get(url).status_code == 404


def remediated(sup, tree, people):
    """Two findings; the first with a task done on time and one open."""
    first = filed_finding(sup, people)
    done = remediate(sup, tree, people, first)
    remediate(sup, tree, people, first, title="Niêm yết công khai thủ tục")
    finish(done, people, on=sup.today)
    visit = services.inspection_create(
        actor=people.canbo_vp2,
        team=sup.team,
        target=sup.org,
        visited_on=sup.today,
        subject="Giờ làm việc",
    )
    add_finding(
        sup,
        people,
        visit=visit,
        violations=[sup.catalogue["VP06"], sup.catalogue["VP03"]],
        other_violation="Không đeo thẻ",
    )
    services.visit_file(actor=people.lanhdao_vp, visit=visit)
    return first


def cell(page, attr, key, metric):
    import re

    row = re.search(rf'<tr {attr}="{key}">(.*?)</tr>', page, re.S).group(1)
    value = re.search(rf'data-metric="{metric}">(?:<a [^>]*>)?(\d+)', row).group(1)
    return int(value)


def test_summary_numbers_agree_with_the_lists_they_link_to(client, sup, tree, people):
    remediated(sup, tree, people)
    client.force_login(people.vanphong_da)
    page = client.get(reverse("supervision:summary")).content.decode()
    vp03 = sup.catalogue["VP03"].pk
    for attr, key, query in (
        ("data-violation", vp03, {"violation": vp03}),
        ("data-violation", "other", {"violation": "other"}),
        ("data-unit", tree.co_loa.pk, {"unit": tree.co_loa.pk}),
        ("data-team", sup.team.pk, {"team": sup.team.pk}),
    ):
        number = cell(page, attr, key, "findings")
        listing = client.get(reverse("supervision:findings"), query)
        assert listing.content.decode().count("<tr data-finding=") == number
    assert cell(page, "data-violation", vp03, "findings") == 2
    assert cell(page, "data-team", sup.team.pk, "visited") == 1
    assert 'data-metric="done_on_time">1<' in page
    assert 'data-metric="total">2<' in page


def test_the_export_has_the_numbers_of_the_page(client, sup, tree, people):
    remediated(sup, tree, people)
    Finding.objects.update(description="=HYPERLINK(1)")
    client.force_login(people.bithu_da)
    response = client.get(reverse("supervision:summary_export"))
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    coverage = [r for r in book["Độ phủ giám sát"].iter_rows(values_only=True)]
    team_row = next(r for r in coverage if r[0] == "Đoàn giám sát số 1")
    assert team_row[2:8] == (2, 1, 1, 50.0, 1, 2)
    violations = [r for r in book["Theo biểu hiện vi phạm"].iter_rows(values_only=True)]
    vp03 = next(r for r in violations if r[0] and str(r[0]).startswith("VP03"))
    assert vp03[1:] == (2, 1, 1) or vp03[1:] == (2, 2, 0)
    remediation = dict(
        r[:2] for r in book["Khắc phục"].iter_rows(values_only=True) if r and r[0]
    )
    assert remediation["Hoàn thành đúng hạn"] == 1


def test_a_team_name_that_looks_like_a_formula_stays_text(client, sup, people):
    sup.team.name = "=1+1"
    sup.team.save()
    client.force_login(people.bithu_da)
    response = client.get(reverse("supervision:summary_export"))
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    names = [r[0] for r in book["Độ phủ giám sát"].iter_rows(values_only=True)]
    assert "'=1+1" in names


def test_the_print_view_has_the_tables_without_the_site_menu(client, sup, people):
    client.force_login(people.thuongtruc)
    page = client.get(reverse("supervision:summary_print")).content.decode()
    assert "Độ phủ giám sát theo đoàn" in page and "mainnav" not in page


def queries(client, url):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize(
    "url_name", ["supervision:summary", "supervision:findings", "supervision:index"]
)
def test_list_pages_cost_a_fixed_number_of_queries(client, sup, tree, people, url_name):
    remediated(sup, tree, people)
    client.force_login(people.bithu_da)
    url = reverse(url_name)
    before = queries(client, url)
    # more findings, tasks and teams: the same number of queries
    remediated_again = filed_again(sup, tree, people)
    assert remediated_again
    assert queries(client, url) == before
    assert before == PINNED[url_name]


PINNED = {
    "supervision:summary": 9,
    "supervision:findings": 6,
    "supervision:index": 7,
}


def filed_again(sup, tree, people):
    team = services.team_create(
        actor=people.bithu_da,
        name="Đoàn giám sát số 2",
        owner_unit=tree.dong_anh,
        leader=people.lanhdao_vp,
        start_date=sup.today - datetime.timedelta(days=5),
        end_date=sup.today + datetime.timedelta(days=5),
    )
    target = services.target_add(
        actor=people.bithu_da, team=team, unit=tree.vp, kind="organisation"
    )
    visit = services.inspection_create(
        actor=people.lanhdao_vp,
        team=team,
        target=target,
        visited_on=sup.today,
        subject="Giờ giấc",
    )
    for code in ("VP07", "VP08"):
        finding = services.finding_add(
            actor=people.lanhdao_vp,
            visit=visit,
            violations=[sup.catalogue[code]],
            description=f"Phát hiện {code}",
        )
    services.visit_file(actor=people.lanhdao_vp, visit=visit)
    finding.refresh_from_db()
    remediate(
        sup,
        tree,
        people,
        finding,
        lead_unit=tree.vp,
        assignee=people.canbo_vp,
    )
    return True
