"""Excel (.xlsx) export of the classification list: the rows the page
shows, with the same numbers. Text a spreadsheet would run as a formula is
neutralised as in ``tasks.exports``."""

import io

from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font

from tasks.exports import neutralise

from .choices import Level

BOLD = Font(bold=True)
TITLE = Font(bold=True, size=13)
WRAP = Alignment(wrap_text=True, vertical="top")


def _value(value):
    if value is None:
        return ""
    if hasattr(value, "as_tuple"):  # Decimal
        return float(value)
    return neutralise(str(value)) if not isinstance(value, (int, float)) else value


def _pct(part: int, whole: int):
    return round(part * 100 / whole, 1) if whole else ""


def _level(value: str) -> str:
    return str(Level(value).label) if value in Level.values else ""


def classifications_workbook(rows, *, period_label: str, node_name: str) -> bytes:
    wb = Workbook(write_only=True)
    ws = wb.create_sheet(title=_("Phân loại"))
    for index, width in enumerate((34, 30, 26, 10, 10, 10, 10, 10, 10, 28, 28, 28, 40)):
        ws.column_dimensions[chr(ord("A") + index)].width = width

    def line(*values, font=None, wrap=False):
        cells = []
        for value in values:
            cell = WriteOnlyCell(ws, value=_value(value))
            if font is not None:
                cell.font = font
            if wrap:
                cell.alignment = WRAP
            cells.append(cell)
        ws.append(cells)

    line(
        _("Phân loại mức độ hoàn thành nhiệm vụ — %(p)s") % {"p": period_label},
        font=TITLE,
    )
    line(_("Đơn vị"), node_name)
    line(_("Xuất lúc"), timezone.localtime().strftime("%H:%M %d/%m/%Y"))
    ws.append([])
    line(
        _("Cán bộ / đơn vị"),
        _("Đơn vị"),
        _("Tổ chức xét tỷ lệ"),
        _("Số tháng có điểm"),
        _("Điểm bình quân"),
        _("Số việc tính"),
        _("Đúng hạn (%)"),
        _("Chậm tiến độ (%)"),
        _("Vượt yêu cầu (%)"),
        _("Mức theo tiêu chí"),
        _("Mức đề xuất"),
        _("Mức cấp ủy quyết định"),
        _("Ghi chú"),
        font=BOLD,
        wrap=True,
    )
    for row in rows:
        notes = []
        if row.over_quota:
            notes.append(_("Vượt tỷ lệ “xuất sắc”, cấp ủy quyết định"))
        if row.decision_reason:
            notes.append(row.decision_reason)
        line(
            row.person.get_full_name() if row.person_id else _("(Đơn vị)"),
            row.unit.name,
            row.group_unit.name if row.group_unit_id else "",
            row.months_scored,
            row.avg_points,
            row.counted,
            _pct(row.on_time, row.counted),
            _pct(row.late + row.overdue, row.counted),
            _pct(row.beyond, row.counted),
            _level(row.criteria_level),
            _level(row.proposed_level),
            _level(row.decided_level),
            "; ".join(str(n) for n in notes),
        )
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
