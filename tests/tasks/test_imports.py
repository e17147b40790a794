"""Bulk assignment from Excel: template, upload and check, preview, confirm.

Files are built here with openpyxl the way a leader's Excel would save them."""

import datetime
import io
import zipfile

import openpyxl
import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tasks import imports, services
from tasks.imports import COLUMNS
from tasks.models import Task
from tests.factories import UserFactory, add_member, make_unit
from units.choices import Role

IMPORT = reverse("tasks:import")
CONFIRM = reverse("tasks:import_confirm")
TEMPLATE = reverse("tasks:import_template")
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
HEADERS = [
    "Tên nhiệm vụ",
    "Nội dung",
    "Văn bản chỉ đạo (số ký hiệu)",
    "Mục",
    "Đơn vị chủ trì (mã)",
    "Đơn vị phối hợp (mã, cách nhau bởi dấu phẩy)",
    "Người thực hiện (tên đăng nhập)",
    "Lãnh đạo chịu trách nhiệm (tên đăng nhập)",
    "Ngày bắt đầu",
    "Hạn hoàn thành",
    "Kết quả dự kiến",
    "Việc khó (có/không)",
]


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)
    return tmp_path


@pytest.fixture
def leader_client(client, people):
    """The Đông Anh district leader: Văn phòng (HN.DA.VP) and Cổ Loa
    (HN.DA.CL) are in scope, Tây Hồ (HN.TH) is not."""
    client.force_login(people.bithu_da)
    return client


def row(n=1, **overrides):
    values = {
        "title": f"Rà soát thủ tục hành chính số {n}",
        "description": "Rà soát, cắt giảm thời gian giải quyết hồ sơ",
        "directive": "24-CT/TU",
        "directive_item": "1",
        "lead_unit": "HN.DA.VP",
        "coordinating_units": "HN.DA.CL",
        "assignee": "canbo_vp",
        "accountable_leader": "lanhdao_vp",
        "start_date": "01/03/2026",
        "deadline": "30/04/2026",
        "expected_result": "Báo cáo kết quả rà soát",
        "is_hard": "không",
    }
    values.update(overrides)
    return values


def xlsx(rows, *, headers=None, blank_rows_before=()) -> bytes:
    """A workbook whose first sheet has the headers and one line per row."""
    headers = HEADERS if headers is None else headers
    keys = {column.header_id: column.key for column in COLUMNS}
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Nhiệm vụ"
    ws.append(headers)
    for index, values in enumerate(rows):
        if index in blank_rows_before:
            ws.append([])
        ws.append([values.get(keys.get(h, h), "") for h in headers])
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def upload(client, content: bytes, name="giao-viec.xlsx"):
    return client.post(IMPORT, {"file": SimpleUploadedFile(name, content, XLSX)})


def errors_by_row(response) -> dict[int, list[str]]:
    found: dict[int, list[str]] = {}
    for error in response.context["result"].errors:
        found.setdefault(error.row, []).append(error.message)
    return found


# --- the template ----------------------------------------


def test_template_downloads_as_xlsx_with_the_headers(leader_client, directive):
    response = leader_client.get(TEMPLATE)

    assert response.status_code == 200
    assert response["Content-Type"] == XLSX
    assert "attachment" in response["Content-Disposition"]
    wb = openpyxl.load_workbook(io.BytesIO(response.content))
    assert wb.sheetnames == ["Nhiệm vụ", "Hướng dẫn", "Danh mục"]
    header = [cell.value for cell in wb["Nhiệm vụ"][1]]
    assert header[: len(HEADERS)] == HEADERS
    assert wb["Nhiệm vụ"].max_row == 1  # no example row among the data


def test_template_reference_lists_only_the_leaders_units_people_and_directives(
    leader_client, directive
):
    response = leader_client.get(TEMPLATE)

    wb = openpyxl.load_workbook(io.BytesIO(response.content))
    values = {cell.value for line in wb["Danh mục"].iter_rows() for cell in line}
    assert {"HN.DA", "HN.DA.VP", "HN.DA.CL"} <= values
    assert {"canbo_vp", "canbo_cl", "lanhdao_vp", "bithu_da"} <= values
    assert "24-CT/TU" in values
    assert "HN.TH" not in values and "canbo_th" not in values


def test_the_untouched_template_imports_nothing(leader_client, directive):
    # given the template as downloaded: its example lives on the guide sheet
    template = leader_client.get(TEMPLATE).content

    response = upload(leader_client, template)

    assert response.status_code == 400
    assert "Tệp chưa có nhiệm vụ nào" in response.content.decode()
    assert not Task.objects.exists()


