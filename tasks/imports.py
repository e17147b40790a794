"""Bulk assignment from Excel: the template a leader downloads, the reading
and checking of the file they upload, and the creation of its tasks.

Every cell is user input: it is stripped and length-checked, dates may be
real Excel dates or text dd/mm/yyyy, and each row is held to the same rules
as the form (``services.validate_five_clear``). Nothing is saved until every
row is valid; then all tasks are created through ``services.task_create`` in
one transaction.

Between the check and the confirmation the upload waits under
``MEDIA_ROOT/imports/<random token>.xlsx`` (no server memory is involved);
the view ties the token to the user's session and the confirmation reads and
checks the file again.
"""

import datetime
import io
import logging
import re
import secrets
import zipfile
from dataclasses import dataclass, field

import openpyxl
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.utils.datetime import from_excel
from openpyxl.worksheet.datavalidation import DataValidation

from directives.choices import DirectiveKind, DirectiveStatus
from directives.models import Directive, DirectiveItem
from units.choices import Role
from units.models import Membership, Unit, User
from units.scope import get_scope
from units.text import fold_vietnamese

from . import services
from .forms_assign import TEXT_MAX_LENGTH, ancestor_paths, leader_units
from .models import Task

logger = logging.getLogger(__name__)

DATA_SHEET = "Nhiệm vụ"
GUIDE_SHEET = "Hướng dẫn"
REFERENCE_SHEET = "Danh mục"
TEMPLATE_ROWS = 1000  # rows prepared (validation lists, text format)
MAX_COLUMNS = 40
# Stop reading a sheet with this many rows, even empty ones: a real import
# never needs them and a crafted file must not keep the server busy.
MAX_PHYSICAL_ROWS = 20_000
# An .xlsx is a zip: refuse one that would inflate beyond this.
MAX_UNZIPPED_BYTES = 100 * 1024 * 1024
STASH_DIR = "imports"
STASH_MAX_AGE = datetime.timedelta(hours=24)
TOKEN_RE = re.compile(r"^[0-9a-f]{32}$")
DATE_FORMATS = ("%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y", "%Y-%m-%d")
YES = {"co", "x", "1", "true", "yes", "dung"}
NO = {"", "khong", "0", "false", "no", "sai"}


def import_max_rows() -> int:
    return getattr(settings, "TRACKER_IMPORT_MAX_ROWS", 1000)


@dataclass(frozen=True)
class Column:
    key: str
    header_id: str  # the Vietnamese header, also the translation's msgid
    required: bool
    width: int
    max_length: int | None = None

    @property
    def header(self) -> str:
        return _(self.header_id)


def _max(model, name) -> int:
    return model._meta.get_field(name).max_length


# The order of the template. ``header`` is what the sheet shows; a file may
# put the columns in any order, and may leave out the optional ones.
COLUMNS: tuple[Column, ...] = (
    Column("title", gettext_noop("Tên nhiệm vụ"), True, 40, _max(Task, "title")),
    Column("description", gettext_noop("Nội dung"), True, 50, TEXT_MAX_LENGTH),
    Column(
        "directive",
        gettext_noop("Văn bản chỉ đạo (số ký hiệu)"),
        True,
        18,
        _max(Directive, "number"),
    ),
    Column(
        "directive_item", gettext_noop("Mục"), False, 8, _max(DirectiveItem, "number")
    ),
    Column(
        "lead_unit", gettext_noop("Đơn vị chủ trì (mã)"), True, 18, _max(Unit, "code")
    ),
    Column(
        "coordinating_units",
        gettext_noop("Đơn vị phối hợp (mã, cách nhau bởi dấu phẩy)"),
        False,
        24,
        2000,
    ),
    Column(
        "assignee",
        gettext_noop("Người thực hiện (tên đăng nhập)"),
        True,
        18,
        _max(User, "username"),
    ),
    Column(
        "accountable_leader",
        gettext_noop("Lãnh đạo chịu trách nhiệm (tên đăng nhập)"),
        True,
        18,
        _max(User, "username"),
    ),
    Column("start_date", gettext_noop("Ngày bắt đầu"), True, 14, 40),
    Column("deadline", gettext_noop("Hạn hoàn thành"), True, 14, 40),
    Column(
        "expected_result", gettext_noop("Kết quả dự kiến"), True, 40, TEXT_MAX_LENGTH
    ),
    Column("is_hard", gettext_noop("Việc khó (có/không)"), False, 12, 20),
    Column("is_hot", gettext_noop("Việc nóng (có/không)"), False, 12, 20),
)
COLUMN_BY_KEY = {column.key: column for column in COLUMNS}
DATE_KEYS = ("start_date", "deadline")
BOOL_KEYS = ("is_hard", "is_hot")


