"""``manage.py compute_scores [--month YYYY-MM]``: compute a past month's
scores for every unit (last month by default), as the nightly job does.
Confirmed rows are left as they are; running it twice changes nothing."""

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from tasks.calendar import local_today

from ... import selectors, services
from ...forms import parse_month


class Command(BaseCommand):
    help = "Tính điểm một tháng đã qua cho mọi đơn vị (mặc định: tháng trước)."

    def add_arguments(self, parser):
        parser.add_argument("--month", help="YYYY-MM, ví dụ 2026-10")

    def handle(self, *args, month=None, **options):
        if month:
            start = parse_month(month)
            if start is None:
                raise CommandError(_("Tháng không hợp lệ: %(m)s") % {"m": month})
        else:
            start = selectors.previous_month(local_today())
        try:
            result = services.scores_compute(month=start, actor=None)
        except ValidationError as exc:
            raise CommandError("; ".join(exc.messages)) from exc
        self.stdout.write(
            _(
                "Đã tính điểm tháng %(m)s: %(r)s đơn vị, %(p)s người; %(f)s người "
                "đã xác nhận giữ nguyên."
            )
            % {
                "m": start.strftime("%m/%Y"),
                "r": result["rounds"],
                "p": result["people"],
                "f": result["frozen"],
            }
        )
