"""Excel (.xlsx) export of the committee dashboard: every table of the page,
with the same numbers, because it is built from the same selector result
(``tasks.selectors.dashboard``).

Each sheet starts with the filter it was made with — directive, period,
unit and the time of export — then a header row in Vietnamese. Text that a
spreadsheet would run as a formula (starting with ``=``, ``+``, ``-``,
``@``, a tab or a carriage return) is written with a leading apostrophe, so
that a task titled ``=HYPERLINK(...)`` stays text.
"""

import datetime
import io
from decimal import Decimal

from django.utils.functional import Promise
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font

from .choices import Timeliness
from .selectors import rank_key

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
BOLD = Font(bold=True)
TITLE = Font(bold=True, size=13)
WRAP = Alignment(wrap_text=True, vertical="top")


def neutralise(value):
    """Text a spreadsheet would read as a formula becomes plain text."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def _cell_value(value):
    if isinstance(value, Promise):
        value = str(value)
    if isinstance(value, Decimal):
        return float(value)
    return neutralise(value)


class Sheet:
    """A write-only worksheet with the filter block on top."""

    def __init__(self, workbook, title: str, meta: list[tuple[str, str]], widths):
        self.ws = workbook.create_sheet(title=title)
        for index, width in enumerate(widths):
            letter = chr(ord("A") + index)
            self.ws.column_dimensions[letter].width = width
        heading = _("Bảng theo dõi thực hiện chỉ thị")
        self.styled(f"{heading} — {title}", font=TITLE)
        for label, value in meta:
            self.row(label, value)
        self.ws.append([])

    def styled(self, *values, font=None, number_format=None):
        cells = []
        for value in values:
            cell = WriteOnlyCell(self.ws, value=_cell_value(value))
            if font is not None:
                cell.font = font
            if number_format and isinstance(value, (int, float, Decimal)):
                cell.number_format = number_format
            cells.append(cell)
        self.ws.append(cells)

    def header(self, *labels):
        cells = []
        for label in labels:
            cell = WriteOnlyCell(self.ws, value=_cell_value(label))
            cell.font = BOLD
            cell.alignment = WRAP
            cells.append(cell)
        self.ws.append(cells)

    def row(self, *values):
        cells = []
        for value in values:
            cell = WriteOnlyCell(self.ws, value=_cell_value(value))
            if isinstance(value, Decimal):
                cell.number_format = "0.0"
            elif isinstance(value, datetime.date):
                cell.number_format = "DD/MM/YYYY"
            cells.append(cell)
        self.ws.append(cells)


def _rate(value):
    return value if value is not None else "—"


def _class_labels():
    return [label for _key, label in Timeliness.choices]


def _counts_cells(counts):
    return [counts.klass(k) for k in Timeliness.values]


def dashboard_workbook(
    data,
    *,
    directive,
    period,
    unit_name: str,
    generated_at: datetime.datetime,
    with_people: bool,
) -> bytes:
    """The dashboard as an .xlsx file, as bytes."""
    workbook = Workbook(write_only=True)
    meta = [
        (_("Văn bản chỉ đạo"), f"{directive[1]} — {directive[2]}" if directive else ""),
        (
            _("Kỳ báo cáo"),
            f"{period.label} ({period.start:%d/%m/%Y} – {period.end:%d/%m/%Y})",
        ),
        (_("Đơn vị"), unit_name),
        (_("Ngày xuất"), generated_at.strftime("%d/%m/%Y %H:%M")),
    ]
    if data is None:
        sheet = Sheet(workbook, _("Tổng quan"), meta, [40, 60])
        sheet.row(_("Chưa có văn bản chỉ đạo nào để theo dõi."))
        return _save(workbook)

    total = data.total
    query = data.query

    # Overview: classes and the two rates.
    sheet = Sheet(workbook, _("Tổng quan"), meta, [44, 16, 16, 16, 70])
    sheet.header(_("Tình trạng hạn"), _("Số nhiệm vụ"))
    for key, label in Timeliness.choices:
        sheet.row(label, total.klass(key))
    sheet.row(_("Tổng số nhiệm vụ của kỳ"), total.total)
    sheet.row(_("Nhiệm vụ đã hủy (không tính)"), total.cancelled)
    sheet.ws.append([])
    sheet.header(
        _("Chỉ tiêu"),
        _("Tử số"),
        _("Mẫu số (đã đến hạn)"),
        _("Tỷ lệ (%)"),
        _("Cách tính"),
    )
    sheet.row(
        _("Tỷ lệ hoàn thành"),
        total.due_done,
        total.due,
        _rate(total.completion_rate),
        _("(Hoàn thành đúng hạn + hoàn thành quá hạn) ÷ số nhiệm vụ đã đến hạn."),
    )
    sheet.row(
        _("Tỷ lệ hoàn thành đúng hạn"),
        total.due_done_on_time,
        total.due,
        _rate(total.on_time_rate),
        _("Hoàn thành đúng hạn ÷ số nhiệm vụ đã đến hạn. Mục tiêu: 100%."),
    )
    sheet.row(_("Mục tiêu (%)"), None, None, 100)
    sheet.ws.append([])
    sheet.row(
        _("Nhiệm vụ của kỳ"),
        _(
            "Nhiệm vụ của văn bản và các kế hoạch thực hiện, có hạn đang áp dụng "
            "trong kỳ; đã đến hạn: hạn trước ngày %(d)s."
        )
        % {"d": query.today.strftime("%d/%m/%Y")},
    )

    # Units.
    sheet = Sheet(
        workbook,
        _("Đơn vị"),
        meta,
        [8, 44, 10, 12, 12, 12, 14, 14, 12, 14, 14, 10, 12],
    )
    sheet.header(
        _("Hạng"),
        _("Đơn vị"),
        _("Tổng số"),
        *_class_labels(),
        _("Đã đến hạn"),
        _("Tỷ lệ hoàn thành (%)"),
        _("Tỷ lệ đúng hạn (%)"),
        _("Việc được gia hạn"),
        _("Việc đã chuyển đơn vị"),
    )

    def unit_line(rank, name, counts):
        sheet.row(
            rank,
            name,
            counts.total,
            *_counts_cells(counts),
            counts.due,
            _rate(counts.completion_rate),
            _rate(counts.on_time_rate),
            counts.extended,
            counts.moved,
        )

    children = [r for r in data.table.rows if not r.own]
    ranked = sorted((r for r in children if r.rank), key=rank_key)
    ranked += sorted((r for r in children if not r.rank), key=lambda r: r.name)
    for row in ranked:
        name = row.name
        if row.rolled_from:
            name = _("%(name)s (gồm kết quả của %(units)s)") % {
                "name": name,
                "units": ", ".join(row.rolled_from),
            }
        unit_line(row.rank or "—", name, row.counts)
    for row in data.table.rows:
        if row.own:
            unit_line(
                "",
                _("Do %(name)s trực tiếp chủ trì") % {"name": unit_name},
                row.counts,
            )
    unit_line("", _("Cộng — %(name)s") % {"name": unit_name}, total)

    # Trend.
    sheet = Sheet(workbook, _("Diễn biến"), meta, [12, 20, 20, 28])
    sheet.header(
        _("Tháng"),
        _("Hoàn thành đúng hạn"),
        _("Hoàn thành quá hạn"),
        _("Quá hạn chưa xong cuối tháng"),
    )
    for month in data.trend:
        sheet.row(
            month.label, month.done_on_time, month.done_late, month.overdue_at_end
        )

    # Overdue backlog.
    sheet = Sheet(workbook, _("Quá hạn"), meta, [60, 36, 28, 12, 14])
    sheet.row(
        _("Việc quá hạn chưa xong có hạn đến hết kỳ"),
        data.backlog.total,
    )
    sheet.header(
        _("Nhiệm vụ"),
        _("Đơn vị chủ trì"),
        _("Người thực hiện"),
        _("Hạn"),
        _("Số ngày quá hạn"),
    )
    for line in data.backlog.lines:
        sheet.row(
            line.title, line.unit, line.assignee, line.deadline, line.days_overdue
        )

    # Hard tasks.
    sheet = Sheet(workbook, _("Việc khó"), meta, [60, 36, 28, 12, 24])
    sheet.row(_("Số việc khó của kỳ"), total.hard)
    sheet.row(_("Đã hoàn thành"), total.hard_done)
    sheet.row(_("Quá hạn"), total.hard_overdue)
    sheet.header(
        _("Nhiệm vụ"),
        _("Đơn vị chủ trì"),
        _("Người thực hiện"),
        _("Hạn"),
        _("Tình trạng hạn"),
    )
    for line in data.hard.lines:
        sheet.row(
            line.title,
            line.unit,
            line.assignee,
            line.deadline,
            Timeliness(line.timeliness).label if line.timeliness else "",
        )

    # Possible buck-passing.
    sheet = Sheet(workbook, _("Đùn đẩy"), meta, [60, 36, 28, 12, 12, 80])
    sheet.row(_("Số nhiệm vụ có dấu hiệu đùn đẩy"), data.buck.total)
    sheet.header(
        _("Nhiệm vụ"),
        _("Đơn vị chủ trì hiện nay"),
        _("Người thực hiện"),
        _("Hạn"),
        _("Số lần chuyển"),
        _("Đường đi qua các đơn vị"),
    )
    for line in data.buck.lines:
        sheet.row(
            line.title,
            line.unit,
            line.assignee,
            line.deadline,
            line.hops,
            " → ".join(line.path),
        )

    # People (leaders only).
    if with_people and data.people is not None:
        sheet = Sheet(workbook, _("Cá nhân"), meta, [36, 12, 20, 20, 20])
        sheet.header(
            _("Người thực hiện"),
            _("Được giao"),
            _("Hoàn thành đúng hạn"),
            _("Hoàn thành quá hạn"),
            _("Quá hạn chưa xong"),
        )
        for person in data.people.rows:
            sheet.row(
                person.name,
                person.assigned,
                person.done_on_time,
                person.done_late,
                person.overdue,
            )
    return _save(workbook)


def _save(workbook) -> bytes:
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
