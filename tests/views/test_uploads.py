"""Evidence files: what is accepted, what is refused, where it is kept and
who may download it."""

import io
import os
import unicodedata
import zipfile
from urllib.parse import quote

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tasks import services
from tasks.models import EvidenceFile, ProgressReport
from tasks.uploads import validate_evidence_file, validate_evidence_files

PDF_BYTES = b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\n%%EOF\n"
PNG_BYTES = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
JPEG_BYTES = b"\xff\xd8\xff\xe0\x00\x10JFIF" + b"\x00" * 32
WEBP_BYTES = b"RIFF\x24\x00\x00\x00WEBPVP8 " + b"\x00" * 32
OLE2_BYTES = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504
EXE_BYTES = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + b"\x00" * 64


def ooxml(folder: str) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr(f"{folder}/document.xml", "<doc/>")
    return buffer.getvalue()


def odf(mimetype: str) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("mimetype", mimetype)
        archive.writestr("content.xml", "<office/>")
    return buffer.getvalue()


def upload(name, content, content_type="application/octet-stream"):
    return SimpleUploadedFile(name, content, content_type)


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    return tmp_path / "media"


# --- the check itself ---------------------------------------------------------------


@pytest.mark.parametrize(
    "name, content, content_type",
    [
        ("Báo cáo.pdf", PDF_BYTES, "application/pdf"),
        ("ảnh hiện trường.PNG", PNG_BYTES, "image/png"),
        ("anh.jpg", JPEG_BYTES, "image/jpeg"),
        ("anh.jpeg", JPEG_BYTES, "image/jpeg"),
        ("anh.webp", WEBP_BYTES, "image/webp"),
        ("cong-van.doc", OLE2_BYTES, "application/msword"),
        ("so-lieu.xls", OLE2_BYTES, "application/vnd.ms-excel"),
        (
            "ke-hoach.docx",
            ooxml("word"),
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        ),
        (
            "so-lieu.xlsx",
            ooxml("xl"),
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        ),
        (
            "van-ban.odt",
            odf("application/vnd.oasis.opendocument.text"),
            "application/vnd.oasis.opendocument.text",
        ),
        (
            "bang.ods",
            odf("application/vnd.oasis.opendocument.spreadsheet"),
            "application/vnd.oasis.opendocument.spreadsheet",
        ),
    ],
)
def test_allowed_files_are_accepted_with_the_type_found_in_their_bytes(
    name, content, content_type
):
    assert validate_evidence_file(upload(name, content, "text/plain")) == content_type


def test_real_xlsx_from_openpyxl_is_accepted():
    openpyxl = pytest.importorskip("openpyxl")
    buffer = io.BytesIO()
    workbook = openpyxl.Workbook()
    workbook.active["A1"] = "Tiến độ"
    workbook.save(buffer)
    assert validate_evidence_file(upload("Tổng hợp.xlsx", buffer.getvalue())).endswith(
        "spreadsheetml.sheet"
    )


@pytest.mark.parametrize(
    "name, content, message",
    [
        ("virus.pdf", EXE_BYTES, "không đúng định dạng .pdf"),
        ("chuong-trinh.exe", EXE_BYTES, "không được nhận"),
        ("anh.png", JPEG_BYTES, "không đúng định dạng .png"),
        ("khong-phai.docx", b"PK\x03\x04" + b"\x00" * 40, "không đúng định dạng .docx"),
        ("bang.xlsx", ooxml("word"), "không đúng định dạng .xlsx"),
        (
            "riff.webp",
            b"RIFF\x00\x00\x00\x00AVI " + b"\x00" * 8,
            "không đúng định dạng",
        ),
        ("ghi-chu.txt", b"hello", "không được nhận"),
        ("khong-duoi", PDF_BYTES, "không được nhận"),
        ("rong.pdf", b"", "rỗng"),
    ],
)
def test_other_files_are_refused_with_a_message_naming_the_file(name, content, message):
    with pytest.raises(ValidationError) as caught:
        validate_evidence_file(upload(name, content))
    text = " ".join(caught.value.messages)
    assert message in text
    assert name in text


def test_a_file_over_the_size_limit_is_refused(settings):
    settings.EVIDENCE_MAX_BYTES = 1024
    with pytest.raises(ValidationError) as caught:
        validate_evidence_file(upload("lon.pdf", PDF_BYTES + b"0" * 2000))
    assert "quá lớn" in caught.value.messages[0]
    assert "lon.pdf" in caught.value.messages[0]


def test_more_than_ten_files_at_once_are_refused():
    files = [upload(f"{i}.pdf", PDF_BYTES) for i in range(11)]
    with pytest.raises(ValidationError) as caught:
        validate_evidence_files(files)
    assert "tối đa 10 tệp" in caught.value.messages[0]


def test_every_refused_file_is_named_at_once():
    files = [
        upload("a.pdf", EXE_BYTES),
        upload("b.pdf", PDF_BYTES),
        upload("c.exe", b"x"),
    ]
    with pytest.raises(ValidationError) as caught:
        validate_evidence_files(files)
    text = " ".join(caught.value.messages)
    assert "a.pdf" in text and "c.exe" in text and "b.pdf" not in text


def test_decomposed_vietnamese_names_are_stored_composed():
    decomposed = unicodedata.normalize("NFD", "Báo cáo tiến độ.pdf")
    (cleaned,) = validate_evidence_files([upload(decomposed, PDF_BYTES)])
    assert cleaned.name == "Báo cáo tiến độ.pdf"
    assert cleaned.content_type == "application/pdf"


# --- through the report form ----------------------------------------------------------


