"""The quota pages and the dashboard panel as people use them: what each
one sees, bad input kept with a Vietnamese message (400, also for htmx),
and a fixed number of queries."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from quotas import services
from quotas.choices import RegistrationStatus
from quotas.models import Registration
from tasks import calendar

DASHBOARD = reverse("tasks:dashboard")
MINE = reverse("quotas:mine")
REGISTER = reverse("quotas:register")
SHORT = reverse("quotas:short")


@pytest.fixture
def today_period(with_roles, people):
    """A period open for registration today (whatever today is)."""
    today = timezone.localdate()
    return services.period_create(
        actor=None,
        name="Kỳ hiện tại",
        start=today - datetime.timedelta(days=30),
        end=today + datetime.timedelta(days=90),
        registration_deadline=today + datetime.timedelta(days=20),
        check_permission=False,
    )


def page(client, url, params=None):
    response = client.get(url, params or {})
    assert response.status_code == 200, response.content[:500]
    return response.content.decode()


def panel_cells(html: str) -> dict[str, str]:
    """Unit → the "short" cell of the quota panel."""
    section = html.split('class="dash-section quota-panel"')[1].split("</section>")[0]
    return dict(
        re.findall(
            r'<tr data-unit="([^"]+)">.*?data-metric="short" data-value="(\d+)"',
            section,
            re.S,
        )
    )


# --- one's own page ----------------------------------------------------------------


def test_my_page_shows_my_quota_and_says_when_it_is_met(
    client, today_period, people, make_task
):
    client.force_login(people.canbo_vp)
    html = page(client, MINE)
    assert 'data-state="short"' in html
    assert "Bạn còn thiếu 1 việc khó được xác nhận." in html

    # when canbo_vp registers a task and the leader confirms it
    task = make_task(title="Xử lý dứt điểm điểm ngập úng")
    registration = services.registration_create(
        actor=people.canbo_vp, task=task, reason="Ba đơn vị cùng vướng"
    )
    services.registration_confirm(actor=people.lanhdao_vp, registration=registration)

    html = page(client, MINE)
    assert 'data-state="met"' in html
    assert "Đã xác nhận là việc khó" in html
    assert people.lanhdao_vp.full_name in html


def test_registering_from_the_form_without_javascript(
    client, today_period, people, make_task
):
    task = make_task(title="Giải quyết đơn thư kéo dài")
    client.force_login(people.canbo_vp)
    assert f'<option value="{task.pk}">Giải quyết đơn thư kéo dài' in page(client, MINE)

    response = client.post(REGISTER, {"task": task.pk, "reason": "Kéo dài 5 năm"})

    assert response.status_code == 302 and response["Location"] == MINE
    assert Registration.objects.get().status == RegistrationStatus.PENDING
    follow = page(client, MINE)
    assert "chờ lãnh đạo đơn vị xác nhận" in follow


def test_a_registration_without_a_reason_is_refused_and_what_was_typed_kept(
    client, today_period, people, make_task
):
    task = make_task()
    client.force_login(people.canbo_vp)

    response = client.post(REGISTER, {"task": task.pk, "reason": ""})

    assert response.status_code == 400
    html = response.content.decode()
    assert "Cần nêu vì sao đây là việc khó." in html
    assert f'<option value="{task.pk}" selected>' in html
    assert not Registration.objects.exists()


def test_bad_input_through_htmx_is_a_400_fragment(
    client, today_period, people, make_task
):
    make_task()
    client.force_login(people.canbo_vp)

    response = client.post(
        REGISTER, {"task": "999999", "reason": "Khó"}, HTTP_HX_REQUEST="true"
    )

    assert response.status_code == 400
    html = response.content.decode()
    assert html.startswith('<section class="register-form"')
    assert "không có trong danh sách việc bạn được đăng ký" in html


def test_a_good_htmx_registration_sends_the_browser_to_my_page(
    client, today_period, people, make_task
):
    task = make_task()
    client.force_login(people.canbo_vp)

    response = client.post(
        REGISTER, {"task": task.pk, "reason": "Khó"}, HTTP_HX_REQUEST="true"
    )

    assert response.status_code == 200
    assert response["HX-Redirect"] == MINE


def test_after_the_deadline_my_page_says_registration_is_closed(
    client, with_roles, people
):
    today = timezone.localdate()
    services.period_create(
        actor=None,
        name="Kỳ đã khóa sổ",
        start=today - datetime.timedelta(days=60),
        end=today + datetime.timedelta(days=30),
        registration_deadline=today - datetime.timedelta(days=1),
        check_permission=False,
    )
    client.force_login(people.canbo_vp)

    html = page(client, MINE)

    assert "Kỳ này không còn nhận đăng ký" in html
    assert 'action="/quotas/register/"' not in html


# --- the leader's decision ----------------------------------------------------------


def test_the_leader_sees_the_waiting_registration_and_confirms_it(
    client, today_period, people, make_task
):
    task = make_task(title="Chống ngập tuyến kênh liên xã")
    registration = services.registration_create(
        actor=people.canbo_vp, task=task, reason="Ba xã cùng vướng"
    )
    client.force_login(people.lanhdao_vp)
    assert "Chờ bạn xác nhận: 1" in page(client, MINE)
    review = page(client, reverse("quotas:review"))
    assert "Chống ngập tuyến kênh liên xã" in review and "Ba xã cùng vướng" in review

    response = client.post(
        reverse("quotas:decide", args=[registration.pk]), {"decision": "confirm"}
    )

    assert response.status_code == 302
    registration.refresh_from_db()
    assert registration.status == RegistrationStatus.CONFIRMED
    assert "Không có đăng ký nào chờ bạn xác nhận." in page(
        client, reverse("quotas:review")
    )


def test_a_refusal_without_a_reason_is_a_400_that_keeps_the_form(
    client, today_period, people, make_task
):
    registration = services.registration_create(
        actor=people.canbo_vp, task=make_task(), reason="Khó"
    )
    client.force_login(people.lanhdao_vp)
    url = reverse("quotas:decide", args=[registration.pk])

    response = client.post(url, {"decision": "refuse", "refusal_reason": ""})
    fragment = client.post(
        url, {"decision": "refuse", "refusal_reason": ""}, HTTP_HX_REQUEST="true"
    )

    assert response.status_code == fragment.status_code == 400
    assert "Cần nêu lý do không xác nhận là việc khó." in response.content.decode()
    assert fragment.content.decode().startswith('<section class="card decide-form"')
    registration.refresh_from_db()
    assert registration.status == RegistrationStatus.PENDING


# --- who is short ---------------------------------------------------------------


def test_leaders_see_the_names_of_those_short_reviewers_see_numbers_per_unit(
    client, today_period, people, tree
):
    client.force_login(people.bithu_da)
    leader = page(client, SHORT, {"unit": tree.vp.pk})
    assert people.canbo_vp2.full_name in leader
    assert f'data-person="{people.canbo_th.pk}"' not in leader

    client.force_login(people.vanphong_da)
    reviewer = page(client, SHORT, {"unit": tree.dong_anh.pk})
    assert f'data-person="{people.canbo_vp2.pk}"' not in reviewer
    assert re.search(
        rf'data-unit="{tree.vp.pk}">.*?data-metric="short">3<', reviewer, re.S
    )


def test_a_unit_outside_ones_scope_is_a_404(client, today_period, people, tree):
    client.force_login(people.bithu_da)

    assert client.get(SHORT, {"unit": tree.tay_ho.pk}).status_code == 404


# --- the dashboard panel ------------------------------------------------------------


def test_the_panel_counts_who_is_short_per_unit_and_links_to_them(
    client, today_period, people, tree, directive, make_task
):
    # given canbo_vp has met his quota
    registration = services.registration_create(
        actor=people.canbo_vp, task=make_task(), reason="Khó"
    )
    services.registration_confirm(actor=people.lanhdao_vp, registration=registration)
    client.force_login(people.bithu_da)

    html = page(client, DASHBOARD, {"unit": tree.dong_anh.pk})

    assert panel_cells(html) == {
        "own": "1",  # bithu_da himself
        str(tree.vp.pk): "2",  # lanhdao_vp and canbo_vp2
        str(tree.co_loa.pk): "1",
    }
    assert f"{SHORT}?period={today_period.pk}&amp;unit={tree.vp.pk}" in html
    assert "5 người có định mức, 1 người đã đủ, 4 người còn thiếu" in html


def test_the_panel_for_a_reviewer_shows_numbers_and_never_names(
    client, today_period, people, tree, directive
):
    client.force_login(people.thuongtruc)

    html = page(client, DASHBOARD)

    assert panel_cells(html) == {str(tree.dong_anh.pk): "5", str(tree.tay_ho.pk): "2"}
    section = html.split('class="dash-section quota-panel"')[1].split("</section>")[0]
    assert people.canbo_vp2.full_name not in section


# the period, then the counts per child (one grouped query)
PANEL_QUERIES = 2


def test_the_panel_costs_two_queries_however_many_people(
    today_period, people, tree, make_task, roles, django_assert_num_queries
):
    from quotas.panels import PANEL_QUERIES as DECLARED
    from quotas.panels import quota_panel
    from tasks.dashboard_panels import DashboardPanelContext
    from tests.factories import UserFactory, add_member

    def ctx():
        calendar.reload()
        return DashboardPanelContext(
            user=people.bithu_da,
            scope=None,
            node_unit=tree.dong_anh,
            children=[tree.vp, tree.co_loa],
            query=None,
            today=timezone.localdate(),
            is_leader_here=True,
        )

    context = ctx()
    with django_assert_num_queries(PANEL_QUERIES):
        small = quota_panel(context)
    for _ in range(30):
        member = add_member(UserFactory(), tree.co_loa)
        member.committee_role = roles["can-bo-co-so"]
        member.save()
    context = ctx()
    with django_assert_num_queries(PANEL_QUERIES):
        big = quota_panel(context)

    assert (small.data["people"], big.data["people"]) == (5, 35)
    assert DECLARED == PANEL_QUERIES


# --- fixed query counts -----------------------------------------------------------

# session, user, memberships (scope), the period, my quota, my registrations,
# my reminders, the tasks I may register, what waits for my decision (a
# leader), the bell
MINE_QUERIES = 10
# session, user, memberships, the unit, the period, the people short, bell
SHORT_QUERIES = 7
# session, user, memberships, the waiting registrations, bell
REVIEW_QUERIES = 5


@pytest.mark.parametrize(
    ("url", "who", "params", "expected"),
    [
        (MINE, "lanhdao_vp", {}, MINE_QUERIES),
        (SHORT, "bithu_da", {"unit": "vp"}, SHORT_QUERIES),
        (SHORT, "vanphong_da", {"unit": "dong_anh"}, SHORT_QUERIES),
        (reverse("quotas:review"), "lanhdao_vp", {}, REVIEW_QUERIES),
    ],
)
def test_page_query_counts_do_not_grow_with_the_rows(
    client,
    today_period,
    people,
    tree,
    make_task,
    roles,
    django_assert_num_queries,
    url,
    who,
    params,
    expected,
):
    from tests.factories import UserFactory, add_member

    params = {k: getattr(tree, v).pk for k, v in params.items()}
    client.force_login(getattr(people, who))

    def grow(n):
        for i in range(n):
            member = add_member(UserFactory(), tree.vp)
            member.committee_role = roles["can-bo-co-so"]
            member.save()
            task = make_task(title=f"Việc khó số {i}", assignee=member.user)
            services.registration_create(actor=member.user, task=task, reason="Khó")
            mine = make_task(title=f"Việc của lãnh đạo {i}", assignee=people.lanhdao_vp)
            services.registration_create(
                actor=people.lanhdao_vp, task=mine, reason="Khó"
            )

    grow(1)
    calendar.reload()
    with django_assert_num_queries(expected):
        page(client, url, params)
    grow(8)
    calendar.reload()
    with django_assert_num_queries(expected):
        page(client, url, params)
