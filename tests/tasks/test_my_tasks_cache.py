""" "Việc của tôi" served from the cache on a repeat view, never stale.

A repeat view reads only the session and the user; whatever is written in
between, through any service, the admin or raw SQL, the next view shows it.
Each test reads the page as its user would (rows, bell, menu, language).

The versions are raised when a transaction commits, and the cache is not
used inside one: these tests commit, as requests do.
"""

import datetime
import logging
import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from tasks import page_cache, services
from tasks.choices import AlertKind, Timeliness
from tasks.models import Alert, Task
from tests.factories import TaskFactory, add_member
from units.choices import Role
from units.models import User

pytestmark = pytest.mark.django_db(transaction=True)

MINE = reverse("tasks:mine")
HTMX = {"HTTP_HX_REQUEST": "true"}
DAY = datetime.timedelta(days=1)
# A page from the cache: the session, then the user (and its version).
HIT_QUERIES = 2
# A page rendered (tests/views/test_lists.py): session, user, memberships,
# directives, timeliness counts, rows, bell.
RENDER_QUERIES = 7


def html(response) -> str:
    return response.content.decode()


def row_titles(response) -> list[str]:
    return re.findall(r'class="task-title" href="[^"]*">([^<]+)</a>', html(response))


def bell_count(response) -> int:
    bell = re.search(r'<a id="bell".*?</a>', html(response), re.S)
    count = re.search(r'<span class="bell-count"[^>]*>(\d+)</span>', bell.group(0))
    return int(count.group(1)) if count else 0


def canbo_vp_tasks(n, people, tree, directive, **fields):
    """``n`` tasks of the Văn phòng given to canbo_vp by its leader."""
    return TaskFactory.create_batch(
        n,
        directive=directive,
        lead_unit=tree.vp,
        assignee=people.canbo_vp,
        accountable_leader=people.lanhdao_vp,
        assigned_by=people.lanhdao_vp,
        **fields,
    )


def signed_in(user, **kwargs) -> Client:
    client = Client(**kwargs)
    client.force_login(user)
    return client


@pytest.fixture(autouse=True)
def cache_in_use():
    """Each test starts with the cache usable (a test of a cache outage
    leaves this process rendering without it for a while)."""
    page_cache.reset()
    yield
    page_cache.reset()


@pytest.fixture
def cached(django_assert_num_queries):
    """The page as it is served from the cache: viewed once (rendered and
    stored), then again, answered with the session and user queries only."""

    def _cached(client, params=None, **headers):
        client.get(MINE, params or {}, **headers)
        with django_assert_num_queries(HIT_QUERIES):
            response = client.get(MINE, params or {}, **headers)
        assert response.status_code == 200
        return response

    return _cached


@pytest.fixture
def rendered():
    """The page rendered afresh, as after a change: more than the session
    and the user read (the rows query only runs when there are rows)."""

    def _rendered(client, params=None, **headers):
        with CaptureQueriesContext(connection) as queries:
            response = client.get(MINE, params or {}, **headers)
        assert response.status_code == 200
        assert len(queries) > HIT_QUERIES, "served from the cache"
        return response

    return _rendered


@pytest.fixture
def staff(people):
    return signed_in(people.canbo_vp)


# --- a repeat view -----------------------------------------------------------


def test_a_repeat_view_reads_only_the_session_and_the_user_and_shows_the_same_page(
    staff, make_task, django_assert_num_queries
):
    make_task(title="Rà soát quy chế")
    make_task(title="Tổng hợp hồ sơ")

    with django_assert_num_queries(RENDER_QUERIES):
        first = staff.get(MINE)
    with django_assert_num_queries(HIT_QUERIES):
        again = staff.get(MINE)

    assert again.status_code == 200
    assert (
        row_titles(again) == row_titles(first) == ["Rà soát quy chế", "Tổng hợp hồ sơ"]
    )
    assert again.content == first.content
    assert again["Content-Type"] == first["Content-Type"]
    assert "Content-Security-Policy" in again  # the middleware's headers still
    assert "csrftoken" in again.cookies  # the CSRF cookie, as a rendered page