# --- results -----------------------------------------------------------------


@dataclass
class RowError:
    row: int
    column: str
    message: str


@dataclass
class ImportRow:
    """A valid row: the arguments of ``task_create`` and what the preview
    shows."""

    row: int
    kwargs: dict
    directive_number: str
    item_number: str
    coordinating_codes: list[str]


@dataclass
class ImportResult:
    file_errors: list[str] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    rows: list[ImportRow] = field(default_factory=list)
    data_rows: int = 0

    @property
    def ok(self) -> bool:
        return not self.file_errors and not self.errors and bool(self.rows)

    @property
    def error_rows(self) -> int:
        return len({error.row for error in self.errors})


class ImportFileError(Exception):
    """The file as a whole cannot be read; each argument is a message."""

    def __init__(self, *messages: str):
        super().__init__(*messages)
        self.messages = list(messages)


# --- the template ------------------------------------------------------------


def _put(ws, row: int, col: int, value, *, bold: bool = False):
    """Write a cell. Text from the database is always text: a unit named
    "=HYPERLINK(...)" must not become a formula in someone's Excel."""
    if isinstance(value, Promise):
        value = str(value)
    cell = ws.cell(row=row, column=col, value=value)
    if isinstance(value, str):
        cell.data_type = "s"
    if bold:
        cell.font = Font(bold=True)
    return cell


def _reference_data(user) -> dict:
    """Units, people and directives for the reference sheet: one query each."""
    units = list(
        leader_units(user).order_by("path").values_list("code", "name", "path")
    )
    scope = get_scope(user)
    above = sorted({p for path in scope.leader_paths for p in ancestor_paths(path)})
    in_scope = Q(unit__is_active=True)
    if not scope.is_all:
        in_scope &= scope.path_q("unit__", scope.leader_paths)
    people = list(
        Membership.objects.filter(user__is_active=True)
        .filter(in_scope | Q(role=Role.LEADER, unit__path__in=above))
        .order_by("unit__path", "role", "user__full_name")
        .values_list(
            "user__username",
            "user__full_name",
            "unit__code",
            "unit__path",
            "role",
            "title",
        )
    )
    directives = list(
        Directive.objects.in_force()
        .order_by("number")
        .values_list("pk", "number", "kind", "title")
    )
    items = list(
        DirectiveItem.objects.filter(directive__status=DirectiveStatus.IN_FORCE)
        .order_by("directive__number", "order", "number")
        .values_list("directive__number", "number", "content")
    )
    return {
        "units": units,
        "people": people,
        "directives": directives,
        "items": items,
    }


def _list_validation(ws, letter: str, formula: str, *, strict: bool) -> None:
    dv = DataValidation(
        type="list",
        formula1=formula,
        allow_blank=True,
        showErrorMessage=True,
        errorStyle="stop" if strict else "warning",
        errorTitle=_("Giá trị không có trong danh mục"),
        error=_("Hãy chọn một giá trị trong danh sách (xem trang Danh mục)."),
    )
    ws.add_data_validation(dv)
    dv.add(f"{letter}2:{letter}{TEMPLATE_ROWS + 1}")


