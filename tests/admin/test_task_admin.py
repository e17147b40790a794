"""The task admin: creating and editing go through the services, the
filters find what a reviewer asks for, and staff without permission see
nothing."""

import datetime

import pytest
from django.urls import reverse

from tasks import services
from tasks.admin import LeadUnitSubtreeListFilter
from tasks.choices import TaskStatus
from tasks.models import Task
from tests.factories import TaskFactory, UserFactory

ADD_URL = reverse("admin:tasks_task_add")
LIST_URL = reverse("admin:tasks_task_changelist")


def change_url(task):
    return reverse("admin:tasks_task_change", args=[task.pk])


@pytest.fixture
def add_form(tree, people, directive, today):
    """A complete "5 rõ" assignment, as the admin would fill it in."""
    return {
        "assignee": people.canbo_vp.pk,
        "lead_unit": tree.vp.pk,
        "coordinating_units": [tree.co_loa.pk],
        "title": "Rà soát thủ tục hành chính",
        "description": "Rà soát, cắt giảm thủ tục không cần thiết",
        "directive": directive.pk,
        "start_date": today.isoformat(),
        "deadline": (today + datetime.timedelta(days=30)).isoformat(),
        "expected_result": "Danh mục thủ tục được cắt giảm",
        "accountable_leader": people.lanhdao_vp.pk,
    }


def make_row(people, tree, directive, *, title, deadline, lead_unit=None, **extra):
    """A task row written directly, for list and filter tests."""
    return TaskFactory(
        title=title,
        lead_unit=lead_unit or tree.vp,
        assignee=people.canbo_vp,
        accountable_leader=people.lanhdao_vp,
        assigned_by=people.lanhdao_vp,
        directive=directive,
        deadline=deadline,
        **extra,
    )


def listed_titles(response) -> set[str]:
    return {task.title for task in response.context["cl"].result_list}


# --- creating -------------------------------------------------------------------


def test_adding_a_task_without_expected_result_and_leader_names_the_missing_ro(
    admin_site_client, add_form
):
    # given an assignment with no expected result and no accountable leader
    del add_form["expected_result"]
    del add_form["accountable_leader"]

    # when the admin saves it
    response = admin_site_client.post(ADD_URL, add_form)

    # then the form comes back with the Vietnamese "rõ" messages, nothing saved
    assert response.status_code == 200
    assert "Thiếu rõ kết quả: chưa có kết quả, sản phẩm dự kiến." in response.text
    assert "Thiếu rõ trách nhiệm: chưa chọn lãnh đạo chịu trách nhiệm." in response.text
    assert not Task.objects.exists()


def test_adding_a_task_with_an_assignee_outside_the_lead_unit_is_refused(
    admin_site_client, add_form, people
):
    # given an assignee who is not a member of the lead unit
    add_form["assignee"] = people.canbo_th.pk

    # when the admin saves it
    response = admin_site_client.post(ADD_URL, add_form)

    # then the service's rule is shown on the form and nothing is saved
    assert response.status_code == 200
    assert "Người thực hiện phải là cán bộ của đơn vị chủ trì" in response.text
    assert not Task.objects.exists()


def test_adding_a_complete_task_assigns_it_in_the_admins_name(
    admin_site_client, add_form, people, tree
):
    # when the admin saves a complete assignment
    response = admin_site_client.post(ADD_URL, add_form)

    # then the task exists, assigned by the admin, with its history
    assert response.status_code == 302
    task = Task.objects.get()
    assert task.title == "Rà soát thủ tục hành chính"
    assert task.assigned_by == people.admin
    assert task.status == TaskStatus.ASSIGNED
    assert task.original_deadline == task.deadline
    assert list(task.coordinating_units.all()) == [tree.co_loa]
    created = task.history.earliest()
    assert created.history_user == people.admin
    assert created.history_change_reason == "Giao nhiệm vụ"


def test_the_add_form_is_grouped_by_the_five_ro(admin_site_client):
    response = admin_site_client.get(ADD_URL)

    assert response.status_code == 200
    titles = [fieldset.name for fieldset in response.context["adminform"]]
    assert [str(t) for t in titles[:5]] == [
        "Rõ người",
        "Rõ việc",
        "Rõ tiến độ",
        "Rõ kết quả",
        "Rõ trách nhiệm",
    ]


# --- editing --------------------------------------------------------------------


