"""Every action on a task, through its URL: who may, who may not, what a
stale form, bad input and a GET do.

The permission matrix is one table: for each action, the state the task
must be in, who may do it, what they post and what changes.
"""

import datetime
from dataclasses import dataclass
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from tasks import services
from tasks.choices import ExtensionStatus, TaskStatus, TransferKind, TransferStatus
from tasks.models import ExtensionRequest, ProgressReport, Task, Transfer
from units.models import Membership


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")


def url(name, task):
    return reverse(f"tasks:{name}", args=[task.pk])


def snapshot(task):
    """What a user would notice changing: the task row and its records."""
    task.refresh_from_db()
    return (
        task.version,
        task.status,
        task.progress,
        task.deadline,
        task.assignee_id,
        task.lead_unit_id,
        ProgressReport.objects.filter(task=task).count(),
        list(
            ExtensionRequest.objects.filter(task=task).values_list("status", flat=True)
        ),
        list(Transfer.objects.filter(task=task).values_list("status", flat=True)),
    )


# --- the scenarios: one per action ------------------------------------------------


@dataclass
class Scenario:
    task: Task
    actor: Any  # who may do it
    data: dict  # what they post (without the version)
    check: Any  # (task) -> None, after success
    forbidden: tuple  # people in scope who may not


def _submitted(make_task, people, **kw):
    task = make_task(**kw)
    services.task_submit(actor=people.canbo_vp, task=task, actual_result="Đã ban hành")
    task.refresh_from_db()
    return task


def _with_extension(make_task, people):
    task = make_task()
    ext = services.extension_request(
        actor=people.canbo_vp,
        task=task,
        new_deadline=task.deadline + datetime.timedelta(days=10),
        reason="Chờ ý kiến các ban",
    )
    task.refresh_from_db()
    return task, ext


def _with_transfer_request(make_task, people, tree):
    # bithu_da answers for it, so that the task may move inside Đông Anh.
    task = make_task(accountable_leader=people.bithu_da)
    transfer = services.transfer_request(
        actor=people.canbo_vp,
        task=task,
        kind=TransferKind.TRANSFER,
        reason="Việc thuộc thẩm quyền xã",
        to_unit=tree.co_loa,
    )
    task.refresh_from_db()
    return task, transfer


