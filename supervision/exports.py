"""Excel (.xlsx) export of the supervision summary: its three tables, with
the numbers of the page, because both are built from
``supervision.selectors.summary``. Text a spreadsheet would run as a formula
is neutralised by ``tasks.exports`` (its ``Sheet`` writes every cell)."""

import io

from django.utils.translation import gettext as _
from openpyxl import Workbook

from tasks.exports import Sheet


def _rate(value):
    return value if value is not None else "—"


def summary_workbook(data, *, user_name: str, generated) -> bytes:
    workbook = Workbook(write_only=True)
    meta = [
        (_("Người xuất"), user_name),
        (_("Xuất lúc"), generated.strftime("%H:%M %d/%m/%Y")),
    ]

    sheet = Sheet(
        workbook, _("Độ phủ giám sát"), meta, (40, 30, 12, 14, 14, 12, 14, 12, 14, 14)
    )
    sheet.header(
        _("Đoàn giám sát"),
        _("Cấp ủy thành lập"),
        _("Số đối tượng"),
        _("Đã lên kế hoạch"),
        _("Đã giám sát"),
        _("Tỷ lệ (%)"),
        _("Kiểm tra đột xuất"),
        _("Phát hiện"),
        _("Nhiệm vụ khắc phục"),
        _("Đúng hạn (%)"),
    )
    for row in data.coverage:
        sheet.row(
            row.team.name,
            row.team.owner_unit.name,
            row.targets,
            row.scheduled,
            row.visited,
            _rate(row.rate),
            row.surprise,
            row.findings,
            row.remediation.total,
            _rate(row.remediation.rate),
        )

    sheet = Sheet(workbook, _("Theo biểu hiện vi phạm"), meta, (70, 12, 14, 14))
    sheet.header(
        _("Biểu hiện vi phạm"), _("Phát hiện"), _("Đang khắc phục"), _("Đã khắc phục")
    )
    for row in data.by_violation:
        sheet.row(row.label, row.findings, row.open, row.closed)

    sheet = Sheet(workbook, _("Theo đơn vị"), meta, (40, 12, 14, 14))
    sheet.header(_("Đơn vị"), _("Phát hiện"), _("Đang khắc phục"), _("Đã khắc phục"))
    for row in data.by_unit:
        sheet.row(row.label, row.findings, row.open, row.closed)

    sheet = Sheet(workbook, _("Khắc phục"), meta, (40, 14))
    r = data.remediation
    sheet.header(_("Nhiệm vụ khắc phục"), _("Số lượng"))
    sheet.row(_("Tổng số"), r.total)
    sheet.row(_("Hoàn thành đúng hạn"), r.done_on_time)
    sheet.row(_("Hoàn thành quá hạn"), r.done_late)
    sheet.row(_("Quá hạn, chưa xong"), r.overdue)
    sheet.row(_("Chưa đến hạn"), r.open)
    sheet.row(_("Tỷ lệ đúng hạn (%) = đúng hạn / đã đến hạn"), _rate(r.rate))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
