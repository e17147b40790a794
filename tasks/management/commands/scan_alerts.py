"""Run the overdue scan and the e-mail send now, in this process.

The same services the Celery jobs call; useful for demos, for ops after an
outage, and on a machine with no worker running.
"""

import datetime

from django.core.management.base import BaseCommand, CommandError

from tasks.alerts import alerts_scan_overdue, alerts_send_pending


class Command(BaseCommand):
    help = "Quét nhiệm vụ quá hạn, tạo cảnh báo và gửi thư ngay (đồng bộ)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--today",
            help="Scan as if today were this date (YYYY-MM-DD); default: today.",
        )
        parser.add_argument(
            "--no-send", action="store_true", help="Only scan; send no e-mail."
        )
        parser.add_argument(
            "--limit", type=int, default=500, help="At most this many e-mails."
        )
        parser.add_argument("--batch-size", type=int, default=None)

    def handle(self, *args, today=None, no_send=False, limit=500, batch_size=None, **_):
        day = None
        if today:
            try:
                day = datetime.date.fromisoformat(today)
            except ValueError as exc:
                raise CommandError(
                    f"--today must be YYYY-MM-DD, not {today!r}"
                ) from exc
        scan = alerts_scan_overdue(today=day, batch_size=batch_size, enqueue_send=False)
        self.stdout.write(
            f"scan: {scan.created_count} overdue alert(s) created "
            f"({scan.status}, {scan.duration.total_seconds():.2f} s)"
        )
        if no_send:
            return
        send = alerts_send_pending(limit=limit)
        line = (
            f"send: {send.sent_count} e-mail(s) sent, {send.failed_count} not sent "
            f"({send.status}, {send.duration.total_seconds():.2f} s)"
        )
        if send.error:
            line += f": {send.error}"
        self.stdout.write(line)
