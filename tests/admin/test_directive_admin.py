"""Directives with their items, and the admin's autocompletes and counts."""

import datetime

from django.db import connection
from django.urls import reverse
from django.utils import timezone

from directives.choices import DirectiveKind, DirectiveStatus
from directives.models import Directive
from tasks.choices import AlertKind
from tasks.models import Alert
from tests.factories import TaskFactory
from units.admin import EstimatedCountPaginator


def test_adding_a_plan_with_its_items_records_the_admin(
    admin_site_client, tree, people, directive
):
    # given a district's plan carrying out the city directive, with two items
    data = {
        "kind": DirectiveKind.PLAN,
        "number": "15-KH/HU",
        "title": "Kế hoạch thực hiện Chỉ thị 24-CT/TU",
        "issuing_unit": tree.dong_anh.pk,
        "issue_date": "2023-09-01",
        "summary": "",
        "status": DirectiveStatus.IN_FORCE,
        "parent": directive.pk,
        "items-TOTAL_FORMS": "2",
        "items-INITIAL_FORMS": "0",
        "items-0-number": "1",
        "items-0-content": "Rà soát quy chế làm việc",
        "items-0-order": "1",
        "items-1-number": "2",
        "items-1-content": "Công khai tiến độ giải quyết",
        "items-1-order": "2",
    }

    # when the admin saves it
    response = admin_site_client.post(reverse("admin:directives_directive_add"), data)

    # then the plan hangs under the directive with its items, in the history
    assert response.status_code == 302
    plan = Directive.objects.get(number="15-KH/HU")
    assert plan.parent == directive
    assert list(plan.items.values_list("number", flat=True)) == ["1", "2"]
    assert plan.history.get().history_user == people.admin
    assert plan.items.get(number="1").history.get().history_user == people.admin


def test_directive_list_filters_by_kind_and_finds_by_number(
    admin_site_client, tree, directive
):
    Directive.objects.create(
        number="15-KH/HU",
        kind=DirectiveKind.PLAN,
        title="Kế hoạch",
        issuing_unit=tree.dong_anh,
        issue_date=datetime.date(2023, 9, 1),
        parent=directive,
    )
    url = reverse("admin:directives_directive_changelist")

    by_kind = admin_site_client.get(url, {"kind__exact": DirectiveKind.PLAN})
    by_number = admin_site_client.get(url, {"q": "24-CT"})

    assert [d.number for d in by_kind.context["cl"].result_list] == ["15-KH/HU"]
    assert [d.number for d in by_number.context["cl"].result_list] == ["24-CT/TU"]


def test_the_parent_unit_autocomplete_finds_units_by_name_or_code(
    admin_site_client, tree
):
    # the unit form's "parent" asks the admin's autocomplete view
    url = reverse("admin:autocomplete")
    params = {"app_label": "units", "model_name": "membership", "field_name": "unit"}

    by_name = admin_site_client.get(url, {**params, "term": "Tây Hồ"}).json()
    by_code = admin_site_client.get(url, {**params, "term": "HN.DA.CL"}).json()

    assert [r["text"] for r in by_name["results"]] == ["Quận ủy Tây Hồ"]
    assert [r["text"] for r in by_code["results"]] == ["UBND xã Cổ Loa"]


def test_a_huge_unfiltered_list_shows_the_planners_estimate_a_filter_counts(
    tree, people, directive, monkeypatch
):
    # given 30 alerts, analysed, then 10 removed (the estimate still says 30)
    today = timezone.localdate()
    for i in range(30):
        task = TaskFactory(
            lead_unit=tree.vp,
            assignee=people.canbo_vp,
            accountable_leader=people.lanhdao_vp,
            assigned_by=people.lanhdao_vp,
            directive=directive,
            deadline=today + datetime.timedelta(days=i),
        )
        Alert.objects.create(
            task=task,
            kind=AlertKind.OVERDUE,
            deadline=task.deadline,
            recipient=people.canbo_vp,
        )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE tasks_alert")
    Alert.objects.filter(pk__in=Alert.objects.order_by("pk")[:10].values("pk")).delete()
    # "huge" for this test means ten rows or more
    monkeypatch.setattr(EstimatedCountPaginator, "exact_below", 10)

    unfiltered = EstimatedCountPaginator(Alert.objects.all(), 100)
    filtered = EstimatedCountPaginator(
        Alert.objects.filter(kind=AlertKind.OVERDUE), 100
    )

    assert unfiltered.count == 30
    assert filtered.count == 20