def build_template(user) -> bytes:
    """The .xlsx a leader fills in: the task sheet (headers only), the
    instructions with an example row, and the reference lists of the
    leader's units, their people and the directives in force."""
    data = _reference_data(user)
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = DATA_SHEET
    header_fill = PatternFill("solid", fgColor="DDEBF7")
    for col, column in enumerate(COLUMNS, start=1):
        cell = _put(ws, 1, col, column.header, bold=True)
        cell.fill = header_fill
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        letter = get_column_letter(col)
        ws.column_dimensions[letter].width = column.width
        # Text format: "1.10" stays an item number and "05/06/2026" stays
        # the 5th of June whatever the locale of the Excel that opens it.
        if column.key not in BOOL_KEYS:
            ws.column_dimensions[letter].number_format = "@"
    ws.freeze_panes = "A2"
    ws.row_dimensions[1].height = 45

    letters = {c.key: get_column_letter(i) for i, c in enumerate(COLUMNS, start=1)}
    ref = f"'{REFERENCE_SHEET}'"
    if data["units"]:
        end = len(data["units"]) + 1
        _list_validation(ws, letters["lead_unit"], f"{ref}!$A$2:$A${end}", strict=False)
    if data["people"]:
        end = len(data["people"]) + 1
        for key in ("assignee", "accountable_leader"):
            _list_validation(ws, letters[key], f"{ref}!$D$2:$D${end}", strict=False)
    if data["directives"]:
        end = len(data["directives"]) + 1
        _list_validation(ws, letters["directive"], f"{ref}!$I$2:$I${end}", strict=False)
    for key in BOOL_KEYS:
        _list_validation(ws, letters[key], '"có,không"', strict=True)

    _guide_sheet(wb.create_sheet(GUIDE_SHEET), data)
    _reference_sheet(wb.create_sheet(REFERENCE_SHEET), data)
    wb.active = 0
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _guide_sheet(ws, data: dict) -> None:
    ws.column_dimensions["A"].width = 44
    ws.column_dimensions["B"].width = 70
    lines = [
        _("Giao nhiệm vụ hàng loạt từ tệp Excel"),
        "",
        _(
            "1. Mỗi dòng của trang “%(sheet)s” là một nhiệm vụ; dòng 1 là tiêu đề, "
            "không sửa, không xóa."
        )
        % {"sheet": DATA_SHEET},
        _(
            "2. Mỗi nhiệm vụ phải đủ “5 rõ”: rõ việc (tên, nội dung, văn bản chỉ đạo), "
            "rõ người (đơn vị chủ trì, người thực hiện), rõ tiến độ (ngày bắt đầu, "
            "hạn hoàn thành), rõ kết quả (kết quả dự kiến), rõ trách nhiệm (lãnh đạo "
            "chịu trách nhiệm)."
        ),
        _(
            "3. Đơn vị ghi bằng mã, người ghi bằng tên đăng nhập, văn bản ghi bằng số "
            "ký hiệu: tra ở trang “%(sheet)s”. Chỉ giao được cho đơn vị thuộc phạm "
            "vi bạn lãnh đạo; người thực hiện phải là cán bộ của đơn vị chủ trì; lãnh "
            "đạo chịu trách nhiệm là lãnh đạo đơn vị chủ trì hoặc cấp trên."
        )
        % {"sheet": REFERENCE_SHEET},
        _(
            "4. Ngày ghi theo dạng ngày/tháng/năm, ví dụ 31/12/2026. Hạn hoàn thành "
            "không được trước ngày bắt đầu."
        ),
        _(
            "5. Đơn vị phối hợp (không bắt buộc): nhiều mã cách nhau bởi dấu phẩy. "
            "Mục, Việc khó, Việc nóng: không bắt buộc; ghi “có” hoặc “không”."
        ),
        _(
            "6. Tối đa %(rows)s nhiệm vụ một tệp. Dòng trống được bỏ qua. Nếu có dòng "
            "lỗi, chưa nhiệm vụ nào được lưu: trang web liệt kê mọi dòng lỗi và lý do "
            "để bạn sửa rồi tải lên lại."
        )
        % {"rows": _thousands(import_max_rows())},
        _(
            "7. Dòng ví dụ dưới đây chỉ để tham khảo, nằm ở trang này nên không được "
            "nhập."
        ),
    ]
    for row, line in enumerate(lines, start=1):
        _put(ws, row, 1, line, bold=row == 1)
    start = len(lines) + 2
    _put(ws, start, 1, _("VÍ DỤ (không được nhập)"), bold=True)
    # An example that would pass: a staff member, their unit, and a leader
    # of that unit or above, from the leader's own lists when there are any.
    unit_code, staff, leader = "HN.DA.VP", "nguyenvana", "lanhdao"
    members = [p for p in data["people"] if p[4] == Role.STAFF]
    if members:
        staff, _name, unit_code, unit_path = members[0][:4]
        leader = next(
            (
                p[0]
                for p in data["people"]
                if p[4] == Role.LEADER and unit_path.startswith(p[3])
            ),
            leader,
        )
    directive = data["directives"][0][1] if data["directives"] else "24-CT/TU"
    today = timezone.localdate()
    example = {
        "title": _("Rà soát quy chế làm việc theo “5 rõ”"),
        "description": _(
            "Sửa đổi quy chế làm việc của cơ quan, nêu rõ người, rõ việc."
        ),
        "directive": directive,
        "directive_item": "1",
        "lead_unit": unit_code,
        "coordinating_units": "",
        "assignee": staff,
        "accountable_leader": leader,
        "start_date": today.strftime("%d/%m/%Y"),
        "deadline": (today + datetime.timedelta(days=30)).strftime("%d/%m/%Y"),
        "expected_result": _("Quy chế sửa đổi được ban hành"),
        "is_hard": _("không"),
        "is_hot": _("không"),
    }
    for offset, column in enumerate(COLUMNS, start=1):
        _put(ws, start + offset, 1, column.header, bold=True)
        _put(ws, start + offset, 2, example[column.key])


