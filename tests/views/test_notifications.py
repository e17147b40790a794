"""The notification bell and the list of one's alerts."""

import datetime
import re

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tasks.choices import AlertKind
from tasks.models import Alert
from tests.factories import TaskFactory

NOTIFICATIONS = reverse("tasks:notifications")
READ_ALL = reverse("tasks:notifications_read_all")
HTMX = {"HTTP_HX_REQUEST": "true"}


def html(response) -> str:
    return response.content.decode()


def bell_count(response) -> int:
    """The number on the bell in the top bar (0 when it shows none)."""
    bell = re.search(r'<a id="bell".*?</a>', html(response), re.S)
    assert bell, "no bell on the page"
    count = re.search(r'<span class="bell-count"[^>]*>(\d+)</span>', bell.group(0))
    return int(count.group(1)) if count else 0


def read_url(alert) -> str:
    return reverse("tasks:notification_read", args=[alert.pk])


@pytest.fixture
def alert_for(tree, people, directive):
    """Alerts about tasks of the Văn phòng, each on its own task."""

    def _make(user, n=1, *, kind=AlertKind.OVERDUE, read=False, message="", **task):
        alerts = []
        for task_row in TaskFactory.create_batch(
            n,
            directive=directive,
            lead_unit=tree.vp,
            assignee=people.canbo_vp,
            accountable_leader=people.lanhdao_vp,
            assigned_by=people.lanhdao_vp,
            **task,
        ):
            alerts.append(
                Alert.objects.create(
                    task=task_row,
                    kind=kind,
                    deadline=task_row.deadline,
                    recipient=user,
                    message=message,
                    read_at=timezone.now() if read else None,
                )
            )
        return alerts

    return _make


# --- the bell ----------------------------------------------------------------


def test_bell_shows_the_number_of_unread_alerts(client, people, alert_for):
    alert_for(people.canbo_vp, 2)
    alert_for(people.canbo_vp, 1, read=True)
    alert_for(people.canbo_vp2, 4)  # someone else's
    client.force_login(people.canbo_vp)

    response = client.get(reverse("tasks:mine"))

    assert bell_count(response) == 2
    assert "Thông báo: 2 chưa đọc" in html(response)


def test_bell_shows_no_number_when_everything_is_read(client, people, alert_for):
    alert_for(people.canbo_vp, 1, read=True)
    client.force_login(people.canbo_vp)

    assert bell_count(client.get(reverse("tasks:mine"))) == 0


def test_bell_refresh_returns_the_bell_alone(client, people, alert_for):
    alert_for(people.canbo_vp, 3)
    client.force_login(people.canbo_vp)

    response = client.get(reverse("tasks:bell"), **HTMX)

    assert bell_count(response) == 3
    assert "<html" not in html(response)
    assert Client().get(reverse("tasks:bell")).status_code == 204


# --- the list ----------------------------------------------------------------


def test_notifications_list_my_alerts_newest_first_with_kind_task_and_message(
    client, people, alert_for
):
    older = alert_for(people.canbo_vp, title="Việc cũ")[0]
    Alert.objects.filter(pk=older.pk).update(
        created_at=timezone.now() - datetime.timedelta(days=2)
    )
    newer = alert_for(
        people.canbo_vp,
        kind=AlertKind.RETURNED,
        title="Việc bị trả lại",
        message="Lãnh đạo trả lại: thiếu minh chứng",
    )[0]
    alert_for(people.canbo_vp2, title="Việc của người khác")
    client.force_login(people.canbo_vp)

    page = html(client.get(NOTIFICATIONS))

    assert page.index("Việc bị trả lại") < page.index("Việc cũ")
    assert "Việc của người khác" not in page
    assert "Trả lại" in page and "Quá hạn" in page  # kind labels
    assert "Lãnh đạo trả lại: thiếu minh chứng" in page
    assert f'href="{newer.task.get_absolute_url()}"' in page


def test_notifications_are_paged(client, people, alert_for):
    alert_for(people.canbo_vp, 25)
    client.force_login(people.canbo_vp)

    first = html(client.get(NOTIFICATIONS))
    second = html(client.get(NOTIFICATIONS, {"page": 2}))
    beyond = client.get(NOTIFICATIONS, {"page": "abc"})

    assert first.count('class="notification ') == 20
    assert second.count('class="notification ') == 5
    assert beyond.status_code == 200


# session, user, memberships (is "Giao việc" offered?), alerts page (count and
# rows), bell
NOTIFICATION_QUERIES = 6


