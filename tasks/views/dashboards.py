"""The committee dashboards: for a directive (and its plans), a period and
a node of the unit tree, the counts in each timeliness class, the two rates
against the 100% target, the unit table with drill-down, the monthly trend,
the overdue backlog, hard tasks, possible buck-passing and, for leaders,
each person's record. The Excel export calls the same selector.

Read-only (GET only). Leaders and reviewers see their own subtrees, a unit
outside them is a 404; people with neither role get a 403; superusers see
every unit.

Queries per page, whatever the number of tasks: session, user, the user's
memberships (scope), directives, the node (only when ``?unit=`` is given),
the units around it (breadcrumb and children, one query), then the
selector's queries — classes per child, extended and moved tasks per child
(one UNION), the monthly trend, the overdue backlog, hard tasks,
buck-passing and its hops — people and their names for leaders, and the
bell's unread count.
"""

import datetime
from urllib.parse import urlencode

from django import forms
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView, View

from directives.choices import DirectiveStatus
from units.choices import Role
from units.models import Unit
from units.scope import get_scope
from units.succession import NO_ROLLUP, rollup_on

from .. import dashboard_panels, selectors
from ..calendar import local_today
from ..choices import Timeliness
from ..context_processors import nav_urls
from ..dashboard_html import int_formatter
from ..exports import dashboard_workbook
from ..filters import DATE_INPUT_FORMATS, NOT_CANCELLED
from ..selectors import DashboardQuery, Period, PeriodKind
from .mixins import HtmxLoginRequiredMixin

STEP = Unit.steplen
LIST_LIMIT = 10
PEOPLE_LIMIT = 50
EXPORT_LIMIT = 5000


# --- parameters ------------------------------------------------------------------


class Sort:
    RANK = "rank"
    NAME = "name"
    choices = [
        (RANK, gettext_lazy("Xếp hạng")),
        (NAME, gettext_lazy("Tên đơn vị")),
        ("total", gettext_lazy("Tổng số")),
        *[(k, label) for k, label in Timeliness.choices],
        ("completion", gettext_lazy("Tỷ lệ hoàn thành")),
        ("on_time_rate", gettext_lazy("Tỷ lệ đúng hạn")),
        ("extended", gettext_lazy("Việc được gia hạn")),
        ("moved", gettext_lazy("Việc đã chuyển đơn vị")),
    ]


def _row_sort_value(row, key):
    c = row.counts
    if key == Sort.NAME:
        return row.name.casefold()
    if key == "total":
        return c.total
    if key in Timeliness.values:
        return c.klass(key)
    if key == "completion":
        return -1 if c.completion_rate is None else c.completion_rate
    if key == "on_time_rate":
        return -1 if c.on_time_rate is None else c.on_time_rate
    if key in ("extended", "moved"):
        return getattr(c, key)
    return 0


class _Shared:
    """A field of ``DashboardParams``, shared by every form made from it:
    Django deep-copies each field of each new form so that a page may change
    its own, and these are only ever read (validation; nothing renders
    them). A fifth of a millisecond on every dashboard, before its reads
    can start."""

    def __deepcopy__(self, memo):
        return self


class IntegerParam(_Shared, forms.IntegerField):
    pass


class ChoiceParam(_Shared, forms.ChoiceField):
    pass


class DateParam(_Shared, forms.DateField):
    pass


