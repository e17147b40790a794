"""Merge, split and rename of units (units.reorganise): open work moves to
the successor with a history row saying why; done work, counters and the
dashboard numbers stay true."""

import datetime

import pytest

from tasks import rollups
from tests.factories import make_unit
from units.choices import UnitKind
from units.models import UnitSuccession
from units.reorganise import merge_units

JULY_1 = datetime.date(2025, 7, 1)
DAY = datetime.timedelta(days=1)


@pytest.fixture
def new_commune(tree):
    """A commune of Đông Anh that the office and Cổ Loa can merge into."""
    unit = make_unit(
        "Xã Đông Anh", parent=tree.dong_anh, kind=UnitKind.COMMUNE, code="HN.XDA"
    )
    unit.refresh_from_db()
    return unit


def fresh(obj):
    obj.refresh_from_db()
    return obj


def test_merge_moves_open_tasks_and_keeps_done_ones(
    tree, people, new_commune, make_task, workflow
):
    # given an open and a done task of the office
    open_task = make_task()
    done_task = workflow.done(make_task(title="Việc đã xong"))
    version = open_task.version

    # when the office and Cổ Loa merge into the new commune
    result = merge_units(
        actor=people.admin,
        predecessors=[tree.vp, tree.co_loa],
        successor=new_commune,
        effective_date=JULY_1,
        reason="Nghị quyết 1656/NQ-UBTVQH15",
    )

    # then the open task is led by the commune, the done one stays
    assert fresh(open_task).lead_unit == new_commune
    assert fresh(done_task).lead_unit == tree.vp
    assert open_task.version == version + 1
    assert result.tasks == 1
    latest = open_task.history.latest()
    assert latest.history_user == people.admin
    assert latest.history_change_reason.startswith(
        "Sáp nhập Văn phòng Huyện ủy Đông Anh vào Xã Đông Anh từ 01/07/2025 "
        "(căn cứ Nghị quyết"
    )
    assert fresh(tree.vp).valid_to == datetime.date(2025, 6, 30)
    assert not tree.vp.is_active
    assert fresh(new_commune).valid_from == JULY_1
    assert UnitSuccession.objects.filter(successor=new_commune).count() == 2
    assert rollups.check() == []
