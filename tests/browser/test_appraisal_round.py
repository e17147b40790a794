"""A month's scoring round in the browser: the staff member assesses
himself on a 360 px phone, the leader assesses (a level other than the
person's own needs a reason, said in place) and confirms, and the person
then sees every step with who and when."""

import re

import pytest
from playwright.sync_api import expect

from appraisal import selectors, services
from appraisal.models import PersonScore, ScoringRound
from tasks.calendar import local_today

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]

PHONE = {"viewport": {"width": 360, "height": 740}}


def no_sideways_scroll(page) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 360, f"the page is {width}px wide on a 360px screen"


def test_self_assessment_leader_assessment_and_confirmation_seen_by_the_person(
    signed_in, people, make_task, workflow
):
    # given last month computed, with canbo_vp's work done in it
    month = selectors.previous_month(local_today())
    task = make_task(start_date=month, deadline=month.replace(day=20))
    workflow.done(task, on=month.replace(day=15))
    services.scores_compute(month=month, actor=None)
    score = PersonScore.objects.get(person=people.canbo_vp)
    label = f"{month:%m/%Y}"

    # when canbo_vp opens "Chấm điểm" on his phone and his month
    staff = signed_in("canbo_vp", **PHONE)
    staff.goto("/tasks/mine/")
    staff.get_by_role("link", name="Chấm điểm", exact=True).click()
    expect(staff.get_by_role("heading", level=1)).to_have_text(
        f"Chấm điểm tháng {label}"
    )
    staff.locator("#my-scores").get_by_role("link", name=label).click()

    # then he sees his score and how it was computed
    expect(staff.locator("p.score-big")).to_contain_text("82")
    breakdown = staff.locator("#breakdown")
    expect(breakdown.locator("tr[data-input='on_time'] [data-count]")).to_have_text("1")
    expect(breakdown.locator("[data-score]")).to_have_text("82")
    no_sideways_scroll(staff)

    # when he sends his self-assessment
    form = staff.locator("#self-form")
    form.get_by_label("Hoàn thành tốt nhiệm vụ").check()
    form.get_by_label("Tự nhận xét").fill("Hoàn thành đúng hạn việc được giao")
    form.get_by_role("button", name="Gửi tự đánh giá").click()
    expect(staff.locator(".messages")).to_contain_text("Đã gửi tự đánh giá")
    expect(staff.locator("#score-step")).to_have_text("Chờ lãnh đạo đánh giá")
    expect(staff.locator("#self-form h2")).to_have_text("Sửa tự đánh giá")

    # when the leader opens the unit's round
    leader = signed_in("lanhdao_vp")
    round_ = ScoringRound.objects.get(unit__code="HN.DA.VP", month=month)
    leader.goto(round_.get_absolute_url())
    expect(leader.locator('[data-state="waiting_leader"]')).to_have_text("1")
    row = leader.locator("tr[data-person='canbo_vp']")
    expect(row).to_contain_text("Chờ lãnh đạo đánh giá")
    row.get_by_role("link", name="Nguyễn Cán Bộ").click()

    # and rates him higher than he did, without a reason: told in place
    form = leader.locator("#leader-form")
    form.get_by_label("Hoàn thành xuất sắc nhiệm vụ").check()
    form.get_by_role("button", name="Lưu đánh giá").click()
    form = leader.locator("#leader-form")
    expect(form).to_contain_text("hãy nêu lý do")
    expect(form.get_by_label("Hoàn thành xuất sắc nhiệm vụ")).to_be_checked()

    # with a reason it is saved, then he confirms it
    form.get_by_label("Nhận xét của lãnh đạo").fill("Chủ động làm thêm việc khó")
    form.get_by_role("button", name="Lưu đánh giá").click()
    expect(leader.locator(".messages")).to_contain_text("Đã ghi đánh giá của lãnh đạo")
    confirm = leader.locator("#confirm-form")
    expect(confirm.get_by_label("Hoàn thành xuất sắc nhiệm vụ")).to_be_checked()
    confirm.get_by_role("button", name="Xác nhận").click()
    expect(leader.locator(".messages")).to_contain_text("được chốt")

    # then the person sees each step, who took it and when
    staff.reload()
    expect(staff.locator("#score-step")).to_have_text("Đã xác nhận")
    steps = staff.locator("#steps")
    expect(steps.locator("[data-step='self']")).to_contain_text("Hoàn thành tốt")
    leader_step = steps.locator("[data-step='leader']")
    expect(leader_step).to_contain_text("Hoàn thành xuất sắc nhiệm vụ")
    expect(leader_step).to_contain_text("Chủ động làm thêm việc khó")
    expect(leader_step).to_contain_text(re.compile(r"Hoàng Lãnh Đạo, lúc \d\d:\d\d"))
    expect(steps.locator("[data-step='confirmed']")).to_contain_text("Hoàng Lãnh Đạo")
    expect(staff.locator("#history")).to_contain_text("Xác nhận")
    no_sideways_scroll(staff)

    score.refresh_from_db()
    assert (score.confirmed_level, score.leader_by) == ("excellent", people.lanhdao_vp)
