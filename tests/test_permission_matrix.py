"""The permission matrix, run: every row of ``tests/permission_matrix.py``
(role × URL × method × object in or out of scope → expected answer) is
checked, and the invariants hold for every row:

- every URL of the project is in the table, or in its commented skip list;
- a POST that succeeds made its change (so "allowed" is really allowed);
- a refused POST, and every GET, changed nothing (tasks, their versions and
  states, reports, files, extensions, transfers, explanations, alerts and
  their reading);
- reviewers change nothing but their own session and alerts and, by design,
  ask for explanations (``REVIEWER_WRITES``), which leave the task untouched;
- every POST needs the CSRF token.

Speed: the unit tree and people are built once for the module, inside a
transaction rolled back at its end; pytest-django's per-test transaction is
a savepoint inside it, so every test starts from the same bare world and
builds only the objects its rows need. The rows of one (URL, object, role)
share one test: GET first (it must change nothing), then POST.
"""

import datetime
import io
from collections.abc import Callable
from dataclasses import dataclass, field
from types import SimpleNamespace
from urllib.parse import urlsplit

import openpyxl
import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection, transaction
from django.test import Client
from django.urls import URLResolver, get_resolver, resolve, reverse
from django.utils import timezone

from directives.models import Directive
from tasks import services
from tasks.alerts import SCAN_OVERDUE_JOB
from tasks.choices import (
    AlertKind,
    ExtensionStatus,
    ScanStatus,
    TaskStatus,
    TransferKind,
    TransferStatus,
)
from tasks.imports import COLUMNS
from tasks.models import (
    Alert,
    AlertPreference,
    EvidenceFile,
    ExplanationRequest,
    ExtensionRequest,
    ProgressReport,
    ScanRun,
    Task,
    Transfer,
)
from units.choices import Role, UnitKind
from units.models import Membership, Unit, User

from .factories import (
    DirectiveFactory,
    DirectiveItemFactory,
    UserFactory,
    add_member,
    make_unit,
)
from .permission_matrix import (
    ANONYMOUS,
    PERSONAL_POSTS,
    REVIEWER_WRITES,
    REVIEWERS,
    ROWS,
    SKIPPED,
    SKIPPED_NAMESPACES,
    Row,
)

PASSWORD = "matkhau-demo-123"  # tests.factories.UserFactory
MISSING = 2_000_000_000  # an id no row has
CSRF_SECRET = "permissionMatrixCsrfSecret012345"  # 32 allowed characters
PDF_BYTES = b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\n%%EOF\n"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


# --- the world: tests/conftest.py's tree and people, built once --------------------

UNITS = {
    "city": "HN",
    "dong_anh": "HN.DA",
    "vp": "HN.DA.VP",
    "co_loa": "HN.DA.CL",
    "tay_ho": "HN.TH",
    "quang_an": "HN.TH.QA",
}


def build_world() -> None:
    """The tree of tests/conftest.py, with a ward under Tây Hồ (so that Tây
    Hồ's leader, like Đông Anh's, may move a task down his subtree) and two
    more people of Tây Hồ to hand work to."""
    city = make_unit("Thành ủy Hà Nội", kind=UnitKind.CITY_COMMITTEE, code="HN")
    dong_anh = make_unit(
        "Huyện ủy Đông Anh", parent=city, kind=UnitKind.DISTRICT_COMMITTEE, code="HN.DA"
    )
    vp = make_unit("Văn phòng Huyện ủy Đông Anh", parent=dong_anh, code="HN.DA.VP")
    co_loa = make_unit(
        "UBND xã Cổ Loa", parent=dong_anh, kind=UnitKind.COMMUNE, code="HN.DA.CL"
    )
    tay_ho = make_unit(
        "Quận ủy Tây Hồ", parent=city, kind=UnitKind.DISTRICT_COMMITTEE, code="HN.TH"
    )
    quang_an = make_unit(
        "Phường Quảng An", parent=tay_ho, kind=UnitKind.COMMUNE, code="HN.TH.QA"
    )
    for username, full_name, unit, role in (
        ("thuongtruc", "Trần Thường Trực", city, Role.REVIEWER),
        ("bithu_da", "Lê Bí Thư", dong_anh, Role.LEADER),
        ("vanphong_da", "Phạm Văn Phòng", dong_anh, Role.REVIEWER),
        ("lanhdao_vp", "Hoàng Lãnh Đạo", vp, Role.LEADER),
        ("canbo_vp", "Nguyễn Cán Bộ", vp, Role.STAFF),
        ("canbo_vp2", "Đỗ Thị Hoa", vp, Role.STAFF),
        ("canbo_cl", "Vũ Cổ Loa", co_loa, Role.STAFF),
        ("bithu_th", "Bùi Tây Hồ", tay_ho, Role.LEADER),
        ("canbo_th", "Đinh Văn Hồ", tay_ho, Role.STAFF),
        ("canbo_th2", "Lý Thị Hồ", tay_ho, Role.STAFF),
        ("canbo_qa", "Mai Quảng An", quang_an, Role.STAFF),
    ):
        add_member(UserFactory(username=username, full_name=full_name), unit, role)
    UserFactory(
        username="admin", full_name="Quản Trị", is_staff=True, is_superuser=True
    )
    directive = DirectiveFactory(number="24-CT/TU", issuing_unit=city)
    DirectiveItemFactory(directive=directive, number="1")


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    """The world, once per module (and per xdist worker), rolled back after."""
    with django_db_blocker.unblock(), transaction.atomic():
        build_world()
        yield
        transaction.set_rollback(True)


@pytest.fixture
def w(world, db, settings, tmp_path):
    """Fresh instances of the world's people and units, for one row."""
    settings.MEDIA_ROOT = str(tmp_path / "media")
    assert not Task.objects.exists(), "a row must start from the bare world"
    ns = SimpleNamespace(today=timezone.localdate())
    for user in User.objects.all():
        setattr(ns, user.username, user)
    by_code = {u.code: u for u in Unit.objects.filter(code__in=UNITS.values())}
    for name, code in UNITS.items():
        setattr(ns, name, by_code[code])
    ns.directive = Directive.objects.get(number="24-CT/TU")
    return ns


def side(w, subject: str) -> SimpleNamespace:
    """The people around an "in" (Đông Anh) or "out" (Tây Hồ) object, or
    around a Đông Anh task whose assignee is its own leader ("self")."""
    if subject == "self":
        return SimpleNamespace(
            name="self",
            unit=w.dong_anh,
            assignee=w.bithu_da,
            leader=w.bithu_da,
            above=w.bithu_da,
            colleague=w.bithu_da,
            away_unit=w.co_loa,
            away_person=w.canbo_cl,
        )
    if subject == "in":
        return SimpleNamespace(
            name="in",
            unit=w.vp,
            assignee=w.canbo_vp,
            leader=w.lanhdao_vp,
            above=w.bithu_da,
            colleague=w.canbo_vp2,
            away_unit=w.co_loa,
            away_person=w.canbo_cl,
        )
    assert subject == "out", subject
    return SimpleNamespace(
        name="out",
        unit=w.tay_ho,
        assignee=w.canbo_th,
        leader=w.bithu_th,
        above=w.bithu_th,
        colleague=w.canbo_th2,
        away_unit=w.quang_an,
        away_person=w.canbo_qa,
    )


def new_task(w, s, **overrides) -> Task:
    values = dict(
        actor=s.leader,
        title=f"Rà soát quy chế làm việc ({s.unit.code})",
        description="Sửa đổi quy chế làm việc của cơ quan",
        directive=w.directive,
        lead_unit=s.unit,
        assignee=s.assignee,
        accountable_leader=s.leader,
        start_date=w.today - datetime.timedelta(days=10),
        deadline=w.today + datetime.timedelta(days=20),
        expected_result="Quy chế sửa đổi được ban hành",
    )
    values.update(overrides)
    return services.task_create(**values)


