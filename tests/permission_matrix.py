"""The permission matrix: one table of (URL, method, role, object) → the
expected answer, for every URL of the project. ``tests/test_permission_matrix.py``
turns each row into a test, and fails when a URL is missing from it.

Roles (the people of ``tests/test_permission_matrix.py``'s world, the same
tree as ``tests/conftest.py``)::

    anonymous    not signed in
    canbo_vp     staff of Văn phòng HU Đông Anh, the assignee of the "in" task
    canbo_vp2    staff of the same unit, not the assignee
    canbo_th     staff of Quận ủy Tây Hồ (another district), assignee of "out"
    lanhdao_vp   leader of Văn phòng (the "in" task's lead unit)
    bithu_da     leader of Huyện ủy Đông Anh (the unit above)
    bithu_th     leader of Quận ủy Tây Hồ (another district)
    vanphong_da  reviewer of Đông Anh (read-only, subtree)
    thuongtruc   reviewer of the whole city (read-only)
    admin        superuser

Objects ("subject" of a row)::

    in       an object of Đông Anh: a Văn phòng task (or its evidence file,
             extension or transfer request) in the state the action needs;
             for the assignment pages, a Văn phòng assignment; for the
             dashboards, ?unit=<Văn phòng>
    out      the same for Quận ủy Tây Hồ (whose leader may act on it)
    missing  an id that does not exist (it must answer as "out" would: 404)
    self     (decisions) a task whose assignee is its leader (bithu_da),
             deciding on his own work or request
    closed   (actions) the "in" object, then the task cancelled
    foreign  (decisions on a request) the "in" task, the form naming the
             pending request of the "out" task
    own      the user's own alert / own pending import / own alert e-mail
             choice (the page shows the user's own address)
    other    someone else's alert / import; for the alert e-mail choice, a
             form that also names someone else (only the poster's changes)
    bad      (alert e-mail choice) a form with an hour of 24: refused
    -        the URL names no object

Answers::

    200, 204, 400, 403, 404, 405   that status
    >task >home >mine >unit >read   a redirect to that page (tasks:detail, home,
    >login >admin >dash >pref       tasks:mine, tasks:unit, tasks:notifications,
                                    login, admin:login, tasks:dashboard,
                                    tasks:alert_preferences)
    L                               302 to the sign-in page (?next=…)
    ok                              (actions on a task) GET 200 with the form,
                                    POST 302 back to the task, the change made
    200/400                         (actions) GET 200, POST 400
    .                               no row (the case cannot arise)

Every POST row that succeeds (200 or 302) is checked to have made its
change; every other row, and every GET, is checked to have changed nothing.
"""

from dataclasses import dataclass

ROLES = (
    "anonymous",
    "canbo_vp",
    "canbo_vp2",
    "canbo_th",
    "lanhdao_vp",
    "bithu_da",
    "bithu_th",
    "vanphong_da",
    "thuongtruc",
    "admin",
)
ANONYMOUS = "anonymous"
REVIEWERS = ("vanphong_da", "thuongtruc")
LOGIN = "L"

# URLs whose POST changes only the poster's own session, own alerts or own
# way of receiving them, not the tracker's data: a reviewer may use them like
# anyone else.
PERSONAL_POSTS = frozenset(
    {
        "login",
        "logout",
        "tasks:notification_read",
        "tasks:notifications_read_all",
        "tasks:alert_preferences",
    }
)

# The writes a reviewer may do, by design, each with the reason. They leave
# the task itself (its row, version and state) unchanged.
REVIEWER_WRITES = {
    "tasks:explanation_request": (
        "a committee reviewer asks the lead unit of an overdue task to explain "
        "(tasks/permissions.py can_request_explanation); the task is not changed"
    ),
}

# URL names not in the table, each with the reason. (There is no static-files
# URL to skip: WhiteNoise serves /static/ as a middleware, not a URL pattern.)
SKIPPED = {
    "set_language": (
        "Django's i18n plumbing (django.conf.urls.i18n): switches the session's "
        "language for anyone, touches no tracker data; tests/views/test_accounts.py"
    ),
}
# Whole namespaces not in the table: Django admin's own pages (its
# permissions are Django's: is_staff + model permissions). Only admin:index
# is checked here, as a sample that the admin is closed to non-staff.
SKIPPED_NAMESPACES = {
    "admin": "Django admin's own URLs; admin:index is in the table as a sample",
}


@dataclass(frozen=True)
class Row:
    url: str  # URL name
    method: str  # "GET" or "POST"
    role: str
    subject: str  # see the module docstring
    status: int
    to: str | None = None  # URL name a 302 goes to ("login" for L)
    shows: tuple[str, ...] | None = None  # markers that must appear (others not)
    bug: str = ""  # a known bug: the row is an xfail(strict) until fixed

    @property
    def id(self) -> str:
        return f"{self.url}|{self.method}|{self.subject}|{self.role}"

    @property
    def succeeds(self) -> bool:
        """A POST that does what it was asked: its effect is checked.
        Anonymous visitors succeed only in signing in (or out)."""
        return (
            self.method == "POST"
            and self.status in (200, 302)
            and (self.role != ANONYMOUS or self.url in ("login", "logout"))
        )


ROWS: list[Row] = []

# Known bugs: (url, method, subject, role) → reason. The row stays in the
# table as an xfail(strict=True), so that the fix makes the suite say so.
BUGS: dict[tuple[str, str, str, str], str] = {}