def _role_label(role: str, title: str) -> str:
    label = str(Role(role).label)
    return f"{label} ({title})" if title else label


def _thousands(number: int) -> str:
    return f"{number:,}".replace(",", ".")


def _reference_sheet(ws, data: dict) -> None:
    blocks = (
        (1, (_("Mã đơn vị"), _("Tên đơn vị")), [(c, n) for c, n, _p in data["units"]]),
        (
            4,
            (_("Tên đăng nhập"), _("Họ và tên"), _("Đơn vị (mã)"), _("Vai trò")),
            [
                (username, full_name, code, _role_label(role, title))
                for username, full_name, code, _p, role, title in data["people"]
            ],
        ),
        (
            9,
            (_("Số ký hiệu văn bản"), _("Loại"), _("Trích yếu")),
            [
                (number, str(DirectiveKind(kind).label), title)
                for _pk, number, kind, title in data["directives"]
            ],
        ),
        (13, (_("Văn bản (số ký hiệu)"), _("Mục"), _("Nội dung mục")), data["items"]),
    )
    widths = {1: 16, 2: 40, 4: 18, 5: 28, 6: 16, 7: 22, 9: 18, 10: 12, 11: 50}
    widths |= {13: 18, 14: 8, 15: 60}
    for col, width in widths.items():
        ws.column_dimensions[get_column_letter(col)].width = width
    for first_col, headers, rows in blocks:
        for offset, header in enumerate(headers):
            _put(ws, 1, first_col + offset, header, bold=True)
        for row_index, values in enumerate(rows, start=2):
            for offset, value in enumerate(values):
                _put(ws, row_index, first_col + offset, value)
    ws.freeze_panes = "A2"


# --- reading an upload ---------------------------------------------------------


def _header_key(text: str) -> str:
    folded = fold_vietnamese(text)
    return re.sub(r"\s*\(.*?\)\s*", " ", folded).strip()


def _header_lookup() -> dict[str, str]:
    """Folded header (with or without its bracketed hint), in Vietnamese and
    in the current language → column key."""
    lookup: dict[str, str] = {}
    for column in COLUMNS:
        for text in (column.header_id, column.header):
            lookup[fold_vietnamese(text)] = column.key
            lookup[_header_key(text)] = column.key
    return lookup


def _open_workbook(data: bytes):
    not_excel = _(
        "Tệp không phải là tệp Excel .xlsx hợp lệ (có thể là tệp khác đổi đuôi). "
        "Hãy tải tệp mẫu, điền rồi lưu dưới dạng Excel Workbook (.xlsx)."
    )
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())
            unzipped = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, OSError, ValueError):
        raise ImportFileError(not_excel) from None
    if "xl/workbook.xml" not in names:
        raise ImportFileError(not_excel)
    if unzipped > MAX_UNZIPPED_BYTES:
        raise ImportFileError(_("Tệp có nội dung quá lớn sau khi giải nén."))
    try:
        return openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:  # noqa: BLE001 — any parser failure means "not a usable .xlsx"
        logger.info("import: openpyxl could not open an upload", exc_info=True)
        raise ImportFileError(not_excel) from None