# --- what a row's request is about ----------------------------------------------------


@dataclass
class Subject:
    path: str
    query: dict = field(default_factory=dict)  # GET parameters
    data: dict = field(default_factory=dict)  # POST body
    effect: Callable[[object], None] | None = None  # asserts a POST's change
    markers: dict[str, str] = field(default_factory=dict)  # name → text in page
    task: Task | None = None


def task_effect(task: Task, check: Callable[[Task], bool]):
    def effect(response):
        task.refresh_from_db()
        assert check(task), f"the action did not change the task: {task!r}"

    return effect


def action_subject(name: str, w, s) -> Subject:
    """A task in the state the action needs, what the allowed person posts,
    and the change it makes."""
    new = lambda **kw: new_task(w, s, **kw)  # noqa: E731
    later = w.today + datetime.timedelta(days=45)
    if name in ("start", "report", "submit", "hand_back", "cancel", "reassign"):
        task = new()
        data, check = {
            "start": ({}, lambda t: t.status == TaskStatus.IN_PROGRESS),
            "report": (
                {"percent": "40", "note": "Đã xong dự thảo"},
                lambda t: t.progress == 40 and t.reports.exists(),
            ),
            "submit": (
                {"actual_result": "Quy chế đã ban hành", "note": ""},
                lambda t: t.status == TaskStatus.SUBMITTED,
            ),
            "hand_back": (
                {"reason": "Không thuộc chức năng của tôi"},
                lambda t: t.transfers.filter(
                    kind=TransferKind.HAND_BACK, status=TransferStatus.PENDING
                ).exists(),
            ),
            "cancel": (
                {"reason": "Trùng nhiệm vụ khác"},
                lambda t: t.status == TaskStatus.CANCELLED,
            ),
            "reassign": (
                {"assignee": str(s.colleague.pk), "reason": "Cán bộ nghỉ phép"},
                lambda t: t.assignee_id == s.colleague.pk,
            ),
        }[name]
    elif name == "extension_request":
        task = new()
        data = {"new_deadline": later.isoformat(), "reason": "Chờ số liệu"}
        check = lambda t: t.extensions.filter(  # noqa: E731
            status=ExtensionStatus.PENDING, new_deadline=later
        ).exists()
    elif name == "transfer_request":
        task = new()
        data = {"to_unit": str(s.away_unit.pk), "reason": "Việc của đơn vị khác"}
        check = lambda t: t.transfers.filter(  # noqa: E731
            to_unit=s.away_unit, status=TransferStatus.PENDING
        ).exists()
    elif name in ("approve", "return"):
        task = new()
        services.task_submit(actor=s.assignee, task=task, actual_result="Đã ban hành")
        if name == "approve":
            data = {"comment": "Đạt yêu cầu"}
            check = lambda t: t.status == TaskStatus.DONE  # noqa: E731
        else:
            data = {"comment": "Bổ sung phụ lục"}
            check = lambda t: t.status == TaskStatus.IN_PROGRESS  # noqa: E731
    elif name in ("extension_approve", "extension_reject"):
        task = new()
        ext = services.extension_request(
            actor=s.assignee, task=task, new_deadline=later, reason="Chờ số liệu"
        )
        if name == "extension_approve":
            data = {"extension": str(ext.pk), "note": ""}
            check = lambda t: t.deadline == later  # noqa: E731
        else:
            data = {"extension": str(ext.pk), "note": "Đủ thời gian"}
            check = lambda t: (  # noqa: E731
                t.extensions.get().status == ExtensionStatus.REJECTED
                and t.deadline != later
            )
    elif name in ("transfer_approve", "transfer_reject"):
        # The leader above answers for it, so that it may move in his subtree.
        task = new(accountable_leader=s.above)
        transfer = services.transfer_request(
            actor=s.assignee,
            task=task,
            kind=TransferKind.TRANSFER,
            reason="Việc thuộc thẩm quyền đơn vị khác",
            to_unit=s.away_unit,
        )
        if name == "transfer_approve":
            data = {
                "transfer": str(transfer.pk),
                "to_assignee": str(s.away_person.pk),
                "note": "",
            }
            check = lambda t: (  # noqa: E731
                t.lead_unit_id == s.away_unit.pk and t.assignee_id == s.away_person.pk
            )
        else:
            data = {"transfer": str(transfer.pk), "note": "Đơn vị hiện tại làm"}
            check = lambda t: (  # noqa: E731
                t.transfers.get().status == TransferStatus.REJECTED
                and t.lead_unit_id == s.unit.pk
            )
    elif name in ("explanation_request", "explanation_answer"):
        task = new(
            start_date=w.today - datetime.timedelta(days=40),
            deadline=w.today - datetime.timedelta(days=5),
        )
        if name == "explanation_request":
            data = {"question": "Vì sao nhiệm vụ chậm?"}
            check = lambda t: t.explanations.filter(  # noqa: E731
                answered_at__isnull=True, question="Vì sao nhiệm vụ chậm?"
            ).exists()
        else:
            services.explanation_request(
                actor=w.thuongtruc, task=task, question="Vì sao nhiệm vụ chậm?"
            )
            data = {"answer": "Chờ ý kiến của các ban"}
            check = lambda t: t.explanations.filter(  # noqa: E731
                answered_at__isnull=False, answer="Chờ ý kiến của các ban"
            ).exists()
    elif name == "transfer":
        task = new(accountable_leader=s.above)
        target = Membership.objects.get(user=s.away_person, unit=s.away_unit)
        data = {"target": str(target.pk), "reason": "Đơn vị khác chủ trì"}
        check = lambda t: (  # noqa: E731
            t.lead_unit_id == s.away_unit.pk
            and t.assignee_id == s.away_person.pk
            and t.transfers.filter(status=TransferStatus.DONE).exists()
        )
    else:
        raise AssertionError(f"no scenario for the action {name}")
    task.refresh_from_db()
    return Subject(
        path=reverse(f"tasks:{name}", args=[task.pk]),
        data={"version": str(task.version), **data},
        effect=task_effect(task, check),
        task=task,
    )


def evidence_of(w, s) -> EvidenceFile:
    task = new_task(w, s)
    services.task_report_progress(
        actor=s.assignee,
        task=task,
        percent=10,
        note="Kèm tệp",
        files=[SimpleUploadedFile("Báo cáo tiến độ.pdf", PDF_BYTES, "application/pdf")],
    )
    return EvidenceFile.objects.get(report__task=task)


def session_user(client):
    return client.session.get("_auth_user_id")


def import_file(w, s) -> tuple[bytes, str]:
    title = f"Nhập từ Excel ({s.unit.code})"
    values = {
        "title": title,
        "description": "Rà soát thủ tục hành chính",
        "directive": "24-CT/TU",
        "directive_item": "1",
        "lead_unit": s.unit.code,
        "coordinating_units": "",
        "assignee": s.assignee.username,
        "accountable_leader": s.leader.username,
        "start_date": w.today.strftime("%d/%m/%Y"),
        "deadline": (w.today + datetime.timedelta(days=30)).strftime("%d/%m/%Y"),
        "expected_result": "Báo cáo kết quả rà soát",
        "is_hard": "không",
    }
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append([c.header_id for c in COLUMNS])
    ws.append([values.get(c.key, "") for c in COLUMNS])
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue(), title


def pending_import(client, w, s) -> tuple[str, str]:
    """Upload a checked file as the client's user: (token, task title)."""
    content, title = import_file(w, s)
    client.cookies[settings.CSRF_COOKIE_NAME] = CSRF_SECRET
    response = client.post(
        reverse("tasks:import"),
        {
            "file": SimpleUploadedFile("giao-viec.xlsx", content, XLSX),
            "csrfmiddlewaretoken": CSRF_SECRET,
        },
    )
    assert response.status_code == 200, response.content.decode()[:3000]
    return response.context["token"], title