REDIRECTS = {
    ">task": "tasks:detail",
    ">home": "home",
    ">mine": "tasks:mine",
    ">unit": "tasks:unit",
    ">dash": "tasks:dashboard",
    ">read": "tasks:notifications",
    ">pref": "tasks:alert_preferences",
    ">login": "login",
    ">admin": "admin:login",
}


def _cell(text: str) -> tuple[int, str | None] | None:
    if text == ".":
        return None
    if text == LOGIN:
        return 302, "login"
    if text in REDIRECTS:
        return 302, REDIRECTS[text]
    return int(text), None


def _cells(cells: str) -> list[str]:
    values = cells.split()
    assert len(values) == len(ROLES), (cells, len(values))
    return values


def add(url, method, subject, cells, *, shows=None):
    """One row per role. ``cells``: one answer per role, in ROLES order.
    ``shows``: one comma-separated list of markers per role ("-" for none)."""
    show_cells = _cells(shows) if shows else [None] * len(ROLES)
    for role, text, show in zip(ROLES, _cells(cells), show_cells, strict=True):
        answer = _cell(text)
        if answer is None:
            continue
        status, to = answer
        marks = None
        if show is not None:
            marks = () if show == "-" else tuple(show.split(","))
        ROWS.append(
            Row(
                url,
                method,
                role,
                subject,
                status,
                to,
                marks,
                BUGS.get((url, method, subject, role), ""),
            )
        )


def add_one(url, method, subject, role, text):
    status, to = _cell(text)
    bug = BUGS.get((url, method, subject, role), "")
    ROWS.append(Row(url, method, role, subject, status, to, None, bug))


def add_action(name, in_cells, out_cells):
    """An action on a task: the same answer to GET (the form) and POST."""
    url = f"tasks:{name}"
    for subject, cells in (("in", in_cells), ("out", out_cells)):
        for method in ("GET", "POST"):
            converted = [_split(text, method) for text in _cells(cells)]
            add(url, method, subject, " ".join(converted))
    # An id that does not exist: the same 404 as a task out of scope.
    for method in ("GET", "POST"):
        add_one(url, method, "missing", ANONYMOUS, LOGIN)
        add_one(url, method, "missing", "canbo_vp", "404")
        add_one(url, method, "missing", "admin", "404")


def _split(text: str, method: str) -> str:
    if text == "ok":
        return "200" if method == "GET" else ">task"
    if "/" in text:
        return text.split("/")[0 if method == "GET" else 1]
    return text


def add_some(name, subject, roles, cells):
    """An action on a task, for a few roles: GET and POST rows."""
    values = dict(zip(roles, cells.split(), strict=True))
    for method in ("GET", "POST"):
        for role, text in values.items():
            add_one(f"tasks:{name}", method, subject, role, _split(text, method))


# --- the table ------------------------------------------------------------------
# Columns, in ROLES order:
#        anon   cb_vp  cb_vp2 cb_th  ld_vp  bt_da  bt_th  vp_da  tt     admin
# fmt: off

# --- signing in and out, the landing page, monitoring
add("home", "GET", "-",
    "L      >mine  >mine  >mine  >unit  >unit  >unit  >dash  >dash  >unit")
add("home", "POST", "-",
    "L      405    .      .      .      .      .      405    .      405")
add("login", "GET", "-",
    "200    >home  >home  >home  >home  >home  >home  >home  >home  >home")
# "valid": canbo_vp's name and password; "wrong": a wrong password.
add("login", "POST", "valid",
    ">home  .      .      .      .      .      .      .      .      .")
add("login", "POST", "wrong",
    "200    .      .      .      .      .      .      .      .      .")
add("logout", "GET", "-",
    "405    405    .      .      .      .      .      405    .      405")
add("logout", "POST", "-",
    ">login >login .      .      >login .      .      >login .      >login")
# No login, no secrets: 200 when the last scan is recent ("scanned"), 503
# when there has been none ("-").
add("health", "GET", "scanned",
    "200    200    .      .      .      .      .      200    .      200")
add("health", "GET", "-",
    "503    .      .      .      .      .      .      .      .      503")
add("health", "POST", "scanned",
    "405    405    .      .      .      .      .      .      .      405")

# --- the task lists: who sees the "in" task and the "out" task
add("tasks:mine", "GET", "-",
    "L      200    200    200    200    200    200    200    200    200",
    shows=
    "-      in     -      out    -      -      -      -      -      -")
add("tasks:unit", "GET", "-",
    "L      200    200    200    200    200    200    200    200    200",
    shows=
    "-      in     in     out    in     in     out    in     in,out in,out")
for url in ("tasks:mine", "tasks:unit"):
    add(url, "POST", "-",
    "L      405    .      .      .      .      .      405    .      405")

# --- the task page and its evidence files
for url in ("tasks:detail", "tasks:evidence"):
    add(url, "GET", "in",
    "L      200    200    404    200    200    404    200    200    200")
    add(url, "GET", "out",
    "L      404    404    200    404    404    200    404    200    200")
    add(url, "GET", "missing",
    "L      404    .      .      .      .      .      404    .      404")
    add(url, "POST", "in",
    "L      405    .      .      .      .      .      405    .      405")

# --- every action on a task ("ok": GET shows the form, POST does it)
# The assignee's own actions, while the task is being worked on.
ASSIGNEE_IN = \
    "L      ok     403    404    403    403    404    403    403    403"
