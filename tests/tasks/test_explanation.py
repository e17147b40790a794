"""Requests for explanation (yêu cầu giải trình): the one write a reviewer
may do; the lead unit answers on the task page; unanswered, it escalates."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from tasks import alerts, permissions, services
from tasks.calendar import add_working_days, local_today
from tasks.choices import AlertKind
from tasks.models import Alert, ExplanationRequest, Task

pytestmark = pytest.mark.usefixtures("send_enqueues")


@pytest.fixture
def late(overdue_task, tree, people):
    alerts.install_default_ladder()
    tree.vp.head = people.lanhdao_vp
    tree.vp.save()
    task = overdue_task(days=5)
    Alert.objects.filter(task=task).delete()
    return task


def post_as(client, user, name, task, **data):
    client.force_login(user)
    task.refresh_from_db()
    return client.post(
        reverse(f"tasks:{name}", args=[task.pk]), {"version": task.version, **data}
    )


def test_a_reviewer_asks_the_lead_unit_of_an_overdue_task_to_explain(
    client, late, people
):
    before = Task.objects.filter(pk=late.pk).values().get()

    response = post_as(
        client, people.thuongtruc, "explanation_request", late, question="Vì sao chậm?"
    )

    assert response.status_code == 302
    request = ExplanationRequest.objects.get(task=late)
    assert (request.requested_by, request.unit) == (people.thuongtruc, late.lead_unit)
    assert request.due_date == add_working_days(local_today(), 5)
    notified = Alert.objects.filter(kind=AlertKind.EXPLANATION_REQUESTED)
    assert sorted(notified.values_list("recipient__username", flat=True)) == [
        "canbo_vp",
        "lanhdao_vp",
    ]
    # the task row is untouched: asking is not changing the task
    assert Task.objects.filter(pk=late.pk).values().get() == before
    assert request.history.count() == 1


def test_the_permission_is_explicit_and_narrow(late, make_task, people):
    on_time = make_task()
    # reviewers and leaders in scope may ask about an overdue task …
    assert permissions.can_request_explanation(people.thuongtruc, late)
    assert permissions.can_request_explanation(people.vanphong_da, late)
    assert permissions.can_request_explanation(people.bithu_da, late)
    # … not about a task within its deadline, not out of scope, not staff,
    # not the assignee
    assert not permissions.can_request_explanation(people.thuongtruc, on_time)
    assert not permissions.can_request_explanation(people.bithu_th, late)
    assert not permissions.can_request_explanation(people.canbo_vp2, late)
    assert not permissions.can_request_explanation(people.canbo_vp, late)
    # and the service enforces it
    with pytest.raises(PermissionDenied):
        services.explanation_request(actor=people.canbo_vp2, task=late, question="?")


def test_a_reviewer_gets_403_on_a_task_within_its_deadline(client, make_task, people):
    on_time = make_task()
    response = post_as(
        client, people.thuongtruc, "explanation_request", on_time, question="?"
    )
    assert response.status_code == 403
    assert not ExplanationRequest.objects.exists()


def test_the_unit_answers_on_the_task_page_and_both_show(client, late, people):
    services.explanation_request(
        actor=people.thuongtruc, task=late, question="Vì sao chậm?"
    )
    client.force_login(people.canbo_vp)
    page = client.get(late.get_absolute_url()).content.decode()
    assert reverse("tasks:explanation_answer", args=[late.pk]) in page

    # staff of the unit who are not the assignee cannot answer
    refused = post_as(
        client, people.canbo_vp2, "explanation_answer", late, answer="Không"
    )
    assert refused.status_code in (403, 404)

    response = post_as(
        client, people.canbo_vp, "explanation_answer", late, answer="Chờ số liệu"
    )
    assert response.status_code == 302
    request = ExplanationRequest.objects.get()
    assert (request.answer, request.answered_by) == ("Chờ số liệu", people.canbo_vp)
    told = Alert.objects.get(kind=AlertKind.EXPLANATION_ANSWERED)
    assert told.recipient == people.thuongtruc

    client.force_login(people.thuongtruc)
    page = client.get(late.get_absolute_url()).content.decode()
    assert "Vì sao chậm?" in page and "Chờ số liệu" in page
    assert "Đã giải trình" in page


def test_an_unanswered_request_escalates_like_a_task(late, people):
    request = services.explanation_request(
        actor=people.thuongtruc, task=late, question="Vì sao chậm?"
    )
    due = request.due_date

    def written(day):
        alerts.alerts_scan_overdue(today=day)
        return sorted(
            Alert.objects.filter(kind=AlertKind.EXPLANATION_OVERDUE).values_list(
                "recipient__username", "role", "mandatory"
            )
        )

    assert written(due) == []
    after = due + datetime.timedelta(days=1)
    assert written(after) == [
        ("canbo_vp", "assignee", False),
        ("lanhdao_vp", "leader", True),
    ]
    # +3 working days: the one who asked (and the head again, once)
    third = add_working_days(due, 3)
    rows = written(third)
    assert ("thuongtruc", "requester", True) in rows
    assert written(third + datetime.timedelta(days=30)) == rows

    # answered: nothing more, and pending mails are not sent
    services.explanation_answer(actor=people.canbo_vp, explanation=request, answer="Ok")
    alerts.alerts_send_pending()
    explanation_alerts = Alert.objects.filter(kind=AlertKind.EXPLANATION_OVERDUE)
    assert not explanation_alerts.filter(emailed_at__isnull=False).exists()


def test_an_answered_request_never_escalates(late, people):
    request = services.explanation_request(
        actor=people.bithu_da, task=late, question="Báo cáo lý do"
    )
    services.explanation_answer(
        actor=people.lanhdao_vp, explanation=request, answer="Đã có kế hoạch"
    )
    alerts.alerts_scan_overdue(today=request.due_date + datetime.timedelta(days=40))
    assert not Alert.objects.filter(kind=AlertKind.EXPLANATION_OVERDUE).exists()