def test_the_unit_list_is_not_cached(people, make_task, django_assert_num_queries):
    make_task()
    leader = signed_in(people.lanhdao_vp)
    leader.get(reverse("tasks:unit"))

    with django_assert_num_queries(8):  # tests/views/test_lists.py
        leader.get(reverse("tasks:unit"))


def test_with_the_setting_off_every_view_is_rendered(
    staff, make_task, settings, django_assert_num_queries
):
    settings.TRACKER_MY_TASKS_CACHE = False
    make_task()

    for _ in range(2):
        with django_assert_num_queries(RENDER_QUERIES):
            staff.get(MINE)


# --- every write shows at once -------------------------------------------------


def test_a_task_created_for_the_user_is_listed_at_once(
    staff, people, make_task, cached, rendered
):
    make_task(title="Việc cũ")
    cached(staff)

    make_task(title="Việc mới giao")

    assert "Việc mới giao" in row_titles(rendered(staff))


def test_a_progress_report_shows_its_percent_at_once(
    staff, people, make_task, cached, rendered
):
    task = make_task()
    assert 'value="0"' in html(cached(staff))

    services.task_report_progress(actor=people.canbo_vp, task=task, percent=40)

    page = html(rendered(staff))
    assert '<span class="progress-value">40%</span>' in page


def test_an_approved_extension_shows_the_new_deadline_at_once(
    staff, people, make_task, cached, rendered
):
    task = make_task()
    new_deadline = task.deadline + 10 * DAY
    extension = services.extension_request(
        actor=people.canbo_vp,
        task=task,
        new_deadline=new_deadline,
        reason="Chờ số liệu",
    )
    assert f"{new_deadline:%d/%m/%Y}" not in html(cached(staff))

    services.extension_approve(actor=people.lanhdao_vp, extension=extension)

    assert f"<strong>{new_deadline:%d/%m/%Y}</strong>" in html(rendered(staff))


def test_a_task_transferred_away_leaves_one_list_and_joins_the_other(
    staff, people, tree, make_task, cached, rendered
):
    task = make_task(title="Việc chuyển xã")
    commune = signed_in(people.canbo_cl)
    assert "Việc chuyển xã" in row_titles(cached(staff))
    assert "Việc chuyển xã" not in row_titles(cached(commune))

    services.task_transfer(
        actor=people.bithu_da,
        task=task,
        to_unit=tree.co_loa,
        to_assignee=people.canbo_cl,
        accountable_leader=people.bithu_da,
        reason="Việc của xã",
    )

    assert "Việc chuyển xã" not in row_titles(rendered(staff))
    assert "Việc chuyển xã" in row_titles(rendered(commune))


def test_a_raw_sql_update_of_a_task_shows_at_once(staff, make_task, cached, rendered):
    task = make_task(title="Tên cũ")
    cached(staff)

    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE tasks_task SET title = %s WHERE id = %s",
            ["Tên sửa bằng SQL", task.pk],
        )

    assert row_titles(rendered(staff)) == ["Tên sửa bằng SQL"]


def test_a_bulk_update_of_many_tasks_raises_each_assignee_once(people, tree, directive):
    canbo_vp_tasks(30, people, tree, directive)
    before = User.objects.get(pk=people.canbo_vp.pk).view_version

    Task.objects.filter(assignee=people.canbo_vp).update(progress=50)

    assert User.objects.get(pk=people.canbo_vp.pk).view_version == before + 1


def test_a_new_alert_and_an_alert_read_show_on_the_bell_at_once(
    staff, people, make_task, cached, rendered
):
    task = make_task()
    Alert.objects.filter(recipient=people.canbo_vp).update(read_at=timezone.now())
    assert bell_count(cached(staff)) == 0

    alert = Alert.objects.create(
        task=task,
        kind=AlertKind.OVERDUE,
        deadline=task.deadline,
        recipient=people.canbo_vp,
    )
    assert bell_count(rendered(staff)) == 1

    cached(staff)
    staff.post(reverse("tasks:notification_read", args=[alert.pk]))
    assert bell_count(rendered(staff)) == 0


