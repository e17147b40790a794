"""Where a dashboard's time goes: the same view, on the same data and with
the same statements, timed three ways:

- the page as users get it;
- the layout only: the data read and the page built as usual, then only the
  layout every page has (menu, bell, user menu) rendered around it;
- no HTML: the data read and the page built, nothing rendered.

Each next to the SQL floor (the statements replayed one after another,
in turns with the requests, as in pages.py), for the busiest district,
the busiest commune in it and the busiest leaf unit under that.

    bash benchmarks/run.sh parts [--runs 31] [--warmup 8]
"""

import argparse
import statistics
import sys
from pathlib import Path

import pages  # django.setup(), the subjects, the timing
from django.conf import settings
from django.test import Client
from django.test.utils import override_settings
from django.urls import reverse

from tasks.views.dashboards import DashboardView

VARIANTS = (
    ("page", DashboardView.template_name),
    ("layout only", "bench/layout_only.html"),
    ("no HTML", "bench/no_html.html"),
)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=31)
    parser.add_argument("--warmup", type=int, default=8)
    args = parser.parse_args()

    subjects = pages.pick_subjects()
    engine = settings.TEMPLATES[0]
    templates = [
        dict(engine, DIRS=[*engine["DIRS"], Path(__file__).parent / "templates"])
    ]
    dashboard = reverse("tasks:dashboard")
    print(
        f"Median of {args.runs} runs, ms; ratio to the SQL floor in brackets. "
        "Same view, same statements; only what is rendered differs."
    )
    header = f"{'node':<40} {'floor':>6} " + " ".join(
        f"{label:>17}" for label, _t in VARIANTS
    )
    print(header)
    print("-" * len(header))
    with override_settings(TEMPLATES=templates):
        for unit in (subjects["district"], subjects["level3"], subjects["level4"]):
            url = f"{dashboard}?unit={unit.pk}"
            cells, floor, statements = [], None, None
            for _label, template in VARIANTS:
                DashboardView.template_name = template
                client = Client()
                client.force_login(subjects["district_reviewer"])
                times, _cpu, floors, sent = pages.time_in_turns(
                    client, url, args.runs, args.warmup
                )
                # Each variant against the floor timed in turns with it.
                turn_floor = statistics.median(floors)
                if statements is None:
                    statements, floor = sent, turn_floor
                elif len(sent) != len(statements):
                    sys.exit(f"{template}: not the page's {len(statements)} statements")
                median = statistics.median(times)
                cells.append(f"{median * 1000:8.1f} ({median / turn_floor:4.2f}×)")
            DashboardView.template_name = VARIANTS[0][1]
            name = f"level {unit.depth}: {unit.name}"[:40]
            row = " ".join(f"{c:>17}" for c in cells)
            print(f"{name:<40} {floor * 1000:6.1f} {row}")


if __name__ == "__main__":
    main()
