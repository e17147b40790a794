"""The admin of supervision: every page opens for an admin, the catalogue
is edited there, and a changelist costs the same for few or more rows."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from supervision.models import ViolationItem

from .conftest import add_finding, record

MODELS = ("violationitem", "team", "target", "visit", "finding", "findingtask")


def count(client, url):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize("model", MODELS)
def test_each_changelist_opens_at_a_fixed_query_count(client, sup, people, model):
    record(sup, people)
    add_finding(sup, people)
    client.force_login(people.admin)
    url = reverse(f"admin:supervision_{model}_changelist")
    before = count(client, url)
    add_finding(sup, people, description="Phát hiện thứ hai")
    assert count(client, url) == before


def test_an_admin_adds_an_item_to_the_catalogue(client, people, catalogue):
    client.force_login(people.admin)
    response = client.post(
        reverse("admin:supervision_violationitem_add"),
        {
            "code": "VP22",
            "text": "Biểu hiện mới do quản trị thêm",
            "order": "22",
            "is_active": "on",
        },
    )
    assert response.status_code == 302
    assert ViolationItem.objects.get(code="VP22").history.count() == 1


def test_staff_without_admin_rights_cannot_open_the_catalogue(client, people):
    client.force_login(people.canbo_vp)
    url = reverse("admin:supervision_violationitem_changelist")
    assert client.get(url).status_code == 302