ASSIGNEE_OUT = \
    "L      404    404    ok     404    404    403    404    403    403"
# A leader's decisions: a leader of the lead unit or above, or a superuser.
MANAGER_IN = \
    "L      403    403    404    ok     ok     404    403    403    ok"
MANAGER_OUT = \
    "L      404    404    403    404    404    ok     404    403    ok"
for name in ("start", "report", "submit", "extension_request", "hand_back",
             "transfer_request"):
    add_action(name, ASSIGNEE_IN, ASSIGNEE_OUT)
for name in ("approve", "return", "extension_approve", "extension_reject",
             "transfer_reject", "reassign", "cancel"):
    add_action(name, MANAGER_IN, MANAGER_OUT)
# The "in" request asks to move the task to Cổ Loa, which lanhdao_vp does not
# lead: he may reject it but not accept it; bithu_da, above both, may.
add_action("transfer_approve",
    "L      403    403    404    403    ok     404    403    403    ok",
    MANAGER_OUT)
# The "in" transfer moves the task to a person of Cổ Loa: lanhdao_vp may open
# the form (his own units are offered) but the form refuses Cổ Loa (400).
add_action("transfer",
    "L      403    403    404    200/400 ok    404    403    403    ok",
    MANAGER_OUT)
# "foreign": the "in" task, with the form naming the pending request of the
# "out" task instead of its own: refused as bad input (400), nothing decided
# on either task. (The who-check comes first: canbo_vp still gets 403, and so
# does lanhdao_vp where he may not accept the "in" request at all.)
for name in ("extension_approve", "extension_reject", "transfer_reject"):
    add(f"tasks:{name}", "POST", "foreign",
    ".      403    .      .      400    400    .      .      .      400")
add("tasks:transfer_approve", "POST", "foreign",
    ".      403    .      .      403    400    .      .      .      400")
# "self": a Đông Anh task whose assignee is its own leader, bithu_da, with his
# work submitted or his own request pending. Nobody judges his own work or
# decides his own extension: a leader above (or a superuser) does. Accepting
# his own transfer request is allowed: he may move the task himself anyway.
#                      bt_da  tt     admin
SELF = {
    "approve":             "403    403    ok",
    "return":              "403    403    ok",
    "extension_approve":   "403    403    ok",
    "extension_reject":    "403    403    ok",
    "transfer_approve":    "ok     403    ok",
}
for name, cells in SELF.items():
    add_some(name, "self", ("bithu_da", "thuongtruc", "admin"), cells)
# "closed": the "in" task, set up as for "in", then cancelled. Nothing more
# may be done on it (403); a decision form made while its request was pending
# is stale (409: the request was withdrawn when the task closed). Only the
# answer to a pending request for explanation stays open (see its rows).
#                      cb_vp  ld_vp  admin
CLOSED = {
    "start":               "403    403    403",
    "report":              "403    403    403",
    "submit":              "403    403    403",
    "extension_request":   "403    403    403",
    "hand_back":           "403    403    403",
    "transfer_request":    "403    403    403",
    "approve":             "403    403    403",
    "return":              "403    403    403",
    "extension_approve":   "403    403/409 403/409",
    "extension_reject":    "403    403/409 403/409",
    "transfer_approve":    "403    403/409 403/409",
    "transfer_reject":     "403    403/409 403/409",
    "transfer":            "403    403    403",
    "reassign":            "403    403    403",
    "cancel":              "403    403    403",
    "explanation_request": "403    403    403",
    "explanation_answer":  "ok     ok     403",
}
for name, cells in CLOSED.items():
    add_some(name, "closed", ("canbo_vp", "lanhdao_vp", "admin"), cells)
# Requests for explanation, on an overdue task. Asking is the one write a
# reviewer may do (REVIEWER_WRITES). Answering is for the lead unit itself:
# the assignee or a leader (or the head) of the lead unit, not a leader above
# it nor a superuser.
add_action("explanation_request",
    "L      403    403    404    ok     ok     404    ok     ok     ok",
    "L      404    404    403    404    404    ok     404    ok     ok")
add_action("explanation_answer",
    "L      ok     403    404    ok     403    404    403    403    403",
    "L      404    404    ok     404    404    ok     404    403    403")

# --- assigning tasks
# "in": a Văn phòng assignment (its staff, its leader); "out": a Tây Hồ one.
# A leader posting outside his subtree gets the form back with errors (400).
LEADERS_ONLY = \
    "L      403    403    403    200    200    200    403    403    200"
add("tasks:create", "GET", "-", LEADERS_ONLY)
add("tasks:create", "POST", "in",
    "L      403    403    403    >task  >task  400    403    403    >task")
add("tasks:create", "POST", "out",
    "L      403    403    403    400    400    >task  403    403    >task")
# The option lists: the people of the lead unit asked for, only in scope.
add("tasks:assign_options", "GET", "in", LEADERS_ONLY,
    shows=
    "-      -      -      -      in     in     -      -      -      in")
add("tasks:assign_options", "GET", "out", LEADERS_ONLY,
    shows=
    "-      -      -      -      -      -      out    -      -      out")
add("tasks:assign_options", "POST", "in",
    "L      403    .      .      405    .      .      403    .      405")
# Excel: upload → preview (200: checked and kept, nothing created) → confirm.
add("tasks:import", "GET", "-", LEADERS_ONLY)
add("tasks:import", "POST", "in",
    "L      403    403    403    200    200    400    403    403    200")
