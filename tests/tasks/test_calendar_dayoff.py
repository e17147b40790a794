"""A deadline set on a day off is flagged — a warning, never a refusal."""

import datetime

import pytest
from django.db import transaction

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


class _AdminSaveFailed(Exception):
    pass


@pytest.mark.django_db(transaction=True)
def test_a_day_off_whose_save_was_rolled_back_is_a_working_day_again():
    """An admin adds a day off and the save fails further on (the whole
    transaction is rolled back): in the same process, on the same kept
    connection, deadlines on that day are no longer flagged."""
    monday = D(2026, 3, 9)
    with pytest.raises(_AdminSaveFailed):
        with transaction.atomic():
            CalendarDay.objects.create(date=monday, kind=CalendarDayKind.DAY_OFF)
            # The rest of the transaction sees its own change...
            assert deadline_warnings(monday)
            raise _AdminSaveFailed
    # ... and once it is rolled back, nobody does.
    assert deadline_warnings(monday) == []
    assert calendar.add_working_days(D(2026, 3, 6), 1) == monday


@pytest.mark.django_db(transaction=True)
def test_a_day_off_saved_in_a_transaction_stays_once_committed():
    monday = D(2026, 3, 9)
    with transaction.atomic():
        CalendarDay.objects.create(date=monday, kind=CalendarDayKind.DAY_OFF)
    assert deadline_warnings(monday)
    assert calendar.add_working_days(D(2026, 3, 6), 1) == D(2026, 3, 10)