class DashboardParams(forms.Form):
    """The GET parameters. A bad one never fails the page: it is reported
    and its default is used instead."""

    directive = IntegerParam(
        required=False,
        min_value=1,
        error_messages={
            "invalid": gettext_lazy("Mã văn bản chỉ đạo không hợp lệ."),
            "min_value": gettext_lazy("Mã văn bản chỉ đạo không hợp lệ."),
        },
    )
    period = ChoiceParam(
        required=False,
        choices=PeriodKind.choices,
        error_messages={
            "invalid_choice": gettext_lazy("Loại kỳ “%(value)s” không có.")
        },
    )
    year = IntegerParam(
        required=False,
        min_value=2000,
        max_value=2100,
        error_messages={
            "invalid": gettext_lazy("Năm không hợp lệ."),
            "min_value": gettext_lazy("Năm phải từ 2000 đến 2100."),
            "max_value": gettext_lazy("Năm phải từ 2000 đến 2100."),
        },
    )
    month = IntegerParam(
        required=False,
        min_value=1,
        max_value=12,
        error_messages={
            "invalid": gettext_lazy("Tháng phải là một số từ 1 đến 12."),
            "min_value": gettext_lazy("Tháng phải là một số từ 1 đến 12."),
            "max_value": gettext_lazy("Tháng phải là một số từ 1 đến 12."),
        },
    )
    quarter = IntegerParam(
        required=False,
        min_value=1,
        max_value=4,
        error_messages={
            "invalid": gettext_lazy("Quý phải là một số từ 1 đến 4."),
            "min_value": gettext_lazy("Quý phải là một số từ 1 đến 4."),
            "max_value": gettext_lazy("Quý phải là một số từ 1 đến 4."),
        },
    )
    date_from = DateParam(
        required=False,
        input_formats=DATE_INPUT_FORMATS,
        error_messages={"invalid": gettext_lazy("“Từ ngày” không phải một ngày.")},
    )
    date_to = DateParam(
        required=False,
        input_formats=DATE_INPUT_FORMATS,
        error_messages={"invalid": gettext_lazy("“Đến ngày” không phải một ngày.")},
    )
    unit = IntegerParam(
        required=False,
        min_value=1,
        error_messages={
            "invalid": gettext_lazy("Mã đơn vị không hợp lệ."),
            "min_value": gettext_lazy("Mã đơn vị không hợp lệ."),
        },
    )
    sort = ChoiceParam(
        required=False,
        choices=Sort.choices,
        error_messages={
            "invalid_choice": gettext_lazy("Không sắp xếp được theo “%(value)s”.")
        },
    )
    order = ChoiceParam(required=False, choices=[("asc", "asc"), ("desc", "desc")])

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("period") == PeriodKind.CUSTOM:
            start, end = cleaned.get("date_from"), cleaned.get("date_to")
            if "date_from" in self.errors or "date_to" in self.errors:
                pass
            elif not start or not end:
                self.add_error(
                    "date_to", _("Kỳ tùy chọn cần cả “Từ ngày” và “Đến ngày”.")
                )
            elif start > end:
                self.add_error(
                    "date_to", _("“Từ ngày” phải trước hoặc bằng “Đến ngày”.")
                )
        return cleaned

    def value(self, name):
        return self.cleaned_data.get(name) if name not in self.errors else None

    def period_for(self, today: datetime.date) -> Period:
        kind = self.value("period") or PeriodKind.YEAR
        year = self.value("year") or today.year
        if kind == PeriodKind.CUSTOM:
            start, end = self.value("date_from"), self.value("date_to")
            if start and end and start <= end:
                return Period(PeriodKind.CUSTOM, start, end)
            return Period.year(today.year)
        if kind == PeriodKind.MONTH:
            month = self.value("month") or (today.month if year == today.year else 12)
            return Period.month(year, month)
        if kind == PeriodKind.QUARTER:
            default = (today.month + 2) // 3 if year == today.year else 4
            return Period.quarter(year, self.value("quarter") or default)
        return Period.year(year)


# --- the page ----------------------------------------------------------------------


class Counted(dict):
    """The page's values drawn from the unit table and the trend, made by
    ``make`` at the first lookup. The template takes them out once, in a
    ``{% with %}`` after the breadcrumb; from there they are plain values
    (a lazy object in their place would be asked through a proxy at every
    lookup)."""

    def __init__(self, make):
        super().__init__()
        self.make = make
        self.made = False

    def __missing__(self, key):
        if self.made:
            raise KeyError(key)
        self.made = True
        self.update(self.make())
        return self[key]


def task_list_url(**params) -> str:
    """The task list ("Việc của đơn vị") filtered with its own GET
    parameters (tasks/filters.py), so that it shows exactly the tasks
    counted."""
    clean = {k: v for k, v in params.items() if v not in (None, "")}
    for key, value in clean.items():
        if isinstance(value, datetime.date):
            clean[key] = value.isoformat()
    return f"{nav_urls()['unit']}?{urlencode(clean)}"