add("tasks:import", "POST", "out",
    "L      403    403    403    400    400    200    403    403    200")
add("tasks:import_template", "GET", "-", LEADERS_ONLY)
add("tasks:import_template", "POST", "-",
    "L      403    .      .      405    .      .      403    .      405")
# "own": the leader's own checked file (only leaders can have one);
# "other": bithu_da's checked file, posted by anyone else with its token.
add("tasks:import_confirm", "POST", "own",
    ".      .      .      .      >home  >home  >home  .      .      >home")
add("tasks:import_confirm", "POST", "other",
    "L      403    403    403    404    .      404    403    403    404")
add("tasks:import_confirm", "POST", "missing",
    ".      .      .      .      404    404    .      .      .      404")
add("tasks:import_confirm", "GET", "-",
    "L      403    .      .      405    405    .      403    .      405")

# --- notifications ("own": an alert to the user; "other": to someone else)
add("tasks:notifications", "GET", "-",
    "L      200    200    200    200    200    200    200    200    200",
    shows=
    "-      own    own    own    own    own    own    own    own    own")
add("tasks:notifications", "POST", "-",
    "L      405    .      .      .      .      .      405    .      405")
add("tasks:bell", "GET", "-",
    "204    200    200    200    200    200    200    200    200    200")
add("tasks:bell", "POST", "-",
    "405    405    .      .      .      .      .      405    .      405")
add("tasks:notification_read", "POST", "own",
    "L      >read  >read  >read  >read  >read  >read  >read  >read  >read")
add("tasks:notification_read", "POST", "other",
    "L      404    404    404    404    404    404    404    404    404")
add("tasks:notification_read", "POST", "missing",
    "L      404    .      .      .      .      .      404    .      404")
add("tasks:notification_read", "GET", "own",
    "L      405    .      .      .      .      .      405    .      405")
add("tasks:notifications_read_all", "POST", "-",
    "L      >read  >read  >read  >read  >read  >read  >read  >read  >read")
# "offsite": the form's ?next= names another site; the answer stays here.
add("tasks:notification_read", "POST", "offsite",
    ".      >read  .      .      .      .      .      .      .      >read")
add("tasks:notifications_read_all", "POST", "offsite",
    ".      >read  .      .      .      .      .      .      .      >read")
add("tasks:notifications_read_all", "GET", "-",
    "L      405    .      .      .      .      .      405    .      405")

# --- how one receives alert e-mails: everyone chooses their own, nobody
# else's (no id in the URL; "other" names someone else in the form and only
# the poster's choice changes); "bad": an hour of 24, refused, nothing saved
add("tasks:alert_preferences", "GET", "own",
    "L      200    200    200    200    200    200    200    200    200",
    shows=
    "-      own    own    own    own    own    own    own    own    own")
for subject in ("own", "other"):
    add("tasks:alert_preferences", "POST", subject,
    "L      >pref  >pref  >pref  >pref  >pref  >pref  >pref  >pref  >pref")
add("tasks:alert_preferences", "POST", "bad",
    "L      400    400    400    400    400    400    400    400    400")

# --- dashboards: read-only, for leaders and reviewers, their own subtrees
# ("in": ?unit=Văn phòng, "out": ?unit=Tây Hồ, "-": the top of the scope)
for url in ("tasks:dashboard", "tasks:dashboard_export"):
    add(url, "GET", "-",
    "L      403    403    403    200    200    200    200    200    200")
    add(url, "GET", "in",
    "L      403    403    403    200    200    404    200    200    200")
    add(url, "GET", "out",
    "L      403    403    403    404    404    200    404    200    200")
    add(url, "GET", "missing",
    "L      .      .      .      404    .      .      404    .      404")
    add(url, "POST", "-",
    "L      405    .      .      405    .      .      405    .      405")

# --- each person's record (leaders only, their own subtree; reviewers read
# the unit figures but not people)
add("tasks:dashboard_people", "GET", "-",
    "L      403    403    403    200    200    200    403    403    200")
add("tasks:dashboard_people", "GET", "in",
    "L      403    403    403    200    200    404    403    403    200")
add("tasks:dashboard_people", "GET", "out",
    "L      403    403    403    404    404    200    404    403    200")
add("tasks:dashboard_people", "GET", "missing",
    "L      .      .      .      404    .      .      404    .      404")
add("tasks:dashboard_people", "POST", "-",
    "L      405    .      .      405    .      .      405    .      405")

# --- Django admin: a sample (the rest is Django's, see SKIPPED_NAMESPACES)
add("admin:index", "GET", "-",
    ">admin >admin .      .      >admin .      .      >admin .      200")

# --- quotas: hard tasks (việc khó) and their quotas -----------------------------
# The world has a quota period open today and committee roles on the
# memberships (tests/test_permission_matrix.py, "quotas" block). "in": a task
# of Văn phòng (canbo_vp does it, lanhdao_vp answers for it) or a registration
# of it by canbo_vp; "out": the same in Tây Hồ (canbo_th, bithu_th).
REDIRECTS.update({">qmine": "quotas:mine", ">qrev": "quotas:review"})
add("quotas:mine", "GET", "-",
    "L      200    200    200    200    200    200    200    200    200",
    shows=
    "-      vp     -      -      -      -      -      -      -      -")
add("quotas:mine", "POST", "-",
    "L      405    .      .      .      .      .      405    .      405")
