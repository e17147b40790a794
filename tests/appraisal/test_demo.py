"""The demo (``manage.py seed_demo`` ends with ``appraisal.demo.seed``):
last month's scores from the demo tasks, a round in progress that a new user
can follow, the month before confirmed, and the year's proposals; a second
run changes nothing."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.db import transaction
from django.urls import reverse

from appraisal import selectors
from appraisal.models import (
    Classification,
    PeerRating,
    PersonScore,
    ScoringRound,
)
from tasks.calendar import local_today
from units.models import Unit


@pytest.fixture(scope="module")
def seed_output(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        out = StringIO()
        call_command("seed_demo", stdout=out)
        yield out.getvalue()
        transaction.set_rollback(True)


@pytest.fixture
def seeded(seed_output, db):
    return seed_output


def rows(month):
    return {
        s.person.username: s
        for s in PersonScore.objects.filter(
            round__unit__code="HN.DA.VP", round__month=month
        ).select_related("person")
    }


def test_last_month_is_computed_for_every_unit_from_the_demo_tasks(seeded):
    last = selectors.previous_month(local_today())
    assert ScoringRound.objects.filter(month=last).count() > 10
    assert PersonScore.objects.filter(round__month=last, points__isnull=False).count()
    assert "Chấm điểm:" in seeded


def test_a_round_in_progress_and_the_month_before_confirmed(seeded):
    last = selectors.previous_month(local_today())
    now = rows(last)
    assert now["canbo.dongan"].step == "waiting_self"
    assert now["hatt"].step == "waiting_confirm"
    assert now["thuypt"].step == "waiting_leader"
    before = rows(selectors.previous_month(last))
    assert {s.step for s in before.values()} == {"confirmed"}
    assert ScoringRound.objects.get(
        unit__code="HN.DA.VP", month=selectors.previous_month(last)
    ).frozen_at
    assert PeerRating.objects.filter(evaluated=now["canbo.dongan"].person).count() == 2


def test_the_new_user_finds_his_month_and_can_assess_himself(client, seeded):
    last = selectors.previous_month(local_today())
    mine = rows(last)["canbo.dongan"]
    client.force_login(mine.person)
    index = client.get(reverse("appraisal:index")).content.decode()
    assert mine.get_absolute_url() in index
    page = client.get(mine.get_absolute_url()).content.decode()
    assert "Tự đánh giá tháng này" in page
    assert "2 đồng nghiệp đã đánh giá" in page


def test_the_year_has_proposals_and_one_decision(seeded):
    year = selectors.previous_month(local_today()).year
    rows_ = Classification.objects.filter(period__start__year=year)
    assert rows_.count() > 20
    decided = rows_.get(decided_at__isnull=False)
    # a person of xã Đông Anh (the commune that carries on Đông Anh's code)
    assert decided.unit.path.startswith(Unit.objects.get(code="HN.DA").path)
    assert decided.decided_level == decided.proposed_level == "good"


def test_running_it_again_changes_nothing(seeded):
    def counts():
        models = (ScoringRound, PersonScore, PeerRating, Classification)
        result = {m.__name__: m.objects.count() for m in models}
        for m in models:
            result[f"history of {m.__name__}"] = m.history.count()
        return result

    before = counts()
    out = StringIO()
    call_command("seed_demo", stdout=out)
    assert counts() == before
    assert "Chấm điểm: tháng" in out.getvalue()