def read_sheet(data: bytes) -> tuple[list[str], list[tuple[int, tuple]]]:
    """The header keys and the non-empty data rows (Excel row number, cells).

    Raises ImportFileError naming what is wrong with the file as a whole:
    not an .xlsx, unknown or missing columns, no rows, too many rows."""
    wb = _open_workbook(data)
    try:
        ws = wb[DATA_SHEET] if DATA_SHEET in wb.sheetnames else wb.worksheets[0]
        rows = ws.iter_rows(max_col=MAX_COLUMNS, values_only=True)
        header = next(rows, None)
        keys = _read_header(header)
        max_rows = import_max_rows()
        found: list[tuple[int, tuple]] = []
        for number, cells in enumerate(rows, start=2):
            if number > MAX_PHYSICAL_ROWS:
                raise ImportFileError(
                    _(
                        "Trang tính có quá nhiều dòng (hơn %(n)s); "
                        "hãy xóa các dòng thừa."
                    )
                    % {"n": _thousands(MAX_PHYSICAL_ROWS)}
                )
            if all(_is_blank(cell) for cell in cells):
                continue
            found.append((number, cells))
            if len(found) > max_rows:
                raise ImportFileError(
                    _(
                        "Tệp có hơn %(n)s nhiệm vụ; hãy chia thành nhiều tệp, mỗi tệp "
                        "tối đa %(n)s dòng."
                    )
                    % {"n": _thousands(max_rows)}
                )
    except ImportFileError:
        raise
    except Exception:  # noqa: BLE001 — a malformed sheet is the user's file, not a bug
        logger.info("import: failed while reading an upload", exc_info=True)
        raise ImportFileError(
            _("Không đọc được nội dung tệp Excel; hãy lưu lại từ tệp mẫu và thử lại.")
        ) from None
    finally:
        wb.close()
    if not found:
        raise ImportFileError(
            _("Tệp chưa có nhiệm vụ nào: hãy điền từ dòng 2 của trang “%(sheet)s”.")
            % {"sheet": DATA_SHEET}
        )
    return keys, found


def _is_blank(value) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _read_header(header) -> list[str]:
    if header is None or all(_is_blank(cell) for cell in header):
        raise ImportFileError(
            _("Tệp không có dòng tiêu đề: dòng 1 phải là tiêu đề các cột như tệp mẫu.")
        )
    lookup = _header_lookup()
    keys: list[str] = []
    unknown: list[str] = []
    duplicated: list[str] = []
    for cell in header:
        text = _text(cell)
        if not text:
            keys.append("")
            continue
        key = lookup.get(fold_vietnamese(text)) or lookup.get(_header_key(text))
        if key is None:
            unknown.append(text[:100])
            keys.append("")
        elif key in keys:
            duplicated.append(text[:100])
            keys.append("")
        else:
            keys.append(key)
    missing = [c.header for c in COLUMNS if c.required and c.key not in keys]
    messages = []
    if missing:
        messages.append(
            _("Thiếu cột: %(columns)s.")
            % {"columns": ", ".join(f"“{m}”" for m in missing)}
        )
    if unknown:
        messages.append(
            _("Cột không nhận ra: %(columns)s.")
            % {"columns": ", ".join(f"“{u}”" for u in unknown)}
        )
    if duplicated:
        messages.append(
            _("Cột bị lặp: %(columns)s.")
            % {"columns": ", ".join(f"“{d}”" for d in duplicated)}
        )
    if messages:
        messages.append(_("Hãy dùng đúng dòng tiêu đề của tệp mẫu."))
        raise ImportFileError(*messages)
    return keys