@pytest.mark.parametrize("rows", [3, 30])
def test_notifications_page_costs_the_same_queries_for_3_or_30_alerts(
    client, people, alert_for, django_assert_num_queries, rows
):
    alert_for(people.canbo_vp, rows, message="Có việc")
    client.force_login(people.canbo_vp)

    with django_assert_num_queries(NOTIFICATION_QUERIES):
        response = client.get(NOTIFICATIONS)

    assert html(response).count('class="notification ') == min(rows, 20)


# --- marking read ------------------------------------------------------------


def test_marking_one_alert_read_lowers_the_bell(client, people, alert_for):
    first, second = alert_for(people.canbo_vp, 2)
    client.force_login(people.canbo_vp)

    response = client.post(read_url(first))

    assert response.status_code == 302
    assert response["Location"] == NOTIFICATIONS
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.read_at is not None and second.read_at is None
    assert bell_count(client.get(NOTIFICATIONS)) == 1


def test_marking_read_twice_keeps_the_first_reading_time(client, people, alert_for):
    (alert,) = alert_for(people.canbo_vp)
    client.force_login(people.canbo_vp)
    client.post(read_url(alert))
    alert.refresh_from_db()
    first_read = alert.read_at

    client.post(read_url(alert))

    alert.refresh_from_db()
    assert alert.read_at == first_read


def test_marking_read_with_htmx_returns_the_row_and_the_new_bell(
    client, people, alert_for
):
    first, _second = alert_for(people.canbo_vp, 2)
    client.force_login(people.canbo_vp)

    response = client.post(read_url(first), **HTMX)

    assert response.status_code == 200
    page = html(response)
    assert f'id="alert-{first.pk}"' in page and "Đã đọc" in page
    assert 'hx-swap-oob="true"' in page
    assert bell_count(response) == 1


def test_mark_all_read_reads_only_my_alerts(client, people, alert_for):
    alert_for(people.canbo_vp, 3)
    (colleague,) = alert_for(people.canbo_vp2)
    client.force_login(people.canbo_vp)

    response = client.post(READ_ALL)

    assert response["Location"] == NOTIFICATIONS
    assert not Alert.objects.filter(recipient=people.canbo_vp, read_at=None).exists()
    colleague.refresh_from_db()
    assert colleague.read_at is None


def test_mark_all_read_with_htmx_returns_the_list_and_an_empty_bell(
    client, people, alert_for
):
    alert_for(people.canbo_vp, 3)
    client.force_login(people.canbo_vp)

    response = client.post(READ_ALL, **HTMX)

    page = html(response)
    assert 'id="notification-list"' in page
    assert "<html" not in page
    assert "is-unread" not in page
    assert bell_count(response) == 0


def test_someone_elses_alert_is_not_found_and_stays_unread(client, people, alert_for):
    (alert,) = alert_for(people.canbo_vp2)
    client.force_login(people.canbo_vp)

    response = client.post(read_url(alert))

    assert response.status_code == 404
    assert "Không tìm thấy trang" in html(response)
    alert.refresh_from_db()
    assert alert.read_at is None


def test_a_missing_alert_is_not_found(client, people):
    client.force_login(people.canbo_vp)

    assert (
        client.post(reverse("tasks:notification_read", args=[999999])).status_code
        == 404
    )


@pytest.mark.parametrize(
    "name", ["tasks:notification_read", "tasks:notifications_read_all"]
)
def test_marking_read_refuses_get(client, people, alert_for, name):
    (alert,) = alert_for(people.canbo_vp)
    client.force_login(people.canbo_vp)
    url = reverse(name, args=[alert.pk]) if name.endswith("_read") else reverse(name)

    response = client.get(url)

    assert response.status_code == 405
    alert.refresh_from_db()
    assert alert.read_at is None


def test_marking_read_needs_the_csrf_token(people, alert_for):
    (alert,) = alert_for(people.canbo_vp)
    client = Client(enforce_csrf_checks=True)
    client.force_login(people.canbo_vp)

    response = client.post(read_url(alert))

    assert response.status_code == 403
    alert.refresh_from_db()
    assert alert.read_at is None


def test_marking_read_returns_to_a_safe_next_page_only(client, people, alert_for):
    first, second = alert_for(people.canbo_vp, 2)
    client.force_login(people.canbo_vp)

    back = client.post(read_url(first), {"next": "/tasks/mine/"})
    away = client.post(read_url(second), {"next": "https://evil.example/"})

    assert back["Location"] == "/tasks/mine/"
    assert away["Location"] == NOTIFICATIONS
