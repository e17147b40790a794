"""Time pages on the scale dataset against their own SQL.

For each page, N turns after a warm-up: a request through Django's test
Client (the whole middleware stack, a real session), then the same SQL
statements the page sent, replayed one after another with a cursor straight
to PostgreSQL (the floor: what the page cannot go below without changing its
queries or the schema, or running some of them at the same time as the
dashboards' side reads do). The median of each and their ratio; taken in
turns, a shared machine's slow spells fall on both alike.

Pages: the committee dashboard city-wide (a reviewer of the city, and its
leader), for one district (its reviewer), the busiest commune in it and a
leaf unit under that, the people report the leader's
dashboard loads after itself, the "my tasks" list of the busiest assignee
(a repeat view, served from the cache, and the first view after a change),
and a hello-world view with the same middleware, twice: as a bare view, and
behind the login every page of the tracker has (it reads the session and
the user, which Django does only when a view asks). Targets: dashboards
under 150 ms and within 1.5× of their SQL floor; "my tasks" at least half
the hello-world throughput, compared with the hello world behind the login
(no page that shows "my" anything can skip reading who is asking; the bare
one is printed beside it), the three timed again a request of each in turn,
ten times as many runs.

Run through benchmarks/run.sh, with the cache in Redis as in production.
"""

import argparse
import gc
import os
import statistics
import sys
import time
import warnings

import django

# WhiteNoise warns once that collectstatic has not run: not what is measured.
warnings.filterwarnings("ignore", message="No directory at")
django.setup()

from django.core.cache import caches  # noqa: E402
from django.db import connection  # noqa: E402
from django.db.models import Count, F  # noqa: E402
from django.db.models.functions import Substr  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext, override_settings  # noqa: E402
from django.urls import reverse  # noqa: E402

from tasks.models import Task  # noqa: E402
from units.choices import Role  # noqa: E402
from units.models import Membership, Unit, User  # noqa: E402

DASHBOARD_TARGET_MS = 150
FLOOR_RATIO_TARGET = 1.5
THROUGHPUT_TARGET = 0.5
# The throughput's pages are timed this many times as often as the others.
THROUGHPUT_RUNS = 10
MINE = "my tasks (tasks:mine), repeat view"
HELLO_LOGIN = "hello world behind the login (as every page)"
HELLO_BARE = "hello world, bare view"


def member(unit: Unit, role: str):
    membership = (
        Membership.objects.filter(unit=unit, role=role)
        .select_related("user")
        .order_by("pk")
        .first()
    )
    if membership is None:
        sys.exit(f"No {role} in {unit}: load the data with seed_scale first.")
    return membership.user


def pick_subjects():
    """The largest tree's root, its busiest district, the busiest unit of
    the next level in it and the busiest unit of the level below that (a
    commune office, a leaf), and the busiest assignee. Read once, before
    any timing."""
    roots = list(Unit.objects.filter(depth=1).order_by("path"))
    if not roots or not Task.objects.exists():
        sys.exit("No data: run manage.py seed_scale --tasks 1000000 --seed 42 first.")

    def tasks_under(unit):
        return Task.objects.filter(lead_unit__path__startswith=unit.path).count()

    root = max(roots, key=tasks_under)

    def busiest_under(unit):
        depth = unit.depth + 1
        found = (
            Task.objects.filter(
                lead_unit__path__startswith=unit.path, lead_unit__depth__gte=depth
            )
            .annotate(node=Substr("lead_unit__path", 1, depth * Unit.steplen))
            .values("node")
            .annotate(n=Count("pk"))
            .order_by("-n")
            .first()
        )
        return Unit.objects.get(path=found["node"]) if found else unit

    district = busiest_under(root)
    level3 = busiest_under(district)
    level4 = busiest_under(level3)
    assignee_id = (
        Task.objects.filter(lead_unit__path__startswith=root.path)
        .values("assignee_id")
        .annotate(n=Count("pk"))
        .order_by("-n")
        .first()["assignee_id"]
    )
    return dict(
        root=root,
        district=district,
        level3=level3,
        level4=level4,
        city_reviewer=member(root, Role.REVIEWER),
        city_leader=member(root, Role.LEADER),
        district_reviewer=member(district, Role.REVIEWER),
        assignee=User.objects.get(pk=assignee_id),
    )