def _text(value) -> str:
    """A cell as stripped text (numbers without a spurious ".0")."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return _("có") if value else _("không")
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, datetime.datetime):
        value = value.date()
    if isinstance(value, datetime.date):
        return value.strftime("%d/%m/%Y")
    return str(value).replace("\x00", "").strip()


def _date(value) -> datetime.date:
    """A real Excel date, or text dd/mm/yyyy (also yyyy-mm-dd)."""
    if isinstance(value, datetime.datetime):
        day = value.date()
    elif isinstance(value, datetime.date):
        day = value
    elif isinstance(value, int | float) and not isinstance(value, bool):
        # A date serial in a cell whose format Excel did not mark as a date.
        if not 36_526 <= value <= 73_050:  # years 2000 to 2099
            raise ValueError(value)
        day = from_excel(value).date()
    else:
        text = _text(value)
        for fmt in DATE_FORMATS:
            try:
                day = datetime.datetime.strptime(text, fmt).date()
                break
            except ValueError:
                continue
        else:
            raise ValueError(text)
    if not 2000 <= day.year <= 2099:
        raise ValueError(value)
    return day


def _bool(value) -> bool:
    if isinstance(value, bool):
        return value
    folded = fold_vietnamese(_text(value))
    if folded in YES:
        return True
    if folded in NO:
        return False
    raise ValueError(value)


def _split_codes(text: str) -> list[str]:
    codes: list[str] = []
    for part in re.split(r"[,;\n]+", text):
        part = part.strip()
        if part and part not in codes:
            codes.append(part)
    return codes


class _RowCheck:
    """The parsed values and the errors of one row, by column key."""

    def __init__(self, number: int):
        self.number = number
        self.values: dict = {}
        self.errors: dict[str, list[str]] = {}

    def add(self, key: str, message: str) -> None:
        self.errors.setdefault(key, []).append(message)

    def as_errors(self) -> list[RowError]:
        order = {column.key: i for i, column in enumerate(COLUMNS)}
        result = []
        for key in sorted(self.errors, key=lambda k: order.get(k, len(order))):
            header = COLUMN_BY_KEY[key].header if key in COLUMN_BY_KEY else ""
            result.extend(RowError(self.number, header, m) for m in self.errors[key])
        return result


def _parse_row(number: int, keys: list[str], cells: tuple) -> _RowCheck:
    check = _RowCheck(number)
    raw = {key: cells[i] for i, key in enumerate(keys) if key and i < len(cells)}
    for column in COLUMNS:
        value = raw.get(column.key)
        if column.key in DATE_KEYS:
            check.values[column.key] = None
            if _is_blank(value):
                continue
            try:
                check.values[column.key] = _date(value)
            except (TypeError, ValueError, OverflowError):
                check.add(
                    column.key,
                    _(
                        "“%(value)s” không phải ngày hợp lệ; ghi theo dạng "
                        "ngày/tháng/năm, ví dụ 31/12/2026."
                    )
                    % {"value": _text(value)[:40]},
                )
            continue
        if column.key in BOOL_KEYS:
            check.values[column.key] = False
            try:
                check.values[column.key] = _bool(value)
            except ValueError:
                check.add(
                    column.key,
                    _("“%(value)s” không hợp lệ; ghi “có” hoặc “không”.")
                    % {"value": _text(value)[:40]},
                )
            continue
        text = _text(value)
        if column.max_length and len(text) > column.max_length:
            check.add(
                column.key,
                _("Dài quá %(max)s ký tự (đang có %(length)s).")
                % {"max": column.max_length, "length": len(text)},
            )
            text = ""
        check.values[column.key] = text
    check.values["coordinating_units"] = _split_codes(
        check.values["coordinating_units"]
    )
    return check


def _lookup(model_rows, key_name: str, wanted: set[str], fold) -> dict:
    """Exact match first, then a case-insensitive one (``fold``)."""
    exact = {getattr(row, key_name): row for row in model_rows}
    folded: dict[str, list] = {}
    for row in model_rows:
        folded.setdefault(fold(getattr(row, key_name)), []).append(row)
    found = {}
    for text in wanted:
        if text in exact:
            found[text] = exact[text]
        elif len(folded.get(fold(text), ())) == 1:
            found[text] = folded[fold(text)][0]
    return found


def check_rows(
    actor, keys: list[str], raw_rows: list[tuple[int, tuple]]
) -> ImportResult:
    """Check every row; collect every error. The lookups run once for the
    whole file; each row then gets the service's own five-rõ checks."""
    scope = get_scope(actor)
    checks = [_parse_row(number, keys, cells) for number, cells in raw_rows]

    codes = {c.values["lead_unit"] for c in checks if c.values["lead_unit"]}
    codes |= {code for c in checks for code in c.values["coordinating_units"]}
    usernames = {
        c.values[key] for c in checks for key in ("assignee", "accountable_leader")
    } - {""}
    numbers = {c.values["directive"] for c in checks if c.values["directive"]}

    code_variants = codes | {code.upper() for code in codes}
    unit_rows = list(Unit.objects.filter(code__in=code_variants))
    units = _lookup(unit_rows, "code", codes, str.upper)
    name_variants = usernames | {name.lower() for name in usernames}
    user_rows = list(User.objects.filter(username__in=name_variants))
    users = _lookup(user_rows, "username", usernames, str.lower)
    directive_rows = list(Directive.objects.filter(number__in=numbers))
    directives: dict[str, list[Directive]] = {}
    for directive in directive_rows:
        directives.setdefault(directive.number, []).append(directive)
    item_rows = DirectiveItem.objects.filter(
        directive__in=[
            d for d in directive_rows if d.status == DirectiveStatus.IN_FORCE
        ]
    )
    items = {(item.directive_id, item.number): item for item in item_rows}

    def unit_for(check: _RowCheck, key: str, code: str) -> Unit | None:
        unit = units.get(code)
        if unit is None:
            check.add(
                key,
                _("Không có đơn vị mã “%(code)s” (xem trang Danh mục).")
                % {"code": code},
            )
        elif not unit.is_active:
            check.add(key, _("Đơn vị “%(code)s” đã ngừng hoạt động.") % {"code": code})
        elif not scope.leads(unit):
            check.add(
                key,
                _("Đơn vị “%(code)s” không thuộc phạm vi bạn lãnh đạo.")
                % {"code": code},
            )
        else:
            return unit
        return None

    def user_for(check: _RowCheck, key: str, username: str) -> User | None:
        if not username:
            return None
        user = users.get(username)
        if user is None:
            check.add(
                key,
                _("Không có người dùng “%(username)s” (xem trang Danh mục).")
                % {"username": username},
            )
        elif not user.is_active:
            check.add(
                key,
                _("Tài khoản “%(username)s” đã ngừng hoạt động.")
                % {"username": username},
            )
        else:
            return user
        return None

    result = ImportResult(data_rows=len(checks))
    seen: dict[tuple, int] = {}
    for check in checks:
        v = check.values
        directive = item = None
        if v["directive"]:
            candidates = directives.get(v["directive"], [])
            in_force = [d for d in candidates if d.status == DirectiveStatus.IN_FORCE]
            if len(in_force) == 1:
                directive = in_force[0]
            elif len(in_force) > 1:
                check.add(
                    "directive",
                    _(
                        "Có nhiều văn bản đang thực hiện mang số “%(number)s”; hãy "
                        "báo quản trị để phân biệt."
                    )
                    % {"number": v["directive"]},
                )
            elif candidates:
                check.add(
                    "directive",
                    _("Văn bản “%(number)s” không ở trạng thái đang thực hiện.")
                    % {"number": v["directive"]},
                )
            else:
                check.add(
                    "directive",
                    _("Không có văn bản chỉ đạo số “%(number)s” (xem trang Danh mục).")
                    % {"number": v["directive"]},
                )
        if directive is not None and v["directive_item"]:
            item = items.get((directive.pk, v["directive_item"]))
            if item is None:
                check.add(
                    "directive_item",
                    _("Văn bản “%(number)s” không có mục “%(item)s”.")
                    % {"number": directive.number, "item": v["directive_item"]},
                )
        lead_unit = (
            unit_for(check, "lead_unit", v["lead_unit"]) if v["lead_unit"] else None
        )
        coordinating = [
            unit
            for code in v["coordinating_units"]
            if (unit := unit_for(check, "coordinating_units", code)) is not None
        ]
        assignee = user_for(check, "assignee", v["assignee"])
        leader = user_for(check, "accountable_leader", v["accountable_leader"])
        kwargs = {
            "title": v["title"],
            "description": v["description"],
            "directive": directive,
            "directive_item": item,
            "lead_unit": lead_unit,
            "assignee": assignee,
            "accountable_leader": leader,
            "start_date": v["start_date"],
            "deadline": v["deadline"],
            "expected_result": v["expected_result"],
        }
        try:
            services.validate_five_clear(**kwargs)
        except ValidationError as exc:
            for key, messages in exc.message_dict.items():
                if key not in check.errors:
                    for message in messages:
                        check.add(key, message)
        if v["title"] and v["lead_unit"] and v["assignee"]:
            identity = (
                fold_vietnamese(v["title"]),
                v["lead_unit"].upper(),
                v["assignee"].lower(),
                v["directive"],
            )
            if identity in seen:
                check.add(
                    "title",
                    _(
                        "Trùng với dòng %(row)s (cùng tên nhiệm vụ, đơn vị chủ trì, "
                        "người thực hiện và văn bản)."
                    )
                    % {"row": seen[identity]},
                )
            else:
                seen[identity] = check.number
        if check.errors:
            result.errors.extend(check.as_errors())
            continue
        result.rows.append(
            ImportRow(
                row=check.number,
                kwargs={
                    **kwargs,
                    "coordinating_units": coordinating,
                    "is_hard": v["is_hard"],
                    "is_hot": v["is_hot"],
                },
                directive_number=v["directive"],
                item_number=v["directive_item"],
                coordinating_codes=[u.code for u in coordinating],
            )
        )
    return result