def test_the_guides_example_copied_into_the_template_passes(
    leader_client, directive, directive_item
):
    # given the downloaded template, with the guide's example copied as line 2
    wb = openpyxl.load_workbook(io.BytesIO(leader_client.get(TEMPLATE).content))
    guide = list(wb["Hướng dẫn"].iter_rows(values_only=True))
    start = next(i for i, line in enumerate(guide) if line[0] == "Tên nhiệm vụ")
    example = dict(guide[start : start + len(COLUMNS)])
    ws = wb["Nhiệm vụ"]
    ws.append([example[cell.value] for cell in ws[1]])
    out = io.BytesIO()
    wb.save(out)

    # when it is uploaded
    response = upload(leader_client, out.getvalue())

    # then it is one valid task, ready to confirm
    assert response.status_code == 200
    assert len(response.context["result"].rows) == 1


def test_a_unit_name_that_looks_like_a_formula_stays_text_in_the_template(
    leader_client, tree, directive
):
    tree.co_loa.name = '=HYPERLINK("http://example.com","x")'
    tree.co_loa.save()

    wb = openpyxl.load_workbook(io.BytesIO(leader_client.get(TEMPLATE).content))

    cells = [c for line in wb["Danh mục"].iter_rows() for c in line if c.value]
    cell = next(c for c in cells if str(c.value).startswith("=HYPERLINK"))
    assert cell.data_type == "s"


# --- checking an upload ----------------------------------------


def test_three_good_rows_and_one_bad_show_the_bad_rows_reason_and_save_nothing(
    leader_client, directive, directive_item
):
    # given rows 2, 3 and 5 are good and row 4 names an unknown unit
    content = xlsx([row(1), row(2), row(3, lead_unit="HN.KHONGCO"), row(4)])

    response = upload(leader_client, content)

    assert response.status_code == 400
    assert errors_by_row(response) == {
        4: ["Không có đơn vị mã “HN.KHONGCO” (xem trang Danh mục)."]
    }
    html = response.content.decode()
    assert "Không có đơn vị mã “HN.KHONGCO”" in html
    assert "Chưa nhiệm vụ nào được lưu" in html
    assert not Task.objects.exists()


def test_fixed_file_previews_then_confirm_creates_every_task_at_once(
    leader_client, people, directive, directive_item, media
):
    # given a valid file of three tasks
    content = xlsx([row(1), row(2, is_hard="có"), row(3, coordinating_units="")])

    # when it is uploaded, a preview is shown and nothing is saved yet
    preview = upload(leader_client, content)
    assert preview.status_code == 200
    assert len(preview.context["result"].rows) == 3
    assert "Xác nhận giao 3 nhiệm vụ" in preview.content.decode()
    assert not Task.objects.exists()
    token = preview.context["token"]
    assert (media / "imports" / f"{token}.xlsx").exists()

    # and when the leader confirms
    response = leader_client.post(CONFIRM, {"token": token})

    # then the three tasks exist, assigned by the leader, and the upload is gone
    assert response.status_code == 302
    tasks = Task.objects.order_by("title")
    assert [t.title for t in tasks] == [
        "Rà soát thủ tục hành chính số 1",
        "Rà soát thủ tục hành chính số 2",
        "Rà soát thủ tục hành chính số 3",
    ]
    assert {t.assigned_by for t in tasks} == {people.bithu_da}
    assert {t.history.earliest().history_user for t in tasks} == {people.bithu_da}
    assert tasks[1].is_hard and not tasks[0].is_hard
    assert [u.code for u in tasks[0].coordinating_units.all()] == ["HN.DA.CL"]
    assert tasks[0].directive_item == directive_item
    assert tasks[0].start_date == datetime.date(2026, 3, 1)
    assert not (media / "imports" / f"{token}.xlsx").exists()
    # and the same token cannot be confirmed twice
    assert leader_client.post(CONFIRM, {"token": token}).status_code == 404
    assert Task.objects.count() == 3


def test_a_failure_while_creating_rolls_back_every_row(
    people, directive, directive_item, monkeypatch
):
    # given three checked rows, and the service refusing the third one
    keys, raw = imports.read_sheet(xlsx([row(1), row(2), row(3)]))
    result = imports.check_rows(people.bithu_da, keys, raw)
    real_create = services.task_create
    calls = []

    def flaky_create(**kwargs):
        calls.append(kwargs["title"])
        if len(calls) == 3:
            raise ValidationError({"deadline": "Hạn không hợp lệ."})
        return real_create(**kwargs)

    monkeypatch.setattr(services, "task_create", flaky_create)

    # when they are created
    created, errors = imports.create_tasks(people.bithu_da, result.rows)

    # then nothing is kept and the failing row is named
    assert created == []
    assert [(e.row, e.message) for e in errors] == [(4, "Hạn không hợp lệ.")]
    assert not Task.objects.exists()


