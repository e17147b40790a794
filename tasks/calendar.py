"""The calendar of Vietnam: weekends, public holidays (Tết and the Hùng
Kings' day included, from the ``holidays`` library), the admins' table of
each year's extra days off and make-up working days (``CalendarDay``), and
working-day arithmetic over them.

Dates here are local dates in Asia/Ho_Chi_Minh. The admins' table is read
once per process and year and re-read when a row changes (a signal clears
the cache) or, in other processes, at most ``OVERRIDES_TTL`` seconds later.
"""

import datetime
import time
from functools import lru_cache

import holidays
from django.utils import timezone

OVERRIDES_TTL = 60.0  # seconds

_overrides_cache: dict[int, tuple[float, frozenset, frozenset]] = {}


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


def _table_overrides(year: int) -> tuple[frozenset, frozenset]:
    """(extra days off, make-up working days) of ``year`` from the admins'
    table."""
    cached = _overrides_cache.get(year)
    now = time.monotonic()
    if cached is not None and now - cached[0] < OVERRIDES_TTL:
        return cached[1], cached[2]
    from .choices import CalendarDayKind
    from .models import CalendarDay

    off, worked = set(), set()
    rows = CalendarDay.objects.filter(
        date__gte=datetime.date(year, 1, 1), date__lte=datetime.date(year, 12, 31)
    ).values_list("date", "kind")
    for day, kind in rows:
        (off if kind == CalendarDayKind.DAY_OFF else worked).add(day)
    result = (frozenset(off), frozenset(worked))
    _overrides_cache[year] = (now, *result)
    return result


def clear_cache() -> None:
    """Forget the admins' table (called when a ``CalendarDay`` changes)."""
    _overrides_cache.clear()


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
