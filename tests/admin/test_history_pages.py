"""History pages show who changed what, when and why, at a fixed number of
queries however long the history is."""

import pytest
from django.urls import reverse

from tasks import services
from units.choices import Role
from units.models import Membership


def history_url(obj):
    opts = obj._meta
    return reverse(f"admin:{opts.app_label}_{opts.model_name}_history", args=[obj.pk])


def change_task(task, actor, tree, step):
    """One edit of the task's content, alternating its coordinating units."""
    units = [tree.co_loa] if step % 2 else [tree.co_loa, tree.tay_ho]
    return services.task_update(
        actor=actor,
        task=task,
        title=f"Rà soát quy chế, lần {step}",
        coordinating_units=units,
        reason=f"Sửa lần {step}",
    )


def test_task_history_names_the_changes_and_costs_the_same_for_3_or_12_rows(
    admin_site_client, make_task, people, tree, queries_for
):
    # given a task started by its assignee, then edited twice
    task = make_task()
    services.task_report_progress(actor=people.canbo_vp, task=task, percent=20)
    for step in (1, 2):
        task = change_task(task, people.lanhdao_vp, tree, step)
    few, response = queries_for(admin_site_client, history_url(task))

    # then the page shows who, why and what changed, in words
    assert "Sửa lần 2" in response.text
    assert "Hoàng Lãnh Đạo" in response.text
    assert "Quận ủy Tây Hồ" in response.text  # the coordinating unit added
    changes = [
        (str(change["field"]), str(change["old"]), str(change["new"]))
        for record in response.context["page_obj"]
        for change in getattr(record, "history_delta_changes", [])
    ]
    assert ("Trạng thái", "Mới giao", "Đang thực hiện") in changes
    assert few == 7

    # given many more edits, then the page costs the same
    for step in range(3, 12):
        task = change_task(task, people.lanhdao_vp, tree, step)
    many, response = queries_for(admin_site_client, history_url(task))
    assert many == few
    assert "Sửa lần 11" in response.text


def test_unit_history_costs_the_same_for_few_or_many_rows(
    admin_site_client, tree, queries_for
):
    unit = tree.co_loa
    few, _ = queries_for(admin_site_client, history_url(unit))

    for i in range(10):
        unit.short_name = f"Cổ Loa {i}"
        unit._change_reason = f"Đổi tên ngắn {i}"
        unit.save()
    many, response = queries_for(admin_site_client, history_url(unit))

    assert many == few
    assert "Đổi tên ngắn 9" in response.text


@pytest.mark.parametrize("kind", ["membership", "directive"])
def test_history_of_rows_named_after_other_rows_costs_the_same(
    admin_site_client, people, tree, directive, queries_for, kind
):
    # a membership is named after its user and unit, an item after its directive
    obj = (
        Membership.objects.get(user=people.canbo_cl)
        if kind == "membership"
        else directive.items.create(number="1", content="Tăng cường kỷ cương")
    )
    few, _ = queries_for(admin_site_client, history_url(obj))

    for i in range(10):
        if kind == "membership":
            obj.title = f"Chuyên viên bậc {i}"
        else:
            obj.content = f"Nội dung {i}"
        obj.save()
    many, response = queries_for(admin_site_client, history_url(obj))

    assert many == few
    assert str(obj) in response.text


def test_history_cannot_be_reverted_from_the_admin(admin_site_client, tree, people):
    unit = tree.co_loa
    unit.name = "Xã Cổ Loa"
    unit.save()
    first = unit.history.earliest()

    url = reverse("admin:units_unit_simple_history", args=[unit.pk, first.history_id])
    assert admin_site_client.get(url).status_code == 200
    response = admin_site_client.post(url, {"name": "UBND xã Cổ Loa"})

    assert response.status_code == 403
    unit.refresh_from_db()
    assert unit.name == "Xã Cổ Loa"


def test_user_history_page_opens(admin_site_client, people, queries_for):
    people.canbo_vp.position = "Chuyên viên chính"
    people.canbo_vp.save()

    _, response = queries_for(admin_site_client, history_url(people.canbo_vp))

    assert "Chuyên viên chính" in response.text


def test_membership_role_names_are_recorded(people):
    membership = Membership.objects.get(user=people.canbo_cl)
    membership.role = Role.LEADER
    membership.save()

    assert membership.history.count() == 2


def test_a_past_version_of_a_task_can_be_viewed(admin_site_client, make_task, people):
    task = make_task()
    task = services.task_update(actor=people.lanhdao_vp, task=task, title="Tên mới")
    first = task.history.earliest()

    response = admin_site_client.get(
        reverse("admin:tasks_task_simple_history", args=[task.pk, first.history_id])
    )

    assert response.status_code == 200
    assert "Rà soát quy chế làm việc theo “5 rõ”" in response.text