def test_a_text_file_renamed_xlsx_gets_a_clear_message_not_a_crash(leader_client, db):
    response = upload(
        leader_client, "Tên nhiệm vụ;Nội dung\n".encode(), "giao-viec.xlsx"
    )

    assert response.status_code == 400
    assert "không phải là tệp Excel .xlsx hợp lệ" in response.content.decode()
    assert not Task.objects.exists()


def test_a_zip_that_is_not_a_workbook_is_refused(leader_client, db):
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("word/document.xml", "<w:document/>")

    response = upload(leader_client, out.getvalue())

    assert response.status_code == 400
    assert "không phải là tệp Excel .xlsx hợp lệ" in response.content.decode()


def test_a_file_that_is_not_xlsx_by_name_is_refused(leader_client, db):
    response = upload(leader_client, b"a,b\n", "giao-viec.csv")

    assert response.status_code == 400
    assert "Chỉ nhận tệp Excel .xlsx" in response.content.decode()


def test_a_file_over_the_size_limit_is_refused(leader_client, settings, directive):
    settings.TRACKER_IMPORT_MAX_BYTES = 1024 * 1024
    big = xlsx([row(1)]) + b"\0" * (1024 * 1024)

    response = upload(leader_client, big)

    assert response.status_code == 400
    assert "Tệp quá lớn" in response.content.decode()


def test_missing_and_unknown_header_columns_are_named(leader_client, directive):
    headers = [h for h in HEADERS if h != "Hạn hoàn thành"] + ["Ghi chú"]

    response = upload(leader_client, xlsx([row(1)], headers=headers))

    assert response.status_code == 400
    messages = response.context["result"].file_errors
    assert "Thiếu cột: “Hạn hoàn thành”." in messages
    assert "Cột không nhận ra: “Ghi chú”." in messages
    assert not Task.objects.exists()


def test_too_many_rows_are_refused(leader_client, settings, directive, directive_item):
    settings.TRACKER_IMPORT_MAX_ROWS = 3

    response = upload(leader_client, xlsx([row(n) for n in range(4)]))

    assert response.status_code == 400
    assert "Tệp có hơn 3 nhiệm vụ" in response.content.decode()


def test_a_unit_outside_the_leaders_scope_is_refused(
    leader_client, directive, directive_item
):
    content = xlsx(
        [row(1, lead_unit="HN.TH", assignee="canbo_th", accountable_leader="bithu_th")]
    )

    response = upload(leader_client, content)

    assert response.status_code == 400
    assert errors_by_row(response) == {
        2: ["Đơn vị “HN.TH” không thuộc phạm vi bạn lãnh đạo."]
    }
    assert not Task.objects.exists()


def test_an_impossible_date_is_a_row_error(leader_client, directive, directive_item):
    response = upload(leader_client, xlsx([row(1, start_date="31/02/2026")]))

    assert response.status_code == 400
    assert errors_by_row(response) == {
        2: [
            "“31/02/2026” không phải ngày hợp lệ; ghi theo dạng ngày/tháng/năm, "
            "ví dụ 31/12/2026."
        ]
    }


@pytest.mark.parametrize(
    ("overrides", "reason"),
    [
        (
            {"assignee": "khongco"},
            "Không có người dùng “khongco” (xem trang Danh mục).",
        ),
        (
            {"assignee": "canbo_cl"},
            "Người thực hiện phải là cán bộ của đơn vị chủ trì “Văn phòng Huyện ủy "
            "Đông Anh”.",
        ),
        (
            {"expected_result": "  "},
            "Thiếu rõ kết quả: chưa có kết quả, sản phẩm dự kiến.",
        ),
        ({"title": ""}, "Thiếu rõ việc: chưa có tên nhiệm vụ."),
        ({"accountable_leader": ""}, "Thiếu rõ trách nhiệm"),
        (
            {"accountable_leader": "canbo_vp2"},
            "Lãnh đạo chịu trách nhiệm phải là lãnh đạo của đơn vị chủ trì",
        ),
        ({"deadline": "01/02/2026"}, "Hạn hoàn thành không được trước ngày bắt đầu."),
        ({"deadline": "tuần sau"}, "“tuần sau” không phải ngày hợp lệ"),
        ({"directive": "99-CT/TU"}, "Không có văn bản chỉ đạo số “99-CT/TU”"),
        ({"directive_item": "9"}, "Văn bản “24-CT/TU” không có mục “9”."),
        (
            {"coordinating_units": "HN.DA.CL, HN.TH"},
            "Đơn vị “HN.TH” không thuộc phạm vi",
        ),
        ({"is_hard": "chắc vậy"}, "ghi “có” hoặc “không”"),
        ({"title": "x" * 501}, "Dài quá 500 ký tự"),
    ],
)
def test_each_bad_row_says_why(
    leader_client, directive, directive_item, overrides, reason
):
    response = upload(leader_client, xlsx([row(1), row(2, **overrides)]))

    assert response.status_code == 400
    found = errors_by_row(response)
    assert list(found) == [3]
    assert any(reason in message for message in found[3]), found
    assert not Task.objects.exists()


