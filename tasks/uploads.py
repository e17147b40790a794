"""Checks on evidence files before they are stored.

A file is accepted only when its extension is on the list *and* its first
bytes are those of that kind of file, so that a program renamed ``.pdf`` is
refused. Office files built on zip (``.docx``, ``.xlsx``, ``.odt``,
``.ods``) are opened far enough to see that they are what they claim.
The user's file name, Vietnamese included, is kept (NFC-normalised) for
``EvidenceFile.original_name``; the name on disk is chosen by the model.
"""

import os
import unicodedata
import zipfile
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

MAX_FILES_PER_REPORT = 10

PDF = b"%PDF-"
PNG = b"\x89PNG\r\n\x1a\n"
JPEG = b"\xff\xd8\xff"
ZIP = b"PK\x03\x04"
OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


@dataclass(frozen=True)
class Kind:
    content_type: str
    signature: bytes
    # For zip-based formats: a member the archive must contain (OOXML) or
    # the exact content of its ``mimetype`` member (OpenDocument).
    zip_member: str = ""
    odf_mimetype: str = ""


KINDS: dict[str, Kind] = {
    ".pdf": Kind("application/pdf", PDF),
    ".jpg": Kind("image/jpeg", JPEG),
    ".jpeg": Kind("image/jpeg", JPEG),
    ".png": Kind("image/png", PNG),
    ".webp": Kind("image/webp", b"RIFF"),
    ".doc": Kind("application/msword", OLE2),
    ".xls": Kind("application/vnd.ms-excel", OLE2),
    ".docx": Kind(
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        ZIP,
        zip_member="word/",
    ),
    ".xlsx": Kind(
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        ZIP,
        zip_member="xl/",
    ),
    ".odt": Kind(
        "application/vnd.oasis.opendocument.text",
        ZIP,
        odf_mimetype="application/vnd.oasis.opendocument.text",
    ),
    ".ods": Kind(
        "application/vnd.oasis.opendocument.spreadsheet",
        ZIP,
        odf_mimetype="application/vnd.oasis.opendocument.spreadsheet",
    ),
}

ACCEPT_ATTR = ",".join(KINDS)
ALLOWED_TYPES_TEXT = gettext_lazy(
    "PDF, ảnh (JPEG, PNG, WebP), Word (.doc, .docx), Excel (.xls, .xlsx), "
    "OpenDocument (.odt, .ods)"
)


def max_bytes() -> int:
    # Read at call time so that an admin (or a test) can change the setting.
    return int(settings.EVIDENCE_MAX_BYTES)


def limits_text() -> str:
    return _(
        "Tệp được nhận: %(types)s. Mỗi tệp tối đa %(size)s, mỗi lần báo cáo "
        "tối đa %(count)s tệp."
    ) % {
        "types": ALLOWED_TYPES_TEXT,
        "size": filesizeformat(max_bytes()),
        "count": MAX_FILES_PER_REPORT,
    }


def clean_name(name: str) -> str:
    """The user's file name without any folder part, NFC-normalised (a Mac
    sends Vietnamese letters decomposed), at most 255 characters."""
    name = unicodedata.normalize("NFC", os.path.basename(name or "").strip())
    name = "".join(ch for ch in name if ch.isprintable())
    if len(name) > 255:
        stem, ext = os.path.splitext(name)
        name = stem[: 255 - len(ext)] + ext
    return name or "tep"


def _head(upload, length: int = 16) -> bytes:
    upload.seek(0)
    head = upload.read(length)
    upload.seek(0)
    return head


def _zip_matches(upload, kind: Kind) -> bool:
    upload.seek(0)
    try:
        with zipfile.ZipFile(upload) as archive:
            names = archive.namelist()
            if kind.odf_mimetype:
                if "mimetype" not in names:
                    return False
                return archive.read("mimetype").strip() == kind.odf_mimetype.encode()
            return "[Content_Types].xml" in names and any(
                n.startswith(kind.zip_member) for n in names
            )
    except (zipfile.BadZipFile, OSError, KeyError, RuntimeError):
        return False
    finally:
        upload.seek(0)


def _content_matches(upload, kind: Kind) -> bool:
    head = _head(upload)
    if not head.startswith(kind.signature):
        return False
    if kind.content_type == "image/webp":
        return head[8:12] == b"WEBP"
    if kind.zip_member or kind.odf_mimetype:
        return _zip_matches(upload, kind)
    return True


def validate_evidence_file(upload) -> str:
    """Check one uploaded file; return its content type or raise a
    ValidationError whose message names the file."""
    name = clean_name(getattr(upload, "name", ""))
    ext = os.path.splitext(name)[1].lower()
    kind = KINDS.get(ext)
    if kind is None:
        raise ValidationError(
            _("Tệp “%(name)s” không được nhận: chỉ nhận %(types)s.")
            % {"name": name, "types": ALLOWED_TYPES_TEXT},
            code="file_type",
        )
    size = getattr(upload, "size", 0) or 0
    if size == 0:
        raise ValidationError(
            _("Tệp “%(name)s” rỗng.") % {"name": name}, code="file_empty"
        )
    if size > max_bytes():
        raise ValidationError(
            _("Tệp “%(name)s” quá lớn (%(size)s); mỗi tệp tối đa %(limit)s.")
            % {
                "name": name,
                "size": filesizeformat(size),
                "limit": filesizeformat(max_bytes()),
            },
            code="file_size",
        )
    if not _content_matches(upload, kind):
        raise ValidationError(
            _(
                "Tệp “%(name)s” không đúng định dạng %(ext)s (nội dung tệp không "
                "khớp với phần mở rộng)."
            )
            % {"name": name, "ext": ext},
            code="file_content",
        )
    return kind.content_type


def validate_evidence_files(uploads) -> list:
    """Check every file of one report. On success the uploads are returned
    with their name cleaned and their content type set from what was
    detected (never the browser's claim); otherwise one ValidationError
    lists every refused file."""
    uploads = [u for u in uploads or () if u]
    if len(uploads) > MAX_FILES_PER_REPORT:
        raise ValidationError(
            _("Mỗi lần báo cáo tối đa %(count)s tệp; bạn đã chọn %(n)s tệp.")
            % {"count": MAX_FILES_PER_REPORT, "n": len(uploads)},
            code="too_many_files",
        )
    errors = []
    for upload in uploads:
        try:
            content_type = validate_evidence_file(upload)
        except ValidationError as exc:
            errors.extend(exc.error_list)
            continue
        upload.name = clean_name(upload.name)
        upload.content_type = content_type
    if errors:
        raise ValidationError(errors)
    return uploads