def test_editing_a_title_goes_through_the_service_with_a_reason(
    admin_site_client, make_task, people, changeform_data
):
    # given an open task on its admin page
    task = make_task()
    data = changeform_data(admin_site_client.get(change_url(task)))

    # when the admin changes the title with a reason
    data.update(title="Rà soát quy chế làm việc (sửa đổi)", reason="Sửa tên cho rõ")
    response = admin_site_client.post(change_url(task), data)

    # then the title changed, the version moved on, and the history says who and why
    assert response.status_code == 302
    task.refresh_from_db()
    assert task.title == "Rà soát quy chế làm việc (sửa đổi)"
    assert task.version == 2
    latest = task.history.latest()
    assert latest.history_user == people.admin
    assert latest.history_change_reason == "Sửa tên cho rõ"


def test_editing_a_task_someone_else_just_changed_keeps_their_change(
    admin_site_client, make_task, people, changeform_data
):
    # given the admin opened the task, then its assignee reported progress
    task = make_task()
    data = changeform_data(admin_site_client.get(change_url(task)))
    services.task_report_progress(actor=people.canbo_vp, task=task, percent=40)

    # when the admin saves the stale form
    data.update(title="Tên mới")
    response = admin_site_client.post(change_url(task), data)

    # then the conflict is explained and nothing of the stale form is saved
    assert response.status_code == 200
    assert "Nhiệm vụ vừa được người khác cập nhật" in response.text
    task.refresh_from_db()
    assert task.title != "Tên mới"
    assert task.progress == 40


def test_emptying_the_description_shows_the_missing_ro(
    admin_site_client, make_task, changeform_data
):
    task = make_task()
    data = changeform_data(admin_site_client.get(change_url(task)))

    data.update(description="")
    response = admin_site_client.post(change_url(task), data)

    assert response.status_code == 200
    assert "Thiếu rõ việc: chưa có nội dung công việc." in response.text
    task.refresh_from_db()
    assert task.description


def test_status_deadline_and_people_are_read_only(admin_site_client, make_task):
    task = make_task()

    response = admin_site_client.get(change_url(task))

    form = response.context["adminform"].form
    assert {"title", "description", "expected_result"} <= set(form.fields)
    assert not {"status", "deadline", "assignee", "lead_unit", "version"} & set(
        form.fields
    )


def test_a_cancelled_task_cannot_be_edited_in_the_admin(
    admin_site_client, make_task, people
):
    task = make_task()
    services.task_cancel(actor=people.lanhdao_vp, task=task, reason="Trùng việc")

    response = admin_site_client.get(change_url(task))

    assert response.status_code == 200
    assert "title" not in response.context["adminform"].form.fields


def test_a_task_cannot_be_deleted_in_the_admin(admin_site_client, make_task):
    task = make_task()

    response = admin_site_client.post(
        reverse("admin:tasks_task_delete", args=[task.pk]), {"post": "yes"}
    )

    assert response.status_code == 403
    assert Task.objects.filter(pk=task.pk).exists()


# --- the list -------------------------------------------------------------------


def test_the_list_shows_each_tasks_timeliness_in_words(
    admin_site_client, people, tree, directive, today
):
    make_row(
        people,
        tree,
        directive,
        title="Trễ",
        deadline=today - datetime.timedelta(days=3),
    )

    response = admin_site_client.get(LIST_URL)

    assert "Quá hạn" in response.text


def test_timeliness_filter_lists_exactly_the_overdue_tasks(
    admin_site_client, people, tree, directive, today
):
    # given overdue, on-track, done-late and cancelled-overdue tasks
    past = today - datetime.timedelta(days=5)
    make_row(people, tree, directive, title="Quá hạn 1", deadline=past)
    make_row(
        people,
        tree,
        directive,
        title="Quá hạn 2",
        deadline=today - datetime.timedelta(days=1),
    )
    make_row(
        people,
        tree,
        directive,
        title="Trong hạn",
        deadline=today + datetime.timedelta(days=20),
    )
    make_row(
        people,
        tree,
        directive,
        title="Xong muộn",
        deadline=past,
        status=TaskStatus.DONE,
        completed_on=today,
        actual_result="Đã xong",
    )
    make_row(
        people,
        tree,
        directive,
        title="Đã hủy",
        deadline=past,
        status=TaskStatus.CANCELLED,
    )

    # when the admin filters by "Quá hạn"
    response = admin_site_client.get(LIST_URL, {"timeliness": "overdue"})

    # then exactly the open tasks past their deadline are listed
    assert listed_titles(response) == {"Quá hạn 1", "Quá hạn 2"}