def read_import(data: bytes, actor) -> ImportResult:
    """Read and check an uploaded file. Never raises for a bad file."""
    try:
        keys, raw_rows = read_sheet(data)
    except ImportFileError as exc:
        return ImportResult(file_errors=exc.messages)
    return check_rows(actor, keys, raw_rows)


def create_tasks(actor, rows: list[ImportRow]) -> tuple[list[Task], list[RowError]]:
    """Create every row's task in one transaction through the service. If
    any row fails, every row is rolled back and all failures are returned."""
    created: list[Task] = []
    errors: list[RowError] = []
    reason = _("Giao nhiệm vụ từ tệp Excel")
    with transaction.atomic():
        for row in rows:
            try:
                with transaction.atomic():
                    created.append(
                        services.task_create(actor=actor, reason=reason, **row.kwargs)
                    )
            except ValidationError as exc:
                check = _RowCheck(row.row)
                if hasattr(exc, "error_dict"):
                    for key, messages in exc.message_dict.items():
                        for message in messages:
                            check.add(key, message)
                    errors.extend(check.as_errors())
                else:
                    errors.extend(RowError(row.row, "", m) for m in exc.messages)
            except PermissionDenied as exc:
                errors.append(RowError(row.row, "", str(exc)))
            except IntegrityError:
                logger.exception("import: row %s broke a database rule", row.row)
                errors.append(
                    RowError(
                        row.row, "", _("Dữ liệu dòng này vi phạm ràng buộc dữ liệu.")
                    )
                )
        if errors:
            transaction.set_rollback(True)
            created = []
    return created, errors


