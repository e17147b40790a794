"""The dashboard's long tables as HTML built in Python, like the charts' SVG.

A district's unit table is hundreds of cells, each a number in the locale's
grouping, most of them a link; through template nodes each cell costs a
dozen variable lookups and filter calls, and the tables were a third of the
page's Python time at 1,000,000 tasks. Here each row is one f-string, every
text escaped, numbers grouped by one formatter made per table.

The templates call these through the ``dashboards`` tag library::

    {% load dashboards %}
    {% unit_rows unit_rows %}
    {% task_table data.hard.lines empty=empty %}
    {% trend_rows data.trend %}
    {% options directives directive.0 %}
"""

from collections.abc import Callable, Iterable
from functools import cache
from html import escape as _escape

from django.utils import translation
from django.utils.formats import get_format, localize, number_format
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop, ngettext

from .templatetags.tracker import timeliness_class, timeliness_label


@cache
def _translated(language: str | None, messages: tuple[str, ...]) -> tuple[str, ...]:
    with translation.override(language):
        return tuple(_(message) for message in messages)


def texts(*messages: str) -> tuple[str, ...]:
    """``gettext`` of each message (marked with ``gettext_noop`` for
    ``makemessages``) in the active language, asked of the catalogue once
    per language: it does not change while the process runs, and a page
    asks for dozens of these."""
    return _translated(translation.get_language(), messages)


def escape(text) -> str:
    """``django.utils.html.escape`` without its lazy-string wrapper (the
    same five characters escaped), for thousands of cells."""
    return _escape(str(text))


def int_formatter() -> Callable[[int], str]:
    """``intcomma`` for whole numbers in the active language (1.234 in
    Vietnamese, config/formats/vi; 1,234 in English), with the locale looked
    up once."""
    separator = get_format("THOUSAND_SEPARATOR")
    grouping = get_format("NUMBER_GROUPING")
    if grouping == 0:
        return str
    if grouping == 3 and separator:
        return lambda value: f"{value:,}".replace(",", separator)
    return lambda value: number_format(value, force_grouping=True)


def tenths(value) -> str:
    """A rate or a gap (a ``Decimal`` the selectors round to 0.1) as
    ``floatformat:1`` writes it in the active language ("91,2" in
    Vietnamese, "91.2" in English), without ``floatformat``'s rounding
    and parsing."""
    return f"{value:.1f}".replace(".", get_format("DECIMAL_SEPARATOR"))


def _rate(value) -> str:
    return "—" if value is None else f"{tenths(value)}%"


def _linked(value: int, url: str | None, grouped) -> str:
    if value and url:
        return f'<a href="{escape(url)}">{grouped(value)}</a>'
    return grouped(value)


def _count_cells(counts, cells, links, grouped, *, marked: bool) -> str:
    """A unit table row's numbers: the total, each timeliness class (coloured
    when ``marked``), both rates, the tasks extended and moved; a number is
    a link to its tasks where the row has one."""

    def td(key, value, text, extra=""):
        return (
            f'<td class="num{extra}" data-metric="{key}" data-value="{value}">'
            f"{text}</td>"
        )

    out = [td("total", counts.total, grouped(counts.total))]
    for cell in cells:
        key, value = cell["key"], cell["value"]
        extra = f" tl-cell tl-{key}" if marked else ""
        out.append(td(key, value, _linked(value, cell["url"], grouped), extra))
    for key in ("completion_rate", "on_time_rate"):
        value = getattr(counts, key)
        out.append(td(key, value, _rate(value)))
    for key in ("extended", "moved"):
        value = getattr(counts, key)
        out.append(td(key, value, _linked(value, links.get(key), grouped)))
    return "".join(out)


def unit_rows_html(items: Iterable[dict]) -> SafeString:
    """The unit table's body: one row per child unit (``DashboardView._page``
    items: the row, its timeliness cells with their links, its other links,
    the drill-down address)."""
    grouped = int_formatter()
    stopped = escape(_("đã ngừng hoạt động"))
    includes = escape(_("Gồm kết quả của"))
    out = []
    for item in items:
        row, links = item["row"], item["links"]
        name = escape(row.name)
        if item["down_url"]:
            name = f'<a href="{escape(item["down_url"])}">{name}</a>'
        if not row.is_active:
            name += f' <span class="badge">{stopped}</span>'
        if row.rolled_from:
            rolled = escape(", ".join(row.rolled_from))
            name += f' <div class="small muted">{includes} {rolled}</div>'
        numbers = _count_cells(row.counts, item["cells"], links, grouped, marked=True)
        out.append(
            f'<tr data-unit="{row.unit_id}">'
            f'<td class="num" data-metric="rank">{row.rank or "—"}</td>'
            f'<th scope="row">{name}</th>{numbers}</tr>'
        )
    return mark_safe("\n".join(out))


