"""Each rule of supervision/permissions.py, for each kind of person, and the
querysets (``visible_to``) agreeing with the predicates.

In tests/supervision/conftest.py's world the team is Đông Anh's: bithu_da
leads its committee, vanphong_da and thuongtruc follow it (reviewers),
lanhdao_vp leads the team, canbo_vp2 is a member, canbo_cl is of Cổ Loa
(the supervised unit), bithu_th and canbo_th are of another district.
"""

import pytest

from supervision import permissions as p
from supervision import services
from supervision.models import Finding, Team, Visit

from .conftest import add_finding, record

EVERYONE = (
    "canbo_vp",
    "canbo_vp2",
    "canbo_cl",
    "lanhdao_vp",
    "bithu_da",
    "vanphong_da",
    "thuongtruc",
    "bithu_th",
    "canbo_th",
    "admin",
)


def who(people, predicate) -> set[str]:
    return {name for name in EVERYONE if predicate(getattr(people, name))}


def visible(model, people, obj) -> set[str]:
    return {
        name
        for name in EVERYONE
        if model.objects.visible_to(getattr(people, name)).filter(pk=obj.pk).exists()
    }


COMMITTEE = {"bithu_da", "vanphong_da", "thuongtruc", "admin"}
TEAM = {"lanhdao_vp", "canbo_vp2"}
# members of Cổ Loa, and leaders/reviewers covering it
SUPERVISED = {"canbo_cl", "bithu_da", "vanphong_da", "thuongtruc", "admin"}


@pytest.fixture
def surprise(sup, people):
    visit = services.inspection_create(
        actor=people.canbo_vp2,
        team=sup.team,
        target=sup.org,
        visited_on=sup.today,
        subject="Giờ làm việc buổi sáng",
    )
    finding = add_finding(sup, people, visit=visit)
    return visit, finding


def test_the_committee_and_the_team_see_the_team(sup, people):
    expected = COMMITTEE | TEAM
    assert who(people, lambda u: p.can_view_team(u, sup.team)) == expected
    assert visible(Team, people, sup.team) == expected


def test_an_unfiled_surprise_inspection_is_hidden_from_the_unit(surprise, people):
    visit, finding = surprise
    expected = COMMITTEE | TEAM
    assert who(people, lambda u: p.can_view_visit(u, visit)) == expected
    assert visible(Visit, people, visit) == expected
    assert who(people, lambda u: p.can_view_finding(u, finding)) == expected
    assert visible(Finding, people, finding) == expected


def test_once_filed_the_unit_sees_the_record_and_its_findings(surprise, people):
    visit, finding = surprise
    services.visit_file(actor=people.lanhdao_vp, visit=visit)
    visit.refresh_from_db()
    finding.refresh_from_db()
    expected = COMMITTEE | TEAM | SUPERVISED
    assert "bithu_th" not in expected and "canbo_th" not in expected
    assert who(people, lambda u: p.can_view_visit(u, visit)) == expected
    assert visible(Visit, people, visit) == expected
    assert who(people, lambda u: p.can_view_finding(u, finding)) == expected
    assert visible(Finding, people, finding) == expected


def test_a_planned_draft_record_is_hidden_from_the_unit(sup, people):
    visit = record(sup, people)
    assert "canbo_cl" not in visible(Visit, people, visit)
    assert not p.can_view_visit(people.canbo_cl, visit)


def test_who_may_write(sup, people):
    team = sup.team
    assert who(people, lambda u: p.can_manage_targets(u, team)) == {
        "bithu_da",
        "admin",
    }
    assert who(people, lambda u: p.can_plan(u, team)) == {
        "bithu_da",
        "lanhdao_vp",
        "admin",
    }
    assert who(people, lambda u: p.can_record(u, sup.visit)) == {
        "bithu_da",
        "lanhdao_vp",
        "canbo_vp2",
        "admin",
    }
    visit = record(sup, people)
    assert who(people, lambda u: p.can_file(u, visit)) == {
        "bithu_da",
        "lanhdao_vp",
        "admin",
    }


def test_reviewers_and_the_supervised_unit_write_nothing(sup, people):
    visit = record(sup, people)
    for name in ("vanphong_da", "thuongtruc", "canbo_cl", "bithu_th", "canbo_th"):
        user = getattr(people, name)
        assert not p.can_plan(user, sup.team), name
        assert not p.can_record(user, visit), name
        assert not p.can_file(user, visit), name
        assert not p.can_inspect(user, sup.team), name


def test_remediation_by_the_leaders_who_may_assign_there(sup, people):
    record(sup, people)
    finding = add_finding(sup, people)
    assert who(people, lambda u: p.can_remediate(u, finding)) == set()  # not filed
    services.visit_file(actor=people.lanhdao_vp, visit=sup.visit)
    finding.refresh_from_db()
    # lanhdao_vp leads the team but no unit of Cổ Loa's subtree
    assert who(people, lambda u: p.can_remediate(u, finding)) == {"bithu_da", "admin"}


def test_anonymous_visitors_see_nothing(sup, people):
    from django.contrib.auth.models import AnonymousUser

    anonymous = AnonymousUser()
    assert not p.can_view_team(anonymous, sup.team)
    assert not p.can_view_visit(anonymous, sup.visit)
    assert not Team.objects.visible_to(anonymous).exists()
    assert not Visit.objects.visible_to(anonymous).exists()
