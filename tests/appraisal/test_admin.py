"""The admin of accountability: every model listed for a fixed number of
queries, scores and classifications read-only, history pages that name
who, and classification rules edited as drafts, applied by the action, then
read-only."""

from decimal import Decimal

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from appraisal import services
from appraisal.models import (
    ClassificationBand,
    ClassificationRuleSet,
    PeerRating,
    PersonScore,
)
from tests.factories import UserFactory, add_member
from units.choices import Role

MODELS = (
    "ruleset",
    "scoringround",
    "personscore",
    "peerrating",
    "classificationruleset",
    "classificationband",
    "classificationperiod",
    "classification",
)


def add_people(tree, people, month, in_month, add_task, n):
    for _i in range(n):
        person = UserFactory()
        add_member(person, tree.vp, Role.STAFF)
        add_task(deadline=in_month(10), done_on=in_month(9), assignee=person)
    services.scores_compute(month=month, actor=None)
    scores = PersonScore.objects.filter(round__unit=tree.vp).select_related("person")
    rows = list(scores)
    for a, b in zip(rows, rows[1:], strict=False):
        if not PeerRating.objects.filter(evaluator=a.person, evaluated=b.person):
            services.peer_rate(
                actor=a.person,
                round=a.round,
                evaluated=b.person,
                responsibility=4,
                cooperation=4,
                quality=4,
            )
    services.classification_propose(actor=None, kind="year", year=month.year)


def queries(client, url):
    ContentType.objects.clear_cache()
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(captured.captured_queries)


@pytest.mark.parametrize("model", MODELS)
def test_changelists_cost_the_same_queries_for_few_rows_and_many(
    client, tree, people, month, in_month, add_task, model
):
    client.force_login(people.admin)
    url = reverse(f"admin:appraisal_{model}_changelist")
    add_people(tree, people, month, in_month, add_task, 2)
    few = queries(client, url)
    add_people(tree, people, month, in_month, add_task, 20)
    assert queries(client, url) == few


def test_scores_are_read_only_and_their_history_names_who(
    client, people, month, in_month, add_task
):
    add_task(deadline=in_month(10), done_on=in_month(10))
    services.scores_compute(month=month, actor=None)
    score = PersonScore.objects.get(person=people.canbo_vp)
    services.score_self_assess(
        actor=people.canbo_vp, score=score, level="good", comment="Xong"
    )
    client.force_login(people.admin)
    change = reverse("admin:appraisal_personscore_change", args=[score.pk])
    page = client.get(change).content.decode()
    assert 'name="_save"' not in page
    assert client.post(change, {"points": "100"}).status_code == 403
    history = reverse("admin:appraisal_personscore_history", args=[score.pk])
    page = client.get(history).content.decode()
    assert "Nguyễn Cán Bộ" in page and "Tự đánh giá" in page


def test_classification_rules_are_drafted_applied_and_then_read_only(client, people):
    client.force_login(people.admin)
    changelist = reverse("admin:appraisal_classificationruleset_changelist")
    first = ClassificationRuleSet.objects.get(version=1)

    # the copy makes a draft with the same bands
    client.post(changelist, {"action": "copy_as_draft", "_selected_action": [first.pk]})
    draft = ClassificationRuleSet.objects.get(version=2)
    assert draft.bands.count() == 4 and not draft.is_active

    # the draft can be edited, then applied
    ClassificationBand.objects.filter(rule_set=draft, level="excellent").update(
        min_points=Decimal(92)
    )
    client.post(changelist, {"action": "apply", "_selected_action": [draft.pk]})
    draft.refresh_from_db()
    first.refresh_from_db()
    assert draft.is_active and not first.is_active
    change = reverse("admin:appraisal_classificationruleset_change", args=[draft.pk])
    assert 'name="_save"' not in client.get(change).content.decode()


def test_a_rule_set_without_its_four_levels_cannot_be_applied(client, people):
    client.force_login(people.admin)
    draft = services.classification_rules_copy(
        actor=people.admin, rule_set=ClassificationRuleSet.objects.get(version=1)
    )
    draft.bands.filter(level="not_done").delete()
    response = client.post(
        reverse("admin:appraisal_classificationruleset_changelist"),
        {"action": "apply", "_selected_action": [draft.pk]},
        follow=True,
    )
    assert "cần đủ một dòng cho mỗi mức" in response.content.decode()
    assert ClassificationRuleSet.objects.get(is_active=True).version == 1