class DashboardMixin(HtmxLoginRequiredMixin):
    http_method_names = ["get", "head", "options"]

    def setup_dashboard(self):
        request = self.request
        self.scope = get_scope(request.user)
        if not (self.scope.is_all or self.scope.subtree_paths):
            raise PermissionDenied(
                _("Trang này dành cho lãnh đạo và cán bộ theo dõi của cấp ủy.")
            )
        self.today = local_today()
        form = self.params = DashboardParams(request.GET)
        form.is_valid()
        self.notices = [str(e) for errors in form.errors.values() for e in errors]

        self.directives = selectors.directive_rows()
        self.directive = self._pick_directive(form.value("directive"))
        self.period = form.period_for(self.today)
        self.node = selectors.resolve_node(self.scope, form.value("unit"))
        self.with_people = self.scope.is_all or (
            self.node.unit is not None
            and self.scope.covers_path(self.node.path, roles=(Role.LEADER,))
        )
        if self.directive is None:
            self.query = None
            return
        self.query = DashboardQuery(
            directive_ids=tuple(self._family(self.directive[0])),
            period=self.period,
            path=self.node.path,
            depth=self.node.depth,
            today=self.today,
            node_id=self.node.unit.pk if self.node.unit else None,
            rollup=self._rollup(),
        )

    def _rollup(self):
        """For a period that runs to today: closed units whose record
        counts in their successor's row, of those the user may read (one
        query)."""
        if self.period.end < self.today:
            return NO_ROLLUP
        return rollup_on(self.today).readable_by(self.scope)

    def _pick_directive(self, pk):
        if pk is not None:
            for row in self.directives:
                if row[0] == pk:
                    return row
            self.notices.append(
                _(
                    "Không tìm thấy văn bản chỉ đạo số %(pk)s; "
                    "đang hiển thị văn bản mặc định."
                )
                % {"pk": pk}
            )
        ids = {row[0] for row in self.directives}
        in_force = [r for r in self.directives if r[4] == DirectiveStatus.IN_FORCE]
        top = [r for r in in_force if r[3] is None or r[3] not in ids]
        for candidates in (top, in_force, self.directives):
            if candidates:
                return candidates[0]
        return None

    def _family(self, pk: int) -> list[int]:
        """The directive and every plan under it, at any depth (as
        ``Directive.family_ids``, from the rows already loaded)."""
        by_parent: dict[int, list[int]] = {}
        for row in self.directives:
            if row[3] is not None:
                by_parent.setdefault(row[3], []).append(row[0])
        family, frontier = [pk], [pk]
        while frontier:
            frontier = [
                c for p in frontier for c in by_parent.get(p, []) if c not in family
            ]
            family.extend(frontier)
        return family

    def load(self, *, export: bool = False):
        """Everything the page shows, or the export. The page leaves out the
        people (a report of its own, loaded after the page: over a whole
        city it reads every task of the period); the export has them."""
        if self.query is None:
            return None
        return selectors.dashboard(
            self.query,
            self.node.children,
            with_people=self.with_people and export,
            list_limit=EXPORT_LIMIT if export else LIST_LIMIT,
            people_limit=None,
        )

    def base_params(self, **overrides) -> dict:
        """The dashboard's own GET parameters as they are now."""
        params = {"directive": self.directive[0] if self.directive else None}
        period = self.period
        params["period"] = period.kind
        if period.kind == PeriodKind.CUSTOM:
            params["date_from"] = period.start.isoformat()
            params["date_to"] = period.end.isoformat()
        else:
            params["year"] = period.start.year
            if period.kind == PeriodKind.MONTH:
                params["month"] = period.start.month
            elif period.kind == PeriodKind.QUARTER:
                params["quarter"] = period.quarter_number
        if self.node.unit is not None:
            params["unit"] = self.node.unit.pk
        params.update(overrides)
        return {k: v for k, v in params.items() if v not in (None, "")}

    def url(self, name="tasks:dashboard", **overrides) -> str:
        """An address of the dashboard's (the page, its export, its people
        report) with its parameters as they are now, ``overrides`` applied.
        A page makes dozens (sort columns, drill-downs): each view is
        reversed once per request."""
        paths = self.__dict__.setdefault("_reversed", {})
        if name not in paths:
            paths[name] = reverse(name)
        return f"{paths[name]}?{urlencode(self.base_params(**overrides))}"