def make_alert(task, recipient, message) -> Alert:
    return Alert.objects.create(
        task=task,
        kind=AlertKind.ASSIGNED,
        deadline=task.deadline,
        recipient=recipient,
        message=message,
    )


# --- one builder per URL: (world, row, user, client) → Subject ------------------------


def b_home(w, row, user, client):
    return Subject(reverse("home"))


def b_login(w, row, user, client):
    password = PASSWORD if row.subject == "valid" else "sai-mat-khau"

    def effect(response):
        if row.subject == "valid":
            assert session_user(client) == str(w.canbo_vp.pk)
        else:
            assert session_user(client) is None
            page = response.content.decode()
            assert "Tên đăng nhập hoặc mật khẩu không đúng." in page

    return Subject(
        reverse("login"),
        data={"username": "canbo_vp", "password": password},
        effect=effect,
    )


def b_logout(w, row, user, client):
    def effect(response):
        assert session_user(client) is None

    return Subject(reverse("logout"), effect=effect)


def b_list(w, row, user, client):
    t_in = new_task(w, side(w, "in"))
    t_out = new_task(w, side(w, "out"))
    return Subject(
        reverse(row.url),
        markers={
            "in": f'href="{t_in.get_absolute_url()}"',
            "out": f'href="{t_out.get_absolute_url()}"',
        },
    )


def b_detail(w, row, user, client):
    if row.subject == "missing":
        return Subject(reverse("tasks:detail", args=[MISSING]))
    task = new_task(w, side(w, row.subject))
    return Subject(task.get_absolute_url(), task=task)


def b_evidence(w, row, user, client):
    if row.subject == "missing":
        return Subject(reverse("tasks:evidence", args=[MISSING]))
    evidence = evidence_of(w, side(w, row.subject))
    return Subject(reverse("tasks:evidence", args=[evidence.pk]))


def b_action(w, row, user, client):
    name = row.url.split(":")[1]
    if row.subject == "missing":
        return Subject(
            reverse(row.url, args=[MISSING]), data={"version": "1", "reason": "x"}
        )
    if row.subject == "closed":
        subject = action_subject(name, w, side(w, "in"))
        task = services.task_cancel(
            actor=w.lanhdao_vp, task=subject.task, reason="Trùng nhiệm vụ khác"
        )
        task.refresh_from_db()
        subject.data["version"] = str(task.version)
        return subject
    if row.subject == "foreign":
        own = action_subject(name, w, side(w, "in"))
        other = action_subject(name, w, side(w, "out"))
        key = "extension" if "extension" in name else "transfer"
        return Subject(own.path, data={**own.data, key: other.data[key]}, task=own.task)
    return action_subject(name, w, side(w, row.subject))  # in, out, self


def b_create(w, row, user, client):
    if row.subject == "-":
        return Subject(reverse("tasks:create"))
    s = side(w, row.subject)
    title = f"Rà soát thủ tục “một cửa” ({s.unit.code})"
    data = {
        "title": title,
        "description": "Rà soát, rút ngắn thời gian giải quyết hồ sơ",
        "directive": str(w.directive.pk),
        "directive_item": "",
        "lead_unit": str(s.unit.pk),
        "assignee": str(s.assignee.pk),
        "start_date": w.today.isoformat(),
        "deadline": (w.today + datetime.timedelta(days=30)).isoformat(),
        "expected_result": "Báo cáo kết quả rà soát trình Thường trực",
        "accountable_leader": str(s.leader.pk),
    }

    def effect(response):
        task = Task.objects.get(title=title)
        assert task.lead_unit_id == s.unit.pk and task.assigned_by_id == user.pk
        assert response["Location"] == task.get_absolute_url()

    return Subject(reverse("tasks:create"), data=data, effect=effect)


def b_assign_options(w, row, user, client):
    s = side(w, row.subject)
    return Subject(
        reverse("tasks:assign_options"),
        query={"field": "assignee", "lead_unit": str(s.unit.pk)},
        markers={s.name: f'value="{s.assignee.pk}"'},
    )


def b_import(w, row, user, client):
    if row.subject == "-":
        return Subject(reverse("tasks:import"))
    content, title = import_file(w, side(w, row.subject))

    def effect(response):
        # A preview: the file is checked and kept, no task is created yet.
        token = response.context["token"]
        assert client.session["tasks_import"]["token"] == token
        assert not Task.objects.filter(title=title).exists()

    return Subject(
        reverse("tasks:import"),
        data={"file": SimpleUploadedFile("giao-viec.xlsx", content, XLSX)},
        effect=effect,
    )


def b_import_template(w, row, user, client):
    return Subject(reverse("tasks:import_template"))


def b_import_confirm(w, row, user, client):
    path = reverse("tasks:import_confirm")
    if row.subject == "-":
        return Subject(path)
    if row.subject == "missing":
        return Subject(path, data={"token": "0" * 32})
    if row.subject == "other":
        owner = Client()
        owner.force_login(w.bithu_da)
        token, _ = pending_import(owner, w, side(w, "in"))
        return Subject(path, data={"token": token})
    s = side(w, "out" if row.role == "bithu_th" else "in")
    token, title = pending_import(client, w, s)

    def effect(response):
        task = Task.objects.get(title=title)
        assert task.assigned_by_id == user.pk and task.lead_unit_id == s.unit.pk
        assert "tasks_import" not in client.session

    return Subject(path, data={"token": token}, effect=effect)


def b_notifications(w, row, user, client):
    task = new_task(w, side(w, "in"))
    markers = {"other": "Thông báo gửi người khác"}
    make_alert(task, w.canbo_cl, markers["other"])
    if user is not None:
        markers["own"] = "Thông báo gửi chính bạn"
        make_alert(task, user, markers["own"])
    return Subject(reverse(row.url), markers=markers)


def b_bell(w, row, user, client):
    return Subject(reverse("tasks:bell"))


def b_notification_read(w, row, user, client):
    if row.subject == "missing":
        return Subject(reverse(row.url, args=[MISSING]))
    task = new_task(w, side(w, "in"))
    other = make_alert(task, w.canbo_cl, "Thông báo gửi người khác")
    if row.subject == "other":
        return Subject(reverse(row.url, args=[other.pk]))
    own = make_alert(task, user or w.canbo_vp, "Thông báo gửi chính bạn")
    data = {"next": "https://tracker.example.net/"} if row.subject == "offsite" else {}

    def effect(response):
        own.refresh_from_db()
        other.refresh_from_db()
        assert own.read_at is not None and other.read_at is None

    return Subject(reverse(row.url, args=[own.pk]), data=data, effect=effect)


def b_read_all(w, row, user, client):
    task = new_task(w, side(w, "in"))
    other = make_alert(task, w.canbo_cl, "Thông báo gửi người khác")
    if user is not None:
        make_alert(task, user, "Thông báo gửi chính bạn")

    def effect(response):
        assert not Alert.objects.unread_for(user).exists()
        other.refresh_from_db()
        assert other.read_at is None

    data = {"next": "https://tracker.example.net/"} if row.subject == "offsite" else {}
    return Subject(reverse(row.url), data=data, effect=effect)


def b_alert_preferences(w, row, user, client):
    """The page of one's own alert e-mail choice. canbo_cl has a choice of
    his own, which no one else's post may change."""
    AlertPreference.objects.create(user=w.canbo_cl, email_mode="off", digest_hour=3)
    markers = {"other": w.canbo_cl.email}
    if user is not None:
        markers["own"] = user.email
    data = {"email_mode": "digest", "digest_hour": "21"}
    if row.subject == "bad":
        data["digest_hour"] = "24"
    elif row.subject == "other":
        data["user"] = str(w.canbo_cl.pk)

    def effect(response):
        mine = AlertPreference.objects.get(user=user)
        assert (mine.email_mode, mine.digest_hour) == ("digest", 21)
        his = AlertPreference.objects.get(user=w.canbo_cl)
        assert (his.email_mode, his.digest_hour) == ("off", 3)

    return Subject(reverse(row.url), data=data, effect=effect, markers=markers)