def test_a_duplicate_row_within_the_file_is_named(
    leader_client, directive, directive_item
):
    response = upload(leader_client, xlsx([row(1), row(2), row(1)]))

    assert response.status_code == 400
    assert errors_by_row(response) == {
        4: [
            "Trùng với dòng 2 (cùng tên nhiệm vụ, đơn vị chủ trì, người thực hiện và "
            "văn bản)."
        ]
    }


def test_real_excel_dates_empty_rows_and_vietnamese_text_are_kept(
    leader_client, directive, directive_item
):
    # given real date cells, a blank line in between, and Vietnamese text
    first = row(
        1,
        title="  Đẩy mạnh cải cách hành chính, chống “đùn đẩy, né tránh”  ",
        start_date=datetime.datetime(2026, 3, 2),
        deadline=datetime.date(2026, 5, 31),
    )
    content = xlsx([first, row(2)], blank_rows_before=(1,))

    preview = upload(leader_client, content)
    assert preview.status_code == 200
    assert [r.row for r in preview.context["result"].rows] == [2, 4]
    leader_client.post(CONFIRM, {"token": preview.context["token"]})

    task = Task.objects.get(start_date=datetime.date(2026, 3, 2))
    assert task.title == "Đẩy mạnh cải cách hành chính, chống “đùn đẩy, né tránh”"
    assert task.deadline == datetime.date(2026, 5, 31)
    assert Task.objects.count() == 2


# --- the confirmation token ----------------------------------------


def test_another_users_token_cannot_be_confirmed(
    client, leader_client, people, directive, directive_item
):
    # given the district leader has a checked file waiting
    preview = upload(leader_client, xlsx([row(1)]))
    token = preview.context["token"]

    # when another leader posts that token
    client.logout()
    other = type(client)()
    other.force_login(people.lanhdao_vp)
    response = other.post(CONFIRM, {"token": token})

    # then it is not found and nothing is created
    assert response.status_code == 404
    assert not Task.objects.exists()


@pytest.mark.parametrize("token", ["../../settings", "0" * 32, ""])
def test_a_tampered_token_is_not_found(leader_client, directive, directive_item, token):
    upload(leader_client, xlsx([row(1)]))

    response = leader_client.post(CONFIRM, {"token": token})

    assert response.status_code == 404
    assert not Task.objects.exists()


def test_confirm_checks_the_file_again(
    leader_client, people, directive, directive_item
):
    # given a previewed file, and the assignee leaves the unit before confirming
    preview = upload(leader_client, xlsx([row(1)]))
    people.canbo_vp.memberships.all().delete()

    response = leader_client.post(CONFIRM, {"token": preview.context["token"]})

    assert response.status_code == 400
    assert "phải là cán bộ của đơn vị chủ trì" in response.content.decode()
    assert not Task.objects.exists()


def test_template_query_count_does_not_grow_with_the_scope(
    leader_client, tree, directive, django_assert_num_queries
):
    # session, user, scope; units, people, directives, items
    with django_assert_num_queries(7):
        leader_client.get(TEMPLATE)

    for n in range(8):
        unit = make_unit(f"Phòng số {n}", parent=tree.dong_anh, code=f"HN.DA.P{n}")
        add_member(UserFactory(), unit, Role.STAFF)
    with django_assert_num_queries(7):
        response = leader_client.get(TEMPLATE)
    wb = openpyxl.load_workbook(io.BytesIO(response.content))
    codes = {c.value for c in wb["Danh mục"]["A"]}
    assert "HN.DA.P7" in codes