def statements_of(client, url, before=None):
    """The statements the page sends, on all its connections: captured with
    the side reads (config.side_reads) in this thread, the same SQL."""
    (before or (lambda: None))()
    with (
        override_settings(TRACKER_SIDE_READS=False),
        CaptureQueriesContext(connection) as captured,
    ):
        client.get(url)
    return [q["sql"] for q in captured.captured_queries]


def time_in_turns(client, url, runs, warmup, before=None):
    """The page and its floor in turns: a request, then its statements
    replayed, ``runs`` times after ``warmup`` requests. A shared machine's
    slow spells then fall on both alike, and their ratio holds. Wall and
    CPU time of each request, the floor of each turn, the statements (as
    the page sends them once warm: a cached page sends fewer)."""
    before = before or (lambda: None)
    for _ in range(warmup):
        before()
        status = client.get(url).status_code
        if status != 200:
            sys.exit(f"{url} answered {status}")
    statements = statements_of(client, url, before)
    time_sql(statements, 0, warmup)
    times, cpu, floors = [], [], []
    for _ in range(runs):
        before()
        start, start_cpu = time.perf_counter(), time.process_time()
        client.get(url)
        times.append(time.perf_counter() - start)
        cpu.append(time.process_time() - start_cpu)
        floors.extend(time_sql(statements, 1, 0))
    return times, cpu, floors, statements


def time_sql(statements, runs, warmup):
    """The page's statements, replayed in order; the total of each pass."""
    totals = []
    with connection.cursor() as cursor:
        for n in range(warmup + runs):
            start = time.perf_counter()
            for sql in statements:
                cursor.execute(sql)
                cursor.fetchall()
            if n >= warmup:
                totals.append(time.perf_counter() - start)
    return totals