def b_dashboard(w, row, user, client):
    query = {}
    if row.subject == "missing":
        query["unit"] = str(MISSING)
    elif row.subject != "-":
        query["unit"] = str(side(w, row.subject).unit.pk)
    return Subject(reverse(row.url), query=query)


def b_health(w, row, user, client):
    if row.subject == "scanned":
        now = timezone.now()
        ScanRun.objects.create(
            job=SCAN_OVERDUE_JOB, started_at=now, finished_at=now, status=ScanStatus.OK
        )
    return Subject(reverse("health"))


def b_admin(w, row, user, client):
    return Subject(reverse(row.url))


ACTION_NAMES = (
    "start",
    "report",
    "submit",
    "extension_request",
    "hand_back",
    "transfer_request",
    "approve",
    "return",
    "extension_approve",
    "extension_reject",
    "transfer_approve",
    "transfer_reject",
    "transfer",
    "reassign",
    "cancel",
    "explanation_request",
    "explanation_answer",
)
BUILDERS = {
    "home": b_home,
    "login": b_login,
    "logout": b_logout,
    "tasks:mine": b_list,
    "tasks:unit": b_list,
    "tasks:detail": b_detail,
    "tasks:evidence": b_evidence,
    **{f"tasks:{name}": b_action for name in ACTION_NAMES},
    "tasks:create": b_create,
    "tasks:assign_options": b_assign_options,
    "tasks:import": b_import,
    "tasks:import_template": b_import_template,
    "tasks:import_confirm": b_import_confirm,
    "tasks:notifications": b_notifications,
    "tasks:bell": b_bell,
    "tasks:notification_read": b_notification_read,
    "tasks:notifications_read_all": b_read_all,
    "tasks:alert_preferences": b_alert_preferences,
    "tasks:dashboard": b_dashboard,
    "tasks:dashboard_export": b_dashboard,
    "tasks:dashboard_people": b_dashboard,
    "health": b_health,
    "admin:index": b_admin,
}


# --- what may change ---------------------------------------------------------------

# What a request could change that a user would notice: (model, fields).
WATCHED = {
    "tasks": (
        Task,
        (
            "id",
            "version",
            "status",
            "progress",
            "deadline",
            "lead_unit",
            "assignee",
            "accountable_leader",
        ),
    ),
    "reports": (ProgressReport, ("id", "percent")),
    "evidence": (EvidenceFile, ("id", "file")),
    "extensions": (ExtensionRequest, ("id", "status")),
    "transfers": (Transfer, ("id", "status")),
    "alerts": (Alert, ("id", "read_at")),
    "explanations": (ExplanationRequest, ("id", "answered_at")),
    "alert_preferences": (
        AlertPreference,
        ("id", "user", "email_mode", "digest_hour"),
    ),
}
TASK_PARTS = ("tasks", "reports", "evidence", "extensions", "transfers")


def _snapshot_sql() -> str:
    q = connection.ops.quote_name
    parts = []
    for name, (model, fields) in WATCHED.items():
        columns = ", ".join(q(model._meta.get_field(f).column) for f in fields)
        parts.append(
            f"(SELECT coalesce(json_agg(json_build_array({columns}) ORDER BY "
            f"{q('id')}), '[]'::json) FROM {q(model._meta.db_table)}) AS {q(name)}"
        )
    return "SELECT " + ", ".join(parts)


def snapshot() -> dict:
    """Every watched row, in one query (the check runs around every row)."""
    with connection.cursor() as cursor:
        cursor.execute(_snapshot_sql())
        return dict(zip(WATCHED, cursor.fetchone(), strict=True))


def send(client, method: str, subject: Subject, *, token: bool = False):
    if method == "GET":
        return client.get(subject.path, subject.query)
    data = dict(subject.data)
    for value in data.values():
        if hasattr(value, "seek"):
            value.seek(0)  # an upload may be sent twice (the CSRF test)
    if token:
        data["csrfmiddlewaretoken"] = CSRF_SECRET
    return client.post(subject.path, data)


def sign_in(client, w, role: str):
    if role == ANONYMOUS:
        return None
    user = getattr(w, role)
    client.force_login(user)
    return user


def explain(response) -> str:
    body = response.content[:1500].decode(errors="replace")
    return f"{response.status_code} {response.get('Location', '')}\n{body}"


def cells() -> list:
    """The rows grouped by (URL, object, role): one test builds the object
    once and asks with GET (which must change nothing), then with POST. A row
    with a known bug is a test of its own, an xfail(strict=True)."""
    groups: dict[tuple[str, str, str], list[Row]] = {}
    params = []
    for row in ROWS:
        if row.bug:
            mark = pytest.mark.xfail(strict=True, reason=row.bug)
            params.append(pytest.param([row], id=row.id, marks=mark))
        else:
            groups.setdefault((row.url, row.subject, row.role), []).append(row)
    for (url, subject, role), rows in groups.items():
        rows.sort(key=lambda r: r.method != "GET")
        methods = "+".join(r.method for r in rows)
        params.append(pytest.param(rows, id=f"{url}|{methods}|{subject}|{role}"))
    return params


# --- the matrix ----------------------------------------------------------------------


def check(row: Row, subject: Subject, client) -> None:
    before = snapshot()

    # when the role asks
    response = send(client, row.method, subject)

    # then the answer is the table's
    assert response.status_code == row.status, f"{row.id}: {explain(response)}"
    if row.status == 302:
        location = urlsplit(response["Location"])
        assert not location.netloc, f"{row.id}: redirected off the site"
        target = resolve(location.path).view_name
        assert target == row.to, f"{row.id}: {explain(response)}"
        if row.role == ANONYMOUS and row.to == "login" and row.url != "logout":
            assert f"next={subject.path}" in response["Location"]
        if row.to == "tasks:detail" and subject.task is not None:
            assert response["Location"] == subject.task.get_absolute_url()
    if row.shows is not None:
        page = response.content.decode()
        for name, marker in subject.markers.items():
            assert (marker in page) == (name in row.shows), (row.id, name, marker)
    # and a POST that succeeds made its change; anything else changed nothing
    after = snapshot()
    if row.succeeds:
        assert subject.effect is not None, f"{row.id}: no check of the change"
        subject.effect(response)
    else:
        assert after == before, row.id
    if row.role in REVIEWERS:
        # not even the one write a reviewer may do touches the task itself
        assert {k: after[k] for k in TASK_PARTS} == {
            k: before[k] for k in TASK_PARTS
        }, row.id


@pytest.mark.parametrize("rows", cells())
def test_each_role_gets_the_expected_answer(rows, w, client):
    # given the role signed in and the object the rows are about
    first = rows[0]
    user = sign_in(client, w, first.role)
    subject = BUILDERS[first.url](w, first, user, client)
    for row in rows:
        check(row, subject, client)


# --- CSRF: a sample POST per URL that takes one -------------------------------------


def _csrf_rows() -> list:
    chosen: dict[str, Row] = {}
    for row in ROWS:
        if row.succeeds and not row.bug and row.url not in chosen:
            chosen[row.url] = row
    return [pytest.param(r, id=r.url) for r in chosen.values()]


CSRF_ROWS = _csrf_rows()


@pytest.mark.parametrize("row", CSRF_ROWS)
def test_a_post_without_the_csrf_token_is_refused_and_changes_nothing(row, w):
    # given a browser that checks CSRF, with the cookie a cross-site form
    # would carry, signed in as someone allowed to post
    client = Client(enforce_csrf_checks=True)
    user = sign_in(client, w, row.role)
    subject = BUILDERS[row.url](w, row, user, client)
    client.cookies[settings.CSRF_COOKIE_NAME] = CSRF_SECRET
    before = snapshot()

    # when the form comes without the token, it is refused and nothing changes
    response = send(client, "POST", subject)
    assert response.status_code == 403, explain(response)
    assert b"CSRF" in response.content
    assert snapshot() == before

    # and with the token the same post goes through
    response = send(client, "POST", subject, token=True)
    assert response.status_code == row.status, explain(response)
    subject.effect(response)