# Registering a task of one's own (its assignee or accountable leader); any
# other task is not in the form's list (400). A reviewer's seat holds no
# task: 403.
add("quotas:register", "GET", "-",
    "L      200    200    200    200    200    200    403    403    200")
add("quotas:register", "POST", "in",
    "L      >qmine 400    400    >qmine 400    400    403    403    400")
add("quotas:register", "POST", "out",
    "L      400    400    >qmine 400    400    >qmine 403    403    400")
# A new task with its five rõ, registered at once: leaders, in their own
# units, as the task's accountable leader (the form names the poster).
add("quotas:register_new", "GET", "-",
    "L      403    403    403    200    200    200    403    403    200")
add("quotas:register_new", "POST", "in",
    "L      403    403    403    >qmine >qmine 400    403    403    400")
add("quotas:register_new", "POST", "out",
    "L      403    403    403    400    400    >qmine 403    403    400")
# The registrations waiting for a leader's decision: in his own units.
add("quotas:review", "GET", "-",
    "L      403    403    403    200    200    200    403    403    200",
    shows=
    "-      -      -      -      in     in     out    -      -      in,out")
add("quotas:review", "POST", "-",
    "L      403    .      .      405    .      .      403    .      405")
# One registration: seen by its registrant and by leaders and reviewers over
# its unit; decided by a leader over the unit who did not register it.
add("quotas:decide", "GET", "in",
    "L      200    404    404    200    200    404    200    200    200")
add("quotas:decide", "POST", "in",
    "L      403    404    404    >qrev  >qrev  404    403    403    >qrev")
add("quotas:decide", "GET", "out",
    "L      404    404    200    404    404    200    404    200    200")
add("quotas:decide", "POST", "out",
    "L      404    404    403    404    404    >qrev  404    403    >qrev")
add("quotas:decide", "GET", "missing",
    "L      404    .      .      .      .      .      404    .      404")
add("quotas:decide", "POST", "missing",
    "L      404    .      .      404    .      .      .      .      404")
# "bad": a refusal without a reason; "decided": already confirmed.
add("quotas:decide", "POST", "bad",
    ".      .      .      .      400    400    .      .      .      400")
add("quotas:decide", "POST", "decided",
    ".      .      .      .      400    .      .      .      .      400")
# Who is short of their quota: leaders see names in their subtree,
# reviewers the numbers per unit (no names); staff nothing.
add("quotas:short", "GET", "-",
    "L      403    403    403    200    200    200    200    200    200")
add("quotas:short", "GET", "in",
    "L      403    403    403    200    200    404    200    200    200",
    shows=
    "-      -      -      -      names  names  -      counts counts names")
add("quotas:short", "GET", "out",
    "L      403    403    403    404    404    200    404    200    200",
    shows=
    "-      -      -      -      -      -      names  -      counts names")
add("quotas:short", "GET", "missing",
    "L      .      .      .      404    .      .      404    .      404")
add("quotas:short", "POST", "-",
    "L      405    .      .      405    .      .      405    .      405")

# --- conduct: the buck-passing record of a unit and of a person -----------------
# "in": Văn phòng / canbo_vp; "out": Tây Hồ / canbo_th. A unit's: leaders over
# it and reviewers covering it (staff: 403). A person's: the person, and
# leaders and reviewers covering a unit of theirs; anyone else 404.
add("conduct:unit", "GET", "in",
    "L      403    403    403    200    200    404    200    200    200")
add("conduct:unit", "GET", "out",
    "L      403    403    403    404    404    200    404    200    200")
add("conduct:unit", "GET", "missing",
    "L      403    .      .      404    .      .      404    .      404")
add("conduct:unit", "POST", "in",
    "L      405    .      .      405    .      .      405    .      405")
# The dashboard's buck-passing panel, loaded after the page: as a unit's record.
add("conduct:panel", "GET", "in",
    "L      403    403    403    200    200    404    200    200    200")
add("conduct:panel", "GET", "out",
    "L      403    403    403    404    404    200    404    200    200")
add("conduct:panel", "GET", "missing",
    "L      403    .      .      404    .      .      404    .      404")
add("conduct:panel", "POST", "in",
    "L      405    .      .      405    .      .      405    .      405")
add("conduct:person", "GET", "in",
    "L      200    404    404    200    200    404    200    200    200")
add("conduct:person", "GET", "out",
    "L      404    404    200    404    404    200    404    200    200")
add("conduct:person", "GET", "missing",
    "L      404    .      .      404    .      .      404    .      404")
add("conduct:person", "POST", "in",
    "L      405    .      .      405    .      .      405    .      405")
