"""Registering a hard task and the leader's decision: who may, until when,
what is kept in the history — through ``quotas.services``."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from quotas import services
from quotas.choices import RegistrationStatus
from quotas.models import QuotaPeriod, Registration
from quotas.selectors import person_quota
from tasks import services as task_services
from tasks.models import Task

from .conftest import DEADLINE

DAY = datetime.timedelta(days=1)


# --- who registers -------------------------------------------------------------


def test_the_assignee_registers_a_task_and_it_waits_for_the_leader(
    period, people, make_task, register, tree
):
    task = make_task()

    registration = register(task, people.canbo_vp)

    assert registration.status == RegistrationStatus.PENDING
    assert registration.period == period
    assert registration.unit == tree.vp
    assert registration.registered_on == datetime.date(2026, 11, 20)
    history = registration.history.get()
    assert history.history_user == people.canbo_vp
    assert history.history_change_reason == "Đăng ký việc khó"


def test_the_accountable_leader_registers_the_same_task_as_their_own(
    period, people, make_task, register
):
    task = make_task()

    register(task, people.canbo_vp)
    register(task, people.lanhdao_vp)

    assert Registration.objects.filter(task=task).count() == 2


@pytest.mark.parametrize("who", ["canbo_vp2", "bithu_da", "thuongtruc", "canbo_th"])
def test_nobody_else_registers_someone_elses_task(
    period, people, make_task, register, who
):
    task = make_task()

    with pytest.raises(PermissionDenied):
        register(task, getattr(people, who))

    assert not Registration.objects.exists()


def test_a_closed_task_cannot_be_registered(period, people, make_task, register):
    task = make_task()
    task_services.task_cancel(actor=people.lanhdao_vp, task=task, reason="Trùng việc")

    with pytest.raises(PermissionDenied):
        register(task)


def test_a_registration_needs_a_reason(period, make_task, register):
    with pytest.raises(ValidationError) as exc:
        register(make_task(), reason="   ")

    assert exc.value.message_dict["reason"] == ["Cần nêu vì sao đây là việc khó."]
    assert not Registration.objects.exists()


def test_the_same_task_is_not_registered_twice_but_may_be_again_after_a_refusal(
    period, people, make_task, register
):
    task = make_task()
    first = register(task)
    with pytest.raises(ValidationError) as exc:
        register(task)
    assert "đã đăng ký nhiệm vụ này" in exc.value.message_dict["task"][0]

    services.registration_refuse(
        actor=people.lanhdao_vp, registration=first, reason="Chưa đủ khó"
    )

    again = register(task, reason="Thêm: ba đơn vị cùng vướng")
    assert again.status == RegistrationStatus.PENDING


# --- until when ----------------------------------------------------------------


def test_a_quota_met_on_the_deadline_day_counts(period, people, make_task, register):
    # given canbo_vp registers on the last day (the leader's decision may
    # come later: it is the registration that must be in time)
    registration = register(make_task(), on=DEADLINE)
    services.registration_confirm(actor=people.lanhdao_vp, registration=registration)

    # then the quota is met
    quota = person_quota(period, people.canbo_vp)
    assert (quota.confirmed, quota.is_short) == (1, False)


def test_the_day_after_the_deadline_registering_is_refused_with_the_date(
    period, make_task, register
):
    with pytest.raises(ValidationError) as exc:
        register(make_task(), on=DEADLINE + DAY)

    assert exc.value.messages == [
        "Đã hết hạn đăng ký việc khó của kỳ “Năm 2026” (hạn 15/12/2026)."
    ]
    assert not Registration.objects.exists()


def test_without_a_period_registering_is_refused(with_roles, make_task, register):
    with pytest.raises(ValidationError) as exc:
        register(make_task())

    assert "Chưa có kỳ đăng ký việc khó nào đang mở" in exc.value.messages[0]


def test_registering_on_the_periods_first_day_is_allowed(period, make_task, register):
    registration = register(make_task(), on=period.start)

    assert registration.period == period


# --- the leader's decision -------------------------------------------------------


def test_the_leader_confirms_and_the_task_is_marked_hard_with_who_and_when(
    period, people, make_task, register
):
    task = make_task()
    registration = register(task)

    services.registration_confirm(actor=people.lanhdao_vp, registration=registration)

    registration.refresh_from_db()
    assert registration.status == RegistrationStatus.CONFIRMED
    assert registration.decided_by == people.lanhdao_vp
    assert registration.decided_at is not None
    steps = list(
        registration.history.order_by("history_date").values_list(
            "status", "history_user__username", "history_change_reason"
        )
    )
    assert steps == [
        ("pending", "canbo_vp", "Đăng ký việc khó"),
        ("confirmed", "lanhdao_vp", "Xác nhận việc khó"),
    ]
    task.refresh_from_db()
    assert task.is_hard and task.flagged_by == people.lanhdao_vp
    assert task.history.first().history_change_reason.startswith("Xác nhận là việc khó")


def test_a_leader_above_may_confirm_too(period, people, make_task, register):
    registration = register(make_task())

    services.registration_confirm(actor=people.bithu_da, registration=registration)

    assert Registration.objects.get().status == RegistrationStatus.CONFIRMED


@pytest.mark.parametrize(
    "who", ["canbo_vp", "canbo_vp2", "vanphong_da", "thuongtruc", "bithu_th"]
)
def test_only_a_leader_over_the_unit_decides_never_the_registrant(
    period, people, make_task, register, who
):
    registration = register(make_task())

    with pytest.raises(PermissionDenied):
        services.registration_confirm(
            actor=getattr(people, who), registration=registration
        )
    with pytest.raises(PermissionDenied):
        services.registration_refuse(
            actor=getattr(people, who), registration=registration, reason="Không"
        )

    assert Registration.objects.get().status == RegistrationStatus.PENDING


def test_a_leader_never_confirms_his_own_registration(
    period, people, make_task, register
):
    task = make_task()
    registration = register(task, people.lanhdao_vp)

    with pytest.raises(PermissionDenied):
        services.registration_confirm(
            actor=people.lanhdao_vp, registration=registration
        )

    # a leader above him does
    services.registration_confirm(actor=people.bithu_da, registration=registration)


def test_a_refusal_needs_a_reason_and_is_kept(period, people, make_task, register):
    registration = register(make_task())
    with pytest.raises(ValidationError) as exc:
        services.registration_refuse(
            actor=people.lanhdao_vp, registration=registration, reason=""
        )
    assert exc.value.message_dict == {
        "refusal_reason": ["Cần nêu lý do không xác nhận là việc khó."]
    }

    services.registration_refuse(
        actor=people.lanhdao_vp, registration=registration, reason="Việc thường xuyên"
    )

    registration.refresh_from_db()
    assert registration.status == RegistrationStatus.REFUSED
    assert registration.refusal_reason == "Việc thường xuyên"
    assert registration.history.first().history_user == people.lanhdao_vp
    assert not Task.objects.get().is_hard


def test_a_decided_registration_is_not_decided_again(
    period, people, make_task, register
):
    registration = register(make_task())
    services.registration_confirm(actor=people.lanhdao_vp, registration=registration)

    with pytest.raises(ValidationError, match="đã được quyết định"):
        services.registration_refuse(
            actor=people.bithu_da, registration=registration, reason="Đổi ý"
        )


def test_a_cancelled_task_is_not_confirmed(period, people, make_task, register):
    task = make_task()
    registration = register(task)
    task_services.task_cancel(actor=people.lanhdao_vp, task=task, reason="Trùng việc")

    with pytest.raises(ValidationError, match="đã bị hủy"):
        services.registration_confirm(
            actor=people.lanhdao_vp, registration=registration
        )


# --- a new task, registered at once --------------------------------------------


def five_clear(people, tree, directive, **overrides):
    values = dict(
        title="Giải phóng mặt bằng tuyến đường liên xã",
        description="Đối thoại với các hộ chưa bàn giao mặt bằng",
        directive=directive,
        lead_unit=tree.vp,
        assignee=people.canbo_vp,
        accountable_leader=people.lanhdao_vp,
        start_date=datetime.date(2026, 11, 20),
        deadline=datetime.date(2027, 3, 31),
        expected_result="Bàn giao toàn bộ mặt bằng",
    )
    values.update(overrides)
    return values


def test_a_leader_creates_a_task_and_registers_it_in_one_step(
    period, people, tree, directive, open_day
):
    registration = services.registration_create_with_task(
        actor=people.lanhdao_vp,
        reason="Nhiều hộ chưa đồng thuận",
        today=open_day,
        **five_clear(people, tree, directive),
    )

    task = registration.task
    assert (task.is_hard, task.flagged_by) == (True, people.lanhdao_vp)
    assert registration.person == people.lanhdao_vp
    assert registration.status == RegistrationStatus.PENDING


def test_a_new_task_missing_a_clear_saves_nothing(
    period, people, tree, directive, open_day
):
    with pytest.raises(ValidationError) as exc:
        services.registration_create_with_task(
            actor=people.lanhdao_vp,
            reason="Nhiều hộ chưa đồng thuận",
            today=open_day,
            **five_clear(people, tree, directive, expected_result=""),
        )

    assert "Thiếu rõ kết quả" in exc.value.message_dict["expected_result"][0]
    assert not Task.objects.exists() and not Registration.objects.exists()


def test_a_new_task_must_be_the_registrants_own(
    period, people, tree, directive, open_day
):
    with pytest.raises(ValidationError) as exc:
        services.registration_create_with_task(
            actor=people.bithu_da,
            reason="Nhiều hộ chưa đồng thuận",
            today=open_day,
            **five_clear(people, tree, directive),
        )

    assert "bạn phải là người thực hiện" in exc.value.message_dict["assignee"][0]
    assert not Task.objects.exists()


def test_staff_cannot_create_tasks_to_register(
    period, people, tree, directive, open_day
):
    with pytest.raises(PermissionDenied):
        services.registration_create_with_task(
            actor=people.canbo_vp,
            reason="Khó",
            today=open_day,
            **five_clear(people, tree, directive),
        )
    assert not Task.objects.exists()


# --- the admins' rows ------------------------------------------------------------


def test_periods_may_not_overlap(period, people):
    with pytest.raises(ValidationError) as exc:
        services.period_create(
            actor=people.admin,
            name="Năm 2026 (trùng)",
            start=datetime.date(2026, 6, 1),
            end=datetime.date(2027, 5, 31),
            registration_deadline=datetime.date(2026, 7, 1),
        )
    assert "trùng thời gian" in exc.value.message_dict["start"][0]
    assert QuotaPeriod.objects.count() == 1


def test_only_admins_change_the_quotas(period, people, roles):
    with pytest.raises(PermissionDenied):
        services.role_quota_save(
            actor=people.bithu_da,
            period=period,
            committee_role=roles["can-bo-co-so"],
            minimum=5,
        )
    with pytest.raises(PermissionDenied):
        services.period_create(
            actor=people.bithu_da,
            name="Năm 2027",
            start=datetime.date(2027, 1, 1),
            end=datetime.date(2027, 12, 31),
            registration_deadline=datetime.date(2027, 3, 31),
        )


def test_a_quota_change_is_in_the_history_with_who(period, people, roles):
    quota = services.role_quota_save(
        actor=people.admin,
        period=period,
        committee_role=roles["can-bo-co-so"],
        minimum=2,
    )

    last = quota.history.first()
    assert last.history_user == people.admin
    assert last.history_change_reason == "Định mức Cán bộ cơ sở: 1 → 2"