def task_table_html(
    lines, *, show_days: bool = False, show_path: bool = False, empty: str = ""
) -> SafeString:
    """A dashboard list of tasks (overdue, hard, buck-passing): a card per
    task on a phone (``data-label``), a table row on a screen."""
    task, unit, person, deadline, days, path, state = (
        escape(label)
        for label in texts(
            gettext_noop("Nhiệm vụ"),
            gettext_noop("Đơn vị chủ trì"),
            gettext_noop("Người thực hiện"),
            gettext_noop("Hạn"),
            gettext_noop("Số ngày quá hạn"),
            gettext_noop("Đường đi qua các đơn vị"),
            gettext_noop("Tình trạng"),
        )
    )
    head = (
        f'<th scope="col">{task}</th><th scope="col">{unit}</th>'
        f'<th scope="col">{person}</th><th scope="col">{deadline}</th>'
    )
    if show_days:
        head += f'<th scope="col" class="num">{days}</th>'
    head += f'<th scope="col">{path if show_path else state}</th>'
    rows = []
    # Per table: a badge per timeliness class, a phrase per number of hops.
    badges: dict[str, str] = {}
    hop_phrases: dict[int, str] = {}
    for line in lines:
        cells = (
            f'<td data-label="{task}"><a href="{escape(line.url)}">'
            f"{escape(line.title)}</a></td>"
            f'<td data-label="{unit}">{escape(line.unit)}</td>'
            f'<td data-label="{person}">{escape(line.assignee)}</td>'
            f'<td data-label="{deadline}" class="nowrap">'
            f"{line.deadline:%d/%m/%Y}</td>"
        )
        if show_days:
            cells += (
                f'<td data-label="{days}" class="num" data-metric="days_overdue">'
                f"{line.days_overdue}</td>"
            )
        if show_path:
            hops = hop_phrases.get(line.hops)
            if hops is None:
                hops = hop_phrases[line.hops] = escape(
                    ngettext("%(n)s lần chuyển", "%(n)s lần chuyển", line.hops)
                    % {"n": line.hops}
                )
            stops = "".join(f"<li>{escape(name)}</li>" for name in line.path)
            cells += (
                f'<td data-label="{path}"><ol class="hop-path">{stops}</ol>'
                f' <span class="small muted">{hops}</span></td>'
            )
        else:
            badge = badges.get(line.timeliness)
            if badge is None:
                badge = badges[line.timeliness] = (
                    f'<span class="badge {timeliness_class(line.timeliness)}">'
                    f"{escape(timeliness_label(line.timeliness))}</span>"
                )
            cells += f'<td data-label="{state}">{badge}</td>'
        rows.append(f'<tr data-task="{line.pk}">{cells}</tr>')
    if not rows:
        rows.append(f'<tr><td colspan="6" class="empty">{escape(empty)}</td></tr>')
    body = "\n".join(rows)
    return mark_safe(
        '<div class="table-wrap"><table class="table table-cards dash-task-table">'
        f"<thead><tr>{head}</tr></thead><tbody>\n{body}\n</tbody></table></div>"
    )


def trend_rows_html(months) -> SafeString:
    """The trend table's body: the chart's numbers, month by month."""
    grouped = int_formatter()
    return mark_safe(
        "\n".join(
            f'<tr data-month="{escape(m.label)}"><th scope="row">{escape(m.label)}</th>'
            f'<td class="num" data-metric="done_on_time" data-value="{m.done_on_time}">'
            f"{grouped(m.done_on_time)}</td>"
            f'<td class="num" data-metric="done_late" data-value="{m.done_late}">'
            f"{grouped(m.done_late)}</td>"
            f'<td class="num" data-metric="overdue_at_end"'
            f' data-value="{m.overdue_at_end}">{grouped(m.overdue_at_end)}</td></tr>'
            for m in months
        )
    )


def options_html(choices, selected) -> SafeString:
    """``<option>`` elements of a select: ``choices`` as (value, label)
    pairs, the one equal to ``selected`` marked (a directive list runs to
    dozens of plans)."""
    out = []
    for value, label, *_rest in choices:
        mark = " selected" if value == selected else ""
        out.append(f'<option value="{escape(value)}"{mark}>{escape(label)}</option>')
    return mark_safe("".join(out))


