"""Template helpers for tasks: timeliness and status badges, and the
"còn N ngày / quá hạn N ngày" text. Colours come from the ``tl-*`` and
``st-*`` classes of static/css/app.css, so every page shows a class the
same way.

    {% load tracker %}
    {% timeliness_badge task.timeliness %}
    {% status_badge task.status %}
    {% days_text task today %}
    <tr class="{{ task.timeliness|timeliness_class }}">
"""

import datetime

from django import template
from django.utils import formats
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from ..calendar import local_today
from ..choices import TaskStatus, Timeliness

register = template.Library()

NO_TIMELINESS = "none"


def _timeliness_key(value) -> str:
    return value if value in Timeliness.values else NO_TIMELINESS


@register.filter
def timeliness_class(value) -> str:
    """CSS class for a timeliness value; ``tl-none`` for a cancelled task."""
    return f"tl-{_timeliness_key(value)}"


@register.filter
def timeliness_label(value) -> str:
    if value in Timeliness.values:
        return Timeliness(value).label
    return _("Không tính hạn")


@register.filter
def status_label(value) -> str:
    if value in TaskStatus.values:
        return TaskStatus(value).label
    return ""


@register.simple_tag
def timeliness_badge(value):
    return format_html(
        '<span class="badge {}">{}</span>',
        timeliness_class(value),
        timeliness_label(value),
    )


@register.simple_tag
def status_badge(value):
    if value not in TaskStatus.values:
        return ""
    return format_html(
        '<span class="badge st-{}">{}</span>', value, status_label(value)
    )


def days_phrase(task, today: datetime.date) -> str:
    """What a person reads next to the deadline, in calendar days."""
    status = task.status
    if status == TaskStatus.CANCELLED:
        return _("Đã hủy")
    if status == TaskStatus.DONE and task.completed_on:
        late = (task.completed_on - task.deadline).days
        if late > 0:
            return ngettext(
                "hoàn thành trễ %(n)s ngày", "hoàn thành trễ %(n)s ngày", late
            ) % {"n": late}
        return _("hoàn thành ngày %(date)s") % {
            "date": formats.date_format(task.completed_on, "d/m/Y")
        }
    if (
        status == TaskStatus.SUBMITTED
        and task.submitted_on
        and task.submitted_on <= task.deadline
    ):
        return _("đã báo cáo ngày %(date)s") % {
            "date": formats.date_format(task.submitted_on, "d/m/Y")
        }
    left = (task.deadline - today).days
    if left > 0:
        return ngettext("còn %(n)s ngày", "còn %(n)s ngày", left) % {"n": left}
    if left == 0:
        return _("hôm nay đến hạn")
    return ngettext("quá hạn %(n)s ngày", "quá hạn %(n)s ngày", -left) % {"n": -left}


@register.simple_tag
def days_text(task, today=None):
    """``<span class="days tl-…">còn 3 ngày</span>`` for a task row; the
    colour follows the task's timeliness annotation when it has one."""
    today = today or local_today()
    klass = timeliness_class(getattr(task, "timeliness", None))
    return format_html(
        '<span class="days {}">{}</span>', klass, days_phrase(task, today)
    )


@register.filter
def minutes(value) -> int:
    """Whole minutes of a timedelta, rounded up (15 for the axes cool-off)."""
    if not isinstance(value, datetime.timedelta):
        return 0
    seconds = int(value.total_seconds())
    return -(-seconds // 60)


@register.filter
def alert_kind_class(kind) -> str:
    """Deadline alerts take the colour of the class they warn about."""
    if kind in ("due_soon", "registration_reminder"):
        return "tl-due_soon"
    if kind in ("overdue", "escalation"):
        return "tl-overdue"
    return ""
