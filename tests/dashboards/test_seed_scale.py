"""seed_scale: the city-sized dataset for the benchmarks, here at toy size."""

import io

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.db.models import Count

from tasks import rollups
from tasks.models import ExtensionRequest, Task, Transfer
from units.models import Membership, Unit


def seed(**options):
    out = io.StringIO()
    values = dict(tasks=400, seed=7, districts=2, no_vacuum=True, stdout=out)
    values.update(options)
    call_command("seed_scale", **values)
    return out.getvalue()


def fingerprint(root_path):
    """The tasks of one seeded tree, without ids or the tree's own prefix."""
    return [
        (t.title, t.deadline, t.status, t.completed_on, t.lead_unit.path[4:], t.version)
        for t in Task.objects.filter(lead_unit__path__startswith=root_path)
        .select_related("lead_unit")
        .order_by("pk")
    ]


@pytest.mark.django_db
def test_seed_scale_loads_units_people_tasks_and_their_history():
    output = seed()

    assert Unit.objects.count() == 1 + 2 * 61
    assert Unit.objects.filter(depth=4).exists()
    assert Membership.objects.count() >= 123 * 10
    assert Task.objects.count() == 400
    assert "400 tasks" in output
    # Loaded with the trigger off, then counted once: counters and cells agree.
    assert Task.objects.filter(transfer_count__gt=0).exists()
    assert rollups.check() == []
    # Every task has its creation row, and as many history rows as versions
    history = Task.history.model.objects
    assert history.filter(history_type="+").count() == 400
    versions = sum(Task.objects.values_list("version", flat=True))
    assert history.count() == versions
    # Tasks in every state, some moved and some extended
    assert set(Task.objects.values_list("status", flat=True)) == {
        "assigned",
        "in_progress",
        "submitted",
        "done",
        "cancelled",
    }
    assert Transfer.objects.exists()
    assert ExtensionRequest.objects.filter(status="approved").exists()
    # Skewed: a tenth of the units lead most of the work
    per_unit = sorted(
        Task.objects.values("lead_unit")
        .annotate(n=Count("pk"))
        .values_list("n", flat=True),
        reverse=True,
    )
    top_tenth = per_unit[: max(1, Unit.objects.count() // 10)]
    assert sum(top_tenth) > 0.4 * 400
    # The sequences moved on: the next row the app writes gets a fresh id
    task = Task.objects.order_by("pk").first()
    task.pk = None
    task.save()


@pytest.mark.django_db
def test_same_seed_gives_the_same_tasks():
    seed(seed=11)
    first_root = Unit.objects.get(depth=1).path
    seed(seed=11, yes=True)
    second_root = Unit.objects.filter(depth=1).exclude(path=first_root).get().path

    assert fingerprint(first_root) == fingerprint(second_root)


@pytest.mark.django_db
def test_seed_scale_refuses_a_non_empty_database_without_yes(tree):
    with pytest.raises(CommandError, match="--yes"):
        seed()
    assert Task.objects.count() == 0


def test_seed_scale_refuses_sqlite(monkeypatch):
    monkeypatch.setattr(connection, "vendor", "sqlite")
    with pytest.raises(CommandError, match="PostgreSQL"):
        seed()
