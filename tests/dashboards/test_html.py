"""The dashboard's tables built in Python (``tasks/dashboard_html.py``)
escape what users typed, as the templates did: a unit's name, a task's
title, a person's name and a unit on a task's path show as text, never as
markup, in every table that carries them; and numbers are grouped as
``intcomma`` groups them, by three in both languages (1.234.567 in
Vietnamese, 1,234,567 in English)."""

from django.contrib.humanize.templatetags.humanize import intcomma
from django.utils import translation

from tasks.choices import TransferKind
from tasks.dashboard_html import int_formatter
from units.models import Unit, User

from .conftest import DASHBOARD

MARKUP = '<img src=x onerror="alert(1)">&'
ESCAPED = "&lt;img src=x onerror=&quot;alert(1)&quot;&gt;&amp;"


def test_names_and_titles_typed_by_users_are_shown_as_text(
    client, people, tree, add_task, add_transfer, read, today
):
    Unit.objects.filter(pk=tree.vp.pk).update(name=f"Văn phòng {MARKUP}")
    User.objects.filter(pk=people.canbo_vp.pk).update(full_name=f"Cán bộ {MARKUP}")
    tree.vp.refresh_from_db()
    overdue = add_task(tree.vp, "overdue", title=f"Quá hạn {MARKUP}", is_hard=True)
    moved = add_task(tree.vp, "due_soon", title=f"Chuyển {MARKUP}")
    add_transfer(moved, tree.vp, tree.co_loa, TransferKind.TRANSFER)
    add_transfer(moved, tree.co_loa, tree.vp, TransferKind.TRANSFER)

    client.force_login(people.bithu_da)
    params = {"unit": tree.dong_anh.pk, "period": "year", "year": today.year}
    page = read.html(client.get(DASHBOARD, params))

    assert MARKUP not in page
    unit, person = f"Văn phòng {ESCAPED}", f"Cán bộ {ESCAPED}"
    # The unit's row in the unit table.
    assert f'<th scope="row">{unit}</th>' in page
    # The overdue and hard lists: the title (a link), the unit, the person.
    assert page.count(f'<a href="/tasks/{overdue.pk}/">Quá hạn {ESCAPED}</a>') == 2
    assert page.count(f'data-label="Đơn vị chủ trì">{unit}</td>') >= 3
    assert page.count(f'data-label="Người thực hiện">{person}</td>') >= 3
    # The buck-passing list: the title and each unit on the path.
    assert f'<a href="/tasks/{moved.pk}/">Chuyển {ESCAPED}</a>' in page
    assert page.count(f"<li>{unit}</li>") == 2


def test_numbers_are_grouped_by_three_in_each_language_as_intcomma_groups_them():
    expected = {"vi": "1.234.567", "en": "1,234,567"}
    for language, text in expected.items():
        with translation.override(language):
            grouped = int_formatter()
            assert grouped(1234567) == text == intcomma(1234567)
            for value in (0, 7, 999, 1000, 25000, -4321):
                assert grouped(value) == intcomma(value)