# --- appraisal ---------------------------------------------------------------
# Monthly scores, their assessment, cross-evaluation, the score rules and the
# period's classification (appraisal/). Subjects (tests/test_permission_matrix.py,
# the appraisal block): last month computed for every unit.
#   in       canbo_vp's month in Văn phòng (for the round pages: Văn phòng's
#            round; for classifications: canbo_vp's row, or ?unit=Văn phòng)
#   out      canbo_th's month in Tây Hồ (Tây Hồ's round; canbo_th's row)
#   head     (leader's assessment) bithu_da's own month in Đông Anh, which he
#            leads: the committee assesses the heads
#   bad      a form the service refuses (400, nothing saved)
#   missing  an id no row has
# A person's month and classification: the person, leaders over the unit and
# reviewers covering it; colleagues never. The round page: leaders and
# reviewers (the unit's staff get 403, others 404). Cross-evaluation: the
# people of the round only.
REDIRECTS.update(
    {
        ">score": "appraisal:score",
        ">round": "appraisal:round",
        ">peer": "appraisal:peer",
        ">rules": "appraisal:rules",
        ">clist": "appraisal:classifications",
        ">cls": "appraisal:classification",
    }
)
REVIEWER_WRITES.update(
    {
        "appraisal:leader_assess": (
            "the committee assesses the month of a person who leads the unit "
            "(appraisal/permissions.py may_assess); never a staff member's"
        ),
        "appraisal:confirm": (
            "the committee confirms a person's month after the leader's "
            "assessment (appraisal/permissions.py may_confirm)"
        ),
        "appraisal:classification_propose": (
            "the committee draws up the classification proposals of its subtree "
            "(appraisal/permissions.py can_propose)"
        ),
        "appraisal:classification_decide": (
            "the committee confirms or changes a proposed classification "
            "(appraisal/permissions.py may_decide)"
        ),
    }
)
#        anon   cb_vp  cb_vp2 cb_th  ld_vp  bt_da  bt_th  vp_da  tt     admin
add("appraisal:index", "GET", "-",
    "L      200    200    200    200    200    200    200    200    200",
    shows=
    "-      -      -      -      in     in     out    in     in,out in,out")
add("appraisal:index", "POST", "-",
    "L      405    .      .      .      .      .      405    .      405")
add("appraisal:score", "GET", "in",
    "L      200    404    404    200    200    404    200    200    200")
add("appraisal:score", "GET", "out",
    "L      404    404    200    404    404    200    404    200    200")
add("appraisal:score", "GET", "missing",
    "L      404    .      .      .      .      .      404    .      404")
add("appraisal:score", "POST", "in",
    "L      405    .      .      405    .      .      405    .      405")
add("appraisal:self_assess", "POST", "in",
    "L      >score 404    404    403    403    404    403    403    403")
add("appraisal:self_assess", "POST", "out",
    "L      404    404    >score 404    404    403    404    403    403")
add("appraisal:self_assess", "POST", "bad",
    ".      400    .      .      .      .      .      .      .      .")
add("appraisal:self_assess", "POST", "missing",
    "L      404    .      .      .      .      .      404    .      404")
add("appraisal:self_assess", "GET", "in",
    "L      405    .      .      405    .      .      405    .      405")
add("appraisal:leader_assess", "POST", "in",
    "L      403    404    404    >score >score 404    403    403    >score")
add("appraisal:leader_assess", "POST", "out",
    "L      404    404    403    404    404    >score 404    403    >score")
add("appraisal:leader_assess", "POST", "head",
    "L      404    404    404    404    403    404    >score >score >score")
add("appraisal:leader_assess", "POST", "bad",
    ".      .      .      .      400    .      .      .      .      .")
add("appraisal:leader_assess", "POST", "missing",
    "L      404    .      .      .      .      .      404    .      404")
add("appraisal:leader_assess", "GET", "in",
    "L      405    .      .      405    .      .      405    .      405")
add("appraisal:confirm", "POST", "in",
    "L      403    404    404    >score >score 404    >score >score >score")
add("appraisal:confirm", "POST", "out",
    "L      404    404    403    404    404    >score 404    >score >score")
add("appraisal:confirm", "POST", "bad",
    ".      .      .      .      .      400    .      .      .      .")
add("appraisal:confirm", "POST", "missing",
    "L      404    .      .      .      .      .      404    .      404")
add("appraisal:confirm", "GET", "in",
    "L      405    .      .      405    .      .      405    .      405")
add("appraisal:round", "GET", "in",
    "L      403    403    404    200    200    404    200    200    200")
add("appraisal:round", "GET", "out",
    "L      404    404    403    404    404    200    404    200    200")
add("appraisal:round", "GET", "missing",
    "L      404    .      .      .      .      .      404    .      404")
add("appraisal:round", "POST", "in",
    "L      405    .      .      405    .      .      405    .      405")
add("appraisal:recompute", "POST", "in",
    "L      403    403    404    >round >round 404    403    403    >round")
add("appraisal:recompute", "POST", "out",
    "L      404    404    403    404    404    >round 404    403    >round")
add("appraisal:recompute", "POST", "missing",
    "L      404    .      .      .      .      .      404    .      404")
add("appraisal:recompute", "GET", "in",
    "L      405    .      .      405    .      .      405    .      405")
add("appraisal:peer", "GET", "in",
    "L      200    200    404    200    403    404    403    403    403")
add("appraisal:peer", "GET", "out",
    "L      404    404    200    404    404    200    404    403    403")
add("appraisal:peer", "GET", "missing",
    "L      404    .      .      .      .      .      404    .      404")
add("appraisal:peer", "POST", "in",
    "L      >peer  >peer  404    >peer  403    404    403    403    403")
add("appraisal:peer", "POST", "out",
    "L      404    404    >peer  404    404    >peer  404    403    403")
add("appraisal:peer", "POST", "bad",
    ".      400    .      .      .      .      .      .      .      .")
add("appraisal:peer", "POST", "missing",
    "L      404    .      .      .      .      .      404    .      404")
# The score rules: admins only ("preview" shows what last month would
# become and saves nothing; "save" makes and applies a new version).
add("appraisal:rules", "GET", "-",
    "L      403    403    403    403    403    403    403    403    200")