# --- the table itself ---------------------------------------------------------------


def resolver_urls() -> tuple[dict[str, str], list[str]]:
    """Every named URL of the project (name → route), and the routes of
    unnamed patterns outside the skipped namespaces."""
    named: dict[str, str] = {}
    unnamed: list[str] = []

    def walk(patterns, namespace="", prefix=""):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                inner = (
                    f"{namespace}{pattern.namespace}:"
                    if pattern.namespace
                    else namespace
                )
                walk(pattern.url_patterns, inner, prefix + str(pattern.pattern))
            elif pattern.name:
                named[namespace + pattern.name] = prefix + str(pattern.pattern)
            elif namespace.split(":")[0] not in SKIPPED_NAMESPACES:
                unnamed.append(prefix + str(pattern.pattern))

    walk(get_resolver().url_patterns)
    return named, unnamed


def test_every_url_of_the_project_is_in_the_table():
    named, unnamed = resolver_urls()
    in_table = {row.url for row in ROWS}
    skipped = set(SKIPPED) | {
        name
        for name in named
        if name.split(":")[0] in SKIPPED_NAMESPACES and name not in in_table
    }
    assert not unnamed, f"URLs without a name cannot be in the table: {unnamed}"
    missing = sorted(set(named) - in_table - skipped)
    assert not missing, f"URLs missing from tests/permission_matrix.py: {missing}"
    unknown = sorted(in_table - set(named))
    assert not unknown, f"rows for URLs that do not exist: {unknown}"
    assert set(SKIPPED) <= set(named), "a skipped URL no longer exists"


def test_every_url_has_a_row_for_anonymous_visitors():
    urls = {row.url for row in ROWS}
    with_anonymous = {row.url for row in ROWS if row.role == ANONYMOUS}
    assert urls == with_anonymous, sorted(urls - with_anonymous)


def test_every_url_with_an_id_answers_404_for_a_missing_one():
    named, _ = resolver_urls()
    with_id = {row.url for row in ROWS if "<int:pk>" in named[row.url]}
    missing = {
        row.url
        for row in ROWS
        if row.subject == "missing" and row.status == 404 and row.role != ANONYMOUS
    }
    assert with_id <= missing, sorted(with_id - missing)


def test_reviewers_never_post_anything_that_changes_the_tracker():
    # every POST by a reviewer is a 403 or a 404, except on URLs that take no
    # POST at all (405) and on their own session and alerts
    takes_post = {row.url for row in ROWS if row.succeeds}
    wrong = [
        row.id
        for row in ROWS
        if row.role in REVIEWERS
        and row.method == "POST"
        and row.url not in PERSONAL_POSTS
        and row.url not in REVIEWER_WRITES
        and row.status not in ((403, 404) if row.url in takes_post else (403, 404, 405))
    ]
    assert not wrong, wrong
    assert {row.url for row in ROWS if row.role in REVIEWERS} >= takes_post - {
        "login"
    }, "every URL that takes a POST has reviewer rows"


def test_post_only_urls_refuse_a_get_and_get_only_urls_refuse_a_post():
    gets = {row.url for row in ROWS if row.method == "GET" and row.status == 200}
    posts = {row.url for row in ROWS if row.succeeds}
    for url in posts - gets:
        assert any(
            r.url == url and r.method == "GET" and r.status == 405 for r in ROWS
        ), f"{url} takes only POST: it needs a GET row answering 405"
    for url in gets - posts - {"admin:index"}:
        assert any(
            r.url == url and r.method == "POST" and r.status == 405 for r in ROWS
        ), f"{url} takes only GET: it needs a POST row answering 405"


def test_the_table_has_no_duplicate_rows():
    ids = [row.id for row in ROWS]
    assert len(ids) == len(set(ids))


# --- quotas and conduct: builders, and the rows they may change -----------------

from quotas import services as quota_services  # noqa: E402
from quotas.choices import RegistrationStatus  # noqa: E402
from quotas.models import Registration  # noqa: E402
from units.models import CommitteeRole  # noqa: E402

WATCHED["quota_registrations"] = (
    Registration,
    ("id", "status", "person", "task", "decided_by"),
)


def quota_world(w) -> None:
    """A quota period open today (the article's quotas) and the committee
    roles of the people of the world (installed again if a transactional
    test has flushed the data migrations' rows)."""
    quota_services.install_defaults()
    roles = {role.code: role for role in CommitteeRole.objects.all()}
    for username, code in (
        ("bithu_da", "thuong-truc"),
        ("bithu_th", "thuong-truc"),
        ("lanhdao_vp", "uy-vien-btv"),
        ("canbo_vp", "can-bo-co-so"),
        ("canbo_vp2", "can-bo-co-so"),
        ("canbo_th", "can-bo-co-so"),
        ("canbo_th2", "can-bo-co-so"),
    ):
        Membership.objects.filter(user__username=username).update(
            committee_role=roles[code]
        )
    quota_services.period_create(
        actor=None,
        name="Kỳ kiểm thử",
        start=w.today - datetime.timedelta(days=60),
        end=w.today + datetime.timedelta(days=120),
        registration_deadline=w.today + datetime.timedelta(days=30),
        check_permission=False,
    )


def registered(w, subject: str, title: str = "") -> Registration:
    s = side(w, subject)
    task = new_task(w, s, **({"title": title} if title else {}))
    return quota_services.registration_create(
        actor=s.assignee, task=task, reason="Nhiều đơn vị cùng vướng mắc"
    )


def b_quota_mine(w, row, user, client):
    quota_world(w)
    # canbo_vp's registration, in the table of his own registrations only
    registration = registered(w, "in")
    return Subject(
        reverse(row.url), markers={"vp": f'data-registration="{registration.pk}"'}
    )


def b_quota_register(w, row, user, client):
    quota_world(w)
    if row.subject == "-":
        return Subject(reverse(row.url))
    task = new_task(w, side(w, row.subject))

    def effect(response):
        assert Registration.objects.filter(
            person=user, task=task, status=RegistrationStatus.PENDING
        ).exists()

    return Subject(
        reverse(row.url),
        data={"task": str(task.pk), "reason": "Vướng mắc kéo dài nhiều năm"},
        effect=effect,
    )


def b_quota_register_new(w, row, user, client):
    quota_world(w)
    if row.subject == "-":
        return Subject(reverse(row.url))
    s = side(w, row.subject)
    title = f"Giải phóng mặt bằng ({s.unit.code})"
    data = {
        "reason": "Nhiều hộ chưa đồng thuận",
        "title": title,
        "description": "Đối thoại với các hộ chưa bàn giao mặt bằng",
        "directive": str(w.directive.pk),
        "directive_item": "",
        "lead_unit": str(s.unit.pk),
        "assignee": str(s.assignee.pk),
        "start_date": w.today.isoformat(),
        "deadline": (w.today + datetime.timedelta(days=60)).isoformat(),
        "expected_result": "Bàn giao toàn bộ mặt bằng",
        "accountable_leader": str((user or s.leader).pk),
    }

    def effect(response):
        task = Task.objects.get(title=title)
        assert task.is_hard and task.lead_unit_id == s.unit.pk
        assert Registration.objects.filter(person=user, task=task).exists()

    return Subject(reverse(row.url), data=data, effect=effect)


def b_quota_review(w, row, user, client):
    quota_world(w)
    markers = {"in": "Việc khó của Văn phòng", "out": "Việc khó của Tây Hồ"}
    registered(w, "in", markers["in"])
    registered(w, "out", markers["out"])
    return Subject(reverse(row.url), markers=markers)