def test_sending_an_alert_by_email_keeps_the_page_cached(
    staff, people, make_task, cached, django_assert_num_queries
):
    make_task()
    cached(staff)

    Alert.objects.filter(recipient=people.canbo_vp).update(emailed_at=timezone.now())

    with django_assert_num_queries(HIT_QUERIES):
        staff.get(MINE)


def test_a_new_role_changes_the_menu_at_once(staff, people, tree, cached, rendered):
    assert "Bảng theo dõi" not in html(cached(staff))

    add_member(people.canbo_vp, tree.vp, Role.LEADER)

    assert "Bảng theo dõi" in html(rendered(staff))


def test_the_user_renamed_shows_in_the_header_at_once(staff, people, cached, rendered):
    cached(staff)

    # people.canbo_vp was read before the page was cached: a stale version
    user = people.canbo_vp
    user.full_name = "Nguyễn Văn Cán Bộ Mới"
    user.save()

    assert "<summary>Nguyễn Văn Cán Bộ Mới</summary>" in html(rendered(staff))


def test_a_save_of_a_user_read_before_a_change_never_lowers_the_version(
    people, make_task
):
    stale = User.objects.get(pk=people.canbo_vp.pk)
    make_task()  # raises the version in the database
    raised = User.objects.get(pk=people.canbo_vp.pk).view_version

    stale.position = "Chuyên viên"  # nothing the page shows
    stale.save()

    assert User.objects.get(pk=people.canbo_vp.pk).view_version == raised


def test_the_accountable_leader_renamed_shows_in_the_rows_at_once(
    staff, people, make_task, cached, rendered
):
    make_task()
    assert "Hoàng Lãnh Đạo" in html(cached(staff))

    leader = User.objects.get(pk=people.lanhdao_vp.pk)
    leader.full_name = "Hoàng Văn Trưởng"
    leader.save()

    page = html(rendered(staff))
    assert "Hoàng Văn Trưởng" in page and "Hoàng Lãnh Đạo" not in page


def _changeform_data(response) -> dict:
    """What the browser posts back, unchanged, from the admin's change form
    (main form and inlines)."""

    def fields(form) -> dict:
        data = {}
        for name in form.fields:
            value = form[name].value()
            if value is None or value is False:
                continue
            key = form.add_prefix(name)
            if value is True:
                data[key] = "on"
            elif isinstance(value, datetime.date):
                data[key] = value.isoformat()
            else:
                data[key] = str(getattr(value, "pk", value))
        return data

    data = fields(response.context["adminform"].form)
    for inline in response.context["inline_admin_formsets"]:
        data.update(fields(inline.formset.management_form))
        for form in inline.formset.forms:
            data.update(fields(form))
    return data


def test_the_unit_renamed_in_the_admin_shows_in_the_rows_at_once(
    staff, people, tree, make_task, cached, rendered
):
    make_task()
    assert "Văn phòng Huyện ủy Đông Anh" in html(cached(staff))
    admin = signed_in(people.admin)
    url = reverse("admin:units_unit_change", args=[tree.vp.pk])
    data = _changeform_data(admin.get(url))

    data["name"] = "Văn phòng Đảng ủy xã Đông Anh"
    assert admin.post(url, data).status_code == 302

    page = html(rendered(staff))
    assert "Văn phòng Đảng ủy xã Đông Anh" in page
    assert "Văn phòng Huyện ủy Đông Anh" not in page


def test_the_directive_renumbered_shows_in_the_rows_at_once(
    staff, directive, make_task, cached, rendered
):
    make_task()
    assert "24-CT/TU" in html(cached(staff))

    directive.number = "25-CT/TU"
    directive.save()

    page = html(rendered(staff))
    assert "25-CT/TU" in page and "24-CT/TU" not in page


# --- what the key carries ------------------------------------------------------


