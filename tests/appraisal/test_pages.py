"""The pages cost a fixed number of queries whatever the rows; the dashboard
panel shows the month's round and the cào-bằng flags for the node in one
query; the nightly job and the command compute last month."""

import io

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from appraisal import jobs, services
from appraisal.models import PersonScore, ScoringRound
from tasks import calendar, dashboard_panels
from tests.factories import UserFactory, add_member
from units.choices import Role

DASHBOARD = reverse("tasks:dashboard")


def grow(tree, people, in_month, add_task, n):
    """n more people in Văn phòng and Cổ Loa, each with work in the month."""
    for _i in range(n):
        for unit in (tree.vp, tree.co_loa):
            person = UserFactory()
            add_member(person, unit, Role.STAFF)
            add_task(
                deadline=in_month(10), done_on=in_month(9), assignee=person, unit=unit
            )
            add_task(deadline=in_month(5), assignee=person, unit=unit)


def count(client, url, params=None):
    calendar.clear_cache()
    client.get(url, params)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, params)
    assert response.status_code == 200, response.status_code
    return len(captured.captured_queries), response


@pytest.mark.parametrize(
    ("who", "page"),
    [
        ("lanhdao_vp", "index"),
        ("thuongtruc", "index"),
        ("lanhdao_vp", "round"),
        ("canbo_vp", "score"),
        ("thuongtruc", "classifications"),
    ],
)
def test_pages_cost_the_same_queries_for_few_rows_and_many(
    client, tree, people, month, in_month, add_task, who, page
):
    grow(tree, people, in_month, add_task, 2)
    services.scores_compute(month=month, actor=None)
    services.classification_propose(actor=None, kind="year", year=month.year)
    client.force_login(getattr(people, who))

    def url():
        if page == "round":
            return ScoringRound.objects.get(unit=tree.vp).get_absolute_url()
        if page == "score":
            return PersonScore.objects.get(person=people.canbo_vp).get_absolute_url()
        return reverse(f"appraisal:{page}")

    few, _ = count(client, url())
    grow(tree, people, in_month, add_task, 10)
    services.scores_compute(month=month, actor=None)
    services.classification_propose(actor=None, kind="year", year=month.year)
    many, _ = count(client, url())
    assert many == few


def test_the_dashboard_panel_shows_the_round_and_the_flags(
    client, tree, people, month, in_month, add_task
):
    # given three people of Văn phòng with the same score, one self-assessed
    for person in (people.lanhdao_vp, people.canbo_vp, people.canbo_vp2):
        add_task(deadline=in_month(10), done_on=in_month(10), assignee=person)
    services.scores_compute(month=month, actor=None)
    score = PersonScore.objects.get(person=people.canbo_vp)
    services.score_self_assess(
        actor=people.canbo_vp, score=score, level="good", comment="Xong"
    )

    client.force_login(people.bithu_da)
    page = client.get(DASHBOARD, {"unit": tree.dong_anh.pk}).content.decode()
    panel = page[page.index('id="appraisal-panel"') :]
    panel = panel[: panel.index("</section>")]
    assert f"Chấm điểm tháng {month:%m/%Y}" in panel
    assert 'data-state="waiting_self">4<' in panel  # 5 people, 1 self-assessed
    assert 'data-state="waiting_leader">1<' in panel
    assert "1 đơn vị có dấu hiệu cào bằng" in panel
    assert "flat=1" in panel


def test_the_panel_costs_one_query_whatever_the_rows(
    client, tree, people, month, in_month, add_task, monkeypatch
):
    client.force_login(people.thuongtruc)
    params = {"unit": tree.dong_anh.pk}
    grow(tree, people, in_month, add_task, 1)
    services.scores_compute(month=month, actor=None)
    with_panel, _ = count(client, DASHBOARD, params)

    grow(tree, people, in_month, add_task, 8)
    services.scores_compute(month=month, actor=None)
    assert count(client, DASHBOARD, params)[0] == with_panel

    others = [p for p in dashboard_panels._PROVIDERS if p[0] != "appraisal"]
    monkeypatch.setattr(dashboard_panels, "_PROVIDERS", others)
    without, response = count(client, DASHBOARD, params)
    assert 'id="appraisal-panel"' not in response.content.decode()
    assert with_panel - without == 1


def test_the_index_lists_only_flagged_units_on_request(
    client, tree, people, month, in_month, add_task
):
    for person in (people.lanhdao_vp, people.canbo_vp, people.canbo_vp2):
        add_task(deadline=in_month(10), done_on=in_month(10), assignee=person)
    add_task(deadline=in_month(10), unit=tree.co_loa, assignee=people.canbo_cl)
    services.scores_compute(month=month, actor=None)
    client.force_login(people.bithu_da)
    page = client.get(reverse("appraisal:index"), {"flat": "1"}).content.decode()
    assert "Văn phòng Huyện ủy Đông Anh" in page
    assert "UBND xã Cổ Loa" not in page


def test_a_month_not_over_or_not_a_month_falls_back_to_last_month(
    client, people, month, today
):
    client.force_login(people.canbo_vp)
    for value in ("2099-01", "tháng mười"):
        response = client.get(reverse("appraisal:index"), {"month": value})
        page = response.content.decode()
        assert response.status_code == 200
        assert f"Chấm điểm tháng {month:%m/%Y}" in page
        assert "đang hiển thị tháng trước" in page


def test_the_nightly_job_and_the_command_compute_last_month(
    tree, people, month, in_month, add_task
):
    add_task(deadline=in_month(10), done_on=in_month(10))
    assert jobs.compute_last_month()["month"] == month.isoformat()
    assert PersonScore.objects.get(person=people.canbo_vp).points is not None

    out = io.StringIO()
    call_command("compute_scores", "--month", f"{month:%Y-%m}", stdout=out)
    assert "Đã tính điểm tháng" in out.getvalue()


def test_the_beat_computes_last_month_every_night_with_a_registered_job(settings):
    from config.celery_app import app

    app.loader.import_default_modules()
    entry = settings.CELERY_BEAT_SCHEDULE["compute-last-month-scores-nightly"]
    assert entry["task"] == jobs.COMPUTE_LAST_MONTH_JOB
    assert app.tasks[jobs.COMPUTE_LAST_MONTH_JOB].acks_late is True
    assert (entry["schedule"].hour, entry["schedule"].minute) == ({1}, {30})