class DashboardView(DashboardMixin, TemplateView):
    template_name = "dashboards/dashboard.html"

    def get(self, request, *args, **kwargs):
        self.setup_dashboard()
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        data = self.load()
        # The other apps' panels come last on the page: read on the side
        # too, after the lists.
        side_panels, end_panels = dashboard_panels.panels_aside(
            dashboard_panels.DashboardPanelContext(
                user=self.request.user,
                scope=self.scope,
                node_unit=self.node.unit,
                children=self.node.children,
                query=self.query,
                today=self.today,
                is_leader_here=self.with_people,
            )
        )
        context.update(
            params=self.params,
            notices=self.notices,
            directives=self._directive_options(),
            directive=self.directive,
            period=self.period,
            period_kinds=PeriodKind.choices,
            months=[(m, m) for m in range(1, 13)],
            quarters=[(q, selectors.ROMAN[q]) for q in range(1, 5)],
            selected_month=(
                self.period.start.month
                if self.period.kind == PeriodKind.MONTH
                else None
            ),
            selected_quarter=(
                self.period.quarter_number
                if self.period.kind == PeriodKind.QUARTER
                else None
            ),
            node=self.node,
            today=self.today,
            data=data,
            is_print=request_flag(self.request, "print"),
            with_people=self.with_people,
            export_url=self.url("tasks:dashboard_export"),
            print_url=self.url(print=1),
            screen_url=self.url(),
            generated_at=timezone.localtime(),
        )
        if data is not None:
            context.update(self._page(data))
        context["people_url"] = self.url("tasks:dashboard_people")
        context["side_panels"] = side_panels
        context["end_panels"] = end_panels
        return context

    def _directive_options(self):
        options = []
        for pk, number, title, parent, status, _kind in self.directives:
            short = title if len(title) <= 70 else f"{title[:69]}…"
            prefix = "— " if parent else ""
            options.append((pk, f"{prefix}{number} · {short}", status))
        return options

    # --- building the page ----------------------------------------------------

    def _links(self, unit_id):
        """Drill-down URLs into the task list for one unit's subtree. The
        filters other than the unit are the same on every row: encoded once
        per page (``task_list_url`` gives the same addresses, one by one)."""
        if not hasattr(self, "_link_parts"):
            query, directive = self.query, self.directive[0]
            period = query.period
            parts = {
                klass: dict(
                    directive=directive,
                    timeliness=klass,
                    deadline_from=period.start,
                    deadline_to=period.end,
                )
                for klass in Timeliness.values
            }
            for flag in ("extended", "moved"):
                parts[flag] = dict(
                    directive=directive,
                    deadline_from=period.start,
                    deadline_to=period.end,
                    status=NOT_CANCELLED,
                    **{flag: "on"},
                )
            if query.has_due:
                due = dict(
                    directive=directive,
                    deadline_from=period.start,
                    deadline_to=query.due_end,
                )
                parts["due_done_on_time"] = dict(
                    due, timeliness=Timeliness.DONE_ON_TIME
                )
                parts["due_waiting"] = dict(due, timeliness=Timeliness.ON_TRACK)
            self._link_base = task_list_url()
            self._link_parts = {
                key: task_list_url(**params).partition("?")[2]
                for key, params in parts.items()
            }
        unit = f"unit={unit_id}&" if unit_id else ""
        if unit_id and self.query.rolled:
            unit += "rollup=on&"
        return {
            key: f"{self._link_base}{unit}{rest}"
            for key, rest in self._link_parts.items()
        }

    def _cells(self, counts, links) -> list[dict]:
        return [
            dict(key=klass, value=counts.klass(klass), url=links.get(klass))
            for klass in Timeliness.values
        ]

    def _page(self, data):
        """The page's values. Those drawn from the unit table and the trend
        are made at their first use (``counted``): the template reaches them
        after the layout, the filters and the breadcrumb, which are rendered
        while those counts are still being read on the side."""
        query = self.query
        node_unit_id = self.node.unit.pk if self.node.unit else None
        overview_links = self._links(node_unit_id)
        sort, order = self._sort()
        # A unit with no units under it has nothing to sort: plain headers.
        sortable = bool(self.node.children)
        columns = []
        for key, label in Sort.choices:
            natural = "asc" if key in (Sort.RANK, Sort.NAME) else "desc"
            flip = ("desc" if order == "asc" else "asc") if key == sort else natural
            columns.append(
                dict(
                    key=key,
                    label=label,
                    active=sortable and key == sort,
                    url=self.url(sort=key, order=flip) if sortable else None,
                )
            )
        directive = self.directive[0]
        return dict(
            counted=Counted(lambda: self._counted(data, overview_links, sort, order)),
            overview_links=overview_links,
            total_links=overview_links,
            sort=sort,
            order=order,
            sort_columns=columns,
            backlog_url=task_list_url(
                unit=node_unit_id,
                directive=directive,
                timeliness=Timeliness.OVERDUE,
                deadline_to=query.period.end,
            ),
            hard_url=task_list_url(
                unit=node_unit_id,
                directive=directive,
                status=NOT_CANCELLED,
                hard="on",
                deadline_from=query.period.start,
                deadline_to=query.period.end,
            ),
            legend=Timeliness.choices,
            trend_legend=[
                (Timeliness.DONE_ON_TIME, Timeliness.DONE_ON_TIME.label),
                (Timeliness.DONE_LATE, Timeliness.DONE_LATE.label),
                (Timeliness.OVERDUE, _("Quá hạn chưa xong cuối tháng")),
            ],
            breadcrumb_urls=[
                (u, self.url(unit=u.pk, sort=None, order=None))
                for u in self.node.breadcrumb
            ],
            top_urls=[(u, self.url(unit=u.pk)) for u in self.node.tops],
            due_end=query.due_end,
            has_due=query.has_due,
        )

    def _counted(self, data, overview_links, sort, order) -> dict:
        """The page's values drawn from the unit table and the trend."""
        rows = []
        for row in data.table.rows:
            # The list filters by a whole subtree: the node's own tasks (the
            # node less its children) get no links.
            linkable = not row.own and row.unit_id
            links = self._links(row.unit_id) if linkable else {}
            rows.append(
                dict(
                    row=row,
                    cells=self._cells(row.counts, links),
                    links=links,
                    down_url=(
                        self.url(unit=row.unit_id)
                        if row.unit_id and row.has_children
                        else None
                    ),
                )
            )
        own = [r for r in rows if r["row"].own]
        children = self._sorted([r for r in rows if not r["row"].own], sort, order)
        return dict(
            total=data.total,
            total_cells=self._cells(data.total, overview_links),
            class_cards=[
                dict(
                    key=klass,
                    label=label,
                    value=data.total.klass(klass),
                    url=overview_links[klass],
                )
                for klass, label in Timeliness.choices
            ],
            unit_rows=children,
            own_rows=own,
            trend_chart=trend_chart(data.trend),
            unit_chart=unit_chart([r["row"] for r in children]),
            trend_first=data.trend[0].start if data.trend else None,
        )

    def _sort(self):
        sort = self.params.value("sort") or Sort.RANK
        natural = "asc" if sort in (Sort.RANK, Sort.NAME) else "desc"
        return sort, self.params.value("order") or natural

    @staticmethod
    def _sorted(children, sort, order):
        if sort == Sort.RANK:
            ranked = sorted(
                (r for r in children if r["row"].rank is not None),
                key=lambda r: selectors.rank_key(r["row"]),
            )
            if order == "desc":
                ranked.reverse()
            unranked = sorted(
                (r for r in children if r["row"].rank is None),
                key=lambda r: r["row"].name.casefold(),
            )
            return ranked + unranked
        return sorted(
            children,
            key=lambda r: _row_sort_value(r["row"], sort),
            reverse=order == "desc",
        )