def test_the_next_day_counts_the_days_again(
    staff, make_task, cached, rendered, monkeypatch
):
    make_task()  # deadline in 20 days
    assert "còn 20 ngày" in html(cached(staff))
    tomorrow = timezone.now() + DAY

    monkeypatch.setattr(timezone, "now", lambda: tomorrow)

    assert "còn 19 ngày" in html(rendered(staff))


def test_a_wider_due_soon_window_counts_a_task_due_soon(
    staff, make_task, cached, rendered, settings
):
    make_task()  # deadline in 20 days
    assert f'class="task-row tl-{Timeliness.ON_TRACK}"' in html(cached(staff))

    settings.TRACKER_DUE_SOON_WORKING_DAYS = 30

    assert f'class="task-row tl-{Timeliness.DUE_SOON}"' in html(rendered(staff))


def test_switching_the_language_shows_the_page_in_that_language(
    staff, make_task, cached, rendered
):
    make_task()
    assert '<html lang="vi">' in html(cached(staff))

    staff.post(reverse("set_language"), {"language": "en", "next": MINE})

    page = html(rendered(staff))
    assert '<html lang="en">' in page and "My tasks" in page


def test_another_filter_or_page_is_not_the_cached_one(
    staff, people, tree, directive, cached, rendered, today
):
    canbo_vp_tasks(30, people, tree, directive, deadline=today + 30 * DAY)
    first_page = row_titles(cached(staff))

    second_page = rendered(staff, {"page": 2})
    overdue = rendered(staff, {"timeliness": Timeliness.OVERDUE})

    assert len(first_page) == 25 and len(row_titles(second_page)) == 5
    assert row_titles(overdue) == []
    assert row_titles(cached(staff, {"page": 2})) == row_titles(second_page)


def test_the_htmx_fragment_and_the_whole_page_are_cached_apart(
    staff, make_task, cached
):
    make_task(title="Việc một")

    page = cached(staff)
    fragment = cached(staff, {"q": ""}, **HTMX)
    from_filters = cached(staff, {"q": ""}, HTTP_HX_TRIGGER="task-filters", **HTMX)

    assert "<html" in html(page)
    assert "<html" not in html(fragment) and "Việc một" in html(fragment)
    assert fragment["HX-Push-Url"] == MINE
    assert "HX-Request" in fragment["Vary"]
    # the filters' own request gets no out-of-band copy of their field
    assert 'id="filter-timeliness"' in html(fragment)
    assert 'id="filter-timeliness"' not in html(from_filters)
    assert "<html" in html(cached(staff))


# --- messages, CSRF, a cache outage ------------------------------------------


def test_a_flash_message_is_shown_once_and_the_page_without_it_comes_back(
    staff, make_task, cached, rendered
):
    make_task()
    cached(staff)

    # a POST that writes nothing the list shows, then redirects with a message
    staff.post(
        reverse("tasks:alert_preferences"), {"email_mode": "off", "digest_hour": "7"}
    )

    with_message = html(rendered(staff))
    assert "Đã lưu: bạn không nhận thư cảnh báo" in with_message
    assert "Đã lưu" not in html(cached(staff))


def test_the_csrf_token_of_a_cached_page_signs_the_user_out(
    people, make_task, django_assert_num_queries
):
    make_task()
    browser = signed_in(people.canbo_vp, enforce_csrf_checks=True)
    browser.get(MINE)
    with django_assert_num_queries(HIT_QUERIES):
        page = html(browser.get(MINE))
    logout = re.search(r'<form method="post" action="/logout/">.*?</form>', page, re.S)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', logout.group(0))

    response = browser.post(reverse("logout"), {"csrfmiddlewaretoken": token.group(1)})

    assert response.status_code == 302
    assert browser.get(MINE).status_code == 302  # signed out


def test_with_the_cache_server_down_the_page_is_still_served(
    staff, make_task, settings, caplog
):
    make_task(title="Việc vẫn hiện")
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        }
    }

    with caplog.at_level(logging.WARNING, logger="tasks.page_cache"):
        responses = [staff.get(MINE) for _ in range(3)]

    for response in responses:
        assert response.status_code == 200
        assert row_titles(response) == ["Việc vẫn hiện"]
    assert "Page cache" in caplog.text
