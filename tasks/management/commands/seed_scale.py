"""Load a city-sized dataset for speed work: ``manage.py seed_scale``.

About 2,000 units in four levels (a city committee, its districts, their
departments and communes, and the offices under those), about 20,000 people
with memberships, one directive with a plan per district (and two older
documents), and by default 1,000,000 tasks with their history, transfers
and extension requests.

The data is skewed the way real work is: a tenth of the units lead most of
the tasks, each unit has its own habit of finishing on time or late, some
tasks are edited many times, some move between units (a few go round, or
back up to the assigner), some get their deadline extended.

Rows are streamed to PostgreSQL with ``COPY`` (history rows too) in one
transaction, so an interrupted load leaves nothing behind; then the command
runs ``VACUUM ANALYZE`` on the tables it filled, so that the planner has
statistics and index-only scans have a visibility map.

Same ``--seed`` and same ``--anchor`` (the day the data counts from; today by
default) → the same rows. PostgreSQL only.
"""

import datetime
import io
import random
import sys
import time
from dataclasses import dataclass, field

from django.apps import apps
from django.contrib.auth.hashers import make_password
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.utils import timezone

from directives.choices import DirectiveKind, DirectiveStatus
from directives.models import Directive, DirectiveItem
from tasks import rollups
from tasks.choices import (
    ExtensionStatus,
    TaskStatus,
    TransferKind,
    TransferStatus,
)
from tasks.models import (
    DashboardDayCell,
    DashboardMonthCell,
    ExtensionRequest,
    Task,
    Transfer,
)
from units.choices import Role, UnitKind
from units.models import Membership, Unit, User
from units.text import fold_vietnamese

PASSWORD = "QuyMoThu@2026"
ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
STEPLEN = 4
DAY = datetime.timedelta(days=1)
UTC = datetime.UTC

TITLES = (
    "Rà soát thủ tục hành chính tồn đọng",
    "Sửa đổi quy chế làm việc theo “5 rõ”",
    "Giải quyết đơn thư kiến nghị của công dân",
    "Kiểm tra việc thực hiện kỷ luật hành chính",
    "Báo cáo sơ kết thực hiện chỉ thị",
    "Xử lý hồ sơ đất đai quá hạn",
    "Tổ chức đối thoại với nhân dân",
    "Cập nhật cơ sở dữ liệu cán bộ",
    "Đánh giá, phân loại cán bộ cuối năm",
    "Chấn chỉnh tình trạng né tránh, đùn đẩy",
    "Hoàn thiện hồ sơ dự án đầu tư công",
    "Giải phóng mặt bằng tuyến đường liên xã",
    "Số hóa hồ sơ một cửa",
    "Tuyên truyền chỉ thị đến chi bộ",
    "Kiểm tra đột xuất công vụ",
    "Xây dựng kế hoạch cải cách hành chính",
)
DESCRIPTION = "Thực hiện theo kế hoạch của cấp ủy; báo cáo kết quả đúng hạn."
EXPECTED = "Báo cáo kết quả, có minh chứng kèm theo."
RESULT = "Đã hoàn thành, báo cáo kèm minh chứng."
REASONS = (
    "Không đúng chức năng, nhiệm vụ của đơn vị",
    "Cần đơn vị chuyên môn xử lý",
    "Vượt thẩm quyền giải quyết",
    "Đề nghị cấp trên chỉ đạo",
)


def coord_history_model():
    """django-simple-history's table of a task's coordinating units."""
    return apps.get_model("tasks", "HistoricalTask_coordinating_units")


def path_segment(n: int) -> str:
    """The n-th (1-based) step of a treebeard path: 1 → "0001"."""
    digits = ""
    while n:
        n, r = divmod(n, len(ALPHABET))
        digits = ALPHABET[r] + digits
    return digits.rjust(STEPLEN, "0")


def segment_number(segment: str) -> int:
    n = 0
    for ch in segment:
        n = n * len(ALPHABET) + ALPHABET.index(ch)
    return n


# --- COPY ----------------------------------------------------------------------


def _text(value) -> str:
    if value is None:
        return "\\N"
    if value is True:
        return "t"
    if value is False:
        return "f"
    if isinstance(value, (datetime.date, datetime.datetime)):
        return value.isoformat()
    if isinstance(value, str):
        if "\\" in value or "\t" in value or "\n" in value or "\r" in value:
            value = (
                value.replace("\\", "\\\\")
                .replace("\t", "\\t")
                .replace("\n", "\\n")
                .replace("\r", "\\r")
            )
        return value
    return str(value)