add("appraisal:rules", "POST", "preview",
    "L      403    403    403    403    403    403    403    403    200")
add("appraisal:rules", "POST", "save",
    "L      403    .      .      403    .      .      403    403    >rules")
add("appraisal:rules", "POST", "bad",
    ".      .      .      .      .      .      .      .      .      400")
# Classification: "-" the top of the user's scope (staff: their own rows).
add("appraisal:classifications", "GET", "-",
    "L      200    200    200    200    200    200    200    200    200",
    shows=
    "-      in     -      out    in     in     out    in     in,out in,out")
add("appraisal:classifications", "GET", "in",
    "L      404    404    404    200    200    404    200    200    200")
add("appraisal:classifications", "GET", "out",
    "L      404    404    404    404    404    200    404    200    200")
add("appraisal:classifications", "GET", "missing",
    "L      404    .      .      .      .      .      404    .      404")
add("appraisal:classifications", "POST", "-",
    "L      405    .      .      405    .      .      405    .      405")
for url in ("appraisal:classifications_export",):
    add(url, "GET", "-",
    "L      200    200    200    200    200    200    200    200    200")
    add(url, "GET", "in",
    "L      404    404    404    200    200    404    200    200    200")
    add(url, "GET", "out",
    "L      404    404    404    404    404    200    404    200    200")
    add(url, "POST", "-",
    "L      405    .      .      405    .      .      405    .      405")
add("appraisal:classification_propose", "POST", "-",
    "L      403    403    403    403    403    403    >clist >clist >clist")
add("appraisal:classification_propose", "POST", "in",
    "L      404    404    404    403    403    404    >clist >clist >clist")
add("appraisal:classification_propose", "POST", "out",
    "L      404    404    404    404    404    403    404    >clist >clist")
add("appraisal:classification_propose", "POST", "bad",
    ".      .      .      .      .      .      .      .      400    .")
add("appraisal:classification_propose", "POST", "missing",
    "L      404    .      .      .      .      .      404    .      404")
add("appraisal:classification_propose", "GET", "-",
    "L      405    .      .      405    .      .      405    .      405")
for url in ("appraisal:classification", "appraisal:classification_print"):
    add(url, "GET", "in",
    "L      200    404    404    200    200    404    200    200    200")
    add(url, "GET", "out",
    "L      404    404    200    404    404    200    404    200    200")
    add(url, "GET", "missing",
    "L      404    .      .      .      .      .      404    .      404")
    add(url, "POST", "in",
    "L      405    .      .      405    .      .      405    .      405")
add("appraisal:classification_decide", "POST", "in",
    "L      403    404    404    403    403    404    >cls   >cls   >cls")
add("appraisal:classification_decide", "POST", "out",
    "L      404    404    403    404    404    403    404    >cls   >cls")
add("appraisal:classification_decide", "POST", "bad",
    ".      .      .      .      .      .      .      .      400    .")
add("appraisal:classification_decide", "POST", "missing",
    "L      404    .      .      .      .      .      404    .      404")
add("appraisal:classification_decide", "GET", "in",
    "L      405    .      .      405    .      .      405    .      405")
# --- end of appraisal --------------------------------------------------------

# --- supervision: teams, visits, findings (supervision/permissions.py) -------
# "in": a team of Đông Anh led by canbo_vp2 (a staff member: the team-leader
# rule, apart from the committee's) that supervises Văn phòng, so canbo_vp
# and lanhdao_vp are the supervised unit; bithu_da leads its committee,
# vanphong_da and thuongtruc follow it. "out": a team of Tây Hồ led by
# canbo_th, supervising Phường Quảng An. For a visit or finding, "in" is a
# filed record, "draft" a surprise inspection not filed yet (invisible to
# the unit), "out" Tây Hồ's (its draft for the writes). "bad": refused input.
REDIRECTS.update(
    {
        ">steam": "supervision:team",
        ">svisit": "supervision:visit",
        ">sfind": "supervision:finding",
    }
)
add("supervision:index", "GET", "-",
    "L      200    200    200    200    200    200    200    200    200",
    shows=
    "-      -      in     out    -      in     out    in     in,out in,out")
add("supervision:index", "POST", "-",
    "L      405    .      .      .      .      .      405    .      405")
# Setting up a team: leaders, of a unit they lead (else the form says no).
add("supervision:team_create", "GET", "-",
    "L      403    403    403    200    200    200    403    403    200")
add("supervision:team_create", "POST", "in",
    "L      403    403    403    400    >steam 400    403    403    >steam")
add("supervision:team_create", "POST", "out",
    "L      403    403    403    400    400    >steam 403    403    >steam")
add("supervision:team_create", "POST", "bad",
    ".      .      .      .      .      400    .      .      .      .")
# A team: its committee and its people; nobody else knows it exists.
add("supervision:team", "GET", "in",
    "L      404    200    404    404    200    404    200    200    200")
add("supervision:team", "GET", "out",
    "L      404    404    200    404    404    200    404    200    200")
add("supervision:team", "GET", "missing",
    "L      404    .      .      .      .      .      404    .      404")
add("supervision:team", "POST", "in",
    "L      405    .      .      .      .      .      405    .      405")
# Targets: leaders of the owner unit. The plan: those, or the team leader.
add("supervision:target_add", "POST", "in",
    "L      404    403    404    404    >steam 404    403    403    >steam")