def build(name, make_task, people, tree) -> Scenario:
    staff = (people.canbo_vp2, people.lanhdao_vp)
    leaders_only = (people.canbo_vp, people.canbo_vp2)
    if name == "start":
        task = make_task()
        return Scenario(
            task,
            people.canbo_vp,
            {},
            lambda t: t.status == TaskStatus.IN_PROGRESS,
            staff,
        )
    if name == "report":
        return Scenario(
            make_task(),
            people.canbo_vp,
            {"percent": "40", "note": "Đã xong dự thảo"},
            lambda t: (
                t.progress == 40 and t.reports.filter(note="Đã xong dự thảo").exists()
            ),
            staff,
        )
    if name == "submit":
        return Scenario(
            make_task(),
            people.canbo_vp,
            {"actual_result": "Quy chế đã ban hành", "note": ""},
            lambda t: (
                t.status == TaskStatus.SUBMITTED
                and t.actual_result == "Quy chế đã ban hành"
            ),
            staff,
        )
    if name == "extension_request":
        task = make_task()
        new = task.deadline + datetime.timedelta(days=15)
        return Scenario(
            task,
            people.canbo_vp,
            {"new_deadline": new.isoformat(), "reason": "Chờ số liệu"},
            lambda t: t.extensions.filter(
                status=ExtensionStatus.PENDING, new_deadline=new
            ).exists(),
            staff,
        )
    if name == "hand_back":
        return Scenario(
            make_task(),
            people.canbo_vp,
            {"reason": "Không thuộc chức năng của tôi"},
            lambda t: t.transfers.filter(
                kind=TransferKind.HAND_BACK, status=TransferStatus.PENDING
            ).exists(),
            staff,
        )
    if name == "transfer_request":
        return Scenario(
            make_task(),
            people.canbo_vp,
            {"to_unit": str(tree.co_loa.pk), "reason": "Việc của xã"},
            lambda t: t.transfers.filter(
                to_unit=tree.co_loa, status=TransferStatus.PENDING
            ).exists(),
            staff,
        )
    if name == "approve":
        return Scenario(
            _submitted(make_task, people),
            people.lanhdao_vp,
            {"comment": "Đạt yêu cầu"},
            lambda t: t.status == TaskStatus.DONE,
            leaders_only,
        )
    if name == "return":
        return Scenario(
            _submitted(make_task, people),
            people.lanhdao_vp,
            {"comment": "Bổ sung phụ lục"},
            lambda t: t.status == TaskStatus.IN_PROGRESS,
            leaders_only,
        )
    if name == "extension_approve":
        task, ext = _with_extension(make_task, people)
        return Scenario(
            task,
            people.lanhdao_vp,
            {"extension": str(ext.pk), "note": ""},
            lambda t: t.deadline == ext.new_deadline,
            leaders_only,
        )
    if name == "extension_reject":
        task, ext = _with_extension(make_task, people)
        return Scenario(
            task,
            people.lanhdao_vp,
            {"extension": str(ext.pk), "note": "Đủ thời gian"},
            lambda t: (
                t.extensions.get().status == ExtensionStatus.REJECTED
                and t.deadline == t.original_deadline
            ),
            leaders_only,
        )
    if name == "transfer_approve":
        task, transfer = _with_transfer_request(make_task, people, tree)
        return Scenario(
            task,
            people.bithu_da,
            {
                "transfer": str(transfer.pk),
                "to_assignee": str(people.canbo_cl.pk),
                "note": "",
            },
            lambda t: (
                t.lead_unit_id == tree.co_loa.pk and t.assignee_id == people.canbo_cl.pk
            ),
            leaders_only,
        )
    if name == "transfer_reject":
        task, transfer = _with_transfer_request(make_task, people, tree)
        return Scenario(
            task,
            people.bithu_da,
            {"transfer": str(transfer.pk), "note": "Văn phòng làm"},
            lambda t: (
                t.transfers.get().status == TransferStatus.REJECTED
                and t.lead_unit_id == tree.vp.pk
            ),
            leaders_only,
        )
    if name == "transfer":
        task = make_task(accountable_leader=people.bithu_da)
        target = Membership.objects.get(user=people.canbo_cl, unit=tree.co_loa)
        return Scenario(
            task,
            people.bithu_da,
            {"target": str(target.pk), "reason": "Xã chủ trì"},
            lambda t: (
                t.lead_unit_id == tree.co_loa.pk
                and t.assignee_id == people.canbo_cl.pk
                and t.transfers.filter(status=TransferStatus.DONE).exists()
            ),
            leaders_only,
        )
    if name == "reassign":
        return Scenario(
            make_task(),
            people.lanhdao_vp,
            {"assignee": str(people.canbo_vp2.pk), "reason": "Cán bộ nghỉ phép"},
            lambda t: t.assignee_id == people.canbo_vp2.pk,
            leaders_only,
        )
    if name == "cancel":
        return Scenario(
            make_task(),
            people.lanhdao_vp,
            {"reason": "Trùng nhiệm vụ khác"},
            lambda t: t.status == TaskStatus.CANCELLED,
            (people.canbo_vp, people.canbo_vp2),
        )
    raise AssertionError(name)


ACTION_NAMES = [
    "start",
    "report",
    "submit",
    "extension_request",
    "hand_back",
    "transfer_request",
    "approve",
    "return",
    "extension_approve",
    "extension_reject",
    "transfer_approve",
    "transfer_reject",
    "transfer",
    "reassign",
    "cancel",
]


@pytest.fixture
def scenario(make_task, people, tree):
    return lambda name: build(name, make_task, people, tree)


def post(client, user, name, task, data, *, version=None, **extra):
    client.force_login(user)
    payload = {"version": str(task.version if version is None else version), **data}
    return client.post(url(name, task), payload, **extra)


# --- the matrix ---------------------------------------------------------------------