# --- the upload waiting for confirmation ---------------------------------------


def _stash_name(token: str) -> str:
    if not TOKEN_RE.match(token or ""):
        raise ValueError("bad import token")
    return f"{STASH_DIR}/{token}.xlsx"


def stash_upload(data: bytes) -> str:
    """Keep a checked upload until the leader confirms; return its token."""
    token = secrets.token_hex(16)
    name = _stash_name(token)
    saved = default_storage.save(name, ContentFile(data))
    if saved != name:  # never with a fresh 128-bit token; refuse rather than guess
        default_storage.delete(saved)
        raise RuntimeError("import stash name collision")
    return token


def load_stash(token: str) -> bytes | None:
    try:
        name = _stash_name(token)
    except ValueError:
        return None
    if not default_storage.exists(name):
        return None
    with default_storage.open(name, "rb") as handle:
        return handle.read()


def drop_stash(token: str) -> None:
    try:
        default_storage.delete(_stash_name(token))
    except (ValueError, OSError):
        pass


def prune_stash(now: datetime.datetime | None = None) -> None:
    """Delete uploads older than a day that nobody confirmed."""
    now = now or timezone.now()
    try:
        _dirs, files = default_storage.listdir(STASH_DIR)
    except (FileNotFoundError, NotImplementedError, OSError):
        return
    for filename in files:
        name = f"{STASH_DIR}/{filename}"
        try:
            if now - default_storage.get_modified_time(name) > STASH_MAX_AGE:
                default_storage.delete(name)
        except (OSError, NotImplementedError):
            continue