def test_unit_filter_keeps_the_chosen_unit_and_every_unit_under_it(
    admin_site_client, people, tree, directive, today
):
    # given tasks led by a district's office, one of its communes, and another district
    deadline = today + datetime.timedelta(days=10)
    make_row(
        people, tree, directive, title="Văn phòng", deadline=deadline, lead_unit=tree.vp
    )
    make_row(
        people,
        tree,
        directive,
        title="Cổ Loa",
        deadline=deadline,
        lead_unit=tree.co_loa,
    )
    make_row(
        people,
        tree,
        directive,
        title="Tây Hồ",
        deadline=deadline,
        lead_unit=tree.tay_ho,
    )

    # when the admin picks the district of Đông Anh
    response = admin_site_client.get(LIST_URL, {"unit": tree.dong_anh.pk})

    # then its own subtree's tasks are listed, not the other district's
    assert listed_titles(response) == {"Văn phòng", "Cổ Loa"}


def test_unit_filter_lists_two_levels_and_accepts_a_deeper_unit(
    admin_site_client, people, tree, directive, today
):
    deadline = today + datetime.timedelta(days=10)
    make_row(
        people, tree, directive, title="Văn phòng", deadline=deadline, lead_unit=tree.vp
    )
    make_row(
        people,
        tree,
        directive,
        title="Cổ Loa",
        deadline=deadline,
        lead_unit=tree.co_loa,
    )

    # the sidebar offers the city and its districts only
    response = admin_site_client.get(LIST_URL)
    unit_filter = next(
        spec
        for spec in response.context["cl"].filter_specs
        if isinstance(spec, LeadUnitSubtreeListFilter)
    )
    offered = {name.strip() for _key, name in unit_filter.lookup_choices}
    assert offered == {"Thành ủy Hà Nội", "Huyện ủy Đông Anh", "Quận ủy Tây Hồ"}

    # a unit three levels down still filters (from a link) and shows as chosen
    response = admin_site_client.get(LIST_URL, {"unit": tree.vp.pk})
    assert listed_titles(response) == {"Văn phòng"}
    assert "Văn phòng Huyện ủy Đông Anh" in response.text


def test_search_finds_a_title_typed_without_diacritics(admin_site_client, make_task):
    make_task(title="Rà soát quy chế làm việc")
    make_task(title="Tổ chức hội nghị")

    response = admin_site_client.get(LIST_URL, {"q": "ra soat"})

    assert listed_titles(response) == {"Rà soát quy chế làm việc"}


# --- who may see it ---------------------------------------------------------------


def test_staff_without_permissions_cannot_open_the_task_list(client, tree):
    clerk = UserFactory(username="thuky", is_staff=True)
    client.force_login(clerk)

    response = client.get(LIST_URL)

    assert response.status_code == 403


def test_task_page_shows_reports_extensions_and_transfers_read_only(
    admin_site_client, make_task, people, tree, today
):
    # given a task with a progress report, an extension request and a transfer
    task = make_task()
    services.task_report_progress(
        actor=people.canbo_vp, task=task, percent=30, note="Đã họp"
    )
    services.extension_request(
        actor=people.canbo_vp,
        task=task,
        new_deadline=today + datetime.timedelta(days=40),
        reason="Chờ số liệu",
    )
    services.task_transfer(
        actor=people.bithu_da,
        task=task,
        to_unit=tree.co_loa,
        to_assignee=people.canbo_cl,
        accountable_leader=people.bithu_da,
        reason="Đúng địa bàn",
    )

    response = admin_site_client.get(change_url(task))

    assert response.status_code == 200
    assert "Đã họp" in response.text
    assert "Chờ số liệu" in response.text
    assert "Đúng địa bàn" in response.text
    for inline in response.context["inline_admin_formsets"]:
        assert not inline.has_add_permission
        assert not inline.has_change_permission


def test_task_page_costs_the_same_queries_with_more_records(
    admin_site_client, make_task, people, queries_for
):
    task = make_task()
    services.task_report_progress(actor=people.canbo_vp, task=task, percent=10)
    few, _ = queries_for(admin_site_client, change_url(task))

    for percent in range(20, 90, 10):
        services.task_report_progress(actor=people.canbo_vp, task=task, percent=percent)
    many, _ = queries_for(admin_site_client, change_url(task))

    assert few == many
