"""The calendar of Vietnam: weekends, public holidays (Tết and the Hùng
Kings' day included, from the ``holidays`` library) and working days.

Dates here are local dates in Asia/Ho_Chi_Minh.
"""

import datetime
from functools import lru_cache

import holidays
from django.utils import timezone


@lru_cache(maxsize=64)
def _public_holidays(year: int) -> frozenset[datetime.date]:
    return frozenset(holidays.country_holidays("VN", years=year).keys())


def is_public_holiday(day: datetime.date) -> bool:
    return day in _public_holidays(day.year)


def is_working_day(day: datetime.date) -> bool:
    return day.weekday() < 5 and not is_public_holiday(day)


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