class DashboardPeopleView(DashboardMixin, TemplateView):
    """Each person's record over the dashboard's tasks (leaders only, for
    their own subtree): the section the dashboard loads after itself (htmx),
    or a page of its own without JavaScript."""

    template_name = "dashboards/people.html"

    def get(self, request, *args, **kwargs):
        self.setup_dashboard()
        if not self.with_people:
            raise PermissionDenied(
                _("Chỉ lãnh đạo đơn vị xem được kết quả từng người của đơn vị mình.")
            )
        return super().get(request, *args, **kwargs)

    def get_template_names(self):
        if self.request.htmx:
            return ["dashboards/partials/_people.html"]
        return [self.template_name]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        people = selectors.people(self.query, PEOPLE_LIMIT) if self.query else None
        context.update(
            node=self.node,
            period=self.period,
            directive=self.directive,
            people=people,
            dashboard_url=self.url(),
            export_url=self.url("tasks:dashboard_export"),
        )
        return context


def request_flag(request, name: str) -> bool:
    return request.GET.get(name, "") in {"1", "true", "yes", "on"}


class DashboardExportView(DashboardMixin, View):
    """The same numbers as the page, as an .xlsx workbook."""

    def get(self, request, *args, **kwargs):
        self.setup_dashboard()
        data = self.load(export=True)
        content = dashboard_workbook(
            data,
            directive=self.directive,
            period=self.period,
            unit_name=self.node.name,
            generated_at=timezone.localtime(),
            with_people=self.with_people,
        )
        stamp = self.today.strftime("%Y%m%d")
        response = HttpResponse(
            content,
            content_type=(
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
            ),
        )
        response["Content-Disposition"] = (
            f'attachment; filename="bang-theo-doi-{stamp}.xlsx"'
        )
        return response