@pytest.mark.parametrize("name", ACTION_NAMES)
def test_allowed_person_does_the_action_and_the_task_changes(client, scenario, name):
    # given a task in the state the action needs
    s = scenario(name)
    # when the person who may do it posts the form
    response = post(client, s.actor, name, s.task, s.data)
    # then they land on the task page with a message, and the change is saved
    assert response.status_code == 302, response.content.decode()[:2000]
    assert response["Location"] == s.task.get_absolute_url()
    s.task.refresh_from_db()
    assert s.check(s.task)
    page = client.get(response["Location"])
    assert page.status_code == 200
    assert page.context["messages"]


@pytest.mark.parametrize("name", ACTION_NAMES)
def test_person_in_scope_without_the_right_gets_403_and_nothing_changes(
    client, scenario, name
):
    s = scenario(name)
    for user in s.forbidden:
        before = snapshot(s.task)
        response = post(client, user, name, s.task, s.data)
        assert response.status_code == 403, (user, response.status_code)
        assert snapshot(s.task) == before


@pytest.mark.parametrize("name", ACTION_NAMES)
def test_reviewers_change_nothing(client, scenario, people, name):
    s = scenario(name)
    for reviewer in (people.thuongtruc, people.vanphong_da):
        before = snapshot(s.task)
        response = post(client, reviewer, name, s.task, s.data)
        assert response.status_code == 403
        assert "Bạn không thể “" in response.content.decode()  # the 403 page says why
        client.force_login(reviewer)
        assert client.get(url(name, s.task)).status_code == 403
        assert snapshot(s.task) == before


@pytest.mark.parametrize("name", ACTION_NAMES)
def test_person_out_of_scope_gets_404_and_nothing_changes(
    client, scenario, people, name
):
    s = scenario(name)
    for outsider in (people.bithu_th, people.canbo_th, people.canbo_cl):
        before = snapshot(s.task)
        assert post(client, outsider, name, s.task, s.data).status_code == 404
        client.force_login(outsider)
        assert client.get(url(name, s.task)).status_code == 404
        assert snapshot(s.task) == before


@pytest.mark.parametrize("name", ACTION_NAMES)
def test_get_shows_the_form_and_changes_nothing(client, scenario, name):
    s = scenario(name)
    before = snapshot(s.task)
    client.force_login(s.actor)
    response = client.get(url(name, s.task))
    assert response.status_code == 200
    html = response.content.decode()
    assert 'method="post"' in html
    assert f'name="version" value="{s.task.version}"' in html
    assert snapshot(s.task) == before


@pytest.mark.parametrize("name", ["report", "cancel", "approve"])
def test_other_methods_are_refused_with_405(client, scenario, name):
    s = scenario(name)
    before = snapshot(s.task)
    client.force_login(s.actor)
    assert client.put(url(name, s.task)).status_code == 405
    assert client.delete(url(name, s.task)).status_code == 405
    assert snapshot(s.task) == before


def test_nonexistent_task_is_404_for_every_action(client, people):
    client.force_login(people.admin)
    for name in ACTION_NAMES:
        path = reverse(f"tasks:{name}", args=[999999])
        assert client.post(path, {"version": "1"}).status_code == 404
        assert client.get(path).status_code == 404


def test_anonymous_post_is_sent_to_sign_in_and_changes_nothing(client, scenario):
    s = scenario("start")
    before = snapshot(s.task)
    response = client.post(url("start", s.task), {"version": str(s.task.version)})
    assert response.status_code == 302
    assert reverse("login") in response["Location"]
    assert snapshot(s.task) == before


def test_action_a_task_no_longer_allows_is_refused_with_403(client, scenario, people):
    # given a task already done
    s = scenario("approve")
    post(client, s.actor, "approve", s.task, s.data)
    s.task.refresh_from_db()
    before = snapshot(s.task)
    # when the assignee posts a progress report with the current version
    response = post(client, people.canbo_vp, "report", s.task, {"percent": "10"})
    # then it is refused and nothing changes
    assert response.status_code == 403
    assert snapshot(s.task) == before


# --- buttons on the task page ------------------------------------------------------