def b_quota_decide(w, row, user, client):
    quota_world(w)
    if row.subject == "missing":
        return Subject(reverse(row.url, args=[MISSING]), data={"decision": "confirm"})
    registration = registered(w, "out" if row.subject == "out" else "in")
    path = reverse(row.url, args=[registration.pk])
    if row.subject == "bad":
        return Subject(path, data={"decision": "refuse", "refusal_reason": " "})
    if row.subject == "decided":
        quota_services.registration_confirm(actor=w.bithu_da, registration=registration)
        return Subject(path, data={"decision": "refuse", "refusal_reason": "Đổi ý"})

    def effect(response):
        registration.refresh_from_db()
        assert registration.status == RegistrationStatus.CONFIRMED
        assert registration.decided_by_id == user.pk

    return Subject(path, data={"decision": "confirm"}, effect=effect)


def b_quota_short(w, row, user, client):
    quota_world(w)
    query = {}
    if row.subject == "missing":
        query["unit"] = str(MISSING)
    elif row.subject != "-":
        query["unit"] = str(side(w, row.subject).unit.pk)
    # names of people short in each side, and the reviewers' numbers table
    short = {"in": w.canbo_vp2, "out": w.canbo_th2}.get(row.subject)
    name = f'data-person="{short.pk}"' if short else ""
    return Subject(
        reverse(row.url),
        query=query,
        markers={"names": name, "counts": "short-units"} if name else {},
    )


def b_conduct_unit(w, row, user, client):
    if row.subject == "missing":
        return Subject(reverse(row.url, args=[MISSING]))
    return Subject(reverse(row.url, args=[side(w, row.subject).unit.pk]))


def b_conduct_person(w, row, user, client):
    if row.subject == "missing":
        return Subject(reverse(row.url, args=[MISSING]))
    return Subject(reverse(row.url, args=[side(w, row.subject).assignee.pk]))


BUILDERS.update(
    {
        "quotas:mine": b_quota_mine,
        "quotas:register": b_quota_register,
        "quotas:register_new": b_quota_register_new,
        "quotas:review": b_quota_review,
        "quotas:decide": b_quota_decide,
        "quotas:short": b_quota_short,
        "conduct:unit": b_conduct_unit,
        "conduct:panel": b_conduct_unit,
        "conduct:person": b_conduct_person,
    }
)
# --- end of quotas and conduct ----------------------------------------------------


# --- appraisal ---------------------------------------------------------------
# Builders of the appraisal rows (tests/permission_matrix.py, the appraisal
# block), and what they may change. Last month is computed for every unit,
# with one task done on time in it by canbo_vp (Văn phòng) and one by
# canbo_th (Tây Hồ); classification rows come from an admin's proposal for
# this year.


def ap_defaults():
    """The default rules, written again if a transactional test before this
    module flushed the data migration's rows (before the row's snapshot)."""
    from appraisal import services as appraisal

    appraisal.install_defaults()


def ap_month(w):
    from appraisal import services as appraisal
    from appraisal.selectors import previous_month

    ap_defaults()
    month = previous_month(w.today)
    for s in (side(w, "in"), side(w, "out")):
        task = new_task(
            w, s, start_date=month, deadline=month.replace(day=20), title="Việc tháng"
        )
        services.task_submit(
            actor=s.assignee,
            task=task,
            actual_result="Đã xong",
            today=month.replace(day=10),
        )
        services.task_approve(actor=s.leader, task=task)
    appraisal.scores_compute(month=month, actor=None)
    return month


def ap_score(w, subject):
    from appraisal.models import PersonScore

    person, unit = {
        "in": (w.canbo_vp, w.vp),
        "bad": (w.canbo_vp, w.vp),
        "out": (w.canbo_th, w.tay_ho),
        "head": (w.bithu_da, w.dong_anh),
    }[subject]
    return PersonScore.objects.get(person=person, round__unit=unit)


def ap_effect(model, pk, check):
    def effect(response):
        row = model.objects.get(pk=pk)
        assert check(row), f"the action did not change {row!r}"

    return effect


def b_ap_index(w, row, user, client):
    from appraisal.models import ScoringRound

    ap_month(w)
    markers = {
        name: f'href="{ScoringRound.objects.get(unit=unit).get_absolute_url()}"'
        for name, unit in (("in", w.vp), ("out", w.tay_ho))
    }
    return Subject(reverse("appraisal:index"), markers=markers)


def b_ap_score(w, row, user, client):
    ap_defaults()
    from appraisal import services as appraisal
    from appraisal.models import PersonScore

    name = row.url.split(":")[1]
    if row.subject == "missing":
        return Subject(reverse(row.url, args=[MISSING]), data={"level": "good"})
    ap_month(w)
    score = ap_score(w, row.subject)
    if name in ("leader_assess", "confirm"):
        appraisal.score_self_assess(
            actor=score.person, score=score, level="good", comment="Đã xong việc"
        )
    if name == "confirm":
        leader = w.lanhdao_vp if row.subject in ("in", "bad") else w.bithu_th
        appraisal.score_leader_assess(actor=leader, score=score, level="good")
    path = reverse(row.url, args=[score.pk])
    if name == "score":
        return Subject(path)
    bad = row.subject == "bad"
    data, check = {
        "self_assess": (
            {"level": "good", "comment": "" if bad else "Đã hoàn thành việc được giao"},
            lambda s: s.self_at is not None,
        ),
        "leader_assess": (
            {"level": "excellent" if bad else "good", "comment": ""},
            lambda s: s.leader_at is not None,
        ),
        "confirm": (
            {"level": "excellent" if bad else "good", "note": ""},
            lambda s: s.confirmed_at is not None,
        ),
    }[name]
    return Subject(path, data=data, effect=ap_effect(PersonScore, score.pk, check))


def b_ap_round(w, row, user, client):
    ap_defaults()
    from appraisal.models import ScoringRound

    name = row.url.split(":")[1]
    if row.subject == "missing":
        return Subject(reverse(row.url, args=[MISSING]))
    ap_month(w)
    unit = w.vp if row.subject in ("in", "bad") else w.tay_ho
    round_ = ScoringRound.objects.get(unit=unit)
    path = reverse(row.url, args=[round_.pk])
    if name == "round":
        return Subject(path)
    if name == "recompute":
        before = round_.computed_at
        return Subject(
            path,
            effect=ap_effect(ScoringRound, round_.pk, lambda r: r.computed_at > before),
        )
    # cross-evaluation: the poster rates a colleague of the round
    from appraisal.models import PeerRating

    if row.subject == "out":
        colleague = w.canbo_th2
    else:
        colleague = w.canbo_vp if user == w.canbo_vp2 else w.canbo_vp2
    rating = "7" if row.subject == "bad" else "4"
    data = {
        "evaluated": str(colleague.pk),
        "responsibility": rating,
        "cooperation": "5",
        "quality": "3",
    }

    def effect(response):
        assert PeerRating.objects.filter(
            round=round_, evaluator=user, evaluated=colleague, responsibility=4
        ).exists()

    return Subject(path, data=data, effect=effect)


def b_ap_rules(w, row, user, client):
    ap_defaults()
    from decimal import Decimal

    from appraisal.models import RuleSet
    from appraisal.rules import RULE_FIELDS

    path = reverse("appraisal:rules")
    if row.subject == "-":
        return Subject(path)
    current = RuleSet.objects.get(is_active=True)
    data = {"name": "Thử", "note": "", "action": "preview"}
    for name in RULE_FIELDS:
        value = getattr(current, name)
        if value is True:
            data[name] = "on"
        elif value not in (None, False):
            data[name] = str(value)
    data["late_points"] = "7.5"
    if row.subject == "bad":
        data["base_points"] = "120"
    if row.subject == "save":
        data.update(action="save", note="Trừ nặng hơn việc hoàn thành quá hạn")

    def effect(response):
        active = RuleSet.objects.get(is_active=True)
        if row.subject == "save":
            assert active.version == current.version + 1
            assert active.late_points == Decimal("7.5")
        else:
            assert active.pk == current.pk
            assert "Xem trước" in response.content.decode()

    return Subject(path, data=data, effect=effect)