def ms(seconds: float) -> str:
    return f"{seconds * 1000:8.1f}"


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--warmup", type=int, default=3)
    parser.add_argument(
        "--only",
        metavar="TEXT",
        help="time only the pages whose label contains TEXT (e.g. 'level')",
    )
    args = parser.parse_args()

    cache = caches["default"]
    try:
        cache.set("bench:ping", 1, 5)
    except Exception as exc:  # noqa: BLE001 (any failure: say what to do)
        sys.exit(
            f"The cache ({type(cache).__name__}) is not reachable ({exc}): start "
            "Redis (make test starts it) or set REDIS_URL."
        )
    subjects = pick_subjects()
    tasks = Task.objects.count()
    dashboard = reverse("tasks:dashboard")
    # As the server does once the views are loaded (config/wsgi.py).
    gc.freeze()
    pages = [
        (
            "dashboard, city-wide (reviewer)",
            subjects["city_reviewer"],
            f"{dashboard}?unit={subjects['root'].pk}",
            True,
        ),
        (
            "dashboard, city-wide (leader)",
            subjects["city_leader"],
            f"{dashboard}?unit={subjects['root'].pk}",
            True,
        ),
        (
            f"dashboard, district {subjects['district'].name} (reviewer)",
            subjects["district_reviewer"],
            f"{dashboard}?unit={subjects['district'].pk}",
            True,
        ),
        *(
            (
                f"dashboard, level {unit.depth}: {unit.name} (reviewer)",
                subjects["district_reviewer"],
                f"{dashboard}?unit={unit.pk}",
                True,
            )
            for unit in (subjects["level3"], subjects["level4"])
        ),
        (
            "people report, city-wide (leader)",
            subjects["city_leader"],
            f"{reverse('tasks:dashboard_people')}?unit={subjects['root'].pk}",
            False,
        ),
        (
            MINE,
            subjects["assignee"],
            reverse("tasks:mine"),
            False,
        ),
        (
            "my tasks, first view after a change",
            subjects["assignee"],
            reverse("tasks:mine"),
            False,
            # A new version before each request: the cached page is missed.
            lambda: User.objects.filter(pk=subjects["assignee"].pk).update(
                view_version=F("view_version") + 1
            ),
        ),
        (HELLO_BARE, subjects["assignee"], "/bench/hello/", False),
        (
            HELLO_LOGIN,
            subjects["assignee"],
            "/bench/hello/?user=1",
            False,
        ),
    ]

    print(
        f"Median of {args.runs} runs; 'SQL floor': the page's own statements "
        "replayed with a cursor; 'over': the median less the floor, ms (what "
        "the page adds to its SQL); 'py cpu': this process's CPU time per "
        "request."
    )
    print(
        f"Database {connection.settings_dict['NAME']}: {tasks:,} tasks; "
        f"{args.runs} runs after {args.warmup} warm-up; "
        f"PostgreSQL {connection.pg_version // 10000}; "
        f"cache {type(cache).__name__}; pid {os.getpid()}"
    )
    header = (
        f"{'page':<48} {'median ms':>9} {'SQL floor':>9} {'ratio':>6} "
        f"{'over':>6} {'py cpu':>7} {'queries':>7}  target"
    )
    print(header)
    print("-" * len(header))
    results = {}
    if args.only:
        pages = [page for page in pages if args.only in page[0]]
    for label, user, url, is_dashboard, *before in pages:
        client = Client()
        client.force_login(user)
        times, cpu, floor, statements = time_in_turns(
            client, url, args.runs, args.warmup, *before
        )
        median, floor_median = statistics.median(times), statistics.median(floor)
        ratio = median / floor_median if floor_median else float("inf")
        results[label] = median
        verdict = ""
        if is_dashboard:
            fast = median * 1000 < DASHBOARD_TARGET_MS
            close = ratio <= FLOOR_RATIO_TARGET
            verdict = (
                f"<{DASHBOARD_TARGET_MS} ms: {'met' if fast else 'NOT met'}; "
                f"≤{FLOOR_RATIO_TARGET}× floor: {'met' if close else 'NOT met'}"
            )
        print(
            f"{label[:48]:<48} {ms(median)} {ms(floor_median)} {ratio:6.2f} "
            f"{(median - floor_median) * 1000:6.1f} "
            f"{statistics.median(cpu) * 1000:7.1f} {len(statements):7d}  {verdict}"
        )
    if not {MINE, HELLO_LOGIN, HELLO_BARE} <= results.keys():
        return  # --only left out what the throughput compares
    # The throughput: "my tasks" and the hello worlds again, a request of
    # each in turn (a slow spell of a shared machine falls on all alike),
    # THROUGHPUT_RUNS times as many runs as above (a page of about a
    # millisecond needs more for a steady median).
    runs = args.runs * THROUGHPUT_RUNS
    by_label = {label: (user, url) for label, user, url, *_rest in pages}
    turns = {}
    for label in (MINE, HELLO_LOGIN, HELLO_BARE):
        user, url = by_label[label]
        client = Client()
        client.force_login(user)
        for _ in range(args.warmup):
            client.get(url)
        turns[label] = (client, url, [])
    for _ in range(runs):
        for client, url, times in turns.values():
            start = time.perf_counter()
            client.get(url)
            times.append(time.perf_counter() - start)
    mine = statistics.median(turns[MINE][2])
    print("-" * len(header))
    for label, is_target in (
        (HELLO_LOGIN, True),
        (HELLO_BARE, False),
    ):
        hello = statistics.median(turns[label][2])
        share = hello / mine
        verdict = (
            f"target ≥ {THROUGHPUT_TARGET}: "
            f"{'met' if share >= THROUGHPUT_TARGET else 'NOT met'}"
            if is_target
            else "for reference: it never reads who is asking"
        )
        print(
            f"throughput ({runs} runs in turns): my tasks {1 / mine:6.1f}/s vs "
            f"{label} {1 / hello:7.1f}/s: {share:.2f} ({verdict})"
        )


if __name__ == "__main__":
    main()