add("supervision:target_add", "POST", "out",
    "L      404    404    403    404    404    >steam 404    403    >steam")
add("supervision:plan", "POST", "in",
    "L      404    >steam 404    404    >steam 404    403    403    >steam")
add("supervision:plan", "POST", "out",
    "L      404    404    >steam 404    404    >steam 404    403    >steam")
for url in ("supervision:target_add", "supervision:plan"):
    add(url, "POST", "missing",
    "L      404    .      .      .      .      .      404    .      404")
    add(url, "POST", "bad",
    ".      .      .      .      .      400    .      .      .      .")
    add(url, "GET", "in",
    "L      405    .      .      .      .      .      405    .      405")
# A surprise inspection: the team, or a leader of the owner unit.
add("supervision:inspect", "GET", "in",
    "L      404    200    404    404    200    404    403    403    200")
add("supervision:inspect", "POST", "in",
    "L      404    >svisit 404   404    >svisit 404   403    403    >svisit")
add("supervision:inspect", "GET", "out",
    "L      404    404    200    404    404    200    404    403    200")
add("supervision:inspect", "POST", "out",
    "L      404    404    >svisit 404   404    >svisit 404   403    >svisit")
add("supervision:inspect", "GET", "missing",
    "L      404    .      .      .      .      .      404    .      404")
add("supervision:inspect", "POST", "bad",
    ".      .      .      .      .      400    .      .      .      .")
# A visit and a finding: the unit (canbo_vp, lanhdao_vp) sees them once filed.
for url in ("supervision:visit", "supervision:finding"):
    add(url, "GET", "in",
    "L      200    200    404    200    200    404    200    200    200")
    add(url, "GET", "draft",
    "L      404    200    404    404    200    404    200    200    200")
    add(url, "GET", "out",
    "L      404    404    200    404    404    200    404    200    200")
    add(url, "GET", "missing",
    "L      404    .      .      .      .      .      404    .      404")
    add(url, "POST", "in",
    "L      405    .      .      .      .      .      405    .      405")
# Writing a record (and its findings), filing it: until it is filed.
for url in ("supervision:record", "supervision:finding_add", "supervision:file"):
    add(url, "POST", "draft",
    "L      404    >svisit 404   404    >svisit 404   403    403    >svisit")
    add(url, "POST", "out",
    "L      404    404    >svisit 404   404    >svisit 404   403    >svisit")
    add(url, "POST", "in",
    "L      403    403    404    403    403    404    403    403    403")
    add(url, "POST", "missing",
    "L      404    .      .      .      .      .      404    .      404")
    add(url, "GET", "draft",
    "L      405    .      .      .      .      .      405    .      405")
for url in ("supervision:record", "supervision:finding_add"):
    add(url, "POST", "bad",
    ".      .      .      .      .      400    .      .      .      .")
# The filed findings, as far as each may see them.
add("supervision:findings", "GET", "-",
    "L      200    200    200    200    200    200    200    200    200",
    shows=
    "-      in     in     out    in     in     out    in     in,out in,out")
add("supervision:findings", "POST", "-",
    "L      405    .      .      .      .      .      405    .      405")
# Remediation tasks: a leader of the owner unit (or the team leader, if he
# leads a unit there: canbo_vp2 and canbo_th lead none), on a filed record.
add("supervision:remediate", "GET", "in",
    "L      403    403    404    403    200    404    403    403    200")
add("supervision:remediate", "POST", "in",
    "L      403    403    404    403    >sfind 404    403    403    >sfind")
add("supervision:remediate", "GET", "out",
    "L      404    404    403    404    404    200    404    403    200")
add("supervision:remediate", "POST", "out",
    "L      404    404    403    404    404    >sfind 404    403    >sfind")
add("supervision:remediate", "GET", "draft",
    "L      404    403    404    404    403    404    403    403    403")
add("supervision:remediate", "GET", "missing",
    "L      404    .      .      .      .      .      404    .      404")
add("supervision:remediate", "POST", "missing",
    "L      404    .      .      .      .      .      404    .      404")
add("supervision:remediate", "POST", "bad",
    ".      .      .      .      .      400    .      .      .      .")
# The summary, its print view and .xlsx: leaders and reviewers, of what each
# may see (lanhdao_vp, supervised only, sees no team).
add("supervision:summary", "GET", "-",
    "L      403    403    403    200    200    200    200    200    200",
    shows=
    "-      -      -      -      -      in     out    in     in,out in,out")
for url in ("supervision:summary_print", "supervision:summary_export"):
    add(url, "GET", "-",
    "L      403    403    403    200    200    200    200    200    200")
for url in ("supervision:summary", "supervision:summary_print",
            "supervision:summary_export"):
    add(url, "POST", "-",
    "L      403    .      .      .      .      .      405    .      405")
# On a remediation task's page: its finding (without htmx, a redirect to it)
# for whoever sees the task and the finding.
add("supervision:task_finding", "GET", "in",
    "L      >sfind >sfind 404    >sfind >sfind 404    >sfind >sfind >sfind")
add("supervision:task_finding", "GET", "out",
    "L      404    404    404    404    404    >sfind 404    >sfind >sfind")
add("supervision:task_finding", "GET", "missing",
    "L      404    .      .      .      .      .      404    .      404")
add("supervision:task_finding", "POST", "in",
    "L      405    .      .      .      .      .      405    .      405")
# --- end of supervision ------------------------------------------------------
# fmt: on