def test_task_page_shows_only_the_buttons_the_person_may_use(client, make_task, people):
    task = make_task()
    client.force_login(people.canbo_vp)
    html = client.get(task.get_absolute_url()).content.decode()
    assert url("report", task) in html
    assert url("start", task) in html
    assert url("approve", task) not in html
    assert url("cancel", task) not in html

    client.force_login(people.lanhdao_vp)
    html = client.get(task.get_absolute_url()).content.decode()
    assert url("cancel", task) in html
    assert url("reassign", task) in html
    assert url("report", task) not in html

    client.force_login(people.thuongtruc)
    html = client.get(task.get_absolute_url()).content.decode()
    for name in ACTION_NAMES:
        assert url(name, task) not in html
    assert "Bạn chỉ có quyền xem nhiệm vụ này." in html


def test_leader_sees_approve_and_return_only_once_work_is_submitted(
    client, make_task, people
):
    task = make_task()
    client.force_login(people.lanhdao_vp)
    html = client.get(task.get_absolute_url()).content.decode()
    assert url("approve", task) not in html
    services.task_submit(actor=people.canbo_vp, task=task, actual_result="Xong")
    html = client.get(task.get_absolute_url()).content.decode()
    assert url("approve", task) in html
    assert url("return", task) in html


# --- concurrent edits -------------------------------------------------------------


def test_stale_form_gets_409_keeps_what_was_typed_and_saves_nothing(
    client, make_task, people
):
    # given the assignee opened the report form at version 1
    task = make_task()
    stale_version = task.version
    # and meanwhile the leader gave the task an approved extension
    services.extension_request(
        actor=people.canbo_vp,
        task=task,
        new_deadline=task.deadline + datetime.timedelta(days=7),
        reason="Chờ số liệu",
    )
    services.extension_approve(
        actor=people.lanhdao_vp, extension=task.extensions.get(), note=""
    )
    task.refresh_from_db()
    before = snapshot(task)
    # when the assignee sends the form they opened earlier
    response = post(
        client,
        people.canbo_vp,
        "report",
        task,
        {"percent": "55", "note": "Đã lấy ý kiến các phòng ban"},
        version=stale_version,
    )
    # then they see the conflict, what changed, and their text is kept
    assert response.status_code == 409
    html = response.content.decode()
    assert "alert-conflict" in html
    assert "Đã lấy ý kiến các phòng ban" in html
    assert 'value="55"' in html
    assert task.deadline.strftime("%d/%m/%Y") in html
    assert "Hạn hoàn thành:" in html  # the change that happened
    # and the form now carries the latest version, so a resend can go through
    assert f'name="version" value="{task.version}"' in html
    assert snapshot(task) == before


