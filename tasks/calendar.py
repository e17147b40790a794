"""The calendar of Vietnam: weekends, public holidays (Tết and the Hùng
Kings' day included, from the ``holidays`` library), the admins' table of
each year's extra days off and make-up working days (``CalendarDay``), and
working-day arithmetic over them.

Dates here are local dates in Asia/Ho_Chi_Minh. The admins' table is held
in memory (see ``reload``): working-day arithmetic never queries.
"""

import datetime
from functools import lru_cache

import holidays
from django.db import connection, connections
from django.utils import timezone

# date -> kind, from the admins' table; None until loaded.
_overrides: dict[datetime.date, str] | None = None
# A change to the table was read inside a transaction that had not ended:
# the table is read again at the first use after it has (``changed``).
_unconfirmed = False


@lru_cache(maxsize=64)
def _library_calendar(
    year: int,
) -> tuple[frozenset[datetime.date], frozenset[datetime.date]]:
    """The public holidays of ``year`` and its weekend days that are worked.

    When the government moves a day off next to a holiday (a bridge), it
    names a Saturday to be worked in exchange ("làm bù"): that Saturday is a
    working day, and the library lists it in ``weekend_workdays``.
    """
    vn = holidays.country_holidays("VN", years=year)
    days_off = frozenset(day for day in vn if day.year == year)
    worked = frozenset(
        day for day in getattr(vn, "weekend_workdays", ()) if day.year == year
    )
    return days_off, worked


def reload(using: str = "default") -> None:
    """Read the admins' table (a few rows a year) into this process.

    Called when a database connection opens (so a process sees an admin's
    change at its next connection, within ``CONN_MAX_AGE``), after
    ``migrate``, and when a ``CalendarDay`` is saved or deleted here; the
    calendar functions themselves then never query, which keeps every
    page's query count fixed."""
    global _overrides, _unconfirmed
    from .models import CalendarDay

    _overrides = dict(CalendarDay.objects.using(using).values_list("date", "kind"))
    _unconfirmed = False


def changed(using: str = "default") -> None:
    """A ``CalendarDay`` was saved or deleted through this process. The
    table is read at once, so that the rest of the write's transaction works
    with the change; inside a transaction, once more at the first use after
    the transaction has ended, so that a change rolled back (an admin's save
    that failed further on) does not stay in this process's memory."""
    global _unconfirmed
    reload(using)
    _unconfirmed = connections[using].in_atomic_block


def reload_quietly(using: str = "default") -> None:
    """``reload``, unless the table cannot be read yet (before ``migrate``)."""
    global _overrides
    from django.db import DatabaseError

    try:
        reload(using)
    except DatabaseError:
        _overrides = None


def _table_overrides(year: int) -> tuple[frozenset, frozenset]:
    """(extra days off, make-up working days) of ``year`` from the admins'
    table."""
    from .choices import CalendarDayKind

    if _overrides is None or (_unconfirmed and not connection.in_atomic_block):
        reload()
    off = frozenset(
        d
        for d, k in _overrides.items()
        if d.year == year and k == CalendarDayKind.DAY_OFF
    )
    worked = frozenset(
        d
        for d, k in _overrides.items()
        if d.year == year and k == CalendarDayKind.WORKING_DAY
    )
    return off, worked


def clear_cache() -> None:
    """Forget the admins' table; the next use reads it again."""
    global _overrides
    _overrides = None


def _calendar(year: int) -> tuple[frozenset[datetime.date], frozenset[datetime.date]]:
    """Days off and worked weekend days of ``year``; the admins' table wins
    over the library for a date it names."""
    lib_off, lib_worked = _library_calendar(year)
    extra_off, extra_worked = _table_overrides(year)
    days_off = (lib_off | extra_off) - extra_worked
    worked = (lib_worked | extra_worked) - extra_off
    return days_off, worked


def is_public_holiday(day: datetime.date) -> bool:
    return day in _library_calendar(day.year)[0]


def is_working_day(day: datetime.date) -> bool:
    days_off, worked_days = _calendar(day.year)
    if day in worked_days:
        return True
    if day in days_off:
        return False
    return day.weekday() < 5


def day_off_reason(day: datetime.date) -> str | None:
    """Why ``day`` is not a working day (in Vietnamese), or None if it is."""
    from django.utils.translation import gettext as _

    if is_working_day(day):
        return None
    names = holidays.country_holidays("VN", years=day.year, language="vi")
    name = names.get(day)
    if name:
        return str(name)
    from .models import CalendarDay

    note = CalendarDay.objects.filter(date=day).values_list("note", flat=True).first()
    if note is not None:
        return note or _("ngày nghỉ theo lịch của cơ quan")
    return _("thứ Bảy") if day.weekday() == 5 else _("Chủ nhật")


def add_working_days(day: datetime.date, count: int) -> datetime.date:
    """The date ``count`` working days after ``day`` (``day`` itself when 0)."""
    current = day
    remaining = count
    while remaining > 0:
        current += datetime.timedelta(days=1)
        if is_working_day(current):
            remaining -= 1
    return current


def latest_deadline_reached(today: datetime.date, count: int) -> datetime.date:
    """The latest deadline ``d`` for which ``count`` working days after it
    have come by ``today``: ``add_working_days(d, count) <= today``.

    A step "+N working days after the deadline" applies to the tasks whose
    deadline is on or before this date (``add_working_days`` is monotonic
    in its start date, so every earlier deadline qualifies as well)."""
    day = today
    while add_working_days(day, count) > today:
        day -= datetime.timedelta(days=1)
    return day


def local_today() -> datetime.date:
    return timezone.localdate()
