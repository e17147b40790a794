"""Registering a hard task in the browser: the cadre registers a task of
his, the unit's leader confirms it, and the committee dashboard's quota
panel no longer counts him as short. Also on a 360 px phone."""

import datetime
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from quotas import services
from quotas.models import Registration
from units.models import CommitteeRole, Membership

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]


@pytest.fixture
def quota_year(people, directive):
    """Committee roles on the memberships, and a period open today."""
    services.install_defaults()  # the flush of transactional tests removed them
    roles = {role.code: role for role in CommitteeRole.objects.all()}
    for username, code in (
        ("bithu_da", "thuong-truc"),
        ("lanhdao_vp", "uy-vien-btv"),
        ("canbo_vp", "can-bo-co-so"),
        ("canbo_vp2", "can-bo-co-so"),
        ("canbo_cl", "can-bo-co-so"),
    ):
        Membership.objects.filter(user__username=username).update(
            committee_role=roles[code]
        )
    today = timezone.localdate()
    return services.period_create(
        actor=None,
        name="Kỳ đăng ký năm nay",
        start=today - datetime.timedelta(days=30),
        end=today + datetime.timedelta(days=60),
        registration_deadline=today + datetime.timedelta(days=10),
        check_permission=False,
    )


def short_cell(page, unit_pk):
    return page.locator(
        f'section.quota-panel tr[data-unit="{unit_pk}"] td[data-metric="short"]'
    )


def test_register_confirm_and_the_panel_no_longer_counts_him_short(
    signed_in, make_task, quota_year, people, tree
):
    task = make_task(title="Xử lý dứt điểm điểm ngập úng trước cổng chợ")

    # given the district leader sees three people of Văn phòng short
    leader = signed_in("bithu_da")
    leader.goto(f"/dashboard/?unit={tree.dong_anh.pk}")
    expect(short_cell(leader, tree.vp.pk)).to_have_text("3")

    # when canbo_vp registers his task as a hard task, on a phone
    cadre = signed_in("canbo_vp", viewport={"width": 360, "height": 740})
    cadre.get_by_role("link", name="Việc khó", exact=True).click()
    expect(cadre.get_by_text("Bạn còn thiếu 1 việc khó được xác nhận.")).to_be_visible()
    width = cadre.evaluate("document.scrollingElement.scrollWidth")
    assert width <= 361, f"the page is {width}px wide at 360px"
    cadre.get_by_label("Nhiệm vụ đăng ký là việc khó").select_option(str(task.pk))
    cadre.get_by_label("Vì sao là việc khó").fill(
        "Ngập kéo dài, ba đơn vị cùng liên quan"
    )
    cadre.get_by_role("button", name="Đăng ký", exact=True).click()

    # then his page says it waits for the leader
    expect(cadre.locator(".messages")).to_contain_text("chờ lãnh đạo đơn vị xác nhận")
    row = cadre.locator("table.registrations tbody tr").first
    expect(row).to_contain_text("Xử lý dứt điểm điểm ngập úng trước cổng chợ")
    expect(row).to_contain_text("Chờ lãnh đạo xác nhận")

    # when the leader of Văn phòng confirms it
    unit_leader = signed_in("lanhdao_vp")
    unit_leader.get_by_role("link", name="Việc khó", exact=True).click()
    unit_leader.get_by_role("link", name=re.compile(r"Chờ bạn xác nhận: 1")).click()
    expect(unit_leader.locator("table.review-table")).to_contain_text(
        "Ngập kéo dài, ba đơn vị cùng liên quan"
    )
    unit_leader.get_by_role("link", name="Xem và quyết định").click()
    unit_leader.get_by_role("button", name="Xác nhận là việc khó").click()
    expect(unit_leader.locator(".messages")).to_contain_text(
        "Đã xác nhận “Xử lý dứt điểm điểm ngập úng trước cổng chợ” là việc khó"
    )

    # then the dashboard counts two short in Văn phòng, and the list of
    # those short no longer names canbo_vp
    leader.reload()
    expect(short_cell(leader, tree.vp.pk)).to_have_text("2")
    short_cell(leader, tree.vp.pk).get_by_role("link").click()
    table = leader.locator("table.short-people")
    expect(table).to_contain_text(people.canbo_vp2.full_name)
    expect(table).not_to_contain_text(people.canbo_vp.full_name)

    # and his own page says the quota is met
    cadre.reload()
    expect(cadre.get_by_text("Bạn đã đủ định mức việc khó của kỳ.")).to_be_visible()
    assert Registration.objects.get().decided_by == people.lanhdao_vp