def test_stale_form_with_files_says_files_must_be_chosen_again(
    client, make_task, people
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    task = make_task()
    stale_version = task.version
    services.task_start(actor=people.canbo_vp, task=task)
    task.refresh_from_db()
    before = snapshot(task)
    pdf = SimpleUploadedFile("bao-cao.pdf", b"%PDF-1.7\n...", "application/pdf")
    response = post(
        client,
        people.canbo_vp,
        "submit",
        task,
        {"actual_result": "Quy chế mới", "files": [pdf]},
        version=stale_version,
    )
    assert response.status_code == 409
    html = response.content.decode()
    assert "Quy chế mới" in html
    assert "hãy chọn lại tệp" in html
    assert snapshot(task) == before


def test_extension_decided_by_someone_else_meanwhile_gives_409(
    client, scenario, people
):
    # given two leaders opened the same pending extension
    s = scenario("extension_approve")
    ext_pk = s.data["extension"]
    # when one rejects it and the other then approves from the old form
    services.extension_reject(
        actor=people.bithu_da, extension=s.task.extensions.get(), note="Không cần"
    )
    before = snapshot(s.task)
    response = post(client, people.lanhdao_vp, "extension_approve", s.task, s.data)
    # then the second sees that it was decided, and nothing changes
    assert response.status_code == 409
    assert "đã được người khác quyết định" in response.content.decode()
    assert snapshot(s.task) == before
    assert ExtensionRequest.objects.get(pk=ext_pk).status == ExtensionStatus.REJECTED


# --- bad input --------------------------------------------------------------------


@pytest.mark.parametrize(
    "name, data, message",
    [
        ("report", {"percent": "bốn mươi"}, "Tiến độ phải là một số nguyên"),
        ("report", {"percent": "150"}, "Tiến độ tối đa 99%"),
        ("report", {"percent": "-5"}, "không được nhỏ hơn 0%"),
        ("report", {"percent": ""}, "Cần nhập tiến độ"),
        ("submit", {"actual_result": "   "}, "Cần nêu kết quả thực tế"),
        (
            "extension_request",
            {"new_deadline": "2026-02-31", "reason": "x"},
            "Ngày không hợp lệ",
        ),
        (
            "extension_request",
            {"new_deadline": "2020-01-01", "reason": "x"},
            "không được ở quá khứ",
        ),
        ("extension_request", {"new_deadline": "2099-01-01", "reason": " "}, "lý do"),
        ("hand_back", {"reason": ""}, "Cần nêu lý do"),
        ("transfer_request", {"to_unit": "999999", "reason": "x"}, "không có trong"),
        ("transfer_request", {"to_unit": "abc", "reason": "x"}, "không có trong"),
        ("return", {"comment": ""}, "Cần nêu lý do trả lại"),
        ("extension_approve", {"extension": "999999"}, "không thuộc nhiệm vụ này"),
        ("extension_reject", {"note": ""}, "Cần nêu lý do không chấp thuận"),
        ("transfer_approve", {"to_assignee": ""}, "Cần chọn người thực hiện"),
        ("transfer_approve", {"to_assignee": "999999"}, "không thuộc đơn vị nhận"),
        ("transfer_reject", {"note": "  "}, "Cần nêu lý do không chấp thuận"),
        ("transfer", {"target": "999999"}, "không có trong danh sách"),
        ("reassign", {"assignee": "999999"}, "không thuộc đơn vị chủ trì"),
        ("cancel", {"reason": ""}, "Cần nêu lý do hủy"),
    ],
)
def test_bad_input_is_refused_with_a_message_and_nothing_saved(
    client, scenario, name, data, message
):
    s = scenario(name)
    before = snapshot(s.task)
    response = post(client, s.actor, name, s.task, {**s.data, **data})
    assert response.status_code == 400
    assert message in response.content.decode()
    assert snapshot(s.task) == before


def test_missing_or_garbled_version_is_a_400_not_a_500(client, scenario):
    s = scenario("cancel")
    before = snapshot(s.task)
    client.force_login(s.actor)
    for version in ("", "abc", "0"):
        response = client.post(url("cancel", s.task), {"version": version, **s.data})
        assert response.status_code == 400
        assert "hãy tải lại trang" in response.content.decode()
    assert snapshot(s.task) == before


def test_leader_cannot_transfer_to_a_unit_outside_their_scope(
    client, make_task, people, tree
):
    # lanhdao_vp leads only the Văn phòng: Cổ Loa is not in the list
    task = make_task()
    target = Membership.objects.get(user=people.canbo_cl, unit=tree.co_loa)
    client.force_login(people.lanhdao_vp)
    form_html = client.get(url("transfer", task)).content.decode()
    assert f'value="{target.pk}"' not in form_html
    before = snapshot(task)
    response = post(
        client,
        people.lanhdao_vp,
        "transfer",
        task,
        {"target": target.pk, "reason": "x"},
    )
    assert response.status_code == 400
    assert snapshot(task) == before


@pytest.mark.parametrize(
    "error, shown",
    [
        (ValidationError({"reason": "Lý do chưa rõ ràng."}), "Lý do chưa rõ ràng."),
        (ValidationError({"accountable_leader": "Thiếu rõ trách nhiệm."}), "Thiếu rõ"),
        (ValidationError("Không thể hủy lúc này."), "Không thể hủy lúc này."),
    ],
)
def test_service_refusal_is_shown_in_the_form_with_what_was_typed(
    client, scenario, monkeypatch, error, shown
):
    # given the service refuses, for a reason the form could not see
    s = scenario("cancel")

    def refuse(**kwargs):
        raise error

    monkeypatch.setattr(services, "task_cancel", refuse)
    before = snapshot(s.task)
    response = post(client, s.actor, "cancel", s.task, s.data)
    # then the form comes back with the message and the typed reason
    assert response.status_code == 400
    html = response.content.decode()
    assert shown in html
    assert s.data["reason"] in html
    assert snapshot(s.task) == before


def test_approved_transfer_request_moves_the_task_and_its_accountability(
    client, make_task, people, tree
):
    # given a transfer request to Cổ Loa on a task answered for by
    # lanhdao_vp, who does not lead Cổ Loa
    task = make_task()
    transfer = services.transfer_request(
        actor=people.canbo_vp,
        task=task,
        kind=TransferKind.TRANSFER,
        reason="Việc của xã",
        to_unit=tree.co_loa,
    )
    task.refresh_from_db()
    # when bithu_da approves it, choosing the person in Cổ Loa
    response = post(
        client,
        people.bithu_da,
        "transfer_approve",
        task,
        {"transfer": transfer.pk, "to_assignee": people.canbo_cl.pk, "note": ""},
    )
    # then the task is in Cổ Loa and bithu_da answers for it
    assert response.status_code == 302
    task.refresh_from_db()
    assert task.lead_unit_id == tree.co_loa.pk
    assert task.assignee_id == people.canbo_cl.pk
    assert task.accountable_leader_id == people.bithu_da.pk
    transfer.refresh_from_db()
    assert transfer.status == TransferStatus.DONE
    assert transfer.decided_by_id == people.bithu_da.pk


def test_leader_transfer_makes_the_mover_accountable_when_needed(
    client, make_task, people, tree
):
    # given a task answered for by lanhdao_vp, who does not lead Cổ Loa
    task = make_task()
    target = Membership.objects.get(user=people.canbo_cl, unit=tree.co_loa)
    # when bithu_da moves it to Cổ Loa
    response = post(
        client,
        people.bithu_da,
        "transfer",
        task,
        {"target": target.pk, "reason": "Xã chủ trì"},
    )
    # then it moves, and bithu_da answers for it
    assert response.status_code == 302
    task.refresh_from_db()
    assert task.lead_unit_id == tree.co_loa.pk
    assert task.accountable_leader_id == people.bithu_da.pk


def test_hand_back_approved_returns_the_task_to_the_assigner(
    client, make_task, people, tree
):
    task = make_task()
    post(client, people.canbo_vp, "hand_back", task, {"reason": "Sai chức năng"})
    task.refresh_from_db()
    transfer = task.transfers.get()
    client.force_login(people.lanhdao_vp)
    form_html = client.get(url("transfer_approve", task)).content.decode()
    assert 'name="to_assignee"' not in form_html  # nobody to choose
    response = post(
        client, people.lanhdao_vp, "transfer_approve", task, {"transfer": transfer.pk}
    )
    assert response.status_code == 302
    task.refresh_from_db()
    assert task.assignee_id == people.lanhdao_vp.pk


# --- htmx ---------------------------------------------------------------------------


def test_htmx_get_returns_only_the_form_fragment(client, scenario):
    s = scenario("report")
    client.force_login(s.actor)
    response = client.get(url("report", s.task), headers={"HX-Request": "true"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "<html" not in html
    assert 'enctype="multipart/form-data"' in html


def test_htmx_post_success_redirects_the_browser_to_the_task_page(client, scenario):
    s = scenario("start")
    response = post(
        client, s.actor, "start", s.task, s.data, headers={"HX-Request": "true"}
    )
    assert response.status_code == 200
    assert response["HX-Redirect"] == s.task.get_absolute_url()
    s.task.refresh_from_db()
    assert s.task.status == TaskStatus.IN_PROGRESS


def test_htmx_post_error_returns_the_form_fragment_with_400(client, scenario):
    s = scenario("cancel")
    response = post(
        client,
        s.actor,
        "cancel",
        s.task,
        {"reason": ""},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "<html" not in html
    assert "Cần nêu lý do hủy" in html


def test_full_page_form_works_without_javascript(client, scenario):
    s = scenario("cancel")
    client.force_login(s.actor)
    html = client.get(url("cancel", s.task)).content.decode()
    assert "<html" in html
    assert f'action="{url("cancel", s.task)}"' in html
    assert "csrfmiddlewaretoken" in html
