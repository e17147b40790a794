"""The unit tree: "this unit and everything under it" is one indexed query."""

import pytest
from django.db import IntegrityError, connection, transaction

from tests.factories import make_unit
from units.choices import UnitKind
from units.models import Unit, UnitQuerySet


def test_the_unit_manager_offers_subtree_of_and_active(tree):
    assert isinstance(Unit.objects.all(), UnitQuerySet)
    assert set(Unit.objects.subtree_of(tree.dong_anh).active()) == {
        tree.dong_anh,
        tree.vp,
        tree.co_loa,
    }


def test_subtree_of_a_district_is_the_district_and_its_units_only(tree):
    # given the small tree of the conftest
    # when we ask for Đông Anh's subtree
    subtree = set(Unit.objects.subtree_of(tree.dong_anh))
    # then it holds Đông Anh, its office and its commune, and nothing else
    assert subtree == {tree.dong_anh, tree.vp, tree.co_loa}


def test_subtree_of_a_leaf_unit_is_that_unit_alone(tree):
    assert list(Unit.objects.subtree_of(tree.co_loa)) == [tree.co_loa]


def test_subtree_of_the_city_is_the_whole_tree(tree):
    assert Unit.objects.subtree_of(tree.city).count() == 5


def test_subtree_of_a_unit_excludes_a_sibling_district_added_later(tree):
    # given a new district under the city, next to Đông Anh, with a commune
    soc_son = make_unit("Huyện ủy Sóc Sơn", parent=tree.city, code="HN.SS")
    make_unit("UBND xã Phù Linh", parent=soc_son, code="HN.SS.PL")
    # (units are ordered by name: "Sóc Sơn" sorts before "Đông Anh", so
    # inserting it renumbered Đông Anh's path)
    tree.dong_anh.refresh_from_db()
    # when we ask for Đông Anh's subtree
    codes = set(Unit.objects.subtree_of(tree.dong_anh).values_list("code", flat=True))
    # then none of the new district's units leak in
    assert codes == {"HN.DA", "HN.DA.VP", "HN.DA.CL"}


def test_active_filter_drops_an_inactive_unit_from_a_subtree(tree):
    Unit.objects.filter(pk=tree.co_loa.pk).update(is_active=False)
    assert set(Unit.objects.subtree_of(tree.dong_anh).active()) == {
        tree.dong_anh,
        tree.vp,
    }


def test_two_units_cannot_share_a_code(tree):
    # when an admin adds a unit with a code already used
    with pytest.raises(IntegrityError), transaction.atomic():
        make_unit("Một đơn vị khác", parent=tree.city, code="HN.DA")
    # then the database refuses it and the tree is unchanged
    assert Unit.objects.count() == 5


def test_path_prefix_index_exists_in_postgresql(db):
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexdef FROM pg_indexes "
            "WHERE tablename = 'units_unit' AND indexname = 'unit_path_prefix_idx'"
        )
        rows = cursor.fetchall()
    assert len(rows) == 1
    assert "varchar_pattern_ops" in rows[0][0]


def _key(n: int) -> str:
    """treebeard's step for the n-th child (base-36, fixed width)."""
    alphabet, digits = Unit.alphabet, ""
    while n:
        n, r = divmod(n, len(alphabet))
        digits = alphabet[r] + digits
    return digits.rjust(Unit.steplen, alphabet[0])


def _bulk_tree(districts: int, per_district: int) -> None:
    """City → districts → communes, written in one INSERT: treebeard's
    add_child would need thousands of round trips."""
    city = _key(1)
    rows = [
        Unit(path=city, depth=1, numchild=districts, name="TP", code="X",
             kind=UnitKind.CITY_COMMITTEE)
    ]  # fmt: skip
    for d in range(1, districts + 1):
        d_path = city + _key(d)
        rows.append(
            Unit(path=d_path, depth=2, numchild=per_district, name=f"Quận {d}",
                 code=f"X.{d}", kind=UnitKind.DISTRICT_COMMITTEE)
        )  # fmt: skip
        rows += [
            Unit(path=d_path + _key(u), depth=3, numchild=0, name=f"Phường {d}.{u}",
                 code=f"X.{d}.{u}", kind=UnitKind.COMMUNE)
            for u in range(1, per_district + 1)
        ]  # fmt: skip
    Unit.objects.bulk_create(rows)


def test_subtree_query_is_served_by_an_index_on_a_few_thousand_units(db):
    # given a city with 40 districts of 75 communes each (3,041 units)
    _bulk_tree(districts=40, per_district=75)
    district = Unit.objects.get(code="X.17")
    qs = Unit.objects.subtree_of(district)
    # when PostgreSQL plans "this district and everything under it"
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE units_unit")
        cursor.execute("SET LOCAL enable_seqscan = off")
        sql, params = qs.query.sql_with_params()
        cursor.execute("EXPLAIN " + sql, params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    # then it reads a path index, not the whole table, and finds the 76 units
    assert "Index" in plan and "Seq Scan" not in plan, plan
    assert "path" in plan and "~>=~" in plan, plan
    assert qs.count() == 76
