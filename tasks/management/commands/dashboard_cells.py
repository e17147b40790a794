"""Check or recount what the dashboards count in advance (``tasks.rollups``):
the transfer and extension counters on each task, and the dashboard cells.

    manage.py dashboard_cells --check      exit 1 and list differences
    manage.py dashboard_cells --rebuild    recount counters, then cells
"""

import time

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from tasks import rollups


class Command(BaseCommand):
    help = (
        "Kiểm tra (--check) hoặc đếm lại (--rebuild) bộ đếm chuyển giao, gia hạn "
        "của nhiệm vụ và các ô số liệu của bảng điều khiển."
    )

    def add_arguments(self, parser):
        action = parser.add_mutually_exclusive_group(required=True)
        action.add_argument("--check", action="store_true")
        action.add_argument("--rebuild", action="store_true")

    def handle(self, *args, check=False, rebuild=False, **_):
        started = time.monotonic()
        if rebuild:
            with transaction.atomic():
                tasks = rollups.recount_counters()
                cells = rollups.rebuild_cells()
            self.stdout.write(
                f"Recounted the counters of {tasks:,} tasks and {cells:,} cells "
                f"in {time.monotonic() - started:.1f} s."
            )
            return
        problems = rollups.check()
        if problems:
            for line in problems:
                self.stderr.write(line)
            raise CommandError(
                f"{len(problems)} difference(s) (at most 50 of each kind shown); "
                "run manage.py dashboard_cells --rebuild."
            )
        self.stdout.write(
            f"Counters and cells agree with the tasks "
            f"({time.monotonic() - started:.1f} s)."
        )