def ap_classifications(w):
    from appraisal import services as appraisal

    ap_month(w)
    appraisal.classification_propose(
        actor=w.admin, kind="year", year=previous_month_year(w)
    )


def previous_month_year(w) -> int:
    from appraisal.selectors import previous_month

    return previous_month(w.today).year


def ap_row(w, subject):
    from appraisal.models import Classification

    person = w.canbo_vp if subject in ("in", "bad") else w.canbo_th
    return Classification.objects.get(person=person)


def b_ap_classifications(w, row, user, client):
    ap_classifications(w)
    query = {"year": str(previous_month_year(w))}
    if row.subject == "missing":
        query["unit"] = str(MISSING)
    elif row.subject != "-":
        query["unit"] = str(side(w, row.subject).unit.pk)
    markers = {}
    if row.url == "appraisal:classifications":
        markers = {
            name: f'href="{ap_row(w, name).get_absolute_url()}"'
            for name in ("in", "out")
        }
    return Subject(reverse(row.url), query=query, markers=markers)


def b_ap_propose(w, row, user, client):
    from appraisal.models import Classification

    ap_month(w)
    data = {"year": str(previous_month_year(w))}
    if row.subject == "missing":
        data["unit"] = str(MISSING)
    elif row.subject == "bad":
        data["year"] = "năm nay"
    elif row.subject != "-":
        data["unit"] = str(side(w, row.subject).unit.pk)

    def effect(response):
        assert Classification.objects.filter(proposed_at__isnull=False).exists()

    return Subject(reverse(row.url), data=data, effect=effect)


def b_ap_classification(w, row, user, client):
    ap_defaults()
    from appraisal.models import Classification

    name = row.url.split(":")[1]
    if row.subject == "missing":
        return Subject(reverse(row.url, args=[MISSING]), data={"level": "good"})
    ap_classifications(w)
    item = ap_row(w, row.subject)
    path = reverse(row.url, args=[item.pk])
    if name != "classification_decide":
        return Subject(path)
    if row.subject == "bad":
        data = {"level": "not_done", "reason": ""}
    else:
        data = {"level": item.proposed_level, "reason": ""}
    return Subject(
        path,
        data=data,
        effect=ap_effect(Classification, item.pk, lambda c: c.decided_at is not None),
    )


def _appraisal_watched():
    from appraisal.models import (
        Classification,
        ClassificationPeriod,
        PeerRating,
        PersonScore,
        RuleSet,
        ScoringRound,
    )

    return {
        "appraisal_scores": (
            PersonScore,
            ("id", "self_at", "leader_at", "confirmed_at", "computed_at"),
        ),
        "appraisal_rounds": (ScoringRound, ("id", "computed_at", "confirmed")),
        "appraisal_peer": (PeerRating, ("id", "responsibility", "quality")),
        "appraisal_rules": (RuleSet, ("id", "is_active")),
        "appraisal_periods": (ClassificationPeriod, ("id", "proposed_at")),
        "appraisal_classifications": (
            Classification,
            ("id", "proposed_at", "decided_at"),
        ),
    }


BUILDERS.update(
    {
        "appraisal:index": b_ap_index,
        "appraisal:score": b_ap_score,
        "appraisal:self_assess": b_ap_score,
        "appraisal:leader_assess": b_ap_score,
        "appraisal:confirm": b_ap_score,
        "appraisal:round": b_ap_round,
        "appraisal:recompute": b_ap_round,
        "appraisal:peer": b_ap_round,
        "appraisal:rules": b_ap_rules,
        "appraisal:classifications": b_ap_classifications,
        "appraisal:classifications_export": b_ap_classifications,
        "appraisal:classification_propose": b_ap_propose,
        "appraisal:classification": b_ap_classification,
        "appraisal:classification_print": b_ap_classification,
        "appraisal:classification_decide": b_ap_classification,
    }
)
WATCHED.update(_appraisal_watched())
# --- end of appraisal --------------------------------------------------------


# --- supervision ---------------------------------------------------------------
# Builders of the supervision rows (tests/permission_matrix.py, the
# supervision block), and what they may change.


def sv_world(w) -> SimpleNamespace:
    """Two teams — Đông Anh's ("in": canbo_vp2 leads it, it supervises Văn
    phòng) and Tây Hồ's ("out": canbo_th leads it, it supervises Quảng An) —
    each with a filed visit and its finding, a surprise inspection not yet
    filed with its finding, and a remediation task of the filed finding."""
    from supervision import services as sv
    from supervision.choices import TargetKind
    from supervision.models import ViolationItem

    sv.install_defaults()
    item = ViolationItem.objects.order_by("order").first()
    ns = SimpleNamespace(item=item)
    start = w.today - datetime.timedelta(days=30)
    end = w.today + datetime.timedelta(days=60)
    for name, owner, leader, unit, boss, assignee in (
        ("in", w.dong_anh, w.canbo_vp2, w.vp, w.bithu_da, w.canbo_vp),
        ("out", w.tay_ho, w.canbo_th, w.quang_an, w.bithu_th, w.canbo_qa),
    ):
        team = sv.team_create(
            actor=boss,
            name=f"Đoàn giám sát ({owner.code})",
            owner_unit=owner,
            leader=leader,
            start_date=start,
            end_date=end,
        )
        target = sv.target_add(
            actor=boss, team=team, unit=unit, kind=TargetKind.ORGANISATION
        )
        visit = sv.visit_plan(
            actor=boss, team=team, target=target, planned_date=w.today
        )
        sv.visit_record(
            actor=leader, visit=visit, visited_on=w.today, subject="Một cửa"
        )
        finding = sv.finding_add(
            actor=leader,
            visit=visit,
            violations=[item],
            description=f"Hồ sơ trễ hạn ({owner.code})",
        )
        sv.visit_file(actor=leader, visit=visit)
        finding.refresh_from_db()
        task = sv.remediation_create(
            actor=boss,
            finding=finding,
            title=f"Khắc phục hồ sơ trễ hạn ({owner.code})",
            description="Trả kết quả hồ sơ trễ hạn",
            directive=w.directive,
            lead_unit=unit,
            assignee=assignee,
            accountable_leader=boss,
            start_date=w.today,
            deadline=w.today + datetime.timedelta(days=10),
            expected_result="Không còn hồ sơ trễ hạn",
        )
        draft = sv.inspection_create(
            actor=leader,
            team=team,
            target=target,
            visited_on=w.today,
            subject="Giờ làm việc",
        )
        draft_finding = sv.finding_add(
            actor=leader,
            visit=draft,
            violations=[item],
            description=f"Vắng mặt trong giờ ({owner.code})",
        )
        setattr(
            ns,
            name,
            SimpleNamespace(
                team=team,
                target=target,
                visit=visit,
                finding=finding,
                task=task,
                draft=draft,
                draft_finding=draft_finding,
                unit=unit,
                boss=boss,
                assignee=assignee,
                owner=owner,
                leader=leader,
            ),
        )
    return ns


def sv_path(url: str, pk) -> str:
    return reverse(url, args=[pk])


def b_sv_index(w, row, user, client):
    ns = sv_world(w)
    return Subject(
        reverse(row.url),
        markers={
            "in": f'data-team="{getattr(ns, "in").team.pk}"',
            "out": f'data-team="{ns.out.team.pk}"',
        },
    )


