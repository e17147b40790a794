"""``manage.py seed_demo`` seeds hard-task quotas and a buck-passing case a
new user can follow (``quotas.demo``, ``conduct.demo``), and a second run
changes nothing. The command runs once for the module, rolled back after."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.db import transaction

from conduct.selectors import record, subtree
from conduct.services import install_default_rules
from quotas.choices import RegistrationStatus
from quotas.models import QuotaPeriod, Registration
from quotas.reminders import people_to_remind
from quotas.selectors import person_quota, person_quotas
from quotas.services import install_defaults
from quotas.views import reviewable
from tasks.calendar import local_today
from tasks.choices import AlertKind
from tasks.models import Alert, Transfer
from units.models import Membership, Unit, User


@pytest.fixture(scope="module")
def seed_output(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        install_defaults()  # a transactional test may have flushed them
        install_default_rules()
        out = StringIO()
        call_command("seed_demo", stdout=out)
        yield out.getvalue()
        transaction.set_rollback(True)


@pytest.fixture
def seeded(seed_output, db):
    return seed_output


def user(username):
    return User.objects.get(username=username)


def test_the_years_period_is_open_with_the_articles_quotas(seeded):
    period = QuotaPeriod.objects.get()
    today = local_today()

    assert period.start <= today <= period.end
    assert dict(period.quotas.values_list("committee_role__code", "minimum")) == {
        "thuong-truc": 3,
        "uy-vien-btv": 2,
        "can-bo-co-so": 1,
    }
    assert "Việc khó: kỳ “Năm" in seeded


def test_some_people_are_short_and_some_have_met_their_quota(seeded):
    period = QuotaPeriod.objects.get()
    everyone = person_quotas(period)

    met = [p.username for p in everyone if not p.is_short]
    assert {"loidv", "ngavt", "canbo.sontay", "phuckv"} <= set(met)
    assert sum(p.is_short for p in everyone) > len(met)
    # the demo logins each have a quota to follow
    assert person_quota(period, user("lanhdao.dongan")).minimum == 3
    assert person_quota(period, user("canbo.dongan")).minimum == 1


def test_lanhdao_dongan_has_a_registration_to_decide_and_one_waiting_above(seeded):
    waiting = reviewable(user("lanhdao.dongan"))

    assert [r.person.username for r in waiting] == ["canbo.dongan"]
    own = Registration.objects.get(
        person__username="lanhdao.dongan", status=RegistrationStatus.PENDING
    )
    assert own in reviewable(user("hautd"))
    refused = Registration.objects.get(status=RegistrationStatus.REFUSED)
    assert refused.refusal_reason


def test_the_registrations_history_names_who_and_lies_in_the_past(seeded):
    for registration in Registration.objects.exclude(status="pending"):
        steps = list(registration.history.order_by("history_date"))
        assert steps[0].history_user == registration.person
        assert steps[-1].history_user == registration.decided_by
        assert registration.registered_on <= local_today()


def test_dong_an_shows_buck_passing_flags_with_the_tasks_path(seeded):
    dong_anh = Unit.objects.get(code="HN.DA")  # xã Đông Anh since 1/7/2025
    today = local_today()

    rec = record(
        candidates=subtree(dong_anh.path),
        start=today.replace(month=1, day=1),
        end=today,
    )

    kinds = {flag.rule.kind for flag in rec.flags}
    assert {"bounce", "quick_hand_back"} <= kinds
    bounce = next(f for f in rec.flags if f.rule.kind == "bounce")
    names = [step.unit_name for step in bounce.paths[0].steps]
    assert names == [
        "Phòng Kinh tế xã Đông Anh",
        "Phòng Văn hóa – Xã hội xã Đông Anh",
        "Phòng Kinh tế xã Đông Anh",
        "Đảng ủy xã Đông Anh",
    ]


def test_running_it_again_changes_nothing(seeded):
    def counts():
        return (
            Registration.objects.count(),
            Registration.history.count(),
            Membership.history.count(),
            Transfer.objects.count(),
            QuotaPeriod.objects.count(),
        )

    before = counts()
    out = StringIO()
    call_command("seed_demo", stdout=out)

    assert counts() == before
    assert "0 đăng ký mới" in out.getvalue()
    assert "nhiệm vụ mẫu đã có" in out.getvalue()


def test_those_still_short_find_a_registration_reminder_in_their_bell(seeded):
    period = QuotaPeriod.objects.get()
    short = {row[0] for row in people_to_remind(period)}
    reminded = set(
        Alert.objects.filter(kind=AlertKind.REGISTRATION_REMINDER).values_list(
            "recipient_id", flat=True
        )
    )

    assert short and reminded == short
    assert "lời nhắc đăng ký" in seeded