def unit_head_html(columns, order: str) -> SafeString:
    """The unit table's header: each column a link that sorts by it (again:
    the other way), the active one marked for screen readers; plain text
    where there is nothing to sort (no ``url``)."""
    arrow = "▲" if order == "asc" else "▼"
    sort = "ascending" if order == "asc" else "descending"
    out = []
    for col in columns:
        attrs = "" if col["key"] == "name" else ' class="num"'
        mark = ""
        if col["active"]:
            attrs += f' aria-sort="{sort}"'
            mark = f' <span aria-hidden="true">{arrow}</span>'
        if col["url"] is None:
            out.append(f'<th scope="col"{attrs}>{escape(col["label"])}</th>')
            continue
        out.append(
            f'<th scope="col"{attrs}><a href="{escape(col["url"])}" class="sort-link">'
            f"{escape(col['label'])}{mark}</a></th>"
        )
    return mark_safe(f"<tr>{''.join(out)}</tr>")


def _foot_row(kind: str, label: str, counts, cells, links, grouped) -> str:
    numbers = _count_cells(counts, cells, links, grouped, marked=False)
    return (
        f'<tr class="{kind}-row" data-unit="{kind}"><td></td>'
        f'<th scope="row">{escape(label)}</th>{numbers}</tr>'
    )


def unit_foot_html(own_rows, total, total_cells, total_links, node_name) -> SafeString:
    """The unit table's foot: the node's own tasks (not its children's; no
    links, the task list filters whole subtrees), then the node's total."""
    grouped = int_formatter()
    out = [
        _foot_row(
            "own",
            _("Do %(name)s trực tiếp chủ trì") % {"name": node_name},
            item["row"].counts,
            [dict(cell, url=None) for cell in item["cells"]],
            {},
            grouped,
        )
        for item in own_rows
    ]
    label = _("Cộng")
    out.append(
        _foot_row(
            "total",
            f"{label} — {node_name}",
            total,
            total_cells,
            total_links,
            grouped,
        )
    )
    return mark_safe("\n".join(out))


RATE_TEXTS = (
    gettext_noop("Chưa có nhiệm vụ đến hạn"),
    gettext_noop("Chưa có nhiệm vụ nào đến hạn trong kỳ."),
    gettext_noop("còn thiếu %(gap)s điểm %% so với mục tiêu"),
    gettext_noop("đạt mục tiêu"),
    gettext_noop("nhiệm vụ đã đến hạn"),
    gettext_noop("mục tiêu"),
)
OVERVIEW_TEXTS = (
    gettext_noop("Tổng quan"),
    gettext_noop("Tổng số nhiệm vụ của kỳ"),
    gettext_noop("Tỷ lệ hoàn thành"),
    gettext_noop(
        "Số nhiệm vụ đã hoàn thành (kể cả hoàn thành quá hạn) ÷ số nhiệm vụ "
        "đã đến hạn — cách tính Văn phòng Chính phủ dùng trong báo cáo."
    ),
    gettext_noop("Tỷ lệ hoàn thành đúng hạn"),
    # A literal "%" is "%%" in a template's message, as here.
    gettext_noop(
        "Số nhiệm vụ hoàn thành trong hạn (ngày báo cáo hoàn thành không muộn "
        "hơn hạn đang áp dụng) ÷ số nhiệm vụ đã đến hạn — chỉ tiêu “100%% công "
        "việc giải quyết đúng hạn” của chỉ thị."
    ),
    gettext_noop("Chưa có nhiệm vụ nào của kỳ đến hạn."),
    gettext_noop("Đã đến hạn (hạn đến hết ngày %(d)s):"),
    gettext_noop("hoàn thành đúng hạn"),
    gettext_noop("hoàn thành quá hạn"),
    gettext_noop("quá hạn chưa xong"),
    gettext_noop("đã báo cáo đúng hạn, chờ xác nhận"),
)