def b_sv_team_create(w, row, user, client):
    from supervision.models import Team

    if row.subject == "-":
        return Subject(reverse(row.url))
    owner = w.tay_ho if row.subject == "out" else w.dong_anh
    name = "" if row.subject == "bad" else f"Đoàn mới ({owner.code})"
    data = {
        "name": name,
        "owner_unit": str(owner.pk),
        "leader": str((w.canbo_th if row.subject == "out" else w.canbo_vp2).pk),
        "start_date": w.today.isoformat(),
        "end_date": (w.today + datetime.timedelta(days=30)).isoformat(),
        "note": "",
    }

    def effect(response):
        team = Team.objects.get(name=name)
        assert team.created_by_id == user.pk and team.owner_unit_id == owner.pk

    return Subject(reverse(row.url), data=data, effect=effect)


def b_sv_team(w, row, user, client):
    from supervision.models import Target, Visit

    if row.subject == "missing":
        return Subject(sv_path(row.url, MISSING), data={"target": "1"})
    ns = sv_world(w)
    side_ = getattr(ns, "out" if row.subject == "out" else "in")
    path = sv_path(row.url, side_.team.pk)
    name = row.url.split(":")[1]
    if name == "target_add":
        unit = w.co_loa if side_.owner == w.dong_anh else w.quang_an
        kind = "organisation" if unit == w.co_loa else "head"
        head = "" if kind == "organisation" else str(w.canbo_qa.pk)
        if row.subject == "bad":
            unit = w.tay_ho
        data = {"unit": str(unit.pk), "kind": kind, "head_person": head}

        def effect(response):
            assert Target.objects.filter(team=side_.team, unit=unit, kind=kind).exists()

        return Subject(path, data=data, effect=effect)
    if name == "plan":
        day = w.today + datetime.timedelta(days=7)
        if row.subject == "bad":
            day = w.today + datetime.timedelta(days=365)
        data = {"target": str(side_.target.pk), "planned_date": day.isoformat()}

        def effect(response):
            assert Visit.objects.filter(target=side_.target, planned_date=day).exists()

        return Subject(path, data=data, effect=effect)
    if name == "inspect":
        day = w.today + datetime.timedelta(days=2 if row.subject == "bad" else 0)
        data = {
            "target": str(side_.target.pk),
            "visited_on": day.isoformat(),
            "topics": ["hours"],
            "subject": "Kiểm tra giờ giấc",
            "summary": "",
        }

        def effect(response):
            assert Visit.objects.filter(
                created_by=user, kind="surprise", subject="Kiểm tra giờ giấc"
            ).exists()

        return Subject(path, data=data, effect=effect)
    return Subject(path)  # the team page


def _sv_visit_of(ns, subject):
    if subject == "out":
        return ns.out.draft
    side_ = getattr(ns, "in")
    return side_.visit if subject == "in" else side_.draft


def b_sv_visit(w, row, user, client):
    if row.subject == "missing":
        return Subject(sv_path(row.url, MISSING))
    ns = sv_world(w)
    if row.url == "supervision:finding":
        side_ = getattr(ns, "out" if row.subject == "out" else "in")
        finding = side_.draft_finding if row.subject == "draft" else side_.finding
        return Subject(sv_path(row.url, finding.pk))
    side_ = getattr(ns, "out" if row.subject == "out" else "in")
    visit = side_.draft if row.subject == "draft" else side_.visit
    return Subject(sv_path(row.url, visit.pk))


def b_sv_write(w, row, user, client):
    from supervision.models import Finding, Visit

    if row.subject == "missing":
        return Subject(sv_path(row.url, MISSING), data={"description": "x"})
    ns = sv_world(w)
    visit = _sv_visit_of(ns, row.subject)
    path = sv_path(row.url, visit.pk)
    name = row.url.split(":")[1]
    if name == "record":
        day = w.today + datetime.timedelta(days=3 if row.subject == "bad" else 0)
        data = {
            "visited_on": day.isoformat(),
            "topics": ["procedures"],
            "subject": "Bộ phận một cửa",
            "summary": "Kết luận đã sửa",
        }

        def effect(response):
            visit.refresh_from_db()
            assert visit.summary == "Kết luận đã sửa"

        return Subject(path, data=data, effect=effect)
    if name == "finding_add":
        data = {
            "description": "Phát hiện mới",
            "violations": [] if row.subject == "bad" else [str(ns.item.pk)],
            "other_violation": "",
            "unit": "",
            "severity": "",
        }

        def effect(response):
            assert Finding.objects.filter(
                visit=visit, description="Phát hiện mới"
            ).exists()

        return Subject(path, data=data, effect=effect)

    def filed(response):
        assert Visit.objects.get(pk=visit.pk).status == "filed"

    return Subject(path, effect=filed)


def b_sv_findings(w, row, user, client):
    ns = sv_world(w)
    return Subject(
        reverse(row.url),
        markers={
            "in": f'data-finding="{getattr(ns, "in").finding.pk}"',
            "out": f'data-finding="{ns.out.finding.pk}"',
        },
    )


def b_sv_remediate(w, row, user, client):
    from supervision.models import FindingTask

    if row.subject == "missing":
        return Subject(sv_path(row.url, MISSING), data={"title": "x"})
    ns = sv_world(w)
    side_ = getattr(ns, "out" if row.subject == "out" else "in")
    finding = side_.draft_finding if row.subject == "draft" else side_.finding
    title = f"Nhiệm vụ khắc phục mới ({side_.owner.code})"
    data = {
        "title": title,
        "description": "Chấn chỉnh giờ giấc",
        "directive": str(w.directive.pk),
        "directive_item": "",
        "lead_unit": str(side_.unit.pk),
        "assignee": str(side_.assignee.pk),
        "start_date": w.today.isoformat(),
        "deadline": (w.today + datetime.timedelta(days=20)).isoformat(),
        "expected_result": "" if row.subject == "bad" else "Không còn vi phạm",
        "accountable_leader": str(side_.boss.pk),
    }

    def effect(response):
        assert FindingTask.objects.filter(finding=finding, task__title=title).exists()

    return Subject(sv_path(row.url, finding.pk), data=data, effect=effect)


def b_sv_summary(w, row, user, client):
    ns = sv_world(w)
    return Subject(
        reverse(row.url),
        markers={
            "in": f'data-team="{getattr(ns, "in").team.pk}"',
            "out": f'data-team="{ns.out.team.pk}"',
        },
    )


def b_sv_task_finding(w, row, user, client):
    if row.subject == "missing":
        return Subject(sv_path(row.url, MISSING))
    ns = sv_world(w)
    side_ = getattr(ns, "out" if row.subject == "out" else "in")
    return Subject(sv_path(row.url, side_.task.pk))


def _supervision_watched():
    from supervision.models import Finding, FindingTask, Target, Team, Visit

    return {
        "sv_teams": (Team, ("id", "name")),
        "sv_targets": (Target, ("id", "team", "unit")),
        "sv_visits": (Visit, ("id", "status", "summary")),
        "sv_findings": (Finding, ("id", "description")),
        "sv_finding_tasks": (FindingTask, ("id", "task")),
    }


BUILDERS.update(
    {
        "supervision:index": b_sv_index,
        "supervision:team_create": b_sv_team_create,
        "supervision:team": b_sv_team,
        "supervision:target_add": b_sv_team,
        "supervision:plan": b_sv_team,
        "supervision:inspect": b_sv_team,
        "supervision:visit": b_sv_visit,
        "supervision:finding": b_sv_visit,
        "supervision:record": b_sv_write,
        "supervision:finding_add": b_sv_write,
        "supervision:file": b_sv_write,
        "supervision:findings": b_sv_findings,
        "supervision:remediate": b_sv_remediate,
        "supervision:summary": b_sv_summary,
        "supervision:summary_print": b_sv_summary,
        "supervision:summary_export": b_sv_summary,
        "supervision:task_finding": b_sv_task_finding,
    }
)
WATCHED.update(_supervision_watched())
# --- end of supervision --------------------------------------------------------