def report(client, user, task, files, percent="30"):
    client.force_login(user)
    return client.post(
        reverse("tasks:report", args=[task.pk]),
        {
            "version": task.version,
            "percent": percent,
            "note": "Kèm minh chứng",
            "files": files,
        },
    )


def test_report_form_states_the_allowed_types_and_limits(client, people, make_task):
    task = make_task()
    client.force_login(people.canbo_vp)
    html = client.get(reverse("tasks:report", args=[task.pk])).content.decode()
    assert "PDF, ảnh (JPEG, PNG, WebP), Word (.doc, .docx), Excel (.xls, .xlsx)" in html
    assert "20,0" in html or "20.0" in html  # MB, in the locale's format
    assert "tối đa 10 tệp" in html
    assert 'accept=".pdf,' in html
    assert "multiple" in html


def test_exe_renamed_pdf_is_refused_and_nothing_is_saved(
    client, people, make_task, media
):
    task = make_task()
    response = report(client, people.canbo_vp, task, [upload("Báo cáo.pdf", EXE_BYTES)])
    assert response.status_code == 400
    html = response.content.decode()
    assert "Tệp “Báo cáo.pdf” không đúng định dạng .pdf" in html
    assert "Kèm minh chứng" in html  # what was typed is kept
    task.refresh_from_db()
    assert task.progress == 0
    assert not ProgressReport.objects.filter(task=task).exists()
    assert not EvidenceFile.objects.exists()
    assert not media.exists() or not any(p.is_file() for p in media.rglob("*"))


def test_too_big_file_is_refused(client, people, make_task, settings):
    settings.EVIDENCE_MAX_BYTES = 1024
    task = make_task()
    big = upload("Ảnh chụp.pdf", PDF_BYTES + b"0" * 4096)
    response = report(client, people.canbo_vp, task, [big])
    assert response.status_code == 400
    assert "Tệp “Ảnh chụp.pdf” quá lớn" in response.content.decode()
    assert not ProgressReport.objects.filter(task=task).exists()


def test_eleven_files_are_refused(client, people, make_task):
    task = make_task()
    files = [upload(f"tep-{i}.pdf", PDF_BYTES) for i in range(11)]
    response = report(client, people.canbo_vp, task, files)
    assert response.status_code == 400
    assert "tối đa 10 tệp" in response.content.decode()
    assert not ProgressReport.objects.filter(task=task).exists()


# --- keeping and serving ------------------------------------------------------------


@pytest.fixture
def vietnamese_evidence(client, people, make_task):
    task = make_task()
    response = report(
        client, people.canbo_vp, task, [upload("Báo cáo tiến độ.pdf", PDF_BYTES)]
    )
    assert response.status_code == 302
    return EvidenceFile.objects.get(report__task=task)


def test_vietnamese_file_name_is_kept_and_the_file_stored_outside_the_web_root(
    vietnamese_evidence, media, settings
):
    evidence = vietnamese_evidence
    assert evidence.original_name == "Báo cáo tiến độ.pdf"
    assert evidence.content_type == "application/pdf"
    assert evidence.size == len(PDF_BYTES)
    stored = os.path.realpath(evidence.file.path)
    assert stored.startswith(os.path.realpath(media))
    assert not stored.startswith(os.path.realpath(settings.STATIC_ROOT))
    # the name on disk is ours, not the user's
    assert "Báo cáo" not in evidence.file.name


@pytest.mark.parametrize("who", ["canbo_vp", "canbo_vp2", "bithu_da", "thuongtruc"])
def test_someone_in_scope_downloads_the_file_under_its_vietnamese_name(
    client, people, vietnamese_evidence, who
):
    client.force_login(getattr(people, who))
    response = client.get(reverse("tasks:evidence", args=[vietnamese_evidence.pk]))
    assert response.status_code == 200
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment")
    assert f"filename*=utf-8''{quote('Báo cáo tiến độ.pdf')}" in disposition
    assert response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content) == PDF_BYTES


@pytest.mark.parametrize("who", ["canbo_cl", "canbo_th", "bithu_th"])
def test_someone_out_of_scope_gets_404_for_the_file(
    client, people, vietnamese_evidence, who
):
    client.force_login(getattr(people, who))
    response = client.get(reverse("tasks:evidence", args=[vietnamese_evidence.pk]))
    assert response.status_code == 404


def test_missing_file_id_is_404_and_anonymous_is_sent_to_sign_in(
    client, people, vietnamese_evidence
):
    path = reverse("tasks:evidence", args=[vietnamese_evidence.pk])
    client.logout()
    response = client.get(path)
    assert response.status_code == 302
    assert reverse("login") in response["Location"]
    client.force_login(people.admin)
    assert client.get(reverse("tasks:evidence", args=[999999])).status_code == 404


def test_submission_files_are_listed_on_the_task_page(client, people, make_task):
    task = make_task()
    client.force_login(people.canbo_vp)
    response = client.post(
        reverse("tasks:submit", args=[task.pk]),
        {
            "version": task.version,
            "actual_result": "Quy chế đã ban hành",
            "files": [upload("Quyết định ban hành.pdf", PDF_BYTES)],
        },
    )
    assert response.status_code == 302
    html = client.get(task.get_absolute_url()).content.decode()
    evidence = EvidenceFile.objects.get(report__task=task)
    assert "Quyết định ban hành.pdf" in html
    assert reverse("tasks:evidence", args=[evidence.pk]) in html


def test_service_attaches_nothing_when_the_report_is_refused(people, make_task):
    # Belt and braces: a report the service refuses leaves no file row.
    task = make_task()
    with pytest.raises(ValidationError):
        services.task_report_progress(
            actor=people.canbo_vp,
            task=task,
            percent=100,
            files=[upload("x.pdf", PDF_BYTES)],
        )
    assert not EvidenceFile.objects.exists()