class CopyTable:
    """Rows for one table, streamed with COPY in chunks.

    The columns are the model's concrete fields, so a field added later
    does not break the command: a nullable or defaulted field the generator
    does not know gets NULL or its default."""

    def __init__(self, cursor, model, chunk_rows: int = 100_000):
        self.cursor = cursor
        self.table = model._meta.db_table
        self.fields = [f for f in model._meta.concrete_fields]
        self.columns = [f.column for f in self.fields]
        self.chunk_rows = chunk_rows
        self.buffer = io.StringIO()
        self.pending = 0
        self.total = 0
        self.fallback = {}
        for f in self.fields:
            if f.null:
                self.fallback[f.attname] = None
            elif f.has_default():
                self.fallback[f.attname] = f.get_default()

        self.index = {f.attname: i for i, f in enumerate(self.fields)}

    def base(self, values: dict) -> list:
        """A row as a list of COPY texts, in column order: ``values`` first,
        then the fallbacks; a column with neither stays ``None`` and must be
        set by position before ``add_parts``."""
        row = []
        for f in self.fields:
            name = f.attname
            if name in values:
                row.append(_text(values[name]))
            elif name in self.fallback:
                row.append(_text(self.fallback[name]))
            else:
                row.append(None)
        return row

    def add(self, values: dict) -> None:
        self.add_parts(self.base(values))

    def add_parts(self, parts: list) -> None:
        if None in parts:
            missing = self.fields[parts.index(None)].column
            raise CommandError(
                f"seed_scale does not know the required column "
                f"{self.table}.{missing}: add it to the generator."
            )
        self.buffer.write("\t".join(parts))
        self.buffer.write("\n")
        self.pending += 1
        if self.pending >= self.chunk_rows:
            self.flush()

    def flush(self) -> None:
        if not self.pending:
            return
        self.buffer.seek(0)
        columns = ", ".join(f'"{c}"' for c in self.columns)
        self.cursor.copy_expert(
            f'COPY "{self.table}" ({columns}) FROM STDIN', self.buffer
        )
        self.total += self.pending
        self.buffer = io.StringIO()
        self.pending = 0


# --- the generated world ---------------------------------------------------------


class _Recorder:
    """Appends a task's next state and its reason: ``change(reason, **cols)``."""

    __slots__ = ("states", "reasons")

    def __init__(self, states: list, reasons: list):
        self.states, self.reasons = states, reasons

    def __call__(self, reason: str, **columns) -> None:
        self.states.append(columns)
        self.reasons.append(reason)


@dataclass
class UnitRow:
    id: int
    path: str
    depth: int
    name: str
    kind: str
    parent: "UnitRow | None"
    children: list = field(default_factory=list)
    leader_id: int = 0
    staff_ids: list = field(default_factory=list)
    district: "UnitRow | None" = None
    on_time: float = 0.8  # this unit's habit: share of work done on time
    weight: int = 1  # how much of the work it leads


