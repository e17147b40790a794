"""The admins' side of quotas and buck-passing rules: periods and their
quotas, reminder steps, committee roles, rules — written through the
services (history with who), read-only registrations and reminders, and
changelists whose query count does not grow."""

import datetime

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from conduct.choices import RuleKind
from conduct.models import ConductRule
from quotas import reminders
from quotas.models import QuotaPeriod, Registration, ReminderStep, RoleQuota

from ..admin.conftest import _form_data

D = datetime.date


@pytest.fixture
def admin_client(client, people):
    client.force_login(people.admin)
    return client


def change_data(response) -> dict:
    data = _form_data(response.context["adminform"].form)
    for inline in response.context["inline_admin_formsets"]:
        formset = inline.formset
        data.update(_form_data(formset.management_form))
        for form in formset.forms:
            data.update(_form_data(form))
    return data


def test_a_period_added_in_the_admin_gets_the_quotas_and_keeps_who(
    admin_client, with_roles, people
):
    response = admin_client.post(
        reverse("admin:quotas_quotaperiod_add"),
        {
            "name": "Năm 2027",
            "start": "2027-01-01",
            "end": "2027-12-31",
            "registration_deadline": "2027-03-31",
        },
    )

    assert response.status_code == 302
    period = QuotaPeriod.objects.get()
    assert dict(period.quotas.values_list("committee_role__code", "minimum")) == {
        "thuong-truc": 3,
        "uy-vien-btv": 2,
        "can-bo-co-so": 1,
    }
    assert period.history.get().history_user == people.admin


def test_an_overlapping_period_is_refused_at_the_form(admin_client, period):
    response = admin_client.post(
        reverse("admin:quotas_quotaperiod_add"),
        {
            "name": "Năm học 2026-2027",
            "start": "2026-09-01",
            "end": "2027-06-30",
            "registration_deadline": "2026-10-15",
        },
    )

    assert response.status_code == 200
    assert "Kỳ này trùng thời gian với kỳ “Năm 2026”." in response.content.decode()
    assert QuotaPeriod.objects.count() == 1


def test_a_quota_changed_in_the_periods_page_goes_through_the_service(
    admin_client, period, people, roles
):
    url = reverse("admin:quotas_quotaperiod_change", args=[period.pk])
    data = change_data(admin_client.get(url))
    cadres = RoleQuota.objects.get(period=period, committee_role=roles["can-bo-co-so"])
    prefix = next(
        key[: -len("-id")]
        for key, value in data.items()
        if key.endswith("-id") and value == str(cadres.pk)
    )
    data[f"{prefix}-minimum"] = "2"

    response = admin_client.post(url, data)

    assert response.status_code == 302, response.context["errors"]
    cadres.refresh_from_db()
    assert cadres.minimum == 2
    last = cadres.history.first()
    assert (last.history_user, last.history_change_reason) == (
        people.admin,
        "Định mức Cán bộ cơ sở: 1 → 2",
    )


def test_a_quota_changed_on_its_own_page_keeps_who(admin_client, period, people, roles):
    quota = RoleQuota.objects.get(period=period, committee_role=roles["thuong-truc"])
    url = reverse("admin:quotas_rolequota_change", args=[quota.pk])
    data = change_data(admin_client.get(url))
    data["minimum"] = "4"

    assert admin_client.post(url, data).status_code == 302

    quota.refresh_from_db()
    assert quota.minimum == 4
    assert quota.history.first().history_user == people.admin


def test_a_reminder_step_added_in_the_admin_reminds(admin_client, period):
    response = admin_client.post(
        reverse("admin:quotas_reminderstep_add"),
        {"working_days_before": "1", "is_active": "on"},
    )

    assert response.status_code == 302
    assert ReminderStep.objects.filter(working_days_before=1).exists()
    assert reminders.quotas_scan_reminders(today=D(2026, 12, 14)) == 7


def test_a_rule_changed_in_the_admin_keeps_who(admin_client, people):
    rule = ConductRule.objects.get(kind=RuleKind.MOVES_OUT)
    url = reverse("admin:conduct_conductrule_change", args=[rule.pk])
    data = change_data(admin_client.get(url))
    data["threshold"] = "5"

    assert admin_client.post(url, data).status_code == 302

    rule.refresh_from_db()
    assert rule.threshold == 5
    assert rule.history.first().history_user == people.admin


def test_a_committee_role_is_added_in_the_admin(admin_client):
    response = admin_client.post(
        reverse("admin:units_committeerole_add"),
        {"code": "bi-thu-chi-bo", "name": "Bí thư chi bộ", "order": "4"},
    )

    assert response.status_code == 302


def test_registrations_are_read_only_in_the_admin(
    admin_client, period, make_task, register
):
    registration = register(make_task())
    url = reverse("admin:quotas_registration_change", args=[registration.pk])

    page = admin_client.get(url)
    posted = admin_client.post(url, {"status": "confirmed"})

    assert page.status_code == 200
    assert posted.status_code == 403
    assert Registration.objects.get().status == "pending"


def queries(client, url) -> int:
    ContentType.objects.clear_cache()
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured.captured_queries)


@pytest.mark.parametrize(
    "name",
    [
        "admin:quotas_registration_changelist",
        "admin:quotas_quotareminder_changelist",
        "admin:quotas_quotaperiod_changelist",
        "admin:quotas_rolequota_changelist",
        "admin:quotas_reminderstep_changelist",
        "admin:conduct_conductrule_changelist",
        "admin:units_committeerole_changelist",
    ],
)
def test_changelists_cost_the_same_for_few_rows_and_many(
    admin_client, period, people, make_task, register, name
):
    url = reverse(name)

    def grow(n):
        for i in range(n):
            register(make_task(title=f"Việc khó {i}"))
        reminders.quotas_scan_reminders(today=D(2026, 12, 1))

    grow(2)
    few = queries(admin_client, url)
    grow(10)
    assert queries(admin_client, url) == few