# --- charts (server-side SVG geometry) -------------------------------------------


def _nice_max(value: int) -> int:
    """A round axis maximum at or above ``value``."""
    if value <= 0:
        return 1
    magnitude = 10 ** (len(str(value)) - 1)
    for step in (1, 2, 2.5, 5, 10):
        top = int(step * magnitude)
        if top >= value:
            return top
    return 10 * magnitude


TREND = dict(width=760, height=280, left=52, right=12, top=16, bottom=44)


def _n(value) -> str:
    """A coordinate for an SVG attribute: "12.5", "40" (no localisation,
    which would write "12,5")."""
    return f"{value:.1f}".removesuffix(".0")


def trend_chart(months) -> dict:
    """Per month, a stacked column of work done (on time, then late) and a
    column of work overdue at the month's end. The bars are SVG markup built
    here (hundreds of shapes: cheaper than template nodes); the numbers are
    in the table beside."""
    c = TREND
    plot_w = c["width"] - c["left"] - c["right"]
    plot_h = c["height"] - c["top"] - c["bottom"]
    peak = max([m.done for m in months] + [m.overdue_at_end for m in months] + [0])
    top = _nice_max(peak)
    slot = plot_w / max(len(months), 1)
    bar = slot * 0.36
    base_y = c["top"] + plot_h
    labels = {
        "tl-done_on_time": escape(_("Hoàn thành đúng hạn")),
        "tl-done_late": escape(_("Hoàn thành quá hạn")),
        "tl-overdue": escape(_("Quá hạn chưa xong cuối tháng")),
    }
    grouped = int_formatter()

    def h(v):
        return plot_h * v / top

    parts = []
    left, right, axis_x = c["left"], c["width"] - c["right"], c["left"] - 6
    # The same on every month.
    bar_w, label_y = _n(bar), _n(base_y + 18)
    for v in (0, top // 2, top):
        y = _n(base_y - plot_h * v / top)
        parts.append(
            f'<line class="grid-line" x1="{left}" x2="{right}" y1="{y}" y2="{y}">'
            f'</line><text class="chart-axis" x="{axis_x}" y="{y}" text-anchor="end"'
            f' dominant-baseline="middle">{grouped(v)}</text>'
        )
    for i, m in enumerate(months):
        x0 = c["left"] + i * slot + slot * 0.1
        x1 = x0 + bar + slot * 0.04
        on_h, late_h, over_h = h(m.done_on_time), h(m.done_late), h(m.overdue_at_end)
        label = m.label
        parts.append(f'<g class="bar-group" data-month="{label}">')
        for cls, x, y, height, value in (
            ("tl-done_on_time", x0, base_y - on_h, on_h, m.done_on_time),
            ("tl-done_late", x0, base_y - on_h - late_h, late_h, m.done_late),
            ("tl-overdue", x1, base_y - over_h, over_h, m.overdue_at_end),
        ):
            if height > 0:
                parts.append(
                    f'<rect class="seg {cls}" x="{_n(x)}" y="{_n(y)}" width="{bar_w}"'
                    f' height="{_n(height)}"><title>{label} — '
                    f"{labels[cls]}: {value}</title></rect>"
                )
        parts.append(
            f'<text class="chart-value" x="{_n(x0 + bar / 2)}"'
            f' y="{_n(base_y - on_h - late_h - 4)}" text-anchor="middle">'
            f"{grouped(m.done)}</text>"
            f'<text class="chart-value chart-value-overdue" x="{_n(x1 + bar / 2)}"'
            f' y="{_n(base_y - over_h - 4)}" text-anchor="middle">'
            f"{grouped(m.overdue_at_end)}</text>"
            f'<text class="chart-axis" x="{_n(c["left"] + i * slot + slot / 2)}"'
            f' y="{label_y}" text-anchor="middle">{label}</text></g>'
        )
    parts.append(
        f'<line class="axis-line" x1="{left}" x2="{right}"'
        f' y1="{_n(base_y)}" y2="{_n(base_y)}"></line>'
    )
    return dict(width=c["width"], height=c["height"], body=mark_safe("".join(parts)))


UNITS = dict(width=760, left=230, right=70, row=30, top=8, bar=18)


def unit_chart(rows) -> dict:
    """One 100% stacked bar per child unit: the share of its tasks of the
    period in each timeliness class; its number of tasks at the end. SVG
    markup built here, like the trend's."""
    c = UNITS
    plot_w = c["width"] - c["left"] - c["right"]
    grouped = int_formatter()
    classes = [(klass, escape(label)) for klass, label in Timeliness.choices]
    parts = []
    for i, row in enumerate(rows):
        counts = row.counts
        full_name = escape(row.name)
        total = counts.total
        y = _n(c["top"] + i * c["row"])
        text_y = _n(c["top"] + i * c["row"] + c["bar"] - 5)
        name = row.name if len(row.name) <= 32 else f"{row.name[:31]}…"
        parts.append(
            f'<g class="bar" data-unit="{row.unit_id}">'
            f'<text class="chart-label" x="{c["left"] - 8}" y="{text_y}"'
            f' text-anchor="end">{escape(name)}</text>'
            f'<rect class="bar-track" x="{c["left"]}" y="{y}" width="{plot_w}"'
            f' height="{c["bar"]}"></rect>'
        )
        x = c["left"]
        for klass, label in classes:
            value = counts.klass(klass)
            if not total or not value:
                continue
            w = plot_w * value / total
            parts.append(
                f'<rect class="seg tl-{klass}" x="{_n(x)}" y="{y}" width="{_n(w)}"'
                f' height="{c["bar"]}"><title>{full_name} — {label}:'
                f" {value}</title></rect>"
            )
            x += w
        parts.append(
            f'<text class="chart-value" x="{c["width"] - c["right"] + 6}"'
            f' y="{text_y}">{grouped(total)}</text></g>'
        )
    height = c["top"] * 2 + max(len(rows), 1) * c["row"]
    return dict(
        width=c["width"],
        height=height,
        bars=len(rows),
        body=mark_safe("".join(parts)),
    )


urlpatterns = [
    path("dashboard/", DashboardView.as_view(), name="dashboard"),
    path("dashboard/people/", DashboardPeopleView.as_view(), name="dashboard_people"),
    path(
        "dashboard/export.xlsx",
        DashboardExportView.as_view(),
        name="dashboard_export",
    ),
]
