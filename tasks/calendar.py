"""The calendar of Vietnam: weekends, public holidays (Tết and the Hùng
Kings' day included, from the ``holidays`` library) and working days.

Dates here are local dates in Asia/Ho_Chi_Minh.
"""

import datetime
from functools import lru_cache

import holidays
from django.utils import timezone


@lru_cache(maxsize=64)
def _calendar(year: int) -> tuple[frozenset[datetime.date], frozenset[datetime.date]]:
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


def is_public_holiday(day: datetime.date) -> bool:
    return day in _calendar(day.year)[0]


def is_working_day(day: datetime.date) -> bool:
    days_off, worked_weekend_days = _calendar(day.year)
    if day in days_off:
        return False
    return day.weekday() < 5 or day in worked_weekend_days


def add_working_days(day: datetime.date, count: int) -> datetime.date:
    """The date ``count`` working days after ``day`` (``day`` itself when 0)."""
    current = day
    remaining = count
    while remaining > 0:
        current += datetime.timedelta(days=1)
        if is_working_day(current):
            remaining -= 1
    return current


def local_today() -> datetime.date:
    return timezone.localdate()
