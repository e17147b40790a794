"""A deadline set on a day off is flagged — a warning, never a refusal."""

import datetime

import pytest

from tasks import calendar
from tasks.choices import CalendarDayKind
from tasks.forms_assign import TaskAssignForm, deadline_warnings
from tasks.models import CalendarDay

pytestmark = pytest.mark.django_db
D = datetime.date


def test_a_deadline_on_tet_is_flagged_with_the_nearest_working_days():
    (warning,) = deadline_warnings(D(2026, 2, 17))
    assert "17/02/2026 là ngày nghỉ" in warning
    assert "13/02/2026" in warning and "23/02/2026" in warning


def test_weekends_and_the_admins_days_off_are_flagged_working_days_are_not():
    assert deadline_warnings(D(2026, 3, 7))  # a Saturday
    assert deadline_warnings(D(2026, 3, 9)) == []
    CalendarDay.objects.create(date=D(2026, 3, 9), kind=CalendarDayKind.DAY_OFF)
    assert deadline_warnings(D(2026, 3, 9))
    CalendarDay.objects.create(date=D(2026, 3, 14), kind=CalendarDayKind.WORKING_DAY)
    assert deadline_warnings(D(2026, 3, 14)) == []


def test_the_hung_kings_day_comes_from_the_library():
    # Giỗ Tổ Hùng Vương, 10th day of the 3rd lunar month: 26 April 2026
    assert calendar.is_public_holiday(D(2026, 4, 26))
    assert deadline_warnings(D(2026, 4, 26))


def test_the_create_form_warns_but_does_not_refuse(people):
    form = TaskAssignForm({"deadline": "2026-02-17"}, user=people.lanhdao_vp)
    form.is_valid()
    assert "deadline" not in form.errors
    assert form.warnings and "ngày nghỉ" in form.warnings[0]
    assert "ngày nghỉ" in str(form.fields["deadline"].help_text)