class Command(BaseCommand):
    help = (
        "Tạo bộ dữ liệu quy mô lớn để đo tốc độ (PostgreSQL): ~2.000 đơn vị, "
        "~20.000 người dùng, 1.000.000 nhiệm vụ kèm lịch sử. Ví dụ: "
        "manage.py seed_scale --tasks 1000000 --seed 42"
    )

    def add_arguments(self, parser):
        parser.add_argument("--tasks", type=int, default=1_000_000)
        parser.add_argument("--seed", type=int, default=42)
        parser.add_argument(
            "--districts",
            type=int,
            default=33,
            help="Districts under the city (61 units each; 33 → ~2,000 units).",
        )
        parser.add_argument(
            "--anchor",
            type=datetime.date.fromisoformat,
            default=None,
            help="The day the data counts from (YYYY-MM-DD); today by default.",
        )
        parser.add_argument(
            "--yes",
            action="store_true",
            help="Add to a database that already has data without asking.",
        )
        parser.add_argument(
            "--no-vacuum", action="store_true", help="Skip VACUUM ANALYZE."
        )

    # --- entry -------------------------------------------------------------

    def handle(self, *args, **options):
        if connection.vendor != "postgresql":
            raise CommandError(
                "seed_scale runs on PostgreSQL only (COPY, VACUUM ANALYZE); this "
                f"database is {connection.vendor}. Set DATABASE_URL=postgres:///…"
            )
        if options["tasks"] < 0:
            raise CommandError("--tasks must be 0 or more.")
        self._confirm_non_empty(options["yes"])

        self.seed = options["seed"]
        self.rng = random.Random(self.seed)
        self.anchor = options["anchor"] or timezone.localdate()
        self.n_tasks = options["tasks"]
        self.n_districts = options["districts"]
        started = time.monotonic()
        self.stdout.write(
            f"seed_scale: {self.n_tasks:,} tasks, seed {options['seed']}, "
            f"anchor {self.anchor.isoformat()}, database "
            f"{connection.settings_dict['NAME']}"
        )

        with transaction.atomic(), connection.cursor() as cursor:
            self.cursor = cursor
            self._fast_load_settings()
            self._reserve_ids()
            self._build_units()
            self._step("units", self._load_units)
            self._step("people and memberships", self._load_people)
            self._step("directives", self._load_directives)
            rebuild = self._drop_indexes_if_worth_it()
            # The cells are counted once after the load, not row by row.
            cursor.execute("ALTER TABLE tasks_task DISABLE TRIGGER USER")
            self._step("tasks and history", self._load_tasks)
            if rebuild:
                self._step("indexes", lambda: self._rebuild_indexes(rebuild))
            cursor.execute("ALTER TABLE tasks_task ENABLE TRIGGER USER")
            self._step("counters and dashboard cells", self._count_cells)
            self._step("sequences", self._bump_sequences)
        loaded = time.monotonic() - started
        if not options["no_vacuum"]:
            self._step("VACUUM ANALYZE", self._vacuum_analyze)
        else:
            self._step("ANALYZE", self._analyze)
        total = time.monotonic() - started
        self.stdout.write(
            self.style.SUCCESS(
                f"Done: {len(self.units):,} units, {self.n_users:,} people, "
                f"{self.counts['tasks']:,} tasks, {self.counts['history']:,} task "
                f"history rows, {self.counts['transfers']:,} transfers, "
                f"{self.counts['extensions']:,} extension requests. "
                f"Load {loaded:.0f} s, total {total:.0f} s."
            )
        )
        self.stdout.write(
            f"Scale root unit: id {self.root.id} ({self.root.name}); main directive "
            f"id {self.main_directive_id}. Password for every account: {PASSWORD}"
        )

    def _step(self, label, func):
        t0 = time.monotonic()
        self.stdout.write(f"  {label}…", ending="")
        self.stdout.flush()
        func()
        self.stdout.write(f" {time.monotonic() - t0:.1f} s")

    def _confirm_non_empty(self, yes: bool) -> None:
        tasks = Task.objects.count()
        units = Unit.objects.count()
        if not tasks and not units:
            return
        message = (
            f"This database already holds {units:,} units and {tasks:,} tasks; "
            "seed_scale adds a separate city tree beside them, and every dashboard "
            "of a superuser will count both."
        )
        self.stderr.write(self.style.WARNING(f"Warning: {message}"))
        if yes:
            return
        if not sys.stdin.isatty():
            raise CommandError("Refusing to add to a non-empty database: pass --yes.")
        answer = input("Continue? [y/N] ").strip().lower()
        if answer not in {"y", "yes", "c", "co", "có"}:
            raise CommandError("Stopped: nothing was written.")

    def _fast_load_settings(self) -> None:
        # One big transaction: no synchronous commit wait per chunk. As a
        # superuser, skip the per-row foreign-key triggers: every reference
        # is generated from rows loaded in this same transaction.
        self.cursor.execute("SET LOCAL synchronous_commit = off")
        self.cursor.execute(
            "SELECT rolsuper FROM pg_roles WHERE rolname = current_user"
        )
        self.replica = bool(self.cursor.fetchone()[0])
        if self.replica:
            self.cursor.execute("SET LOCAL session_replication_role = replica")

    def _reserve_ids(self) -> None:
        """Ids start after the rows already there (the load adds, never
        overwrites), and the new tree is a new root after the existing ones."""

        def next_id(model, column="id"):
            self.cursor.execute(
                f'SELECT COALESCE(MAX("{column}"), 0) FROM "{model._meta.db_table}"'
            )
            return self.cursor.fetchone()[0] + 1

        self.next = {
            "unit": next_id(Unit),
            "user": next_id(User),
            "membership": next_id(Membership),
            "directive": next_id(Directive),
            "item": next_id(DirectiveItem),
            "task": next_id(Task),
            "transfer": next_id(Transfer),
            "extension": next_id(ExtensionRequest),
            "task_history": next_id(Task.history.model, "history_id"),
            "transfer_history": next_id(Transfer.history.model, "history_id"),
            "extension_history": next_id(ExtensionRequest.history.model, "history_id"),
            "coord": next_id(Task.coordinating_units.through),
            "coord_history": next_id(coord_history_model(), "m2m_history_id"),
            "unit_history": next_id(Unit.history.model, "history_id"),
            "user_history": next_id(User.history.model, "history_id"),
            "membership_history": next_id(Membership.history.model, "history_id"),
            "directive_history": next_id(Directive.history.model, "history_id"),
        }
        self.cursor.execute(
            "SELECT path FROM units_unit WHERE depth = 1 ORDER BY path DESC LIMIT 1"
        )
        row = self.cursor.fetchone()
        self.root_number = segment_number(row[0]) + 1 if row else 1
        self.run_tag = f"QMT{self.root_number}"

    def _take(self, key: str) -> int:
        value = self.next[key]
        self.next[key] += 1
        return value

    # --- units ---------------------------------------------------------------

    def _build_units(self) -> None:
        rng = self.rng
        self.units: list[UnitRow] = []

        def add(parent, name, kind):
            depth = parent.depth + 1 if parent else 1
            unit = UnitRow(
                id=self._take("unit"),
                path="",
                depth=depth,
                name=name,
                kind=kind,
                parent=parent,
            )
            if parent:
                parent.children.append(unit)
            self.units.append(unit)
            return unit

        root = add(None, f"Thành ủy (quy mô thử {self.root_number})", "city_committee")
        for d in range(1, self.n_districts + 1):
            district = add(root, f"Huyện ủy số {d:02d}", UnitKind.DISTRICT_COMMITTEE)
            ubnd = add(district, f"UBND huyện số {d:02d}", UnitKind.PEOPLES_COMMITTEE)
            for i in range(1, 13):
                add(ubnd, f"Phòng chuyên môn {i:02d}", UnitKind.DEPARTMENT)
            for name in ("Ban Dân vận", "Ban Tổ chức", "Ủy ban Kiểm tra", "Văn phòng"):
                dept = add(district, f"{name} huyện số {d:02d}", UnitKind.DEPARTMENT)
                for i in (1, 2):
                    add(dept, f"Tổ công tác {i}", UnitKind.DEPARTMENT)
            for c in range(1, 8):
                commune = add(
                    district, f"Xã số {c:02d} huyện {d:02d}", UnitKind.COMMUNE
                )
                add(commune, "Đảng ủy", UnitKind.PARTY_ORGANISATION)
                add(commune, "Mặt trận Tổ quốc", UnitKind.DEPARTMENT)
                add(commune, "UBND", UnitKind.PEOPLES_COMMITTEE)
                add(commune, "Văn phòng", UnitKind.DEPARTMENT)

        # Paths follow the name order of siblings, as treebeard keeps them.
        def assign(unit, path):
            unit.path = path
            unit.children.sort(key=lambda u: u.name)
            for i, child in enumerate(unit.children, start=1):
                assign(child, path + path_segment(i))

        assign(root, path_segment(self.root_number))
        self.root = root
        for unit in self.units:
            node = unit
            while node.depth > 2:
                node = node.parent
            unit.district = node if node.depth == 2 else None
            unit.on_time = rng.uniform(0.45, 0.97)
        # A tenth of the units lead most of the work.
        busy = rng.sample(self.units[1:], max(1, len(self.units) // 10))
        for unit in busy:
            unit.weight = 20
        self.unit_weights = [u.weight for u in self.units]
        self.districts = root.children

    def _load_units(self) -> None:
        table = CopyTable(self.cursor, Unit)
        history = CopyTable(self.cursor, Unit.history.model)
        when = datetime.datetime.combine(
            self.anchor - 4 * 365 * DAY, datetime.time(8), UTC
        )
        for unit in self.units:
            values = dict(
                id=unit.id,
                path=unit.path,
                depth=unit.depth,
                numchild=len(unit.children),
                name=unit.name,
                short_name=unit.name[:100],
                code=f"{self.run_tag}.{unit.id}",
                kind=unit.kind,
                is_active=True,
                head_id=None,
            )
            table.add(values)
            history.add(
                dict(
                    values,
                    history_id=self._take("unit_history"),
                    history_date=when,
                    history_type="+",
                    history_change_reason="seed_scale",
                    history_user_id=None,
                )
            )
        table.flush()
        history.flush()

    # --- people --------------------------------------------------------------

    def _load_people(self) -> None:
        users = CopyTable(self.cursor, User)
        user_history = CopyTable(self.cursor, User.history.model)
        members = CopyTable(self.cursor, Membership)
        member_history = CopyTable(self.cursor, Membership.history.model)
        # A fixed salt keeps the rows the same for the same seed.
        password = make_password(PASSWORD, salt=f"seedscale{self.seed}")
        joined = datetime.datetime.combine(
            self.anchor - 4 * 365 * DAY, datetime.time(8), UTC
        )
        family = ("Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đặng", "Bùi", "Đỗ")
        middle = ("Văn", "Thị", "Minh", "Thu", "Đức", "Ngọc", "Quang", "Hải")
        given = ("An", "Bình", "Chi", "Dũng", "Giang", "Hà", "Hùng", "Lan", "Long")
        given += ("Mai", "Nam", "Phương", "Quân", "Sơn", "Tâm", "Thảo", "Trung")
        self.n_users = 0
        heads = {}

        def person(unit, role, title):
            uid = self._take("user")
            self.n_users += 1
            full = (
                f"{self.rng.choice(family)} {self.rng.choice(middle)} "
                f"{self.rng.choice(given)}"
            )
            values = dict(
                id=uid,
                password=password,
                last_login=None,
                is_superuser=False,
                username=f"{self.run_tag.lower()}_{uid}",
                first_name="",
                last_name="",
                email=f"{self.run_tag.lower()}_{uid}@quymo.example.vn",
                is_staff=False,
                is_active=True,
                date_joined=joined,
                full_name=full,
                position=title,
            )
            users.add(values)
            hist = {k: v for k, v in values.items() if k not in ("password",)}
            user_history.add(
                dict(
                    hist,
                    history_id=self._take("user_history"),
                    history_date=joined,
                    history_type="+",
                    history_change_reason="seed_scale",
                    history_user_id=None,
                )
            )
            mid = self._take("membership")
            membership = dict(
                id=mid,
                user_id=uid,
                unit_id=unit.id,
                role=role,
                title=title,
                created_at=joined,
            )
            members.add(membership)
            member_history.add(
                dict(
                    membership,
                    history_id=self._take("membership_history"),
                    history_date=joined,
                    history_type="+",
                    history_change_reason="seed_scale",
                    history_user_id=None,
                )
            )
            return uid

        for unit in self.units:
            unit.leader_id = person(unit, Role.LEADER, "Trưởng đơn vị")
            heads[unit.id] = unit.leader_id
            unit.staff_ids = [person(unit, Role.STAFF, "Chuyên viên") for _ in range(9)]
            if unit.depth <= 2:
                # The standing committee and the office follow the subtree.
                for _ in range(5 if unit.depth == 1 else 2):
                    person(unit, Role.REVIEWER, "Thường trực, Văn phòng")
        for table in (users, user_history, members, member_history):
            table.flush()
        # Units name their head (one UPDATE from a VALUES list).
        rows = ",".join(f"({uid},{leader})" for uid, leader in heads.items())
        self.cursor.execute(
            "UPDATE units_unit AS u SET head_id = v.leader FROM (VALUES "
            + rows
            + ") AS v(id, leader) WHERE u.id = v.id"
        )

    # --- directives ----------------------------------------------------------

    def _load_directives(self) -> None:
        table = CopyTable(self.cursor, Directive)
        history = CopyTable(self.cursor, Directive.history.model)
        items = CopyTable(self.cursor, DirectiveItem)
        issued = self.anchor - 4 * 365 * DAY
        when = datetime.datetime.combine(issued, datetime.time(8), UTC)

        def directive(number, kind, title, unit, day, status, parent=None):
            did = self._take("directive")
            values = dict(
                id=did,
                number=number,
                kind=kind,
                title=title,
                issuing_unit_id=unit.id,
                issue_date=day,
                summary="",
                status=status,
                parent_id=parent,
            )
            table.add(values)
            history.add(
                dict(
                    values,
                    history_id=self._take("directive_history"),
                    history_date=when,
                    history_type="+",
                    history_change_reason="seed_scale",
                    history_user_id=None,
                )
            )
            return did

        # Two older documents first, so that the main directive is the
        # newest one in force (the dashboards' default).
        self.old_closed = directive(
            "05-CT/TU",
            DirectiveKind.DIRECTIVE,
            "Về chấn chỉnh lề lối làm việc (đã kết thúc)",
            self.root,
            issued - 400 * DAY,
            DirectiveStatus.CLOSED,
        )
        self.other = directive(
            "15-NQ/TU",
            DirectiveKind.RESOLUTION,
            "Về cải cách hành chính giai đoạn mới",
            self.root,
            issued - 30 * DAY,
            DirectiveStatus.IN_FORCE,
        )
        self.main_directive_id = directive(
            "24-CT/TU",
            DirectiveKind.DIRECTIVE,
            "Về tăng cường kỷ cương, kỷ luật và trách nhiệm giải quyết công việc",
            self.root,
            issued,
            DirectiveStatus.IN_FORCE,
        )
        self.item_ids = []
        for n in range(1, 9):
            iid = self._take("item")
            self.item_ids.append(iid)
            items.add(
                dict(
                    id=iid,
                    directive_id=self.main_directive_id,
                    number=str(n),
                    content=f"Yêu cầu số {n} của chỉ thị",
                    order=n,
                )
            )
        self.plan_of = {}
        for district in self.districts:
            self.plan_of[district.id] = directive(
                f"{district.id}-KH/HU",
                DirectiveKind.PLAN,
                f"Kế hoạch thực hiện Chỉ thị 24-CT/TU của {district.name}",
                district,
                issued + 20 * DAY,
                DirectiveStatus.IN_FORCE,
                parent=self.main_directive_id,
            )
        for t in (table, history, items):
            t.flush()

    # --- tasks ---------------------------------------------------------------

    def _load_tasks(self) -> None:
        """Tasks with their history, transfers, extension requests and
        coordinating units. Rows are built as lists of COPY texts from a
        per-table template: at a million tasks and several million history
        rows, converting each value of each row is what would take time."""
        rng = self.rng
        anchor = self.anchor
        cursor = self.cursor
        tasks = CopyTable(cursor, Task)
        history = CopyTable(cursor, Task.history.model)
        transfers = CopyTable(cursor, Transfer)
        transfer_history = CopyTable(cursor, Transfer.history.model)
        extensions = CopyTable(cursor, ExtensionRequest)
        extension_history = CopyTable(cursor, ExtensionRequest.history.model)
        coord = CopyTable(cursor, Task.coordinating_units.through)
        coord_history = CopyTable(cursor, coord_history_model())
        self.counts = dict(tasks=0, history=0, transfers=0, extensions=0)

        day_text: dict = {}

        def d(day):
            text = day_text.get(day)
            if text is None:
                text = day_text[day] = day.isoformat()
            return text

        def at(day, hour):
            return f"{d(day)} {hour:02d}:00:00+00"

        constants = dict(
            description=DESCRIPTION,
            expected_result=EXPECTED,
            directive_item_id=None,
            submitted_on=None,
            completed_on=None,
            completed_at=None,
            flagged_by_id=None,
            flagged_at=None,
            is_hard=False,
            is_hot=False,
            actual_result="",
        )
        task_base = tasks.base(constants)
        hist_base = history.base(constants)
        ti, hi = tasks.index, history.index
        # Columns a task row and its history rows share, set once per task.
        shared = (
            "id title directive_id directive_item_id assignee_id start_date "
            "original_deadline accountable_leader_id assigned_by_id assigned_at "
            "is_hard is_hot flagged_by_id flagged_at created_at"
        ).split()
        ext_base = extensions.base(
            dict(
                reason="Khối lượng công việc lớn, cần thêm thời gian", decision_note=""
            )
        )
        ext_hist_base = extension_history.base(
            dict(
                reason="Khối lượng công việc lớn, cần thêm thời gian",
                decision_note="",
                history_type="+",
                history_change_reason="Đề nghị gia hạn",
            )
        )
        xfer_base = transfers.base(dict(status=TransferStatus.DONE, decision_note=""))
        xfer_hist_base = transfer_history.base(
            dict(status=TransferStatus.DONE, decision_note="", history_type="+")
        )
        folded = [fold_vietnamese(f"{t} {DESCRIPTION}") for t in TITLES]
        span_days = 4 * 365
        picks = rng.choices(self.units, weights=self.unit_weights, k=self.n_tasks)
        t_on, t_off = "t", "f"

        for n, unit in enumerate(picks, start=1):
            tid = self._take("task")
            tid_text = str(tid)
            assigned_day = anchor - rng.randint(1, span_days) * DAY
            assigned_at = at(assigned_day, rng.randint(1, 9))
            start = assigned_day
            deadline = start + int(rng.triangular(7, 150, 30)) * DAY
            is_hard = rng.random() < 0.03
            # The leader of the unit above assigns; the unit's leader answers.
            assigner = unit.parent.leader_id if unit.parent else unit.leader_id
            directive_id, item_id = self._directive_for(unit)

            # Transfers: the task may have started in another unit.
            hops = []
            if rng.random() < 0.05 and unit.parent is not None:
                hops = self._hops(unit)
            first_unit = hops[0][1] if hops else unit

            # Extensions: approved ones moved the deadline later, in steps.
            ext_kinds = []
            if rng.random() < 0.08:
                for _ in range(1 if rng.random() < 0.8 else 2):
                    ext_kinds.append(rng.choices(("approved", "rejected"), (6, 4))[0])
            moves = [rng.randint(7, 30) for kind in ext_kinds if kind == "approved"]
            original = deadline
            if moves:
                original = deadline - sum(moves) * DAY
                if original < start:
                    original = start
                    deadline = start + sum(moves) * DAY
            chain = [original]
            for days in moves:
                chain.append(chain[-1] + days * DAY)

            status, submitted_on, completed_on = self._outcome(
                unit, start, deadline, anchor
            )
            if status in (TaskStatus.ASSIGNED, TaskStatus.IN_PROGRESS):
                if ext_kinds and rng.random() < 0.3:
                    ext_kinds.append("pending")
            assignee = rng.choice(unit.staff_ids)
            edits = rng.randint(20, 60) if rng.random() < 0.01 else 0
            if status == TaskStatus.DONE:
                progress = 100
            elif status == TaskStatus.ASSIGNED:
                progress = 0
            else:
                progress = rng.randint(0, 90)
            k = n % len(TITLES)

            # The life of the task: the first state, then each change.
            states = [
                dict(
                    status=TaskStatus.ASSIGNED.value,
                    lead_unit_id=str(first_unit.id),
                    deadline=d(original),
                    progress="0",
                )
            ]
            reasons = ["Giao nhiệm vụ"]
            change = _Recorder(states, reasons)
            if status != TaskStatus.ASSIGNED:
                change("Bắt đầu thực hiện", status=TaskStatus.IN_PROGRESS.value)
            for _ in range(edits):
                change("Cập nhật tiến độ", progress=str(rng.randint(5, 95)))
            for new_deadline in chain[1:]:
                change("Gia hạn", deadline=d(new_deadline))
            for hop in hops:
                change(f"Chuyển giao: {hop[3]}"[:100], lead_unit_id=str(hop[2].id))
            if submitted_on is not None:
                change(
                    "Báo cáo hoàn thành",
                    status=TaskStatus.SUBMITTED.value,
                    submitted_on=d(submitted_on),
                )
            if status == TaskStatus.DONE:
                change(
                    "Xác nhận hoàn thành",
                    status=TaskStatus.DONE.value,
                    progress="100",
                    actual_result=RESULT,
                    completed_on=d(completed_on),
                    completed_at=at(completed_on, 10),
                )
            if status == TaskStatus.CANCELLED:
                change("Hủy nhiệm vụ", status=TaskStatus.CANCELLED.value)
            final = dict(
                status=status.value if hasattr(status, "value") else status,
                lead_unit_id=str(unit.id),
                deadline=d(deadline),
                progress=str(progress),
            )
            versions = len(states)

            # The task row.
            row = task_base[:]
            common = dict(
                id=tid_text,
                title=f"{TITLES[k]} — đợt {n}",
                directive_id=str(directive_id),
                directive_item_id=str(item_id) if item_id else "\\N",
                assignee_id=str(assignee),
                start_date=d(start),
                original_deadline=d(original),
                accountable_leader_id=str(unit.leader_id),
                assigned_by_id=str(assigner),
                assigned_at=assigned_at,
                is_hard=t_on if is_hard else t_off,
                is_hot=t_on if is_hard and rng.random() < 0.3 else t_off,
                flagged_by_id=str(unit.leader_id) if is_hard else "\\N",
                flagged_at=assigned_at if is_hard else "\\N",
                created_at=assigned_at,
            )
            for name in shared:
                row[ti[name]] = common[name]
            # Walk the states to the present one: the task row is the last.
            current = {}
            for state in states:
                current.update(state)
            current.update(final)
            for name, value in current.items():
                row[ti[name]] = value
            row[ti["version"]] = str(versions)
            row[ti["search_text"]] = f"{folded[k]} dot {n}"
            row[ti["updated_at"]] = assigned_at
            tasks.add_parts(row)
            self.counts["tasks"] += 1

            # History rows, spread between assignment and the last event.
            end_day = completed_on or submitted_on or min(anchor, deadline + 60 * DAY)
            span = max(1, (end_day - assigned_day).days)
            hrow = hist_base[:]
            for name in shared:
                hrow[hi[name]] = common[name]
            hrow[hi["history_user_id"]] = str(assigner)
            first_history_id = self.next["task_history"]
            state_now = {}
            for i, state in enumerate(states):
                state_now.update(state)
                if i == versions - 1:
                    state_now.update(final)
                for name, value in state_now.items():
                    hrow[hi[name]] = value
                hrow[hi["version"]] = str(i + 1)
                hrow[hi["history_id"]] = str(self._take("task_history"))
                if i == 0:
                    hrow[hi["history_date"]] = assigned_at
                    hrow[hi["history_type"]] = "+"
                else:
                    day = assigned_day + (i * span // versions) * DAY
                    hrow[hi["history_date"]] = at(day, rng.randint(1, 10))
                    hrow[hi["history_type"]] = "~"
                hrow[hi["history_change_reason"]] = reasons[i]
                history.add_parts(hrow[:])
            self.counts["history"] += versions

            # Coordinating units: a sibling helps on one task in ten.
            if rng.random() < 0.1 and unit.parent and len(unit.parent.children) > 1:
                helper = rng.choice(unit.parent.children)
                if helper is not unit:
                    cid = self._take("coord")
                    coord.add(dict(id=cid, task_id=tid, unit_id=helper.id))
                    coord_history.add(
                        dict(
                            m2m_history_id=self._take("coord_history"),
                            history_id=first_history_id,
                            id=cid,
                            task_id=tid,
                            unit_id=helper.id,
                        )
                    )

            for kind, from_unit, to_unit, reason in hops:
                when = at(assigned_day + rng.randint(0, span // 2) * DAY, 9)
                values = dict(
                    id=str(self._take("transfer")),
                    task_id=tid_text,
                    kind=kind.value,
                    from_unit_id=str(from_unit.id),
                    to_unit_id=str(to_unit.id),
                    from_assignee_id=str(rng.choice(from_unit.staff_ids)),
                    to_assignee_id=str(rng.choice(to_unit.staff_ids)),
                    reason=reason,
                    requested_by_id=str(from_unit.leader_id),
                    requested_at=when,
                    decided_by_id=str(to_unit.leader_id),
                    decided_at=when,
                )
                row = xfer_base[:]
                for name, value in values.items():
                    row[transfers.index[name]] = value
                transfers.add_parts(row)
                row = xfer_hist_base[:]
                for name, value in values.items():
                    row[transfer_history.index[name]] = value
                hx = transfer_history.index
                row[hx["history_id"]] = str(self._take("transfer_history"))
                row[hx["history_date"]] = when
                row[hx["history_change_reason"]] = reason
                row[hx["history_user_id"]] = str(from_unit.leader_id)
                transfer_history.add_parts(row)
                self.counts["transfers"] += 1

            step = 0
            for kind in ext_kinds:
                previous = chain[step]
                when = at(min(anchor, max(assigned_day, previous - 2 * DAY)), 9)
                if kind == "approved":
                    step += 1
                    new = chain[step]
                    ext_status = ExtensionStatus.APPROVED
                else:
                    new = previous + rng.randint(7, 30) * DAY
                    ext_status = (
                        ExtensionStatus.REJECTED
                        if kind == "rejected"
                        else ExtensionStatus.PENDING
                    )
                decided = ext_status != ExtensionStatus.PENDING
                values = dict(
                    id=str(self._take("extension")),
                    task_id=tid_text,
                    requested_by_id=str(assignee),
                    requested_at=when,
                    previous_deadline=d(previous),
                    new_deadline=d(new),
                    status=ext_status.value,
                    decided_by_id=str(unit.leader_id) if decided else "\\N",
                    decided_at=when if decided else "\\N",
                )
                row = ext_base[:]
                for name, value in values.items():
                    row[extensions.index[name]] = value
                extensions.add_parts(row)
                row = ext_hist_base[:]
                he = extension_history.index
                for name, value in values.items():
                    row[he[name]] = value
                row[he["history_id"]] = str(self._take("extension_history"))
                row[he["history_date"]] = when
                row[he["history_user_id"]] = str(assignee)
                extension_history.add_parts(row)
                self.counts["extensions"] += 1

            if n % 100_000 == 0:
                self.stdout.write(f" {n // 1000}k", ending="")
                self.stdout.flush()

        for table in (
            tasks,
            history,
            transfers,
            transfer_history,
            extensions,
            extension_history,
            coord,
            coord_history,
        ):
            table.flush()

    def _directive_for(self, unit):
        """Most work carries out the district's plan; some the directive
        itself (with one of its items); a little an older resolution."""
        r = self.rng.random()
        if r < 0.08:
            return self.other, None
        if r < 0.10:
            return self.old_closed, None
        if unit.district is not None and r < 0.75:
            return self.plan_of[unit.district.id], None
        return self.main_directive_id, self.rng.choice(self.item_ids)

    def _hops(self, unit):
        """The units a task passed through before it reached ``unit``:
        a list of (kind, from, to, reason) ending at ``unit``."""
        rng = self.rng
        count = rng.choices((1, 2, 3, 4), (65, 22, 9, 4))[0]
        chain = [unit]
        for _ in range(count):
            here = chain[0]
            options = [
                u
                for u in (here.parent.children if here.parent else [])
                if u is not here
            ]
            if here.children and (not options or rng.random() < 0.3):
                # It came up from a unit below: handed back to the assigner.
                options = [rng.choice(here.children)]
            if not options:
                break
            chain.insert(0, rng.choice(options))
        hops = []
        for a, b in zip(chain, chain[1:], strict=False):
            back = b.path != a.path and a.path.startswith(b.path)
            kind = (
                TransferKind.HAND_BACK
                if back and rng.random() < 0.7
                else (TransferKind.TRANSFER)
            )
            hops.append((kind, a, b, rng.choice(REASONS)))
        return hops

    def _outcome(self, unit, start, deadline, anchor):
        """Status, submission day and completion day, as of the anchor."""
        rng = self.rng
        r = rng.random()
        if deadline < anchor:
            age = (anchor - deadline).days
            open_share = 0.14 if age < 120 else 0.05 if age < 365 else 0.015
            if r < 0.03:
                return TaskStatus.CANCELLED, None, None
            if r < 0.03 + open_share:
                s = rng.random()
                if s < 0.15:
                    # Submitted late, waiting for the leader.
                    sub = min(anchor, deadline + rng.randint(1, 20) * DAY)
                    return TaskStatus.SUBMITTED, sub, None
                if s < 0.2:
                    # Submitted on time, still waiting for the leader.
                    sub = max(start, deadline - rng.randint(0, 5) * DAY)
                    return TaskStatus.SUBMITTED, sub, None
                return (
                    TaskStatus.IN_PROGRESS if s < 0.85 else TaskStatus.ASSIGNED,
                    None,
                    None,
                )
            if rng.random() < unit.on_time:
                done = max(start, deadline - rng.randint(0, 20) * DAY)
            else:
                done = min(
                    anchor - DAY, deadline + int(rng.expovariate(1 / 12) + 1) * DAY
                )
                if done <= deadline:
                    done = deadline + DAY
                    if done >= anchor:
                        done = deadline
            return TaskStatus.DONE, done, done
        # The deadline is still ahead.
        if r < 0.01:
            return TaskStatus.CANCELLED, None, None
        if r < 0.16:
            days = max(0, (anchor - start).days - 1)
            done = start + rng.randint(0, days) * DAY if days else start
            return TaskStatus.DONE, done, done
        if r < 0.26:
            return (
                TaskStatus.SUBMITTED,
                max(start, anchor - rng.randint(0, 5) * DAY),
                None,
            )
        if r < 0.76:
            return TaskStatus.IN_PROGRESS, None, None
        return TaskStatus.ASSIGNED, None, None

    # --- finishing -------------------------------------------------------------

    def _task_tables(self) -> list[str]:
        models = [
            Task,
            Task.history.model,
            Transfer,
            Transfer.history.model,
            ExtensionRequest,
            ExtensionRequest.history.model,
            Task.coordinating_units.through,
            coord_history_model(),
            # rebuilt from the tasks after the load: the dashboards read them
            DashboardDayCell,
            DashboardMonthCell,
        ]
        return [m._meta.db_table for m in models]

    def _drop_indexes_if_worth_it(self) -> list[str]:
        """Building an index once over the loaded rows is several times faster
        than updating it row by row. When the load at least doubles the task
        table, drop its secondary indexes (those not behind a primary key or
        unique constraint) and their kin, and give back the statements that
        recreate them. It all happens in the load's transaction: a failure
        puts the indexes back with everything else."""
        self.cursor.execute("SELECT COUNT(*) FROM tasks_task")
        if self.n_tasks < max(10_000, self.cursor.fetchone()[0]):
            return []
        self.cursor.execute(
            """
            SELECT i.indexname, i.indexdef
            FROM pg_indexes i
            WHERE i.schemaname = current_schema()
              AND i.tablename = ANY(%s)
              AND NOT EXISTS (
                SELECT 1 FROM pg_constraint c
                WHERE c.conname = i.indexname
                  AND c.connamespace = (
                    SELECT oid FROM pg_namespace WHERE nspname = current_schema()
                  )
              )
            """,
            [self._task_tables()],
        )
        rows = self.cursor.fetchall()
        for name, _definition in rows:
            self.cursor.execute(f'DROP INDEX "{name}"')
        return [definition for _name, definition in rows]

    def _count_cells(self) -> None:
        """The transfer and extension counters of the tasks just loaded, then
        every dashboard cell (``tasks.rollups``)."""
        rollups.recount_counters()
        rollups.rebuild_cells()

    def _rebuild_indexes(self, definitions: list[str]) -> None:
        self.cursor.execute("SET LOCAL maintenance_work_mem = '512MB'")
        for definition in definitions:
            self.cursor.execute(definition)

    def _bump_sequences(self) -> None:
        tables = [
            (Unit, "id"),
            (User, "id"),
            (Membership, "id"),
            (Directive, "id"),
            (DirectiveItem, "id"),
            (Task, "id"),
            (Transfer, "id"),
            (ExtensionRequest, "id"),
            (Task.coordinating_units.through, "id"),
            (Unit.history.model, "history_id"),
            (User.history.model, "history_id"),
            (Membership.history.model, "history_id"),
            (Directive.history.model, "history_id"),
            (Task.history.model, "history_id"),
            (Transfer.history.model, "history_id"),
            (ExtensionRequest.history.model, "history_id"),
            (coord_history_model(), "m2m_history_id"),
        ]
        for model, column in tables:
            table = model._meta.db_table
            self.cursor.execute(
                f"SELECT setval(pg_get_serial_sequence(%s, %s), "
                f'COALESCE((SELECT MAX("{column}") FROM "{table}"), 1))',
                [table, column],
            )

    def _filled_tables(self) -> list[str]:
        models = [
            Unit,
            User,
            Membership,
            Directive,
            DirectiveItem,
            Task,
            Transfer,
            ExtensionRequest,
            Task.coordinating_units.through,
            Unit.history.model,
            User.history.model,
            Membership.history.model,
            Directive.history.model,
            Task.history.model,
            Transfer.history.model,
            ExtensionRequest.history.model,
            coord_history_model(),
            # rebuilt from the tasks after the load: the dashboards read them
            DashboardDayCell,
            DashboardMonthCell,
        ]
        return [m._meta.db_table for m in models]

    def _vacuum_analyze(self) -> None:
        # VACUUM cannot run inside a transaction block: the load committed.
        with connection.cursor() as cursor:
            for table in self._filled_tables():
                cursor.execute(f'VACUUM (ANALYZE) "{table}"')

    def _analyze(self) -> None:
        with connection.cursor() as cursor:
            for table in self._filled_tables():
                cursor.execute(f'ANALYZE "{table}"')