def _rate_card(key, title, rate, gap, numerator, due, definition, css) -> str:
    """A rate against the 100% target: the value, a meter, the count it is
    made of and how far from the target, its definition."""
    none_due, none_due_long, short_of, met, fallen_due, target = texts(*RATE_TEXTS)
    if rate is None:
        value = '<span class="muted">—</span>'
        label = none_due
        meter = ""
        detail = none_due_long
    else:
        shown = tenths(rate)
        value = f'<span data-value="{shown}">{shown}%</span>'
        label = f"{shown}% / 100%"
        meter = (
            f'<rect class="meter-fill {css}" x="0" y="0" width="{rate}"'
            ' height="6"></rect>'
        )
        short = short_of % {"gap": tenths(gap)} if gap else met
        detail = (
            f"<strong>{localize(numerator)}</strong> / {localize(due)} "
            f"{fallen_due} · {short}"
        )
    return (
        f'<div class="card rate-card" data-rate="{key}"><h3>{title}</h3>'
        f'<p class="rate-value">{value} <span class="rate-target">'
        f"{target} 100%</span></p>"
        '<svg class="rate-meter" viewBox="0 0 100 6" preserveAspectRatio="none"'
        f' role="img" aria-label="{label}">'
        '<rect class="meter-track" x="0" y="0" width="100" height="6"></rect>'
        f'{meter}</svg><p class="small">{detail}</p>'
        f'<p class="small muted rate-definition">{definition}</p></div>'
    )


def overview_html(node_name, total, class_cards, links, due_end) -> SafeString:
    """The overview: the count in each timeliness class and in all (each a
    link to exactly those tasks), both rates side by side with their
    definitions, and what the tasks that have fallen due are made of
    (``due_end`` None: none has). As the templates do, the catalogue's text
    is written as it is and every value is escaped."""
    (
        title,
        all_tasks,
        completion,
        completion_definition,
        on_time,
        on_time_definition,
        none_due,
        due_heading,
        done_on_time,
        done_late,
        overdue,
        waiting,
    ) = texts(*OVERVIEW_TEXTS)
    grouped = int_formatter()
    cards = []
    for card in class_cards:
        key, value = card["key"], card["value"]
        if value:
            number = (
                f'<a class="class-value" href="{escape(card["url"])}"'
                f' data-metric="{key}" data-value="{localize(value)}">'
                f"{grouped(value)}</a>"
            )
        else:
            number = (
                f'<span class="class-value" data-metric="{key}" data-value="0">0</span>'
            )
        cards.append(
            f'<li class="class-card tl-{key}">'
            f'<span class="class-label">{escape(card["label"])}</span>{number}</li>'
        )
    count = localize(total.total)
    cards.append(
        '<li class="class-card class-total"><span class="class-label">'
        f"{all_tasks}</span>"
        f'<span class="class-value" data-metric="total" data-value="{count}">'
        f"{grouped(total.total)}</span></li>"
    )
    cancelled = ""
    if total.cancelled:
        text = ngettext(
            "Không tính %(n)s nhiệm vụ đã hủy.",
            "Không tính %(n)s nhiệm vụ đã hủy.",
            total.cancelled,
        ) % {"n": localize(total.cancelled)}
        cancelled = f'<p class="small muted">{text}</p>'
    rates = _rate_card(
        "completion",
        completion,
        total.completion_rate,
        total.completion_gap,
        total.due_done,
        total.due,
        completion_definition,
        "tl-done_late",
    ) + _rate_card(
        "on_time",
        on_time,
        total.on_time_rate,
        total.on_time_gap,
        total.due_done_on_time,
        total.due,
        on_time_definition.replace("%%", "%"),
        "tl-done_on_time",
    )
    if due_end is None:
        due = none_due
    else:

        def part(key, metric=False):
            value = getattr(total, key)
            if not value:
                return "0"
            data = f' data-metric="{key}" data-value="{localize(value)}"'
            return (
                f'<a href="{escape(links[key])}"{data if metric else ""}>'
                f"{grouped(value)}</a>"
            )

        heading = due_heading % {"d": f"{due_end:%d/%m/%Y}"}
        due = (
            f"{heading} "
            f'<strong data-metric="due" data-value="{localize(total.due)}">'
            f"{grouped(total.due)}</strong> = "
            f"{done_on_time} {part('due_done_on_time', metric=True)}"
            f" + {done_late} {part('done_late')}"
            f" + {overdue} {part('overdue')}"
            f" + {waiting} {part('due_waiting', metric=True)}."
        )
    return mark_safe(
        '<section class="dash-section" aria-labelledby="h-overview">'
        f'<h2 id="h-overview">{title} — {escape(node_name)}</h2>'
        f'<ul class="class-cards" data-total="{count}">{"".join(cards)}</ul>'
        f'{cancelled}<div class="grid-2 rates">{rates}</div>'
        f'<p class="due-breakdown small">{due}</p></section>'
    )
