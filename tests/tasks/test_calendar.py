"""The calendar of Vietnam that deadlines and "due soon" count in."""

import datetime

import pytest

from tasks.calendar import add_working_days, is_public_holiday, is_working_day

pytestmark = pytest.mark.django_db  # the admins' table of days off is read

D = datetime.date


@pytest.mark.parametrize(
    "day",
    [
        # Tết Bính Ngọ 2026: Mon 16 – Fri 20 February, between two weekends
        D(2026, 2, 16),
        D(2026, 2, 17),
        D(2026, 2, 18),
        D(2026, 2, 19),
        D(2026, 2, 20),
        # Tết Đinh Mùi 2027: Thu 4 – Wed 10 February
        D(2027, 2, 4),
        D(2027, 2, 5),
        D(2027, 2, 8),
        D(2027, 2, 9),
        D(2027, 2, 10),
        # Giỗ Tổ Hùng Vương: 2027 on a Friday; 2026 on a Sunday, off on Monday
        D(2027, 4, 16),
        D(2026, 4, 27),
        # 30/4 and 1/5
        D(2026, 4, 30),
        D(2026, 5, 1),
        D(2027, 4, 30),
        # Quốc khánh: 2/9 with the day next to it
        D(2026, 9, 1),
        D(2026, 9, 2),
        D(2027, 9, 2),
        D(2027, 9, 3),
        # New Year's day
        D(2026, 1, 1),
    ],
)
def test_public_holidays_are_not_working_days(day):
    assert is_public_holiday(day)
    assert not is_working_day(day)


@pytest.mark.parametrize(
    "day",
    [
        D(2026, 3, 7),  # Saturday
        D(2026, 3, 8),  # Sunday
        D(2026, 2, 14),  # the Saturday before Tết 2026
        D(2026, 2, 22),  # the Sunday after it
        D(2027, 2, 6),  # Tết 2027 day 1, a Saturday
    ],
)
def test_weekends_are_not_working_days(day):
    assert not is_working_day(day)


@pytest.mark.parametrize(
    "day",
    [
        D(2026, 2, 13),  # Friday before Tết 2026
        D(2026, 2, 23),  # Monday after it
        D(2027, 2, 3),  # Wednesday before Tết 2027
        D(2027, 2, 11),  # Thursday after it
        D(2026, 4, 28),  # Tuesday after the Hùng Kings' Monday
        D(2026, 5, 4),  # Monday after 1/5
        D(2026, 9, 3),  # Thursday after 2/9
        D(2026, 3, 9),  # an ordinary Monday
    ],
)
def test_ordinary_weekdays_around_holidays_are_working_days(day):
    assert is_working_day(day)


@pytest.mark.parametrize(
    "saturday",
    [
        D(2025, 4, 26),  # worked in exchange for Friday 2/5/2025 off
        D(2026, 8, 22),  # worked in exchange for Monday 31/8/2026 off
    ],
)
def test_a_saturday_worked_in_exchange_for_a_bridge_day_is_a_working_day(saturday):
    # given the government moved a day off next to a holiday and named this
    # Saturday to be worked instead ("làm bù")
    assert saturday.weekday() == 5
    # then civil servants work that Saturday, and deadlines count it
    assert is_working_day(saturday)


def test_the_bridge_day_given_in_exchange_is_not_a_working_day():
    assert not is_working_day(D(2026, 8, 31))
    assert not is_working_day(D(2025, 5, 2))


@pytest.mark.parametrize(
    ("start", "count", "expected"),
    [
        # zero working days: the day itself
        (D(2026, 3, 9), 0, D(2026, 3, 9)),
        (D(2026, 3, 7), 0, D(2026, 3, 7)),
        # plain week: Monday + 3 → Thursday; Friday + 1 → Monday
        (D(2026, 3, 9), 3, D(2026, 3, 12)),
        (D(2026, 3, 13), 1, D(2026, 3, 16)),
        # a Saturday start counts from Monday
        (D(2026, 3, 7), 1, D(2026, 3, 9)),
        # across Tết 2026: Friday 13/2 + 1 → Monday 23/2
        (D(2026, 2, 13), 1, D(2026, 2, 23)),
        (D(2026, 2, 11), 3, D(2026, 2, 23)),
        # across Tết 2027: Wednesday 3/2 + 1 → Thursday 11/2
        (D(2027, 2, 3), 1, D(2027, 2, 11)),
        # across Hùng Kings 2026 (Sunday, off Monday): Friday 24/4 + 1 → 28/4
        (D(2026, 4, 24), 1, D(2026, 4, 28)),
        # across 30/4 – 1/5 2026 (Thu, Fri) and the weekend: 29/4 + 1 → 4/5
        (D(2026, 4, 29), 1, D(2026, 5, 4)),
        # across 31/8 – 2/9 2026: Friday 28/8 + 1 → Thursday 3/9
        (D(2026, 8, 28), 1, D(2026, 9, 3)),
        # the worked Saturday 22/8/2026 counts
        (D(2026, 8, 21), 1, D(2026, 8, 22)),
        # across the year end: 31/12/2026 (Thu) + 1 skips 1/1/2027 → Mon 4/1
        (D(2026, 12, 31), 1, D(2027, 1, 4)),
    ],
)
def test_add_working_days_skips_weekends_and_public_holidays(start, count, expected):
    assert add_working_days(start, count) == expected
